package dev.ipsim.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/** {@code lab show} and {@code lab check} on the labs of seed 003 (transcripts/003-veth-pair-namespaces.md). */
class LabTest {

    @TempDir
    Path dir;

    private static final String NAMESPACES = """
            ip netns a ns1
            ip netns a ns2
            """;
    private static final String ADDRESSES = """
            ip netns exec ns1 ip a a 10.1.1.2/24 dev veth0
            ip netns exec ns1 ip l s veth0 up
            ip netns exec ns2 ip a a 10.1.1.3/24 dev veth2
            ip netns exec ns2 ip l s veth2 up
            """;
    /** Seed 003's first lab: a veth pair between two namespaces. */
    static final String DIRECT = NAMESPACES + """
            ip l a veth0 type veth peer name veth2
            ip l s veth0 netns ns1
            ip l s veth2 netns ns2
            """ + ADDRESSES;
    /** Its second: each namespace cabled to a Linux bridge. */
    static final String BRIDGE = NAMESPACES + """
            ip l a br0 type bridge
            ip l s br0 up
            ip l a veth0 type veth peer name br-veth0
            ip l a veth2 type veth peer name br-veth2
            ip l s veth0 netns ns1
            ip l s br-veth0 master br0
            ip l s br-veth0 up
            ip l s veth2 netns ns2
            ip l s br-veth2 master br0
            ip l s br-veth2 up
            """ + ADDRESSES;
    /** Its third: an Open vSwitch bridge instead. */
    static final String OVS = NAMESPACES + """
            ovs-vsctl add-br ovs-br
            ip l a veth0 type veth peer name ovs-veth0
            ip l a veth2 type veth peer name ovs-veth2
            ip l s veth0 netns ns1
            ovs-vsctl add-port ovs-br ovs-veth0
            ip l s ovs-veth0 up
            ip l s veth2 netns ns2
            ovs-vsctl add-port ovs-br ovs-veth2
            ip l s ovs-veth2 up
            """ + ADDRESSES;

    record Result(String out, String err, int status) {
    }

    private Result run(String script) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Main.Stdio stdio = new Main.Stdio(new ByteArrayInputStream(new byte[0]), out, err, false, false, false, dir,
                Map.of(), null, false);
        int status = Main.run(new String[] {"--bare", "--seed", "3", "-c", script}, stdio);
        return new Result(out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), status);
    }

    @Test
    void aVethPairBetweenTwoNamespaces() {
        assertEquals("""
                ┌─ ipsim (host) ─────────┐
                │ (only lo)              │
                └────────────────────────┘
                ┌─ ns1 ──────────────────┐
                │ veth0  UP  10.1.1.2/24 ├─┐
                └────────────────────────┘ │
                ┌─ ns2 ──────────────────┐ │
                │ veth2  UP  10.1.1.3/24 ├─┘
                └────────────────────────┘
                """, run(DIRECT + "lab show").out());
    }

    @Test
    void aLinuxBridgeWithItsPortsUnderIt() {
        assertEquals("""
                ┌─ ipsim (host) ───────────────┐
                │ br0          UP  bridge      │
                │ ├─ br-veth0  UP              ├─┐
                │ └─ br-veth2  UP              ├─┼─┐
                └──────────────────────────────┘ │ │
                ┌─ ns1 ────────────────────────┐ │ │
                │ veth0        UP  10.1.1.2/24 ├─┘ │
                └──────────────────────────────┘   │
                ┌─ ns2 ────────────────────────┐   │
                │ veth2        UP  10.1.1.3/24 ├───┘
                └──────────────────────────────┘
                """, run(BRIDGE + "lab show").out());
    }

    @Test
    void anOpenVswitchBridgeInAscii() {
        assertEquals("""
                +- ipsim (host) ------------------+
                | ovs-br        DOWN  ovs bridge  |
                | |- ovs-veth0  UP                +-+
                | `- ovs-veth2  UP                +-+-+
                +---------------------------------+ | |
                +- ns1 ---------------------------+ | |
                | veth0         UP    10.1.1.2/24 +-+ |
                +---------------------------------+   |
                +- ns2 ---------------------------+   |
                | veth2         UP    10.1.1.3/24 +---+
                +---------------------------------+
                """, run(OVS + "lab show --ascii").out());
    }

    @Test
    void dotHasAClusterPerNamespaceAndAnEdgePerCable() {
        assertEquals("""
                graph lab {
                  node [shape=box, fontname="monospace"];
                  subgraph "cluster_host" {
                    label="ipsim (host)";
                    "host/br0" [label="br0\\nUP\\nbridge"];
                    "host/br-veth0" [label="br-veth0\\nUP"];
                    "host/br-veth2" [label="br-veth2\\nUP"];
                  }
                  subgraph "cluster_ns1" {
                    label="ns1";
                    "ns1/veth0" [label="veth0\\nUP\\n10.1.1.2/24"];
                  }
                  subgraph "cluster_ns2" {
                    label="ns2";
                    "ns2/veth2" [label="veth2\\nUP\\n10.1.1.3/24"];
                  }
                  "host/br-veth0" -- "host/br0" [style=dashed];
                  "host/br-veth2" -- "host/br0" [style=dashed];
                  "host/br-veth0" -- "ns1/veth0";
                  "host/br-veth2" -- "ns2/veth2";
                }
                """, run(BRIDGE + "lab show --dot").out());
    }

    @Test
    void svgIsWellFormedWithABoxPerNamespaceAndAPathPerPair() throws Exception {
        Result r = run(DIRECT + "lab show --svg lab.svg");
        assertEquals(new Result("", "", 0), r);
        Document svg = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(Files.newInputStream(dir.resolve("lab.svg")));
        assertEquals("svg", svg.getDocumentElement().getTagName());
        assertEquals(3, svg.getElementsByTagName("g").getLength());
        assertEquals(1, svg.getElementsByTagName("path").getLength());
        assertEquals(new Result("", "lab: cannot write /nowhere/lab.svg: No such file or directory\n", 1),
                run("lab show --svg /nowhere/lab.svg"));
    }

    @Test
    void checkPingsThroughTheModelAndReportsEachExpectation() {
        String expectations = """
                # seed 003, the bridge
                ns1 -> 10.1.1.3
                ns2 -> 10.1.1.2
                ns1 !-> 10.1.1.9
                ns1: veth0 has 10.1.1.2/24
                ns2: veth2 has 10.1.1.9/24
                host: br0 up
                ns1: route 10.1.1.0/24 dev veth0 src 10.1.1.2
                ns1: no route default
                ns1: route default
                host: sysctl net.ipv4.ip_forward = 0
                ns9: lo up
                """;
        Result r = run(BRIDGE + "cat > exercise.lab <<'EOF'\n" + expectations + "EOF\n"
                + "lab check exercise.lab; echo $?\nip netns exec ns1 ip neigh show 10.1.1.3");
        assertEquals("""
                PASS  ns1 -> 10.1.1.3
                PASS  ns2 -> 10.1.1.2
                PASS  ns1 !-> 10.1.1.9
                PASS  ns1: veth0 has 10.1.1.2/24
                FAIL  ns2: veth2 has 10.1.1.9/24  (not on veth2)
                PASS  host: br0 up
                PASS  ns1: route 10.1.1.0/24 dev veth0 src 10.1.1.2
                PASS  ns1: no route default
                FAIL  ns1: route default  (no such route)
                PASS  host: sysctl net.ipv4.ip_forward = 0
                FAIL  ns9: lo up  (no namespace ns9)
                8 passed, 3 failed
                1
                """ + "10.1.1.3 dev veth0 lladdr " + mac(BRIDGE, "ns2", "veth2") + " REACHABLE \n", r.out());
        // without the bridge's ports up, nothing answers
        Result down = run(BRIDGE + "ip l s br-veth2 down\nlab check exercise.lab", expectations);
        assertEquals("FAIL  ns1 -> 10.1.1.3  (no answer)", down.out().lines().findFirst().orElseThrow());
    }

    @Test
    void aLineThatIsNotAnExpectationStopsTheCheck() {
        Result r = run("cat > x.lab <<'EOF'\nhost -> 127.0.0.1\nns1 pings 10.0.0.1\nEOF\nlab check x.lab; echo $?;"
                + " lab check nothing.lab; echo $?");
        assertEquals("2\n2\n", r.out());
        assertEquals("lab: x.lab:2: cannot understand \"ns1 pings 10.0.0.1\"\n"
                + "lab: nothing.lab: No such file or directory\n", r.err());
    }

    @Test
    void severalAddressesAfterTheArrowAreEachPinged() {
        // (its own address answers once ns1's lo is up)
        String expectations = """
                ns1 -> 10.1.1.3 10.1.1.2
                ns1 -> 10.1.1.3 10.1.1.8 10.1.1.9
                ns1 !-> 10.1.1.8 10.1.1.3
                ns1 !-> 10.1.1.8 fd00::9
                """;
        assertEquals("""
                PASS  ns1 -> 10.1.1.3 10.1.1.2
                FAIL  ns1 -> 10.1.1.3 10.1.1.8 10.1.1.9  (no answer from 10.1.1.8, 10.1.1.9)
                FAIL  ns1 !-> 10.1.1.8 10.1.1.3  (10.1.1.3 answers)
                PASS  ns1 !-> 10.1.1.8 fd00::9
                2 passed, 2 failed
                """, run(BRIDGE + "ip -n ns1 link set lo up\nlab check exercise.lab", expectations).out());
    }

    @Test
    void aWordAfterTheArrowThatIsNoAddressStopsTheCheck() {
        // a note without # would otherwise pass for what it does not check
        Result r = run("lab check exercise.lab; echo $?", "host -> 127.0.0.1\nhost -> 127.0.0.1 from lo\n");
        assertEquals(new Result("2\n",
                "lab: exercise.lab:2: \"host -> 127.0.0.1 from lo\": \"from\" is not an address"
                        + " (a comment starts with #)\n", 0), r);
        r = run("lab check exercise.lab", "host -> localhost\n");
        assertEquals("lab: exercise.lab:1: \"host -> localhost\": \"localhost\" is not an address\n", r.err());
        assertEquals("PASS  host -> 127.0.0.1\n1 passed, 0 failed\n",
                run("lab check exercise.lab", "host -> 127.0.0.1   # from lo\n").out());
    }

    @Test
    void noRouteTakesAttributesAsRouteDoes() {
        String expectations = """
                ns1: no route 10.1.1.0/24 dev veth9
                ns1: no route 10.1.1.0/24 dev veth0
                """;
        assertEquals("""
                PASS  ns1: no route 10.1.1.0/24 dev veth9
                FAIL  ns1: no route 10.1.1.0/24 dev veth0  (the route is there)
                1 passed, 1 failed
                """, run(BRIDGE + "lab check exercise.lab", expectations).out());
    }

    /** A device's MAC address in a lab. */
    private String mac(String lab, String ns, String dev) {
        return run(lab + "cat /sys/class/net/" + dev + "/address 2>/dev/null || ip netns exec " + ns
                + " cat /sys/class/net/" + dev + "/address").out().strip();
    }

    private Result run(String script, String expectations) {
        return run("cat > exercise.lab <<'EOF'\n" + expectations + "EOF\n" + script);
    }
}
