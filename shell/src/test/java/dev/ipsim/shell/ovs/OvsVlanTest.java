package dev.ipsim.shell.ovs;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipsim.shell.Main;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the kernel datapath does with the database commands' settings, which the recording
 * machine (no {@code openvswitch} module, a dummy datapath) cannot show: an interface of type
 * {@code internal} is a device of its own ({@code vport-internal_dev.c}), and access ports'
 * {@code tag}s keep VLANs apart in the NORMAL action ({@code ofproto-dpif-xlate.c}'s
 * {@code input_vid_is_valid}/{@code output_normal}), while a trunk port carries them tagged.
 */
class OvsVlanTest {

    @TempDir
    Path dir;

    private String run(String script) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Main.Stdio stdio = new Main.Stdio(new ByteArrayInputStream(script.getBytes(StandardCharsets.UTF_8)), out, err,
                false, false, false, dir, Map.of(), null, false);
        Main.run(new String[] {"--bare", "--seed", "7"}, stdio);
        return out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
    }

    private static String host(int n, String tag) {
        return "ip netns add ns" + n + "\n"
                + "ip link add v" + n + " type veth peer name p" + n + "\n"
                + "ip link set v" + n + " netns ns" + n + "\n"
                + "ovs-vsctl add-port br0 p" + n + tag + "\n"
                + "ip link set p" + n + " up\n"
                + "ip -n ns" + n + " addr add 10.0.0." + n + "/24 dev v" + n + "\n"
                + "ip netns exec ns" + n + " sysctl -qw net.ipv6.conf.v" + n + ".disable_ipv6=1\n"
                + "ip -n ns" + n + " link set v" + n + " up\n";
    }

    @Test
    void anInternalPortIsADeviceOfItsOwn() {
        String out = run("ovs-vsctl add-br br0\novs-vsctl add-port br0 vif0 -- set Interface vif0 type=internal\n"
                + "ip -o link show vif0\novs-vsctl get Interface vif0 ofport admin_state\n"
                + "ip link set vif0 up\novs-vsctl get Interface vif0 admin_state\n");
        assertTrue(out.contains(": vif0: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN"), out);
        assertTrue(out.contains("\n1\ndown\nup\n"), out);
    }

    @Test
    void accessPortsOfOneVlanReachEachOtherAndNoOtherVlan() {
        String out = run("ovs-vsctl add-br br0\n" + host(1, " tag=10") + host(2, " tag=10") + host(3, " tag=20")
                + "ip netns exec ns1 ping -c 1 -W 1 10.0.0.2 >/dev/null; echo same=$?\n"
                + "ip netns exec ns1 ping -c 1 -W 1 10.0.0.3 >/dev/null; echo other=$?\n"
                + "ovs-vsctl set Port p3 tag=10\n"
                + "ip netns exec ns1 ping -c 1 -W 1 10.0.0.3 >/dev/null; echo moved=$?\n");
        assertTrue(out.contains("same=0\nother=1\nmoved=0\n"), out);
    }

    @Test
    void aTrunkPortCarriesTheVlanTaggedAndOnlyTheVlansItTrunks() {
        String capture = "(sleep 1; ip netns exec ns1 ping -c 1 -W 1 10.0.0.2 >/dev/null) & "
                + "ip netns exec ns2 timeout 3 tcpdump -e -n -c 1 -i v2 not ip6 2>/dev/null; wait\n";
        String out = run("ovs-vsctl add-br br0\n" + host(1, " tag=10") + host(2, "") + capture
                + "ovs-vsctl set Port p2 trunks=20\necho ---\n" + capture);
        assertTrue(out.contains("ethertype 802.1Q (0x8100), length 46: vlan 10, p 0, ethertype ARP (0x0806), "
                + "Request who-has 10.0.0.2 tell 10.0.0.1"), out);
        assertTrue(out.indexOf("ARP") == out.lastIndexOf("ARP"), out);
    }
}
