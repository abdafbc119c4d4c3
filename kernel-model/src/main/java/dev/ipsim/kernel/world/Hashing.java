package dev.ipsim.kernel.world;

/**
 * Stable pseudo-random values from keys: the world's facts (which hosts answer, how far away
 * they are) are functions of the seed and the address, never stored.
 */
final class Hashing {

    private Hashing() {
    }

    /** SplitMix64's finaliser over the seed and the parts. */
    static long mix(long seed, long... parts) {
        long h = seed ^ 0x9E37_79B9_7F4A_7C15L;
        for (long p : parts) {
            h = finish(h + p * 0xBF58_476D_1CE4_E5B9L);
        }
        return h;
    }

    static long finish(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return z ^ (z >>> 31);
    }

    /** A value in {@code [0, bound)} from a hash. */
    static int below(long hash, int bound) {
        return (int) Long.remainderUnsigned(hash, bound);
    }

    /** A stable 64-bit hash of a string (case-insensitive, as DNS names are). */
    static long of(String s) {
        long h = 0x243F_6A88_85A3_08D3L;
        for (int i = 0; i < s.length(); i++) {
            h = finish(h + Character.toLowerCase(s.charAt(i)));
        }
        return h;
    }
}
