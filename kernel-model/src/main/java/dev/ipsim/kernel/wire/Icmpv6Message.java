package dev.ipsim.kernel.wire;

import dev.ipsim.kernel.addr.Ipv6Address;
import dev.ipsim.kernel.addr.MacAddress;
import java.util.List;

/**
 * An ICMPv6 message (RFC 4443): type, code, the four type-specific header bytes and the body.
 * Its checksum covers the IPv6 pseudo-header, so encoding needs the addresses. Factories build
 * the messages Linux sends by itself when a link comes up: Neighbour Solicitations for Duplicate
 * Address Detection (RFC 4862, with the RFC 7527 nonce), Router Solicitations (RFC 4861) and
 * MLDv2 reports (RFC 3810).
 */
public record Icmpv6Message(int type, int code, int rest, byte[] body) {

    public static final int HEADER_LENGTH = 8;

    public static final int ECHO_REQUEST = 128;
    public static final int ECHO_REPLY = 129;
    public static final int ROUTER_SOLICITATION = 133;
    public static final int ROUTER_ADVERTISEMENT = 134;
    public static final int NEIGHBOUR_SOLICITATION = 135;
    public static final int NEIGHBOUR_ADVERTISEMENT = 136;
    public static final int MLD2_REPORT = 143;

    /** ND option: source link-layer address. */
    public static final int OPTION_SOURCE_LLADDR = 1;
    /** ND option: target link-layer address. */
    public static final int OPTION_TARGET_LLADDR = 2;
    /** ND option: nonce (RFC 7527 enhanced DAD). */
    public static final int OPTION_NONCE = 14;

    /** MLDv2 record type CHANGE_TO_INCLUDE_MODE (a leave). */
    public static final int MLD2_CHANGE_TO_INCLUDE = 3;
    /** MLDv2 record type CHANGE_TO_EXCLUDE_MODE (a join). */
    public static final int MLD2_CHANGE_TO_EXCLUDE = 4;

    private static final class Field {
        static final int TYPE = 0;
        static final int CODE = 1;
        static final int CHECKSUM = 2;
        static final int REST = 4;
        static final int BODY = 8;
    }

    public static Icmpv6Message parse(byte[] b) {
        WireFormatException.require(b.length >= HEADER_LENGTH, "ICMPv6 message shorter than its header");
        return new Icmpv6Message(Bytes.u8(b, Field.TYPE), Bytes.u8(b, Field.CODE), Bytes.u32(b, Field.REST),
                Bytes.slice(b, Field.BODY, b.length));
    }

    /** Whether an encoded message's checksum is right for the addresses it travelled between. */
    public static boolean checksumValid(byte[] b, Ipv6Address source, Ipv6Address destination) {
        long sum = Checksum.ipv6PseudoHeader(source, destination, b.length, IpProtocol.ICMPV6);
        return Checksum.finish(Checksum.add(sum, b, 0, b.length)) == 0;
    }

    /** A DAD probe: who has {@code target}, with a nonce and no source link-layer option. */
    public static Icmpv6Message neighbourSolicitation(Ipv6Address target, byte[] nonce) {
        byte[] body = new byte[16 + 8];
        target.writeTo(body, 0);
        Bytes.put8(body, 16, OPTION_NONCE);
        Bytes.put8(body, 17, 1);
        System.arraycopy(nonce, 0, body, 18, 6);
        return new Icmpv6Message(NEIGHBOUR_SOLICITATION, 0, 0, body);
    }

    /** A Router Solicitation carrying the sender's link-layer address. */
    public static Icmpv6Message routerSolicitation(MacAddress source) {
        byte[] body = new byte[8];
        Bytes.put8(body, 0, OPTION_SOURCE_LLADDR);
        Bytes.put8(body, 1, 1);
        source.writeTo(body, 2);
        return new Icmpv6Message(ROUTER_SOLICITATION, 0, 0, body);
    }

    /** One MLDv2 multicast address record without sources. */
    public record MulticastRecord(int recordType, Ipv6Address group) {
    }

    /** An MLDv2 report with the given records (none of which lists sources). */
    public static Icmpv6Message mld2Report(List<MulticastRecord> records) {
        byte[] body = new byte[20 * records.size()];
        int at = 0;
        for (MulticastRecord r : records) {
            Bytes.put8(body, at, r.recordType());
            Bytes.put8(body, at + 1, 0);
            Bytes.put16(body, at + 2, 0);
            r.group().writeTo(body, at + 4);
            at += 20;
        }
        return new Icmpv6Message(MLD2_REPORT, 0, records.size(), body);
    }

    public int encodedLength() {
        return HEADER_LENGTH + body.length;
    }

    public byte[] encode(Ipv6Address source, Ipv6Address destination) {
        byte[] b = new byte[encodedLength()];
        Bytes.put8(b, Field.TYPE, type);
        Bytes.put8(b, Field.CODE, code);
        Bytes.put32(b, Field.REST, rest);
        System.arraycopy(body, 0, b, Field.BODY, body.length);
        long sum = Checksum.ipv6PseudoHeader(source, destination, b.length, IpProtocol.ICMPV6);
        Bytes.put16(b, Field.CHECKSUM, Checksum.finish(Checksum.add(sum, b, 0, b.length)));
        return b;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Icmpv6Message m && type == m.type && code == m.code && rest == m.rest
                && java.util.Arrays.equals(body, m.body);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(type, code, rest, java.util.Arrays.hashCode(body));
    }

    @Override
    public String toString() {
        return "ICMPv6 type=" + type + " code=" + code + " len=" + encodedLength();
    }
}
