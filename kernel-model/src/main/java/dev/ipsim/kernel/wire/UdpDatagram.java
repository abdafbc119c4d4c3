package dev.ipsim.kernel.wire;

import dev.ipsim.kernel.addr.Ipv4Address;

/**
 * A UDP datagram (RFC 768): ports and payload. The length and the checksum (over the IPv4
 * pseudo-header, as Linux always sends it) are derived when encoding.
 */
public record UdpDatagram(int sourcePort, int destinationPort, byte[] payload) {

    public static final int HEADER_LENGTH = 8;

    private static final class Field {
        static final int SOURCE_PORT = 0;
        static final int DESTINATION_PORT = 2;
        static final int LENGTH = 4;
        static final int CHECKSUM = 6;
        static final int PAYLOAD = 8;
    }

    public static UdpDatagram parse(byte[] b) {
        WireFormatException.require(b.length >= HEADER_LENGTH, "UDP datagram shorter than its header");
        int length = Bytes.u16(b, Field.LENGTH);
        WireFormatException.require(length >= HEADER_LENGTH && length <= b.length, "UDP length out of range");
        return new UdpDatagram(Bytes.u16(b, Field.SOURCE_PORT), Bytes.u16(b, Field.DESTINATION_PORT),
                Bytes.slice(b, Field.PAYLOAD, length));
    }

    /**
     * Whether an encoded datagram's checksum is right for these addresses; a zero checksum
     * means the sender computed none, which IPv4 allows.
     */
    public static boolean checksumValid(byte[] b, Ipv4Address source, Ipv4Address destination) {
        if (b.length < HEADER_LENGTH || Bytes.u16(b, Field.CHECKSUM) == 0) {
            return b.length >= HEADER_LENGTH;
        }
        return Checksum.finish(pseudoHeader(source, destination, b.length) + Checksum.add(0, b, 0, b.length)) == 0;
    }

    private static long pseudoHeader(Ipv4Address source, Ipv4Address destination, int length) {
        byte[] addresses = new byte[8];
        source.writeTo(addresses, 0);
        destination.writeTo(addresses, 4);
        return Checksum.add(0, addresses, 0, 8) + IpProtocol.UDP + length;
    }

    public int encodedLength() {
        return HEADER_LENGTH + payload.length;
    }

    /** Encodes the datagram with its checksum for the given addresses (0 is sent as 0xffff). */
    public byte[] encode(Ipv4Address source, Ipv4Address destination) {
        byte[] b = new byte[encodedLength()];
        Bytes.put16(b, Field.SOURCE_PORT, sourcePort);
        Bytes.put16(b, Field.DESTINATION_PORT, destinationPort);
        Bytes.put16(b, Field.LENGTH, b.length);
        System.arraycopy(payload, 0, b, Field.PAYLOAD, payload.length);
        int sum = Checksum.finish(pseudoHeader(source, destination, b.length) + Checksum.add(0, b, 0, b.length));
        Bytes.put16(b, Field.CHECKSUM, sum == 0 ? 0xFFFF : sum);
        return b;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UdpDatagram d && sourcePort == d.sourcePort && destinationPort == d.destinationPort
                && java.util.Arrays.equals(payload, d.payload);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(sourcePort, destinationPort, java.util.Arrays.hashCode(payload));
    }

    @Override
    public String toString() {
        return "UDP " + sourcePort + " > " + destinationPort + " len=" + payload.length;
    }
}
