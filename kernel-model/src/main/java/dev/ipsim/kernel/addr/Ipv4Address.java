package dev.ipsim.kernel.addr;

/**
 * An IPv4 address, held as its 32 bits in network order (the first octet in the high byte).
 *
 * <p>{@link #parse} accepts only the strict dotted quad; tools with looser grammars
 * (iproute2 takes {@code 10.1} and hex octets) parse on their own and build from bits.
 */
public record Ipv4Address(int bits) implements IpAddress, Comparable<Ipv4Address> {

    public static final Ipv4Address ANY = new Ipv4Address(0);
    public static final Ipv4Address LIMITED_BROADCAST = new Ipv4Address(0xFFFF_FFFF);
    public static final Ipv4Address LOOPBACK = new Ipv4Address(0x7F00_0001);

    public static Ipv4Address of(int a, int b, int c, int d) {
        return new Ipv4Address((a & 0xFF) << 24 | (b & 0xFF) << 16 | (c & 0xFF) << 8 | (d & 0xFF));
    }

    public static Ipv4Address ofBytes(byte[] src, int offset) {
        return of(src[offset], src[offset + 1], src[offset + 2], src[offset + 3]);
    }

    /**
     * Parses a strict dotted quad of decimal octets ({@code 192.168.0.1}).
     *
     * @return the address, or {@code null} when the text is not one
     */
    public static Ipv4Address parse(String text) {
        int value = 0;
        int parts = 0;
        int i = 0;
        int n = text.length();
        while (parts < 4) {
            int start = i;
            int octet = 0;
            while (i < n && i - start < 4 && Character.isDigit(text.charAt(i))) {
                octet = octet * 10 + (text.charAt(i) - '0');
                i++;
            }
            if (i == start || i - start > 3 || octet > 255) {
                return null;
            }
            value = value << 8 | octet;
            parts++;
            if (parts < 4) {
                if (i >= n || text.charAt(i) != '.') {
                    return null;
                }
                i++;
            }
        }
        return i == n ? new Ipv4Address(value) : null;
    }

    /** The network mask for a prefix length: {@code /24} is {@code 255.255.255.0}. */
    public static Ipv4Address netmask(int prefixLength) {
        return new Ipv4Address(maskBits(prefixLength));
    }

    static int maskBits(int prefixLength) {
        return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    }

    /** The prefix length of a contiguous netmask, or -1 when the mask has holes. */
    public int maskLength() {
        int inverted = ~bits;
        if ((inverted & (inverted + 1)) != 0) {
            return -1;
        }
        return Integer.bitCount(bits);
    }

    // equals and hashCode as the record's own, written out (see IpPrefix)

    @Override
    public boolean equals(Object o) {
        return o instanceof Ipv4Address a && a.bits == bits;
    }

    @Override
    public int hashCode() {
        return bits;
    }

    @Override
    public Family family() {
        return Family.INET;
    }

    @Override
    public boolean bit(int i) {
        return (bits >>> (31 - i) & 1) != 0;
    }

    @Override
    public Ipv4Address masked(int prefixLength) {
        int masked = bits & maskBits(prefixLength);
        return masked == bits ? this : new Ipv4Address(masked); // no host bits: its own network
    }

    /** The directed broadcast of the network this address is in, for a prefix length. */
    public Ipv4Address broadcast(int prefixLength) {
        return new Ipv4Address(bits | ~maskBits(prefixLength));
    }

    @Override
    public boolean isUnspecified() {
        return bits == 0;
    }

    /** 0.0.0.0/8, "this network" ({@code ipv4_is_zeronet}). */
    public boolean isZeroNet() {
        return (bits & 0xFF00_0000) == 0;
    }

    /** 127.0.0.0/8. */
    public boolean isLoopback() {
        return (bits & 0xFF00_0000) == 0x7F00_0000;
    }

    /** 224.0.0.0/4. */
    public boolean isMulticast() {
        return (bits & 0xF000_0000) == 0xE000_0000;
    }

    public boolean isLimitedBroadcast() {
        return bits == -1;
    }

    /** 169.254.0.0/16. */
    public boolean isLinkLocal() {
        return (bits & 0xFFFF_0000) == 0xA9FE_0000;
    }

    /** Unsigned order, the order of the kernel's FIB trie keys. */
    @Override
    public int compareTo(Ipv4Address o) {
        return Integer.compareUnsigned(bits, o.bits);
    }

    public int octet(int i) {
        return bits >>> (24 - 8 * i) & 0xFF;
    }

    public void writeTo(byte[] dst, int offset) {
        for (int i = 0; i < 4; i++) {
            dst[offset + i] = (byte) octet(i);
        }
    }

    @Override
    public String toString() {
        return octet(0) + "." + octet(1) + "." + octet(2) + "." + octet(3);
    }
}
