package dev.ipsim.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;
import org.jline.utils.InfoCmp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The interactive shell driven through JLine's dumb terminal: what is typed goes in, and the
 * test compares the exact screen (the prompt and the editor write to standard error, commands
 * to standard output, both on the same screen here). A dumb terminal does not echo what is
 * typed, so the transcript shows prompts and output only.
 */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ReplTest {

    @TempDir
    Path dir;

    /** A session's screen and exit status. */
    record Session(String screen, int status) {
    }

    private Session type(String input) {
        return type(input, null);
    }

    private Session type(String input, Path history) {
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        Main.Stdio stdio = new Main.Stdio(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), screen,
                screen, true, true, true, dir, Map.of("TERM", "dumb"), history, false);
        int status = Main.run(new String[] {"--bare", "--seed", "7"}, stdio);
        return new Session(screen.toString(StandardCharsets.UTF_8), status);
    }

    @Test
    void promptCommandsAndExit() {
        Session s = type("ip -br link\nfoo\necho $?\nexit 3\n");
        assertEquals("root@ipsim:~# lo               UNKNOWN        00:00:00:00:00:00 <LOOPBACK,UP,LOWER_UP> \n"
                + "root@ipsim:~# bash: foo: command not found\n"
                + "root@ipsim:~# 127\n"
                + "root@ipsim:~# exit\n", s.screen());
        assertEquals(3, s.status());
    }

    @Test
    void leavingWithUnsavedChangesIsStoppedOnce() {
        Session s = type("ip link add d0 type dummy\nexit\nexit 4\n");
        assertEquals("root@ipsim:~# root@ipsim:~# exit\n"
                + "ipsim: the lab has changes that are not saved (save FILE keeps them); exit again to leave\n"
                + "root@ipsim:~# exit\n", s.screen());
        assertEquals(4, s.status());
        Session eof = type("ip link add d0 type dummy\n");
        assertEquals("root@ipsim:~# root@ipsim:~# \nexit\n"
                + "ipsim: the lab has changes that are not saved (save FILE keeps them); exit again to leave\n"
                + "root@ipsim:~# \nexit\n", eof.screen());
    }

    @Test
    void aSavedOrUnchangedLabLeavesAtOnce() {
        assertEquals("root@ipsim:~# root@ipsim:~# root@ipsim:~# exit\n",
                type("ip link add d0 type dummy\nsave lab.sh\nexit\n").screen());
        assertEquals("root@ipsim:~# root@ipsim:~# root@ipsim:~# exit\n",
                type("ip link add d0 type dummy\nip link del d0\nexit\n").screen());
    }

    @Test
    void continuationPromptForAnOpenQuoteAndATrailingOperator() {
        Session s = type("echo \"a\nb\"\ntrue &&\necho c\n");
        assertEquals("root@ipsim:~# > a\nb\nroot@ipsim:~# > c\nroot@ipsim:~# \nexit\n", s.screen());
    }

    @Test
    void endOfInputOnAnEmptyLineSaysExitWithTheLastStatus() {
        Session s = type("false\n");
        assertEquals("root@ipsim:~# root@ipsim:~# \nexit\n", s.screen());
        assertEquals(1, s.status());
    }

    @Test
    void endOfInputAfterAnOperatorIsASyntaxErrorAndEndsTheShell() {
        Session s = type("echo a |\n");
        assertEquals("root@ipsim:~# > \nbash: syntax error: unexpected end of file\nexit\n", s.screen());
        assertEquals(2, s.status());
    }

    @Test
    void syntaxErrorsAreOneLineAndTheShellGoesOn() {
        Session s = type("echo a; ;\necho $?\n");
        assertEquals("root@ipsim:~# bash: syntax error near unexpected token `;'\nroot@ipsim:~# 2\n"
                + "root@ipsim:~# \nexit\n", s.screen());
    }

    @Test
    void ctrlCAbandonsTheLineAndSetsStatus130() {
        Session s = type("echo \"never\n\u0003echo $?\n");
        assertEquals("root@ipsim:~# > ^C\nroot@ipsim:~# 130\nroot@ipsim:~# \nexit\n", s.screen());
    }

    @Test
    void promptFollowsTheWorkingDirectory() {
        Session s = type("cd /proc/sys/net\ncd\ncd /\n");
        assertEquals("root@ipsim:~# root@ipsim:/proc/sys/net# root@ipsim:~# root@ipsim:/# \nexit\n", s.screen());
    }

    @Test
    void lsLaysOutColumnsAtTheTerminal() {
        Session s = type("ls /sys/class/net/lo/queues /sys/class/net/lo/power\n");
        // a dumb terminal has no width: ls takes 80 columns, as GNU ls does
        assertEquals("root@ipsim:~# /sys/class/net/lo/power:\n"
                + "autosuspend_delay_ms  runtime_active_time  runtime_suspended_time\n"
                + "control\t\t      runtime_status\n"
                + "\n/sys/class/net/lo/queues:\nrx-0  tx-0\n"
                + "root@ipsim:~# \nexit\n", s.screen());
    }

    /**
     * A wall clock that runs only while a program of this name runs (fast: each wait of the
     * pacer passes at once), and presses Ctrl-C when it has run {@code interruptAfter}.
     */
    private static ShellSession.WallClock stopwatch(Sandbox sandbox, String program, long interruptAfter,
                                                    Terminal[] terminal, long[] now) {
        return new ShellSession.WallClock() {
            boolean pressed;

            @Override
            public long nanoTime() {
                return now[0];
            }

            @Override
            public void sleep(long nanos) throws InterruptedException {
                boolean running = sandbox.kernel().scheduler().tasks().stream()
                        .anyMatch(t -> t.name().equals(program));
                if (running && !pressed) {
                    now[0] += Math.min(nanos, interruptAfter - now[0]);
                    if (now[0] >= interruptAfter) {
                        pressed = true;
                        terminal[0].raise(Terminal.Signal.INT);
                    }
                }
                Thread.sleep(1);
            }
        };
    }

    @Test
    void ctrlCInterruptsASleepingCommand() {
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        ByteArrayInputStream in = new ByteArrayInputStream("sleep 30\necho $?\n".getBytes(StandardCharsets.UTF_8));
        Main.Stdio stdio = new Main.Stdio(in, screen, screen, true, true, true, dir, Map.of(), null, false);
        Sandbox sandbox = Main.boot(true, 7, dir);
        long start = sandbox.kernel().clock().nanos();
        Terminal[] terminal = new Terminal[1];
        ShellSession.WallClock clock = stopwatch(sandbox, "sleep", 2_000_000_000L, terminal, new long[1]);
        int status;
        try (DumbTerminal t = new DumbTerminal("test", Terminal.TYPE_DUMB, in, screen, StandardCharsets.UTF_8)) {
            terminal[0] = t;
            status = Repl.run(sandbox, t, stdio, clock);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        assertEquals("root@ipsim:~# \nroot@ipsim:~# 130\nroot@ipsim:~# \nexit\n", screen.toString(StandardCharsets.UTF_8));
        assertEquals(0, status);
        // the sleep lasted two seconds of wall time, and as long in the sandbox
        assertEquals(2_000_000_000L, sandbox.kernel().clock().nanos() - start);
    }

    @Test
    void pingKeepsWallTimeAndCtrlCEndsItWithItsStatistics() {
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        ByteArrayInputStream in = new ByteArrayInputStream("ping 127.0.0.1\necho $?\n".getBytes(StandardCharsets.UTF_8));
        Main.Stdio stdio = new Main.Stdio(in, screen, screen, true, true, true, dir, Map.of(), null, false);
        Sandbox sandbox = Main.boot(true, 7, dir);
        long start = sandbox.kernel().clock().nanos();
        Terminal[] terminal = new Terminal[1];
        long[] now = new long[1];
        // ping waits at the wall clock's pace; once 2.5 s have passed, the user presses Ctrl-C
        ShellSession.WallClock clock = stopwatch(sandbox, "ping", 2_500_000_000L, terminal, now);
        int status;
        try (DumbTerminal t = new DumbTerminal("test", Terminal.TYPE_DUMB, in, screen, StandardCharsets.UTF_8)) {
            terminal[0] = t;
            status = Repl.run(sandbox, t, stdio, clock);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        String shown = screen.toString(StandardCharsets.UTF_8).replaceAll("time=[0-9.]+ ms", "time=T ms")
                .replaceAll("rtt min/avg/max/mdev = [0-9./]+ ms", "rtt T").replaceAll("time [0-9]+ms", "time Tms");
        // three echo requests a second apart, then SIGINT: ping prints its statistics and exits
        // 0 on its own, so bash adds no new line and $? is ping's
        assertEquals("root@ipsim:~# PING 127.0.0.1 (127.0.0.1) 56(84) bytes of data.\n"
                + "64 bytes from 127.0.0.1: icmp_seq=1 ttl=64 time=T ms\n"
                + "64 bytes from 127.0.0.1: icmp_seq=2 ttl=64 time=T ms\n"
                + "64 bytes from 127.0.0.1: icmp_seq=3 ttl=64 time=T ms\n"
                + "\n--- 127.0.0.1 ping statistics ---\n"
                + "3 packets transmitted, 3 received, 0% packet loss, time Tms\n"
                + "rtt T\n"
                + "root@ipsim:~# 0\nroot@ipsim:~# \nexit\n", shown);
        assertEquals(0, status);
        // the sandbox kept the wall clock's pace, and counted that time once (the 2 ms ping's
        // start costs are within it)
        assertEquals(now[0], sandbox.kernel().clock().nanos() - start);
    }

    @Test
    void historyIsKeptAcrossSessionsOneEntryPerCommand() throws Exception {
        Path history = dir.resolve("history");
        type("echo one\necho \"two\nlines\"\n echo secret\n", history);
        type("echo three\necho three\n", history);
        assertEquals("echo one\necho \"two\\nlines\"\necho three\n", Files.readString(history));
    }

    @Test
    void terminalTypesAreOnesJLineCarriesSoItNeverRunsInfocmp() {
        // JLine runs `infocmp -x TYPE` for any type whose capabilities are not marked loaded
        for (String[] c : new String[][] {{"xterm-kitty", "xterm"}, {"tmux-256color", "screen-256color"},
                {"xterm-256color", "xterm-256color"}, {"alacritty", "xterm"}, {"dumb", "dumb"}}) {
            Main.Stdio stdio = new Main.Stdio(InputStream.nullInputStream(), OutputStream.nullOutputStream(),
                    OutputStream.nullOutputStream(), true, true, true, dir, Map.of("TERM", c[0]), null, true);
            String type = Repl.terminalType(stdio);
            assertEquals(c[1], type, c[0]);
            assertNotNull(InfoCmp.getLoadedInfoCmp(type), type);
        }
    }

    @Test
    void capabilitiesReadAtOnceAreJLinesOwn() {
        for (String type : Repl.CARRIED_TYPES) {
            assertEquals(InfoCmp.getDefaultInfoCmp(type), Repl.defaultCaps(type), type);
        }
        assertEquals(null, Repl.defaultCaps("no-such-terminal"));
    }

    @Test
    void historyNumbersCommandsAsBashDoes() {
        Session s = type("echo one\necho \"two\nlines\"\nhistory\n");
        assertEquals("root@ipsim:~# one\nroot@ipsim:~# > two\nlines\nroot@ipsim:~#     1  echo one\n"
                + "    2  echo \"two\nlines\"\n    3  history\nroot@ipsim:~# \nexit\n", s.screen());
    }

    @Test
    void aHereDocumentAsksForItsLinesWithTheContinuationPrompt() {
        Session s = type("cat <<EOF\none $((1+1))\nEOF\n");
        assertEquals("root@ipsim:~# > > one 2\nroot@ipsim:~# \nexit\n", s.screen());
    }
}
