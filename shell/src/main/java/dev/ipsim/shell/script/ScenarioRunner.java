package dev.ipsim.shell.script;

import dev.ipsim.shell.Sandbox;
import dev.ipsim.shell.ShellSession;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Replays an oracle scenario in a sandbox exactly as {@code oracle/record} runs it on a real
 * kernel: each command after a {@code $ } marker, stdout and stderr merged, {@code echo $?}
 * lines printing the previous status, and bash diagnostics numbered by the line the recorder's
 * generated script would have given the command.
 */
public final class ScenarioRunner {

    /** The script name {@code oracle/record}'s generated script has in diagnostics. */
    public static final String SCRIPT_NAME = "SCRIPT";
    /** Lines the recorder puts before the first command: netns tmpfs, sysfs, lo up. */
    private static final int PREAMBLE_LINES = 3;

    private ScenarioRunner() {
    }

    /** Runs a scenario text and returns what a terminal would have shown. */
    public static String run(Sandbox sandbox, String scenario) {
        // `# resolv.conf: LINE`: the scenario's /etc/resolv.conf (the recorder bind-mounts it)
        StringBuilder resolv = new StringBuilder();
        for (String l : scenario.split("\n")) {
            if (l.startsWith("# resolv.conf: ")) {
                resolv.append(l.substring("# resolv.conf: ".length())).append('\n');
            }
        }
        if (resolv.length() > 0) {
            sandbox.etc().put("resolv.conf", resolv.toString());
        }
        ByteArrayOutputStream merged = new ByteArrayOutputStream();
        ShellSession session = new ShellSession(sandbox, ShellSession.Mode.FILE, SCRIPT_NAME,
                java.io.InputStream.nullInputStream(), merged, merged, false);
        Interpreter interpreter = new Interpreter(session);
        session.setTask(sandbox.kernel().scheduler().attach(ShellSession.PID, "bash"));
        try {
            replay(session, interpreter, scenario, merged);
        } finally {
            sandbox.kernel().scheduler().detach();
        }
        return merged.toString(StandardCharsets.UTF_8);
    }

    private static void replay(ShellSession session, Interpreter interpreter, String scenario,
                               ByteArrayOutputStream merged) {
        int line = PREAMBLE_LINES;
        for (String raw : scenario.split("\n", -1)) {
            if (raw.isEmpty() || raw.startsWith("#")) {
                continue;
            }
            // the recorder's script reads a line for each marker and each command
            session.jobs().notifyAndCleanup(session.err(), session.errorPrefix());
            if (raw.equals("echo $?")) {
                line += 1;
                write(merged, "$ echo $?\n" + session.lastStatus() + "\n");
                continue;
            }
            write(merged, "$ " + raw + "\n");
            line += 2;
            if (!interpreter.runLine(raw, line) || session.exitRequested()) {
                // a syntax error ends a non-interactive bash, as it ended the recorder's script
                break;
            }
        }
    }

    private static void write(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
    }
}
