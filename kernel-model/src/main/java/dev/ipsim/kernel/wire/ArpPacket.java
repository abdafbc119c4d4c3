package dev.ipsim.kernel.wire;

import dev.ipsim.kernel.addr.Ipv4Address;
import dev.ipsim.kernel.addr.MacAddress;

/**
 * An ARP packet for IPv4 over Ethernet (RFC 826): 28 bytes. The operation is kept as a number
 * ({@link #REQUEST}, {@link #REPLY}, or whatever came in); packets for other hardware or
 * protocol address lengths are not this format.
 */
public record ArpPacket(int hardwareType, int protocolType, int operation, MacAddress senderMac,
                        Ipv4Address senderIp, MacAddress targetMac, Ipv4Address targetIp) {

    public static final int LENGTH = 28;
    /** {@code ARPHRD_ETHER}. */
    public static final int HARDWARE_ETHERNET = 1;
    /** {@code ARPOP_REQUEST}. */
    public static final int REQUEST = 1;
    /** {@code ARPOP_REPLY}. */
    public static final int REPLY = 2;

    private static final class Field {
        static final int HTYPE = 0;
        static final int PTYPE = 2;
        static final int HLEN = 4;
        static final int PLEN = 5;
        static final int OPER = 6;
        static final int SHA = 8;
        static final int SPA = 14;
        static final int THA = 18;
        static final int TPA = 24;
    }

    private static final int ETHERNET_ADDRESS_LENGTH = 6;
    private static final int IPV4_ADDRESS_LENGTH = 4;

    /** An Ethernet/IPv4 packet with the given operation and addresses. */
    public static ArpPacket of(int operation, MacAddress senderMac, Ipv4Address senderIp, MacAddress targetMac,
                               Ipv4Address targetIp) {
        return new ArpPacket(HARDWARE_ETHERNET, EtherType.IPV4, operation, senderMac, senderIp, targetMac, targetIp);
    }

    /** Parses the first 28 bytes; what follows (padding) is ignored. */
    public static ArpPacket parse(byte[] b) {
        WireFormatException.require(b.length >= LENGTH, "ARP packet shorter than 28 bytes");
        WireFormatException.require(Bytes.u8(b, Field.HLEN) == ETHERNET_ADDRESS_LENGTH
                && Bytes.u8(b, Field.PLEN) == IPV4_ADDRESS_LENGTH, "ARP packet not for Ethernet and IPv4");
        return new ArpPacket(Bytes.u16(b, Field.HTYPE), Bytes.u16(b, Field.PTYPE), Bytes.u16(b, Field.OPER),
                MacAddress.ofBytes(b, Field.SHA), Ipv4Address.ofBytes(b, Field.SPA), MacAddress.ofBytes(b, Field.THA),
                Ipv4Address.ofBytes(b, Field.TPA));
    }

    public byte[] encode() {
        byte[] b = new byte[LENGTH];
        Bytes.put16(b, Field.HTYPE, hardwareType);
        Bytes.put16(b, Field.PTYPE, protocolType);
        Bytes.put8(b, Field.HLEN, ETHERNET_ADDRESS_LENGTH);
        Bytes.put8(b, Field.PLEN, IPV4_ADDRESS_LENGTH);
        Bytes.put16(b, Field.OPER, operation);
        senderMac.writeTo(b, Field.SHA);
        senderIp.writeTo(b, Field.SPA);
        targetMac.writeTo(b, Field.THA);
        targetIp.writeTo(b, Field.TPA);
        return b;
    }

    @Override
    public String toString() {
        String op = operation == REQUEST ? "Request" : operation == REPLY ? "Reply" : "Unknown (" + operation + ")";
        return "ARP " + op + " src=" + senderMac + "/" + senderIp + " tgt=" + targetMac + "/" + targetIp;
    }
}
