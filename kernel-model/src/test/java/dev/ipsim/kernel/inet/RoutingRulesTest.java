package dev.ipsim.kernel.inet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ipsim.kernel.Errno;
import dev.ipsim.kernel.KernelException;
import dev.ipsim.kernel.Scope;
import dev.ipsim.kernel.addr.IpPrefix;
import dev.ipsim.kernel.addr.Ipv4Address;
import dev.ipsim.kernel.ipv4.Ipv4;
import dev.ipsim.kernel.link.NetDevice;
import dev.ipsim.kernel.route.Route;
import dev.ipsim.kernel.route.RouteProtocol;
import dev.ipsim.kernel.route.RouteType;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Route lookup, source validation and the ARP sysctls, case by case. The expectations were
 * recorded on a real kernel (oracle scenarios route-get, accept-local-rp-filter,
 * arp-ignore-announce, and a linkdown check), except the few marked as read from the kernel's
 * source.
 */
class RoutingRulesTest {

    private static Ipv4Address ip(String s) {
        return Ipv4Address.parse(s);
    }

    /** veth0 10.1.1.2/24 and veth1 10.1.1.3/24 in one namespace, both up with carrier. */
    private static Lab pair() {
        Lab lab = new Lab();
        NetDevice[] pair = lab.vethPair("veth0", "veth1");
        lab.address(pair[0], "10.1.1.2/24");
        lab.address(pair[1], "10.1.1.3/24");
        lab.up(pair[0]);
        lab.up(pair[1]);
        return lab;
    }

    private static void route(Lab lab, String prefix, String gateway, String dev, int metric) {
        String[] p = prefix.split("/");
        Route.Builder b = Route.builder(RouteType.UNICAST, new IpPrefix(ip(p[0]), Integer.parseInt(p[1])))
                .protocol(RouteProtocol.BOOT).priority(metric).device(lab.ns.device(dev));
        if (gateway != null) {
            b.gateway(ip(gateway)).scope(Scope.UNIVERSE);
        } else {
            b.scope(Scope.LINK);
        }
        lab.ns.ipv4().addRoute(b.build(), Ipv4.RouteAddMode.ADD);
    }

    static Stream<Arguments> outputLookups() {
        // destination, bound device, source; then type, device, gateway, chosen source (or an errno)
        return Stream.of(
                Arguments.of("127.0.0.5", null, null, "LOCAL lo - 127.0.0.1"),
                Arguments.of("10.1.1.3", null, null, "LOCAL lo - 10.1.1.3"),
                Arguments.of("10.1.1.5", null, null, "UNICAST veth0 - 10.1.1.2"),
                Arguments.of("10.1.1.255", null, null, "BROADCAST veth0 - 10.1.1.2"),
                Arguments.of("10.1.1.0", null, null, "UNICAST veth0 - 10.1.1.2"),
                Arguments.of("10.1.1.5", "veth1", null, "UNICAST veth1 - 10.1.1.3"),
                Arguments.of("1.1.1.1", "veth1", null, "UNICAST veth1 - 10.1.1.3"),
                Arguments.of("1.1.1.1", null, null, "UNICAST veth0 10.1.1.1 10.1.1.2"),
                Arguments.of("10.1.1.5", null, "10.1.1.3", "UNICAST veth0 - 10.1.1.3"),
                Arguments.of("10.1.1.5", null, "10.9.9.9", "ENETUNREACH"),
                Arguments.of("10.8.1.1", null, null, "UNICAST veth0 10.1.1.1 10.1.1.2"),
                // from ip_route_output_key_hash_rcu, as 1.1.1.1 oif veth1 was recorded
                Arguments.of("10.8.1.1", "veth1", null, "UNICAST veth1 - 10.1.1.3"));
    }

    @ParameterizedTest(name = "{0} oif {1} from {2}: {3}")
    @MethodSource("outputLookups")
    void outputRouteLookup(String destination, String oif, String source, String expected) {
        Lab lab = pair();
        route(lab, "0.0.0.0/0", "10.1.1.1", "veth0", 0);
        route(lab, "10.8.0.0/16", "10.1.1.1", "veth0", 0);
        route(lab, "10.8.0.0/16", null, "lo", 50);
        int ifindex = oif == null ? 0 : lab.ns.device(oif).ifindex();
        Flow flow = Flow.output(ip(destination), source == null ? Ipv4Address.ANY : ip(source), ifindex);
        if (expected.startsWith("E")) {
            KernelException e = assertThrows(KernelException.class, () -> lab.ipv4().routing().output(flow));
            assertEquals(Errno.valueOf(expected), e.errno());
            return;
        }
        Dst dst = lab.ipv4().routing().output(flow);
        String got = dst.type() + " " + dst.device().name() + " " + (dst.gateway() == null ? "-" : dst.gateway())
                + " " + dst.source();
        assertEquals(expected, got);
    }

    static Stream<Arguments> linkdownLookups() {
        // ignore_routes_with_linkdown (all, veth0), destination, bound device; then the result
        return Stream.of(
                Arguments.of(0, 0, "10.1.1.9", null, "veth0 -"),
                Arguments.of(0, 0, "10.8.1.1", null, "veth0 10.1.1.1"),
                Arguments.of(0, 1, "10.1.1.9", null, "ENETUNREACH"),
                Arguments.of(0, 1, "10.8.1.1", null, "lo -"),
                Arguments.of(0, 1, "10.1.1.9", "veth0", "veth0 -"),
                Arguments.of(2, 0, "10.1.1.9", null, "ENETUNREACH"));
    }

    @ParameterizedTest(name = "ignore {0}/{1}: {2} oif {3} -> {4}")
    @MethodSource("linkdownLookups")
    void routesWithoutCarrierAreUsedUnlessIgnored(int all, int dev, String destination, String oif,
                                                  String expected) {
        Lab lab = new Lab();
        NetDevice[] pair = lab.vethPair("veth0", "veth1");
        lab.address(pair[0], "10.1.1.2/24");
        lab.up(pair[0]); // the peer stays down: no carrier, routes linkdown
        route(lab, "10.8.0.0/16", "10.1.1.1", "veth0", 0);
        route(lab, "10.8.0.0/16", null, "lo", 50);
        lab.sysctl("net/ipv4/conf/all/ignore_routes_with_linkdown", Integer.toString(all));
        lab.sysctl("net/ipv4/conf/veth0/ignore_routes_with_linkdown", Integer.toString(dev));
        int ifindex = oif == null ? 0 : lab.ns.device(oif).ifindex();
        Flow flow = Flow.output(ip(destination), Ipv4Address.ANY, ifindex);
        if (expected.startsWith("E")) {
            KernelException e = assertThrows(KernelException.class, () -> lab.ipv4().routing().output(flow));
            assertEquals(Errno.valueOf(expected), e.errno());
            return;
        }
        Dst dst = lab.ipv4().routing().output(flow);
        assertEquals(expected, dst.device().name() + " " + (dst.gateway() == null ? "-" : dst.gateway()));
        assertEquals(ip("10.1.1.2"), dst.source());
    }

    static Stream<Arguments> sourceValidation() {
        // accept_local (all, veth1), rp_filter (all, veth1), source arriving on veth1; then the verdict
        return Stream.of(
                Arguments.of(0, 0, 0, 0, "10.1.1.2", "EINVAL"),
                Arguments.of(0, 1, 0, 0, "10.1.1.2", "accepted"),
                Arguments.of(1, 0, 0, 0, "10.1.1.2", "accepted"),
                Arguments.of(0, 1, 0, 1, "10.1.1.2", "EXDEV"),
                Arguments.of(0, 1, 1, 0, "10.1.1.2", "EXDEV"),
                Arguments.of(0, 1, 0, 2, "10.1.1.2", "accepted"),
                Arguments.of(0, 1, 2, 1, "10.1.1.2", "accepted"),
                // from __fib_validate_source: no route back is fine only without rp_filter
                Arguments.of(0, 0, 0, 0, "10.7.7.7", "accepted"),
                Arguments.of(0, 0, 0, 1, "10.7.7.7", "EXDEV"),
                Arguments.of(0, 0, 0, 2, "10.7.7.7", "EXDEV"));
    }

    @ParameterizedTest(name = "accept_local {0}/{1} rp_filter {2}/{3} from {4}: {5}")
    @MethodSource("sourceValidation")
    void localSourcesNeedAcceptLocalAndPassTheReversePathFilter(int acceptAll, int acceptDev, int rpAll, int rpDev,
                                                                String source, String expected) {
        Lab lab = pair();
        lab.sysctl("net/ipv4/conf/all/accept_local", Integer.toString(acceptAll));
        lab.sysctl("net/ipv4/conf/veth1/accept_local", Integer.toString(acceptDev));
        lab.sysctl("net/ipv4/conf/all/rp_filter", Integer.toString(rpAll));
        lab.sysctl("net/ipv4/conf/veth1/rp_filter", Integer.toString(rpDev));
        NetDevice veth1 = lab.ns.device("veth1");
        String got;
        try {
            lab.ipv4().routing().validateSource(ip(source), ip("10.1.1.3"), 0, 0, veth1);
            got = "accepted";
        } catch (KernelException e) {
            got = e.errno().name();
        }
        assertEquals(expected, got);
    }

    static Stream<Arguments> arpIgnore() {
        // arp_ignore on veth1, the address asked for through veth0; then whether veth1 answered
        return Stream.of(
                Arguments.of(0, "10.2.2.2", true),
                Arguments.of(1, "10.2.2.2", false),
                Arguments.of(1, "10.1.1.3", true),
                Arguments.of(2, "10.5.5.5", false),
                Arguments.of(0, "10.5.5.5", true),
                Arguments.of(8, "10.1.1.3", false));
    }

    /**
     * veth1 also has 10.5.5.5/32, lo has 10.2.2.2/32; routes through veth0 make the kernel ask
     * veth1 for them (10.5.5.5 from 10.2.2.2), as in the arp-ignore-announce scenario.
     */
    private static Lab arpLab() {
        Lab lab = pair();
        lab.address(lab.ns.loopback(), "10.2.2.2/32");
        lab.address(lab.ns.device("veth1"), "10.5.5.5/32");
        lab.sysctl("net/ipv4/conf/veth0/accept_local", "1");
        lab.sysctl("net/ipv4/conf/veth1/accept_local", "1");
        route(lab, "10.2.2.2/32", null, "veth0", 0);
        lab.ns.ipv4().addRoute(Route.builder(RouteType.UNICAST, IpPrefix.host(ip("10.5.5.5")))
                .protocol(RouteProtocol.BOOT).scope(Scope.LINK).preferredSource(ip("10.2.2.2"))
                .device(lab.ns.device("veth0")).build(), Ipv4.RouteAddMode.ADD);
        lab.sleep(3);
        return lab;
    }

    private static void pingThroughVeth0(Lab lab, String target) {
        IcmpSocket s = lab.ipv4().openRawIcmpSocket();
        s.bindToDevice("veth0");
        s.sendTo(dev.ipsim.kernel.wire.IcmpMessage.echoRequest(1, 1, new byte[56]).encode(), ip(target));
        lab.sleep(0.1);
        s.close();
    }

    @ParameterizedTest(name = "arp_ignore {0}, who-has {1}: answered {2}")
    @MethodSource("arpIgnore")
    void arpIgnoreDecidesWhichTargetsAreAnswered(int arpIgnore, String target, boolean answered) {
        Lab lab = arpLab();
        lab.sysctl("net/ipv4/conf/veth1/arp_ignore", Integer.toString(arpIgnore));
        pingThroughVeth0(lab, target);
        var n = lab.ipv4().neighbours().lookup(ip(target), lab.ns.device("veth0"));
        assertEquals(answered ? dev.ipsim.kernel.neigh.NudState.REACHABLE : dev.ipsim.kernel.neigh.NudState.INCOMPLETE,
                n.state());
    }

    @ParameterizedTest(name = "arp_announce {0}: the request says it is from {1}")
    @MethodSource("arpAnnounce")
    void arpAnnounceChoosesTheSenderAddressOfRequests(int arpAnnounce, String sender) {
        Lab lab = arpLab();
        lab.sysctl("net/ipv4/conf/veth0/arp_announce", Integer.toString(arpAnnounce));
        pingThroughVeth0(lab, "10.5.5.5");
        NetDevice veth1 = lab.ns.device("veth1");
        var learned = lab.ipv4().neighbours().lookup(ip(sender), veth1);
        assertEquals(dev.ipsim.kernel.neigh.NudState.STALE, learned.state(), "veth1 learned the sender");
        String other = sender.equals("10.2.2.2") ? "10.1.1.2" : "10.2.2.2";
        assertNull(lab.ipv4().neighbours().lookup(ip(other), veth1));
    }

    static Stream<Arguments> arpAnnounce() {
        return Stream.of(
                Arguments.of(0, "10.2.2.2"),
                Arguments.of(1, "10.1.1.2"),
                Arguments.of(2, "10.1.1.2"));
    }
}
