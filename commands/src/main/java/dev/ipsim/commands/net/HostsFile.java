package dev.ipsim.commands.net;

import dev.ipsim.commands.Context;
import dev.ipsim.kernel.KernelException;
import dev.ipsim.kernel.addr.Ipv4Address;
import java.util.Locale;

/**
 * Name lookups as glibc makes them on an isolated host: {@code /etc/hosts} (the sandbox's
 * file), and no DNS server to ask, so that any other name fails with "Temporary failure in name
 * resolution" ({@code EAI_AGAIN}) and any other address has no name.
 */
public final class HostsFile {

    /** {@code gai_strerror(EAI_AGAIN)}. */
    public static final String TEMPORARY_FAILURE = "Temporary failure in name resolution";

    private final Context context;

    public HostsFile(Context context) {
        this.context = context;
    }

    private String contents() {
        try {
            return context.readFile("/etc/hosts");
        } catch (KernelException e) {
            return "";
        }
    }

    /** A name's first IPv4 address in the file, with its canonical (first listed) name; {@code null} if none. */
    public Entry lookup(String name) {
        for (String line : contents().split("\n")) {
            String[] f = fields(line);
            if (f.length < 2) {
                continue;
            }
            Ipv4Address a = Ipv4Address.parse(f[0]);
            if (a == null) {
                continue;
            }
            for (int i = 1; i < f.length; i++) {
                if (f[i].toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                    return new Entry(a, f[1]);
                }
            }
        }
        return null;
    }

    /** The first name listed for an address, or {@code null}. */
    public String nameOf(Ipv4Address address) {
        for (String line : contents().split("\n")) {
            String[] f = fields(line);
            if (f.length >= 2 && address.equals(Ipv4Address.parse(f[0]))) {
                return f[1];
            }
        }
        return null;
    }

    private static String[] fields(String line) {
        int hash = line.indexOf('#');
        String l = (hash >= 0 ? line.substring(0, hash) : line).trim();
        return l.isEmpty() ? new String[0] : l.split("\\s+");
    }

    /** A resolved name: the address and the canonical name. */
    public record Entry(Ipv4Address address, String canonicalName) {
    }

    /**
     * {@code inet_aton}: the C library's liberal dotted form (one to four parts, each decimal,
     * octal or hex; the last fills the remaining bytes), or {@code null}.
     */
    public static Ipv4Address inetAton(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length == 0 || parts.length > 4) {
            return null;
        }
        long[] values = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            Long v = cNumber(parts[i]);
            if (v == null) {
                return null;
            }
            values[i] = v;
        }
        long result = 0;
        int n = parts.length;
        for (int i = 0; i < n - 1; i++) {
            if (values[i] > 0xFF) {
                return null;
            }
            result |= values[i] << (24 - 8 * i);
        }
        long last = values[n - 1];
        long max = n == 1 ? 0xFFFF_FFFFL : (1L << (8 * (5 - n))) - 1;
        if (last > max) {
            return null;
        }
        return new Ipv4Address((int) (result | last));
    }

    private static Long cNumber(String s) {
        if (s.isEmpty()) {
            return null;
        }
        try {
            if (s.startsWith("0x") || s.startsWith("0X")) {
                return s.length() == 2 ? 0L : Long.parseLong(s.substring(2), 16);
            }
            if (s.startsWith("0") && s.length() > 1) {
                return Long.parseLong(s.substring(1), 8);
            }
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
