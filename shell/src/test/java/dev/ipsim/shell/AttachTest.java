package dev.ipsim.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ipsim.kernel.proc.Task;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two terminals on one lab over the attach socket: each is a shell of its own (prompt, jobs,
 * foreground job), both on the same machine, at the wall clock's pace. A capture in one sees
 * the ping typed in the other; Ctrl-C in one leaves the other's command running.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AttachTest {

    @TempDir
    Path dir;

    /** One attached terminal: what it has shown so far, and its keyboard. */
    private static final class Term {
        final SocketChannel socket;
        final OutputStream keys;
        final StringBuffer screen = new StringBuffer();

        Term(Path path) throws IOException {
            socket = Attach.connect(path);
            keys = Attach.output(socket);
            keys.write(Attach.header("xterm", 100, 40));
            InputStream in = Attach.input(socket);
            Thread reader = new Thread(() -> {
                byte[] buf = new byte[4096];
                try {
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        screen.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                    }
                } catch (IOException e) {
                    // closed
                }
            });
            reader.setDaemon(true);
            reader.start();
        }

        void type(String keys) throws IOException {
            this.keys.write(keys.getBytes(StandardCharsets.UTF_8));
        }

        /** Waits until the screen shows {@code text} after position {@code from}; returns where it ends. */
        int await(String text, int from) {
            long until = System.nanoTime() + 60_000_000_000L;
            while (System.nanoTime() < until) {
                int at = screen.indexOf(text, from);
                if (at >= 0) {
                    return at + text.length();
                }
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }
            fail("never shown: " + text + "\n--- screen ---\n" + screen);
            return -1;
        }

        int prompt(int from) {
            return await("root@ipsim:~# ", from);
        }
    }

    @Test
    void aCaptureInOneTerminalSeesThePingTypedInTheOtherAndCtrlCStaysInItsTerminal() throws Exception {
        Sandbox sandbox = Main.boot(true, 7, dir);
        Path path = dir.resolve("run/ipsim.sock");
        try (Attach.Server server = Attach.Server.listen(sandbox, path)) {
            assertNotNull(server);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(path)));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(path.getParent())));
            // a second ipsim finds the first listening and leaves the socket to it
            assertNull(Attach.Server.listen(sandbox, path));

            Term one = new Term(path);
            Term two = new Term(path);
            int at1 = one.prompt(0);
            int at2 = two.prompt(0);
            // (IPv6 off on the pair: its link-up chatter would be captured before the ping)
            one.type("ip netns add ns1; ip link add veth0 type veth peer name veth1; ip link set veth1 netns ns1;"
                    + " sysctl -w net.ipv6.conf.veth0.disable_ipv6=1 > /dev/null;"
                    + " ip netns exec ns1 sysctl -w net.ipv6.conf.veth1.disable_ipv6=1 > /dev/null;"
                    + " ip addr add 10.0.0.1/24 dev veth0; ip link set veth0 up;"
                    + " ip -n ns1 addr add 10.0.0.2/24 dev veth1; ip -n ns1 link set veth1 up; cd /tmp\r");
            at1 = one.await("root@ipsim:/tmp# ", at1);
            one.type("ip netns exec ns1 tcpdump -n -i veth1 -c 4\r");
            at1 = one.await("listening on veth1, link-type EN10MB (Ethernet), snapshot length 262144 bytes", at1);
            // the other terminal has its own working directory, and the lab is the same
            // $$ is this shell's own process
            two.type("echo pid $$\r");
            // (the typed line's echo says "pid $$"; the answer is a number)
            at2 = two.await("pid 4", at2) - 1;
            int end = two.await("\r\n", at2);
            int pid = Integer.parseInt(two.screen.substring(at2, end - 2));
            Task shell = sandbox.kernel().scheduler().task(pid);
            assertTrue(pid != ShellSession.PID && shell != null && shell.name().equals("bash"), "pid " + pid);
            at2 = end;
            two.type("pwd; ip -br link show veth0\r");
            at2 = two.await("/root\r\nveth0@if2        UP", at2);
            at2 = two.prompt(at2);
            two.type("ping -c 2 10.0.0.2\r");
            at2 = two.await("2 packets transmitted, 2 received, 0% packet loss", at2);
            at2 = two.prompt(at2);
            at1 = one.await("ARP, Request who-has 10.0.0.2 tell 10.0.0.1, length 28", at1);
            at1 = one.await("ARP, Reply 10.0.0.2 is-at ", at1);
            at1 = one.await("IP 10.0.0.1 > 10.0.0.2: ICMP echo request, id ", at1);
            at1 = one.await("IP 10.0.0.2 > 10.0.0.1: ICMP echo reply, id ", at1);
            at1 = one.await("4 packets captured", at1);
            at1 = one.await("root@ipsim:/tmp# ", at1);

            // Ctrl-C in the first terminal ends its sleep; the second one's goes on
            one.type("sleep 100\r");
            two.type("sleep 100\r");
            awaitProcesses(sandbox, "sleep", 2);
            one.type("\u0003");
            // the tty's echo first, then bash's new line and prompt
            at1 = one.await("^C\r\n", at1);
            at1 = one.await("root@ipsim:/tmp# ", at1);
            one.type("echo status $?\r");
            at1 = one.await("status 130", at1);
            awaitProcesses(sandbox, "sleep", 1, one, two);
            assertTrue(two.screen.indexOf("root@ipsim:~# ", at2) < 0, two.screen.substring(at2));
            two.type("\u0003");
            two.type("echo status $?\r");
            at2 = two.await("status 130", at2);
            awaitProcesses(sandbox, "sleep", 0);
            one.type("exit\r");
            two.type("exit\r");
        }
    }

    private static void awaitProcesses(Sandbox sandbox, String name, int count, Term... terms)
            throws InterruptedException {
        long until = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < until) {
            long n = sandbox.kernel().scheduler().tasks().stream()
                    .filter(t -> t.name().equals(name) && t.state() == Task.State.RUNNING).count();
            if (n == count) {
                return;
            }
            Thread.sleep(10);
        }
        StringBuilder screens = new StringBuilder();
        for (Term t : terms) {
            screens.append("\n--- screen ---\n").append(t.screen);
        }
        fail("not " + count + " " + name + " processes: " + sandbox.kernel().scheduler().tasks() + screens);
    }
}
