package dev.ipsim.shell;

import dev.ipsim.commands.Command;
import dev.ipsim.commands.Context;
import dev.ipsim.commands.Invocation;
import dev.ipsim.commands.NetnsNames;
import dev.ipsim.kernel.Errno;
import dev.ipsim.kernel.Kernel;
import dev.ipsim.kernel.KernelException;
import dev.ipsim.kernel.NetNamespace;
import dev.ipsim.shell.vfs.VirtualFs;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One shell attached to a sandbox: a terminal or a script. It holds what bash keeps per
 * process (variables, {@code $?}, the network namespace it runs in) and is the {@link Context}
 * commands run in.
 */
public final class ShellSession implements Context {

    /** How the shell was started; decides the prefix of its own error messages. */
    public enum Mode {
        /** At a terminal: {@code bash: foo: command not found}. */
        INTERACTIVE,
        /** {@code ./ipsim FILE}: {@code FILE: line 3: foo: command not found}. */
        FILE,
        /** {@code ./ipsim < FILE} or {@code -c}: {@code bash: line 3: foo: command not found}. */
        STDIN
    }

    private final Sandbox sandbox;
    private final Mode mode;
    private final String scriptName;
    private final OutputStream stdout;
    private final OutputStream stderr;
    private final boolean stdoutTerminal;
    private final PrintStream err;
    private final Map<String, String> variables = new HashMap<>();
    private final VirtualFs vfs;
    private final CommandTable commands;
    private NetNamespace netns;
    private int lastStatus;
    private boolean exitRequested;
    /** Set by the terminal's SIGINT handler while a command runs (Ctrl-C). */
    private volatile boolean interrupted;
    private int line;

    public ShellSession(Sandbox sandbox, Mode mode, String scriptName, OutputStream stdout, OutputStream stderr,
                        boolean stdoutTerminal) {
        this.sandbox = sandbox;
        this.mode = mode;
        this.scriptName = scriptName;
        this.stdout = stdout;
        this.stderr = stderr;
        this.stdoutTerminal = stdoutTerminal;
        this.err = new PrintStream(stderr, true, StandardCharsets.UTF_8);
        this.netns = sandbox.kernel().initNamespace();
        this.vfs = new VirtualFs(() -> this.netns, sandbox::names, sandbox.workingDirectory(), sandbox.hostname());
        this.commands = new CommandTable(this);
        variables.put("HOME", "/root");
        variables.put("USER", "root");
        variables.put("HOSTNAME", sandbox.hostname());
        variables.put("PWD", "/root");
    }

    public Sandbox sandbox() {
        return sandbox;
    }

    public Mode mode() {
        return mode;
    }

    public OutputStream stdoutSink() {
        return stdout;
    }

    public OutputStream stderrSink() {
        return stderr;
    }

    public PrintStream err() {
        return err;
    }

    public VirtualFs vfs() {
        return vfs;
    }

    public CommandTable commands() {
        return commands;
    }

    public Map<String, String> variables() {
        return variables;
    }

    public int lastStatus() {
        return lastStatus;
    }

    public void setLastStatus(int status) {
        this.lastStatus = status & 0xFF;
    }

    public boolean exitRequested() {
        return exitRequested;
    }

    public void requestExit(int status) {
        exitRequested = true;
        lastStatus = status & 0xFF;
    }

    /** The line of the script being run, for error messages. */
    public void setLine(int line) {
        this.line = line;
    }

    public void setNetns(NetNamespace ns) {
        this.netns = ns;
    }

    /** Prints one of the shell's own diagnostics with bash's prefix for this mode. */
    public void diagnostic(String message) {
        err.print(prefix() + message + "\n");
        err.flush();
    }

    String prefix() {
        return switch (mode) {
            case INTERACTIVE -> "bash: ";
            case FILE -> scriptName + ": line " + line + ": ";
            case STDIN -> "bash: line " + line + ": ";
        };
    }

    // ------------------------------------------------------------------ Context

    @Override
    public Kernel kernel() {
        return sandbox.kernel();
    }

    @Override
    public NetNamespace netns() {
        return netns;
    }

    @Override
    public NetnsNames netnsNames() {
        return sandbox;
    }

    @Override
    public boolean stdoutIsTerminal() {
        return stdoutTerminal;
    }

    /** Ctrl-C at the terminal: the running command is asked to stop. */
    public void interrupt() {
        interrupted = true;
    }

    @Override
    public boolean takeInterrupt() {
        boolean was = interrupted;
        interrupted = false;
        return was;
    }

    @Override
    public String hostname() {
        return sandbox.hostname();
    }

    @Override
    public String readFile(String path) {
        try {
            return vfs.read(path);
        } catch (VirtualFs.FsException e) {
            throw new KernelException(e.errno());
        }
    }

    @Override
    public int run(List<String> argv, NetNamespace ns, Invocation parent) {
        NetNamespace saved = netns;
        netns = ns;
        try {
            Command c = commands.lookup(argv.get(0));
            if (c == null) {
                parent.err().print("exec of \"" + argv.get(0) + "\" failed: " + Errno.ENOENT.text() + "\n");
                return 255;
            }
            return c.run(parent.withArgv(argv));
        } finally {
            netns = saved;
        }
    }
}
