package dev.ipsim.kernel.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipsim.kernel.addr.Ipv6Address;
import dev.ipsim.kernel.addr.MacAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The packets Linux sends by itself when a veth comes up, as captured with tcpdump -xx. */
class Ipv6PacketTest {

    static final MacAddress VETH0 = MacAddress.parse("02:00:00:00:00:01");
    static final Ipv6Address LINK_LOCAL = Ipv6Address.parse("fe80::ff:fe00:1");

    static final byte[] MLD_FROM_UNSPECIFIED = Hex.bytes("""
            3333 0000 0016 0200 0000 0001 86dd 6000
            0000 0024 0001 0000 0000 0000 0000 0000
            0000 0000 0000 ff02 0000 0000 0000 0000
            0000 0000 0016 3a00 0502 0000 0100 8f00
            6f89 0000 0001 0400 0000 ff02 0000 0000
            0000 0000 0001 ff00 0001""");
    static final byte[] MLD_FROM_LINK_LOCAL = Hex.bytes("""
            3333 0000 0016 0200 0000 0001 86dd 6000
            0000 0024 0001 fe80 0000 0000 0000 0000
            00ff fe00 0001 ff02 0000 0000 0000 0000
            0000 0000 0016 3a00 0502 0000 0100 8f00
            7207 0000 0001 0400 0000 ff02 0000 0000
            0000 0000 0001 ff00 0001""");
    static final byte[] DAD_PROBE = Hex.bytes("""
            3333 ff00 0001 0200 0000 0001 86dd 6000
            0000 0020 3aff 0000 0000 0000 0000 0000
            0000 0000 0000 ff02 0000 0000 0000 0000
            0001 ff00 0001 8700 c843 0000 0000 fe80
            0000 0000 0000 0000 00ff fe00 0001 0e01
            7da5 1da7 0b8c""");
    static final byte[] ROUTER_SOLICITATION = Hex.bytes("""
            3333 0000 0002 0200 0000 0001 86dd 6000
            0000 0010 3aff fe80 0000 0000 0000 0000
            00ff fe00 0001 ff02 0000 0000 0000 0000
            0000 0000 0002 8500 7b2c 0000 0000 0101
            0200 0000 0001""");

    private static byte[] frame(MacAddress dst, Ipv6Address src, Ipv6Address to, int hopLimit, int next,
                                byte[] payload) {
        Ipv6Packet ip = new Ipv6Packet(0, 0, next, hopLimit, src, to, payload);
        return new EthernetFrame(dst, VETH0, EtherType.IPV6, ip.encode()).encode();
    }

    @Test
    void buildsMldReportsFromEitherSource() {
        Ipv6Address group = LINK_LOCAL.solicitedNode();
        Ipv6Address allRouters = Ipv6Address.parse("ff02::16");
        Icmpv6Message report = Icmpv6Message.mld2Report(
                List.of(new Icmpv6Message.MulticastRecord(Icmpv6Message.MLD2_CHANGE_TO_EXCLUDE, group)));
        for (Ipv6Address src : new Ipv6Address[] {Ipv6Address.ANY, LINK_LOCAL}) {
            byte[] f = frame(MacAddress.parse("33:33:00:00:00:16"), src, allRouters, 1, IpProtocol.HOP_BY_HOP,
                    Ipv6Packet.routerAlertHopByHop(IpProtocol.ICMPV6, report.encode(src, allRouters)));
            assertArrayEquals(src.isUnspecified() ? MLD_FROM_UNSPECIFIED : MLD_FROM_LINK_LOCAL, f);
            assertEquals(90, f.length);
        }
    }

    @Test
    void buildsADadProbeWithItsNonce() {
        Ipv6Address target = LINK_LOCAL.solicitedNode();
        Icmpv6Message ns = Icmpv6Message.neighbourSolicitation(LINK_LOCAL, Hex.bytes("7da5 1da7 0b8c"));
        byte[] f = frame(MacAddress.parse("33:33:ff:00:00:01"), Ipv6Address.ANY, target, 255, IpProtocol.ICMPV6,
                ns.encode(Ipv6Address.ANY, target));
        assertArrayEquals(DAD_PROBE, f);
    }

    @Test
    void buildsARouterSolicitation() {
        Ipv6Address allRouters = Ipv6Address.parse("ff02::2");
        byte[] f = frame(MacAddress.parse("33:33:00:00:00:02"), LINK_LOCAL, allRouters, 255, IpProtocol.ICMPV6,
                Icmpv6Message.routerSolicitation(VETH0).encode(LINK_LOCAL, allRouters));
        assertArrayEquals(ROUTER_SOLICITATION, f);
        assertEquals(70, f.length);
    }

    @Test
    void roundTripsAndChecksChecksums() {
        for (byte[] f : new byte[][] {MLD_FROM_LINK_LOCAL, DAD_PROBE, ROUTER_SOLICITATION}) {
            Ipv6Packet ip = Ipv6Packet.parse(EthernetFrame.parse(f).payload());
            assertArrayEquals(EthernetFrame.parse(f).payload(), ip.encode());
            byte[] icmp = ip.nextHeader() == IpProtocol.HOP_BY_HOP
                    ? java.util.Arrays.copyOfRange(ip.payload(), 8, ip.payload().length) : ip.payload();
            assertTrue(Icmpv6Message.checksumValid(icmp, ip.source(), ip.destination()));
            Icmpv6Message m = Icmpv6Message.parse(icmp);
            assertArrayEquals(icmp, m.encode(ip.source(), ip.destination()));
        }
    }
}
