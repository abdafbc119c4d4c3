package dev.ipsim.kernel.ipv4;

import dev.ipsim.kernel.Errno;
import dev.ipsim.kernel.KernelException;
import dev.ipsim.kernel.NetNamespace;
import dev.ipsim.kernel.NetdevEvent;
import dev.ipsim.kernel.NetdevListener;
import dev.ipsim.kernel.Scope;
import dev.ipsim.kernel.addr.Family;
import dev.ipsim.kernel.addr.IpAddress;
import dev.ipsim.kernel.addr.IpPrefix;
import dev.ipsim.kernel.addr.Ipv4Address;
import dev.ipsim.kernel.link.DeviceFlags;
import dev.ipsim.kernel.link.NetDevice;
import dev.ipsim.kernel.route.FibRule;
import dev.ipsim.kernel.route.FibRules;
import dev.ipsim.kernel.route.FibTable;
import dev.ipsim.kernel.route.NexthopFlags;
import dev.ipsim.kernel.route.Route;
import dev.ipsim.kernel.route.RouteProtocol;
import dev.ipsim.kernel.route.RouteTableId;
import dev.ipsim.kernel.route.RouteType;
import dev.ipsim.kernel.route.RoutingTables;
import java.util.ArrayList;
import java.util.List;

/**
 * A namespace's IPv4: addresses on devices ({@code net/ipv4/devinet.c}) and the routes the
 * kernel derives from them and from link state ({@code net/ipv4/fib_frontend.c}).
 *
 * <p>Heads up: what {@code ip route show table all} prints after a sequence of address and
 * link changes is decided here. The rules, checked against a real kernel:
 * <ul>
 * <li>Adding an address adds a {@code local} /32 route in table local at once; the prefix route
 *     (main) and broadcast routes (local) only while the device is up.</li>
 * <li>Taking a device down deletes every route through it except host-scope ones (the
 *     {@code local} routes stay); bringing it up adds them back for each address.</li>
 * <li>Losing carrier marks non-host routes {@code linkdown}; regaining it clears the flag.</li>
 * <li>A second address in a primary's subnet is secondary: it gets a local route but no prefix
 *     route, and its routes use the primary as preferred source.</li>
 * </ul>
 */
public final class Ipv4 implements NetdevListener {

    private final NetNamespace ns;
    /** {@code INET_ECN_MASK}: the ECN bits of the TOS byte. */
    private static final int INET_ECN_MASK = 0x03;
    /** {@code IPTOS_TOS_MASK}: the TOS bits IPv4 routing looks at. */
    private static final int IPTOS_TOS_MASK = 0x1E;

    private final RoutingTables tables;
    private final FibRules rules = FibRules.ipv4();

    public Ipv4(NetNamespace ns) {
        this.ns = ns;
        this.tables = new RoutingTables(Family.INET);
        // main exists from the start; local only once a route goes in (a fresh namespace with
        // lo down answers "FIB table does not exist" for it)
        tables.table(RouteTableId.MAIN);
        // ipv4_sysctl_rtcache_flush: any write flushes the routing cache, changed or not
        ns.sysctls().validateWith("net/ipv4/route/flush", new java.util.function.BiConsumer<String, String>() {
            @Override
            public void accept(String path, String value) {
                tables.flushCache();
            }
        });
        // devinet_sysctl_forward: turning forwarding on or off flushes it too
        ns.sysctls().onWrite("/forwarding", new java.util.function.BiConsumer<String, String>() {
            @Override
            public void accept(String path, String value) {
                if (path.startsWith("net/ipv4/")) {
                    tables.flushCache();
                }
            }
        });
    }

    public RoutingTables tables() {
        return tables;
    }

    // ------------------------------------------------------------------ policy rules

    /** The routing policy rules ({@code ip rule}). */
    public FibRules rules() {
        return rules;
    }

    /**
     * {@code fib_nl_newrule} for IPv4.
     *
     * @param exclusive {@code NLM_F_EXCL} ({@code ip rule add})
     * @throws KernelException as the kernel refuses the rule
     */
    public FibRule addRule(FibRule.Spec request, boolean exclusive) {
        FibRule rule = rules.add(request, exclusive, this::ifindexOf, this::configureRule);
        ns.kernel().settle();
        return rule;
    }

    /**
     * {@code fib_nl_delrule} for IPv4: the first rule matching what the request names.
     *
     * @throws KernelException ENOENT when no rule matches
     */
    public FibRule deleteRule(FibRule.Spec request) {
        FibRule rule = rules.delete(request, this::ifindexOf);
        ns.kernel().settle();
        return rule;
    }

    private int ifindexOf(String name) {
        NetDevice dev = ns.device(name);
        return dev == null ? 0 : dev.ifindex();
    }

    /** {@code fib4_rule_configure}. */
    private void configureRule(FibRule rule, FibRule.Spec request) {
        if ((request.tos & INET_ECN_MASK) != 0) {
            throw new KernelException(Errno.EINVAL, "Invalid dsfield (tos): ECN bits must be 0");
        }
        // IPv4 currently doesn't handle high order DSCP bits correctly
        if ((request.tos & ~IPTOS_TOS_MASK) != 0) {
            throw new KernelException(Errno.EINVAL, "Invalid tos");
        }
        if (rule.table() == RouteTableId.UNSPEC && !rule.l3mdev() && rule.action() == FibRule.ACTION_TO_TABLE) {
            // fib_empty_table: the first table id not in use
            long id = 1;
            while (tables.tableOrNull((int) id) != null) {
                id++;
            }
            tables.table((int) id);
            rules.setTable(rule, id);
        }
    }

    // ------------------------------------------------------------------ addresses

    /** What an {@code RTM_NEWADDR} request carries. */
    public static final class AddressRequest {
        public Ipv4Address local;
        /** The peer; {@code null} means none (address equals local). */
        public Ipv4Address peer;
        public int prefixLength = 32;
        public Ipv4Address broadcast;
        public Ipv4Address anycast;
        public int scope = Scope.UNIVERSE;
        public int flags;
        public String label;
        public long validLifetime = AddressFlags.INFINITY_LIFE_TIME;
        public long preferredLifetime = AddressFlags.INFINITY_LIFE_TIME;
        public int metric;
        public int protocol;
    }

    /**
     * {@code inet_rtm_newaddr}: adds an address, or with {@code replace} updates the lifetimes,
     * metric and protocol of the same address.
     *
     * @throws KernelException EEXIST ("ipv4: Address already assigned") for a duplicate without
     *         replace; EINVAL for a bad lifetime or a scope clash with the subnet's primary
     */
    public InetIfAddr addAddress(NetDevice dev, AddressRequest req, boolean replace, boolean exclusive) {
        // ifa_ipv4_policy: IFA_LABEL is a string of at most IFNAMSIZ - 1 bytes
        NetNamespace.checkNameAttribute(req.label);
        // rtm_to_ifaddr: from now on the device's conf no longer follows conf/default
        ns.sysctls().markIpv4ConfSet(dev.name());
        if (req.prefixLength > 32) {
            throw new KernelException(Errno.EINVAL);
        }
        if (req.validLifetime == 0) {
            throw new KernelException(Errno.EINVAL, "ipv4: address lifetime invalid");
        }
        if (req.preferredLifetime > req.validLifetime) {
            throw new KernelException(Errno.EINVAL, "ipv4: address lifetime invalid");
        }
        Ipv4Address address = req.peer != null ? req.peer : req.local;
        InDevice in = dev.ipv4();
        InetIfAddr existing = null;
        for (InetIfAddr a : in.addresses()) {
            if (a.prefixLength() == req.prefixLength && a.matches(address) && a.local().equals(req.local)) {
                existing = a;
                break;
            }
        }
        long now = ns.kernel().clock().seconds();
        if (existing != null) {
            if (exclusive || !replace) {
                throw new KernelException(Errno.EEXIST, "ipv4: Address already assigned");
            }
            if (existing.routePriority() != req.metric) {
                modifyPrefixMetric(existing, req.metric);
                existing.setRoutePriority(req.metric);
            }
            existing.setProtocol(req.protocol);
            existing.setLifetimes(req.validLifetime, req.preferredLifetime, now);
            applyPermanentFlag(existing);
            scheduleLifetimes(existing);
            ns.kernel().settle();
            return existing;
        }
        InetIfAddr ifa = new InetIfAddr(dev, req.local, address, req.prefixLength);
        ifa.setSerial(ns.kernel().nextEventSerial());
        ifa.setBroadcast(req.broadcast);
        // IFA_ANYCAST is an IPv6 notion: inet_rtm_newaddr does not keep it
        ifa.setScope(req.scope);
        ifa.setFlags(req.flags & ~(AddressFlags.SECONDARY | IPV6_ONLY_FLAGS));
        if (req.label != null) {
            ifa.setLabel(req.label);
        }
        ifa.setRoutePriority(req.metric);
        ifa.setProtocol(req.protocol);
        ifa.setLifetimes(req.validLifetime, req.preferredLifetime, now);
        applyPermanentFlag(ifa);
        insertAddress(ifa);
        scheduleLifetimes(ifa);
        ns.kernel().settle();
        return ifa;
    }

    private static final int IPV6_ONLY_FLAGS = AddressFlags.NODAD | AddressFlags.OPTIMISTIC
            | AddressFlags.DADFAILED | AddressFlags.HOMEADDRESS | AddressFlags.TENTATIVE
            | AddressFlags.MANAGETEMPADDR | AddressFlags.STABLE_PRIVACY;

    /** {@code set_ifa_lifetime}: an address with an infinite valid lifetime is permanent. */
    private static void applyPermanentFlag(InetIfAddr ifa) {
        int f = ifa.flags() & ~(AddressFlags.PERMANENT | AddressFlags.DEPRECATED);
        if (ifa.validLifetime() == AddressFlags.INFINITY_LIFE_TIME) {
            f |= AddressFlags.PERMANENT;
        }
        if (ifa.preferredLifetime() == 0) {
            f |= AddressFlags.DEPRECATED;
        }
        ifa.setFlags(f);
    }

    /** {@code __inet_insert_ifa}: position, primary/secondary, then the route side effects. */
    private void insertAddress(InetIfAddr ifa) {
        if (ifa.local().isUnspecified()) {
            return;
        }
        List<InetIfAddr> list = ifa.device().ipv4().mutableAddresses();
        int lastPrimary = 0;
        boolean secondary = false;
        for (int i = 0; i < list.size(); i++) {
            InetIfAddr other = list.get(i);
            if (!other.isSecondary() && ifa.scope() <= other.scope()) {
                lastPrimary = i + 1;
            }
            if (other.prefixLength() == ifa.prefixLength() && other.matches(ifa.address())) {
                if (other.local().equals(ifa.local())) {
                    throw new KernelException(Errno.EEXIST, "ipv4: Address already assigned");
                }
                if (other.scope() != ifa.scope()) {
                    throw new KernelException(Errno.EINVAL, "ipv4: Invalid scope value");
                }
                secondary = true;
            }
        }
        if (secondary) {
            ifa.setFlags(ifa.flags() | AddressFlags.SECONDARY);
            list.add(ifa);
        } else {
            list.add(lastPrimary, ifa);
        }
        fibAddIfaddr(ifa);
    }

    /** What an {@code RTM_DELADDR} request matches on; {@code null} fields match anything. */
    public static final class AddressMatch {
        public Ipv4Address local;
        public Ipv4Address address;
        public int prefixLength;
        public String label;
    }

    /**
     * {@code inet_rtm_deladdr}: deletes the first address matching the request.
     *
     * @throws KernelException EADDRNOTAVAIL ("ipv4: Address not found") when none matches
     */
    public void deleteAddress(NetDevice dev, AddressMatch match) {
        NetNamespace.checkNameAttribute(match.label);
        for (InetIfAddr ifa : dev.ipv4().addresses()) {
            if (match.local != null && !ifa.local().equals(match.local)) {
                continue;
            }
            if (match.label != null && !match.label.equals(ifa.label())) {
                continue;
            }
            if (match.address != null
                    && (match.prefixLength != ifa.prefixLength() || !ifa.matches(match.address))) {
                continue;
            }
            deleteAddress(ifa, true);
            ns.kernel().settle();
            return;
        }
        throw new KernelException(Errno.EADDRNOTAVAIL, "ipv4: Address not found");
    }

    /**
     * {@code __inet_del_ifa}: deleting a primary deletes its secondaries, or promotes the first
     * of them when {@code promote_secondaries} is set.
     */
    void deleteAddress(InetIfAddr victim, boolean allowPromotion) {
        NetDevice dev = victim.device();
        List<InetIfAddr> list = dev.ipv4().mutableAddresses();
        InetIfAddr promote = null;
        boolean doPromote = allowPromotion && (sysctl(dev, "promote_secondaries") != 0
                || ns.sysctls().ipv4Conf("all", "promote_secondaries") != 0);
        if (!victim.isSecondary()) {
            int i = list.indexOf(victim) + 1;
            while (i < list.size()) {
                InetIfAddr ifa = list.get(i);
                if (!ifa.isSecondary() || ifa.prefixLength() != victim.prefixLength()
                        || !victim.matches(ifa.address())) {
                    i++;
                    continue;
                }
                if (!doPromote) {
                    list.remove(i);
                    fibDelIfaddr(ifa, null);
                } else {
                    promote = ifa;
                    break;
                }
            }
        }
        if (promote != null) {
            // the promoted subnet changes primary: its routes go now, come back with the new prefsrc
            for (int i = list.indexOf(promote); i < list.size(); i++) {
                InetIfAddr ifa = list.get(i);
                if (ifa.prefixLength() == victim.prefixLength() && victim.matches(ifa.address())) {
                    fibDelIfaddr(ifa, victim);
                }
            }
        }
        list.remove(victim);
        if (victim.lifetimeTimer != null) {
            victim.lifetimeTimer.cancel();
            victim.lifetimeTimer = null;
        }
        fibDelIfaddr(victim, null);
        if (promote != null) {
            int at = list.indexOf(promote);
            list.remove(at);
            int lastPrimary = 0;
            for (int i = 0; i < list.size(); i++) {
                if (!list.get(i).isSecondary() && victim.scope() <= list.get(i).scope()) {
                    lastPrimary = i + 1;
                }
            }
            list.add(Math.min(lastPrimary, at), promote);
            promote.setFlags(promote.flags() & ~AddressFlags.SECONDARY);
            fibAddIfaddr(promote);
            for (int i = list.indexOf(promote) + 1; i < list.size(); i++) {
                InetIfAddr ifa = list.get(i);
                if (ifa.prefixLength() == victim.prefixLength() && victim.matches(ifa.address())) {
                    fibAddIfaddr(ifa);
                }
            }
        }
    }

    // ------------------------------------------------------------------ devinet_ioctl

    /** The address {@code devinet_ioctl} acts on: the first whose label is {@code label}. */
    private static InetIfAddr byLabel(NetDevice dev, String label) {
        for (InetIfAddr a : dev.ipv4().addresses()) {
            if (a.label().equals(label)) {
                return a;
            }
        }
        return null;
    }

    /**
     * {@code inet_abc_len}: the classful prefix length of an address, 0 for 0.0.0.0/8 and
     * 255.255.255.255, -1 for a multicast one.
     */
    public static int classfulLength(Ipv4Address a) {
        int h = a.bits();
        if ((h & 0xFF00_0000) == 0 || h == -1) {
            return 0;
        }
        if ((h & 0x8000_0000) == 0) {
            return 8;
        }
        if ((h & 0xC000_0000) == 0x8000_0000) {
            return 16;
        }
        if ((h & 0xE000_0000) == 0xC000_0000) {
            return 24;
        }
        if ((h & 0xF000_0000) == 0xF000_0000) {
            return 32;
        }
        return -1;
    }

    /**
     * {@code devinet_ioctl(SIOCSIFADDR)}: the address labelled {@code label} (a new one if none)
     * gets {@code local} with its classful mask and broadcast (a /32 on a point-to-point
     * device); the old one, and so its prefix route, is deleted first. 0.0.0.0 leaves the
     * label with no address ({@code inet_insert_ifa} drops it).
     *
     * @throws KernelException EINVAL for a multicast address
     */
    public void ioctlSetAddress(NetDevice dev, String label, Ipv4Address local) {
        int abc = classfulLength(local);
        if (abc < 0) {
            throw new KernelException(Errno.EINVAL);
        }
        InetIfAddr old = byLabel(dev, label);
        if (old != null && old.local().equals(local)) {
            return;
        }
        if (old != null) {
            deleteAddress(old, true);
        }
        int plen = (dev.flags() & DeviceFlags.POINTOPOINT) != 0 ? 32 : abc;
        InetIfAddr ifa = new InetIfAddr(dev, local, local, plen);
        if ((dev.flags() & DeviceFlags.BROADCAST) != 0 && plen < 31) {
            ifa.setBroadcast(local.broadcast(plen));
        }
        ifa.setScope(Scope.UNIVERSE);
        ifa.setLabel(label);
        if (old != null) {
            ifa.setFlags(old.flags() & ~AddressFlags.SECONDARY);
            ifa.setRoutePriority(old.routePriority());
        }
        ifa.setLifetimes(AddressFlags.INFINITY_LIFE_TIME, AddressFlags.INFINITY_LIFE_TIME,
                ns.kernel().clock().seconds());
        applyPermanentFlag(ifa);
        insertAddress(ifa);
        ns.kernel().settle();
    }

    /**
     * {@code devinet_ioctl(SIOCSIFNETMASK)}: the address is deleted and inserted again with the
     * new mask; a broadcast that was the old subnet's follows the new one.
     *
     * @throws KernelException EADDRNOTAVAIL when no address has the label, EINVAL for a
     *         non-contiguous mask
     */
    public void ioctlSetNetmask(NetDevice dev, String label, Ipv4Address mask) {
        InetIfAddr old = byLabel(dev, label);
        if (old == null) {
            throw new KernelException(Errno.EADDRNOTAVAIL);
        }
        int plen = mask.maskLength();
        if (plen < 0 || !Ipv4Address.netmask(plen).equals(mask)) {
            throw new KernelException(Errno.EINVAL);
        }
        if (plen == old.prefixLength()) {
            return;
        }
        deleteAddress(old, true);
        InetIfAddr ifa = copyOf(old, plen);
        Ipv4Address oldDefault = old.local().broadcast(old.prefixLength());
        if ((dev.flags() & DeviceFlags.BROADCAST) != 0 && plen < 31
                && oldDefault.equals(orAny(old.broadcast()))) {
            ifa.setBroadcast(old.local().broadcast(plen));
        }
        insertAddress(ifa);
        ns.kernel().settle();
    }

    /**
     * {@code devinet_ioctl(SIOCSIFBRDADDR)}: a different broadcast deletes and inserts the
     * address again.
     *
     * @throws KernelException EADDRNOTAVAIL when no address has the label
     */
    public void ioctlSetBroadcast(NetDevice dev, String label, Ipv4Address broadcast) {
        InetIfAddr old = byLabel(dev, label);
        if (old == null) {
            throw new KernelException(Errno.EADDRNOTAVAIL);
        }
        if (orAny(old.broadcast()).equals(broadcast)) {
            return;
        }
        deleteAddress(old, true);
        InetIfAddr ifa = copyOf(old, old.prefixLength());
        ifa.setBroadcast(broadcast);
        insertAddress(ifa);
        ns.kernel().settle();
    }

    private static Ipv4Address orAny(Ipv4Address a) {
        return a == null ? Ipv4Address.ANY : a;
    }

    /** The same {@code struct in_ifaddr} after {@code inet_del_ifa(..., 0)}, with a new length. */
    private InetIfAddr copyOf(InetIfAddr old, int plen) {
        InetIfAddr ifa = new InetIfAddr(old.device(), old.local(), old.address(), plen);
        ifa.setBroadcast(old.broadcast());
        ifa.setScope(old.scope());
        ifa.setLabel(old.label());
        ifa.setFlags(old.flags() & ~AddressFlags.SECONDARY);
        ifa.setRoutePriority(old.routePriority());
        ifa.setProtocol(old.protocol());
        ifa.setLifetimes(old.validLifetime(), old.preferredLifetime(), ns.kernel().clock().seconds());
        return ifa;
    }

    /**
     * {@code check_lifetime}: an address that is not permanent becomes {@code deprecated} when
     * its preferred lifetime runs out and is deleted (promoting a secondary if configured) when
     * its valid lifetime does. The kernel's worker runs on whole-second boundaries; here it runs
     * at the exact moment.
     */
    private void scheduleLifetimes(InetIfAddr ifa) {
        if (ifa.lifetimeTimer != null) {
            ifa.lifetimeTimer.cancel();
            ifa.lifetimeTimer = null;
        }
        if ((ifa.flags() & AddressFlags.PERMANENT) != 0) {
            return;
        }
        long now = ns.kernel().clock().seconds();
        long at = Long.MAX_VALUE;
        if (ifa.validLifetime() != AddressFlags.INFINITY_LIFE_TIME) {
            at = ifa.updatedAt() + ifa.validLifetime();
        }
        if (ifa.preferredLifetime() != AddressFlags.INFINITY_LIFE_TIME && (ifa.flags() & AddressFlags.DEPRECATED) == 0) {
            at = Math.min(at, ifa.updatedAt() + ifa.preferredLifetime());
        }
        if (at == Long.MAX_VALUE) {
            return;
        }
        long delay = Math.max(0, at - now) * dev.ipsim.kernel.time.VirtualClock.NANOS_PER_SECOND;
        ifa.lifetimeTimer = ns.kernel().clock().after(delay, new Runnable() {
            @Override
            public void run() {
                checkLifetime(ifa);
            }
        });
    }

    private void checkLifetime(InetIfAddr ifa) {
        ifa.lifetimeTimer = null;
        if (!ifa.device().ipv4().addresses().contains(ifa)) {
            return;
        }
        long age = ns.kernel().clock().seconds() - ifa.updatedAt();
        if (ifa.validLifetime() != AddressFlags.INFINITY_LIFE_TIME && age >= ifa.validLifetime()) {
            deleteAddress(ifa, true);
            return;
        }
        if (ifa.preferredLifetime() != AddressFlags.INFINITY_LIFE_TIME && age >= ifa.preferredLifetime()) {
            ifa.setFlags(ifa.flags() | AddressFlags.DEPRECATED);
        }
        scheduleLifetimes(ifa);
    }

    private int sysctl(NetDevice dev, String key) {
        return ns.sysctls().ipv4Conf(dev.name(), key);
    }

    /** Every address of the namespace, device by device in ifindex order. */
    public List<InetIfAddr> allAddresses() {
        List<InetIfAddr> out = new ArrayList<>();
        for (NetDevice d : ns.devices()) {
            out.addAll(d.ipv4().addresses());
        }
        return out;
    }

    /** Whether {@code a} is assigned to any device of the namespace. */
    public InetIfAddr findLocal(Ipv4Address a) {
        for (NetDevice d : ns.devices()) {
            for (InetIfAddr ifa : d.ipv4().addresses()) {
                if (ifa.local().equals(a)) {
                    return ifa;
                }
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ derived routes

    /** {@code fib_magic}: a kernel route for an address, in local or main by type. */
    private Route magicRoute(RouteType type, Ipv4Address dst, int prefixLength, InetIfAddr prim, int priority) {
        NetDevice dev = prim.device();
        int table = type == RouteType.UNICAST ? RouteTableId.MAIN : RouteTableId.LOCAL;
        int scope = type == RouteType.LOCAL ? Scope.HOST : Scope.LINK;
        int nhFlags = 0;
        if (scope != Scope.HOST && !dev.hasCarrier()) {
            nhFlags |= NexthopFlags.LINKDOWN;
        }
        return Route.builder(type, new IpPrefix(dst, prefixLength))
                .table(table).protocol(RouteProtocol.KERNEL).scope(scope)
                .preferredSource(prim.local()).device(dev).priority(priority).nexthopFlags(nhFlags).build();
    }

    private void magicAdd(RouteType type, Ipv4Address dst, int prefixLength, InetIfAddr prim, int priority) {
        Route r = magicRoute(type, dst, prefixLength, prim, priority);
        FibTable t = tables.table(r.table());
        for (Route existing : t.routesAt(r.destination(), 0)) {
            if (existing.priority() == r.priority() && existing.sameInfo(r)) {
                return; // a perfect match already exists: fib_table_insert says EEXIST
            }
        }
        t.insert(r, FibTable.Position.AFTER_EQUAL);
    }

    private void magicDelete(RouteType type, Ipv4Address dst, int prefixLength, InetIfAddr prim) {
        Route proto = magicRoute(type, dst, prefixLength, prim, 0);
        FibTable t = tables.tableOrNull(proto.table());
        if (t == null) {
            return;
        }
        for (Route r : t.routesAt(proto.destination(), 0)) {
            if (r.type() == type && r.scope() == proto.scope()
                    && prim.local().equals(r.preferredSource()) && r.protocol() == RouteProtocol.KERNEL
                    && r.device() == prim.device() && r.gateway() == null) {
                t.remove(r);
                return;
            }
        }
    }

    /** {@code fib_add_ifaddr}. */
    void fibAddIfaddr(InetIfAddr ifa) {
        NetDevice dev = ifa.device();
        InetIfAddr prim = ifa;
        Ipv4Address prefix = ifa.prefix();
        if (ifa.isSecondary()) {
            prim = dev.ipv4().primaryByPrefix(prefix, ifa.prefixLength());
            if (prim == null) {
                return;
            }
        }
        magicAdd(RouteType.LOCAL, ifa.local(), 32, prim, 0);
        if (!dev.isUp()) {
            return;
        }
        Ipv4Address brd = ifa.broadcast();
        if (brd != null && !brd.isUnspecified() && !brd.isLimitedBroadcast()) {
            magicAdd(RouteType.BROADCAST, brd, 32, prim, 0);
        }
        if (!prefix.isZeroNet() && !ifa.isSecondary()
                && (!prefix.equals(ifa.local()) || ifa.prefixLength() < 32)) {
            if ((ifa.flags() & AddressFlags.NOPREFIXROUTE) == 0) {
                magicAdd(dev.isLoopback() ? RouteType.LOCAL : RouteType.UNICAST, prefix, ifa.prefixLength(), prim,
                        ifa.routePriority());
            }
            if (ifa.prefixLength() < 31) {
                magicAdd(RouteType.BROADCAST, prefix.broadcast(ifa.prefixLength()), 32, prim, 0);
            }
        }
    }

    /** {@code fib_del_ifaddr}: removes what no remaining address still needs. */
    void fibDelIfaddr(InetIfAddr ifa, InetIfAddr iprim) {
        NetDevice dev = ifa.device();
        InDevice in = dev.ipv4();
        Ipv4Address any = ifa.prefix();
        Ipv4Address brd = any.broadcast(ifa.prefixLength());
        InetIfAddr prim = ifa;
        boolean subnet = false;
        final int localOk = 1;
        final int brdOk = 2;
        final int brd0Ok = 4;
        final int brd1Ok = 8;
        int ok = 0;
        boolean gone = true;
        boolean samePrefsrc = false;

        if (ifa.isSecondary()) {
            prim = in.primaryByPrefix(any, ifa.prefixLength());
            if (prim == null) {
                return;
            }
            if (iprim != null && iprim != prim) {
                return;
            }
        } else if (!any.isZeroNet() && (!any.equals(ifa.local()) || ifa.prefixLength() < 32)) {
            if ((ifa.flags() & AddressFlags.NOPREFIXROUTE) == 0) {
                magicDelete(dev.isLoopback() ? RouteType.LOCAL : RouteType.UNICAST, any, ifa.prefixLength(), prim);
            }
            subnet = true;
        }

        InetIfAddr prim1 = null;
        for (InetIfAddr ifa1 : in.addresses()) {
            if (ifa1 == ifa) {
                gone = false; // promotion keeps the address
                continue;
            }
            if (iprim != null && ifa1.prefixLength() == iprim.prefixLength() && iprim.matches(ifa1.address())) {
                continue;
            }
            if (ifa1.isSecondary()) {
                if (ifa1.prefixLength() == prim.prefixLength() && prim.matches(ifa1.address())) {
                    prim1 = prim;
                } else {
                    if (!samePrefsrc) {
                        continue;
                    }
                    if (prim1 == null || ifa1.prefixLength() != prim1.prefixLength()
                            || !prim1.matches(ifa1.address())) {
                        prim1 = in.primaryByPrefix(ifa1.address(), ifa1.prefixLength());
                    }
                    if (prim1 == null || !prim1.local().equals(prim.local())) {
                        continue;
                    }
                }
            } else {
                if (!prim.local().equals(ifa1.local())) {
                    continue;
                }
                prim1 = ifa1;
                if (prim != prim1) {
                    samePrefsrc = true;
                }
            }
            if (ifa.local().equals(ifa1.local())) {
                ok |= localOk;
            }
            if (java.util.Objects.equals(ifa.broadcast(), ifa1.broadcast())) {
                ok |= brdOk;
            }
            if (brd.equals(ifa1.broadcast())) {
                ok |= brd1Ok;
            }
            if (any.equals(ifa1.broadcast())) {
                ok |= brd0Ok;
            }
            if (prim1 == ifa1 && ifa1.prefixLength() < 31) {
                Ipv4Address brd1 = ifa1.address().broadcast(ifa1.prefixLength());
                Ipv4Address any1 = ifa1.prefix();
                if (!any1.isZeroNet()) {
                    if (brd1.equals(ifa.broadcast()) || any1.equals(ifa.broadcast())) {
                        ok |= brdOk;
                    }
                    if (brd.equals(brd1) || brd.equals(any1)) {
                        ok |= brd1Ok;
                    }
                    if (any.equals(brd1) || any.equals(any1)) {
                        ok |= brd0Ok;
                    }
                }
            }
        }

        if ((ok & brdOk) == 0 && ifa.broadcast() != null) {
            magicDelete(RouteType.BROADCAST, ifa.broadcast(), 32, prim);
        }
        if (subnet && ifa.prefixLength() < 31) {
            if ((ok & brd1Ok) == 0) {
                magicDelete(RouteType.BROADCAST, brd, 32, prim);
            }
            if ((ok & brd0Ok) == 0) {
                magicDelete(RouteType.BROADCAST, any, 32, prim);
            }
        }
        if ((ok & localOk) == 0) {
            magicDelete(RouteType.LOCAL, ifa.local(), 32, prim);
            if (gone && !isLocalAddress(ifa.local())) {
                // stray routes that used this address as preferred source go too
                syncDownAddress(ifa.local());
            }
        }
    }

    /** Whether {@code a} still has a {@code local} route ({@code inet_addr_type == RTN_LOCAL}). */
    private boolean isLocalAddress(Ipv4Address a) {
        FibTable local = tables.tableOrNull(RouteTableId.LOCAL);
        if (local == null) {
            return false;
        }
        for (Route r : local.routesAt(IpPrefix.host(a), 0)) {
            if (r.type() == RouteType.LOCAL) {
                return true;
            }
        }
        return false;
    }

    /** {@code fib_sync_down_addr} + flush: routes whose preferred source was {@code a}. */
    private void syncDownAddress(Ipv4Address a) {
        for (FibTable t : tables.all()) {
            t.removeWithPreferredSource(a);
        }
    }

    /** {@code fib_modify_prefix_metric}: re-adds the prefix route with a new metric. */
    private void modifyPrefixMetric(InetIfAddr ifa, int metric) {
        NetDevice dev = ifa.device();
        if (!dev.isUp() || ifa.isSecondary() || (ifa.flags() & AddressFlags.NOPREFIXROUTE) != 0
                || ifa.prefix().isZeroNet() || (ifa.prefix().equals(ifa.local()) && ifa.prefixLength() == 32)) {
            return;
        }
        RouteType type = dev.isLoopback() ? RouteType.LOCAL : RouteType.UNICAST;
        magicAdd(type, ifa.prefix(), ifa.prefixLength(), ifa, metric);
        FibTable t = tables.table(type == RouteType.UNICAST ? RouteTableId.MAIN : RouteTableId.LOCAL);
        for (Route r : t.routesAt(new IpPrefix(ifa.prefix(), ifa.prefixLength()), 0)) {
            if (r.priority() == ifa.routePriority() && r.device() == dev && r.protocol() == RouteProtocol.KERNEL
                    && ifa.local().equals(r.preferredSource())) {
                t.remove(r);
                break;
            }
        }
    }

    // ------------------------------------------------------------------ device events

    @Override
    public void onNetdevEvent(NetdevEvent event, NetDevice dev) {
        switch (event) {
            case REGISTER -> rules.deviceRegistered(dev.name(), dev.ifindex());
            case CHANGENAME -> rules.deviceRenamed(dev.name(), dev.ifindex());
            case UP -> {
                if (dev.isLoopback()) {
                    addLoopbackAddress(dev);
                }
                for (InetIfAddr ifa : List.copyOf(dev.ipv4().addresses())) {
                    fibAddIfaddr(ifa);
                }
            }
            case DOWN -> disableIp(dev, false);
            case CHANGE -> {
                if (dev.isOperational() || dev.hasCarrier()) {
                    syncUp(dev);
                } else {
                    syncDownLinkdown(dev);
                }
            }
            case UNREGISTER -> {
                rules.deviceUnregistered(dev.ifindex());
                disableIp(dev, true);
                List<InetIfAddr> list = dev.ipv4().mutableAddresses();
                while (!list.isEmpty()) {
                    deleteAddress(list.get(0), false);
                }
            }
            case CHANGEMTU -> {
                if (dev.mtu() < NetDevice.ETH_MIN_MTU) {
                    List<InetIfAddr> list = dev.ipv4().mutableAddresses();
                    while (!list.isEmpty()) {
                        deleteAddress(list.get(0), false);
                    }
                }
            }
            default -> {
            }
        }
    }

    /** devinet's NETDEV_UP for loopback: 127.0.0.1/8 scope host, unless already there. */
    private void addLoopbackAddress(NetDevice lo) {
        Ipv4Address local = Ipv4Address.LOOPBACK;
        for (InetIfAddr a : lo.ipv4().addresses()) {
            if (a.local().equals(local) && a.prefixLength() == 8) {
                return;
            }
        }
        InetIfAddr ifa = new InetIfAddr(lo, local, local, 8);
        ifa.setScope(Scope.HOST);
        ifa.setFlags(AddressFlags.PERMANENT);
        ifa.setLifetimes(AddressFlags.INFINITY_LIFE_TIME, AddressFlags.INFINITY_LIFE_TIME,
                ns.kernel().clock().seconds());
        try {
            insertAddress(ifa);
        } catch (KernelException e) {
            // inet_insert_ifa refuses quietly
        }
    }

    /**
     * {@code fib_disable_ip}: on down, every route through the device except host-scope ones
     * is deleted; on unregister, all of them.
     */
    private void disableIp(NetDevice dev, boolean force) {
        for (FibTable t : tables.all()) {
            t.removeIf(dev, r -> force || r.scope() != Scope.HOST);
        }
    }

    /** {@code fib_sync_down_dev(NETDEV_CHANGE)}: routes through the device become linkdown. */
    private void syncDownLinkdown(NetDevice dev) {
        for (FibTable t : tables.all()) {
            for (Route r : t.routesThrough(dev)) {
                if (r.scope() != Scope.HOST) {
                    r.setNexthopFlag(NexthopFlags.LINKDOWN, true);
                }
            }
        }
    }

    /** {@code fib_sync_up(dev, RTNH_F_LINKDOWN)}. */
    private void syncUp(NetDevice dev) {
        if (!dev.hasCarrier()) {
            return;
        }
        for (FibTable t : tables.all()) {
            for (Route r : t.routesThrough(dev)) {
                r.setNexthopFlag(NexthopFlags.LINKDOWN, false);
            }
        }
    }

    // ------------------------------------------------------------------ user routes

    /** Insertion semantics of an {@code RTM_NEWROUTE} request (its netlink flags). */
    public enum RouteAddMode {
        /** {@code ip route add}: NLM_F_CREATE|NLM_F_EXCL. */
        ADD,
        /** {@code ip route change}: NLM_F_REPLACE. */
        CHANGE,
        /** {@code ip route replace}: NLM_F_CREATE|NLM_F_REPLACE. */
        REPLACE,
        /** {@code ip route prepend}: NLM_F_CREATE. */
        PREPEND,
        /** {@code ip route append}: NLM_F_CREATE|NLM_F_APPEND. */
        APPEND,
        /** {@code ip route test}: NLM_F_EXCL without NLM_F_CREATE, which can only fail. */
        TEST
    }

    /**
     * {@code fib_table_insert}/{@code fib_table_delete}'s first check: no bits set beyond the
     * prefix length.
     */
    public static void checkPrefix(IpPrefix requested) {
        if (!requested.address().masked(requested.length()).equals(requested.address())) {
            throw new KernelException(Errno.EINVAL, "Invalid prefix for given prefix length");
        }
    }

    /**
     * {@code fib_table_insert} for a user route: validates the nexthop, then inserts.
     *
     * @throws KernelException as the kernel refuses the route
     */
    public Route addRoute(Route requested, RouteAddMode mode) {
        // fib_new_table: table 0 (RT_TABLE_UNSPEC) is main
        Route route = validate(requested.table() == 0 ? requested.inTable(RouteTableId.MAIN) : requested);
        FibTable t = tables.table(route.table());
        List<Route> same = t.routesAt(route.destination(), route.tos());
        Route first = null;
        Route match = null;
        for (Route r : same) {
            if (r.priority() != route.priority()) {
                continue;
            }
            if (first == null) {
                first = r;
            }
            if (r.type() == route.type() && r.sameInfo(route)) {
                match = r;
            }
        }
        switch (mode) {
            case ADD -> {
                if (first != null) {
                    throw new KernelException(Errno.EEXIST);
                }
                t.insert(route, FibTable.Position.BEFORE_EQUAL);
            }
            case CHANGE, REPLACE -> {
                if (first == null) {
                    if (mode == RouteAddMode.CHANGE) {
                        throw new KernelException(Errno.ENOENT);
                    }
                    t.insert(route, FibTable.Position.BEFORE_EQUAL);
                } else {
                    t.replace(first, route);
                }
            }
            case TEST -> throw new KernelException(first != null ? Errno.EEXIST : Errno.ENOENT);
            case PREPEND, APPEND -> {
                if (match != null) {
                    throw new KernelException(Errno.EEXIST);
                }
                t.insert(route, mode == RouteAddMode.APPEND ? FibTable.Position.AFTER_EQUAL
                        : FibTable.Position.BEFORE_EQUAL);
            }
        }
        ns.kernel().settle();
        return route;
    }

    /**
     * The nexthop checks of {@code fib_create_info}/{@code fib_check_nh}; returns the route as
     * the kernel stores it (device resolved from the gateway, {@code linkdown} without carrier).
     */
    private Route validate(Route route) {
        if (route.scope() > Scope.HOST) {
            throw new KernelException(Errno.EINVAL, "Invalid scope");
        }
        if (route.type().isReject()) {
            // fib_create_info: these types have no nexthop
            if (route.gateway() != null || route.device() != null) {
                throw new KernelException(Errno.EINVAL,
                        "Gateway, device and multipath can not be specified for this route type");
            }
            return route;
        }
        NetDevice dev = route.device();
        IpAddress gw = route.gateway();
        if (route.scope() == Scope.HOST) {
            if (gw != null) {
                throw new KernelException(Errno.EINVAL, "Route with host scope can not have a gateway");
            }
            if (dev == null) {
                throw new KernelException(Errno.ENODEV);
            }
        } else if (gw != null) {
            if (route.hasNexthopFlag(NexthopFlags.ONLINK)) {
                if (dev == null) {
                    throw new KernelException(Errno.EINVAL, "Nexthop device required for onlink");
                }
                if (!dev.isUp()) {
                    throw new KernelException(Errno.ENETDOWN, "Nexthop device is not up");
                }
            } else {
                Route via = lookupGateway((Ipv4Address) gw, dev, route.table(), route.scope());
                if (via == null) {
                    // the lookup itself failed (ENETUNREACH), which ioctl users see
                    throw new KernelException(Errno.ENETUNREACH, "Nexthop has invalid gateway");
                }
                if (via.type() != RouteType.UNICAST && via.type() != RouteType.LOCAL) {
                    throw new KernelException(Errno.EINVAL, "Nexthop has invalid gateway");
                }
                dev = via.device();
                if (dev == null) {
                    throw new KernelException(Errno.EINVAL, "No egress device for nexthop gateway");
                }
                if (!dev.isUp()) {
                    throw new KernelException(Errno.ENETDOWN);
                }
            }
        } else {
            // fib_check_nh_nongw
            if (route.hasNexthopFlag(NexthopFlags.ONLINK)) {
                throw new KernelException(Errno.EINVAL,
                        "Invalid flags for nexthop - PERVASIVE and ONLINK can not be set");
            }
            if (dev == null) {
                throw new KernelException(Errno.ENODEV);
            }
            if (!dev.isUp()) {
                throw new KernelException(Errno.ENETDOWN, "Device for nexthop is not up");
            }
        }
        if (route.preferredSource() != null && route.type() != RouteType.LOCAL
                && !isLocalAddress((Ipv4Address) route.preferredSource())) {
            throw new KernelException(Errno.EINVAL, "Invalid prefsrc address");
        }
        int flags = route.nexthopFlags();
        if (route.scope() != Scope.HOST && !dev.hasCarrier()) {
            flags |= NexthopFlags.LINKDOWN;
        }
        return route.withNexthop(dev, flags);
    }

    /**
     * The route a gateway is reached by: a lookup in the route's table, then the main tables,
     * accepting only routes of narrower scope than the new route, through {@code dev} when given.
     */
    private Route lookupGateway(Ipv4Address gw, NetDevice dev, int table, int scope) {
        int wanted = scope + 1; // fib_check_nh: scope of the route to the gateway must be wider... narrower
        for (int id : new int[] {table, RouteTableId.LOCAL, RouteTableId.MAIN}) {
            FibTable t = tables.tableOrNull(id);
            if (t == null) {
                continue;
            }
            for (Route r : t.matching(gw)) {
                if (r.hasNexthopFlag(NexthopFlags.DEAD)) {
                    continue;
                }
                if (r.scope() < Math.max(wanted, Scope.LINK)) {
                    continue;
                }
                if (dev != null && r.device() != dev) {
                    continue;
                }
                return r;
            }
        }
        return null;
    }

    /** What an {@code RTM_DELROUTE} request matches on; unset fields match anything. */
    public static final class RouteMatch {
        public IpPrefix destination;
        public int tos;
        public int table = RouteTableId.MAIN;
        public RouteType type;
        public int scope = Scope.NOWHERE;
        public Integer protocol;
        public Integer priority;
        public IpAddress preferredSource;
        public IpAddress gateway;
        public NetDevice device;
    }

    /**
     * {@code fib_table_delete}: removes the first route that matches.
     *
     * @throws KernelException ESRCH when nothing matches
     */
    public Route deleteRoute(RouteMatch m) {
        FibTable t = tables.tableOrNull(m.table);
        if (t != null) {
            for (Route r : t.routesAt(m.destination, m.tos)) {
                if (m.type != null && r.type() != m.type) {
                    continue;
                }
                if (m.scope != Scope.NOWHERE && r.scope() != m.scope) {
                    continue;
                }
                if (m.preferredSource != null && !m.preferredSource.equals(r.preferredSource())) {
                    continue;
                }
                if (m.protocol != null && m.protocol != 0 && r.protocol() != m.protocol) {
                    continue;
                }
                if (m.priority != null && m.priority != 0 && r.priority() != m.priority) {
                    continue;
                }
                if (m.device != null && r.device() != m.device) {
                    continue;
                }
                if (m.gateway != null && !m.gateway.equals(r.gateway())) {
                    continue;
                }
                t.remove(r);
                ns.kernel().settle();
                return r;
            }
        }
        throw new KernelException(Errno.ESRCH);
    }
}
