package dev.ipsim.kernel.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ipsim.kernel.addr.Ipv4Address;
import dev.ipsim.kernel.addr.MacAddress;
import org.junit.jupiter.api.Test;

/** A request and a reply as a real kernel sent them on a veth pair (tcpdump -xx). */
class ArpPacketTest {

    static final byte[] REQUEST_FRAME = Hex.bytes("""
            ffff ffff ffff 0200 0000 0001 0806 0001
            0800 0604 0001 0200 0000 0001 0a01 0102
            0000 0000 0000 0a01 0103""");
    static final byte[] REPLY_FRAME = Hex.bytes("""
            0200 0000 0001 0200 0000 0002 0806 0001
            0800 0604 0002 0200 0000 0002 0a01 0103
            0200 0000 0001 0a01 0102""");

    static final MacAddress VETH0 = MacAddress.parse("02:00:00:00:00:01");
    static final MacAddress VETH1 = MacAddress.parse("02:00:00:00:00:02");

    @Test
    void deconstructsARequest() {
        EthernetFrame frame = EthernetFrame.parse(REQUEST_FRAME);
        assertEquals(MacAddress.BROADCAST, frame.destination());
        assertEquals(VETH0, frame.source());
        assertEquals(EtherType.ARP, frame.etherType());
        ArpPacket arp = ArpPacket.parse(frame.payload());
        assertEquals(ArpPacket.REQUEST, arp.operation());
        assertEquals(ArpPacket.HARDWARE_ETHERNET, arp.hardwareType());
        assertEquals(EtherType.IPV4, arp.protocolType());
        assertEquals(VETH0, arp.senderMac());
        assertEquals(Ipv4Address.parse("10.1.1.2"), arp.senderIp());
        assertEquals(MacAddress.ZERO, arp.targetMac());
        assertEquals(Ipv4Address.parse("10.1.1.3"), arp.targetIp());
    }

    @Test
    void constructsAReplyByteForByte() {
        ArpPacket reply = ArpPacket.of(ArpPacket.REPLY, VETH1, Ipv4Address.parse("10.1.1.3"), VETH0,
                Ipv4Address.parse("10.1.1.2"));
        byte[] frame = new EthernetFrame(VETH0, VETH1, EtherType.ARP, reply.encode()).encode();
        assertArrayEquals(REPLY_FRAME, frame);
        assertEquals(42, frame.length);
    }

    @Test
    void roundTrips() {
        for (byte[] f : new byte[][] {REQUEST_FRAME, REPLY_FRAME}) {
            EthernetFrame frame = EthernetFrame.parse(f);
            ArpPacket arp = ArpPacket.parse(frame.payload());
            assertArrayEquals(f, new EthernetFrame(frame.destination(), frame.source(), frame.etherType(),
                    arp.encode()).encode());
        }
    }

    @Test
    void keepsAnUnknownOperation() {
        byte[] payload = EthernetFrame.parse(REQUEST_FRAME).payload();
        payload[7] = 7;
        assertEquals(7, ArpPacket.parse(payload).operation());
    }

    @Test
    void refusesTruncatedPackets() {
        assertThrows(WireFormatException.class, () -> ArpPacket.parse(new byte[27]));
        assertThrows(WireFormatException.class, () -> EthernetFrame.parse(new byte[13]));
    }
}
