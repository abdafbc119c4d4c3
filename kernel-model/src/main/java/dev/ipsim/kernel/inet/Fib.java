package dev.ipsim.kernel.inet;

import dev.ipsim.kernel.Errno;
import dev.ipsim.kernel.KernelException;
import dev.ipsim.kernel.NetNamespace;
import dev.ipsim.kernel.addr.IpAddress;
import dev.ipsim.kernel.addr.Ipv4Address;
import dev.ipsim.kernel.link.NetDevice;
import dev.ipsim.kernel.route.FibRule;
import dev.ipsim.kernel.route.FibRules;
import dev.ipsim.kernel.route.FibTable;
import dev.ipsim.kernel.route.NexthopFlags;
import dev.ipsim.kernel.route.Route;
import dev.ipsim.kernel.route.RouteTableId;
import dev.ipsim.kernel.route.RouteType;
import java.util.List;

/**
 * {@code fib_lookup} over a namespace's IPv4 tables: directly while the policy rules are the
 * defaults, through the rules once they were changed.
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

    /** {@code IPTOS_TOS_MASK}. */
    private static final int TOS_MASK = 0x1E;

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
        FibRules rules = ns.ipv4().rules();
        if (rules.customized()) {
            return lookupByRules(rules, flow, ignoreLinkState);
        }
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
        FibTable local = ns.ipv4().tables().tableOrNull(RouteTableId.LOCAL);
        FibTable main = ns.ipv4().tables().tableOrNull(RouteTableId.MAIN);
        if (local == null) {
            return main == null ? null : lookupIn(main, null, flow, ignoreLinkState, RouteTableId.MAIN);
        }
        return lookupIn(local, main, flow, ignoreLinkState, RouteTableId.MAIN);
    }

    /**
     * {@code __fib_lookup}: the rules in order; the first whose selector matches acts. A table
     * lookup that finds nothing (or a {@code throw} route), a table that does not exist and a
     * result the rule suppresses let the walk go on; anything else ends it.
     */
    private Result lookupByRules(FibRules rules, Flow flow, boolean ignoreLinkState) {
        List<FibRule> list = rules.rules();
        for (int i = 0; i < list.size(); i++) {
            FibRule rule = list.get(i);
            while (rule != null && matches(rule, flow) && rule.action() == FibRule.ACTION_GOTO) {
                FibRule target = rules.jumpTarget(rule);
                if (target == null) {
                    rule = null; // an unresolved goto is passed over
                } else {
                    rule = target;
                    i = list.indexOf(target);
                }
            }
            if (rule == null || !matches(rule, flow) || rule.action() == FibRule.ACTION_NOP) {
                continue;
            }
            switch (rule.action()) {
                case FibRule.ACTION_TO_TABLE -> {
                }
                case FibRule.ACTION_UNREACHABLE -> throw new KernelException(Errno.ENETUNREACH);
                case FibRule.ACTION_PROHIBIT -> throw new KernelException(Errno.EACCES);
                default -> throw new KernelException(Errno.EINVAL); // blackhole, and anything else
            }
            FibTable table = ns.ipv4().tables().tableOrNull((int) rule.table());
            if (table == null) {
                continue;
            }
            Result r = lookupIn(List.of(table), flow, ignoreLinkState, (int) rule.table());
            if (r == null) {
                continue;
            }
            // fib4_rule_suppress: not a route this short, nor one through a forbidden group
            if (r.route().destination().length() <= rule.suppressPrefixLength()) {
                continue;
            }
            if (rule.suppressIfgroup() != -1 && r.device() != null && r.device().group() == rule.suppressIfgroup()) {
                continue;
            }
            return r;
        }
        throw new KernelException(Errno.ENETUNREACH);
    }

    /** {@code fib_rule_match} with {@code fib4_rule_match}: the selector, inverted by {@code not}. */
    private boolean matches(FibRule rule, Flow flow) {
        boolean match = selectorMatches(rule, flow);
        return rule.inverted() != match;
    }

    private boolean selectorMatches(FibRule rule, Flow flow) {
        // flowi_iif: the receiving device, or loopback for what this host sends
        int iif = flow.inputInterface != 0 ? flow.inputInterface : ns.loopback().ifindex();
        if (rule.inputIndex() != 0 && rule.inputIndex() != iif) {
            return false;
        }
        if (rule.outputIndex() != 0 && rule.outputIndex() != flow.outputInterface) {
            return false;
        }
        if (((rule.mark() ^ (flow.mark & 0xFFFF_FFFFL)) & rule.markMask()) != 0) {
            return false;
        }
        if (rule.l3mdev()) {
            return false; // no VRF devices: an l3mdev rule has no table to offer
        }
        long uid = flow.uid < 0 ? 0 : flow.uid & 0xFFFF_FFFFL;
        if (uid < rule.uidStart() || uid > rule.uidEnd()) {
            return false;
        }
        if (rule.source() != null && !prefixHolds(rule.source().address(), rule.source().length(), flow.source)) {
            return false;
        }
        if (rule.destination() != null
                && !prefixHolds(rule.destination().address(), rule.destination().length(), flow.destination)) {
            return false;
        }
        if (rule.tos() != 0 && rule.tos() != (flow.tos & TOS_MASK)) {
            return false;
        }
        if (rule.ipProtocol() != 0 && rule.ipProtocol() != flow.protocol) {
            return false;
        }
        if (!inRange(rule.sourcePorts(), flow.sourcePort) || !inRange(rule.destinationPorts(), flow.destinationPort)) {
            return false;
        }
        return true;
    }

    private static boolean prefixHolds(IpAddress ruleAddress, int length, Ipv4Address a) {
        return ruleAddress instanceof Ipv4Address r && r.masked(length).equals(a.masked(length));
    }

    /** {@code fib_rule_port_inrange}, for a range that is set. */
    private static boolean inRange(int[] range, int port) {
        if (range[0] == 0 && range[1] == 0) {
            return true;
        }
        return port >= range[0] && port <= range[1];
    }

    /** {@code fib_table_lookup} over tables sharing one trie; {@code null} for no match ({@code -EAGAIN}). */
    private Result lookupIn(List<FibTable> tables, Flow flow, boolean ignoreLinkState, int reportedTable) {
        return switch (tables.size()) {
            case 0 -> null;
            case 1 -> lookupIn(tables.get(0), null, flow, ignoreLinkState, reportedTable);
            default -> lookupIn(tables.get(0), tables.get(1), flow, ignoreLinkState, reportedTable);
        };
    }

    /**
     * {@code fib_table_lookup} over one table, or two ({@code second} may be {@code null})
     * sharing one trie, {@code first}'s rows before {@code second}'s at each prefix length; each
     * table is probed only at the lengths it holds near the destination.
     */
    private Result lookupIn(FibTable first, FibTable second, Flow flow, boolean ignoreLinkState,
                            int reportedTable) {
        int dst = flow.destination.bits();
        long firstLengths = first.ipv4PrefixLengths(dst);
        long secondLengths = second == null ? 0 : second.ipv4PrefixLengths(dst);
        long lengths = firstLengths | secondLengths;
        // the longest prefix first, probing only the lengths some route has
        while (lengths != 0) {
            int length = 63 - Long.numberOfLeadingZeros(lengths);
            long bit = 1L << length;
            lengths &= ~bit;
            int network = dst & (length == 0 ? 0 : -1 << (32 - length));
            if ((firstLengths & bit) != 0) {
                Result r = probe(first, network, length, flow, ignoreLinkState, reportedTable);
                if (r != null) {
                    return r == THROWN ? null : r;
                }
            }
            if ((secondLengths & bit) != 0) {
                Result r = probe(second, network, length, flow, ignoreLinkState, reportedTable);
                if (r != null) {
                    return r == THROWN ? null : r;
                }
            }
        }
        return null;
    }

    /** A {@code throw} row answered: the lookup ends with no match. */
    private static final Result THROWN = new Result(null, 0);

    /** The rows of one prefix in one table: a result, {@link #THROWN}, or {@code null} to go on. */
    @SuppressWarnings("unchecked")
    private Result probe(FibTable t, int network, int length, Flow flow, boolean ignoreLinkState, int reportedTable) {
        Object found = t.probe(network, length);
        if (found == null) {
            return null;
        }
        if (found instanceof Route r) {
            return row(r, flow, ignoreLinkState, reportedTable);
        }
        if (found instanceof Route[] rows) {
            for (Route row : rows) {
                Result r = row(row, flow, ignoreLinkState, reportedTable);
                if (r != null) {
                    return r;
                }
            }
            return null;
        }
        List<Route> slot = (List<Route>) found;
        for (int i = 0; i < slot.size(); i++) {
            Result r = row(slot.get(i), flow, ignoreLinkState, reportedTable);
            if (r != null) {
                return r;
            }
        }
        return null;
    }

    /** One row of a matching prefix: a result, {@link #THROWN}, or {@code null} to go on. */
    private Result row(Route r, Flow flow, boolean ignoreLinkState, int reportedTable) {
        // the row's TOS must match the flow's, unless it has none
        if (r.tos() != 0 && r.tos() != flow.tos) {
            return null;
        }
        // a row of narrower scope than asked for does not answer
        if (r.scope() < flow.scope) {
            return null;
        }
        switch (r.type()) {
            case UNREACHABLE -> throw new KernelException(Errno.EHOSTUNREACH);
            case PROHIBIT -> throw new KernelException(Errno.EACCES);
            case BLACKHOLE -> throw new KernelException(Errno.EINVAL);
            case THROW -> {
                return THROWN;
            }
            default -> {
            }
        }
        if (!usableNexthop(r, flow, ignoreLinkState)) {
            return null;
        }
        return new Result(r, reportedTable);
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
        if (ns.ipv4().rules().customized()) {
            return true; // fib4_has_custom_rules: a local-only check could be too strict
        }
        FibTable local = ns.ipv4().tables().tableOrNull(RouteTableId.LOCAL);
        if (local == null) {
            return false;
        }
        return local.hasRoutesNotByKernel();
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
            Result r;
            if (ns.ipv4().rules().customized()) {
                // the local table on its own once rules split it from main
                FibTable local = ns.ipv4().tables().tableOrNull(RouteTableId.LOCAL);
                r = local == null ? null : lookupIn(List.of(local), flow, false, RouteTableId.LOCAL);
            } else {
                r = lookupMerged(flow, false);
            }
            return r == null ? RouteType.UNICAST : r.type();
        } catch (KernelException e) {
            // fib_table_lookup failed on a reject row
            return RouteType.UNICAST;
        }
    }
}
