package dev.ipsim.kernel.wire;

import dev.ipsim.kernel.addr.Ipv4Address;

/**
 * An IPv4 datagram (RFC 791): the header's values, its options as bytes, and the payload. The
 * total length and the header checksum are derived when encoding; {@link #parse} keeps the
 * checksum it read so a receiver can reject a bad one.
 */
public record Ipv4Packet(int tos, int identification, int flags, int fragmentOffset, int ttl, int protocol,
                         int headerChecksum, Ipv4Address source, Ipv4Address destination, byte[] options,
                         byte[] payload) {

    /** Length of a header without options. */
    public static final int MIN_HEADER_LENGTH = 20;
    /** The Don't Fragment flag, as it sits in {@link #flags()} (the top three bits, shifted down). */
    public static final int FLAG_DONT_FRAGMENT = 0b010;
    /** The More Fragments flag. */
    public static final int FLAG_MORE_FRAGMENTS = 0b001;

    private static final class Field {
        static final int VERSION_IHL = 0;
        static final int TOS = 1;
        static final int TOTAL_LENGTH = 2;
        static final int IDENTIFICATION = 4;
        static final int FLAGS_FRAGMENT = 6;
        static final int TTL = 8;
        static final int PROTOCOL = 9;
        static final int CHECKSUM = 10;
        static final int SOURCE = 12;
        static final int DESTINATION = 16;
        static final int OPTIONS = 20;
    }

    /** A datagram without options; the checksum is filled in when encoded. */
    public static Ipv4Packet of(int tos, int identification, int flags, int ttl, int protocol, Ipv4Address source,
                                Ipv4Address destination, byte[] payload) {
        return new Ipv4Packet(tos, identification, flags, 0, ttl, protocol, 0, source, destination, new byte[0],
                payload);
    }

    public static Ipv4Packet parse(byte[] b) {
        WireFormatException.require(b.length >= MIN_HEADER_LENGTH, "IPv4 packet shorter than its header");
        int versionIhl = Bytes.u8(b, Field.VERSION_IHL);
        WireFormatException.require(versionIhl >>> 4 == 4, "not IPv4");
        int headerLength = (versionIhl & 0xF) * 4;
        int totalLength = Bytes.u16(b, Field.TOTAL_LENGTH);
        WireFormatException.require(headerLength >= MIN_HEADER_LENGTH && headerLength <= totalLength
                && totalLength <= b.length, "IPv4 header or total length out of range");
        int flagsFragment = Bytes.u16(b, Field.FLAGS_FRAGMENT);
        return new Ipv4Packet(Bytes.u8(b, Field.TOS), Bytes.u16(b, Field.IDENTIFICATION), flagsFragment >>> 13,
                flagsFragment & 0x1FFF, Bytes.u8(b, Field.TTL), Bytes.u8(b, Field.PROTOCOL), Bytes.u16(b, Field.CHECKSUM),
                Ipv4Address.ofBytes(b, Field.SOURCE), Ipv4Address.ofBytes(b, Field.DESTINATION),
                Bytes.slice(b, Field.OPTIONS, headerLength), Bytes.slice(b, headerLength, totalLength));
    }

    public int headerLength() {
        return MIN_HEADER_LENGTH + options.length;
    }

    public int totalLength() {
        return headerLength() + payload.length;
    }

    public boolean dontFragment() {
        return (flags & FLAG_DONT_FRAGMENT) != 0;
    }

    /** Encodes the datagram with a freshly computed header checksum. */
    public byte[] encode() {
        WireFormatException.require(options.length % 4 == 0 && options.length <= 40, "IPv4 options not in 4-byte words");
        byte[] b = new byte[totalLength()];
        Bytes.put8(b, Field.VERSION_IHL, 0x40 | headerLength() / 4);
        Bytes.put8(b, Field.TOS, tos);
        Bytes.put16(b, Field.TOTAL_LENGTH, totalLength());
        Bytes.put16(b, Field.IDENTIFICATION, identification);
        Bytes.put16(b, Field.FLAGS_FRAGMENT, flags << 13 | fragmentOffset);
        Bytes.put8(b, Field.TTL, ttl);
        Bytes.put8(b, Field.PROTOCOL, protocol);
        source.writeTo(b, Field.SOURCE);
        destination.writeTo(b, Field.DESTINATION);
        System.arraycopy(options, 0, b, Field.OPTIONS, options.length);
        Bytes.put16(b, Field.CHECKSUM, Checksum.of(b, 0, headerLength()));
        System.arraycopy(payload, 0, b, headerLength(), payload.length);
        return b;
    }

    /** Whether the header checksum read by {@link #parse} is the one the header calls for. */
    public boolean checksumValid() {
        WireFormatException.require(options.length % 4 == 0 && options.length <= 40, "IPv4 options not in 4-byte words");
        return headerSum() == headerChecksum;
    }

    /**
     * The checksum {@link #encode} writes into the header, summed from the fields as they would
     * be encoded (each truncated to its field's width), without encoding the datagram.
     */
    private int headerSum() {
        int totalLength = totalLength();
        long sum = ((0x40 | headerLength() / 4) & 0xFF) << 8 | (tos & 0xFF);
        sum += totalLength & 0xFFFF;
        sum += identification & 0xFFFF;
        sum += (flags << 13 | fragmentOffset) & 0xFFFF;
        sum += (ttl & 0xFF) << 8 | (protocol & 0xFF);
        int s = source.bits();
        int d = destination.bits();
        sum += (s >>> 16) + (s & 0xFFFF) + (d >>> 16) + (d & 0xFFFF);
        return Checksum.finish(Checksum.add(sum, options, 0, options.length));
    }

    /** The same datagram with another TTL (as a router forwards it). */
    public Ipv4Packet withTtl(int newTtl) {
        return new Ipv4Packet(tos, identification, flags, fragmentOffset, newTtl, protocol, 0, source, destination,
                options, payload);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ipv4Packet p && tos == p.tos && identification == p.identification && flags == p.flags
                && fragmentOffset == p.fragmentOffset && ttl == p.ttl && protocol == p.protocol
                && source.equals(p.source) && destination.equals(p.destination)
                && java.util.Arrays.equals(options, p.options) && java.util.Arrays.equals(payload, p.payload);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(source, destination, protocol, identification);
    }

    @Override
    public String toString() {
        return "IPv4 src=" + source + " dst=" + destination + " proto=" + protocol + " ttl=" + ttl + " id="
                + identification + " len=" + totalLength();
    }
}
