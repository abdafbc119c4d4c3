package dev.ipsim.kernel.ipv6;

import dev.ipsim.kernel.Errno;
import dev.ipsim.kernel.KernelException;
import dev.ipsim.kernel.NetNamespace;
import dev.ipsim.kernel.NetdevEvent;
import dev.ipsim.kernel.NetdevListener;
import dev.ipsim.kernel.Scope;
import dev.ipsim.kernel.addr.Family;
import dev.ipsim.kernel.addr.IpPrefix;
import dev.ipsim.kernel.addr.Ipv6Address;
import dev.ipsim.kernel.ipv4.AddressFlags;
import dev.ipsim.kernel.link.DeviceFlags;
import dev.ipsim.kernel.link.NetDevice;
import dev.ipsim.kernel.route.FibTable;
import dev.ipsim.kernel.route.NexthopFlags;
import dev.ipsim.kernel.route.Route;
import dev.ipsim.kernel.route.RouteProtocol;
import dev.ipsim.kernel.route.FibRule;
import dev.ipsim.kernel.route.FibRules;
import dev.ipsim.kernel.route.RouteTableId;
import dev.ipsim.kernel.route.RouteType;
import dev.ipsim.kernel.route.RoutingTables;
import dev.ipsim.kernel.time.VirtualClock;
import java.util.ArrayList;
import java.util.List;

/**
 * A namespace's IPv6 address configuration ({@code net/ipv6/addrconf.c}).
 *
 * <p>Heads up: RFC 4862 stateless autoconfiguration as Linux runs it. When a device's link
 * becomes ready (up, with an operstate that passes packets) it gets an EUI-64 link-local
 * address, the {@code fe80::/64} route and the {@code ff00::/8} multicast route. The address is
 * {@code tentative} during Duplicate Address Detection: after a random delay below
 * {@code router_solicitation_delay} (1 s) one Neighbour Solicitation goes out, and one
 * retransmit time (1 s) later the address is confirmed and gets its {@code local} route.
 * Devices without ARP and loopback skip DAD. Taking a device down removes its addresses and
 * their routes.
 */
public final class Ipv6 implements NetdevListener {

    /** {@code ff00::/8}: every device's multicast route, one object for all of them. */
    private static final IpPrefix MULTICAST_PREFIX = new IpPrefix(new Ipv6Address(0xFF00_0000_0000_0000L, 0), 8);

    /** {@code IP6_RT_PRIO_ADDRCONF}: the metric of prefix and multicast routes. */
    public static final int PRIO_ADDRCONF = 256;
    /** {@code IPV6_MIN_MTU}. */
    public static final int MIN_MTU = 1280;

    private static final long HZ_NANOS = VirtualClock.NANOS_PER_SECOND / 250;

    private final NetNamespace ns;
    private final RoutingTables tables = new RoutingTables(Family.INET6);
    private final FibRules rules = FibRules.ipv6();
    private final List<DadListener> dadListeners = new ArrayList<>();

    public Ipv6(NetNamespace ns) {
        this.ns = ns;
        tables.table(RouteTableId.LOCAL);
        tables.table(RouteTableId.MAIN);
        ns.sysctls().onWrite("/disable_ipv6", new java.util.function.BiConsumer<String, String>() {
            @Override
            public void accept(String path, String value) {
                disableIpv6Written(path, value);
            }
        });
        ns.sysctls().validateWith("/mtu", new java.util.function.BiConsumer<String, String>() {
            @Override
            public void accept(String path, String value) {
                checkMtu6(path, value);
            }
        });
    }

    /**
     * The routing policy rules ({@code ip -6 rule}). Kept as the kernel keeps them; the model
     * routes no IPv6 traffic by table yet, so they decide nothing.
     */
    public FibRules rules() {
        return rules;
    }

    /**
     * {@code fib_nl_newrule} for IPv6 ({@code fib6_rule_configure}: no ECN bits in the traffic
     * class; a lookup needs a table, which is created if missing).
     *
     * @throws KernelException as the kernel refuses the rule
     */
    public FibRule addRule(FibRule.Spec request, boolean exclusive) {
        FibRule rule = rules.add(request, exclusive, this::ifindexOf, (r, spec) -> {
            if ((spec.tos & 0x03) != 0) {
                throw new KernelException(Errno.EINVAL, "Invalid dsfield (tos): ECN bits must be 0");
            }
            if (r.action() == FibRule.ACTION_TO_TABLE && !r.l3mdev()) {
                if (r.table() == RouteTableId.UNSPEC) {
                    throw new KernelException(Errno.EINVAL, "Invalid table");
                }
                tables.table((int) r.table());
            }
        });
        ns.kernel().settle();
        return rule;
    }

    /**
     * {@code fib_nl_delrule} for IPv6.
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

    /** The device a {@code net/ipv6/conf/DEV/...} path names, or {@code null} for all/default/other. */
    private NetDevice confDevice(String path) {
        String prefix = "net/ipv6/conf/";
        if (!path.startsWith(prefix)) {
            return null;
        }
        String rest = path.substring(prefix.length());
        int slash = rest.indexOf('/');
        return slash < 0 ? null : ns.device(rest.substring(0, slash));
    }

    /**
     * {@code addrconf_disable_ipv6} / {@code dev_disable_change}: switching IPv6 off on a device
     * takes its addresses and routes as {@code NETDEV_DOWN} does; switching it on acts as
     * {@code NETDEV_UP}.
     */
    private void disableIpv6Written(String path, String value) {
        NetDevice dev = confDevice(path);
        if (dev == null) {
            return;
        }
        if (!value.equals("0")) {
            ifdown(dev);
        } else {
            onNetdevEvent(NetdevEvent.UP, dev);
        }
        ns.kernel().settle();
    }

    /** {@code addrconf_sysctl_mtu}: from {@code IPV6_MIN_MTU} to the device's own mtu. */
    private void checkMtu6(String path, String value) {
        if (!path.startsWith("net/ipv6/conf/")) {
            return;
        }
        NetDevice dev = confDevice(path);
        long v = Long.parseLong(value.trim());
        if (v < MIN_MTU || (dev != null && v > dev.mtu())) {
            throw new KernelException(Errno.EINVAL);
        }
    }

    public RoutingTables tables() {
        return tables;
    }

    /** Hears DAD events: a probe to send, an address confirmed (the packet engine hooks in here). */
    public interface DadListener {
        /** An address was added to a device (its solicited-node group is joined). */
        default void added(Inet6IfAddr address) {
        }

        void probe(Inet6IfAddr address);

        void completed(Inet6IfAddr address);

        /**
         * The device's link is ready and IPv6 configures it ({@code addrconf_dev_config} and
         * {@code ipv6_find_idev}'s {@code ipv6_mc_up}): its groups go back on its multicast list.
         */
        default void ready(NetDevice dev) {
        }

        /** An address was removed ({@code ipv6_del_addr}): its solicited-node group is left. */
        default void removed(Inet6IfAddr address) {
        }

        /** A configured device's link works again ({@code ipv6_mc_up}: its groups are reported anew). */
        default void linkResumed(NetDevice dev) {
        }

        /**
         * {@code addrconf_ifdown}: the device's IPv6 stops, whether it went down or away, had
         * {@code disable_ipv6} set or its mtu fall below 1280; its groups, timers and neighbour
         * entries go ({@code ipv6_mc_down}, {@code rt6_disable_ip}'s {@code neigh_ifdown}).
         */
        default void down(NetDevice dev) {
        }
    }

    public void addDadListener(DadListener l) {
        dadListeners.add(l);
    }

    /** {@code idev->cnf.disable_ipv6} (writing {@code all} writes every device), or no inet6_dev at all. */
    private boolean disabled(NetDevice dev) {
        return !dev.ipv6().present || ns.sysctls().ipv6Conf(dev.name(), "disable_ipv6") != 0;
    }

    // ------------------------------------------------------------------ device events

    @Override
    public void onNetdevEvent(NetdevEvent event, NetDevice dev) {
        switch (event) {
            case REGISTER -> rules.deviceRegistered(dev.name(), dev.ifindex());
            case CHANGENAME -> rules.deviceRenamed(dev.name(), dev.ifindex());
            case UNREGISTER -> rules.deviceUnregistered(dev.ifindex());
            default -> {
            }
        }
        Inet6Device idev = dev.ipv6();
        switch (event) {
            case UP -> {
                if (disabled(dev)) {
                    return;
                }
                restorePermanentAddresses(dev);
                if (!linkReady(dev)) {
                    return;
                }
                idev.ready = true;
                for (DadListener l : dadListeners) {
                    l.ready(dev);
                }
                configure(dev);
                runPendingDad(idev);
            }
            case CHANGE -> {
                if (disabled(dev)) {
                    return;
                }
                if (!linkReady(dev)) {
                    setLinkdown(dev, true);
                    return;
                }
                setLinkdown(dev, false);
                if (idev.ready) {
                    for (DadListener l : dadListeners) {
                        l.linkResumed(dev);
                    }
                    return;
                }
                idev.ready = true;
                for (DadListener l : dadListeners) {
                    l.ready(dev);
                }
                configure(dev);
                runPendingDad(idev);
            }
            case DOWN, UNREGISTER -> ifdown(dev);
            case REGISTER -> {
                if (dev.mtu() < MIN_MTU) {
                    // ipv6_add_dev refuses a device this small: no inet6_dev, no sysctls
                    idev.present = false;
                    ns.sysctls().removeIpv6Device(dev.name());
                }
            }
            case CHANGEMTU -> {
                if (dev.mtu() < MIN_MTU) {
                    // addrconf_ifdown(dev, unregister): the inet6_dev goes, except lo's
                    ifdown(dev);
                    if (!dev.isLoopback() && idev.present) {
                        idev.present = false;
                        ns.sysctls().removeIpv6Device(dev.name());
                    }
                    return;
                }
                if (idev.present) {
                    ns.sysctls().set("net/ipv6/conf/" + dev.name() + "/mtu", Integer.toString(dev.mtu()));
                    return;
                }
                // a new inet6_dev, ready at once if the link is; then as NETDEV_UP
                idev.present = true;
                ns.sysctls().addIpv6Device(dev.name(), dev.mtu());
                if (disabled(dev) || !dev.isUp() || !linkReady(dev)) {
                    return;
                }
                idev.ready = true;
                for (DadListener l : dadListeners) {
                    l.ready(dev);
                }
                configure(dev);
                runPendingDad(idev);
            }
            default -> {
            }
        }
    }

    /**
     * {@code addrconf_permanent_addr}: addresses given while the device was down get the routes
     * a down device could not take (local route once DAD is done, prefix and peer routes), and
     * their DAD is started.
     */
    private void restorePermanentAddresses(NetDevice dev) {
        for (Inet6IfAddr ifa : List.copyOf(dev.ipv6().addresses())) {
            if ((ifa.flags() & AddressFlags.PERMANENT) == 0) {
                continue;
            }
            if ((ifa.flags() & AddressFlags.NOPREFIXROUTE) == 0) {
                addPrefixRoute(dev, new IpPrefix(ifa.address(), ifa.prefixLength()).network(), ifa.routePriority());
            }
            if (ifa.peer() != null) {
                addPrefixRoute(dev, IpPrefix.host(ifa.peer()), 0);
            }
        }
    }

    /** {@code addrconf_link_ready}: running with an operstate that passes packets. */
    private static boolean linkReady(NetDevice dev) {
        return dev.isOperational();
    }

    /** {@code addrconf_dev_config} / {@code init_loopback}. */
    private void configure(NetDevice dev) {
        if (dev.mtu() < MIN_MTU) {
            return;
        }
        if (dev.isLoopback()) {
            if (find(dev, Ipv6Address.LOOPBACK) == null) {
                // add_addr: no prefix route, no DAD
                insertAddress(dev, Ipv6Address.LOOPBACK, null, 128, 0, AddressFlags.INFINITY_LIFE_TIME,
                        AddressFlags.INFINITY_LIFE_TIME, 0, false);
            }
            return;
        }
        if ((dev.rawFlags() & DeviceFlags.MULTICAST) != 0) {
            addMulticastRoute(dev);
        }
        if (dev.ipv6().addrGenMode() == 0 && dev.address() != null && dev.hardwareType() == NetDevice.ARPHRD_ETHER) {
            Ipv6Address ll = Ipv6Address.linkLocal(Ipv6Address.eui64(dev.address()));
            if (find(dev, ll) == null) {
                insertAddress(dev, ll, null, 64, 0, AddressFlags.INFINITY_LIFE_TIME, AddressFlags.INFINITY_LIFE_TIME,
                        0, true);
            }
        }
    }

    /** {@code addrconf_ifdown}: addresses and every route through the device go. */
    private void ifdown(NetDevice dev) {
        Inet6Device idev = dev.ipv6();
        idev.ready = false;
        for (Inet6IfAddr ifa : idev.mutableAddresses()) {
            if (ifa.dadTimer != null) {
                ifa.dadTimer.cancel();
            }
            if (ifa.lifetimeTimer != null) {
                ifa.lifetimeTimer.cancel();
            }
        }
        idev.mutableAddresses().clear();
        for (FibTable t : tables.all()) {
            t.removeIf(dev, r -> true);
        }
        for (DadListener l : dadListeners) {
            l.down(dev);
        }
    }

    private void setLinkdown(NetDevice dev, boolean on) {
        for (FibTable t : tables.all()) {
            for (Route r : t.routesThrough(dev)) {
                if (r.type() != RouteType.LOCAL) {
                    r.setNexthopFlag(NexthopFlags.LINKDOWN, on);
                }
            }
        }
    }

    // ------------------------------------------------------------------ addresses

    /** The address's place in {@code addr_list}: the kernel's source scope ({@code IPV6_ADDR_SCOPE_*}). */
    private static int listScope(Ipv6Address a) {
        if (a.isLoopback()) {
            return 0x1;
        }
        if (a.isLinkLocal()) {
            return 0x2;
        }
        if ((a.high() & 0xFFC0_0000_0000_0000L) == 0xFEC0_0000_0000_0000L) {
            return 0x5;
        }
        return 0xE;
    }

    /** The {@code RT_SCOPE_*} iproute2 shows for an address. */
    public static int displayScope(Ipv6Address a) {
        if (a.isLoopback()) {
            return Scope.HOST;
        }
        if (a.isLinkLocal()) {
            return Scope.LINK;
        }
        if ((a.high() & 0xFFC0_0000_0000_0000L) == 0xFEC0_0000_0000_0000L) {
            return Scope.SITE;
        }
        return Scope.UNIVERSE;
    }

    public Inet6IfAddr find(NetDevice dev, Ipv6Address a) {
        for (Inet6IfAddr ifa : dev.ipv6().addresses()) {
            if (ifa.address().equals(a)) {
                return ifa;
            }
        }
        return null;
    }

    /** What an {@code RTM_NEWADDR} request for IPv6 carries. */
    public static final class AddressRequest {
        public Ipv6Address local;
        /** The peer; {@code null} for none. */
        public Ipv6Address peer;
        public int prefixLength = 128;
        public int flags;
        public long validLifetime = AddressFlags.INFINITY_LIFE_TIME;
        public long preferredLifetime = AddressFlags.INFINITY_LIFE_TIME;
        public int metric;
    }

    /** The {@code IFA_F_*} flags a user may set on an IPv6 address ({@code inet6_rtm_newaddr}). */
    private static final int USER_FLAGS = AddressFlags.NODAD | AddressFlags.HOMEADDRESS | AddressFlags.MANAGETEMPADDR
            | AddressFlags.NOPREFIXROUTE | AddressFlags.MCAUTOJOIN | AddressFlags.OPTIMISTIC;

    /**
     * {@code inet6_rtm_newaddr}: a new address ({@code inet6_addr_add}), or, for {@code change}
     * and {@code replace}, new settings for one the device has ({@code inet6_addr_modify}).
     * {@code change} of a missing address creates it, as the kernel does.
     *
     * @throws KernelException as the kernel refuses the request, with its extack message
     */
    public Inet6IfAddr newAddress(NetDevice dev, AddressRequest req, boolean replace, boolean exclusive) {
        if (dev.mtu() < MIN_MTU) {
            // ipv6_find_idev: no inet6_dev on a device too small for IPv6, and none is made
            throw new KernelException(Errno.EINVAL);
        }
        int flags = req.flags & USER_FLAGS;
        // optimistic DAD is off unless optimistic_dad is set
        if (ns.sysctls().ipv6Conf(dev.name(), "optimistic_dad") == 0
                && ns.sysctls().ipv6Conf("all", "optimistic_dad") == 0) {
            flags &= ~AddressFlags.OPTIMISTIC;
        }
        if ((flags & AddressFlags.NODAD) != 0 && (flags & AddressFlags.OPTIMISTIC) != 0) {
            throw new KernelException(Errno.EINVAL, "IFA_F_NODAD and IFA_F_OPTIMISTIC are mutually exclusive");
        }
        Inet6IfAddr existing = find(dev, req.local);
        if (existing == null) {
            return userAdd(dev, req, flags);
        }
        if (exclusive || !replace) {
            throw new KernelException(Errno.EEXIST, "ipv6: address already assigned");
        }
        modifyAddress(existing, req, flags);
        ns.kernel().settle();
        return existing;
    }

    /** {@code inet6_addr_add}. */
    private Inet6IfAddr userAdd(NetDevice dev, AddressRequest req, int flags) {
        if (req.prefixLength > 128) {
            throw new KernelException(Errno.EINVAL, "ipv6: Invalid prefix length");
        }
        if ((flags & AddressFlags.MANAGETEMPADDR) != 0 && req.prefixLength != 64) {
            throw new KernelException(Errno.EINVAL,
                    "ipv6: address with \"mngtmpaddr\" flag must have a prefix length of 64");
        }
        if (dev.mtu() < MIN_MTU || disabled(dev)) {
            throw new KernelException(Errno.EACCES, "ipv6: IPv6 is disabled on this device");
        }
        // addrconf_add_dev: the multicast route comes with the first address (if the device is up)
        if (!dev.isLoopback()) {
            addMulticastRoute(dev);
        }
        Inet6IfAddr ifa = addAddress(dev, req.local, req.peer, req.prefixLength, flags, req.validLifetime,
                req.preferredLifetime, req.metric, true);
        ifa.setSerial(ns.kernel().nextEventSerial());
        return ifa;
    }

    /** {@code inet6_addr_modify}: flags, lifetimes and metric of an address the device has. */
    private void modifyAddress(Inet6IfAddr ifa, AddressRequest req, int flags) {
        NetDevice dev = ifa.device();
        boolean hadPrefixRoute = (ifa.flags() & AddressFlags.NOPREFIXROUTE) == 0;
        int kept = ifa.flags() & ~(AddressFlags.DEPRECATED | AddressFlags.PERMANENT | AddressFlags.NODAD
                | AddressFlags.HOMEADDRESS | AddressFlags.MANAGETEMPADDR | AddressFlags.NOPREFIXROUTE);
        int f = kept | flags;
        if (req.validLifetime == AddressFlags.INFINITY_LIFE_TIME) {
            f |= AddressFlags.PERMANENT;
        }
        if (req.preferredLifetime == 0) {
            f |= AddressFlags.DEPRECATED;
        }
        ifa.setFlags(f);
        ifa.setLifetimes(req.validLifetime, req.preferredLifetime, ns.kernel().clock().seconds());
        boolean wantPrefixRoute = (flags & AddressFlags.NOPREFIXROUTE) == 0;
        IpPrefix prefix = new IpPrefix(ifa.address(), ifa.prefixLength()).network();
        if (hadPrefixRoute && (!wantPrefixRoute || req.metric != ifa.routePriority())) {
            removePrefixRoute(dev, prefix, ifa.routePriority());
        }
        ifa.setRoutePriority(req.metric);
        if (wantPrefixRoute) {
            addPrefixRoute(dev, prefix, req.metric, routeExpiry(req.validLifetime));
        }
        scheduleLifetimes(ifa);
    }

    /**
     * {@code ipv6_add_addr} and what follows it: the address joins the list (wider scope first,
     * newest first within a scope), its prefix route (and its peer's host route) is added if the
     * device is up, and DAD starts; an address that skips DAD gets its {@code local} route at
     * once.
     *
     * @throws KernelException EADDRNOTAVAIL for the unspecified address, a multicast address
     *         without {@code autojoin}, or the loopback address on another device than lo
     */
    public Inet6IfAddr addAddress(NetDevice dev, Ipv6Address address, Ipv6Address peer, int prefixLength, int flags,
                                  long validLifetime, long preferredLifetime, int metric, boolean userRequest) {
        return insertAddress(dev, address, peer, prefixLength, flags, validLifetime, preferredLifetime, metric,
                (flags & AddressFlags.NOPREFIXROUTE) == 0);
    }

    private Inet6IfAddr insertAddress(NetDevice dev, Ipv6Address address, Ipv6Address peer, int prefixLength,
                                      int flags, long validLifetime, long preferredLifetime, int metric,
                                      boolean prefixRoute) {
        if (address.isUnspecified()) {
            throw new KernelException(Errno.EADDRNOTAVAIL, "ipv6: Invalid address");
        }
        if (address.isMulticast() && (flags & AddressFlags.MCAUTOJOIN) == 0) {
            throw new KernelException(Errno.EADDRNOTAVAIL,
                    "ipv6: Cannot assign multicast address without \"IFA_F_MCAUTOJOIN\" flag");
        }
        if (address.isLoopback() && !dev.isLoopback()) {
            throw new KernelException(Errno.EADDRNOTAVAIL, "ipv6: Cannot assign loopback address on this device");
        }
        if (find(dev, address) != null) {
            throw new KernelException(Errno.EEXIST, "ipv6: address already assigned");
        }
        int f = flags | AddressFlags.TENTATIVE;
        if (validLifetime == AddressFlags.INFINITY_LIFE_TIME) {
            f |= AddressFlags.PERMANENT;
        }
        if (preferredLifetime == 0) {
            f |= AddressFlags.DEPRECATED;
        }
        Inet6IfAddr ifa = new Inet6IfAddr(dev, address, peer, prefixLength, displayScope(address), f);
        ifa.setLifetimes(validLifetime, preferredLifetime, ns.kernel().clock().seconds());
        ifa.setRoutePriority(metric);
        List<Inet6IfAddr> list = dev.ipv6().mutableAddresses();
        int scope = listScope(address);
        int at = 0;
        while (at < list.size() && scope < listScope(list.get(at).address())) {
            at++;
        }
        list.add(at, ifa);
        for (DadListener l : dadListeners) {
            l.added(ifa);
        }
        if (prefixRoute) {
            addPrefixRoute(dev, new IpPrefix(address, prefixLength).network(), metric, routeExpiry(validLifetime));
        }
        if (peer != null) {
            addPrefixRoute(dev, IpPrefix.host(peer), 0);
        }
        scheduleLifetimes(ifa);
        startDad(ifa);
        ns.kernel().settle();
        return ifa;
    }

    /**
     * {@code inet6_addr_del}: deletes the address with this prefix length.
     *
     * @throws KernelException EADDRNOTAVAIL ("ipv6: address not found") when the device has no
     *         such address
     */
    public void deleteAddress(NetDevice dev, Ipv6Address address, int prefixLength) {
        if (prefixLength > 128) {
            throw new KernelException(Errno.EINVAL, "ipv6: Invalid prefix length");
        }
        Inet6IfAddr ifa = find(dev, address);
        if (ifa == null || ifa.prefixLength() != prefixLength) {
            throw new KernelException(Errno.EADDRNOTAVAIL, "ipv6: address not found");
        }
        removeAddress(ifa);
        ns.kernel().settle();
    }

    /** {@code ipv6_del_addr}: the address goes, with its local route, peer route and (unless shared) prefix route. */
    private void removeAddress(Inet6IfAddr ifa) {
        NetDevice dev = ifa.device();
        if (ifa.dadTimer != null) {
            ifa.dadTimer.cancel();
        }
        if (ifa.lifetimeTimer != null) {
            ifa.lifetimeTimer.cancel();
        }
        dev.ipv6().mutableAddresses().remove(ifa);
        for (DadListener l : dadListeners) {
            l.removed(ifa);
        }
        for (FibTable t : tables.all()) {
            t.removeIf(dev, r -> r.type() == RouteType.LOCAL
                    && r.destination().equals(IpPrefix.host(ifa.address())));
        }
        if (ifa.peer() != null) {
            removePrefixRoute(dev, IpPrefix.host(ifa.peer()), -1);
        }
        // check_cleanup_prefix_route: only a permanent address cleans up its prefix route (the
        // route of one with a finite lifetime expires on its own). The route stays for another
        // permanent (or noprefixroute) address of the prefix, takes the latest expiry of the
        // others if they all expire, and goes if none is left.
        if ((ifa.flags() & AddressFlags.NOPREFIXROUTE) == 0 && (ifa.flags() & AddressFlags.PERMANENT) != 0) {
            IpPrefix prefix = new IpPrefix(ifa.address(), ifa.prefixLength()).network();
            boolean keep = false;
            long expires = -1;
            long now = ns.kernel().clock().nanos();
            for (Inet6IfAddr other : dev.ipv6().addresses()) {
                if (other.prefixLength() != ifa.prefixLength() || !prefix.contains(other.address())) {
                    continue;
                }
                if ((other.flags() & (AddressFlags.PERMANENT | AddressFlags.NOPREFIXROUTE)) != 0) {
                    keep = true;
                    break;
                }
                long end = now + other.remainingValid(ns.kernel().clock().seconds()) * VirtualClock.NANOS_PER_SECOND;
                expires = Math.max(expires, end);
            }
            if (!keep) {
                if (expires < 0) {
                    removePrefixRoute(dev, prefix, ifa.routePriority());
                } else {
                    FibTable main = tables.table(RouteTableId.MAIN);
                    int wanted = ifa.routePriority() == 0 ? PRIO_ADDRCONF : ifa.routePriority();
                    for (Route r : main.routesAt(prefix, 0)) {
                        if (r.device() == dev && r.protocol() == RouteProtocol.KERNEL && r.priority() == wanted) {
                            setRouteExpiry(main, r, expires);
                        }
                    }
                }
            }
        }
    }

    /** {@code addrconf_prefix_route}: a kernel route for an on-link prefix; none while the device is down. */
    private void addPrefixRoute(NetDevice dev, IpPrefix prefix, int metric) {
        addPrefixRoute(dev, prefix, metric, Route.NEVER);
    }

    /**
     * {@code addrconf_prefix_route} with {@code RTF_EXPIRES}: the route of an address with a
     * finite valid lifetime expires with it. An existing route for the prefix only has its
     * expiry updated.
     */
    private void addPrefixRoute(NetDevice dev, IpPrefix prefix, int metric, long expiresAt) {
        if (!dev.isUp()) {
            return; // fib6_nh_init: "Nexthop device is not up"
        }
        int priority = metric != 0 ? metric : PRIO_ADDRCONF;
        FibTable main = tables.table(RouteTableId.MAIN);
        for (Route r : main.routesAt(prefix, 0, dev)) {
            if (r.priority() == priority && r.protocol() == RouteProtocol.KERNEL
                    && r.gateway() == null) {
                setRouteExpiry(main, r, expiresAt);
                return;
            }
        }
        Route route = Route.builder(RouteType.UNICAST, prefix).table(RouteTableId.MAIN)
                .protocol(RouteProtocol.KERNEL).priority(priority).device(dev).build();
        addRoute(route);
        setRouteExpiry(main, route, expiresAt);
    }

    /**
     * Gives a route an expiry. An expired route is not taken out at once: it stays (its
     * {@code expires} going negative) until the fib6 garbage collector runs, which
     * {@code fib6_start_gc} arms {@code net.ipv6.route.gc_interval} seconds after an expiring
     * route goes in, and which re-arms itself while expiring routes remain.
     */
    private void setRouteExpiry(FibTable table, Route r, long expiresAt) {
        r.setExpiresAt(expiresAt);
        if (expiresAt != Route.NEVER && (gcTimer == null || !gcTimer.pending())) {
            armGc();
        }
    }

    private VirtualClock.Timer gcTimer;

    private void armGc() {
        long interval = ns.sysctls().readInt("net/ipv6/route/gc_interval") * VirtualClock.NANOS_PER_SECOND;
        gcTimer = ns.kernel().clock().after(interval, this::runGc);
    }

    /** {@code fib6_run_gc}: expired routes go; the timer comes back while any route still expires. */
    private void runGc() {
        long now = ns.kernel().clock().nanos();
        boolean more = false;
        for (FibTable t : tables.all()) {
            t.removeIf(r -> r.expiresAt() <= now);
            for (Route r : t.routes()) {
                more |= r.expiresAt() != Route.NEVER;
            }
        }
        if (more) {
            armGc();
        }
    }

    /** The expiry a prefix route of an address with this valid lifetime gets. */
    private long routeExpiry(long validLifetime) {
        if (validLifetime == AddressFlags.INFINITY_LIFE_TIME) {
            return Route.NEVER;
        }
        return ns.kernel().clock().nanos() + validLifetime * VirtualClock.NANOS_PER_SECOND;
    }

    /** Removes a kernel prefix route; {@code metric} -1 matches any metric. */
    private void removePrefixRoute(NetDevice dev, IpPrefix prefix, int metric) {
        int wanted = metric == 0 ? PRIO_ADDRCONF : metric;
        FibTable main = tables.table(RouteTableId.MAIN);
        for (Route r : main.routesAt(prefix, 0, dev)) {
            if (r.protocol() == RouteProtocol.KERNEL && r.gateway() == null
                    && (metric < 0 || r.priority() == wanted)) {
                main.remove(r);
                return;
            }
        }
    }

    /** {@code addrconf_add_mroute}: {@code ff00::/8} in table local, if the device is up. */
    private void addMulticastRoute(NetDevice dev) {
        if (!dev.isUp()) {
            return;
        }
        addRoute(Route.builder(RouteType.MULTICAST, MULTICAST_PREFIX)
                .table(RouteTableId.LOCAL).protocol(RouteProtocol.KERNEL).priority(PRIO_ADDRCONF).device(dev)
                .build());
    }

    /**
     * {@code addrconf_verify}: an address whose preferred lifetime runs out becomes
     * {@code deprecated}; one whose valid lifetime runs out is deleted.
     */
    private void scheduleLifetimes(Inet6IfAddr ifa) {
        if (ifa.lifetimeTimer != null) {
            ifa.lifetimeTimer.cancel();
            ifa.lifetimeTimer = null;
        }
        long now = ns.kernel().clock().seconds();
        long valid = ifa.remainingValid(now);
        long preferred = ifa.remainingPreferred(now);
        long next;
        if (valid != AddressFlags.INFINITY_LIFE_TIME && (preferred == AddressFlags.INFINITY_LIFE_TIME
                || (ifa.flags() & AddressFlags.DEPRECATED) != 0 || valid <= preferred)) {
            next = valid;
        } else if (preferred != AddressFlags.INFINITY_LIFE_TIME && (ifa.flags() & AddressFlags.DEPRECATED) == 0) {
            next = preferred;
        } else {
            return;
        }
        ifa.lifetimeTimer = ns.kernel().clock().after(next * VirtualClock.NANOS_PER_SECOND, () -> expire(ifa));
    }

    private void expire(Inet6IfAddr ifa) {
        ifa.lifetimeTimer = null;
        if (!ifa.device().ipv6().addresses().contains(ifa)) {
            return;
        }
        long now = ns.kernel().clock().seconds();
        if (ifa.remainingValid(now) == 0) {
            removeAddress(ifa);
            return;
        }
        if (ifa.remainingPreferred(now) == 0) {
            ifa.setFlags(ifa.flags() | AddressFlags.DEPRECATED);
        }
        scheduleLifetimes(ifa);
    }

    // ------------------------------------------------------------------ DAD

    private void startDad(Inet6IfAddr ifa) {
        NetDevice dev = ifa.device();
        boolean skip = (dev.rawFlags() & (DeviceFlags.NOARP | DeviceFlags.LOOPBACK)) != 0
                || (ns.sysctls().ipv6Conf("all", "accept_dad") < 1 && ns.sysctls().ipv6Conf(dev.name(), "accept_dad") < 1)
                || (ifa.flags() & AddressFlags.NODAD) != 0;
        if (skip) {
            completeDad(ifa);
            return;
        }
        if (!dev.ipv6().ready) {
            return; // DAD waits for the link: addrconf_dad_run starts it later
        }
        long delayJiffies = ns.kernel().random().nextLong(Math.max(1,
                ns.sysctls().ipv6Conf(dev.name(), "router_solicitation_delay") * 250L));
        ifa.dadProbes = ns.sysctls().ipv6Conf(dev.name(), "dad_transmits");
        ifa.dadTimer = ns.kernel().clock().after(delayJiffies * HZ_NANOS, dadWorkTask(ifa));
    }

    private Runnable dadWorkTask(Inet6IfAddr ifa) {
        return new Runnable() {
            @Override
            public void run() {
                dadWork(ifa);
            }
        };
    }

    /** {@code addrconf_dad_work}: one probe, then confirmation a retransmit time later. */
    private void dadWork(Inet6IfAddr ifa) {
        if (!ifa.device().ipv6().addresses().contains(ifa)) {
            return;
        }
        if (ifa.dadProbes <= 0) {
            completeDad(ifa);
            return;
        }
        ifa.dadProbes--;
        int retransMs = ns.sysctls().readInt("net/ipv6/neigh/" + ifa.device().name() + "/retrans_time_ms");
        ifa.dadTimer = ns.kernel().clock().after(Math.max(retransMs, 10) * VirtualClock.NANOS_PER_MILLI,
                dadWorkTask(ifa));
        for (DadListener l : dadListeners) {
            l.probe(ifa);
        }
    }

    /**
     * {@code addrconf_dad_failure}: another node has the address (its advertisement answered
     * our probe, or it probes for the same address). Only an address still in DAD fails
     * ({@code addrconf_dad_end}); then {@code addrconf_dad_stop}: an address the user gave
     * stays, tentative and {@code dadfailed}, without its local route; any other goes.
     */
    public void dadFailure(Inet6IfAddr ifa) {
        if (ifa.dadTimer == null || !ifa.dadTimer.pending()) {
            return;
        }
        ifa.dadTimer.cancel();
        ifa.dadTimer = null;
        if ((ifa.flags() & AddressFlags.PERMANENT) != 0) {
            ifa.setFlags((ifa.flags() | AddressFlags.DADFAILED | AddressFlags.TENTATIVE) & ~AddressFlags.OPTIMISTIC);
        } else {
            removeAddress(ifa);
        }
    }

    /** {@code addrconf_dad_completed}: no longer tentative, and the local route appears. */
    private void completeDad(Inet6IfAddr ifa) {
        ifa.dadTimer = null;
        ifa.setFlags(ifa.flags() & ~(AddressFlags.TENTATIVE | AddressFlags.OPTIMISTIC | AddressFlags.DADFAILED));
        NetDevice dev = ifa.device();
        addRoute(Route.builder(RouteType.LOCAL, IpPrefix.host(ifa.address())).table(RouteTableId.LOCAL)
                .protocol(RouteProtocol.KERNEL).priority(0).device(dev).build());
        for (DadListener l : dadListeners) {
            l.completed(ifa);
        }
    }

    /** {@code addrconf_dad_run}: starts DAD for addresses that waited for the link. */
    private void runPendingDad(Inet6Device idev) {
        for (Inet6IfAddr ifa : List.copyOf(idev.addresses())) {
            if (ifa.isTentative() && (ifa.dadTimer == null || !ifa.dadTimer.pending())) {
                startDad(ifa);
            }
        }
    }

    // ------------------------------------------------------------------ routes

    // ------------------------------------------------------------------ user routes

    /** {@code IP6_RT_PRIO_USER}: the metric of a route added without one. */
    public static final int PRIO_USER = 1024;

    /**
     * {@code ip6_route_add}: validates a user route as {@code fib6_nh_init} and
     * {@code ip6_validate_gw} do, then inserts it as {@code fib6_add_rt2node} does for the
     * request's flags. Reject routes (blackhole, unreachable, prohibit, throw) go through lo.
     * Multipath ({@code append}, {@code prepend}) is not modelled.
     *
     * @throws KernelException as the kernel refuses the route
     */
    public Route addRoute(Route requested, dev.ipsim.kernel.ipv4.Ipv4.RouteAddMode mode) {
        checkDestination(requested.destination());
        checkVia(requested.gateway());
        Route route = validate(requested);
        FibTable t = tables.table(route.table());
        Route same = null;
        for (Route r : t.routesAt(route.destination(), 0)) {
            if (r.priority() == route.priority()) {
                same = r;
                break;
            }
        }
        switch (mode) {
            // fib6_add_rt2node creates a missing route even without NLM_F_CREATE ("test")
            case ADD, TEST -> {
                if (same != null) {
                    throw new KernelException(Errno.EEXIST);
                }
                t.insert(route, FibTable.Position.AFTER_EQUAL);
            }
            case CHANGE, REPLACE -> {
                if (same == null) {
                    if (mode == dev.ipsim.kernel.ipv4.Ipv4.RouteAddMode.CHANGE) {
                        throw new KernelException(Errno.ENOENT, "Can not replace route - no match found");
                    }
                    t.insert(route, FibTable.Position.AFTER_EQUAL);
                } else {
                    t.replace(same, route);
                }
            }
            case PREPEND, APPEND -> throw new KernelException(Errno.ENOTSUP,
                    "ipsim: IPv6 multipath routes are not simulated yet");
        }
        ns.kernel().settle();
        return route;
    }

    /**
     * {@code rtm_to_fib6_config}: an IPv6 route's gateway is an IPv6 address; any other
     * ({@code via inet 10.0.0.1}, which {@code ip} sends as {@code RTA_VIA}) is refused, for
     * additions and deletions alike.
     *
     * @throws KernelException {@code EINVAL} for a gateway of another family
     */
    public static void checkVia(dev.ipsim.kernel.addr.IpAddress gateway) {
        if (gateway != null && gateway.family() != dev.ipsim.kernel.addr.Family.INET6) {
            throw new KernelException(Errno.EINVAL, "IPv6 does not support RTA_VIA attribute");
        }
    }

    /** {@code rtm_to_fib6_config}: an {@code RTA_DST} shorter than an IPv6 address. */
    private static void checkDestination(IpPrefix destination) {
        if (destination.family() != dev.ipsim.kernel.addr.Family.INET6) {
            throw new KernelException(Errno.EINVAL);
        }
    }

    private Route validate(Route route) {
        NetDevice dev = route.device();
        Ipv6Address gw = (Ipv6Address) route.gateway();
        if (route.type().isReject()) {
            return route.withNexthop(ns.loopback(), 0);
        }
        if (gw != null) {
            if (!gw.isLinkLocal()) {
                if (gw.isMulticast() || gw.isUnspecified()) {
                    throw new KernelException(Errno.EINVAL, "Invalid gateway address");
                }
                // ip6_route_check_nh: the gateway must be on a directly connected route
                Route via = lookupGateway(gw, dev, route.table());
                if (via == null) {
                    throw new KernelException(Errno.EHOSTUNREACH);
                }
                dev = via.device();
            }
            if (dev == null) {
                throw new KernelException(Errno.EINVAL, "Egress device not specified");
            }
            if (dev.isLoopback()) {
                throw new KernelException(Errno.EINVAL, "Egress device can not be loopback device for this route");
            }
            if (find(dev, gw) != null) {
                throw new KernelException(Errno.EINVAL, "Gateway can not be a local address");
            }
        }
        if (dev == null) {
            throw new KernelException(Errno.ENODEV);
        }
        if (!dev.isUp()) {
            throw new KernelException(Errno.ENETDOWN, "Nexthop device is not up");
        }
        if (route.preferredSource() != null && !isLocal((Ipv6Address) route.preferredSource())) {
            throw new KernelException(Errno.EINVAL, "Invalid source address");
        }
        int flags = route.nexthopFlags();
        if (route.type() != RouteType.LOCAL && !dev.hasCarrier()) {
            flags |= NexthopFlags.LINKDOWN;
        }
        return route.withNexthop(dev, flags);
    }

    /** The most specific gatewayless unicast route to {@code gw} in the table (main when absent), through {@code dev} if given. */
    private Route lookupGateway(Ipv6Address gw, NetDevice dev, int table) {
        FibTable t = tables.tableOrNull(table);
        if (t == null) {
            t = tables.tableOrNull(RouteTableId.MAIN);
        }
        if (t == null) {
            return null;
        }
        for (Route r : t.matching(gw)) {
            if (r.type() != RouteType.UNICAST || r.device() == null) {
                continue;
            }
            if (r.gateway() != null || (dev != null && r.device() != dev)) {
                return null;
            }
            return r;
        }
        return null;
    }

    /** Whether any device of the namespace has this address. */
    private boolean isLocal(Ipv6Address a) {
        for (NetDevice d : ns.devices()) {
            if (find(d, a) != null) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code ip6_route_del}: the first route of the prefix in the table that matches what the
     * request names (device, gateway, metric, protocol).
     *
     * @throws KernelException ESRCH when none does
     */
    public Route deleteRoute(IpPrefix destination, int table, NetDevice dev, Ipv6Address gateway, Integer metric,
                             Integer protocol) {
        checkDestination(destination);
        FibTable t = tables.tableOrNull(table);
        if (t != null) {
            for (Route r : t.routesAt(destination, 0)) {
                if (dev != null && r.device() != dev) {
                    continue;
                }
                if (gateway != null && !gateway.equals(r.gateway())) {
                    continue;
                }
                if (metric != null && metric != 0 && r.priority() != metric) {
                    continue;
                }
                if (protocol != null && protocol != 0 && r.protocol() != protocol) {
                    continue;
                }
                t.remove(r);
                ns.kernel().settle();
                return r;
            }
        }
        throw new KernelException(Errno.ESRCH);
    }

    /** Adds a route as the kernel (or a network manager) does: appended, duplicates ignored. */
    public void addKernelRoute(Route r) {
        addRoute(r);
        ns.kernel().settle();
    }

    /** Adds a kernel route, appended after routes of equal metric; a duplicate is ignored. */
    private void addRoute(Route r) {
        FibTable t = tables.table(r.table());
        for (Route existing : r.device() != null ? t.routesAt(r.destination(), 0, r.device())
                : t.routesAt(r.destination(), 0)) {
            if (existing.priority() == r.priority() && existing.sameInfo(r)) {
                return;
            }
        }
        if (r.type() != RouteType.LOCAL && r.device() != null && !r.device().hasCarrier()) {
            r.setNexthopFlag(NexthopFlags.LINKDOWN, true);
        }
        t.insert(r, FibTable.Position.AFTER_EQUAL);
    }
}
