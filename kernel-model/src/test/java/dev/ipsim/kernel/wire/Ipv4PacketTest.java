package dev.ipsim.kernel.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipsim.kernel.addr.Ipv4Address;
import org.junit.jupiter.api.Test;

/** An echo request as iputils ping sent it through a veth (tcpdump -xx), and an error about it. */
class Ipv4PacketTest {

    static final byte[] ECHO_FRAME = Hex.bytes("""
            0200 0000 0002 0200 0000 0001 0800 4500
            0054 9fba 4000 4001 84e8 0a01 0102 0a01
            0103 0800 6e36 4eb0 0001 31c9 016b 0000
            0000 4411 0500 0000 0000 1011 1213 1415
            1617 1819 1a1b 1c1d 1e1f 2021 2223 2425
            2627 2829 2a2b 2c2d 2e2f 3031 3233 3435
            3637""");

    @Test
    void deconstructsAnEchoRequest() {
        Ipv4Packet ip = Ipv4Packet.parse(EthernetFrame.parse(ECHO_FRAME).payload());
        assertEquals(84, ip.totalLength());
        assertEquals(0x9fba, ip.identification());
        assertTrue(ip.dontFragment());
        assertEquals(64, ip.ttl());
        assertEquals(IpProtocol.ICMP, ip.protocol());
        assertEquals(Ipv4Address.parse("10.1.1.2"), ip.source());
        assertEquals(Ipv4Address.parse("10.1.1.3"), ip.destination());
        assertTrue(ip.checksumValid());
        IcmpMessage icmp = IcmpMessage.parse(ip.payload());
        assertEquals(IcmpMessage.ECHO_REQUEST, icmp.type());
        assertEquals(0x4eb0, icmp.identifier());
        assertEquals(1, icmp.sequence());
        assertEquals(56, icmp.body().length);
        assertTrue(IcmpMessage.checksumValid(ip.payload()));
    }

    @Test
    void roundTripsWithBothChecksums() {
        Ipv4Packet ip = Ipv4Packet.parse(EthernetFrame.parse(ECHO_FRAME).payload());
        IcmpMessage icmp = IcmpMessage.parse(ip.payload());
        Ipv4Packet rebuilt = Ipv4Packet.of(ip.tos(), ip.identification(), ip.flags(), ip.ttl(), ip.protocol(),
                ip.source(), ip.destination(), icmp.encode());
        byte[] frame = new EthernetFrame(EthernetFrame.destinationOf(ECHO_FRAME),
                EthernetFrame.parse(ECHO_FRAME).source(), EtherType.IPV4, rebuilt.encode()).encode();
        assertArrayEquals(ECHO_FRAME, frame);
    }

    @Test
    void noticesABadHeaderChecksum() {
        byte[] payload = EthernetFrame.parse(ECHO_FRAME).payload();
        payload[8] = 63;
        assertFalse(Ipv4Packet.parse(payload).checksumValid());
    }

    @Test
    void aHostUnreachableCarriesTheWholeOffendingDatagram() {
        byte[] offending = EthernetFrame.parse(ECHO_FRAME).payload();
        IcmpMessage error = new IcmpMessage(IcmpMessage.DEST_UNREACH, IcmpMessage.HOST_UNREACH, 0, offending);
        Ipv4Packet ip = Ipv4Packet.of(0xc0, 1, 0, 64, IpProtocol.ICMP, Ipv4Address.parse("10.1.1.2"),
                Ipv4Address.parse("10.1.1.2"), error.encode());
        Ipv4Packet parsed = Ipv4Packet.parse(ip.encode());
        assertEquals(112, parsed.totalLength());
        IcmpMessage back = IcmpMessage.parse(parsed.payload());
        assertTrue(back.isError());
        assertEquals(92, back.encodedLength());
        assertArrayEquals(offending, back.body());
    }
}
