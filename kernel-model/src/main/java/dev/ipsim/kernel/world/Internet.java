package dev.ipsim.kernel.world;

import dev.ipsim.kernel.addr.Ipv4Address;
import dev.ipsim.kernel.time.VirtualClock;
import java.util.HashMap;
import java.util.Map;

/**
 * The Internet behind the gateway: for any address, whether a host there answers ping, how
 * many routers lie on the way, what TTL its replies start with and how long a round trip takes;
 * and for any hop on the way, the router there.
 *
 * <p>Heads up: nothing is stored per address. Every fact is a hash of the world's seed and the
 * address (hops and distance of its /24 and /16, so neighbours look alike), apart from a short
 * table of well-known hosts whose values are fixed so that they look as they do from a typical
 * machine: 1.1.1.1 replies with ttl=56 in about 11 ms, 8.8.8.8 with ttl=117 in about 18 ms,
 * github.com does not answer ping at all. The choices:
 * <ul>
 * <li>Special-purpose addresses (RFC 6890: private, shared, loopback, link-local, documentation,
 *     benchmarking, multicast, reserved) are never answered.</li>
 * <li>Of other addresses, one in five hosts does not answer ping (a firewall, or nobody there).</li>
 * <li>A host's replies start at TTL 64 (most, as Linux), 128 (Windows) or 255; seen after the
 *     routers of the way back, 64 becomes 46 to 57.</li>
 * <li>There are 7 to 18 routers on the way, the gateway 10.0.2.2 being the first; a datagram
 *     whose TTL runs out at router k is answered "time exceeded" by that router, unless it is
 *     one of the few that stay silent.</li>
 * <li>Round trips: a few milliseconds to the gateway, then 10 to 320 ms depending on how far
 *     the /16 is.</li>
 * </ul>
 */
public final class Internet {

    /** What a host is to ping: whether it answers, its replies' initial TTL, routers on the way, round trip. */
    public record Host(Ipv4Address address, boolean answersPing, int initialTtl, int hops, long rttNanos) {
    }

    /** The router at hop {@code k}: its address, whether it says "time exceeded", its TTL and round trip. */
    public record Router(Ipv4Address address, boolean answers, int initialTtl, long rttNanos) {
    }

    private static final long MS = VirtualClock.NANOS_PER_MILLI;

    /** Well-known hosts: address to {initial TTL, routers, round trip in µs, answers}. */
    private static final Map<Ipv4Address, long[]> KNOWN = new HashMap<>();

    static {
        known("1.1.1.1", 64, 8, 11_240, true);
        known("1.0.0.1", 64, 8, 11_630, true);
        known("8.8.8.8", 128, 11, 17_520, true);
        known("8.8.4.4", 128, 11, 18_090, true);
        known("9.9.9.9", 64, 10, 20_980, true);
        known("149.112.112.112", 64, 10, 21_410, true);
        known("208.67.222.222", 64, 10, 24_770, true);
        known("114.114.114.114", 64, 13, 38_210, true);
        known("223.5.5.5", 64, 12, 30_640, true);
        known("223.6.6.6", 64, 12, 31_020, true);
        known("119.29.29.29", 64, 12, 33_390, true);
        known("111.13.101.208", 64, 12, 36_420, true);
        known("123.125.114.144", 64, 13, 39_810, true);
        known("220.181.57.216", 64, 12, 37_930, true);
        known("110.242.68.3", 64, 13, 35_120, true);
        known("110.242.68.4", 64, 13, 35_340, true);
        known("142.250.72.206", 128, 11, 19_610, true);
        known("142.250.72.196", 128, 11, 19_230, true);
        known("140.82.121.4", 64, 14, 88_040, false);
        known("93.184.215.14", 64, 13, 91_870, true);
        known("104.16.132.229", 64, 9, 13_080, true);
        known("104.16.133.229", 64, 9, 13_270, true);
        known("183.3.226.35", 64, 14, 41_060, true);
        known("13.107.21.200", 128, 12, 22_030, true);
        known("204.79.197.200", 128, 12, 22_380, true);
        known("139.178.84.217", 64, 14, 78_160, true);
        known("151.101.2.132", 64, 9, 14_790, true);
        known("208.80.154.224", 64, 13, 84_020, true);
        known("20.112.250.133", 128, 14, 141_300, false);
        known("54.239.28.85", 255, 15, 96_700, false);
    }

    private static void known(String address, int ttl, int hops, long rttMicros, boolean answers) {
        KNOWN.put(Ipv4Address.parse(address), new long[] {ttl, hops, rttMicros, answers ? 1 : 0});
    }

    /** Private routers a home or office network behind a VM host commonly uses. */
    private static final String[] HOME_ROUTERS = {"192.168.1.1", "192.168.0.1", "10.0.0.1", "192.168.31.1",
        "172.16.0.1"};

    private final long seed;
    private final long gatewayRttNanos;

    Internet(long seed, long gatewayRttNanos) {
        this.seed = seed;
        this.gatewayRttNanos = gatewayRttNanos;
    }

    /**
     * Whether an address is globally routable: none of the IPv4 special-purpose blocks of
     * RFC 6890 (and RFC 6598's shared space), which the Internet does not carry.
     */
    public static boolean isGloballyRoutable(Ipv4Address a) {
        int b = a.bits();
        int first = b >>> 24;
        int second = (b >>> 16) & 0xFF;
        int third = (b >>> 8) & 0xFF;
        return !(first == 0 || first == 10 || first == 127 || first >= 224
                || (first == 100 && second >= 64 && second < 128)
                || (first == 169 && second == 254)
                || (first == 172 && second >= 16 && second < 32)
                || (first == 192 && second == 0 && (third == 0 || third == 2))
                || (first == 192 && second == 88 && third == 99)
                || (first == 192 && second == 168)
                || (first == 198 && (second == 18 || second == 19))
                || (first == 198 && second == 51 && third == 100)
                || (first == 203 && second == 0 && third == 113));
    }

    /** The host at an address. */
    public Host host(Ipv4Address a) {
        long[] k = KNOWN.get(a);
        if (k != null) {
            return new Host(a, k[3] == 1, (int) k[0], (int) k[1], k[2] * 1000);
        }
        if (!isGloballyRoutable(a)) {
            return new Host(a, false, 64, hops(a), rtt(a));
        }
        long h = Hashing.mix(seed, a.bits());
        boolean answers = Hashing.below(h, 100) >= 20;
        int kind = Hashing.below(Hashing.mix(h, 1), 20);
        int ttl = kind < 12 ? 64 : kind < 18 ? 128 : 255;
        return new Host(a, answers, ttl, hops(a), rtt(a));
    }

    /** Routers on the way, the gateway included: 7 to 18, alike for a /24. */
    private int hops(Ipv4Address a) {
        return 7 + Hashing.below(Hashing.mix(seed, a.bits() >>> 8, 2), 12);
    }

    /** The round trip: the gateway's, then the distance of the /16, a little more for the host. */
    private long rtt(Ipv4Address a) {
        long region = Hashing.mix(seed, a.bits() >>> 16, 3);
        int band = Hashing.below(region, 100);
        long low;
        long span;
        if (band < 35) {
            low = 10 * MS;
            span = 30 * MS;
        } else if (band < 70) {
            low = 40 * MS;
            span = 60 * MS;
        } else if (band < 90) {
            low = 100 * MS;
            span = 100 * MS;
        } else {
            low = 200 * MS;
            span = 120 * MS;
        }
        long host = Hashing.below(Hashing.mix(seed, a.bits(), 4), 2000) * 1000L;
        return gatewayRttNanos + low + Long.remainderUnsigned(Hashing.mix(region, 5), span) + host;
    }

    /**
     * The router at hop {@code k} (2 to the host's hop count) on the way to {@code destination}:
     * the VM host's own router, its provider's, then backbone routers shared by the /16 and,
     * near the end, by the /24.
     */
    public Router router(Ipv4Address destination, int k) {
        Host host = host(destination);
        int hops = host.hops();
        Ipv4Address address;
        long h;
        if (k == 2) {
            address = Ipv4Address.parse(HOME_ROUTERS[Hashing.below(Hashing.mix(seed, 6), HOME_ROUTERS.length)]);
            h = Hashing.mix(seed, 7);
        } else if (k == 3) {
            h = Hashing.mix(seed, 8);
            address = publicAddress(h);
        } else if (k < hops - 1) {
            h = Hashing.mix(seed, k <= 5 ? 0 : destination.bits() >>> 16, k, 9);
            address = publicAddress(h);
        } else {
            h = Hashing.mix(seed, destination.bits() >>> 8, k, 10);
            address = publicAddress(h);
        }
        boolean answers = k <= 3 || Hashing.below(Hashing.mix(h, 11), 100) >= 15;
        int ttl = Hashing.below(Hashing.mix(h, 12), 100) < 65 ? 255 : 64;
        long rtt = gatewayRttNanos + (host.rttNanos() - gatewayRttNanos) * (k - 1) / Math.max(1, hops - 1);
        return new Router(address, answers, ttl, rtt);
    }

    /** A globally routable address from a hash (the next one that is, when it falls in a special block). */
    static Ipv4Address publicAddress(long hash) {
        long h = hash;
        while (true) {
            Ipv4Address a = new Ipv4Address((int) h);
            if (isGloballyRoutable(a) && (a.bits() & 0xFF) != 0 && (a.bits() & 0xFF) != 0xFF) {
                return a;
            }
            h = Hashing.finish(h + 1);
        }
    }

    long seed() {
        return seed;
    }
}
