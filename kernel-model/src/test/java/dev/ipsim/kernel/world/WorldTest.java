package dev.ipsim.kernel.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipsim.kernel.Kernel;
import dev.ipsim.kernel.NetNamespace;
import dev.ipsim.kernel.Scope;
import dev.ipsim.kernel.addr.IpPrefix;
import dev.ipsim.kernel.addr.Ipv4Address;
import dev.ipsim.kernel.addr.MacAddress;
import dev.ipsim.kernel.inet.IcmpSocket;
import dev.ipsim.kernel.inet.UdpSocket;
import dev.ipsim.kernel.ipv4.Ipv4;
import dev.ipsim.kernel.link.EthernetNic;
import dev.ipsim.kernel.link.LinkSpec;
import dev.ipsim.kernel.neigh.Neighbour;
import dev.ipsim.kernel.route.Route;
import dev.ipsim.kernel.route.RouteProtocol;
import dev.ipsim.kernel.route.RouteType;
import dev.ipsim.kernel.time.VirtualClock;
import dev.ipsim.kernel.wire.DnsMessage;
import dev.ipsim.kernel.wire.IcmpMessage;
import dev.ipsim.kernel.wire.Ipv4Packet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The world outside the VM, as a learner meets it with ping, and the choices it is made of
 * (see {@link UserNetwork}, {@link Internet}, {@link Zone}): the gateway's ARP and pings, public
 * hosts' TTLs and round trips, silence from private and unanswering addresses, "time exceeded"
 * from the router where a TTL runs out, the DNS server's answers, determinism under a seed, and
 * the bounds that keep it small however many addresses are asked about.
 */
class WorldTest {

    private static final long MS = VirtualClock.NANOS_PER_MILLI;

    /** A VM like the default host profile's: eth0 10.0.2.15/24, default route via 10.0.2.2. */
    private static final class Vm {
        final Kernel kernel = new Kernel(3, 0, 2);
        final NetNamespace ns = kernel.initNamespace();
        final World world;
        final EthernetNic eth0;

        Vm(long seed) {
            LinkSpec up = new LinkSpec();
            up.up = true;
            ns.setLink(ns.loopback(), up);
            eth0 = ns.addEthernetNic("eth0", MacAddress.parse("52:54:00:12:34:56"));
            world = World.create(kernel, seed);
            world.connect(eth0);
            ns.setLink(eth0, up);
            Ipv4.AddressRequest r = new Ipv4.AddressRequest();
            r.local = Ipv4Address.of(10, 0, 2, 15);
            r.prefixLength = 24;
            ns.ipv4().addAddress(eth0, r, false, true);
            ns.ipv4().addRoute(Route.builder(RouteType.UNICAST, new IpPrefix(Ipv4Address.ANY, 0))
                    .protocol(RouteProtocol.BOOT).scope(Scope.UNIVERSE).gateway(UserNetwork.GATEWAY).device(eth0)
                    .build(), Ipv4.RouteAddMode.ADD);
            kernel.advance(2 * VirtualClock.NANOS_PER_SECOND);
        }

        /** One echo request with this TTL; the reply (or error) datagram and its round trip, or null. */
        Reply ping(String address, int ttl) {
            IcmpSocket s = ns.stack().ipv4().openRawIcmpSocket();
            s.setReceiveErrors(true);
            s.setTtl(ttl);
            long sent = kernel.clock().nanos();
            s.sendTo(IcmpMessage.echoRequest(7, 1, new byte[56]).encode(), Ipv4Address.parse(address));
            kernel.runUntil(sent + 2 * VirtualClock.NANOS_PER_SECOND, () -> s.hasDataOrError() || s.readable());
            try {
                IcmpSocket.Received r;
                while ((r = s.receive()) != null) {
                    Ipv4Packet ip = Ipv4Packet.parse(r.datagram());
                    IcmpMessage m = IcmpMessage.parse(ip.payload());
                    if (m.type() == IcmpMessage.ECHO_REQUEST) {
                        continue; // our own request, seen over lo when the destination is local
                    }
                    return new Reply(ip.source(), m.type(), ip.ttl(), r.timestampNanos() - sent);
                }
                return null;
            } finally {
                s.close();
            }
        }

        DnsMessage dns(String server, String name, int type) {
            UdpSocket s = ns.stack().ipv4().openUdpSocket();
            try {
                s.connect(Ipv4Address.parse(server), 53);
                s.send(DnsMessage.query(0x1234, DnsMessage.FLAG_RECURSION_DESIRED, name, type).encode());
                kernel.runUntil(kernel.clock().nanos() + 5 * VirtualClock.NANOS_PER_SECOND, s::readable);
                UdpSocket.Received r = s.receive();
                return r == null ? null : DnsMessage.parse(r.payload());
            } finally {
                s.close();
            }
        }
    }

    private record Reply(Ipv4Address from, int type, int ttl, long rttNanos) {
    }

    @Test
    void theGatewayAnswersArpWithQemusAddressAndPingWithTtl64InAFewMilliseconds() {
        Vm vm = new Vm(1);
        Reply r = vm.ping("10.0.2.2", 64);
        assertNotNull(r);
        assertEquals(IcmpMessage.ECHO_REPLY, r.type());
        assertEquals(64, r.ttl());
        assertTrue(r.rttNanos() > 900_000 && r.rttNanos() < 4 * MS, "rtt " + r.rttNanos());
        Neighbour n = vm.ns.stack().ipv4().neighbours().lookup(UserNetwork.GATEWAY, vm.eth0);
        assertEquals(MacAddress.parse("52:55:0a:00:02:02"), n.lladdr());
        assertNotNull(vm.ping("10.0.2.3", 64), "the DNS server answers ping too");
    }

    @Test
    void virtualBoxsNatAnswersArpWithItsOwnAddresses() {
        assertEquals(MacAddress.parse("52:54:00:12:35:02"),
                UserNetwork.macOf(UserNetwork.Hypervisor.VIRTUALBOX, UserNetwork.GATEWAY));
        assertEquals(MacAddress.parse("52:54:00:12:35:03"),
                UserNetwork.macOf(UserNetwork.Hypervisor.VIRTUALBOX, UserNetwork.NAMESERVER));
        assertEquals(MacAddress.parse("52:55:0a:00:02:03"), UserNetwork.macOf(UserNetwork.NAMESERVER));
    }

    @Test
    void wellKnownHostsAnswerWithTheirUsualTtlAndRoundTrip() {
        Vm vm = new Vm(1);
        Reply cloudflare = vm.ping("1.1.1.1", 64);
        assertEquals(56, cloudflare.ttl());
        assertTrue(cloudflare.rttNanos() > 10 * MS && cloudflare.rttNanos() < 14 * MS, "" + cloudflare.rttNanos());
        Reply google = vm.ping("8.8.8.8", 64);
        assertEquals(117, google.ttl());
        assertTrue(google.rttNanos() > 15 * MS && google.rttNanos() < 21 * MS);
        assertEquals(52, vm.ping("111.13.101.208", 64).ttl());
        assertNull(vm.ping("140.82.121.4", 64), "github.com does not answer ping");
    }

    @Test
    void anyPublicAddressHasATtlFromAnOrdinaryStartingValue() {
        Vm vm = new Vm(5);
        int answered = 0;
        for (int i = 1; i <= 40; i++) {
            Reply r = vm.ping("77.88." + i + ".9", 64);
            if (r == null) {
                continue;
            }
            answered++;
            int routers;
            if (r.ttl() <= 64) {
                routers = 64 - r.ttl();
            } else if (r.ttl() <= 128) {
                routers = 128 - r.ttl();
            } else {
                routers = 255 - r.ttl();
            }
            assertTrue(routers >= 7 && routers <= 18, "ttl " + r.ttl());
            assertTrue(r.rttNanos() >= 10 * MS && r.rttNanos() < 340 * MS, "rtt " + r.rttNanos());
        }
        assertTrue(answered > 20 && answered < 40, "most, not all, answer: " + answered);
    }

    @Test
    void privateAndSpecialAddressesStaySilent() {
        Vm vm = new Vm(1);
        for (String a : List.of("192.168.1.1", "172.16.5.5", "10.9.9.9", "100.64.1.1", "198.51.100.7", "240.1.1.1")) {
            assertNull(vm.ping(a, 64), a);
        }
    }

    @Test
    void aTtlThatRunsOutIsAnsweredByTheRouterWhereItDid() {
        Vm vm = new Vm(1);
        Reply atGateway = vm.ping("8.8.8.8", 1);
        assertEquals(IcmpMessage.TIME_EXCEEDED, atGateway.type());
        assertEquals(UserNetwork.GATEWAY, atGateway.from());
        Reply second = vm.ping("8.8.8.8", 2);
        assertEquals(IcmpMessage.TIME_EXCEEDED, second.type());
        assertTrue(second.from().bits() != UserNetwork.GATEWAY.bits());
        assertEquals(IcmpMessage.ECHO_REPLY, vm.ping("8.8.8.8", 12).type(), "11 routers: TTL 12 arrives");
    }

    @Test
    void theDnsServerKnowsWellKnownNamesAndMakesUpTheRest() {
        Vm vm = new Vm(1);
        DnsMessage baidu = vm.dns("10.0.2.3", "baidu.com", DnsMessage.TYPE_A);
        assertEquals(Ipv4Address.parse("111.13.101.208"), Ipv4Address.ofBytes(baidu.answers().get(0).data(), 0));
        DnsMessage again = vm.dns("10.0.2.3", "baidu.com", DnsMessage.TYPE_A);
        assertEquals(Ipv4Address.parse("123.125.114.144"), Ipv4Address.ofBytes(again.answers().get(0).data(), 0),
                "round robin");
        DnsMessage www = vm.dns("10.0.2.3", "www.baidu.com", DnsMessage.TYPE_A);
        assertEquals(DnsMessage.TYPE_CNAME, www.answers().get(0).type());
        assertEquals("www.a.shifen.com", www.answers().get(0).targetName());
        assertEquals(DnsMessage.RCODE_NXDOMAIN, vm.dns("10.0.2.3", "nosuch.invalid", DnsMessage.TYPE_A).rcode());
        assertEquals(DnsMessage.RCODE_NXDOMAIN, vm.dns("10.0.2.3", "nosuch", DnsMessage.TYPE_A).rcode());
        DnsMessage made = vm.dns("10.0.2.3", "my-little-shop.com", DnsMessage.TYPE_A);
        assertEquals(1, made.answers().size());
        DnsMessage ptr = vm.dns("10.0.2.3", "8.8.8.8.in-addr.arpa", DnsMessage.TYPE_PTR);
        assertEquals("dns.google", ptr.answers().get(0).targetName());
        assertEquals(0, vm.dns("10.0.2.3", "baidu.com", DnsMessage.TYPE_AAAA).answers().size(), "no IPv6");
        assertNotNull(vm.dns("8.8.8.8", "example.com", DnsMessage.TYPE_A), "public resolvers answer too");
    }

    @Test
    void aMachineCanBeGivenItsOwnAnswersForAName() {
        Vm vm = new Vm(1);
        vm.world.zone().define("baidu.com", List.of(Ipv4Address.parse("123.125.114.144")));
        DnsMessage m = vm.dns("10.0.2.3", "baidu.com", DnsMessage.TYPE_A);
        assertEquals(1, m.answers().size());
        assertEquals(Ipv4Address.parse("123.125.114.144"), Ipv4Address.ofBytes(m.answers().get(0).data(), 0));
    }

    @Test
    void theSameSeedMakesTheSameWorldAndAnotherSeedAnother() {
        Zone a = new Zone(Hashing.mix(1, 0x57_0A_1DL));
        Zone b = new Zone(Hashing.mix(1, 0x57_0A_1DL));
        Zone c = new Zone(Hashing.mix(2, 0x57_0A_1DL));
        assertEquals(a.lookup("my-little-shop.com"), b.lookup("my-little-shop.com"));
        assertNotEquals(a.lookup("my-little-shop.com"), c.lookup("my-little-shop.com"));
        assertEquals(a.lookup("baidu.com"), c.lookup("baidu.com"), "well-known names do not depend on the seed");
        assertTrue(Internet.isGloballyRoutable(a.lookup("my-little-shop.com").addresses().get(0)));

        List<Long> first = new ArrayList<>();
        List<Long> second = new ArrayList<>();
        for (List<Long> rtts : List.of(first, second)) {
            Vm vm = new Vm(9);
            for (int i = 0; i < 3; i++) {
                rtts.add(vm.ping("93.184.215.14", 64).rttNanos());
            }
        }
        assertEquals(first, second);
    }

    @Test
    void itStaysSmallHoweverManyNamesAndAddressesAreAskedAbout() {
        Zone zone = new Zone(7);
        DnsServer dns = new DnsServer(zone, 7);
        for (int i = 0; i < 5 * DnsServer.CACHE_ENTRIES; i++) {
            byte[] q = DnsMessage.query(i, 0, "host" + i + ".example.net", DnsMessage.TYPE_A).encode();
            assertNotNull(dns.answer(q, i));
        }
        assertTrue(dns.cacheSize() <= DnsServer.CACHE_ENTRIES);
        Internet internet = new Internet(7, MS);
        for (int i = 0; i < 100_000; i++) {
            internet.host(new Ipv4Address(0x0500_0000 + i * 7919));
        }
        assertFalse(internet.host(Ipv4Address.parse("10.1.2.3")).answersPing());
    }
}
