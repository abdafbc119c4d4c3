package dev.ipsim.bench;

import dev.ipsim.shell.Main;
import dev.ipsim.shell.Sandbox;
import dev.ipsim.shell.ShellSession;
import dev.ipsim.shell.script.Interpreter;
import dev.ipsim.shell.script.ScriptRunner;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A bare ipsim machine driven as a script drives it ({@code ipsim --bare FILE}): the same
 * parser, interpreter, tools and kernel model, without the process around them. Its working
 * directory ({@code /root} inside) is a fresh temporary directory, where batch files go.
 */
final class Machine {

    final Path directory;
    final Sandbox sandbox;
    private final Interpreter interpreter;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    Machine() {
        try {
            directory = Files.createTempDirectory("ipsim-bench");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        sandbox = Main.boot(true, 1, directory);
        ShellSession session = new ShellSession(sandbox, ShellSession.Mode.FILE, "bench.sh",
                new ByteArrayInputStream(new byte[0]), out, err, false);
        interpreter = new Interpreter(session);
    }

    /** Writes a file into the machine's working directory. */
    Machine file(String name, CharSequence text) {
        try {
            Files.writeString(directory.resolve(name), text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /**
     * Runs script lines; fails unless the last command's status is 0 and nothing went to
     * standard error, so that a benchmark never measures a failing lab.
     */
    String run(String script) {
        out.reset();
        err.reset();
        int status = Main.asShellProcess(interpreter.session(),
                () -> ScriptRunner.run(interpreter, ScriptRunner.lines(script)));
        if (status != 0 || err.size() > 0) {
            throw new IllegalStateException("status " + status + ": " + err.toString(StandardCharsets.UTF_8)
                    + " after " + tail(out.toString(StandardCharsets.UTF_8)));
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String tail(String s) {
        return s.length() > 2000 ? s.substring(s.length() - 2000) : s;
    }

    /** The i-th address of 10.0.0.0/8 past 10.0.0.0, dotted. */
    static String address(int i) {
        return "10." + ((i >> 16) & 255) + "." + ((i >> 8) & 255) + "." + (i & 255);
    }
}
