package dev.ipsim.kernel.addr;

import java.util.random.RandomGenerator;

/**
 * A 48-bit Ethernet (IEEE 802) hardware address.
 *
 * <p>Formatted as the kernel and iproute2 print it: six lower-case, colon-separated,
 * two-digit hex octets ({@code 02:42:ac:11:00:02}).
 */
public record MacAddress(long bits) implements Comparable<MacAddress> {

    /** All zeros, the address of {@code lo}. */
    public static final MacAddress ZERO = new MacAddress(0L);
    /** All ones, the Ethernet broadcast address. */
    public static final MacAddress BROADCAST = new MacAddress(0xFFFF_FFFF_FFFFL);

    private static final long MASK = 0xFFFF_FFFF_FFFFL;
    private static final long MULTICAST_BIT = 0x01_00_00_00_00_00L;
    private static final long LOCAL_BIT = 0x02_00_00_00_00_00L;

    public MacAddress {
        if ((bits & ~MASK) != 0) {
            throw new IllegalArgumentException("not a 48-bit address: " + Long.toHexString(bits));
        }
    }

    /** Builds an address from its six octets, most significant first. */
    public static MacAddress ofBytes(byte[] octets, int offset) {
        long v = 0;
        for (int i = 0; i < 6; i++) {
            v = (v << 8) | (octets[offset + i] & 0xFF);
        }
        return new MacAddress(v);
    }

    /**
     * A random locally administered unicast address, as the kernel's
     * {@code eth_random_addr()} makes one: random bits, multicast bit cleared, local bit set.
     */
    public static MacAddress randomLocal(RandomGenerator random) {
        long v = random.nextLong() & MASK;
        v &= ~MULTICAST_BIT;
        v |= LOCAL_BIT;
        return new MacAddress(v);
    }

    /**
     * Parses {@code xx:xx:xx:xx:xx:xx} the way iproute2's {@code ll_addr_a2n} does for
     * Ethernet: one or two hex digits per octet, separated by colons.
     *
     * @return the address, or {@code null} when the text is not a 6-octet address
     */
    public static MacAddress parse(String text) {
        String[] parts = text.split(":", -1);
        if (parts.length != 6) {
            return null;
        }
        long v = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 2) {
                return null;
            }
            int octet;
            try {
                octet = Integer.parseInt(p, 16);
            } catch (NumberFormatException e) {
                return null;
            }
            v = (v << 8) | octet;
        }
        return new MacAddress(v);
    }

    /** Octet {@code i} (0 is the first on the wire). */
    public int octet(int i) {
        return (int) ((bits >>> (8 * (5 - i))) & 0xFF);
    }

    public byte[] toBytes() {
        byte[] b = new byte[6];
        writeTo(b, 0);
        return b;
    }

    public void writeTo(byte[] dst, int offset) {
        for (int i = 0; i < 6; i++) {
            dst[offset + i] = (byte) octet(i);
        }
    }

    public boolean isMulticast() {
        return (bits & MULTICAST_BIT) != 0;
    }

    public boolean isBroadcast() {
        return bits == BROADCAST.bits;
    }

    public boolean isZero() {
        return bits == 0;
    }

    /** A unicast address that is not all zeros: what {@code is_valid_ether_addr()} accepts. */
    public boolean isValidUnicast() {
        return !isMulticast() && !isZero();
    }

    @Override
    public int compareTo(MacAddress o) {
        return Long.compare(bits, o.bits);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(17);
        for (int i = 0; i < 6; i++) {
            if (i > 0) {
                sb.append(':');
            }
            int o = octet(i);
            sb.append(Character.forDigit(o >> 4, 16)).append(Character.forDigit(o & 0xF, 16));
        }
        return sb.toString();
    }

    // equals and hashCode as the record's own, written out (see IpPrefix)

    @Override
    public boolean equals(Object o) {
        return o instanceof MacAddress m && m.bits == bits;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(bits);
    }
}
