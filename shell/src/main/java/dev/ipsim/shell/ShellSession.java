package dev.ipsim.shell;

import dev.ipsim.commands.Command;
import dev.ipsim.commands.Context;
import dev.ipsim.commands.Invocation;
import dev.ipsim.commands.NetnsNames;
import dev.ipsim.kernel.Errno;
import dev.ipsim.kernel.Kernel;
import dev.ipsim.kernel.KernelException;
import dev.ipsim.kernel.NetNamespace;
import dev.ipsim.kernel.proc.Task;
import dev.ipsim.shell.jobs.Jobs;
import dev.ipsim.shell.vfs.VirtualFs;
import java.io.InputStream;
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
        /** {@code ./ipsim < FILE}: {@code bash: line 3: foo: command not found}. */
        STDIN,
        /** {@code ./ipsim -c CMD}: like {@link #STDIN}, but syntax errors say {@code bash: -c: line 1: }. */
        COMMAND
    }

    /** Waits in wall time; the REPL's {@code sleep} uses it, tests replace it. */
    public interface WallClock {
        long nanoTime();

        /** Waits; an interrupt (Ctrl-C) ends the wait early. */
        void sleep(long nanos) throws InterruptedException;

        WallClock SYSTEM = new WallClock() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public void sleep(long nanos) throws InterruptedException {
                Thread.sleep(nanos / 1_000_000L, (int) (nanos % 1_000_000L));
            }
        };
    }

    /** {@code $$}: the shell's process id, as the sandbox reports it. */
    public static final int PID = 4242;

    private final Sandbox sandbox;
    private final Mode mode;
    private final String scriptName;
    private final InputStream stdin;
    private final OutputStream stdout;
    private final OutputStream stderr;
    private final boolean stdoutTerminal;
    private final PrintStream err;
    private Map<String, String> variables = new HashMap<>();
    private final VirtualFs vfs;
    private final CommandTable commands;
    private NetNamespace netns;
    private int lastStatus;
    private boolean exitRequested;
    private boolean discard;
    private int subshellDepth;
    private int line;
    private WallClock wallClock;
    /** The wall reading and virtual time when the wall clock was set: virtual time keeps up from there. */
    private long wallAnchor;
    private long virtualAnchor;
    private int terminalColumns = 80;
    private final long startSeconds;
    /** The process this shell is (its CPU share); {@code null} outside the scheduler (tests). */
    private Task task;
    private Jobs jobs;
    /** A replayed Ctrl-C: the virtual time it comes at, and what the terminal shows then. */
    private long interruptAt = Long.MAX_VALUE;
    private Runnable interruptEcho;

    public ShellSession(Sandbox sandbox, Mode mode, String scriptName, InputStream stdin, OutputStream stdout,
                        OutputStream stderr, boolean stdoutTerminal) {
        this.sandbox = sandbox;
        this.mode = mode;
        this.scriptName = scriptName;
        this.stdin = stdin;
        this.stdout = stdout;
        this.stderr = stderr;
        this.stdoutTerminal = stdoutTerminal;
        this.err = new PrintStream(stderr, true, StandardCharsets.UTF_8);
        this.netns = sandbox.kernel().initNamespace();
        this.vfs = new VirtualFs(new CurrentNetns(), new RunNetnsNames(sandbox), sandbox.workingDirectory(),
                sandbox.files());
        this.commands = new CommandTable(this);
        this.startSeconds = sandbox.kernel().clock().seconds();
        variables.put("HOME", "/root");
        variables.put("USER", "root");
        variables.put("LOGNAME", "root");
        variables.put("HOSTNAME", sandbox.hostname());
        variables.put("PWD", VirtualFs.HOME);
        variables.put("SHELL", "/bin/bash");
        variables.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        this.jobs = new Jobs(mode == Mode.INTERACTIVE, mode == Mode.FILE || mode == Mode.STDIN, new Cwd(this));
    }

    /*
     * What the file system and the job table ask the shell, as classes rather than lambdas:
     * every shell a script forks makes them, and a lambda call site costs a bootstrap of
     * method handles (about 0.25 ms) at its first use, at start-up.
     */

    /** The shell's network namespace, for {@code /proc/sys/net} and {@code /sys/class/net}. */
    private final class CurrentNetns implements java.util.function.Supplier<NetNamespace> {
        @Override
        public NetNamespace get() {
            return netns;
        }
    }

    /** The names in {@code /run/netns}. */
    private static final class RunNetnsNames implements java.util.function.Supplier<List<String>> {
        private final Sandbox sandbox;

        RunNetnsNames(Sandbox sandbox) {
            this.sandbox = sandbox;
        }

        @Override
        public List<String> get() {
            return sandbox.names();
        }
    }

    /** A shell's working directory, which {@code jobs} prints when it differs from the job's. */
    private static final class Cwd implements java.util.function.Supplier<String> {
        private final ShellSession shell;

        Cwd(ShellSession shell) {
            this.shell = shell;
        }

        @Override
        public String get() {
            return shell.vfs.cwd();
        }
    }

    /**
     * A copy of this shell for a background job or a command run at a terminal, as
     * {@code fork()} makes one: the same variables, functions, arguments, directory, network
     * namespace and streams; standard input {@code in}; an empty job table of its own. It is
     * a subshell ({@code exit} there ends only it).
     */
    public ShellSession fork(InputStream in) {
        ShellSession child = new ShellSession(sandbox, mode, scriptName, in, stdout, stderr, stdoutTerminal);
        child.variables = new HashMap<>(variables);
        child.functions.putAll(functions);
        child.functionSources.putAll(functionSources);
        child.positional = positional;
        child.netns = netns;
        child.shellPid = shellPid;
        child.lastStatus = lastStatus;
        child.pipefail = pipefail;
        child.line = line;
        child.terminalColumns = terminalColumns;
        child.wallClock = wallClock;
        child.wallAnchor = wallAnchor;
        child.virtualAnchor = virtualAnchor;
        child.hashed.addAll(hashed);
        child.subshellDepth = subshellDepth + 1;
        child.jobs = new Jobs(false, mode == Mode.FILE || mode == Mode.STDIN, new Cwd(child));
        try {
            child.vfs.cd(vfs.cwd());
        } catch (VirtualFs.FsException e) {
            // the directory is gone: the child starts where the shell would
        }
        for (java.util.Map.Entry<String, dev.ipsim.commands.Command> e : extraBuiltins.entrySet()) {
            child.commands.builtin(e.getKey(), e.getValue(), "");
        }
        child.commands.inherit(commands);
        return child;
    }

    /**
     * A copy of this shell for a program it runs in the foreground ({@link #fork}): Ctrl-C
     * pressed at the terminal (a replayed one too) reaches the program.
     */
    public ShellSession forkForeground(InputStream in) {
        ShellSession child = fork(in);
        child.foregroundOf = this;
        child.subshellDepth = subshellDepth;
        return child;
    }

    /**
     * Whether this shell runs its programs in its own process, as a forked shell that execs its
     * one command does (a background job of one simple command).
     */
    public boolean execsDirectly() {
        return execsDirectly;
    }

    public void setExecsDirectly(boolean direct) {
        execsDirectly = direct;
    }

    private boolean execsDirectly;

    /** The shell a foreground program was started by: its terminal's Ctrl-C is the program's. */
    private ShellSession foregroundOf;

    /** Built-ins added after the start ({@code history} at a terminal), which forks keep. */
    private final Map<String, dev.ipsim.commands.Command> extraBuiltins = new java.util.LinkedHashMap<>();

    /** Adds a built-in the shell's forks have too. */
    public void addBuiltin(String name, dev.ipsim.commands.Command c, String description) {
        extraBuiltins.put(name, c);
        commands.builtin(name, c, description);
    }

    /**
     * {@code $$}: the process id of the shell the user started (a subshell or a program it
     * forked says its parent's, as bash does); an attached terminal's shell has its own.
     */
    public int shellPid() {
        return shellPid;
    }

    public void setShellPid(int pid) {
        shellPid = pid;
    }

    private int shellPid = PID;

    /** The process this shell runs as, or {@code null}. */
    public Task task() {
        return task;
    }

    public void setTask(Task task) {
        this.task = task;
        if (task != null) {
            sandbox.process(task.pid(), this);
        }
    }

    /** The jobs this shell started. */
    public Jobs jobs() {
        return jobs;
    }

    /**
     * Waits for a job in the foreground (a command at a terminal, or {@code fg}): until it ends
     * or stops. Returns its status as {@code $?} shows it (128 + the signal for one that a
     * signal stopped or ended).
     */
    public int foreground(int index) {
        Task before = foregroundTask;
        foregroundTask = jobs.job(index).task();
        try {
            while (true) {
                int r = jobs.waitFor(kernel(), index, true);
                if (r >= 0) {
                    return r;
                }
                // a signal the shell catches (Ctrl-C pressed just as the job started, before the
                // terminal knew it): it was meant for the job, which has the terminal now
                Task job = jobs.job(index).task();
                int s = task == null ? 0 : task.takeSignal();
                if (s == 0 || job.state() == Task.State.EXITED) {
                    return 128 + dev.ipsim.kernel.proc.Signal.INT.number();
                }
                kernel().scheduler().signal(job, s);
            }
        } finally {
            foregroundTask = before;
        }
    }

    /** What the shell's own messages start with ({@code bash: }, {@code script.sh: line 3: }). */
    public String errorPrefix() {
        return prefix();
    }

    /** The virtual time the shell started at, for {@code $SECONDS}. */
    public long startSeconds() {
        return startSeconds;
    }

    public Sandbox sandbox() {
        return sandbox;
    }

    public Mode mode() {
        return mode;
    }

    public boolean interactive() {
        return mode == Mode.INTERACTIVE;
    }

    /** {@code $0}: the script's name, or {@code bash} (or the name given after {@code -c CMD}). */
    public String scriptName() {
        return mode == Mode.FILE || mode == Mode.COMMAND ? scriptName : "bash";
    }

    /** The shell's standard input: what commands read when nothing is redirected. */
    public InputStream stdinSource() {
        return stdin;
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

    /** {@code set -o pipefail}: a pipeline's status is its last failing command's. */
    private boolean pipefail;

    public boolean pipefail() {
        return pipefail;
    }

    public void setPipefail(boolean on) {
        pipefail = on;
    }

    public void setLastStatus(int status) {
        this.lastStatus = status & 0xFF;
    }

    /** The interactive shell stays after all (it warned about something first). */
    public void cancelExit() {
        exitRequested = false;
    }

    public boolean exitRequested() {
        return exitRequested;
    }

    public void requestExit(int status) {
        exitRequested = true;
        lastStatus = status & 0xFF;
    }

    /** Whether the rest of the current command line is to be skipped (bash's {@code DISCARD}). */
    public boolean discarding() {
        return discard;
    }

    /**
     * Abandons the rest of the current line, as bash's {@code jump_to_top_level(DISCARD)} does
     * after {@code exit 1 2}; the status stays, or becomes 1 if it was 0 ({@code reader_loop}).
     */
    public void discard() {
        discard = true;
        if (lastStatus == 0) {
            lastStatus = 1;
        }
    }

    public void clearDiscard() {
        discard = false;
    }

    private int loopDepth;
    private int breaking;
    private boolean continuing;

    /** Entering or leaving a {@code for}/{@code while}/{@code until} body. */
    public void enterLoop() {
        loopDepth++;
    }

    public void leaveLoop() {
        loopDepth--;
    }

    public int loopDepth() {
        return loopDepth;
    }

    /** {@code break N}: leave N loops; {@code continue N}: leave N-1 and go on with the next round. */
    public void requestBreak(int levels, boolean continueAfter) {
        breaking = Math.min(levels, loopDepth);
        continuing = continueAfter;
    }

    /** Loops still to leave after {@code break}/{@code continue}. */
    public int breaking() {
        return breaking;
    }

    public boolean continuing() {
        return continuing;
    }

    /** A loop has taken one level of a pending {@code break}/{@code continue}. */
    public void consumeBreak() {
        breaking--;
        if (breaking == 0) {
            continuing = false;
        }
    }

    private final Map<String, dev.ipsim.shell.script.Parser.FunctionDef> functions = new HashMap<>();
    private List<String> positional = List.of();
    private int functionDepth;
    private boolean returning;
    /** Per running function: the variables {@code local} saved, to put back when it returns. */
    private final java.util.ArrayDeque<Map<String, String>> locals = new java.util.ArrayDeque<>();

    /**
     * Where each function was defined, as {@code BASH_SOURCE} names it: the script, {@code main}
     * for one read from standard input, {@code environment} for {@code -c}, or a sourced file.
     * A script's messages from inside a function start with that name.
     */
    private final Map<String, String> functionSources = new HashMap<>();
    /** The running function's definition source ({@code BASH_SOURCE[0]}), or null. */
    private String functionSource;

    /** Records where a function being defined now comes from. */
    public void defineFunctionSource(String name) {
        String source = functionSource != null ? functionSource : sourceName != null ? sourceName
                : switch (mode) {
                    case FILE -> scriptName;
                    case STDIN -> "main";
                    case COMMAND -> "environment";
                    case INTERACTIVE -> null;
                };
        if (source == null || mode == Mode.INTERACTIVE) {
            functionSources.remove(name);
        } else {
            functionSources.put(name, source);
        }
    }

    /** Entering function {@code name}: its definition's source names messages; the one before is returned. */
    public String enterFunctionSource(String name) {
        String before = functionSource;
        functionSource = functionSources.get(name);
        return before;
    }

    public void leaveFunctionSource(String before) {
        functionSource = before;
    }

    public Map<String, dev.ipsim.shell.script.Parser.FunctionDef> functions() {
        return functions;
    }

    /** {@code $1}, {@code $2}, ...: the script's or the running function's arguments. */
    public List<String> positional() {
        return positional;
    }

    public void setPositional(List<String> values) {
        positional = List.copyOf(values);
    }

    /** Entering a function: its arguments become $1...; returns what to give back to {@link #leaveFunction}. */
    public List<String> enterFunction(List<String> args) {
        List<String> saved = positional;
        positional = List.copyOf(args);
        functionDepth++;
        locals.push(new HashMap<>());
        return saved;
    }

    public void leaveFunction(List<String> savedPositional) {
        positional = savedPositional;
        functionDepth--;
        returning = false;
        for (Map.Entry<String, String> e : locals.pop().entrySet()) {
            if (e.getValue() == null) {
                variables.remove(e.getKey());
            } else {
                variables.put(e.getKey(), e.getValue());
            }
        }
    }

    public int functionDepth() {
        return functionDepth;
    }

    private int sourceDepth;
    private String sourceName;

    /** What {@link #enterSource} changed, to give back to {@link #leaveSource}. */
    public record SavedSource(String name, int line, List<String> positional, String functionSource) {
    }

    /**
     * {@code source FILE [ARGS]}: diagnostics name FILE and its lines until it ends; with
     * arguments, they are $1... meanwhile.
     */
    public SavedSource enterSource(String name, List<String> args) {
        SavedSource saved = new SavedSource(sourceName, line, positional, functionSource);
        sourceName = name;
        functionSource = null;
        sourceDepth++;
        if (!args.isEmpty()) {
            positional = List.copyOf(args);
        }
        return saved;
    }

    public void leaveSource(SavedSource saved) {
        sourceName = saved.name();
        functionSource = saved.functionSource();
        line = saved.line();
        positional = saved.positional();
        sourceDepth--;
        returning = false;
    }

    /** How many {@code source}s are running (where {@code return} is allowed). */
    public int sourceDepth() {
        return sourceDepth;
    }

    /** {@code local NAME}: the variable is the function's own until it returns. */
    public void makeLocal(String name) {
        Map<String, String> scope = locals.peek();
        if (scope != null && !scope.containsKey(name)) {
            scope.put(name, variables.get(name));
        }
    }

    /** {@code return}: the rest of the function is skipped. */
    public void requestReturn(int status) {
        returning = true;
        lastStatus = status & 0xFF;
    }

    public boolean returning() {
        return returning;
    }

    private final java.util.Set<String> hashed = new java.util.HashSet<>();

    /** bash remembers where it found a program once it has run it ({@code type} says "hashed"). */
    public void hash(String name) {
        hashed.add(name);
    }

    public boolean hashed(String name) {
        return hashed.contains(name);
    }

    /** Whether the shell is a subshell (a pipeline element, {@code ( )}, {@code $( )}). */
    public boolean inSubshell() {
        return subshellDepth > 0;
    }

    /** What a subshell changes and must not leak: variables, {@code exit}. */
    public record Saved(Map<String, String> variables, boolean exitRequested, boolean discard, NetNamespace netns,
                        String cwd, int loopDepth, boolean returning) {
    }

    public Saved enterSubshell() {
        Saved s = new Saved(variables, exitRequested, discard, netns, vfs.cwd(), loopDepth, returning);
        variables = new HashMap<>(variables);
        subshellDepth++;
        return s;
    }

    public void leaveSubshell(Saved s) {
        variables = s.variables();
        exitRequested = s.exitRequested();
        discard = s.discard();
        netns = s.netns();
        loopDepth = s.loopDepth();
        returning = s.returning();
        breaking = 0;
        continuing = false;
        try {
            vfs.cd(s.cwd());
        } catch (VirtualFs.FsException e) {
            // the directory went away meanwhile: stay where the subshell was
        }
        subshellDepth--;
    }

    /** The line of the script being run, for error messages. */
    public void setLine(int line) {
        this.line = line;
    }

    public int line() {
        return line;
    }

    public void setNetns(NetNamespace ns) {
        this.netns = ns;
    }

    public WallClock wallClock() {
        return wallClock;
    }

    /**
     * At a terminal, virtual time follows wall time: {@code sleep} waits on this clock, and
     * the time between commands passes in the sandbox too.
     */
    public void setWallClock(WallClock wallClock) {
        this.wallClock = wallClock;
        this.wallAnchor = wallClock == null ? 0 : wallClock.nanoTime();
        this.virtualAnchor = sandbox.kernel().clock().nanos();
    }

    /**
     * Brings virtual time up to the wall time passed since the wall clock was set (at a
     * terminal only). What commands already moved it meanwhile (ping's paced waits, a tool's
     * start) counts towards that, so the same wall time never passes twice in the sandbox.
     */
    public void syncWallClock() {
        if (wallClock == null || sandbox.kernel().scheduler().paced()) {
            // the scheduler's pacer keeps time itself
            return;
        }
        long target = wallTarget();
        long now = sandbox.kernel().clock().nanos();
        if (target > now) {
            sandbox.kernel().advance(target - now);
        }
    }

    /** The virtual time the wall clock stands at now (the pacer's target at a terminal). */
    public long wallTarget() {
        return virtualAnchor + (wallClock.nanoTime() - wallAnchor);
    }

    /**
     * The job in the foreground now, the terminal's foreground process group: Ctrl-C and
     * Ctrl-Z are its; {@code null} while the shell itself has the terminal.
     */
    public Task foregroundTask() {
        return foregroundTask;
    }

    private volatile Task foregroundTask;

    /** The terminal's width, for {@code ls} in columns. */
    public int terminalColumns() {
        return terminalColumns;
    }

    public void setTerminalColumns(int columns) {
        this.terminalColumns = columns > 0 ? columns : 80;
    }

    /** Prints one of the shell's own diagnostics with bash's prefix for this mode. */
    public void diagnostic(String message) {
        diagnostic(err, message);
    }

    /** Prints one of the shell's own diagnostics to a command's standard error. */
    public void diagnostic(PrintStream to, String message) {
        to.print(prefix() + message + "\n");
        to.flush();
    }

    /** Reports a syntax error as bash does: message, then (not interactive) the line quoted. */
    public void syntaxError(String message, int errorLine, String offendingLine) {
        String p = syntaxPrefix(errorLine);
        StringBuilder sb = new StringBuilder(p).append(message).append('\n');
        if (offendingLine != null && (mode != Mode.INTERACTIVE || sourceName != null)) {
            sb.append(p).append('`').append(offendingLine).append("'\n");
        }
        err.print(sb);
        err.flush();
    }

    String prefix() {
        if (functionSource != null) {
            return functionSource + ": line " + line + ": ";
        }
        if (sourceName != null) {
            return sourceName + ": line " + line + ": ";
        }
        return switch (mode) {
            case INTERACTIVE -> "bash: ";
            case FILE, COMMAND -> scriptName + ": line " + line + ": ";
            case STDIN -> "bash: line " + line + ": ";
        };
    }

    private String syntaxPrefix(int errorLine) {
        if (sourceName != null) {
            return sourceName + ": line " + errorLine + ": ";
        }
        return switch (mode) {
            case INTERACTIVE -> "bash: ";
            case FILE -> scriptName + ": line " + errorLine + ": ";
            case STDIN -> "bash: line " + errorLine + ": ";
            case COMMAND -> scriptName + ": -c: line " + errorLine + ": ";
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

    @Override
    public dev.ipsim.commands.ColorWhen colorWhen() {
        return sandbox.color();
    }

    /**
     * Ctrl-C at the terminal interrupts the thread running the command (the REPL's SIGINT
     * handler); a command that handles SIGINT itself, as ping does, takes the interrupt here, so
     * the shell sees its own exit status rather than 130.
     */
    @Override
    public boolean takeInterrupt() {
        if (Thread.interrupted()) {
            return true;
        }
        // a SIGINT sent to the process (kill -INT, timeout -s INT) that it catches
        if (task != null && task.hasPending(dev.ipsim.kernel.proc.Signal.INT.number())
                && task.takeSignal() == dev.ipsim.kernel.proc.Signal.INT.number()) {
            return true;
        }
        return takeScheduledInterrupt();
    }

    /** A replayed Ctrl-C that is due, here or at the terminal of the shell that started this program. */
    private boolean takeScheduledInterrupt() {
        if (interruptAt != Long.MAX_VALUE && kernel().clock().nanos() >= interruptAt) {
            interruptAt = Long.MAX_VALUE;
            if (interruptEcho != null) {
                interruptEcho.run();
            }
            return true;
        }
        return foregroundOf != null && foregroundOf.takeScheduledInterrupt();
    }

    @Override
    public long interruptAt() {
        return foregroundOf != null ? Math.min(interruptAt, foregroundOf.interruptAt()) : interruptAt;
    }

    /**
     * Presses Ctrl-C at virtual time {@code atNanos} while the next command runs (a replayed
     * {@code ^C}); {@code echo} runs when the command takes it, as the terminal echoes it.
     * {@code Long.MAX_VALUE} cancels it.
     */
    public void scheduleInterrupt(long atNanos, Runnable echo) {
        this.interruptAt = atNanos;
        this.interruptEcho = echo;
    }

    @Override
    public boolean wallPaced() {
        // a process under a paced scheduler waits through it, at the wall clock's pace already
        return wallClock != null && !(task != null && sandbox.kernel().scheduler().paced());
    }

    @Override
    public long sleepWall(long nanos) throws InterruptedException {
        if (wallClock == null) {
            return nanos;
        }
        long start = wallClock.nanoTime();
        wallClock.sleep(nanos);
        return wallClock.nanoTime() - start;
    }

    @Override
    public String hostname() {
        return sandbox.hostname();
    }

    @Override
    public dev.ipsim.commands.Userland userland() {
        return sandbox.profile().userland();
    }

    @Override
    public List<dev.ipsim.kernel.addr.Ipv4Address> dnsQuery(String name) {
        return sandbox.dnsQuery(name);
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
    public byte[] readBinaryFile(String path) {
        try {
            return vfs.readBytes(path);
        } catch (VirtualFs.FsException e) {
            throw new KernelException(e.errno());
        }
    }

    @Override
    public void writeFile(String path, String content) {
        try {
            vfs.openForWrite(path, false).write(content.getBytes(StandardCharsets.UTF_8));
        } catch (VirtualFs.FsException e) {
            throw new KernelException(e.errno());
        }
    }

    @Override
    public java.io.OutputStream createFile(String path) {
        VirtualFs.Writer w;
        try {
            w = vfs.openForWrite(path, false);
        } catch (VirtualFs.FsException e) {
            throw new KernelException(e.errno());
        }
        return new java.io.OutputStream() {
            @Override
            public void write(int b) throws java.io.IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws java.io.IOException {
                if (len == 0) {
                    return;
                }
                try {
                    w.write(java.util.Arrays.copyOfRange(b, off, off + len));
                } catch (VirtualFs.FsException e) {
                    throw new java.io.IOException(e.errno().text());
                }
            }
        };
    }

    @Override
    public int run(List<String> argv, NetNamespace ns, Invocation parent) {
        // execvp: a program on the PATH, never one of the shell's built-ins
        String path = dev.ipsim.shell.builtins.Builtins.onPath(this, argv.get(0));
        Command c = path == null ? null : commands.lookup(path);
        if (c == null) {
            parent.err().print("exec of \"" + argv.get(0) + "\" failed: " + Errno.ENOENT.text() + "\n");
            return 1;
        }
        NetNamespace saved = netns;
        // the process inside keeps the namespace alive until it exits
        ns.hold();
        netns = ns;
        try {
            return c.run(parent.withArgv(argv));
        } finally {
            netns = saved;
            ns.release();
        }
    }

    /**
     * {@code /proc/PID/ns/net}: PID 1 (init) and the shell itself live in the machine's initial
     * namespace; a job or another terminal's process in the one its shell (or the program it
     * runs, {@code unshare -n}, {@code ip netns exec}) is in.
     */
    @Override
    public NetNamespace netnsOfPid(long pid) {
        if (pid == 1 || pid == PID || pid == shellPid) {
            return sandbox.kernel().initNamespace();
        }
        ShellSession s = pid > 0 && pid <= Integer.MAX_VALUE ? sandbox.process((int) pid) : null;
        return s == null ? null : s.netns();
    }

    @Override
    public List<Long> pids() {
        List<Long> out = new java.util.ArrayList<>(List.of(1L, (long) PID));
        if (shellPid != PID) {
            out.add((long) shellPid);
        }
        for (int pid : sandbox.processIds()) {
            if (pid != PID && pid != shellPid) {
                out.add((long) pid);
            }
        }
        return out;
    }
}
