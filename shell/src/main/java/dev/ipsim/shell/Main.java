package dev.ipsim.shell;

import dev.ipsim.kernel.Kernel;
import dev.ipsim.shell.script.Interpreter;
import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * {@code ipsim [--bare] [--seed N] [-c COMMAND | FILE]}.
 *
 * <p>With a terminal on standard input and no script, an interactive shell; otherwise it runs
 * the script and prints exactly what bash would: command output and errors in order, no prompt.
 * Scripts never load the line editor, so they start fast.
 */
public final class Main {

    static final String USAGE = """
            Usage: ipsim [--bare] [--seed N] [-c COMMAND | FILE]
              --bare      start with only lo, up (a fresh network namespace)
              --seed N    make MAC addresses and every random choice reproducible
              -c COMMAND  run COMMAND and exit with its status
              FILE        run the script FILE and exit with its status
            With neither, ipsim reads commands from a terminal, or a script from standard input.
            """;

    private Main() {
    }

    /** Parsed command line. */
    record Options(boolean bare, Long seed, String command, String file, boolean help, boolean version) {
    }

    static Options parse(String[] args) {
        boolean bare = false;
        Long seed = null;
        String command = null;
        String file = null;
        boolean help = false;
        boolean version = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--bare" -> bare = true;
                case "--seed" -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("--seed needs a number");
                    }
                    try {
                        seed = Long.parseLong(args[++i]);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--seed needs a number, not '" + args[i] + "'");
                    }
                }
                case "-c" -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("-c: option requires an argument");
                    }
                    command = args[++i];
                }
                case "-h", "--help" -> help = true;
                case "--version" -> version = true;
                default -> {
                    if (a.startsWith("-") && file == null) {
                        throw new IllegalArgumentException(a + ": invalid option");
                    }
                    if (file == null && command == null) {
                        file = a;
                    }
                }
            }
        }
        return new Options(bare, seed, command, file, help, version);
    }

    /** Builds the machine a session runs on. */
    public static Sandbox boot(boolean bare, long seed, Path workingDirectory) {
        Kernel kernel = new Kernel(seed, System.currentTimeMillis() * 1_000_000L, 2);
        if (bare) {
            HostProfile.loopbackUp(kernel.initNamespace());
        } else {
            HostProfile.vm(kernel);
        }
        return new Sandbox(kernel, workingDirectory, "ipsim");
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        Options o;
        OutputStream stdout = new FileOutputStream(FileDescriptor.out);
        OutputStream stderr = new FileOutputStream(FileDescriptor.err);
        try {
            o = parse(args);
        } catch (IllegalArgumentException e) {
            write(stderr, "ipsim: " + e.getMessage() + "\n" + USAGE);
            return 2;
        }
        if (o.help()) {
            write(stdout, USAGE);
            return 0;
        }
        if (o.version()) {
            write(stdout, "ipsim 0.1.0\n");
            return 0;
        }
        long seed = o.seed() != null ? o.seed() : System.nanoTime();
        Path cwd = Path.of("").toAbsolutePath();
        Sandbox sandbox = boot(o.bare(), seed, cwd);
        boolean stdoutTty = System.console() != null;
        if (o.command() != null) {
            ShellSession s = new ShellSession(sandbox, ShellSession.Mode.STDIN, "bash", stdout, stderr, stdoutTty);
            return new Interpreter(s).runScript(o.command());
        }
        if (o.file() != null) {
            String text;
            try {
                text = Files.readString(cwd.resolve(o.file()), StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                write(stderr, "ipsim: " + o.file() + ": No such file or directory\n");
                return 127;
            } catch (IOException e) {
                write(stderr, "ipsim: " + o.file() + ": " + e.getMessage() + "\n");
                return 126;
            }
            ShellSession s = new ShellSession(sandbox, ShellSession.Mode.FILE, o.file(), stdout, stderr, stdoutTty);
            return new Interpreter(s).runScript(text);
        }
        if (System.console() != null) {
            return Repl.run(sandbox);
        }
        String text;
        try {
            text = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return 1;
        }
        ShellSession s = new ShellSession(sandbox, ShellSession.Mode.STDIN, "bash", stdout, stderr, false);
        return new Interpreter(s).runScript(text);
    }

    private static void write(OutputStream out, String s) {
        try {
            out.write(s.getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            // nothing to do: the stream is gone
        }
    }
}
