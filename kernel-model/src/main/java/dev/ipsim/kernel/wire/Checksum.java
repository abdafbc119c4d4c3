package dev.ipsim.kernel.wire;

import dev.ipsim.kernel.addr.Ipv6Address;

/** The Internet checksum (RFC 1071), and the IPv6 pseudo-header sum ICMPv6 covers (RFC 8200 8.1). */
public final class Checksum {

    private Checksum() {
    }

    /** The one's-complement sum of {@code b[from..to)} added to {@code sum}, not yet folded. */
    static long add(long sum, byte[] b, int from, int to) {
        int i = from;
        // eight bytes at a time, read as one big-endian long (the JIT makes it one load; the
        // buffer classes are loaded at JVM start anyway), added as two 32-bit words: 2^16 is 1
        // modulo 0xFFFF, so a sum of 32-bit words folds to the same 16-bit sum (a long holds
        // 2^31 of them before it could overflow)
        if (to - from >= 8) {
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(b);
            while (i + 7 < to) {
                long w = buffer.getLong(i);
                sum += (w >>> 32) + (w & 0xFFFF_FFFFL);
                i += 8;
            }
        }
        while (i + 1 < to) {
            sum += (b[i] & 0xFF) << 8 | (b[i + 1] & 0xFF);
            i += 2;
        }
        if (i < to) {
            sum += (b[i] & 0xFF) << 8;
        }
        return sum;
    }

    /** Folds a sum to 16 bits and complements it: the value that goes into a checksum field. */
    static int finish(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) (~sum & 0xFFFF);
    }

    /** The checksum of {@code b[from..to)}; 0 when the range already holds a correct checksum. */
    public static int of(byte[] b, int from, int to) {
        return finish(add(0, b, from, to));
    }

    /** The IPv6 pseudo-header's contribution: source, destination, upper-layer length, next header. */
    static long ipv6PseudoHeader(Ipv6Address source, Ipv6Address destination, int length, int nextHeader) {
        byte[] addresses = new byte[32];
        source.writeTo(addresses, 0);
        destination.writeTo(addresses, 16);
        return add(0, addresses, 0, 32) + (length >>> 16) + (length & 0xFFFF) + nextHeader;
    }
}
