package dev.ipsim.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipsim.shell.script.Interpreter;
import dev.ipsim.shell.script.ScriptRunner;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The machine's process table holds the processes that live, not every one that ever ran:
 * each program a script runs is a process (bash's fork), and a long script (the million-line
 * fuzz run) must not keep them all, with the shell session each one had.
 */
class ProcessTableTest {

    @TempDir
    Path dir;

    private static String run(ShellSession session, String script) {
        ScriptRunner.run(new Interpreter(session), ScriptRunner.lines(script));
        return "";
    }

    private static ShellSession session(Sandbox s, ByteArrayOutputStream out) {
        return new ShellSession(s, ShellSession.Mode.FILE, "t", InputStream.nullInputStream(), out, out, false);
    }

    @Test
    void programsThatEndedLeaveTheTable() {
        Sandbox s = Main.boot(true, 7, dir);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ShellSession shell = session(s, out);
        // as a script runs: the shell is a process, and so is each program it starts (a job too)
        int[] sizes = Main.asShellProcess(shell, () -> {
            int before = s.processTableSize();
            run(shell, "i=0; while [ $i -lt 300 ]; do ip -br link show lo > /dev/null;"
                    + " sysctl -n net.ipv4.ip_forward > /dev/null & i=$((i+1)); done; wait; echo $i");
            return new int[] {before, s.processTableSize()};
        });
        assertEquals("300\n", out.toString(StandardCharsets.UTF_8));
        // 600 programs ran, 300 of them as jobs: none of them is left, only the shell
        assertEquals(1, sizes[0]);
        assertEquals(sizes[0], sizes[1]);
    }

    @Test
    void aJobIsInTheTableWhileItRuns() {
        Sandbox s = Main.boot(true, 7, dir);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ShellSession shell = session(s, out);
        Main.asShellProcess(shell, () -> run(shell, "ip netns add red; ip netns exec red sleep 10 &"
                + " sleep 1; ip netns pids red; wait; echo done; ip netns pids red; echo $?"));
        String printed = out.toString(StandardCharsets.UTF_8);
        // the job's pid while it slept in red, then nothing: it left the table when it ended
        assertTrue(printed.matches("[0-9]+\ndone\n0\n"), printed);
        assertEquals(0, s.processIds().size(), () -> "live: " + s.processIds());
        assertTrue(s.processTableSize() <= 1, () -> "table: " + s.processTableSize());
    }
}
