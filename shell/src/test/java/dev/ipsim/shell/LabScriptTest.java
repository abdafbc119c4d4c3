package dev.ipsim.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipsim.shell.script.Interpreter;
import dev.ipsim.shell.script.ScriptRunner;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code save} and loading round-trip: random labs built with ordinary commands, saved, and
 * rebuilt on a fresh machine (another seed, so every MAC address must come from the script)
 * print the same {@code ip -d link}, {@code ip addr}, routes of every table, rules, neighbours
 * and sysctls in every namespace.
 */
class LabScriptTest {

    @TempDir
    Path dir;

    static LongStream seeds() {
        return LongStream.rangeClosed(1, Long.getLong("ipsim.labs", 40));
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void randomLabsSurviveSaveAndLoad(long seed) {
        boolean bare = seed % 3 != 0;
        Sandbox original = Main.boot(bare, seed, dir);
        String lab = randomLab(seed);
        // past DAD, and past the 5 s a neighbour used by the lab's last ping stays in DELAY
        run(original, lab + "\nsleep 7\n");
        String script = LabScript.of(original);
        Sandbox copy = Main.boot(bare, seed, dir);
        String loadErrors = run(copy, script + "sleep 7\n");
        assertEquals("", loadErrors, () -> "the script failed:\n" + script + "\nlab:\n" + lab);
        for (String ns : namespaces(original)) {
            String want = views(original, ns);
            String got = views(copy, ns);
            if (!want.equals(got)) {
                String diff = dev.ipsim.shell.oracle.LineDiff.diff(want, got);
                throw new AssertionError("namespace '" + ns + "' differs after load:\n" + diff + "\nlab:\n" + lab
                        + "\nscript:\n" + script);
            }
        }
        assertEquals(output(original, "ip netns"), output(copy, "ip netns"));
        // saving the copy says the same (both looked at now: listing devices gives namespaces ids)
        // (a finite lifetime is the time left: less by the time the copy took)
        String again = LabScript.of(original).replaceAll("_lft [0-9]+", "_lft N");
        String copied = LabScript.of(copy).replaceAll("_lft [0-9]+", "_lft N");
        if (!again.equals(copied)) {
            throw new AssertionError("the copy saves another script:\n"
                    + dev.ipsim.shell.oracle.LineDiff.diff(again, copied) + "\nlab:\n" + lab);
        }
    }

    @Test
    void aFileSavedIsSourcedBack() throws IOException {
        Sandbox a = Main.boot(true, 3, dir);
        run(a, "ip netns add red; ip link add v0 type veth peer name v1 netns red; ip addr add 10.0.0.1/24 dev v0;"
                + " ip link set v0 up; ip -n red link set v1 up; save lab.sh");
        assertTrue(Files.readString(dir.resolve("lab.sh")).contains("ip netns add red"));
        Sandbox b = Main.boot(true, 4, dir);
        assertEquals("", run(b, "source lab.sh"));
        assertEquals(views(a, "red"), views(b, "red"));
        assertEquals(views(a, ""), views(b, ""));
        // nothing but the file itself was written: no temporary file is left behind
        assertEquals(List.of("lab.sh"), Files.list(dir).map(p -> p.getFileName().toString()).toList());
    }

    @Test
    void ipsimLoadRebuildsTheLab() throws IOException {
        Sandbox a = Main.boot(true, 3, dir);
        run(a, "ip link add br0 type bridge; ip link add d0 type dummy; ip link set d0 master br0; save lab.sh");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Main.Stdio stdio = new Main.Stdio(InputStream.nullInputStream(), out, err, false, false, false, dir,
                Map.of(), null, false);
        int status = Main.run(new String[] {"--bare", "--load", "lab.sh", "-c", "ip -br link"}, stdio);
        assertEquals("", err.toString(StandardCharsets.UTF_8));
        assertEquals(0, status);
        assertEquals(output(a, "ip -br link"), out.toString(StandardCharsets.UTF_8));
    }

    /** Taps in a bridge, a tun device with its options and owner, an ifb: all made again as they were. */
    @Test
    void tunTapAndIfbSurviveSaveAndLoad() {
        Sandbox a = Main.boot(true, 3, dir);
        run(a, "ip link add br0 type bridge; ip tuntap add dev tap0 mode tap vnet_hdr user 1000;"
                + " ip tuntap add dev tun0 mode tun pi multi_queue group 100; ip link add ifb0 type ifb;"
                + " ip link set tap0 master br0; ip link set tap0 up; ip link set br0 up; ip link set tun0 up;"
                + " ip link set ifb0 up; ip link set tun0 txqueuelen 50; ip addr add 10.9.0.1/24 dev tun0;"
                + " ip addr add 192.168.100.1/24 dev br0; ip addr add 10.7.0.1/24 dev ifb0; sleep 3");
        String script = LabScript.of(a);
        assertTrue(script.contains("ip tuntap add dev tun0 mode tun pi multi_queue group 100"), script);
        Sandbox b = Main.boot(true, 4, dir);
        assertEquals("", run(b, script + "sleep 3\n"), script);
        assertEquals(views(a, ""), views(b, ""), script);
        assertEquals(output(a, "ip tuntap show; ip -d link show tap0"), output(b, "ip tuntap show; ip -d link show tap0"));
    }

    @Test
    void savingRefusesADirectoryAndLeavesTheOldFile() throws IOException {
        Files.writeString(dir.resolve("old.sh"), "previous\n");
        Files.createDirectory(dir.resolve("sub"));
        Sandbox a = Main.boot(true, 3, dir);
        String err = run(a, "save sub; save; save /nosuchdir/x");
        assertEquals("save: line 1: save: sub: Is a directory\n"
                + "save: line 1: save: usage: save FILE\n"
                + "save: line 1: save: /nosuchdir/x: No such file or directory\n", err);
        assertEquals("previous\n", Files.readString(dir.resolve("old.sh")));
    }

    /** A lab made of ordinary commands, some of which fail (as a learner's do). */
    static String randomLab(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<String> nss = new ArrayList<>(List.of(""));
        List<String> lines = new ArrayList<>();
        int namespaces = r.nextInt(4);
        for (int i = 0; i < namespaces; i++) {
            lines.add("ip netns add ns" + i);
            nss.add("ns" + i);
        }
        List<String[]> devices = new ArrayList<>();
        int n = 2 + r.nextInt(8);
        for (int i = 0; i < n; i++) {
            String ns = nss.get(r.nextInt(nss.size()));
            String in = ns.isEmpty() ? "ip " : "ip -n " + ns + " ";
            switch (r.nextInt(4)) {
                case 0, 1 -> {
                    String peerNs = nss.get(r.nextInt(nss.size()));
                    lines.add(in + "link add a" + i + " type veth peer name b" + i
                            + (peerNs.equals(ns) ? "" : " netns " + (peerNs.isEmpty() ? "1" : peerNs)));
                    devices.add(new String[] {ns, "a" + i});
                    devices.add(new String[] {peerNs, "b" + i});
                }
                case 2 -> {
                    // with an address: a bridge that never has a port keeps a random one that
                    // no command can give again (LabScript's heads-up)
                    lines.add(in + "link add br" + i + " address 02:00:00:00:01:0" + i + " type bridge");
                    devices.add(new String[] {ns, "br" + i});
                }
                default -> {
                    lines.add(in + "link add d" + i + " type dummy");
                    devices.add(new String[] {ns, "d" + i});
                }
            }
        }
        if (r.nextBoolean()) {
            lines.add("ip link del a0");
        }
        int steps = 5 + r.nextInt(25);
        for (int i = 0; i < steps && !devices.isEmpty(); i++) {
            String[] d = devices.get(r.nextInt(devices.size()));
            String[] other = devices.get(r.nextInt(devices.size()));
            String in = d[0].isEmpty() ? "ip " : "ip -n " + d[0] + " ";
            String net = "10." + r.nextInt(4) + "." + r.nextInt(4);
            switch (r.nextInt(18)) {
                case 0, 1 -> lines.add(in + "addr add " + net + "." + (1 + r.nextInt(5)) + "/24 dev " + d[1]
                        + (r.nextBoolean() ? " brd +" : ""));
                case 2 -> lines.add(in + "addr add 2001:db8:" + r.nextInt(3) + "::" + (1 + r.nextInt(5)) + "/64 dev "
                        + d[1] + (r.nextBoolean() ? " nodad" : ""));
                case 3, 4 -> lines.add(in + "link set " + d[1] + " up");
                case 5 -> lines.add(in + "link set " + d[1] + " mtu " + (1280 + r.nextInt(3) * 100));
                case 6 -> lines.add(in + "link set " + d[1] + " master " + other[1]);
                case 7 -> lines.add(in + "route add " + "172.16." + r.nextInt(4) + ".0/24 via " + net + ".9"
                        + (r.nextBoolean() ? " table " + (100 + r.nextInt(2)) : "") + " metric " + r.nextInt(3));
                case 8 -> lines.add(in + "route add " + (r.nextBoolean() ? "blackhole" : "unreachable") + " 192.168."
                        + r.nextInt(4) + ".0/24" + (r.nextBoolean() ? " table 100" : ""));
                case 9 -> lines.add(in + "neigh add " + net + "." + (10 + r.nextInt(5)) + " lladdr 02:00:00:00:00:0"
                        + r.nextInt(9) + " dev " + d[1]);
                case 10 -> lines.add((d[0].isEmpty() ? "" : "ip netns exec " + d[0] + " ") + "sysctl -qw "
                        + List.of("net.ipv4.ip_forward=1", "net.ipv4.conf.all.rp_filter=2",
                                "net.ipv4.conf." + d[1] + ".rp_filter=1", "net.ipv6.conf." + d[1] + ".disable_ipv6=1",
                                "net.ipv4.conf.default.arp_ignore=1", "net.ipv4.conf." + d[1] + ".forwarding=1")
                        .get(r.nextInt(6)));
                case 11 -> lines.add(in + "rule add from " + net + ".0/24 table " + (100 + r.nextInt(2)) + " pref "
                        + (1000 + r.nextInt(3)));
                case 12 -> lines.add(in + "link set " + d[1] + " down");
                // traffic: the neighbours it leaves (reachable, stale, failed) are saved with their state
                case 13 -> lines.add((d[0].isEmpty() ? "" : "ip netns exec " + d[0] + " ") + "ping -c 1 -W 1 " + net
                        + "." + (1 + r.nextInt(5)) + " > /dev/null");
                case 14 -> lines.add(in + "neigh replace " + net + "." + (20 + r.nextInt(5)) + " lladdr 02:00:00:00:00:1"
                        + r.nextInt(9) + " dev " + d[1] + " nud " + List.of("stale", "reachable", "noarp").get(r.nextInt(3)));
                case 15 -> lines.add(in + "addr add " + net + "." + (1 + r.nextInt(5)) + "/24 dev " + d[1] + " valid_lft "
                        + (100 + r.nextInt(100)) + " preferred_lft " + (r.nextInt(4) == 0 ? 0 : 20 + r.nextInt(80)));
                case 16 -> lines.add(in + "addr add 2001:db8:" + r.nextInt(3) + "::" + (1 + r.nextInt(5)) + "/64 dev "
                        + d[1] + " valid_lft " + (100 + r.nextInt(100)) + " preferred_lft " + (50 + r.nextInt(50)));
                default -> lines.add(in + "route del " + net + ".0/24 dev " + d[1]);
            }
        }
        return String.join("\n", lines);
    }

    /** The names a lab's namespaces go by: "" for the machine's own. */
    private static List<String> namespaces(Sandbox s) {
        List<String> out = new ArrayList<>(List.of(""));
        out.addAll(s.names());
        return out;
    }

    private static String views(Sandbox s, String ns) {
        String in = ns.isEmpty() ? "" : "ip netns exec " + ns + " ";
        // neighbours are listed in the order of a hash table with a random seed: sorted here
        return run(s, in + "ip -d link; " + in + "ip addr; " + in + "ip route show table all; " + in
                + "ip -6 route show table all; " + in + "ip neigh | sort; " + in + "ip rule; " + in + "ip -6 rule; " + in
                + "sysctl -a; " + in + "bridge link", true)[0]
                // the time left on a running bridge timer moves on (as the oracle's comparison allows)
                .replaceAll("gc_timer +[0-9]+\\.[0-9]+", "gc_timer (running)")
                // a port's timer too, by the tools' 2 ms each the lab and the script differ in
                .replaceAll("(_timer) +(?!0\\.00 )[0-9]+\\.[0-9]+", "$1 (running)")
                // and so does a finite lifetime (aFiniteLifetimeIsSavedAsWhatIsLeft checks the value)
                .replaceAll("(valid_lft|preferred_lft|expires) [0-9]+sec", "$1 (N)sec")
                // a known difference: a veth end without carrier whose peer is in another namespace
                // is LOWERLAYERDOWN or DOWN as a device of its own namespace held the peer's ifindex
                // when it was made (recorded in veth-operstate-iflink); the script cannot know the
                // order the devices of different namespaces were made in
                .replaceAll("(@if[0-9]+: <NO-CARRIER[^>]*> .*) state (LOWERLAYERDOWN|DOWN) ",
                        "$1 state (DOWN or LOWERLAYERDOWN) ");
    }

    /** Runs a script on a machine; returns what it printed on standard error. */
    private static String run(Sandbox s, String script) {
        return run(s, script, false)[1];
    }

    /** What a script printed on standard output. */
    private static String output(Sandbox s, String script) {
        return run(s, script, false)[0];
    }

    private static String[] run(Sandbox s, String script, boolean merged) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = merged ? out : new ByteArrayOutputStream();
        ShellSession session = new ShellSession(s, ShellSession.Mode.FILE, "save", InputStream.nullInputStream(),
                out, err, false);
        ScriptRunner.run(new Interpreter(session), ScriptRunner.lines(script));
        return new String[] {out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void aFiniteLifetimeIsSavedAsWhatIsLeft() {
        Sandbox a = Main.boot(true, 3, dir);
        run(a, "ip link add d0 type dummy; ip link set d0 up; ip addr add 10.9.0.1/24 dev d0 valid_lft 100"
                + " preferred_lft 50; ip addr add 2001:db8::1/64 dev d0 valid_lft 200 preferred_lft 100; sleep 10");
        String script = LabScript.of(a);
        assertTrue(script.contains("ip addr add 10.9.0.1/24 scope 0 valid_lft 90 preferred_lft 40 dev d0\n"), script);
        assertTrue(script.contains("ip addr add 2001:db8::1/64 valid_lft 190 preferred_lft 90 dev d0\n"), script);
    }

    @Test
    void aLifetimeRunningDownIsNoUnsavedChange() {
        Sandbox a = Main.boot(true, 3, dir);
        run(a, "ip link add d0 type dummy; ip link set d0 up; ip addr add 10.9.0.1/24 dev d0 valid_lft 100"
                + " preferred_lft 50; save lab.sh; sleep 10");
        assertFalse(a.unsaved());
        run(a, "ip link set d0 down");
        assertTrue(a.unsaved());
    }

    @Test
    void learntNeighboursAreSavedWithTheirState() {
        Sandbox a = Main.boot(true, 3, dir);
        run(a, "ip netns add red; ip link add v0 type veth peer name v1 netns red; ip addr add 10.0.0.1/24 dev v0;"
                + " ip link set v0 up; ip -n red addr add 10.0.0.2/24 dev v1; ip -n red link set v1 up; sleep 3;"
                + " ping -c 1 10.0.0.2 > /dev/null; ping -c 1 -W 1 10.0.0.3 > /dev/null; sleep 60;"
                + " ip -n red neigh replace 10.0.0.7 lladdr 02:00:00:00:00:07 dev v1 nud reachable; sleep 5");
        String script = LabScript.of(a);
        String want = sortedLines(output(a, "ip neigh; ip -n red neigh"));
        // learnt and gone stale, failed, and given
        assertTrue(want.contains("REACHABLE") && want.contains("STALE") && want.contains("FAILED"), want);
        Sandbox b = Main.boot(true, 4, dir);
        assertEquals("", run(b, script));
        assertEquals(want, sortedLines(output(b, "ip neigh; ip -n red neigh")));
    }

    @Test
    void bridgePortSettingsAndStaticEntriesAreSaved() {
        Sandbox a = Main.boot(true, 3, dir);
        run(a, "ip netns add red; ip -n red link add br0 type bridge; ip -n red link add v0 type veth peer name v1;"
                + " ip -n red link set v0 master br0; ip -n red link set br0 up; ip -n red link set v0 up;"
                + " ip -n red link set v1 up; sleep 2;"
                + " bridge -n red link set dev v0 learning off flood off hairpin on cost 50 priority 20;"
                + " bridge -n red fdb add 02:00:00:00:aa:01 dev v0 master static;"
                + " bridge -n red fdb add 02:00:00:00:aa:02 dev v0 master;"
                + " bridge -n red fdb add 02:00:00:00:aa:03 dev br0 self;"
                + " bridge -n red fdb add 02:00:00:00:aa:04 dev v1");
        String script = LabScript.of(a);
        String look = "bridge -n red -d link; bridge -n red fdb show | grep aa";
        String want = output(a, look);
        assertTrue(want.contains("learning off flood off") && want.contains("aa:04 dev v1 self permanent"), want);
        Sandbox b = Main.boot(true, 4, dir);
        assertEquals("", run(b, script + "sleep 2\n"));
        assertEquals(want, output(b, look), script);
    }

    private static String sortedLines(String s) {
        return String.join("\n", s.lines().sorted().toList());
    }

    @Test
    void openVswitchBridgesAndPortsAreSaved() {
        Sandbox a = Main.boot(true, 3, dir);
        run(a, "ip link add d9 type dummy; ovs-vsctl add-br s1; ip link add v0 type veth peer name v1;"
                + " ovs-vsctl add-port s1 v0; ovs-vsctl add-br s2; ip link set s1 up; ip addr add 10.5.0.1/24 dev s1;"
                + " ip link set v0 up; sleep 3");
        String script = LabScript.of(a);
        Sandbox b = Main.boot(true, 4, dir);
        assertEquals("", run(b, script + "sleep 3\n"));
        // a bridge's MAC address comes from its random UUID (and so does its link-local address)
        String look = "ip -br link; ip -br -4 addr; ovs-vsctl list-br; ovs-vsctl list-ports s1; ovs-vsctl list-ports s2";
        java.util.function.Function<String, String> noMac = s -> s.replaceAll("([0-9a-f]{2}:){5}[0-9a-f]{2}", "MAC");
        assertEquals(noMac.apply(output(a, look)), noMac.apply(output(b, look)));
        assertTrue(output(b, "ip link show v0").contains("master ovs-system state LOWERLAYERDOWN"), script);
    }

    @Test
    void theLabGeneratorMakesLabs() {
        assertFalse(randomLab(1).isEmpty());
    }
}
