package dev.ipsim.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ipsim.kernel.proc.Task;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Job control at the interactive prompt, through JLine's dumb terminal (no echo of what is
 * typed): {@code CMD &}, {@code jobs}, Ctrl-Z, {@code fg}, {@code bg}, {@code kill %N}, the
 * notifications before the prompt, and a background capture printing while the prompt waits.
 *
 * <p>The wall clock is the test's: time passes only when the test moves it, so every screen is
 * exact. The shell runs on its own thread; the test types a line once the screen shows what it
 * waits for, as a user would.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class JobControlTest {

    @TempDir
    Path dir;

    private final AtomicLong now = new AtomicLong();
    private final ByteArrayOutputStream screen = new ByteArrayOutputStream();
    private PipedOutputStream keys;
    private Terminal terminal;
    private Sandbox sandbox;
    /** The virtual time at the shell's start, when the wall clock read 0. */
    private long anchor;
    private Thread shell;
    private final int[] status = {-1};

    /** A wall clock that stands still until the test moves it. */
    private final ShellSession.WallClock clock = new ShellSession.WallClock() {
        @Override
        public long nanoTime() {
            return now.get();
        }

        @Override
        public void sleep(long nanos) throws InterruptedException {
            Thread.sleep(1);
        }
    };

    private void start() throws IOException {
        PipedInputStream in = new PipedInputStream(1 << 16);
        keys = new PipedOutputStream(in);
        Main.Stdio stdio = new Main.Stdio(in, screen, screen, true, true, true, dir, Map.of(), null, false);
        sandbox = Main.boot(true, 7, dir);
        anchor = sandbox.kernel().clock().nanos();
        terminal = new DumbTerminal("test", Terminal.TYPE_DUMB, in, screen, StandardCharsets.UTF_8);
        shell = new Thread(() -> status[0] = Repl.run(sandbox, terminal, stdio, clock), "repl");
        shell.start();
        expect("root@ipsim:~# ");
    }

    @AfterEach
    void end() throws Exception {
        if (shell != null && shell.isAlive()) {
            keys.close();
            shell.join(10_000);
        }
        if (terminal != null) {
            terminal.close();
        }
    }

    private void type(String line) throws IOException {
        keys.write(line.getBytes(StandardCharsets.UTF_8));
        keys.flush();
    }

    private String shown() {
        synchronized (screen) {
            return screen.toString(StandardCharsets.UTF_8);
        }
    }

    /** Waits until the whole screen so far is {@code expected}. */
    private void expect(String expected) {
        long until = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < until) {
            if (shown().equals(expected)) {
                return;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        if (!shown().equals(expected)) {
            System.err.println(threads());
        }
        assertEquals(expected, shown());
    }

    /** Where every thread of the machine is, for a screen that never came. */
    private String threads() {
        StringBuilder sb = new StringBuilder();
        for (var e : Thread.getAllStackTraces().entrySet()) {
            String name = e.getKey().getName();
            if (name.startsWith("ipsim") || name.equals("repl")) {
                sb.append(name).append('\n');
                for (StackTraceElement f : e.getValue()) {
                    sb.append("    ").append(f).append('\n');
                }
            }
        }
        if (sandbox != null) {
            sb.append(sandbox.kernel().scheduler().tasks()).append('\n');
        }
        return sb.toString();
    }

    /** Moves the wall clock on and waits until the sandbox has caught up. */
    private void pass(long millis) {
        // virtual time follows the wall clock from where it stood when the shell started
        long target = anchor + now.addAndGet(millis * 1_000_000L);
        long until = System.nanoTime() + 20_000_000_000L;
        while (sandbox.kernel().clock().nanos() < target) {
            if (System.nanoTime() > until) {
                fail("virtual time did not follow the wall clock\n" + threads());
            }
            Thread.onSpinWait();
        }
    }

    private static final String P = "root@ipsim:~# ";

    private int prompts() {
        String all = shown();
        int n = 0;
        for (int i = all.indexOf(P); i >= 0; i = all.indexOf(P, i + 1)) {
            n++;
        }
        return n;
    }

    private void waitForPrompt(int count) {
        long until = System.nanoTime() + 20_000_000_000L;
        while (prompts() < count) {
            if (System.nanoTime() > until) {
                fail("no prompt after:\n" + shown());
            }
            Thread.onSpinWait();
        }
    }

    /**
     * Waits until the line typed is done with: a new prompt, or the shell waiting for a
     * foreground job while every process waits for something (virtual time moves only when the
     * test says).
     */
    private void settle(int before) {
        var scheduler = sandbox.kernel().scheduler();
        long until = System.nanoTime() + 20_000_000_000L;
        while (prompts() <= before) {
            Task bash = scheduler.task(ShellSession.PID);
            if (bash != null && scheduler.idle(bash)
                    && scheduler.tasks().stream().allMatch(scheduler::idle)) {
                return;
            }
            if (System.nanoTime() > until) {
                fail("the shell did not settle:\n" + shown());
            }
            Thread.onSpinWait();
        }
    }

    /** Types a line and lets the wall clock run until its prompt shows (programs take time to start). */
    private void run(String line) throws IOException {
        int before = prompts();
        type(line + "\n");
        long until = System.nanoTime() + 20_000_000_000L;
        while (prompts() <= before) {
            if (System.nanoTime() > until) {
                fail("no prompt after " + line + ":\n" + shown());
            }
            pass(1);
        }
    }

    /** Waits until a program of this name runs (and waits for something), not stopped. */
    private Task running(String name) {
        long until = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < until) {
            for (Task t : sandbox.kernel().scheduler().tasks()) {
                if (t.name().equals(name) && t.state() == Task.State.RUNNING && sandbox.kernel().scheduler().idle(t)) {
                    return t;
                }
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("no process " + name + " in:\n" + shown());
    }

    /**
     * The steps of {@code oracle/interactive/jobs.steps} typed into ipsim give what the real
     * bash showed at a pseudo-terminal ({@code jobs.out}), once the terminal's echo of what was
     * typed (the typed lines, {@code ^Z}, {@code ^C}) is taken out: the dumb terminal echoes
     * nothing. Job process ids are the machine's own.
     */
    @Test
    void jobControlAtThePromptAsBashDoesIt() throws Exception {
        Path root = Path.of("").toAbsolutePath();
        while (!java.nio.file.Files.isDirectory(root.resolve("oracle/interactive"))) {
            root = root.getParent();
        }
        List<String> steps = new ArrayList<>();
        for (String l : java.nio.file.Files.readAllLines(root.resolve("oracle/interactive/jobs.steps"))) {
            if (!l.startsWith("#")) {
                steps.add(l);
            }
        }
        String recorded = java.nio.file.Files.readString(root.resolve("oracle/interactive/jobs.out"));
        StringBuilder expected = new StringBuilder();
        int at = 0;
        for (String step : steps) {
            if (step.startsWith("@") || step.equals("^Z") || step.equals("^C")) {
                continue;
            }
            int echo = recorded.indexOf(P + step + "\n", at);
            assertTrue(echo >= 0, step);
            expected.append(recorded, at, echo + P.length());
            at = echo + P.length() + step.length() + 1;
        }
        expected.append(recorded.substring(at));
        String want = pids(expected.toString().replace("^Z", "").replace("^C", ""));

        start();
        int lastBefore = prompts();
        for (int i = 0; i < steps.size(); i++) {
            String step = steps.get(i);
            if (step.startsWith("@")) {
                pass((long) (Double.parseDouble(step.substring(1)) * 1000));
                settle(lastBefore);
                continue;
            }
            int before = prompts();
            if (step.equals("^Z") || step.equals("^C")) {
                terminal.raise(step.equals("^Z") ? Terminal.Signal.TSTP : Terminal.Signal.INT);
                waitForPrompt(before + 1);
                continue;
            }
            type(step + "\n");
            if (step.equals("exit")) {
                shell.join(20_000);
            } else {
                settle(before);
            }
            lastBefore = before;
        }
        assertEquals(want, pids(shown()));
    }

    private static String pids(String screen) {
        return screen.replaceAll("\\[([0-9]+)\\] [0-9]+\n", "[$1] PID\n");
    }

    @Test
    void aBackgroundCapturePrintsItsPacketsAboveThePromptAsTheyCome() throws Exception {
        start();
        String s = P;
        for (String line : new String[] {"ip netns add ns1",
                "ip link add veth0 address 02:00:00:00:00:01 type veth peer name veth1 address 02:00:00:00:00:02",
                "ip link set veth1 netns ns1", "ip addr add 10.0.0.1/24 dev veth0", "ip link set veth0 up",
                "ip -n ns1 addr add 10.0.0.2/24 dev veth1", "ip -n ns1 link set veth1 up"}) {
            run(line);
            s += P;
            expect(s);
        }
        // each line a job prints while the prompt waits goes above it: the dumb terminal
        // blanks the prompt line, prints the line, and shows the prompt and what was typed again
        String blank = "\r              \r";
        int before = prompts();
        type("tcpdump -t -n -i veth0 icmp &\n");
        waitForPrompt(before + 1);
        pass(50);
        s += "[1] 4250\n" + P
                + blank + "tcpdump: verbose output suppressed, use -v[v]... for full protocol decode\n" + P
                + blank + "listening on veth0, link-type EN10MB (Ethernet), snapshot length 262144 bytes\n" + P;
        expect(s);
        before = prompts();
        type("ping -c 2 10.0.0.2 > /dev/null &\n");
        waitForPrompt(before + 1);
        pass(50);
        s += "[2] 4251\n" + P;
        expect(s);
        // the user has started typing when the packets come
        // the first request went out as ping started; the user types while the rest come
        type("ip -br a");
        Thread.sleep(500);
        pass(1500);
        String typing = "\r                      \r";
        s += blank + "IP 10.0.0.1 > 10.0.0.2: ICMP echo request, id 34875, seq 1, length 64\n" + P + "ip -br a"
                + typing + "IP 10.0.0.2 > 10.0.0.1: ICMP echo reply, id 34875, seq 1, length 64\n" + P + "ip -br a"
                + typing + "IP 10.0.0.1 > 10.0.0.2: ICMP echo request, id 34875, seq 2, length 64\n" + P + "ip -br a"
                + typing + "IP 10.0.0.2 > 10.0.0.1: ICMP echo reply, id 34875, seq 2, length 64\n" + P + "ip -br a";
        expect(s);
        run("");
        s += "lo               UNKNOWN        127.0.0.1/8 ::1/128 \n"
                + "veth0@if2        UP             10.0.0.1/24 fe80::ff:fe00:1/64 \n"
                + "[2]+  Done                    ping -c 2 10.0.0.2 > /dev/null\n" + P;
        expect(s);
        // SIGTERM: tcpdump ends with its counts, and bash reports it at the next prompt
        run("kill %1; sleep 0.1");
        s += "\n4 packets captured\n4 packets received by filter\n0 packets dropped by kernel\n"
                + "[1]+  Done                    tcpdump -t -n -i veth0 icmp\n" + P;
        expect(s);
    }
}
