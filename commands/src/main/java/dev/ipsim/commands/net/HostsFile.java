package dev.ipsim.commands.net;

import dev.ipsim.commands.Context;
import dev.ipsim.kernel.KernelException;
import dev.ipsim.kernel.Scope;
import dev.ipsim.kernel.addr.Ipv4Address;
import dev.ipsim.kernel.ipv4.InetIfAddr;
import dev.ipsim.kernel.link.NetDevice;
import dev.ipsim.kernel.route.FibTable;
import dev.ipsim.kernel.route.Route;
import dev.ipsim.kernel.route.RouteTableId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Name lookups as glibc makes them ({@code gethostbyname}, {@code getaddrinfo},
 * {@code gethostbyaddr}), through the sources the {@code hosts:} line of the sandbox's
 * {@code /etc/nsswitch.conf} names, in order: {@code files} ({@code /etc/hosts}), {@code dns}
 * and {@code myhostname} (systemd's nss-myhostname: the host name for the machine's own
 * addresses, {@code gateway} or {@code _gateway} for its default gateways, {@code localhost}
 * for 127.0.0.1). Without the file glibc asks {@code dns} then {@code files}.
 *
 * <p>{@code dns} is the {@link Resolver}: questions over UDP, through the kernel, to the servers
 * of {@code /etc/resolv.conf}. Where none can be reached (no route, nothing listening, no
 * answer) a name fails with "Temporary failure in name resolution" ({@code EAI_AGAIN}) and an
 * address has no name. A transcript's machine may state its DNS servers' answers instead
 * ({@link Context#dnsQuery}); then those are the answers, and no address has a name.
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

    private String read(String path) {
        try {
            return context.readFile(path);
        } catch (KernelException e) {
            return null;
        }
    }

    private String contents() {
        String s = read("/etc/hosts");
        return s == null ? "" : s;
    }

    /** The sources of the {@code hosts:} line, in order. */
    List<String> sources() {
        String conf = read("/etc/nsswitch.conf");
        if (conf != null) {
            for (String line : conf.split("\n")) {
                String[] f = fields(line);
                if (f.length > 0 && f[0].equals("hosts:")) {
                    List<String> out = new ArrayList<>();
                    for (int i = 1; i < f.length; i++) {
                        if (!f[i].startsWith("[")) {
                            out.add(f[i]);
                        }
                    }
                    return out;
                }
            }
        }
        return List.of("dns", "files");
    }

    /**
     * A name's first IPv4 address, with its canonical name; {@code null} if no source knows it
     * (then {@link #failure()} says why).
     */
    public Entry lookup(String name) {
        failure = NOT_KNOWN;
        for (String source : sources()) {
            Entry e = switch (source) {
                case "files" -> lookupFiles(name);
                case "dns" -> lookupDns(name);
                case "myhostname" -> lookupMyHostname(name);
                default -> null;
            };
            if (e != null) {
                return e;
            }
        }
        return null;
    }

    /**
     * Why the last {@link #lookup} failed ({@code gai_strerror}): no DNS server answered, the name
     * has no address, or no source knows it.
     */
    public String failure() {
        return failure;
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

    private Entry lookupDns(String name) {
        List<Ipv4Address> stated = context.dnsQuery(name);
        if (stated != null) {
            return stated.isEmpty() ? null : new Entry(stated.get(0), name);
        }
        Resolver.Result r = resolver().lookup(name);
        switch (r.status()) {
            case FOUND -> {
                return new Entry(r.addresses().get(0), r.canonicalName());
            }
            case UNAVAILABLE -> failure = TEMPORARY_FAILURE;
            case NO_DATA -> failure = NO_ADDRESS;
            default -> {
            }
        }
        return null;
    }

    private Entry lookupMyHostname(String name) {
        String host = context.hostname();
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.equals("localhost") || lower.endsWith(".localhost")) {
            return new Entry(Ipv4Address.LOOPBACK, name);
        }
        if (lower.equals(context.userland().myhostnameGatewayName())) {
            List<Ipv4Address> gateways = defaultGateways();
            return gateways.isEmpty() ? null : new Entry(gateways.get(0), name);
        }
        if (lower.equals(host.toLowerCase(Locale.ROOT))) {
            List<Ipv4Address> local = localAddresses();
            return new Entry(local.isEmpty() ? Ipv4Address.of(127, 0, 1, 1) : local.get(0), host);
        }
        return null;
    }

    /** The first name an address has in the sources, or {@code null}. */
    public String nameOf(Ipv4Address address) {
        for (String source : sources()) {
            String name = switch (source) {
                case "files" -> nameInFiles(address);
                case "myhostname" -> myHostnameOf(address);
                case "dns" -> nameInDns(address);
                default -> null;
            };
            if (name != null) {
                return name;
            }
        }
        return null;
    }

    /** A {@code PTR} question; a transcript's stated DNS answers hold no reverse names. */
    private String nameInDns(Ipv4Address address) {
        if (context.dnsQuery(address.toString()) != null) {
            return null;
        }
        Resolver.Result r = resolver().reverse(address);
        return r.status() == Resolver.Status.FOUND ? r.canonicalName() : null;
    }

    private String nameInFiles(Ipv4Address address) {
        for (String line : contents().split("\n")) {
            String[] f = fields(line);
            if (f.length >= 2 && address.equals(Ipv4Address.parse(f[0]))) {
                return f[1];
            }
        }
        return null;
    }

    private String myHostnameOf(Ipv4Address address) {
        if (address.equals(Ipv4Address.LOOPBACK)) {
            return "localhost";
        }
        if (localAddresses().contains(address)) {
            return context.hostname();
        }
        if (defaultGateways().contains(address)) {
            return context.userland().myhostnameGatewayName();
        }
        return null;
    }

    /** nss-myhostname's {@code local_addresses}: the namespace's addresses below host scope. */
    private List<Ipv4Address> localAddresses() {
        List<Ipv4Address> out = new ArrayList<>();
        for (NetDevice dev : context.netns().devices()) {
            for (InetIfAddr a : dev.ipv4().addresses()) {
                if (a.scope() < Scope.HOST) {
                    out.add(a.local());
                }
            }
        }
        return out;
    }

    /** nss-myhostname's {@code local_gateways}: the gateways of the main table's default routes. */
    private List<Ipv4Address> defaultGateways() {
        List<Ipv4Address> out = new ArrayList<>();
        FibTable main = context.netns().ipv4().tables().tableOrNull(RouteTableId.MAIN);
        if (main != null) {
            for (Route r : main.routes()) {
                if (r.destination().length() == 0 && r.gateway() instanceof Ipv4Address gw) {
                    out.add(gw);
                }
            }
        }
        return out;
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
