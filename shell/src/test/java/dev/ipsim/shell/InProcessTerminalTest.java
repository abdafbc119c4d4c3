package dev.ipsim.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipsim.commands.ColorWhen;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import org.jline.terminal.Size;
import org.jline.terminal.impl.ExternalTerminal;
import org.jline.utils.InfoCmp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The interactive shell on an xterm that lives in the test (JLine's {@link ExternalTerminal}:
 * a line discipline over in-memory streams, no pseudo-terminal, no host process), read back
 * through {@link Screen}: Tab completes namespaces, devices and keywords through the line
 * editor as a person sees it, and {@code --color} decides the highlighting. Runs everywhere,
 * unlike {@link PseudoTerminalTest}, which needs util-linux's {@code script}.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class InProcessTerminalTest {

    private static final long WAIT = 20_000;
    private static final String PROMPT = "root@ipsim:~# ";

    @TempDir
    Path dir;

    /** Keys as the terminal's input: blocks until the test types more. */
    private static final class Keyboard extends InputStream {
        private final LinkedBlockingQueue<Integer> keys = new LinkedBlockingQueue<>();

        void type(String text) {
            for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
                keys.add(b & 0xFF);
            }
        }

        void close(boolean done) {
            if (done) {
                keys.add(-1);
            }
        }

        @Override
        public int read() throws IOException {
            try {
                return keys.take();
            } catch (InterruptedException e) {
                throw new java.io.InterruptedIOException();
            }
        }

        /** What has been typed so far, at least one byte (InputStream's would wait for {@code len}). */
        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            int c = read();
            if (c < 0) {
                return -1;
            }
            b[off] = (byte) c;
            int n = 1;
            Integer next;
            while (n < len && (next = keys.peek()) != null && next >= 0) {
                b[off + n++] = (byte) (int) keys.poll();
            }
            return n;
        }
    }

    /** A shell on the in-memory terminal, running in a thread of its own. */
    private final class Session implements AutoCloseable {
        final Screen screen = new Screen(80);
        final Keyboard keyboard = new Keyboard();
        final ExternalTerminal terminal;
        final Thread shell;
        volatile int status = -1;

        Session(ColorWhen color) throws IOException {
            OutputStream display = new OutputStream() {
                @Override
                public void write(int b) {
                    screen.write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    screen.write(b, off, len);
                }
            };
            // JLine would ask the host's infocmp about a type it has not loaded (as Repl avoids)
            InfoCmp.setLoadedInfoCmp("xterm", InfoCmp.getDefaultInfoCmp("xterm"));
            terminal = new ExternalTerminal("test", "xterm", keyboard, display, StandardCharsets.UTF_8);
            terminal.setSize(new Size(80, 24));
            Sandbox sandbox = Main.boot(true, 7, dir);
            sandbox.setColor(color);
            // what commands write reaches the screen through the tty's output processing (ONLCR)
            OutputStream tty = new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    if (b == '\n') {
                        display.write('\r');
                    }
                    display.write(b);
                }
            };
            Main.Stdio stdio = new Main.Stdio(new ByteArrayInputStream(new byte[0]), tty, tty, true, true, true,
                    dir, Map.of("TERM", "xterm"), null, false);
            shell = new Thread(() -> status = Repl.run(sandbox, terminal, stdio, ShellSession.WallClock.SYSTEM));
            shell.setDaemon(true);
            shell.start();
        }

        void type(String text) {
            keyboard.type(text);
        }

        void expectLine(String line) throws InterruptedException {
            assertTrue(screen.awaitLine(line, WAIT), () -> "expected the cursor's line to be\n" + line
                    + "\nscreen:\n" + screen.text() + "\nas written:\n" + screen.raw().replace("\033", "^["));
        }

        void expect(String text) throws InterruptedException {
            assertTrue(screen.await(text, WAIT), () -> "expected on the screen:\n" + text + "\nscreen:\n"
                    + screen.text() + "\nas written:\n" + screen.raw().replace("\033", "^["));
        }

        /** Runs a command line and waits for the next prompt. */
        void run(String line) throws InterruptedException {
            expectLine(PROMPT);
            type(line + "\r");
            expect(PROMPT + line + "\n");
            expectLine(PROMPT);
        }

        int exit() throws InterruptedException {
            type("\025\004");
            shell.join(WAIT);
            assertTrue(!shell.isAlive(), () -> "still running:\n" + screen.text());
            return status;
        }

        @Override
        public void close() throws IOException {
            keyboard.close(shell.isAlive());
            terminal.close();
        }
    }

    @Test
    void tabCompletesNamespacesDevicesAndKeywordsThroughTheLineEditor() throws Exception {
        try (Session s = new Session(ColorWhen.AUTO)) {
            s.run("ip netns add blue");
            s.run("ip link add veth0 type veth peer name veth1 netns blue");
            // a namespace's name, then a device only that namespace has
            s.type("ip -n bl\t");
            s.expectLine(PROMPT + "ip -n blue ");
            s.type("link show ve\t");
            s.expectLine(PROMPT + "ip -n blue link show veth1 ");
            s.type("\r");
            s.expect("2: veth1@if2: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT");
            s.expectLine(PROMPT);
            // a link kind, then an ambiguous keyword: the common prefix, and Tab again lists them
            s.type("ip link add br0 type bri\t");
            s.expectLine(PROMPT + "ip link add br0 type bridge ");
            s.type("\025ip link set veth0 m\t\t");
            s.expect("master      mtu         multicast");
            s.expectLine(PROMPT + "ip link set veth0 m");
            // the devices of the host's namespace, and a sysctl key one level at a time
            s.type("\025ip link set v\t");
            s.expectLine(PROMPT + "ip link set veth0 ");
            s.type("\025sysctl net.ipv4.ip_fo\t");
            s.expectLine(PROMPT + "sysctl net.ipv4.ip_forward");
            s.type("\025");
            s.expectLine(PROMPT);
            assertEquals(0, s.exit());
        }
    }

    @Test
    void anUnknownCommandIsRedUnlessColourIsOff() throws Exception {
        try (Session s = new Session(ColorWhen.AUTO)) {
            s.expectLine(PROMPT);
            s.type("nosuch");
            s.expectLine(PROMPT + "nosuch");
            assertEquals(" ".repeat(PROMPT.length()) + "111111", s.screen.cursorLineColors());
            s.exit();
        }
        try (Session s = new Session(ColorWhen.NEVER)) {
            s.expectLine(PROMPT);
            s.type("nosuch");
            s.expectLine(PROMPT + "nosuch");
            assertEquals("", s.screen.cursorLineColors());
            assertTrue(!s.screen.raw().contains("\033[31m") && !s.screen.raw().contains(";31m"),
                    () -> s.screen.raw().replace("\033", "^["));
            s.exit();
        }
    }
}
