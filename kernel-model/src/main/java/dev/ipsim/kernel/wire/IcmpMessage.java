package dev.ipsim.kernel.wire;

/**
 * An ICMP message (RFC 792): type, code, the four type-specific header bytes ({@link #rest()}:
 * identifier and sequence for echoes, the next-hop MTU for "fragmentation needed", the gateway
 * of a redirect) and the body. The checksum is derived when encoding.
 */
public record IcmpMessage(int type, int code, int rest, byte[] body) {

    public static final int HEADER_LENGTH = 8;

    public static final int ECHO_REPLY = 0;
    public static final int DEST_UNREACH = 3;
    public static final int SOURCE_QUENCH = 4;
    public static final int REDIRECT = 5;
    public static final int ECHO_REQUEST = 8;
    public static final int TIME_EXCEEDED = 11;
    public static final int PARAMETER_PROBLEM = 12;
    public static final int TIMESTAMP = 13;
    public static final int TIMESTAMP_REPLY = 14;

    public static final int NET_UNREACH = 0;
    public static final int HOST_UNREACH = 1;
    public static final int PROT_UNREACH = 2;
    public static final int PORT_UNREACH = 3;
    public static final int FRAG_NEEDED = 4;
    /** {@code ICMP_PKT_FILTERED}: communication administratively prohibited. */
    public static final int PKT_FILTERED = 13;

    private static final class Field {
        static final int TYPE = 0;
        static final int CODE = 1;
        static final int CHECKSUM = 2;
        static final int REST = 4;
        static final int BODY = 8;
    }

    public static IcmpMessage echoRequest(int identifier, int sequence, byte[] data) {
        return new IcmpMessage(ECHO_REQUEST, 0, identifier << 16 | sequence, data);
    }

    public static IcmpMessage echoReply(int identifier, int sequence, byte[] data) {
        return new IcmpMessage(ECHO_REPLY, 0, identifier << 16 | sequence, data);
    }

    public static IcmpMessage parse(byte[] b) {
        WireFormatException.require(b.length >= HEADER_LENGTH, "ICMP message shorter than its header");
        return new IcmpMessage(Bytes.u8(b, Field.TYPE), Bytes.u8(b, Field.CODE), Bytes.u32(b, Field.REST),
                Bytes.slice(b, Field.BODY, b.length));
    }

    /** Whether the checksum of an encoded message is right. */
    public static boolean checksumValid(byte[] b) {
        return Checksum.of(b, 0, b.length) == 0;
    }

    /** The echo identifier (upper half of {@link #rest()}). */
    public int identifier() {
        return rest >>> 16;
    }

    /** The echo sequence number (lower half of {@link #rest()}). */
    public int sequence() {
        return rest & 0xFFFF;
    }

    public boolean isEcho() {
        return type == ECHO_REQUEST || type == ECHO_REPLY;
    }

    /** Whether this is an error message, which carries the start of the datagram it is about. */
    public boolean isError() {
        return type == DEST_UNREACH || type == SOURCE_QUENCH || type == REDIRECT || type == TIME_EXCEEDED
                || type == PARAMETER_PROBLEM;
    }

    public int encodedLength() {
        return HEADER_LENGTH + body.length;
    }

    public byte[] encode() {
        byte[] b = new byte[encodedLength()];
        Bytes.put8(b, Field.TYPE, type);
        Bytes.put8(b, Field.CODE, code);
        Bytes.put32(b, Field.REST, rest);
        System.arraycopy(body, 0, b, Field.BODY, body.length);
        Bytes.put16(b, Field.CHECKSUM, Checksum.of(b, 0, b.length));
        return b;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IcmpMessage m && type == m.type && code == m.code && rest == m.rest
                && java.util.Arrays.equals(body, m.body);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(type, code, rest, java.util.Arrays.hashCode(body));
    }

    @Override
    public String toString() {
        return "ICMP type=" + type + " code=" + code + (isEcho() ? " id=" + identifier() + " seq=" + sequence() : "")
                + " len=" + encodedLength();
    }
}
