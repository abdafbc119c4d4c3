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

    /** {@code IP6_RT_PRIO_ADDRCONF}: the metric of prefix and multicast routes. */
    public static final int PRIO_ADDRCONF = 256;
    /** {@code IPV6_MIN_MTU}. */
    public static final int MIN_MTU = 1280;

    private static final long HZ_NANOS = VirtualClock.NANOS_PER_SECOND / 250;

    private final NetNamespace ns;
    private final RoutingTables tables = new RoutingTables(Family.INET6);
    private final List<DadListener> dadListeners = new ArrayList<>();

    public Ipv6(NetNamespace ns) {
        this.ns = ns;
        tables.table(RouteTableId.LOCAL);
        tables.table(RouteTableId.MAIN);
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

        /** A configured device's link works again ({@code ipv6_mc_up}: its groups are reported anew). */
        default void linkResumed(NetDevice dev) {
        }
    }

    public void addDadListener(DadListener l) {
        dadListeners.add(l);
    }

    private boolean disabled(NetDevice dev) {
        return ns.sysctls().ipv6Conf(dev.name(), "disable_ipv6") != 0
                || ns.sysctls().ipv6Conf("all", "disable_ipv6") != 0;
    }

    // ------------------------------------------------------------------ device events

    @Override
    public void onNetdevEvent(NetdevEvent event, NetDevice dev) {
        Inet6Device idev = dev.ipv6();
        switch (event) {
            case UP -> {
                if (disabled(dev) || !linkReady(dev)) {
                    return;
                }
                idev.ready = true;
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
                if (idev.ready) {
                    setLinkdown(dev, false);
                    for (DadListener l : dadListeners) {
                        l.linkResumed(dev);
                    }
                    return;
                }
                idev.ready = true;
                configure(dev);
                runPendingDad(idev);
            }
            case DOWN, UNREGISTER -> ifdown(dev);
            case CHANGEMTU -> {
                ns.sysctls().set("net/ipv6/conf/" + dev.name() + "/mtu", Integer.toString(dev.mtu()));
                if (dev.mtu() < MIN_MTU) {
                    ifdown(dev);
                }
            }
            default -> {
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
            addAddress(dev, Ipv6Address.LOOPBACK, null, 128, AddressFlags.PERMANENT, AddressFlags.INFINITY_LIFE_TIME,
                    AddressFlags.INFINITY_LIFE_TIME, 0, false);
            return;
        }
        if ((dev.rawFlags() & DeviceFlags.MULTICAST) != 0) {
            addRoute(Route.builder(RouteType.MULTICAST, new IpPrefix(new Ipv6Address(0xFF00_0000_0000_0000L, 0), 8))
                    .table(RouteTableId.LOCAL).protocol(RouteProtocol.KERNEL).priority(PRIO_ADDRCONF).device(dev)
                    .build());
        }
        if (dev.ipv6().addrGenMode() == 0 && dev.address() != null && dev.hardwareType() == NetDevice.ARPHRD_ETHER) {
            Ipv6Address ll = Ipv6Address.linkLocal(Ipv6Address.eui64(dev.address()));
            if (find(dev, ll) == null) {
                addAddress(dev, ll, null, 64, AddressFlags.PERMANENT, AddressFlags.INFINITY_LIFE_TIME,
                        AddressFlags.INFINITY_LIFE_TIME, 0, false);
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
        }
        idev.mutableAddresses().clear();
        for (FibTable t : tables.all()) {
            t.removeIf(r -> r.device() == dev);
        }
    }

    private void setLinkdown(NetDevice dev, boolean on) {
        for (FibTable t : tables.all()) {
            for (Route r : t.routes()) {
                if (r.device() == dev && r.type() != RouteType.LOCAL) {
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

    /**
     * {@code ipv6_add_addr} + prefix route + {@code addrconf_dad_start}: adds an address,
     * tentative unless DAD does not apply.
     *
     * @throws KernelException EEXIST for an address the device already has
     */
    public Inet6IfAddr addAddress(NetDevice dev, Ipv6Address address, Ipv6Address peer, int prefixLength, int flags,
                                  long validLifetime, long preferredLifetime, int metric, boolean userRequest) {
        if (dev.mtu() < MIN_MTU || disabled(dev)) {
            throw new KernelException(Errno.EACCES, "IPv6 is disabled on this device");
        }
        if (find(dev, address) != null) {
            throw new KernelException(Errno.EEXIST);
        }
        int f = flags | AddressFlags.TENTATIVE;
        if (validLifetime == AddressFlags.INFINITY_LIFE_TIME) {
            f |= AddressFlags.PERMANENT;
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
        if (prefixLength < 128 && (flags & AddressFlags.NOPREFIXROUTE) == 0 && !dev.isLoopback()) {
            addRoute(Route.builder(RouteType.UNICAST, new IpPrefix(address, prefixLength)).table(RouteTableId.MAIN)
                    .protocol(RouteProtocol.KERNEL).priority(metric != 0 ? metric : PRIO_ADDRCONF).device(dev)
                    .build());
        }
        startDad(ifa);
        ns.kernel().settle();
        return ifa;
    }

    /**
     * Deletes an address and its routes ({@code inet6_addr_del}).
     *
     * @throws KernelException EADDRNOTAVAIL when the device does not have it
     */
    public void deleteAddress(NetDevice dev, Ipv6Address address, int prefixLength) {
        Inet6IfAddr ifa = find(dev, address);
        if (ifa == null || (prefixLength >= 0 && ifa.prefixLength() != prefixLength)) {
            throw new KernelException(Errno.EADDRNOTAVAIL);
        }
        removeAddress(ifa);
        ns.kernel().settle();
    }

    private void removeAddress(Inet6IfAddr ifa) {
        NetDevice dev = ifa.device();
        if (ifa.dadTimer != null) {
            ifa.dadTimer.cancel();
        }
        dev.ipv6().mutableAddresses().remove(ifa);
        for (FibTable t : tables.all()) {
            t.removeIf(r -> r.device() == dev && r.type() == RouteType.LOCAL
                    && r.destination().equals(IpPrefix.host(ifa.address())));
        }
        if (ifa.prefixLength() < 128) {
            IpPrefix prefix = new IpPrefix(ifa.address(), ifa.prefixLength()).network();
            boolean stillUsed = false;
            for (Inet6IfAddr other : dev.ipv6().addresses()) {
                if (other.prefixLength() == ifa.prefixLength() && prefix.contains(other.address())) {
                    stillUsed = true;
                }
            }
            if (!stillUsed) {
                FibTable main = tables.table(RouteTableId.MAIN);
                main.removeIf(r -> r.device() == dev && r.protocol() == RouteProtocol.KERNEL
                        && r.destination().equals(prefix));
            }
        }
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
        ifa.dadTimer = ns.kernel().clock().after(delayJiffies * HZ_NANOS, () -> dadWork(ifa));
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
                () -> dadWork(ifa));
        for (DadListener l : dadListeners) {
            l.probe(ifa);
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

    /** Adds a route as the kernel (or a network manager) does: appended, duplicates ignored. */
    public void addKernelRoute(Route r) {
        addRoute(r);
        ns.kernel().settle();
    }

    /** Adds a kernel route, appended after routes of equal metric; a duplicate is ignored. */
    private void addRoute(Route r) {
        FibTable t = tables.table(r.table());
        for (Route existing : t.routesAt(r.destination(), 0)) {
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
