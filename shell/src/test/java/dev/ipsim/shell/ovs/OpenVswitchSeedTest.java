package dev.ipsim.shell.ovs;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * Seed 003, section 3.3: two namespaces joined through an Open vSwitch bridge.
 *
 * <p>The recording machine's kernel has no {@code openvswitch} module, so this part cannot be
 * recorded as the others are: what {@code ovs-vsctl} prints is recorded (scenario
 * {@code ovs-vsctl-cli}, with ovs-vswitchd on its dummy datapath), and what the kernel datapath
 * does to devices is asserted here from Open vSwitch 3.1's and Linux's sources:
 * {@code ovs-system} and each bridge's internal port are {@code openvswitch} devices made by
 * the datapath ({@code vport-internal_dev.c}: Ethernet, no queue, qlen 1000, down until brought
 * up, state UNKNOWN when up), system ports are enslaved to {@code ovs-system}
 * ({@code vport-netdev.c}'s {@code netdev_master_upper_dev_link}), and the bridge's MAC comes
 * from its UUID when every port's address is locally administered ({@code bridge.c}).
 */
class OpenVswitchSeedTest {

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

    private static final String SEED = """
            ip netns a ns1
            ip netns a ns2
            ovs-vsctl add-br ovs-br
            ip l a veth0 type veth peer name ovs-veth0
            ip l a veth2 type veth peer name ovs-veth2
            ip l s veth0 netns ns1
            ovs-vsctl add-port ovs-br ovs-veth0
            ip l s ovs-veth0 up
            ip l s veth2 netns ns2
            ovs-vsctl add-port ovs-br ovs-veth2
            ip l s ovs-veth2 up
            ip netns exec ns1 ip a a 10.1.1.2/24 dev veth0
            ip netns exec ns1 ip l s veth0 up
            ip netns exec ns2 ip a a 10.1.1.3/24 dev veth2
            ip netns exec ns2 ip l s veth2 up
            """;

    @Test
    void theSeedsCommandsAreSilentAndPingCrosses() {
        String out = run(SEED + "ip netns exec ns1 ping -c 2 10.1.1.3\n");
        assertTrue(out.startsWith("PING 10.1.1.3 (10.1.1.3) 56(84) bytes of data.\n"
                + "64 bytes from 10.1.1.3: icmp_seq=1 ttl=64 time="), out);
        assertTrue(out.contains("\n2 packets transmitted, 2 received, 0% packet loss, time "), out);
    }

    @Test
    void theDatapathsDevicesAndPortsInIpLink() {
        String out = run(SEED + "ip link\n").replaceAll("[0-9a-f]{2}(:[0-9a-f]{2}){5}", "MAC");
        assertEquals("""
                1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000
                    link/loopback MAC brd MAC
                2: ovs-system: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000
                    link/ether MAC brd MAC
                3: ovs-br: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000
                    link/ether MAC brd MAC
                4: ovs-veth0@if5: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue master ovs-system state UP mode DEFAULT group default qlen 1000
                    link/ether MAC brd MAC link-netns ns1
                6: ovs-veth2@if7: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue master ovs-system state UP mode DEFAULT group default qlen 1000
                    link/ether MAC brd MAC link-netns ns2
                """, out);
    }

    @Test
    void detailsNameTheKinds() {
        String out = run(SEED + "ip -d link show ovs-veth0\nip -d link show ovs-br\n");
        assertTrue(out.contains(" promiscuity 1  allmulti 0 minmtu 68 maxmtu 65535 \n    veth \n"
                + "    openvswitch_slave addrgenmode eui64 "), out);
        assertTrue(out.contains("\n    openvswitch addrgenmode eui64 numtxqueues 1 numrxqueues 1 "), out);
    }

    @Test
    void showListsTheBridgeAndAMissingDevicesError() {
        String out = run(SEED + "ovs-vsctl add-port ovs-br nosuch\necho $?\novs-vsctl show\n");
        assertTrue(out.contains("\n        Port nosuch\n            Interface nosuch\n"
                + "                error: \"could not open network device nosuch (No such device)\"\n"), out);
        assertTrue(out.contains("ovs-vsctl: Error detected while setting up 'nosuch': could not open network device"
                + " nosuch (No such device).  See ovs-vswitchd log for details.\n"
                + "ovs-vsctl: The default log directory is \"/var/log/openvswitch\".\n"), out);
        assertTrue(out.startsWith("0\n"), out);
    }

    @Test
    void aPortAddedBeforeItsDeviceExistsJoinsWhenItAppears() {
        String out = run("ovs-vsctl add-br br0\novs-vsctl add-port br0 late 2>/dev/null\n"
                + "ip link add late type veth peer name other\nip link show late\novs-vsctl show\n");
        assertTrue(out.contains("late@other: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 qdisc noop master ovs-system"), out);
        assertTrue(!out.contains("error:"), out);
    }

    @Test
    void theInternalPortsBelongToOpenVswitchAndTheDatapathGoesWithTheLastBridge() {
        String out = run("ovs-vsctl add-br br0\nip link del br0\necho $?\novs-vsctl del-br br0\nip -o link\n");
        assertTrue(out.startsWith("2\n"), out);
        assertTrue(out.endsWith("RTNETLINK answers: Operation not supported\n"), out);
        assertTrue(!out.contains("ovs-system"), out);
    }
}
