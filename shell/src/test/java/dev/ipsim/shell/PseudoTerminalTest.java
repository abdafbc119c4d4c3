package dev.ipsim.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * ipsim as a person uses it: started by the launcher's command in a real pseudo-terminal
 * (util-linux's {@code script}, in Debian's essential set), with keys typed one batch at a
 * time and the screen read back through a terminal emulator ({@link Screen}): Tab completion
 * from the lab's state, a ping stopped by Ctrl-C, history with the Up arrow and across
 * sessions, an unknown command in red, Ctrl-D to leave. The test starts host processes (the
 * JVM under test, and {@code script}); ipsim itself starts none.
 */
@Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PseudoTerminalTest {

    private static final long WAIT = 20_000;
    private static final String PROMPT = "root@ipsim:~# ";

    @TempDir
    Path dir;

    /** A session in a pty: its screen, and the keyboard. */
    private final class Session implements AutoCloseable {
        final Process process;
        final Screen screen = new Screen(80);
        final OutputStream keys;

        Session(Path history) throws IOException {
            this(history, DEFAULT_SIGINT);
        }

        /** @param sigint how {@code env} starts ipsim's JVM as to SIGINT */
        Session(Path history, String sigint) throws IOException {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            // A program started from a background job (a CI script's `mvn ... &`) inherits SIGINT
            // ignored, and the JVM never handles a signal ignored at its start: Ctrl-C at the
            // prompt would reach nobody. A person's terminal starts ipsim with SIGINT at its
            // default; coreutils' env restores that.
            // script runs the command with $SHELL -c, /bin/sh where SHELL is unset (as in CI):
            // dash stays as the parent, gets the terminal's SIGINT with its child and, once the
            // child has exited, ends itself by that signal (exit 130). exec leaves ipsim alone
            // in the terminal's foreground group, as an interactive bash starts it.
            String command = String.join(" ", List.of("exec", sigint, java, "-XX:TieredStopAtLevel=1",
                    "-XX:+UseSerialGC",
                    "-Dipsim.tty=012", "-Djline.tmpdir=" + dir, "-cp", System.getProperty("java.class.path"),
                    "dev.ipsim.shell.Main", "--bare", "--seed", "7"));
            ProcessBuilder pb = new ProcessBuilder("script", "-qfec", command, "/dev/null");
            pb.environment().put("TERM", "xterm");
            pb.environment().put("IPSIM_HISTFILE", history.toString());
            pb.directory(dir.toFile());
            pb.redirectErrorStream(true);
            process = pb.start();
            keys = process.getOutputStream();
            Thread reader = new Thread(() -> {
                byte[] buf = new byte[4096];
                try (InputStream in = process.getInputStream()) {
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        screen.write(buf, 0, n);
                    }
                } catch (IOException e) {
                    // the process is gone
                }
            });
            reader.setDaemon(true);
            reader.start();
        }

        /**
         * Types {@code text}. Wait for the prompt before typing a new line: until the shell reads
         * again the terminal is in cooked mode and echoes type-ahead itself.
         */
        void type(String text) throws IOException {
            keys.write(text.getBytes(StandardCharsets.UTF_8));
            keys.flush();
        }

        void expectLine(String line) throws InterruptedException {
            assertTrue(screen.awaitLine(line, WAIT), () -> "expected the cursor's line to be\n" + line
                    + "\nscreen:\n" + screen.text() + "\nas written:\n" + screen.raw().replace("\033", "^["));
        }

        void expect(String text) throws InterruptedException {
            assertTrue(screen.await(text, WAIT), () -> "expected on the screen:\n" + text + "\nscreen:\n"
                    + screen.text() + "\nas written:\n" + screen.raw().replace("\033", "^["));
        }

        int exit() throws InterruptedException {
            assertTrue(process.waitFor(WAIT, TimeUnit.MILLISECONDS), () -> "still running:\n" + screen.text());
            return process.exitValue();
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    /** Starts a program with SIGINT at its default disposition (coreutils 8.31 and later). */
    private static final String DEFAULT_SIGINT = "env --default-signal=INT";

    private static boolean hasScript() {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(d, "script"))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void typingTabCtrlCHistoryAndCtrlDInARealTerminal() throws Exception {
        assumeTrue(hasScript(), "util-linux's script(1) is not installed: no pseudo-terminal to run ipsim in");
        Path history = dir.resolve("history");
        try (Session s = new Session(history)) {
            s.expectLine(PROMPT);
            s.type("ip netns add blue\r");
            s.expect(PROMPT + "ip netns add blue\n" + PROMPT);
            s.type("ip link add veth0 type veth peer name veth1 netns blue\r");
            s.expect("netns blue\n" + PROMPT);
            // Tab: the namespace's name, then a device that only that namespace has
            s.type("ip -n bl\t");
            s.expectLine(PROMPT + "ip -n blue ");
            s.type("link show ve\t");
            s.expectLine(PROMPT + "ip -n blue link show veth1 ");
            s.type("\r");
            s.expect("2: veth1@if2: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT");
            // keys typed before the next prompt would be echoed by the tty (cooked mode, as
            // under bash) where the command's output ends, and the prompt would follow them
            s.expectLine(PROMPT);
            // two Tabs list what is ambiguous, and the line stays as it was
            s.type("ip link set veth0 m\t\t");
            s.expect("master");
            s.expect("multicast");
            s.expectLine(PROMPT + "ip link set veth0 m");
            s.type("\025");
            s.expectLine(PROMPT);
            // Ctrl-C ends the ping, which prints its statistics and succeeds
            s.type("ping 127.0.0.1\r");
            s.expect("icmp_seq=2 ttl=64");
            s.type("\003");
            s.expect("--- 127.0.0.1 ping statistics ---");
            s.expectLine(PROMPT);
            s.type("echo status $?\r");
            s.expect("status 0\n" + PROMPT);
            // an unknown command shows in red while it is typed
            s.type("nosuch");
            s.expectLine(PROMPT + "nosuch");
            assertEquals(" ".repeat(PROMPT.length()) + "111111", s.screen.cursorLineColors());
            s.type(" ; ip");
            s.expectLine(PROMPT + "nosuch ; ip");
            assertEquals(" ".repeat(PROMPT.length()) + "111111", s.screen.cursorLineColors());
            s.type("\003");
            s.expect(PROMPT + "nosuch ; ip^C\n" + PROMPT);
            // Up brings the last command back
            s.type("\033[A");
            s.expectLine(PROMPT + "echo status $?");
            s.type("\r");
            s.expect("status 130\n" + PROMPT);
            s.type("\004");
            s.expect(PROMPT + "\nexit");
            // the lab changed: the first Ctrl-D is stopped once, the second leaves
            s.expect("to leave\n" + PROMPT);
            s.type("\004");
            assertEquals(0, s.exit());
        }
        List<String> kept = Files.readAllLines(history);
        assertEquals("echo status $?", kept.get(kept.size() - 1).replaceFirst("^\\d+:", ""));
        // the next session finds them: Up, Up
        try (Session s = new Session(history)) {
            s.expectLine(PROMPT);
            s.type("\033[A\033[A");
            s.expectLine(PROMPT + "ping 127.0.0.1");
            s.type("\025\004");
            s.expect("exit");
            s.exit();
        }
    }

    /**
     * Started with SIGINT ignored (from a script's {@code cmd &}), the JVM never gets SIGINT; bash
     * in that place still takes Ctrl-C at the prompt, as readline reads it: the line shows
     * {@code ^C}, a new prompt follows and {@code $?} is 130.
     */
    @Test
    void ctrlCAtThePromptWithSigintIgnored() throws Exception {
        assumeTrue(hasScript(), "util-linux's script(1) is not installed: no pseudo-terminal to run ipsim in");
        try (Session s = new Session(dir.resolve("history"), "env --ignore-signal=INT")) {
            s.expectLine(PROMPT);
            s.type("echo abc");
            s.expectLine(PROMPT + "echo abc");
            s.type("\003");
            s.expect(PROMPT + "echo abc^C\n" + PROMPT);
            s.type("echo status $?\r");
            s.expect("status 130\n" + PROMPT);
            s.type("\004");
            s.expect("exit");
            assertEquals(0, s.exit());
        }
    }
}
