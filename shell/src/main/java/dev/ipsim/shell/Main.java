package dev.ipsim.shell;

import dev.ipsim.kernel.Kernel;
import dev.ipsim.kernel.world.World;
import dev.ipsim.shell.script.Interpreter;
import dev.ipsim.shell.script.ScriptRunner;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code ipsim [--bare] [--seed N] [-c COMMAND | FILE]}.
 *
 * <p>With a terminal on standard input and standard error and no script, an interactive shell
 * (as bash decides); otherwise it runs the script and prints exactly what bash would: command
 * output and errors in order, no prompt. Scripts never load the line editor (JLine), so they
 * start fast; {@link #run(String[], Stdio)} takes its streams from the caller, so every mode
 * runs in tests as it does from the launcher.
 */
public final class Main {

    static final String USAGE = """
            Usage: ipsim [--bare] [--seed N] [--profile NAME] [--color=WHEN] [--load LAB] [-c COMMAND | FILE]
                   ipsim replay [-v] [--write-actual] FILE|DIR...
                   ipsim attach
              --bare          start with only lo, up (a fresh network namespace)
              --seed N        make MAC addresses and every random choice reproducible
              --profile NAME  the kind of machine: kernel and tool versions (--profile help lists them)
              --color=WHEN    never, auto (the default) or always: highlighting as you type, and
                              what tools told to colour on auto do (auto: when output is a terminal)
              --load LAB      first rebuild the lab a `save LAB` wrote
              -c COMMAND      run COMMAND and exit with its status
              FILE            run the script FILE and exit with its status
              replay          replay tutorial transcripts and compare them line by line
              attach          open another terminal on the interactive ipsim running here
            With neither, ipsim reads commands from a terminal, or a script from standard input.
            """;

    /** The system property the launcher sets to the descriptors that are terminals, e.g. {@code 012}. */
    static final String TTY_PROPERTY = "ipsim.tty";

    private Main() {
    }

    /**
     * The process as ipsim sees it: standard streams, which of them are terminals, the start
     * directory, the environment, and where history lives.
     *
     * @param system whether the streams are the process's own (then the REPL opens the real
     *               terminal); otherwise the REPL runs JLine's dumb terminal over them
     */
    public record Stdio(InputStream in, OutputStream out, OutputStream err, boolean inTty, boolean outTty,
                        boolean errTty, Path cwd, Map<String, String> env, Path historyFile, boolean system) {

        /** The process's own streams, with the launcher's word on which are terminals. */
        static Stdio ofProcess() {
            String tty = System.getProperty(TTY_PROPERTY);
            // the launcher says; without it, ask the JVM (java.io.Console, only then)
            boolean console = tty == null && System.console() != null;
            boolean in = tty != null ? tty.contains("0") : console;
            boolean out = tty != null ? tty.contains("1") : console;
            boolean err = tty != null ? tty.contains("2") : console;
            Map<String, String> env = System.getenv();
            String histfile = env.get("IPSIM_HISTFILE");
            Path history = histfile != null ? (histfile.isEmpty() ? null : Path.of(histfile))
                    : Path.of(System.getProperty("user.home"), ".ipsim_history");
            return new Stdio(new FileInputStream(FileDescriptor.in), new FileOutputStream(FileDescriptor.out),
                    new FileOutputStream(FileDescriptor.err), in, out, err, Path.of("").toAbsolutePath(), env,
                    history, true);
        }
    }

    /** Parsed command line. */
    record Options(boolean bare, Long seed, String command, String file, boolean help, boolean version,
                   List<String> arguments, SystemProfile profile, boolean listProfiles,
                   dev.ipsim.commands.ColorWhen color, String load) {
    }

    static Options parse(String[] args) {
        boolean bare = false;
        Long seed = null;
        String command = null;
        String file = null;
        boolean help = false;
        boolean version = false;
        SystemProfile profile = SystemProfile.DEFAULT;
        boolean listProfiles = false;
        dev.ipsim.commands.ColorWhen color = dev.ipsim.commands.ColorWhen.AUTO;
        String load = null;
        List<String> arguments = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (file != null || command != null && !a.startsWith("-")) {
                // after the script come its arguments ($1, ...); after -c's command, $0 then $1, ...
                arguments.addAll(List.of(args).subList(i, args.length));
                break;
            }
            switch (a) {
                case "--bare" -> bare = true;
                case "--seed" -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("--seed: option requires an argument");
                    }
                    try {
                        seed = Long.parseLong(args[++i]);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--seed: " + args[i] + ": not a number");
                    }
                }
                case "-c" -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("-c: option requires an argument");
                    }
                    command = args[++i];
                }
                case "--profile" -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("--profile: option requires an argument");
                    }
                    String name = args[++i];
                    if (name.equals("help")) {
                        listProfiles = true;
                    } else {
                        profile = SystemProfile.named(name);
                        if (profile == null) {
                            throw new IllegalArgumentException("--profile: " + name
                                    + ": no such profile (--profile help lists them)");
                        }
                    }
                }
                case "--load" -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("--load: option requires an argument");
                    }
                    load = args[++i];
                }
                case "-h", "--help" -> help = true;
                case "--version" -> version = true;
                case "--" -> {
                    if (i + 1 < args.length && command == null) {
                        file = args[i + 1];
                        arguments.addAll(List.of(args).subList(i + 2, args.length));
                    } else if (command != null) {
                        arguments.addAll(List.of(args).subList(i + 1, args.length));
                    }
                    i = args.length;
                }
                default -> {
                    if (a.equals("--color") || a.startsWith("--color=")) {
                        // as ls and grep: --color alone is always
                        String when = a.equals("--color") ? "always" : a.substring("--color=".length());
                        color = dev.ipsim.commands.ColorWhen.parse(when);
                        if (color == null) {
                            throw new IllegalArgumentException("--color: '" + when
                                    + "': not never, auto or always");
                        }
                        continue;
                    }
                    if (a.startsWith("-") && a.length() > 1) {
                        throw new IllegalArgumentException(a + ": invalid option");
                    }
                    file = a;
                }
            }
        }
        return new Options(bare, seed, command, file, help, version, List.copyOf(arguments), profile, listProfiles,
                color, load);
    }

    /** Builds the machine a session runs on. */
    public static Sandbox boot(boolean bare, long seed, Path workingDirectory) {
        return boot(bare, seed, workingDirectory, SystemProfile.DEFAULT);
    }

    /** Builds a machine of the given kind; a VM's NIC is cabled to the world its seed makes. */
    public static Sandbox boot(boolean bare, long seed, Path workingDirectory, SystemProfile profile) {
        Kernel kernel = new Kernel(seed, System.currentTimeMillis() * 1_000_000L, 2, profile.kernel());
        HostProfile.applySysctls(kernel.initNamespace(), profile);
        World world = null;
        if (bare) {
            HostProfile.loopbackUp(kernel.initNamespace());
        } else {
            world = HostProfile.vm(kernel, seed, profile);
        }
        Sandbox sandbox = new Sandbox(kernel, workingDirectory, profile.hostname(), profile);
        sandbox.setSeed(seed);
        sandbox.setWorld(world);
        sandbox.setBootSerial(kernel.eventSerial());
        return sandbox;
    }

    public static void main(String[] args) {
        int status;
        try {
            status = run(args, Stdio.ofProcess());
        } catch (RuntimeException | Error e) {
            // the product never shows a stack trace
            System.err.println("ipsim: internal error: " + e);
            status = 70;
        }
        System.exit(status);
    }

    /** Runs ipsim with the given command line and streams; returns the exit status. */
    public static int run(String[] args, Stdio stdio) {
        if (args.length > 0 && args[0].equals("replay")) {
            java.io.PrintStream out = new java.io.PrintStream(stdio.out(), false, StandardCharsets.UTF_8);
            java.io.PrintStream err = new java.io.PrintStream(stdio.err(), true, StandardCharsets.UTF_8);
            int status = dev.ipsim.shell.transcript.ReplayCommand.run(List.of(args).subList(1, args.length), out, err,
                    stdio.outTty(), stdio.cwd());
            out.flush();
            return status;
        }
        if (args.length == 1 && args[0].equals("attach")) {
            return Attach.client(stdio);
        }
        Options o;
        try {
            o = parse(args);
        } catch (IllegalArgumentException e) {
            write(stdio.err(), "ipsim: " + e.getMessage() + "\n" + USAGE);
            return 2;
        }
        if (o.help()) {
            write(stdio.out(), USAGE);
            return 0;
        }
        if (o.version()) {
            write(stdio.out(), "ipsim 0.1.0\n");
            return 0;
        }
        if (o.listProfiles()) {
            StringBuilder sb = new StringBuilder();
            for (SystemProfile p : SystemProfile.ALL) {
                sb.append(String.format("%-14s %s", p.name(), p.description())).append('\n');
            }
            write(stdio.out(), sb.toString());
            return 0;
        }
        long seed = o.seed() != null ? o.seed() : System.nanoTime();
        if (o.command() == null && o.file() == null && stdio.inTty() && stdio.errTty()) {
            // the terminal opens on a thread of its own meanwhile
            Repl.Prepared terminal = Repl.Prepared.start(stdio);
            Sandbox sandbox = boot(o.bare(), seed, stdio.cwd(), o.profile());
            sandbox.setColor(o.color());
            if (o.load() != null && !load(sandbox, o.load(), stdio)) {
                terminal.discard();
                return 1;
            }
            return Repl.run(sandbox, stdio, terminal);
        }
        String text = null;
        if (o.file() != null) {
            Path file = stdio.cwd().resolve(o.file());
            try {
                if (Files.isDirectory(file)) {
                    write(stdio.err(), "ipsim: " + o.file() + ": Is a directory\n");
                    return 126;
                }
                byte[] bytes = Files.readAllBytes(file);
                if (binary(bytes)) {
                    write(stdio.err(), o.file() + ": " + o.file() + ": cannot execute binary file\n");
                    return 126;
                }
                text = new String(bytes, StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                write(stdio.err(), "ipsim: " + o.file() + ": No such file or directory\n");
                return 127;
            } catch (AccessDeniedException e) {
                write(stdio.err(), "ipsim: " + o.file() + ": Permission denied\n");
                return 126;
            } catch (IOException e) {
                write(stdio.err(), "ipsim: " + o.file() + ": cannot execute binary file\n");
                return 126;
            }
        }
        Sandbox sandbox = boot(o.bare(), seed, stdio.cwd(), o.profile());
        sandbox.setColor(o.color());
        if (o.load() != null && !load(sandbox, o.load(), stdio)) {
            return 1;
        }
        ShellSession.Mode mode = o.command() != null ? ShellSession.Mode.COMMAND
                : o.file() != null ? ShellSession.Mode.FILE : ShellSession.Mode.STDIN;
        List<String> arguments = o.arguments();
        String name = o.file() != null ? o.file() : "bash";
        if (o.command() != null && !arguments.isEmpty()) {
            name = arguments.get(0);
            arguments = arguments.subList(1, arguments.size());
        }
        ShellSession session = new ShellSession(sandbox, mode, name, stdio.in(), stdio.out(), stdio.err(),
                stdio.outTty());
        session.setPositional(arguments);
        session.setTerminalColumns(columns(stdio.env()));
        inherit(session, stdio);
        Interpreter interpreter = new Interpreter(session);
        ScriptRunner.LineSource source = o.command() != null ? ScriptRunner.lines(o.command())
                : text != null ? ScriptRunner.lines(text) : ScriptRunner.lines(stdio.in());
        int status = asShellProcess(session, new java.util.function.Supplier<Integer>() {
            @Override
            public Integer get() {
                try {
                    return ScriptRunner.run(interpreter, source);
                } catch (dev.ipsim.kernel.proc.Killed k) {
                    // a signal ended the shell (kill $$): its parent sees 128 + the signal
                    return 128 + k.signal();
                }
            }
        });
        flush(stdio);
        return status;
    }

    /**
     * {@code --load LAB}: runs the lab script in a shell of its own (its diagnostics name the
     * file), then takes the result as the saved state; {@code false} when the file cannot be read.
     */
    static boolean load(Sandbox sandbox, String file, Stdio stdio) {
        ShellSession session = new ShellSession(sandbox, ShellSession.Mode.FILE, file, InputStream.nullInputStream(),
                stdio.out(), stdio.err(), stdio.outTty());
        String text;
        try {
            text = session.vfs().read(file);
        } catch (dev.ipsim.shell.vfs.VirtualFs.FsException e) {
            write(stdio.err(), "ipsim: " + file + ": " + e.errno().text() + "\n");
            return false;
        }
        asShellProcess(session, () -> ScriptRunner.run(new Interpreter(session), ScriptRunner.lines(text)));
        flush(stdio);
        sandbox.markSaved(LabScript.of(sandbox));
        return true;
    }

    /**
     * Runs {@code body} with {@code session} as the machine's shell process, the one whose
     * background jobs run while it waits: a script's shell, the terminal a transcript replays
     * in. (Every shell that runs commands without a terminal goes through here.)
     */
    public static <T> T asShellProcess(ShellSession session, java.util.function.Supplier<T> body) {
        var scheduler = session.sandbox().kernel().scheduler();
        // the shell is the machine's first process; its jobs run while it waits
        session.setTask(scheduler.attach(ShellSession.PID, "bash"));
        try {
            return body.get();
        } finally {
            scheduler.detach();
        }
    }

    /**
     * bash's {@code check_binary_file}: an ELF header, or a NUL among the first 80 bytes
     * before the first newline (anywhere in them after a {@code #!} line), makes a script a
     * binary file that bash will not run.
     */
    public static boolean binary(byte[] bytes) {
        int n = Math.min(bytes.length, 80);
        if (n >= 4 && bytes[0] == 0x7f && bytes[1] == 'E' && bytes[2] == 'L' && bytes[3] == 'F') {
            return true;
        }
        boolean interpreterLine = n >= 2 && bytes[0] == '#' && bytes[1] == '!';
        for (int i = 0; i < n; i++) {
            if (bytes[i] == '\n' && !interpreterLine) {
                return false;
            }
            if (bytes[i] == 0) {
                return true;
            }
        }
        return false;
    }

    /** The variables bash takes from its environment that say something about the user's terminal. */
    static void inherit(ShellSession session, Stdio stdio) {
        for (String name : new String[] {"TERM", "LANG", "LC_ALL", "COLORTERM"}) {
            String v = stdio.env().get(name);
            if (v != null) {
                session.variables().put(name, v);
            }
        }
    }

    /** {@code $COLUMNS}, as ls falls back on when it cannot ask the terminal. */
    static int columns(Map<String, String> env) {
        try {
            return Integer.parseInt(env.getOrDefault("COLUMNS", "80"));
        } catch (NumberFormatException e) {
            return 80;
        }
    }

    private static void flush(Stdio stdio) {
        try {
            stdio.out().flush();
            stdio.err().flush();
        } catch (IOException e) {
            // nothing to do: the stream is gone
        }
    }

    static void write(OutputStream out, String s) {
        try {
            out.write(s.getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            // nothing to do: the stream is gone
        }
    }
}
