package dev.ipsim.kernel.wire;

import dev.ipsim.kernel.addr.MacAddress;

/**
 * An Ethernet II frame: destination, source, type and payload. There is no frame check sequence
 * and no padding to 60 bytes, as a capture on a Linux veth or loopback device shows them (a
 * 28-byte ARP packet travels in a 42-byte frame).
 */
public record EthernetFrame(MacAddress destination, MacAddress source, int etherType, byte[] payload) {

    /** Length of the header ({@code ETH_HLEN}). */
    public static final int HEADER_LENGTH = 14;

    private static final class Field {
        static final int DESTINATION = 0;
        static final int SOURCE = 6;
        static final int TYPE = 12;
        static final int PAYLOAD = 14;
    }

    public static EthernetFrame parse(byte[] frame) {
        WireFormatException.require(frame.length >= HEADER_LENGTH, "Ethernet frame shorter than its header");
        return new EthernetFrame(MacAddress.ofBytes(frame, Field.DESTINATION), MacAddress.ofBytes(frame, Field.SOURCE),
                Bytes.u16(frame, Field.TYPE), Bytes.slice(frame, Field.PAYLOAD, frame.length));
    }

    /** The type field of a frame, read without parsing the rest. */
    public static int etherTypeOf(byte[] frame) {
        WireFormatException.require(frame.length >= HEADER_LENGTH, "Ethernet frame shorter than its header");
        return Bytes.u16(frame, Field.TYPE);
    }

    /** The destination address of a frame, read without parsing the rest. */
    public static MacAddress destinationOf(byte[] frame) {
        WireFormatException.require(frame.length >= HEADER_LENGTH, "Ethernet frame shorter than its header");
        return MacAddress.ofBytes(frame, Field.DESTINATION);
    }

    public int encodedLength() {
        return HEADER_LENGTH + payload.length;
    }

    public byte[] encode() {
        byte[] b = new byte[encodedLength()];
        destination.writeTo(b, Field.DESTINATION);
        source.writeTo(b, Field.SOURCE);
        Bytes.put16(b, Field.TYPE, etherType);
        System.arraycopy(payload, 0, b, Field.PAYLOAD, payload.length);
        return b;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EthernetFrame f && destination.equals(f.destination) && source.equals(f.source)
                && etherType == f.etherType && java.util.Arrays.equals(payload, f.payload);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(destination, source, etherType, java.util.Arrays.hashCode(payload));
    }

    @Override
    public String toString() {
        return "EthernetII src=" + source + " dst=" + destination + " type=0x" + Integer.toHexString(etherType)
                + " len=" + payload.length;
    }
}
