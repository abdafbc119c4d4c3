package dev.ipsim.kernel.ovs;

import dev.ipsim.kernel.addr.MacAddress;
import java.util.random.RandomGenerator;

/**
 * An OVSDB row's UUID ({@code struct uuid}: four 32-bit parts), random version 4 as
 * {@code uuid_generate} makes them. Sets of rows are kept and shown in UUID order, which is the
 * order of the UUIDs' text.
 */
public record OvsUuid(int p0, int p1, int p2, int p3) implements Comparable<OvsUuid> {

    /** {@code uuid_generate}: random bits with the version 4 and RFC 4122 variant bits set. */
    public static OvsUuid random(RandomGenerator random) {
        int p1 = (random.nextInt() & ~0xF000) | 0x4000;
        int p2 = (random.nextInt() & 0x3FFF_FFFF) | 0x8000_0000;
        return new OvsUuid(random.nextInt(), p1, p2, random.nextInt());
    }

    /** {@code UUID_FMT}. */
    @Override
    public String toString() {
        return String.format("%08x-%04x-%04x-%04x-%04x%08x", p0, p1 >>> 16, p1 & 0xFFFF, p2 >>> 16, p2 & 0xFFFF, p3);
    }

    @Override
    public int compareTo(OvsUuid o) {
        int c = Integer.compareUnsigned(p0, o.p0);
        if (c == 0) {
            c = Integer.compareUnsigned(p1, o.p1);
        }
        if (c == 0) {
            c = Integer.compareUnsigned(p2, o.p2);
        }
        if (c == 0) {
            c = Integer.compareUnsigned(p3, o.p3);
        }
        return c;
    }

    /**
     * A bridge's default Ethernet address ({@code bridge_create}): the UUID's first six bytes as
     * they lie in memory (its parts little-endian, on x86), marked locally administered unicast.
     */
    public MacAddress defaultEthernetAddress() {
        byte[] b = {(byte) p0, (byte) (p0 >>> 8), (byte) (p0 >>> 16), (byte) (p0 >>> 24), (byte) p1,
            (byte) (p1 >>> 8)};
        b[0] = (byte) ((b[0] & ~1) | 2);
        return MacAddress.ofBytes(b, 0);
    }
}
