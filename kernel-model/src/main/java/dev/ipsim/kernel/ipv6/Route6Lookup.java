package dev.ipsim.kernel.ipv6;

import dev.ipsim.kernel.Errno;
import dev.ipsim.kernel.KernelException;
import dev.ipsim.kernel.NetNamespace;
import dev.ipsim.kernel.addr.IpPrefix;
import dev.ipsim.kernel.addr.Ipv6Address;
import dev.ipsim.kernel.ipv4.AddressFlags;
import dev.ipsim.kernel.link.NetDevice;
import dev.ipsim.kernel.route.FibTable;
import dev.ipsim.kernel.route.NexthopFlags;
import dev.ipsim.kernel.route.Route;
import dev.ipsim.kernel.route.RouteTableId;

/**
 * An IPv6 output route lookup ({@code ip6_route_output}, {@code fib6_table_lookup}) and the
 * source address the kernel prefers for it ({@code ip6_route_get_saddr},
 * {@code ipv6_dev_get_saddr}: RFC 6724's rules as the kernel orders them).
 *
 * <p>Heads up: the tables are searched as the default rules order them, local then main; a
 * namespace's own IPv6 policy rules are not consulted here. Within a table the longest prefix
 * wins, then the lowest metric; with an output device only routes through it count, the
 * lookup backing off to shorter prefixes as {@code fib6_backtrack} does. A route whose
 * nexthop is dead (its device down) is passed over.
 */
public final class Route6Lookup {

    /** The route found and the table it is in. */
    public record Result(Route route, int table) {
    }

    private Route6Lookup() {
    }

    /**
     * {@code inet6_rtm_getroute}'s output lookup.
     *
     * @throws KernelException ENETUNREACH with no route, EHOSTUNREACH for an unreachable route,
     *         EINVAL for a blackhole, EACCES for a prohibit route
     */
    public static Result output(NetNamespace ns, Ipv6Address dst, NetDevice oif) {
        for (int id : new int[] {RouteTableId.LOCAL, RouteTableId.MAIN}) {
            FibTable table = ns.ipv6().tables().tableOrNull(id);
            if (table == null) {
                continue;
            }
            Route best = null;
            for (Route r : table.routes()) {
                if (!r.destination().contains(dst) || r.hasNexthopFlag(NexthopFlags.DEAD)) {
                    continue;
                }
                if (oif != null && !r.type().isReject() && r.device() != oif) {
                    continue;
                }
                if (best == null || r.destination().length() > best.destination().length()
                        || (r.destination().length() == best.destination().length()
                        && Integer.compareUnsigned(r.priority(), best.priority()) < 0)) {
                    best = r;
                }
            }
            if (best == null) {
                continue;
            }
            switch (best.type()) {
                case UNREACHABLE -> throw new KernelException(Errno.EHOSTUNREACH);
                case BLACKHOLE -> throw new KernelException(Errno.EINVAL);
                case PROHIBIT -> throw new KernelException(Errno.EACCES);
                case THROW -> {
                    continue;
                }
                default -> {
                    return new Result(best, id);
                }
            }
        }
        throw new KernelException(Errno.ENETUNREACH);
    }

    /**
     * {@code ip6_route_get_saddr}: the route's preferred source, else the address
     * {@code ipv6_dev_get_saddr} picks for {@code dst} leaving through {@code dev}; {@code null}
     * when there is none.
     */
    public static Ipv6Address source(NetNamespace ns, Route route, Ipv6Address dst) {
        if (route.preferredSource() instanceof Ipv6Address a) {
            return a;
        }
        return selectSource(ns, route.device(), dst);
    }

    /**
     * {@code ipv6_dev_get_saddr}: scores every candidate by the rules in order and keeps the
     * first best; for a link-local or multicast destination only the device's own addresses
     * are candidates, otherwise every device's (devices in order, each device's addresses in
     * its list's order).
     */
    public static Ipv6Address selectSource(NetNamespace ns, NetDevice dev, Ipv6Address dst) {
        int dstScope = scope(dst);
        int dstLabel = label(dst);
        int[] best = null;
        Ipv6Address chosen = null;
        Iterable<NetDevice> devices = dst.isMulticast() || dstScope <= SCOPE_LINKLOCAL
                ? (dev == null ? java.util.List.of() : java.util.List.of(dev)) : ns.devices();
        for (NetDevice d : devices) {
            if (!d.ipv6().isPresent()) {
                continue;
            }
            for (Inet6IfAddr a : d.ipv6().addresses()) {
                int flags = a.flags();
                if ((flags & AddressFlags.TENTATIVE) != 0 && (flags & AddressFlags.OPTIMISTIC) == 0) {
                    continue;
                }
                Ipv6Address addr = a.address();
                if (addr.isMulticast() || addr.isUnspecified()) {
                    continue;
                }
                int s = scope(addr);
                int[] score = {
                    addr.equals(dst) ? 1 : 0,                                   // rule 1: the address itself
                    s >= dstScope ? -s : s - 128,                               // rule 2: the right scope
                    (flags & (AddressFlags.DEPRECATED | AddressFlags.OPTIMISTIC)) == 0 ? 1 : 0, // rule 3
                    dev == null || d == dev ? 1 : 0,                            // rule 5: the outgoing device
                    label(addr) == dstLabel ? 1 : 0,                            // rule 6: a matching label
                    Math.min(commonPrefix(addr, dst), a.prefixLength()),        // rule 8: the longest prefix
                };
                if (best == null || better(score, best)) {
                    best = score;
                    chosen = addr;
                }
            }
        }
        return chosen;
    }

    private static boolean better(int[] score, int[] best) {
        for (int i = 0; i < score.length; i++) {
            if (score[i] != best[i]) {
                return score[i] > best[i];
            }
        }
        return false;
    }

    private static final int SCOPE_NODELOCAL = 0x01;
    private static final int SCOPE_LINKLOCAL = 0x02;
    private static final int SCOPE_SITELOCAL = 0x05;
    private static final int SCOPE_GLOBAL = 0x0e;

    /** {@code __ipv6_addr_type}'s scope of a unicast (or multicast) address. */
    static int scope(Ipv6Address a) {
        if (a.isMulticast()) {
            return (int) ((a.high() >>> 48) & 0x0f);
        }
        if (a.isLoopback()) {
            return SCOPE_NODELOCAL;
        }
        if (a.isLinkLocal()) {
            return SCOPE_LINKLOCAL;
        }
        if ((a.high() >>> 54) == (0xfec0L >>> 6)) {
            return SCOPE_SITELOCAL;
        }
        return SCOPE_GLOBAL;
    }

    /** The default address label table ({@code ip addrlabel}), longest prefix first. */
    private static final Object[][] LABELS = {
        {IpPrefix.host(Ipv6Address.LOOPBACK), 0},
        {prefix("::ffff:0:0", 96), 4},
        {prefix("::", 96), 3},
        {prefix("2001::", 32), 6},
        {prefix("2001:10::", 28), 7},
        {prefix("3ffe::", 16), 12},
        {prefix("2002::", 16), 2},
        {prefix("fec0::", 10), 11},
        {prefix("fc00::", 7), 5},
        {prefix("::", 0), 1},
    };

    private static IpPrefix prefix(String a, int len) {
        return new IpPrefix(Ipv6Address.parse(a), len);
    }

    /** {@code ipv6_addr_label}: the label of the longest matching entry. */
    static int label(Ipv6Address a) {
        int bestLength = -1;
        int label = 1;
        for (Object[] e : LABELS) {
            IpPrefix p = (IpPrefix) e[0];
            if (p.contains(a) && p.length() > bestLength) {
                bestLength = p.length();
                label = (Integer) e[1];
            }
        }
        return label;
    }

    /** {@code ipv6_addr_diff}: the number of leading bits the two addresses share. */
    static int commonPrefix(Ipv6Address a, Ipv6Address b) {
        long x = a.high() ^ b.high();
        if (x != 0) {
            return Long.numberOfLeadingZeros(x);
        }
        long y = a.low() ^ b.low();
        return y == 0 ? 128 : 64 + Long.numberOfLeadingZeros(y);
    }
}
