package dev.ipsim.kernel.wire;

import dev.ipsim.kernel.addr.Ipv6Address;

/**
 * An IPv6 datagram (RFC 8200): the fixed header's values and the payload, which starts with the
 * header {@link #nextHeader()} names (an extension header or the upper layer).
 */
public record Ipv6Packet(int trafficClass, int flowLabel, int nextHeader, int hopLimit, Ipv6Address source,
                         Ipv6Address destination, byte[] payload) {

    public static final int HEADER_LENGTH = 40;

    private static final class Field {
        static final int VERSION_CLASS_FLOW = 0;
        static final int PAYLOAD_LENGTH = 4;
        static final int NEXT_HEADER = 6;
        static final int HOP_LIMIT = 7;
        static final int SOURCE = 8;
        static final int DESTINATION = 24;
        static final int PAYLOAD = 40;
    }

    public static Ipv6Packet parse(byte[] b) {
        WireFormatException.require(b.length >= HEADER_LENGTH, "IPv6 packet shorter than its header");
        int first = Bytes.u32(b, Field.VERSION_CLASS_FLOW);
        WireFormatException.require(first >>> 28 == 6, "not IPv6");
        int payloadLength = Bytes.u16(b, Field.PAYLOAD_LENGTH);
        WireFormatException.require(HEADER_LENGTH + payloadLength <= b.length, "IPv6 payload length out of range");
        return new Ipv6Packet(first >>> 20 & 0xFF, first & 0xF_FFFF, Bytes.u8(b, Field.NEXT_HEADER),
                Bytes.u8(b, Field.HOP_LIMIT), Ipv6Address.ofBytes(b, Field.SOURCE), Ipv6Address.ofBytes(b, Field.DESTINATION),
                Bytes.slice(b, Field.PAYLOAD, Field.PAYLOAD + payloadLength));
    }

    public int totalLength() {
        return HEADER_LENGTH + payload.length;
    }

    public byte[] encode() {
        byte[] b = new byte[totalLength()];
        Bytes.put32(b, Field.VERSION_CLASS_FLOW, 6 << 28 | (trafficClass & 0xFF) << 20 | (flowLabel & 0xF_FFFF));
        Bytes.put16(b, Field.PAYLOAD_LENGTH, payload.length);
        Bytes.put8(b, Field.NEXT_HEADER, nextHeader);
        Bytes.put8(b, Field.HOP_LIMIT, hopLimit);
        source.writeTo(b, Field.SOURCE);
        destination.writeTo(b, Field.DESTINATION);
        System.arraycopy(payload, 0, b, Field.PAYLOAD, payload.length);
        return b;
    }

    /**
     * A hop-by-hop options header carrying a Router Alert for MLD (RFC 2711) and a two-byte PadN,
     * followed by {@code upper}: what Linux puts before every MLD message.
     */
    public static byte[] routerAlertHopByHop(int upperProtocol, byte[] upper) {
        byte[] b = new byte[8 + upper.length];
        Bytes.put8(b, 0, upperProtocol);
        Bytes.put8(b, 1, 0); // header extension length: 0 means 8 bytes
        Bytes.put8(b, 2, 5); // option: Router Alert
        Bytes.put8(b, 3, 2);
        Bytes.put16(b, 4, 0); // value 0: Multicast Listener Discovery
        Bytes.put8(b, 6, 1); // option: PadN
        Bytes.put8(b, 7, 0);
        System.arraycopy(upper, 0, b, 8, upper.length);
        return b;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ipv6Packet p && trafficClass == p.trafficClass && flowLabel == p.flowLabel
                && nextHeader == p.nextHeader && hopLimit == p.hopLimit && source.equals(p.source)
                && destination.equals(p.destination) && java.util.Arrays.equals(payload, p.payload);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(source, destination, nextHeader, java.util.Arrays.hashCode(payload));
    }

    @Override
    public String toString() {
        return "IPv6 src=" + source + " dst=" + destination + " nxt=" + nextHeader + " hlim=" + hopLimit + " len="
                + payload.length;
    }
}
