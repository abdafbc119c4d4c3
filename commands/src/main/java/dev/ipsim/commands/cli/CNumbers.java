package dev.ipsim.commands.cli;

import java.math.BigInteger;

/**
 * C's number parsing as the real tools use it: {@code strtol}/{@code strtoul} (leading
 * white space, a sign, base 0 meaning {@code 0x} hex / leading-zero octal / decimal) and the
 * iproute2 wrappers that reject trailing garbage ({@code get_unsigned}, {@code get_integer},
 * {@code get_u32}, ...). An LP64 machine: {@code long} is 64 bits.
 */
public final class CNumbers {

    private static final BigInteger ULONG_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);
    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);

    private CNumbers() {
    }

    /** The outcome of a {@code strto*} call: the value, where parsing stopped, whether it overflowed. */
    public record Parsed(BigInteger value, int end, boolean range) {
        public boolean consumedAll(String s) {
            return end == s.length() && end > 0;
        }
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B;
    }

    /** Parses digits the way {@code strtoul} does; {@code end == 0} means no digits at all. */
    private static Parsed scan(String s, int base, boolean signed) {
        int i = 0;
        int n = s.length();
        while (i < n && isSpace(s.charAt(i))) {
            i++;
        }
        boolean negative = false;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        int b = base;
        if ((b == 0 || b == 16) && i + 1 < n && s.charAt(i) == '0' && (s.charAt(i + 1) == 'x' || s.charAt(i + 1) == 'X')
                && i + 2 < n && Character.digit(s.charAt(i + 2), 16) >= 0) {
            i += 2;
            b = 16;
        } else if (b == 0) {
            b = i < n && s.charAt(i) == '0' ? 8 : 10;
        }
        int start = i;
        BigInteger v = BigInteger.ZERO;
        BigInteger bb = BigInteger.valueOf(b);
        while (i < n) {
            int d = Character.digit(s.charAt(i), b);
            if (d < 0 || s.charAt(i) > 0x7F) {
                break;
            }
            v = v.multiply(bb).add(BigInteger.valueOf(d));
            i++;
        }
        if (i == start) {
            return new Parsed(BigInteger.ZERO, 0, false);
        }
        boolean range = false;
        if (signed) {
            BigInteger r = negative ? v.negate() : v;
            if (r.compareTo(LONG_MAX) > 0) {
                return new Parsed(LONG_MAX, i, true);
            }
            if (r.compareTo(LONG_MIN) < 0) {
                return new Parsed(LONG_MIN, i, true);
            }
            return new Parsed(r, i, false);
        }
        if (v.compareTo(ULONG_MAX) > 0) {
            return new Parsed(ULONG_MAX, i, true);
        }
        if (negative) {
            v = ULONG_MAX.add(BigInteger.ONE).subtract(v).mod(ULONG_MAX.add(BigInteger.ONE));
        }
        return new Parsed(v, i, range);
    }

    /** {@code strtoul}. */
    public static Parsed strtoul(String s, int base) {
        return scan(s, base, false);
    }

    /** {@code strtol}. */
    public static Parsed strtol(String s, int base) {
        return scan(s, base, true);
    }

    /** {@code atoi}: as much of a decimal number as there is, else 0; wraps to 32 bits. */
    public static int atoi(String s) {
        Parsed p = scan(s, 10, true);
        return p.value().intValue();
    }

    private static Long unsignedWithin(String s, int base, long max) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        Parsed p = strtoul(s, base);
        if (!p.consumedAll(s) || p.range()) {
            return null;
        }
        if (p.value().compareTo(BigInteger.valueOf(max)) > 0) {
            return null;
        }
        return p.value().longValue();
    }

    /** {@code get_unsigned}: 0 to UINT_MAX, nothing after the digits. */
    public static Long getUnsigned(String s, int base) {
        return unsignedWithin(s, base, 0xFFFF_FFFFL);
    }

    /** {@code get_u32}. */
    public static Long getU32(String s, int base) {
        return unsignedWithin(s, base, 0xFFFF_FFFFL);
    }

    /** {@code get_u16}. */
    public static Integer getU16(String s, int base) {
        Long v = unsignedWithin(s, base, 0xFFFFL);
        return v == null ? null : v.intValue();
    }

    /** {@code get_u8}. */
    public static Integer getU8(String s, int base) {
        Long v = unsignedWithin(s, base, 0xFFL);
        return v == null ? null : v.intValue();
    }

    /** {@code get_integer}: INT_MIN to INT_MAX, nothing after the digits. */
    public static Integer getInteger(String s, int base) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        Parsed p = strtol(s, base);
        if (!p.consumedAll(s) || p.range()) {
            return null;
        }
        long v = p.value().longValue();
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            return null;
        }
        return (int) v;
    }

    /** {@code get_s32}. */
    public static Integer getS32(String s, int base) {
        return getInteger(s, base);
    }
}
