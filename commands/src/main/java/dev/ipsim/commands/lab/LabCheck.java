package dev.ipsim.commands.lab;

import dev.ipsim.commands.Context;
import dev.ipsim.commands.ForwardingContext;
import dev.ipsim.commands.Invocation;
import dev.ipsim.kernel.KernelException;
import dev.ipsim.kernel.NetNamespace;
import dev.ipsim.kernel.addr.Ipv4Address;
import dev.ipsim.kernel.addr.Ipv6Address;
import dev.ipsim.kernel.ipv4.InetIfAddr;
import dev.ipsim.kernel.ipv6.Inet6IfAddr;
import dev.ipsim.kernel.link.NetDevice;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code lab check FILE}: each line of FILE states an expectation about the lab (the format is
 * in {@link Lab#USAGE} and docs/lab-check.md); each is checked and reported on a line of its
 * own, {@code PASS} or {@code FAIL} with the reason, then a count. Reachability is a real ping
 * ({@code ping -c 1 -W 1}) from the namespace, run through the model as the user's own ping
 * would be: it leaves what a ping leaves (neighbour entries, a moment of virtual time), and it
 * runs in virtual time even at a terminal, so a check never waits on the wall clock.
 *
 * <p>Status: 0 when every expectation holds, 1 when one fails, 2 when FILE cannot be read or a
 * line is not understood (nothing is checked then).
 */
final class LabCheck {

    private final Invocation inv;
    private final Context context;

    LabCheck(Invocation inv) {
        this.inv = inv;
        this.context = inv.context();
    }

    /** An expectation: its line number, its text, the namespace it is about, and the rest. */
    private record Expectation(int line, String text, String ns, List<String> words, boolean reach) {
    }

    int run(String file) {
        String content;
        try {
            content = context.readFile(file);
        } catch (KernelException e) {
            inv.err().print("lab: " + file + ": " + e.errno().text() + "\n");
            return 2;
        }
        List<Expectation> expectations = new ArrayList<>();
        String[] lines = content.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String text = lines[i];
            int hash = text.indexOf('#');
            if (hash >= 0) {
                text = text.substring(0, hash);
            }
            text = text.strip();
            if (text.isEmpty()) {
                continue;
            }
            Expectation e;
            try {
                e = parse(i + 1, text);
            } catch (IllegalArgumentException bad) {
                inv.err().print("lab: " + file + ":" + (i + 1) + ": \"" + text + "\": " + bad.getMessage() + "\n");
                return 2;
            }
            if (e == null) {
                inv.err().print("lab: " + file + ":" + (i + 1) + ": cannot understand \"" + text + "\"\n");
                return 2;
            }
            expectations.add(e);
        }
        boolean color = dev.ipsim.commands.ColorWhen.onAuto(context);
        int passed = 0;
        int failed = 0;
        for (Expectation e : expectations) {
            String why = check(e);
            if (why == null) {
                passed++;
                inv.out().print((color ? "\033[32mPASS\033[0m" : "PASS") + "  " + e.text() + "\n");
            } else {
                failed++;
                inv.out().print((color ? "\033[31mFAIL\033[0m" : "FAIL") + "  " + e.text() + "  (" + why + ")\n");
            }
        }
        inv.out().print(passed + " passed, " + failed + " failed\n");
        return failed == 0 ? 0 : 1;
    }

    /**
     * The expectation a line states, or {@code null} when it is none.
     *
     * @throws IllegalArgumentException for a reachability line with a word after the arrow that
     *                                  is not an address: a note without {@code #} would
     *                                  otherwise be checked as a target, or ignored
     */
    private static Expectation parse(int line, String text) {
        String[] w = text.split("\\s+");
        if (w.length >= 3 && (w[1].equals("->") || w[1].equals("!->"))) {
            for (int i = 2; i < w.length; i++) {
                if (Ipv4Address.parse(w[i]) == null && Ipv6Address.parse(w[i]) == null) {
                    throw new IllegalArgumentException("\"" + w[i] + "\" is not an address"
                            + (i > 2 ? " (a comment starts with #)" : ""));
                }
            }
            return new Expectation(line, text, w[0], Arrays.asList(w).subList(1, w.length), true);
        }
        if (w[0].endsWith(":") && w.length >= 3) {
            List<String> rest = Arrays.asList(w).subList(1, w.length);
            String ns = w[0].substring(0, w[0].length() - 1);
            boolean ok = switch (rest.get(0)) {
                case "route" -> rest.size() >= 2;
                case "no" -> rest.size() >= 3 && rest.get(1).equals("route");
                case "sysctl" -> rest.size() >= 4 && rest.get(2).equals("=");
                default -> rest.size() == 3 && rest.get(1).equals("has")
                        || rest.size() == 2 && (rest.get(1).equals("up") || rest.get(1).equals("down"));
            };
            return ok ? new Expectation(line, text, ns, rest, false) : null;
        }
        return null;
    }

    /** {@code null} when the expectation holds, otherwise why not. */
    private String check(Expectation e) {
        NetNamespace ns = namespace(e.ns());
        if (ns == null) {
            return "no namespace " + e.ns();
        }
        List<String> w = e.words();
        if (e.reach()) {
            // every address, each with a ping of its own; the reason names the ones that disagree
            boolean wanted = w.get(0).equals("->");
            List<String> wrong = new ArrayList<>();
            for (String target : w.subList(1, w.size())) {
                boolean answered = quietly(List.of("ping", "-c", "1", "-W", "1", target), ns).status == 0;
                if (answered != wanted) {
                    wrong.add(target);
                }
            }
            if (wrong.isEmpty()) {
                return null;
            }
            if (w.size() == 2) {
                return wanted ? "no answer" : "it answers";
            }
            return wanted ? "no answer from " + String.join(", ", wrong)
                    : String.join(", ", wrong) + (wrong.size() == 1 ? " answers" : " answer");
        }
        switch (w.get(0)) {
            case "route":
                return route(ns, w.subList(1, w.size())) ? null : "no such route";
            case "no":
                return route(ns, w.subList(2, w.size())) ? "the route is there" : null;
            case "sysctl": {
                String key = w.get(1);
                String value = ns.sysctls().read(key.replace('.', '/'));
                if (value == null) {
                    return "no such key";
                }
                String want = String.join(" ", w.subList(3, w.size()));
                String have = value.strip().replaceAll("\\s+", " ");
                return have.equals(want) ? null : "it is " + have;
            }
            default:
                break;
        }
        NetDevice dev = ns.device(w.get(0));
        if (dev == null) {
            return "no device " + w.get(0);
        }
        if (w.get(1).equals("up") || w.get(1).equals("down")) {
            boolean up = dev.isUp();
            return up == w.get(1).equals("up") ? null : "it is " + (up ? "up" : "down");
        }
        String want = w.get(2);
        for (InetIfAddr a : dev.ipv4().addresses()) {
            if (want.equals(a.local() + "/" + a.prefixLength())) {
                return null;
            }
        }
        for (Inet6IfAddr a : dev.ipv6().addresses()) {
            if (want.equals(a.address() + "/" + a.prefixLength())) {
                return null;
            }
        }
        return "not on " + dev.name();
    }

    /** Whether {@code ip route show} (-6 for an IPv6 destination) lists DEST with these attributes. */
    private boolean route(NetNamespace ns, List<String> spec) {
        String dest = spec.get(0);
        List<String> argv = dest.contains(":") ? List.of("ip", "-6", "route", "show") : List.of("ip", "route", "show");
        for (String line : quietly(argv, ns).out.split("\n")) {
            List<String> words = Arrays.asList(line.strip().split("\\s+"));
            if (words.isEmpty() || !words.get(0).equals(dest) && !(words.size() > 1 && words.get(1).equals(dest))) {
                continue;
            }
            boolean all = true;
            for (int i = 1; i < spec.size(); i += 2) {
                List<String> want = i + 1 < spec.size() ? spec.subList(i, i + 2) : spec.subList(i, i + 1);
                if (java.util.Collections.indexOfSubList(words, want) < 0) {
                    all = false;
                }
            }
            if (all) {
                return true;
            }
        }
        return false;
    }

    private NetNamespace namespace(String name) {
        NetNamespace ns = context.netnsNames().lookup(name);
        if (ns == null && (name.equals("host") || name.equals(context.hostname()))) {
            ns = context.kernel().initNamespace();
        }
        return ns;
    }

    private record Ran(int status, String out) {
    }

    /** Runs a program in {@code ns}, in virtual time, keeping its output. */
    private Ran quietly(List<String> argv, NetNamespace ns) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream none = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        Invocation child = new Invocation(argv, new VirtualTime(context), ps, none,
                new ByteArrayInputStream(new byte[0]));
        int status = context.run(argv, ns, child);
        ps.flush();
        return new Ran(status, out.toString(StandardCharsets.UTF_8));
    }

    /**
     * The context of the check's own programs: the user's, but with output that is no terminal
     * and never paced by the wall clock (nothing waits, no Ctrl-C reaches them), and outside
     * the scheduler, as a program the check runs itself rather than a process of the shell.
     */
    private static final class VirtualTime extends ForwardingContext {
        VirtualTime(Context user) {
            super(user);
        }

        @Override
        public boolean stdoutIsTerminal() {
            return false;
        }

        @Override
        public dev.ipsim.commands.ColorWhen colorWhen() {
            // what they print is read, never shown
            return dev.ipsim.commands.ColorWhen.NEVER;
        }

        @Override
        public dev.ipsim.kernel.proc.Task task() {
            return null;
        }

        @Override
        public boolean takeInterrupt() {
            return false;
        }

        @Override
        public boolean wallPaced() {
            return false;
        }

        @Override
        public long sleepWall(long nanos) {
            return nanos;
        }

        @Override
        public long interruptAt() {
            return Long.MAX_VALUE;
        }
    }
}
