package dev.ipsim.commands.net;

import dev.ipsim.commands.Context;
import dev.ipsim.kernel.KernelException;
import dev.ipsim.kernel.addr.Ipv4Address;
import java.util.Locale;

/**
 * Name lookups as glibc makes them with Debian's {@code hosts: files dns}: {@code /etc/hosts}
 * (the sandbox's file) first, then the DNS servers of {@code /etc/resolv.conf}, asked over the
 * network by the {@link Resolver}. Where no server can be reached (no route, nothing
 * listening, no answer), a name fails with "Temporary failure in name resolution"
 * ({@code EAI_AGAIN}) and an address has no name.
 */
public final class HostsFile {

    /** {@code gai_strerror(EAI_AGAIN)}. */
    public static final String TEMPORARY_FAILURE = "Temporary failure in name resolution";
    /** {@code gai_strerror(EAI_NONAME)}. */
    public static final String NOT_KNOWN = "Name or service not known";
    /** {@code gai_strerror(EAI_NODATA)}. */
    public static final String NO_ADDRESS = "No address associated with hostname";

    private final Context context;
    private Resolver resolver;
    /** Why the last {@link #lookup} failed. */
    private String failure = NOT_KNOWN;

    public HostsFile(Context context) {
        this.context = context;
    }

    private Resolver resolver() {
        if (resolver == null) {
            resolver = new Resolver(context);
        }
        return resolver;
    }

    /** Why the last {@link #lookup} found nothing: {@code gai_strerror} of its error. */
    public String failure() {
        return failure;
    }

    private String contents() {
        try {
            return context.readFile("/etc/hosts");
        } catch (KernelException e) {
            return "";
        }
    }

    /**
     * A name's first IPv4 address, with its canonical name: from the file, else from DNS;
     * {@code null} if neither knows it ({@link #failure()} says why).
     */
    public Entry lookup(String name) {
        Entry e = lookupFiles(name);
        if (e != null) {
            return e;
        }
        Resolver.Result r = resolver().lookup(name);
        switch (r.status()) {
            case FOUND -> {
                return new Entry(r.addresses().get(0), r.canonicalName());
            }
            case UNAVAILABLE -> failure = TEMPORARY_FAILURE;
            case NO_DATA -> failure = NO_ADDRESS;
            default -> failure = NOT_KNOWN;
        }
        return null;
    }

    private Entry lookupFiles(String name) {
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

    /** The name of an address: the first listed in the file, else its DNS name; {@code null} if none. */
    public String nameOf(Ipv4Address address) {
        for (String line : contents().split("\n")) {
            String[] f = fields(line);
            if (f.length >= 2 && address.equals(Ipv4Address.parse(f[0]))) {
                return f[1];
            }
        }
        Resolver.Result r = resolver().reverse(address);
        return r.status() == Resolver.Status.FOUND ? r.canonicalName() : null;
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
