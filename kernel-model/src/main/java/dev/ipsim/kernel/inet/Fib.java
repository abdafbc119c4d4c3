package dev.ipsim.kernel.inet;

import dev.ipsim.kernel.Errno;
import dev.ipsim.kernel.KernelException;
import dev.ipsim.kernel.NetNamespace;
import dev.ipsim.kernel.addr.IpPrefix;
import dev.ipsim.kernel.addr.Ipv4Address;
import dev.ipsim.kernel.link.NetDevice;
import dev.ipsim.kernel.route.FibTable;
import dev.ipsim.kernel.route.NexthopFlags;
import dev.ipsim.kernel.route.Route;
import dev.ipsim.kernel.route.RouteProtocol;
import dev.ipsim.kernel.route.RouteTableId;
import dev.ipsim.kernel.route.RouteType;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code fib_lookup} over a namespace's IPv4 tables, as the kernel does it without policy rules.
 *
 * <p>Heads up: with only the default rules, the kernel keeps the {@code local} table's routes in
 * the {@code main} table's trie ({@code fib_trie}: "merged" tables), so one longest-prefix match
 * covers both, a local table row winning over a main one of the same length; the
 * {@code default} table is looked at only when that finds nothing. A lookup takes the first
 * row, longest prefix first and then in table order (metric), whose TOS and scope fit and whose
 * nexthop is usable: not dead, not linkdown where {@code ignore_routes_with_linkdown} is set,
 * and through the output device if the flow names one. Reject types end the lookup with their
 * error.
 */
final class Fib {

    /** What matched: the row, and the table the lookup reports (main for both merged tables). */
    record Result(Route route, int tableId) {
        RouteType type() {
            return route.type();
        }

        NetDevice device() {
            return route.device();
        }
    }

    private final NetNamespace ns;
    private final InetConf conf;

    Fib(NetNamespace ns, InetConf conf) {
        this.ns = ns;
        this.conf = conf;
    }

    /**
     * {@code fib_lookup}.
     *
     * @throws KernelException ENETUNREACH when nothing matches; EHOSTUNREACH, EACCES or EINVAL
     *         for unreachable, prohibit or blackhole routes
     */
    Result lookup(Flow flow, boolean ignoreLinkState) {
        Result r = lookupMerged(flow, ignoreLinkState);
        if (r != null) {
            return r;
        }
        FibTable defaultTable = ns.ipv4().tables().tableOrNull(RouteTableId.DEFAULT);
        if (defaultTable != null) {
            r = lookupIn(List.of(defaultTable), flow, ignoreLinkState, RouteTableId.DEFAULT);
            if (r != null) {
                return r;
            }
        }
        throw new KernelException(Errno.ENETUNREACH);
    }

    private Result lookupMerged(Flow flow, boolean ignoreLinkState) {
        List<FibTable> tables = new ArrayList<>(2);
        for (int id : new int[] {RouteTableId.LOCAL, RouteTableId.MAIN}) {
            FibTable t = ns.ipv4().tables().tableOrNull(id);
            if (t != null) {
                tables.add(t);
            }
        }
        return lookupIn(tables, flow, ignoreLinkState, RouteTableId.MAIN);
    }

    /** {@code fib_table_lookup} over tables sharing one trie; {@code null} for no match ({@code -EAGAIN}). */
    private Result lookupIn(List<FibTable> tables, Flow flow, boolean ignoreLinkState, int reportedTable) {
        Ipv4Address dst = flow.destination;
        for (int length = 32; length >= 0; length--) {
            IpPrefix prefix = new IpPrefix(dst.masked(length), length);
            for (FibTable t : tables) {
                for (Route r : t.routesFor(prefix)) {
                    // the row's TOS must match the flow's, unless it has none
                    if (r.tos() != 0 && r.tos() != flow.tos) {
                        continue;
                    }
                    // a row of narrower scope than asked for does not answer
                    if (r.scope() < flow.scope) {
                        continue;
                    }
                    switch (r.type()) {
                        case UNREACHABLE -> throw new KernelException(Errno.EHOSTUNREACH);
                        case PROHIBIT -> throw new KernelException(Errno.EACCES);
                        case BLACKHOLE -> throw new KernelException(Errno.EINVAL);
                        case THROW -> {
                            return null;
                        }
                        default -> {
                        }
                    }
                    if (!usableNexthop(r, flow, ignoreLinkState)) {
                        continue;
                    }
                    return new Result(r, reportedTable);
                }
            }
        }
        return null;
    }

    /** {@code fib_lookup_good_nhc}. */
    private boolean usableNexthop(Route r, Flow flow, boolean ignoreLinkState) {
        if (r.hasNexthopFlag(NexthopFlags.DEAD)) {
            return false;
        }
        NetDevice dev = r.device();
        if (!ignoreLinkState && dev != null && r.hasNexthopFlag(NexthopFlags.LINKDOWN)
                && conf.ignoreRoutesWithLinkdown(dev)) {
            return false;
        }
        return flow.outputInterface == 0 || (dev != null && dev.ifindex() == flow.outputInterface);
    }

    /** {@code fib_has_custom_local_routes}: someone added a route to the local table by hand. */
    boolean hasCustomLocalRoutes() {
        FibTable local = ns.ipv4().tables().tableOrNull(RouteTableId.LOCAL);
        if (local == null) {
            return false;
        }
        for (Route r : local.routes()) {
            if (r.protocol() != RouteProtocol.KERNEL) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code __inet_dev_addr_type} without a device: BROADCAST for 0.0.0.0/8 and
     * 255.255.255.255, MULTICAST for 224.0.0.0/4, else the type of the row a lookup finds, and
     * UNICAST when none (or a reject row) answers. The local and main tables share one trie, so
     * {@code inet_addr_type} (local) and {@code inet_addr_type_table} for the main table (routes
     * added by ioctl) give the same answer: LOCAL for an address of this host, BROADCAST for a
     * broadcast address, the type of the main table's row otherwise.
     */
    RouteType addressType(Ipv4Address a) {
        if (a.isZeroNet() || a.isLimitedBroadcast()) {
            return RouteType.BROADCAST;
        }
        if (a.isMulticast()) {
            return RouteType.MULTICAST;
        }
        Flow flow = new Flow();
        flow.destination = a;
        try {
            Result r = lookupMerged(flow, false);
            return r == null ? RouteType.UNICAST : r.type();
        } catch (KernelException e) {
            // fib_table_lookup failed on a reject row
            return RouteType.UNICAST;
        }
    }
}
