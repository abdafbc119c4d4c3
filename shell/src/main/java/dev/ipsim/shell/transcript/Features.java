package dev.ipsim.shell.transcript;

import dev.ipsim.shell.Main;
import dev.ipsim.shell.Sandbox;
import dev.ipsim.shell.ShellSession;
import dev.ipsim.shell.script.Interpreter;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The parts of a Linux machine a transcript may need that ipsim may not simulate yet, and
 * whether it does now: each is found out by trying it in a scratch sandbox, so a transcript line
 * that needs one stays "pending" until the feature lands and is compared from then on, without
 * anyone editing the transcript.
 */
public final class Features {

    /** Every feature a transcript can name in {@code requires:}. */
    public static final List<String> KNOWN = List.of("tcpdump", "jobs", "netns", "bridge", "ovs",
            "bridge-config", "arp-publish", "netstat");

    private static final Map<String, Boolean> CACHE = new ConcurrentHashMap<>();

    private Features() {
    }

    public static boolean known(String feature) {
        return KNOWN.contains(feature);
    }

    /** Whether ipsim simulates the feature. */
    public static boolean available(String feature) {
        return CACHE.computeIfAbsent(feature, Features::probe);
    }

    private static boolean probe(String feature) {
        return switch (feature) {
            case "tcpdump" -> hasCommand("tcpdump");
            case "ovs" -> hasCommand("ovs-vsctl") && run("ovs-vsctl add-br probe-br").status == 0;
            // `&` gives $! a process id only when it really starts a job
            case "jobs" -> run("sleep 100 & echo \"$!\"").output.strip().matches("\\d+");
            case "netns" -> run("ip netns add probe && ip netns exec probe ip link set lo up").status == 0;
            case "bridge" -> run("ip link add probe type bridge && ip link set probe up").status == 0;
            // bridge fdb add/del, bridge link set, bridge vlan add/del
            case "bridge-config" -> run("ip link add probe type bridge && ip link add pv type veth peer name pw"
                    + " && ip link set pv master probe && bridge link set dev pv learning off"
                    + " && bridge fdb add 02:00:00:00:00:09 dev pv master").status == 0;
            // arp -s ... pub: proxy ARP entries
            case "arp-publish" -> run("ip link add pv type veth peer name pw && ip link set pv up"
                    + " && arp -i pv -s 10.9.9.9 02:00:00:00:00:09 pub").status == 0;
            case "netstat" -> hasCommand("netstat");
            default -> false;
        };
    }

    /**
     * What a command line needs, as its words show it: {@code tcpdump} (and jobs, to capture
     * while another command runs), a trailing {@code &}, {@code ovs-vsctl}, {@code netns}, a
     * bridge ({@code type bridge}, {@code master}, the {@code bridge} tool).
     */
    static List<String> neededBy(String command) {
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        String c = command.strip();
        List<String> words = List.of(c.split("\\s+"));
        if (words.contains("tcpdump")) {
            out.add("tcpdump");
            out.add("jobs");
        }
        if (c.endsWith("&") && !c.endsWith("&&")) {
            out.add("jobs");
        }
        if (words.contains("ovs-vsctl")) {
            out.add("ovs");
        }
        if (words.contains("netns")) {
            out.add("netns");
        }
        if (c.contains("type bridge") || words.contains("master") || words.contains("bridge")) {
            out.add("bridge");
        }
        return List.copyOf(out);
    }

    /**
     * The features a scenario or script names in a {@code # requires: a, b} comment line that
     * ipsim does not simulate yet.
     */
    public static List<String> missingFor(String script) {
        List<String> out = new java.util.ArrayList<>();
        for (String line : script.split("\n")) {
            if (line.startsWith("# requires:")) {
                for (String f : line.substring("# requires:".length()).split("[,\\s]+")) {
                    if (!f.isEmpty() && !available(f)) {
                        out.add(f);
                    }
                }
            }
        }
        return out;
    }

    private static boolean hasCommand(String name) {
        Sandbox sandbox = Main.boot(true, 1, null);
        ShellSession session = new ShellSession(sandbox, ShellSession.Mode.COMMAND, "probe",
                InputStream.nullInputStream(), new ByteArrayOutputStream(), new ByteArrayOutputStream(), false);
        return session.commands().lookup(name.toLowerCase(Locale.ROOT)) != null;
    }

    private record Result(int status, String output) {
    }

    private static Result run(String script) {
        Sandbox sandbox = Main.boot(true, 1, null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ShellSession session = new ShellSession(sandbox, ShellSession.Mode.COMMAND, "probe",
                InputStream.nullInputStream(), out, new ByteArrayOutputStream(), false);
        try {
            Main.asShellProcess(session, () -> new Interpreter(session).runLine(script, 1));
        } catch (RuntimeException e) {
            return new Result(70, "");
        }
        return new Result(session.lastStatus(), out.toString(StandardCharsets.UTF_8));
    }
}
