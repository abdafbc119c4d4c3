package dev.ipsim.kernel.route;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ipsim.kernel.addr.Family;
import dev.ipsim.kernel.addr.IpPrefix;
import dev.ipsim.kernel.addr.Ipv4Address;
import dev.ipsim.kernel.addr.Ipv6Address;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The order a table is dumped in, which is the order {@code ip route} prints (oracle/recorded). */
class FibTableTest {

    private static Route v4(String prefix, int metric) {
        String[] p = prefix.split("/");
        return Route.builder(RouteType.UNICAST, new IpPrefix(Ipv4Address.parse(p[0]), Integer.parseInt(p[1])))
                .priority(metric).build();
    }

    private static Route v6(String prefix, int metric) {
        String[] p = prefix.split("/");
        return Route.builder(RouteType.UNICAST, new IpPrefix(Ipv6Address.parse(p[0]), Integer.parseInt(p[1])))
                .priority(metric).build();
    }

    private static List<String> dump(FibTable t) {
        return t.routes().stream().map(r -> r.destination() + " " + r.priority()).toList();
    }

    @Test
    void ipv4RoutesComeInKeyOrder() {
        // route-modify: default, 10.0.0.0/24, 10.0.1.0/24, 192.168.0.0/24, ..., 192.168.17.0
        FibTable t = new FibTable(Family.INET, RouteTableId.MAIN);
        for (String p : List.of("192.168.17.0/32", "10.0.1.0/24", "0.0.0.0/0", "192.168.0.0/24", "10.0.0.0/24")) {
            t.insert(v4(p, 0), FibTable.Position.BEFORE_EQUAL);
        }
        assertEquals(List.of("0.0.0.0/0 0", "10.0.0.0/24 0", "10.0.1.0/24 0", "192.168.0.0/24 0",
                "192.168.17.0/32 0"), dump(t));
    }

    @Test
    void ipv4LocalTableKeepsHostRoutesAfterTheirNetwork() {
        // loopback: local 127.0.0.0/8, local 127.0.0.1, broadcast 127.255.255.255
        FibTable t = new FibTable(Family.INET, RouteTableId.LOCAL);
        t.insert(v4("127.255.255.255/32", 0), FibTable.Position.AFTER_EQUAL);
        t.insert(v4("127.0.0.1/32", 0), FibTable.Position.AFTER_EQUAL);
        t.insert(v4("127.0.0.0/8", 0), FibTable.Position.AFTER_EQUAL);
        assertEquals(List.of("127.0.0.0/8 0", "127.0.0.1/32 0", "127.255.255.255/32 0"), dump(t));
    }

    @Test
    void samePrefixRoutesAreOrderedByMetricAndInsertionFlags() {
        // route-modify, 192.168.30.0/24: prepend goes before equal metrics, append after them
        FibTable t = new FibTable(Family.INET, RouteTableId.MAIN);
        Route replaced = v4("192.168.30.0/24", 0);
        t.insert(replaced, FibTable.Position.BEFORE_EQUAL);
        t.insert(v4("192.168.30.0/24", 7), FibTable.Position.BEFORE_EQUAL);
        Route appended = v4("192.168.30.0/24", 0);
        t.insert(appended, FibTable.Position.AFTER_EQUAL);
        Route prepended = v4("192.168.30.0/24", 0);
        t.insert(prepended, FibTable.Position.BEFORE_EQUAL);
        List<Route> routes = t.routes();
        assertEquals(List.of(prepended, replaced, appended), routes.subList(0, 3));
        assertEquals(7, routes.get(3).priority());
    }

    @Test
    void ipv6RoutesComeInRadixTreePostOrder() {
        // addr-ipv6 and route-ipv6: ::ffff:0.0.0.0/96 first, a /128 before the /64 that holds it,
        // fe80::/64 after 2001:db8::/..., the default route last
        FibTable t = new FibTable(Family.INET6, RouteTableId.MAIN);
        for (String p : List.of("::/0", "fe80::/64", "2001:db8:7::/64", "2001:db8:7::2/128", "2001:db8::/64",
                "::ffff:0.0.0.0/96", "2001:db8:3::/48")) {
            t.insert(v6(p, 256), FibTable.Position.AFTER_EQUAL);
        }
        assertEquals(List.of("::ffff:0.0.0.0/96 256", "2001:db8::/64 256", "2001:db8:3::/48 256",
                "2001:db8:7::2/128 256", "2001:db8:7::/64 256", "fe80::/64 256", "::/0 256"), dump(t));
    }
}
