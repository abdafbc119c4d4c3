package dev.ipsim.commands.ip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipsim.commands.TestSandbox;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * iproute2 resolves objects and verbs by the first entry of a table, in source order, that the
 * word is a prefix of, and never reports ambiguity. These pin the table order by its effects.
 */
class FirstMatchTest {

    private TestSandbox sandbox;

    @BeforeEach
    void setUp() {
        sandbox = new TestSandbox(Map.of("ip", new Ip()));
        assertEquals(0, sandbox.run("ip link add veth0 type veth peer name veth1").status());
    }

    @Test
    void objectTableOrderFromIpC() {
        assertEquals(List.of("address", "addrlabel", "maddress", "route", "rule", "neighbor", "neighbour", "ntable",
                "ntbl", "link", "l2tp", "fou", "ila", "macsec", "tunnel", "tunl", "tuntap", "tap", "token",
                "tcpmetrics", "tcp_metrics", "monitor", "xfrm", "mroute", "mrule", "netns", "netconf", "vrf", "sr",
                "nexthop", "mptcp", "ioam", "help", "stats"), Ip.objectNames());
    }

    @Test
    void lIsLinkAndAIsAddress() {
        assertTrue(sandbox.run("ip l").out().startsWith("1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue"
                + " state UNKNOWN mode DEFAULT group default qlen 1000\n"));
        // address listings have no "mode"
        assertFalse(sandbox.run("ip a").out().contains(" mode DEFAULT "));
    }

    @Test
    void linkSIsSetNotShow() {
        TestSandbox.Result r = sandbox.run("ip link s veth0 up");
        assertEquals(0, r.status());
        assertEquals("", r.out());
        assertTrue(sandbox.netns().device("veth0").isUp());
        assertTrue(sandbox.run("ip link sh veth0").out().startsWith("3: veth0@veth1:"));
    }

    @Test
    void addressAIsAddAndRouteAIsAdd() {
        sandbox.run("ip link s veth0 up");
        assertEquals(0, sandbox.run("ip a a 10.0.0.1/24 dev veth0").status());
        assertEquals(0, sandbox.run("ip r a 10.1.0.0/16 via 10.0.0.254").status());
        assertEquals("10.0.0.0/24 dev veth0 proto kernel scope link src 10.0.0.1 linkdown \n"
                + "10.1.0.0/16 via 10.0.0.254 dev veth0 linkdown \n", sandbox.run("ip r").out());
    }

    @Test
    void linkDIsDelete() {
        assertEquals(0, sandbox.run("ip link d veth0").status());
        assertNull(sandbox.netns().device("veth1"));
    }

    @Test
    void keywordPrefixesAreTakenBeforeTheDeviceName() {
        // link-add: "a" is the first match of "address", so "type" is taken as a link-layer address
        TestSandbox.Result r = sandbox.run("ip link add a type veth");
        assertEquals(1, r.status());
        assertEquals("\"type\" is invalid lladdr.\n", r.err());
        // and "del a" asks for an address that is not there
        r = sandbox.run("ip link del a");
        assertEquals(255, r.status());
        assertEquals("Command line is not complete. Try option \"help\"\n", r.err());
        assertNotNull(sandbox.netns().device("veth0"));
    }

    @Test
    void unknownObjectsAndVerbs() {
        TestSandbox.Result r = sandbox.run("ip lnk");
        assertEquals(1, r.status());
        assertEquals("Object \"lnk\" is unknown, try \"ip help\".\n", r.err());
        r = sandbox.run("ip link foo");
        assertEquals(255, r.status());
        assertEquals("Command \"foo\" is unknown, try \"ip link help\".\n", r.err());
    }
}
