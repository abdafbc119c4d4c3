package dev.ipsim.kernel.world;

import dev.ipsim.kernel.addr.Ipv4Address;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What the Internet's DNS knows: the addresses of names, their aliases, and the names of
 * addresses ({@code in-addr.arpa}).
 *
 * <p>Heads up: a few well-known names have the addresses they are known by (baidu.com answers
 * 111.13.101.208 first, as seed 000 shows; www.baidu.com is an alias of www.a.shifen.com).
 * Any other well-formed name under a common top-level domain exists, with one address derived
 * from the seed and the name, so a made-up www.example-shop.com resolves as a parked domain
 * would; names under other top-level domains, and single labels, do not exist (NXDOMAIN).
 * Nothing has an IPv6 address. Only the well-known addresses have reverse names.
 */
public final class Zone {

    /** What a name is: an alias of another, or its addresses. */
    public record Entry(String canonicalName, List<Ipv4Address> addresses) {
    }

    /** Top-level domains whose names exist. */
    private static final Set<String> TLDS = Set.of("com", "net", "org", "edu", "gov", "mil", "int", "info", "biz",
            "io", "co", "me", "tv", "cc", "cn", "jp", "de", "uk", "fr", "ru", "br", "in", "it", "nl", "au", "ca",
            "es", "se", "ch", "kr", "tw", "hk", "sg", "us", "eu", "xyz", "top", "app", "dev", "site", "online",
            "tech", "ai", "club", "shop", "cloud", "google");

    private static final Map<String, List<Ipv4Address>> ADDRESSES = new LinkedHashMap<>();
    private static final Map<String, String> ALIASES = new LinkedHashMap<>();
    private static final Map<Ipv4Address, String> REVERSE = new LinkedHashMap<>();

    static {
        a("one.one.one.one", "1.1.1.1", "1.0.0.1");
        a("dns.google", "8.8.8.8", "8.8.4.4");
        a("dns.quad9.net", "9.9.9.9", "149.112.112.112");
        a("resolver1.opendns.com", "208.67.222.222");
        a("public1.114dns.com", "114.114.114.114");
        a("public1.alidns.com", "223.5.5.5");
        a("public2.alidns.com", "223.6.6.6");
        a("baidu.com", "111.13.101.208", "123.125.114.144", "220.181.57.216");
        a("www.a.shifen.com", "110.242.68.3", "110.242.68.4");
        alias("www.baidu.com", "www.a.shifen.com");
        a("google.com", "142.250.72.206");
        a("www.google.com", "142.250.72.196");
        a("github.com", "140.82.121.4");
        alias("www.github.com", "github.com");
        a("example.com", "93.184.215.14");
        a("www.example.com", "93.184.215.14");
        a("cloudflare.com", "104.16.132.229", "104.16.133.229");
        a("www.cloudflare.com", "104.16.132.229", "104.16.133.229");
        a("qq.com", "183.3.226.35");
        a("bing.com", "13.107.21.200", "204.79.197.200");
        a("www.bing.com", "13.107.21.200", "204.79.197.200");
        a("kernel.org", "139.178.84.217");
        a("www.kernel.org", "139.178.84.217");
        a("debian.org", "151.101.2.132");
        a("www.debian.org", "151.101.2.132");
        a("wikipedia.org", "208.80.154.224");
        a("www.wikipedia.org", "208.80.154.224");
        a("microsoft.com", "20.112.250.133");
        a("amazon.com", "54.239.28.85");
        ptr("1.1.1.1", "one.one.one.one");
        ptr("1.0.0.1", "one.one.one.one");
        ptr("8.8.8.8", "dns.google");
        ptr("8.8.4.4", "dns.google");
        ptr("9.9.9.9", "dns9.quad9.net");
        ptr("149.112.112.112", "dns.quad9.net");
        ptr("208.67.222.222", "resolver1.opendns.com");
        ptr("114.114.114.114", "public1.114dns.com");
        ptr("223.5.5.5", "public1.alidns.com");
        ptr("223.6.6.6", "public2.alidns.com");
        ptr("142.250.72.206", "lax17s55-in-f14.1e100.net");
        ptr("142.250.72.196", "lax17s55-in-f4.1e100.net");
        ptr("140.82.121.4", "lb-140-82-121-4-fra.github.com");
        ptr("139.178.84.217", "dfw.source.kernel.org");
        ptr("208.80.154.224", "text-lb.eqiad.wikimedia.org");
    }

    private static void a(String name, String... addresses) {
        List<Ipv4Address> list = new ArrayList<>();
        for (String s : addresses) {
            list.add(Ipv4Address.parse(s));
        }
        ADDRESSES.put(name, List.copyOf(list));
    }

    private static void alias(String name, String target) {
        ALIASES.put(name, target);
    }

    private static void ptr(String address, String name) {
        REVERSE.put(Ipv4Address.parse(address), name);
    }

    private final long seed;
    /** Names a machine profile or a transcript defines for its world, over the table's. */
    private final Map<String, List<Ipv4Address>> defined = new LinkedHashMap<>();

    Zone(long seed) {
        this.seed = seed;
    }

    /**
     * Gives a name these addresses in this world (a transcript's machine saw them), in place of
     * what the zone would answer.
     */
    public void define(String name, List<Ipv4Address> addresses) {
        defined.put(normalize(name), List.copyOf(addresses));
    }

    /** A name as DNS compares it: lower case, without the final dot. */
    static String normalize(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    /**
     * What a name is: its aliases followed to the name that has addresses. {@code null} when the
     * name does not exist.
     */
    public Entry lookup(String name) {
        String n = normalize(name);
        for (int depth = 0; depth < 8 && !defined.containsKey(n); depth++) {
            String target = ALIASES.get(n);
            if (target == null) {
                break;
            }
            n = target;
        }
        List<Ipv4Address> own = defined.get(n);
        if (own != null) {
            return new Entry(n, own);
        }
        List<Ipv4Address> known = ADDRESSES.get(n);
        if (known != null) {
            return new Entry(n, known);
        }
        if (!exists(n)) {
            return null;
        }
        String base = n.startsWith("www.") ? n.substring(4) : n;
        return new Entry(n, List.of(Internet.publicAddress(Hashing.mix(seed, Hashing.of(base), 20))));
    }

    /** The alias chain from {@code name} to its canonical name, {@code name} first, the canonical name last. */
    public List<String> aliasChain(String name) {
        List<String> chain = new ArrayList<>();
        String n = normalize(name);
        chain.add(n);
        for (int depth = 0; depth < 8 && !defined.containsKey(n); depth++) {
            String target = ALIASES.get(n);
            if (target == null) {
                break;
            }
            n = target;
            chain.add(n);
        }
        return chain;
    }

    /** Whether a name not in the table exists: well formed, at least two labels, a common top-level domain. */
    private static boolean exists(String n) {
        String[] labels = n.split("\\.", -1);
        if (labels.length < 2 || !TLDS.contains(labels[labels.length - 1])) {
            return false;
        }
        for (String label : labels) {
            if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")) {
                return false;
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                if (!(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9') && c != '-' && c != '_') {
                    return false;
                }
            }
        }
        return true;
    }

    /** The name of an address ({@code PTR}), or {@code null}. */
    public String reverse(Ipv4Address address) {
        return REVERSE.get(address);
    }

    /** The address an {@code in-addr.arpa} name stands for, or {@code null} if it is not one. */
    static Ipv4Address fromReverseName(String name) {
        String n = normalize(name);
        String suffix = ".in-addr.arpa";
        if (!n.endsWith(suffix)) {
            return null;
        }
        String[] parts = n.substring(0, n.length() - suffix.length()).split("\\.");
        if (parts.length != 4) {
            return null;
        }
        return Ipv4Address.parse(parts[3] + "." + parts[2] + "." + parts[1] + "." + parts[0]);
    }
}
