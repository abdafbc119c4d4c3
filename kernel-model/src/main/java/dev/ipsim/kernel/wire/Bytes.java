package dev.ipsim.kernel.wire;

/** Big-endian reads and writes on byte arrays: network byte order, in one place. */
final class Bytes {

    private Bytes() {
    }

    static int u8(byte[] b, int at) {
        return b[at] & 0xFF;
    }

    static int u16(byte[] b, int at) {
        return (b[at] & 0xFF) << 8 | (b[at + 1] & 0xFF);
    }

    static int u32(byte[] b, int at) {
        return u16(b, at) << 16 | u16(b, at + 2);
    }

    static void put8(byte[] b, int at, int v) {
        b[at] = (byte) v;
    }

    static void put16(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }

    static void put32(byte[] b, int at, int v) {
        put16(b, at, v >>> 16);
        put16(b, at + 2, v);
    }

    /** No bytes: what an empty slice is (a datagram without options), shared as it cannot change. */
    private static final byte[] EMPTY = new byte[0];

    static byte[] slice(byte[] b, int from, int to) {
        if (from == to && from <= b.length) {
            return EMPTY;
        }
        return java.util.Arrays.copyOfRange(b, from, to);
    }
}
