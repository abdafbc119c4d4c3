package dev.ipsim.commands.cli;

import dev.ipsim.kernel.addr.Ipv4Address;
import java.math.BigInteger;

/**
 * glibc's {@code inet_aton}, the parser net-tools uses: one to four parts separated by dots,
 * each a C number (decimal, {@code 0x} hex or leading-zero octal); the last part fills the
 * bytes the others leave ({@code 10.1} is 10.0.0.1, {@code 1} is 0.0.0.1).
 */
public final class InetAton {

    private InetAton() {
    }

    /** The address, or {@code null} when {@code inet_aton} would return 0. */
    public static Ipv4Address parse(String text) {
        if (text.isEmpty()) {
            return null;
        }
        String[] parts = text.split("\\.", -1);
        if (parts.length > 4) {
            return null;
        }
        long[] values = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (p.isEmpty() || !Character.isDigit(p.charAt(0))) {
                return null;
            }
            CNumbers.Parsed v = CNumbers.strtoul(p, 0);
            if (!v.consumedAll(p) || v.value().compareTo(BigInteger.valueOf(0xFFFF_FFFFL)) > 0) {
                return null;
            }
            values[i] = v.value().longValue();
        }
        int n = values.length;
        for (int i = 0; i < n - 1; i++) {
            if (values[i] > 0xFF) {
                return null;
            }
        }
        long last = values[n - 1];
        long max = switch (n) {
            case 1 -> 0xFFFF_FFFFL;
            case 2 -> 0xFF_FFFFL;
            case 3 -> 0xFFFFL;
            default -> 0xFFL;
        };
        if (last > max) {
            return null;
        }
        long bits = last;
        for (int i = 0; i < n - 1; i++) {
            bits |= values[i] << (24 - 8 * i);
        }
        return new Ipv4Address((int) bits);
    }
}
