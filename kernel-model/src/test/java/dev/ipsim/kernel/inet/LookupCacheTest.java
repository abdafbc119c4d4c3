package dev.ipsim.kernel.inet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
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
import org.junit.jupiter.api.Test;

/**
 * The route lookup caches ({@link Routing}) answer a repeated question from memory, and a
 * change to anything the answer depends on makes the next lookup see it: each case asks, changes
 * one thing, and asks again, expecting what {@link RoutingRulesTest}'s recorded cases expect of
 * a lab built that way from the start.
 */
class LookupCacheTest {

    private static Ipv4Address ip(String s) {
        return Ipv4Address.parse(s);
    }

    private static Lab pair() {
        Lab lab = new Lab();
        NetDevice[] pair = lab.vethPair("veth0", "veth1");
        lab.address(pair[0], "10.1.1.2/24");
        lab.address(pair[1], "10.1.1.3/24");
        lab.up(pair[0]);
        lab.up(pair[1]);
        return lab;
    }

    private static Route route(Lab lab, String prefix, String gateway, String dev) {
        String[] p = prefix.split("/");
        Route.Builder b = Route.builder(RouteType.UNICAST, new IpPrefix(ip(p[0]), Integer.parseInt(p[1])))
                .protocol(RouteProtocol.BOOT).device(lab.ns.device(dev));
        if (gateway != null) {
            b.gateway(ip(gateway)).scope(Scope.UNIVERSE);
        } else {
            b.scope(Scope.LINK);
        }
        Route r = b.build();
        lab.ns.ipv4().addRoute(r, Ipv4.RouteAddMode.ADD);
        return r;
    }

    private static String output(Lab lab, String destination) {
        try {
            Dst dst = lab.ipv4().routing().output(Flow.output(ip(destination), Ipv4Address.ANY, 0));
            return dst.device().name() + " " + (dst.gateway() == null ? "-" : dst.gateway()) + " " + dst.source();
        } catch (KernelException e) {
            return e.errno().name();
        }
    }

    @Test
    void aRepeatedLookupIsAnsweredFromTheCache() {
        Lab lab = pair();
        route(lab, "10.8.0.0/16", "10.1.1.1", "veth0");
        Flow first = Flow.output(ip("10.8.1.1"), Ipv4Address.ANY, 0);
        Flow second = Flow.output(ip("10.8.1.1"), Ipv4Address.ANY, 0);
        Dst a = lab.ipv4().routing().output(first);
        Dst b = lab.ipv4().routing().output(second);
        assertSame(a, b);
        // the flow is filled in as a lookup fills it
        assertEquals(ip("10.1.1.2"), second.source);
    }

    @Test
    void aNewRouteIsSeen() {
        Lab lab = pair();
        route(lab, "10.8.0.0/16", "10.1.1.1", "veth0");
        assertEquals("veth0 10.1.1.1 10.1.1.2", output(lab, "10.8.1.1"));
        route(lab, "10.8.1.0/24", null, "veth1");
        assertEquals("veth1 - 10.1.1.3", output(lab, "10.8.1.1"));
    }

    @Test
    void aDeletedRouteIsSeen() {
        Lab lab = pair();
        Route r = route(lab, "10.8.0.0/16", "10.1.1.1", "veth0");
        assertEquals("veth0 10.1.1.1 10.1.1.2", output(lab, "10.8.1.1"));
        lab.ns.ipv4().tables().table(r.table()).remove(r);
        assertEquals("ENETUNREACH", output(lab, "10.8.1.1"));
    }

    @Test
    void aDeviceGoingDownIsSeen() {
        Lab lab = pair();
        assertEquals("veth1 - 10.1.1.3",
                describe(lab.ipv4().routing().output(Flow.output(ip("1.1.1.1"), Ipv4Address.ANY,
                        lab.ns.device("veth1").ifindex()))));
        lab.down(lab.ns.device("veth1"));
        KernelException e = assertThrows(KernelException.class, () -> lab.ipv4().routing().output(
                Flow.output(ip("1.1.1.1"), Ipv4Address.ANY, lab.ns.device("veth1").ifindex())));
        assertEquals(Errno.ENETUNREACH, e.errno());
    }

    @Test
    void aSysctlWriteIsSeen() {
        // linkdown routes: used until ignore_routes_with_linkdown says otherwise
        Lab lab = new Lab();
        NetDevice[] pair = lab.vethPair("veth0", "veth1");
        lab.address(pair[0], "10.1.1.2/24");
        lab.up(pair[0]);
        assertEquals("veth0 - 10.1.1.2", output(lab, "10.1.1.9"));
        lab.sysctl("net/ipv4/conf/veth0/ignore_routes_with_linkdown", "1");
        assertEquals("ENETUNREACH", output(lab, "10.1.1.9"));
    }

    @Test
    void anInputLookupSeesAcceptLocalChange() {
        Lab lab = pair();
        NetDevice veth1 = lab.ns.device("veth1");
        lab.sysctl("net/ipv4/conf/veth1/accept_local", "1");
        Dst dst = lab.ipv4().routing().input(ip("10.1.1.3"), ip("10.1.1.2"), 0, veth1, true);
        assertEquals(RouteType.LOCAL, dst.type());
        lab.sysctl("net/ipv4/conf/veth1/accept_local", "0");
        KernelException e = assertThrows(KernelException.class,
                () -> lab.ipv4().routing().input(ip("10.1.1.3"), ip("10.1.1.2"), 0, veth1, true));
        assertEquals(Errno.EINVAL, e.errno());
    }

    @Test
    void aRemovedAddressIsSeen() {
        Lab lab = pair();
        lab.address(lab.ns.device("veth1"), "10.5.5.5/32");
        assertEquals("lo - 10.5.5.5", output(lab, "10.5.5.5"));
        Ipv4.AddressMatch match = new Ipv4.AddressMatch();
        match.local = ip("10.5.5.5");
        match.prefixLength = 32;
        lab.ns.ipv4().deleteAddress(lab.ns.device("veth1"), match);
        assertEquals("ENETUNREACH", output(lab, "10.5.5.5")); // no default route in this lab
    }

    private static String describe(Dst dst) {
        return dst.device().name() + " " + (dst.gateway() == null ? "-" : dst.gateway()) + " " + dst.source();
    }
}
