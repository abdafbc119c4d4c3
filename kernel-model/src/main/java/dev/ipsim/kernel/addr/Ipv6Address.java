package dev.ipsim.kernel.addr;

/**
 * An IPv6 address as two 64-bit halves.
 *
 * <p>{@link #toString()} follows glibc's {@code inet_ntop}: lower-case hex, the longest run
 * of two or more zero groups compressed to {@code ::} (the first such run on a tie), and the
 * last 32 bits written as a dotted quad for IPv4-compatible ({@code ::a.b.c.d}) and
 * IPv4-mapped ({@code ::ffff:a.b.c.d}) addresses.
 */
public record Ipv6Address(long high, long low) implements IpAddress, Comparable<Ipv6Address> {

    public static final Ipv6Address ANY = new Ipv6Address(0, 0);
    public static final Ipv6Address LOOPBACK = new Ipv6Address(0, 1);

    /** {@code fe80::/64} plus a 64-bit interface identifier. */
    public static Ipv6Address linkLocal(long interfaceId) {
        return new Ipv6Address(0xFE80_0000_0000_0000L, interfaceId);
    }

    /**
     * The modified EUI-64 interface identifier of a MAC address (RFC 4291 appendix A):
     * {@code ff:fe} in the middle and the universal/local bit inverted.
     */
    public static long eui64(MacAddress mac) {
        long m = mac.bits();
        long upper = m >>> 24;          // first three octets
        long lower = m & 0xFF_FFFFL;    // last three octets
        long id = upper << 40 | 0xFF_FEL << 24 | lower;
        return id ^ 0x0200_0000_0000_0000L;
    }

    public static Ipv6Address ofBytes(byte[] src, int offset) {
        long h = 0;
        long l = 0;
        for (int i = 0; i < 8; i++) {
            h = h << 8 | (src[offset + i] & 0xFF);
            l = l << 8 | (src[offset + 8 + i] & 0xFF);
        }
        return new Ipv6Address(h, l);
    }

    /**
     * Parses the textual forms {@code inet_pton(AF_INET6)} accepts, including {@code ::} and
     * a trailing dotted quad.
     *
     * @return the address, or {@code null} when the text is not one
     */
    public static Ipv6Address parse(String text) {
        int[] groups = new int[8];
        int count = 0;
        int gap = -1;
        int i = 0;
        int n = text.length();
        if (n == 0) {
            return null;
        }
        if (text.startsWith("::")) {
            gap = 0;
            i = 2;
            if (i == n) {
                return ANY;
            }
        } else if (text.charAt(0) == ':') {
            return null;
        }
        while (i < n) {
            if (count == 8) {
                return null;
            }
            int start = i;
            int value = 0;
            while (i < n && i - start < 5 && Character.digit(text.charAt(i), 16) >= 0) {
                value = value << 4 | Character.digit(text.charAt(i), 16);
                i++;
            }
            if (i < n && text.charAt(i) == '.') {
                // a trailing IPv4 dotted quad fills the last two groups
                if (count > 6) {
                    return null;
                }
                Ipv4Address v4 = Ipv4Address.parse(text.substring(start));
                if (v4 == null) {
                    return null;
                }
                groups[count++] = v4.bits() >>> 16;
                groups[count++] = v4.bits() & 0xFFFF;
                i = n;
                break;
            }
            if (i == start || i - start > 4) {
                return null;
            }
            groups[count++] = value;
            if (i == n) {
                break;
            }
            if (text.charAt(i) != ':') {
                return null;
            }
            i++;
            if (i < n && text.charAt(i) == ':') {
                if (gap >= 0) {
                    return null;
                }
                gap = count;
                i++;
                if (i == n) {
                    break;
                }
            } else if (i == n) {
                return null;
            }
        }
        int[] full = new int[8];
        if (gap >= 0) {
            if (count == 8) {
                return null;
            }
            int tail = count - gap;
            System.arraycopy(groups, 0, full, 0, gap);
            System.arraycopy(groups, gap, full, 8 - tail, tail);
        } else {
            if (count != 8) {
                return null;
            }
            full = groups;
        }
        long h = 0;
        long l = 0;
        for (int g = 0; g < 4; g++) {
            h = h << 16 | full[g];
            l = l << 16 | full[g + 4];
        }
        return new Ipv6Address(h, l);
    }

    /** 16-bit group {@code i}, 0 to 7. */
    public int group(int i) {
        long half = i < 4 ? high : low;
        return (int) (half >>> (16 * (3 - (i & 3))) & 0xFFFF);
    }

    public void writeTo(byte[] dst, int offset) {
        for (int i = 0; i < 8; i++) {
            dst[offset + i] = (byte) (high >>> (56 - 8 * i));
            dst[offset + 8 + i] = (byte) (low >>> (56 - 8 * i));
        }
    }

    @Override
    public Family family() {
        return Family.INET6;
    }

    @Override
    public boolean bit(int i) {
        return i < 64 ? (high >>> (63 - i) & 1) != 0 : (low >>> (127 - i) & 1) != 0;
    }

    @Override
    public Ipv6Address masked(int prefixLength) {
        if (prefixLength >= 128) {
            return this;
        }
        if (prefixLength <= 0) {
            return ANY;
        }
        // an address with no host bits is its own network: no new object
        if (prefixLength <= 64) {
            long mask = prefixLength == 64 ? -1L : ~(-1L >>> prefixLength);
            return low == 0 && (high & mask) == high ? this : new Ipv6Address(high & mask, 0);
        }
        long lowMasked = low & ~(-1L >>> (prefixLength - 64));
        return lowMasked == low ? this : new Ipv6Address(high, lowMasked);
    }

    @Override
    public boolean isUnspecified() {
        return high == 0 && low == 0;
    }

    public boolean isLoopback() {
        return high == 0 && low == 1;
    }

    /** {@code fe80::/10}. */
    public boolean isLinkLocal() {
        return (high & 0xFFC0_0000_0000_0000L) == 0xFE80_0000_0000_0000L;
    }

    /** {@code ff00::/8}. */
    public boolean isMulticast() {
        return (high >>> 56) == 0xFF;
    }

    /** The solicited-node multicast group of this address: {@code ff02::1:ffXX:XXXX}. */
    public Ipv6Address solicitedNode() {
        return new Ipv6Address(0xFF02_0000_0000_0000L, 0x0000_0001_FF00_0000L | (low & 0xFF_FFFFL));
    }

    @Override
    public int compareTo(Ipv6Address o) {
        int c = Long.compareUnsigned(high, o.high);
        return c != 0 ? c : Long.compareUnsigned(low, o.low);
    }

    @Override
    public String toString() {
        int[] words = new int[8];
        for (int i = 0; i < 8; i++) {
            words[i] = group(i);
        }
        int bestBase = -1;
        int bestLen = 0;
        int curBase = -1;
        int curLen = 0;
        for (int i = 0; i < 8; i++) {
            if (words[i] == 0) {
                if (curBase == -1) {
                    curBase = i;
                    curLen = 1;
                } else {
                    curLen++;
                }
            } else if (curBase != -1) {
                if (bestBase == -1 || curLen > bestLen) {
                    bestBase = curBase;
                    bestLen = curLen;
                }
                curBase = -1;
            }
        }
        if (curBase != -1 && (bestBase == -1 || curLen > bestLen)) {
            bestBase = curBase;
            bestLen = curLen;
        }
        if (bestBase != -1 && bestLen < 2) {
            bestBase = -1;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (bestBase != -1 && i >= bestBase && i < bestBase + bestLen) {
                if (i == bestBase) {
                    sb.append(':');
                }
                continue;
            }
            if (i != 0) {
                sb.append(':');
            }
            if (i == 6 && bestBase == 0 && (bestLen == 6 || (bestLen == 5 && words[5] == 0xFFFF))) {
                sb.append(words[6] >>> 8).append('.').append(words[6] & 0xFF).append('.')
                        .append(words[7] >>> 8).append('.').append(words[7] & 0xFF);
                return sb.toString();
            }
            sb.append(Integer.toHexString(words[i]));
        }
        if (bestBase != -1 && bestBase + bestLen == 8) {
            sb.append(':');
        }
        return sb.toString();
    }

    // equals and hashCode as the record's own, written out (see IpPrefix)

    @Override
    public boolean equals(Object o) {
        return o instanceof Ipv6Address a && a.high == high && a.low == low;
    }

    @Override
    public int hashCode() {
        return 31 * Long.hashCode(high) + Long.hashCode(low);
    }
}
