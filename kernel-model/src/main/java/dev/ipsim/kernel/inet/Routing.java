package dev.ipsim.kernel.inet;

import dev.ipsim.kernel.Errno;
import dev.ipsim.kernel.KernelException;
import dev.ipsim.kernel.LookupEpoch;
import dev.ipsim.kernel.NetNamespace;
import dev.ipsim.kernel.Scope;
import dev.ipsim.kernel.addr.Ipv4Address;
import dev.ipsim.kernel.link.NetDevice;
import dev.ipsim.kernel.route.NexthopException;
import dev.ipsim.kernel.route.Route;
import dev.ipsim.kernel.route.RouteTableId;
import dev.ipsim.kernel.route.RouteType;

/**
 * IPv4 route resolution ({@code net/ipv4/route.c}): output lookups for what this host sends,
 * input lookups for what it receives, and the source validation ({@code fib_validate_source})
 * behind {@code rp_filter} and {@code accept_local}.
 *
 * <p>Heads up: two rules decide most of what the seeds show.
 * <ul>
 * <li>Output bound to a device ({@code ping -I veth0}) with no route through it treats the
 *     destination as on-link there: the lookup does not fail, it ARPs out of that device.</li>
 * <li>A packet whose source is one of this host's own addresses is refused on input (as a
 *     martian) unless {@code accept_local} is on for the receiving device. With
 *     {@code rp_filter} off the kernel checks exactly that; with it on, the full check also
 *     wants the reverse route to use the receiving device (strict, 1) or any device (loose, 2),
 *     and a local source never passes strict mode. On today's kernel the check applies with
 *     {@code rp_filter} off too, which is why a veth pair in one namespace needs
 *     {@code accept_local} even on Debian (seed 000's note predates it: kernels 3.6 to 3.17
 *     skipped the check with {@code rp_filter} off, {@link dev.ipsim.kernel.KernelProfile}).</li>
 * </ul>
 */
public final class Routing {

    private final NetNamespace ns;
    private final InetConf conf;
    private final Fib fib;
    private final InetAddresses addresses;

    Routing(NetNamespace ns, InetConf conf, Fib fib, InetAddresses addresses) {
        this.ns = ns;
        this.conf = conf;
        this.fib = fib;
        this.addresses = addresses;
    }

    /** {@code 224.0.0.0/24}: link-local multicast ({@code ipv4_is_local_multicast}). */
    private static boolean isLocalMulticast(Ipv4Address a) {
        return (a.bits() & 0xFFFF_FF00) == 0xE000_0000;
    }

    // ------------------------------------------------------------------ output

    /**
     * {@code ip_route_output_key_hash_rcu}: where a packet this host sends goes. The flow's
     * source is filled in when it was 0.
     *
     * @throws KernelException ENETUNREACH (no route, or a source that is not local), ENODEV
     *         (bound to a missing device), EINVAL (an impossible source or destination), and the
     *         errors of reject routes
     */
    public Dst output(Flow flow) {
        long epoch = LookupEpoch.current();
        int slot = outputSlot(flow);
        OutputEntry e = outputCache[slot];
        if (e != null && e.epoch == epoch && e.matches(flow)) {
            flow.source = e.resultSource;
            flow.destination = e.resultDestination;
            flow.outputInterface = e.resultOif;
            return e.dst;
        }
        OutputEntry fresh = new OutputEntry(flow);
        Dst dst = outputUncached(flow);
        if (cacheable(dst) && LookupEpoch.current() == epoch) {
            fresh.fill(epoch, dst, flow);
            outputCache[slot] = fresh;
        }
        return dst;
    }

    // ------------------------------------------------------------------ lookup caches

    /**
     * What the lookups answered, by what they were asked: a direct-mapped cache per direction,
     * valid while {@link LookupEpoch} has not moved. The kernel itself routes every datagram
     * of an unconnected socket (and every packet received) through the FIB; the answer is a
     * function of the question and of state whose every change bumps the epoch, so caching it
     * changes nothing but the time a lookup takes. Failed lookups are not cached, nor results
     * through a nexthop that has exceptions (their answer depends on the clock); a new
     * exception bumps the epoch.
     */
    private static final int CACHE_SLOTS = 64;
    private final OutputEntry[] outputCache = new OutputEntry[CACHE_SLOTS];
    private final InputEntry[] inputCache = new InputEntry[CACHE_SLOTS];

    private static boolean cacheable(Dst dst) {
        return dst.expiresAt() == 0 && (dst.fibRoute() == null || !dst.fibRoute().hasExceptions());
    }

    private static int mix(int h) {
        h *= 0x9E3779B9;
        return (h ^ (h >>> 16)) & (CACHE_SLOTS - 1);
    }

    private static int outputSlot(Flow f) {
        return mix(f.destination.bits() * 31 + f.source.bits() * 17 + f.outputInterface * 7 + f.tos + f.protocol);
    }

    /** An output lookup: the flow as asked, and what the lookup made of it. */
    private static final class OutputEntry {
        final Ipv4Address destination;
        final Ipv4Address source;
        final int outputInterface;
        final int inputInterface;
        final int tos;
        final int scope;
        final int mark;
        final int uid;
        final int protocol;
        final int sourcePort;
        final int destinationPort;
        long epoch;
        Dst dst;
        Ipv4Address resultSource;
        Ipv4Address resultDestination;
        int resultOif;

        OutputEntry(Flow f) {
            destination = f.destination;
            source = f.source;
            outputInterface = f.outputInterface;
            inputInterface = f.inputInterface;
            tos = f.tos;
            scope = f.scope;
            mark = f.mark;
            uid = f.uid;
            protocol = f.protocol;
            sourcePort = f.sourcePort;
            destinationPort = f.destinationPort;
        }

        void fill(long epoch, Dst dst, Flow result) {
            this.epoch = epoch;
            this.dst = dst;
            resultSource = result.source;
            resultDestination = result.destination;
            resultOif = result.outputInterface;
        }

        boolean matches(Flow f) {
            return destination.equals(f.destination) && source.equals(f.source)
                    && outputInterface == f.outputInterface && inputInterface == f.inputInterface && tos == f.tos
                    && scope == f.scope && mark == f.mark && uid == f.uid && protocol == f.protocol
                    && sourcePort == f.sourcePort && destinationPort == f.destinationPort;
        }
    }

    /** An input lookup: what was asked, and the answer. */
    private static final class InputEntry {
        final Ipv4Address daddr;
        final Ipv4Address saddr;
        final int tos;
        final NetDevice dev;
        final boolean ipPacket;
        final int protocol;
        final long epoch;
        final Dst dst;

        InputEntry(Ipv4Address daddr, Ipv4Address saddr, int tos, NetDevice dev, boolean ipPacket, int protocol,
                   long epoch, Dst dst) {
            this.daddr = daddr;
            this.saddr = saddr;
            this.tos = tos;
            this.dev = dev;
            this.ipPacket = ipPacket;
            this.protocol = protocol;
            this.epoch = epoch;
            this.dst = dst;
        }
    }

    /** The uncached {@link #output}. */
    private Dst outputUncached(Flow flow) {
        int origOif = flow.outputInterface;
        int flags = 0;
        RouteType type = RouteType.UNICAST;
        Fib.Result result = null;
        NetDevice devOut = null;
        Ipv4Address saddr = flow.source;
        Ipv4Address daddr = flow.destination;

        if (!saddr.isUnspecified()) {
            if (saddr.isMulticast() || saddr.isLimitedBroadcast() || saddr.isZeroNet()) {
                throw new KernelException(Errno.EINVAL);
            }
            if (flow.outputInterface == 0 && (daddr.isMulticast() || daddr.isLimitedBroadcast())) {
                devOut = addresses.deviceFor(saddr);
                if (devOut == null) {
                    throw new KernelException(Errno.ENETUNREACH);
                }
                flow.outputInterface = devOut.ifindex();
                return make(flow, saddr, daddr, result, type, origOif, devOut, flags);
            }
            if (addresses.deviceFor(saddr) == null) {
                throw new KernelException(Errno.ENETUNREACH);
            }
        }
        if (flow.outputInterface != 0) {
            devOut = ns.deviceByIndex(flow.outputInterface);
            if (devOut == null) {
                throw new KernelException(Errno.ENODEV);
            }
            if (!devOut.isUp()) {
                throw new KernelException(Errno.ENETUNREACH);
            }
            if (isLocalMulticast(daddr) || daddr.isLimitedBroadcast()) {
                if (saddr.isUnspecified()) {
                    saddr = addresses.select(devOut, Ipv4Address.ANY, Scope.LINK);
                }
                return make(flow, saddr, daddr, result, type, origOif, devOut, flags);
            }
            if (saddr.isUnspecified()) {
                if (daddr.isMulticast()) {
                    saddr = addresses.select(devOut, Ipv4Address.ANY, flow.scope);
                } else if (daddr.isUnspecified()) {
                    saddr = addresses.select(devOut, Ipv4Address.ANY, Scope.HOST);
                }
            }
        }
        if (daddr.isUnspecified()) {
            daddr = saddr;
            if (daddr.isUnspecified()) {
                daddr = Ipv4Address.LOOPBACK;
                saddr = Ipv4Address.LOOPBACK;
            }
            devOut = ns.loopback();
            flow.outputInterface = devOut.ifindex();
            return make(flow, saddr, daddr, null, RouteType.LOCAL, origOif, devOut, flags | RouteFlags.LOCAL);
        }
        Flow query = copy(flow, daddr, saddr);
        try {
            result = fib.lookup(query, false);
        } catch (KernelException e) {
            if (flow.outputInterface != 0) {
                // bound to a device and no route: assume the destination is on that link
                if (saddr.isUnspecified()) {
                    saddr = addresses.select(devOut, Ipv4Address.ANY, Scope.LINK);
                }
                return make(flow, saddr, daddr, null, RouteType.UNICAST, origOif, devOut, flags);
            }
            throw e;
        }
        Route route = result.route();
        if (result.type() == RouteType.LOCAL) {
            if (saddr.isUnspecified()) {
                saddr = route.preferredSource() != null ? (Ipv4Address) route.preferredSource() : daddr;
            }
            devOut = ns.loopback();
            if (ns.kernel().profile().localRouteInputDevice()) {
                // rt_iif names the device the local address is on, though the packet goes over lo
                origOif = route.device() != null ? route.device().ifindex() : 0;
            }
            flow.outputInterface = devOut.ifindex();
            return make(flow, saddr, daddr, result, RouteType.LOCAL, origOif, devOut, flags | RouteFlags.LOCAL);
        }
        if (saddr.isUnspecified()) {
            saddr = preferredSource(result);
        }
        devOut = route.device();
        return make(flow, saddr, daddr, result, result.type(), origOif, devOut, flags);
    }

    /** {@code fib_result_prefsrc}: the row's {@code src}, else an address chosen for its nexthop. */
    Ipv4Address preferredSource(Fib.Result result) {
        Route route = result.route();
        if (route.preferredSource() != null) {
            return (Ipv4Address) route.preferredSource();
        }
        Ipv4Address gw = route.gateway() instanceof Ipv4Address g ? g : Ipv4Address.ANY;
        return addresses.select(route.device(), gw, route.scope());
    }

    private static Flow copy(Flow flow, Ipv4Address daddr, Ipv4Address saddr) {
        Flow f = new Flow();
        f.destination = daddr;
        f.source = saddr;
        f.outputInterface = flow.outputInterface;
        f.inputInterface = flow.inputInterface;
        f.tos = flow.tos;
        f.scope = flow.scope;
        f.mark = flow.mark;
        f.uid = flow.uid;
        f.protocol = flow.protocol;
        f.sourcePort = flow.sourcePort;
        f.destinationPort = flow.destinationPort;
        return f;
    }

    /** {@code __mkroute_output}. */
    private Dst make(Flow flow, Ipv4Address saddr, Ipv4Address daddr, Fib.Result result, RouteType resultType,
                     int origOif, NetDevice devOut, int flags) {
        if (devOut == null) {
            throw new KernelException(Errno.EINVAL);
        }
        if (saddr.isLoopback() && !devOut.isLoopback() && !conf.routeLocalnet(devOut)) {
            throw new KernelException(Errno.EINVAL);
        }
        RouteType type = resultType;
        Route route = result == null ? null : result.route();
        Route nexthopRoute = route;
        if (daddr.isLimitedBroadcast()) {
            type = RouteType.BROADCAST;
            nexthopRoute = null;
        } else if (daddr.isMulticast()) {
            type = RouteType.MULTICAST;
        } else if (daddr.isZeroNet()) {
            throw new KernelException(Errno.EINVAL);
        }
        if (devOut.isLoopback()) {
            flags |= RouteFlags.LOCAL;
        }
        if (type == RouteType.BROADCAST) {
            flags |= RouteFlags.BROADCAST | RouteFlags.LOCAL;
            nexthopRoute = null;
        } else if (type == RouteType.MULTICAST) {
            flags |= RouteFlags.MULTICAST;
            if (result != null && route.destination().length() < 4) {
                nexthopRoute = null;
            }
        }
        Ipv4Address gateway = null;
        if (nexthopRoute != null && nexthopRoute.gateway() instanceof Ipv4Address gw) {
            gateway = gw;
        }
        long expires = 0;
        NexthopException exception = type == RouteType.UNICAST ? exception(nexthopRoute, daddr) : null;
        if (exception != null) {
            if (exception.gateway() instanceof Ipv4Address redirected) {
                gateway = redirected;
                flags |= RouteFlags.REDIRECTED;
            }
            expires = exception.expiresAt();
        }
        flow.source = saddr;
        flow.destination = daddr;
        return new Dst(type, devOut, gateway, saddr, flags, origOif, false, null,
                result == null ? RouteTableId.MAIN : result.tableId(), route, expires);
    }

    /**
     * {@code find_exception} and {@code rt_bind_exception}: the nexthop exception a lookup to
     * {@code daddr} through {@code route} uses, or {@code null}. An expired one is deleted; a
     * stale one (the cache was flushed since) is reset and used as a plain binding.
     */
    private NexthopException exception(Route route, Ipv4Address daddr) {
        if (route == null) {
            return null;
        }
        NexthopException e = route.exception(daddr);
        if (e == null) {
            return null;
        }
        if (e.expired(ns.kernel().clock().nanos())) {
            route.removeException(daddr);
            return null;
        }
        e.bind(ns.ipv4().tables().generation());
        return e;
    }

    // ------------------------------------------------------------------ input

    /**
     * {@code ip_route_input_slow}: what to do with a packet to {@code daddr} from {@code saddr}
     * received on {@code dev}. An unreachable result (no route, or not forwarding) comes back as
     * a route of type UNREACHABLE carrying its error.
     *
     * @param ipPacket whether the packet is IPv4 (ARP asks too, and is refused broadcast answers)
     * @throws KernelException EINVAL for a martian source or destination, and for a source that
     *         fails validation or reverse path filtering
     */
    public Dst input(Ipv4Address daddr, Ipv4Address saddr, int tos, NetDevice dev, boolean ipPacket) {
        return input(daddr, saddr, tos, dev, ipPacket, 0);
    }

    /**
     * {@link #input(Ipv4Address, Ipv4Address, int, NetDevice, boolean)} for a datagram of IP
     * protocol {@code protocol}, which rules selecting a protocol see ({@code fib4_rules_early_flow_dissect}).
     */
    public Dst input(Ipv4Address daddr, Ipv4Address saddr, int tos, NetDevice dev, boolean ipPacket, int protocol) {
        long epoch = LookupEpoch.current();
        int slot = mix(daddr.bits() * 31 + saddr.bits() * 17 + dev.ifindex() * 7 + tos + protocol);
        InputEntry e = inputCache[slot];
        if (e != null && e.epoch == epoch && e.dev == dev && e.tos == tos && e.protocol == protocol
                && e.ipPacket == ipPacket && e.daddr.equals(daddr) && e.saddr.equals(saddr)) {
            return e.dst;
        }
        Dst dst = inputUncached(daddr, saddr, tos, dev, ipPacket, protocol);
        if (cacheable(dst) && LookupEpoch.current() == epoch) {
            inputCache[slot] = new InputEntry(daddr, saddr, tos, dev, ipPacket, protocol, epoch, dst);
        }
        return dst;
    }

    /** The uncached {@link #input(Ipv4Address, Ipv4Address, int, NetDevice, boolean, int)}. */
    private Dst inputUncached(Ipv4Address daddr, Ipv4Address saddr, int tos, NetDevice dev, boolean ipPacket,
                              int protocol) {
        if (daddr.isMulticast()) {
            return multicastInput(daddr, saddr, dev);
        }
        if (saddr.isMulticast() || saddr.isLimitedBroadcast()) {
            throw martian();
        }
        if (daddr.isLimitedBroadcast() || (saddr.isUnspecified() && daddr.isUnspecified())) {
            return broadcastInput(daddr, saddr, tos, dev, ipPacket, null);
        }
        if (saddr.isZeroNet() || daddr.isZeroNet()) {
            throw martian();
        }
        if (daddr.isLoopback()) {
            if (!conf.routeLocalnet(dev)) {
                throw martian();
            }
        } else if (saddr.isLoopback() && !conf.routeLocalnet(dev)) {
            throw martian();
        }
        Flow flow = new Flow();
        flow.destination = daddr;
        flow.source = saddr;
        flow.tos = tos;
        flow.inputInterface = dev.ifindex();
        flow.protocol = protocol;
        Fib.Result result;
        try {
            result = fib.lookup(flow, false);
        } catch (KernelException e) {
            Errno err = conf.forwarding(dev) ? e.errno() : Errno.EHOSTUNREACH;
            return unreachable(err);
        }
        if (result.type() == RouteType.BROADCAST) {
            return broadcastInput(daddr, saddr, tos, dev, ipPacket, result);
        }
        if (result.type() == RouteType.LOCAL) {
            validateInput(saddr, daddr, tos, 0, dev);
            return new Dst(RouteType.LOCAL, ns.loopback(), null, daddr, RouteFlags.LOCAL, 0, true, null,
                    result.tableId(), result.route());
        }
        if (!conf.forwarding(dev)) {
            return unreachable(Errno.EHOSTUNREACH);
        }
        if (result.type() != RouteType.UNICAST) {
            throw martian();
        }
        NetDevice out = result.device();
        int valid = validateInput(saddr, daddr, tos, out.ifindex(), dev);
        int flags = 0;
        Route route = result.route();
        Ipv4Address gateway = route.gateway() instanceof Ipv4Address gw ? gw : null;
        // back out of the device it came in on, to a source on that link: a redirect is due
        if (out == dev && valid > 0 && conf.sendRedirects(out)
                && (conf.sharedMedia(out) || addresses.onLink(out, saddr, gateway == null ? Ipv4Address.ANY : gateway))) {
            flags |= RouteFlags.DOREDIRECT;
        }
        long expires = 0;
        NexthopException exception = exception(route, daddr);
        if (exception != null) {
            if (exception.gateway() instanceof Ipv4Address redirected) {
                gateway = redirected;
                flags |= RouteFlags.REDIRECTED;
            }
            expires = exception.expiresAt();
        }
        return new Dst(RouteType.UNICAST, out, gateway, Ipv4Address.ANY, flags, 0, true, null, result.tableId(), route,
                expires);
    }

    private Dst unreachable(Errno err) {
        return new Dst(RouteType.UNREACHABLE, ns.loopback(), null, Ipv4Address.ANY, 0, 0, true, err,
                RouteTableId.UNSPEC, null);
    }

    private Dst broadcastInput(Ipv4Address daddr, Ipv4Address saddr, int tos, NetDevice dev, boolean ipPacket,
                               Fib.Result result) {
        if (!ipPacket) {
            throw new KernelException(Errno.EINVAL);
        }
        if (!saddr.isZeroNet()) {
            validateInput(saddr, daddr, tos, 0, dev);
        }
        return new Dst(RouteType.BROADCAST, ns.loopback(), null, daddr, RouteFlags.BROADCAST | RouteFlags.LOCAL, 0,
                true, null, result == null ? RouteTableId.UNSPEC : result.tableId(),
                result == null ? null : result.route());
    }

    /** Multicast input: the all-hosts group 224.0.0.1 is joined by every IPv4 device; nothing else is. */
    private Dst multicastInput(Ipv4Address daddr, Ipv4Address saddr, NetDevice dev) {
        if (daddr.bits() != 0xE000_0001 || dev.ipv4().addresses().isEmpty()) {
            throw new KernelException(Errno.EINVAL);
        }
        if (saddr.isMulticast() || saddr.isLimitedBroadcast() || saddr.isLoopback()) {
            throw martian();
        }
        return new Dst(RouteType.MULTICAST, ns.loopback(), null, daddr, RouteFlags.MULTICAST | RouteFlags.LOCAL, 0,
                true, null, RouteTableId.UNSPEC, null);
    }

    private static KernelException martian() {
        return new KernelException(Errno.EINVAL);
    }

    // ------------------------------------------------------------------ source validation

    /**
     * {@link #validateSource} as the input path uses it: whatever the reason the source is
     * refused, the packet is a martian and the lookup fails with EINVAL (the kernel keeps the
     * reason for its drop statistics only).
     */
    private int validateInput(Ipv4Address src, Ipv4Address dst, int tos, int oif, NetDevice dev) {
        try {
            return validateSource(src, dst, tos, oif, dev);
        } catch (KernelException e) {
            throw martian();
        }
    }

    /**
     * {@code fib_validate_source}: whether a packet from {@code src} may arrive on {@code dev}.
     * Returns 1 when the source is directly connected there, else 0.
     *
     * @param oif the output device of a forwarded packet, 0 for local delivery
     * @throws KernelException EINVAL for a local source without {@code accept_local} (or a source
     *         whose route is neither unicast nor local), EXDEV when reverse path filtering refuses it
     */
    public int validateSource(Ipv4Address src, Ipv4Address dst, int tos, int oif, NetDevice dev) {
        int rpf = conf.rpFilter(dev);
        if (rpf == 0 && (dev.ifindex() != oif || !conf.sendRedirects(dev))) {
            if (conf.acceptLocal(dev) || !ns.kernel().profile().localSourceMartian()) {
                return 0;
            }
            if (!fib.hasCustomLocalRoutes()) {
                // within one namespace a local source is a martian; another namespace's is not
                if (addresses.deviceOf(src) != null) {
                    throw new KernelException(Errno.EINVAL);
                }
                return 0;
            }
        }
        return fullValidation(src, dst, tos, oif, dev, rpf);
    }

    /** {@code __fib_validate_source}. */
    private int fullValidation(Ipv4Address src, Ipv4Address dst, int tos, int oif, NetDevice dev, int rpf) {
        boolean noAddress = dev.ipv4().addresses().isEmpty();
        Flow reverse = new Flow();
        reverse.destination = src;
        reverse.source = dst;
        reverse.tos = tos;
        Fib.Result result;
        try {
            result = fib.lookup(reverse, false);
        } catch (KernelException e) {
            return lastResort(rpf);
        }
        boolean local = result.type() == RouteType.LOCAL;
        if (result.type() != RouteType.UNICAST && (!local || !conf.acceptLocal(dev))) {
            throw new KernelException(Errno.EINVAL);
        }
        boolean deviceMatches = result.device() == dev || (local && dev.isLoopback());
        if (deviceMatches) {
            return directlyConnected(result.route()) ? 1 : 0;
        }
        if (noAddress) {
            return lastResort(rpf);
        }
        if (rpf == 1) {
            throw new KernelException(Errno.EXDEV);
        }
        reverse.outputInterface = dev.ifindex();
        try {
            Fib.Result loose = fib.lookup(reverse, true);
            if (loose.type() == RouteType.UNICAST) {
                return directlyConnected(loose.route()) ? 1 : 0;
            }
        } catch (KernelException e) {
            // no route through dev: loose mode accepts it anyway
        }
        return 0;
    }

    private static int lastResort(int rpf) {
        if (rpf != 0) {
            throw new KernelException(Errno.EXDEV);
        }
        return 0;
    }

    /** A nexthop without a gateway has host scope ({@code nhc_scope >= RT_SCOPE_HOST}). */
    private static boolean directlyConnected(Route route) {
        return route.gateway() == null;
    }
}
