package dev.ipsim.kernel.inet;

import dev.ipsim.kernel.Errno;
import dev.ipsim.kernel.KernelException;
import dev.ipsim.kernel.NetNamespace;
import dev.ipsim.kernel.NetdevEvent;
import dev.ipsim.kernel.addr.Family;
import dev.ipsim.kernel.addr.Ipv4Address;
import dev.ipsim.kernel.link.NetDevice;
import dev.ipsim.kernel.neigh.Neighbour;
import dev.ipsim.kernel.neigh.NeighbourTable;
import dev.ipsim.kernel.packet.PacketEngine;
import dev.ipsim.kernel.packet.PacketType;
import dev.ipsim.kernel.route.Route;
import dev.ipsim.kernel.route.RouteType;
import dev.ipsim.kernel.time.Jiffies;
import dev.ipsim.kernel.wire.IcmpMessage;
import dev.ipsim.kernel.wire.IpProtocol;
import dev.ipsim.kernel.wire.Ipv4Packet;
import dev.ipsim.kernel.wire.UdpDatagram;
import dev.ipsim.kernel.wire.WireFormatException;
import java.util.SplittableRandom;

/**
 * A namespace's IPv4 packet path: input ({@code ip_rcv}), local delivery, forwarding, output
 * through the neighbour layer, and the parts it is made of (routing, ARP, ICMP, raw sockets).
 */
public final class Ipv4Stack {

    /** {@code IP_DF} as {@link Ipv4Packet#flags()} holds it. */
    private static final int DONT_FRAGMENT = Ipv4Packet.FLAG_DONT_FRAGMENT;

    private final NetNamespace ns;
    private final InetConf conf;
    private final Fib fib;
    private final InetAddresses addresses;
    private final Routing routing;
    private final Arp arp;
    private final NeighbourTable arpTable;
    private final Icmp icmp;
    private final Sockets sockets = new Sockets();
    private final IpIdentifiers identifiers;
    private final Fragments fragments;
    private final SplittableRandom random;

    public Ipv4Stack(NetNamespace ns, SplittableRandom random) {
        this.ns = ns;
        this.conf = new InetConf(ns);
        this.fib = new Fib(ns, conf);
        this.addresses = new InetAddresses(ns, conf);
        this.routing = new Routing(ns, conf, fib, addresses);
        this.arp = new Arp(ns, this, conf, addresses);
        this.arpTable = new NeighbourTable(ns, Family.INET, arp, random.split());
        this.arp.attach(arpTable);
        this.icmp = new Icmp(ns, this, conf);
        this.identifiers = new IpIdentifiers(random.split());
        this.fragments = new Fragments(ns);
        this.random = random.split();
    }

    public Routing routing() {
        return routing;
    }

    /**
     * {@code inet_addr_type}: what an address is to this host (LOCAL, BROADCAST, MULTICAST,
     * UNICAST...), as the FIB answers it.
     */
    public RouteType addressType(Ipv4Address a) {
        return fib.addressType(a);
    }

    /** The ARP cache. */
    public NeighbourTable neighbours() {
        return arpTable;
    }

    Fib fib() {
        return fib;
    }

    /**
     * {@code fib_lookup} alone, as a route lookup begins: the row longest-prefix match finds
     * for the flow (rules, TOS, scope and nexthop state included), before source selection.
     *
     * @throws KernelException as {@code fib_lookup} fails (ENETUNREACH, reject routes)
     */
    public Route fibLookup(Flow flow) {
        return fib.lookup(flow, false).route();
    }

    InetAddresses addresses() {
        return addresses;
    }

    Icmp icmp() {
        return icmp;
    }

    Sockets sockets() {
        return sockets;
    }

    int defaultTtl() {
        return conf.global("ip_default_ttl");
    }

    /**
     * {@code socket(AF_INET, SOCK_RAW, IPPROTO_ICMP)}. Only raw sockets are modelled: an
     * unprivileged ICMP datagram socket is refused (EACCES) unless {@code ping_group_range}
     * lets group 0 in, and then too, for now.
     */
    public IcmpSocket openRawIcmpSocket() {
        IcmpSocket s = new IcmpSocket(ns, this);
        sockets.add(s);
        return s;
    }

    /** {@code socket(AF_INET, SOCK_DGRAM, 0)}: a UDP socket, unbound. */
    public UdpSocket openUdpSocket() {
        UdpSocket s = new UdpSocket(ns, this);
        sockets.add(s);
        return s;
    }

    /** {@code ip_local_port_range}: the ephemeral ports, or {@code null} if unreadable. */
    int[] localPortRange() {
        try {
            return conf.globalPair("ip_local_port_range");
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The stack's random generator (ephemeral ports). */
    java.util.SplittableRandom random() {
        return random;
    }

    /** Whether {@code ping_group_range} lets group {@code gid} open ICMP datagram sockets. */
    public boolean pingSocketsAllowed(int gid) {
        int[] range = conf.globalPair("ping_group_range");
        return range[0] <= gid && gid <= range[1];
    }

    /**
     * {@code connect()} of a UDP socket, as ping's probe socket does to learn the source address:
     * the route to {@code destination} (bound to {@code device} if given) and the source it picks.
     *
     * @throws KernelException the lookup's errors; EACCES for a broadcast route without
     *         {@code SO_BROADCAST}
     */
    public Ipv4Address connectDatagram(Ipv4Address destination, String device, boolean broadcastAllowed) {
        int oif = 0;
        if (device != null) {
            NetDevice dev = ns.device(device);
            if (dev == null) {
                throw new KernelException(Errno.ENODEV);
            }
            oif = dev.ifindex();
        }
        Flow flow = Flow.output(destination, Ipv4Address.ANY, oif);
        flow.protocol = IpProtocol.UDP;
        Dst route = routing.output(flow);
        if ((route.flags() & RouteFlags.BROADCAST) != 0 && !broadcastAllowed) {
            throw new KernelException(Errno.EACCES);
        }
        return flow.source;
    }

    // ------------------------------------------------------------------ output

    /** How long a broadcast's looped-back copy takes to come in: as loopback's frames do. */
    private static final long BROADCAST_LOOP_NANOS = 7_000;

    /**
     * A datagram from a socket: with {@code IP_PMTUDISC_WANT} DF while it fits the route's MTU
     * (larger ones leave in fragments), with {@code DO} always, with {@code DONT} never. Returns
     * the driver's verdict ({@code PacketEngine.XMIT_*}).
     */
    int sendFromSocket(Ipv4Address source, Ipv4Address destination, int tos, int ttl, int pmtuDiscovery,
                        byte[] payload, Dst route) {
        return sendFromSocket(IpProtocol.ICMP, source, destination, tos, ttl, pmtuDiscovery, payload, route);
    }

    /** {@link #sendFromSocket(Ipv4Address, Ipv4Address, int, int, int, byte[], Dst)} for any IP protocol. */
    int sendFromSocket(int protocol, Ipv4Address source, Ipv4Address destination, int tos, int ttl,
                       int pmtuDiscovery, byte[] payload, Dst route) {
        boolean fits = Ipv4Packet.MIN_HEADER_LENGTH + payload.length <= route.device().mtu();
        boolean df = pmtuDiscovery >= IcmpSocket.PMTUDISC_DO || (pmtuDiscovery == IcmpSocket.PMTUDISC_WANT && fits);
        return send(protocol, source, destination, tos, ttl, df ? DONT_FRAGMENT : 0, payload, route);
    }

    /** A datagram from the kernel's own ICMP socket: never DF ({@code IP_PMTUDISC_DONT}). */
    void sendFromKernel(Ipv4Address source, Ipv4Address destination, int tos, byte[] icmpMessage, Dst route) {
        send(IpProtocol.ICMP, source, destination, tos, defaultTtl(), 0, icmpMessage, route);
    }

    private int send(int protocol, Ipv4Address source, Ipv4Address destination, int tos, int ttl, int flags,
                     byte[] payload, Dst route) {
        int id = identifiers.next(destination, source, protocol, Jiffies.now(ns.kernel().clock()));
        Ipv4Packet ip = Ipv4Packet.of(tos, id, flags, ttl, protocol, source, destination, payload);
        return output(ip, route);
    }

    /**
     * {@code ip_output} and {@code ip_finish_output2}: the datagram goes to its next hop's
     * neighbour entry (made if missing), which sends it or queues it while resolving. Returns
     * the driver's verdict; fragments stop at the first that fails ({@code ip_do_fragment}).
     */
    int output(Ipv4Packet ip, Dst route) {
        NetDevice dev = route.device();
        if (!route.input() && (route.flags() & RouteFlags.BROADCAST) != 0 && !dev.isLoopback()) {
            // ip_mc_output: a broadcast this host sends is looped back to it as well
            // (dev_loopback_xmit, PACKET_LOOPBACK: packet sockets never see the copy), through
            // the backlog before the frame itself reaches anyone on the link
            byte[] copy = ip.encode();
            long at = ns.kernel().clock().nanos() + BROADCAST_LOOP_NANOS;
            ns.kernel().clock().schedule(at, () -> {
                if (dev.isRegistered() && dev.isUp()) {
                    receive(dev, PacketType.BROADCAST, copy, route);
                }
            });
        }
        Ipv4Address nextHop = route.nextHop(ip.destination());
        Neighbour n = arpTable.lookupOrCreate(nextHop, dev);
        if (ip.totalLength() <= dev.mtu()) {
            return arpTable.output(n, OutPacket.of(ip, route));
        }
        if (ip.dontFragment()) {
            return PacketEngine.XMIT_SUCCESS; // ip_fragment refuses; the sender was told already
        }
        for (Ipv4Packet piece : Fragments.fragment(ip, dev.mtu())) {
            int verdict = arpTable.output(n, OutPacket.of(piece, route));
            if (verdict != PacketEngine.XMIT_SUCCESS) {
                return verdict;
            }
        }
        return PacketEngine.XMIT_SUCCESS;
    }

    // ------------------------------------------------------------------ input

    /** {@code ip_rcv}: checks, routing (unless loopback brought the route along), then the route's input. */
    public void receive(NetDevice dev, PacketType packetType, byte[] datagram, Object attachedRoute) {
        if (packetType == PacketType.OTHERHOST) {
            dev.stats().countRxOtherhostDropped();
            return;
        }
        Ipv4Packet ip;
        try {
            ip = Ipv4Packet.parse(datagram);
        } catch (WireFormatException e) {
            return; // InHdrErrors
        }
        if (!ip.checksumValid()) {
            return; // CsumErrors
        }
        byte[] exact = datagram.length == ip.totalLength() ? datagram : java.util.Arrays.copyOf(datagram,
                ip.totalLength());
        Dst route = attachedRoute instanceof Dst d ? d : null;
        if (route == null) {
            try {
                route = routing.input(ip.destination(), ip.source(), ip.tos(), dev, true, ip.protocol());
            } catch (KernelException e) {
                return; // martian
            }
        }
        InPacket skb = new InPacket(dev, packetType, ip, exact, route);
        if (route.input() && route.type() == RouteType.UNREACHABLE) {
            error(skb);
        } else if (route.isLocal()) {
            deliverLocally(skb);
        } else if (route.input()) {
            forward(skb);
        }
    }

    /** ARP input. */
    public void receiveArp(NetDevice dev, PacketType packetType, byte[] payload) {
        arp.receive(dev, packetType, payload);
    }

    /** {@code ip_local_deliver}: raw sockets first, then the protocol. */
    private void deliverLocally(InPacket fragmentOrWhole) {
        InPacket skb = fragmentOrWhole;
        Ipv4Packet ip = skb.ip();
        if (ip.fragmentOffset() != 0 || (ip.flags() & Ipv4Packet.FLAG_MORE_FRAGMENTS) != 0) {
            Ipv4Packet whole = fragments.reassemble(ip, () -> icmp.sendError(fragmentOrWhole.ip(),
                    fragmentOrWhole.bytes(), fragmentOrWhole.route(), fragmentOrWhole.packetType(),
                    fragmentOrWhole.device(), IcmpMessage.TIME_EXCEEDED, 1, 0));
            if (whole == null) {
                return;
            }
            skb = new InPacket(skb.device(), skb.packetType(), whole, whole.encode(), skb.route());
        }
        boolean raw = sockets.deliver(skb);
        switch (skb.ip().protocol()) {
            case IpProtocol.ICMP -> icmp.receive(skb);
            case IpProtocol.UDP -> receiveUdp(skb);
            case IpProtocol.TCP -> {
                // no listeners, and no TCP in this model: dropped
            }
            default -> {
                if (!raw) {
                    icmp.sendError(skb.ip(), skb.bytes(), skb.route(), skb.packetType(), skb.device(),
                            IcmpMessage.DEST_UNREACH, IcmpMessage.PROT_UNREACH, 0);
                }
            }
        }
    }

    /**
     * {@code __udp4_lib_rcv}: to the socket that fits best; with none, the port is unreachable
     * (never said about broadcast or multicast datagrams).
     */
    private void receiveUdp(InPacket skb) {
        Ipv4Packet ip = skb.ip();
        UdpDatagram udp;
        try {
            udp = UdpDatagram.parse(ip.payload());
        } catch (WireFormatException e) {
            return; // UDP_MIB_INERRORS
        }
        if (!UdpDatagram.checksumValid(java.util.Arrays.copyOf(ip.payload(), udp.encodedLength()), ip.source(),
                ip.destination())) {
            return; // UDP_MIB_CSUMERRORS
        }
        UdpSocket s = sockets.lookupUdp(ip.destination(), udp.destinationPort(), ip.source(), udp.sourcePort(),
                skb.inputInterface());
        if (s != null) {
            s.deliver(udp.payload(), ip.source(), udp.sourcePort());
            return;
        }
        if ((skb.route().flags() & (RouteFlags.BROADCAST | RouteFlags.MULTICAST)) != 0) {
            return;
        }
        icmp.sendError(ip, skb.bytes(), skb.route(), skb.packetType(), skb.device(), IcmpMessage.DEST_UNREACH,
                IcmpMessage.PORT_UNREACH, 0);
    }

    /** {@code ip_forward}: for a host with forwarding on. */
    private void forward(InPacket skb) {
        if (skb.packetType() != PacketType.HOST) {
            return;
        }
        Ipv4Packet ip = skb.ip();
        if (ip.ttl() <= 1) {
            icmp.sendError(ip, skb.bytes(), skb.route(), skb.packetType(), skb.device(), IcmpMessage.TIME_EXCEEDED,
                    0, 0);
            return;
        }
        Dst route = skb.route();
        if (ip.totalLength() > route.device().mtu() && ip.dontFragment()) {
            icmp.sendError(ip, skb.bytes(), route, skb.packetType(), skb.device(), IcmpMessage.DEST_UNREACH,
                    IcmpMessage.FRAG_NEEDED, route.device().mtu());
            return;
        }
        Ipv4Packet out = ip.withTtl(ip.ttl() - 1);
        if ((route.flags() & RouteFlags.DOREDIRECT) != 0) {
            // the next hop is on the sender's own link: tell it, then forward anyway
            icmp.sendRedirect(out, out.encode(), route, skb.packetType(), skb.device());
        }
        output(out, route);
    }

    /**
     * {@code ip_error}: silent unless forwarding, when the sender hears why, as often as the
     * peer's token bucket allows (one a second, a burst of five, shared with the ICMP rate
     * limit: each error sent this way costs the sender two tokens).
     */
    private void error(InPacket skb) {
        if (!conf.forwarding(skb.device())) {
            return;
        }
        int code;
        switch (skb.route().error()) {
            case EHOSTUNREACH -> code = IcmpMessage.HOST_UNREACH;
            case ENETUNREACH -> code = IcmpMessage.NET_UNREACH;
            case EACCES -> code = IcmpMessage.PKT_FILTERED;
            default -> {
                return; // EINVAL (a blackhole route): dropped without a word
            }
        }
        if (!icmp.routeErrorAllowed(skb.ip().source())) {
            return;
        }
        icmp.sendError(skb.ip(), skb.bytes(), skb.route(), skb.packetType(), skb.device(), IcmpMessage.DEST_UNREACH,
                code, 0);
    }

    // ------------------------------------------------------------------ device events

    /** What ARP does when a device changes: forget its neighbours when it goes away, down or dark. */
    public void onNetdevEvent(NetdevEvent event, NetDevice dev) {
        switch (event) {
            case DOWN, UNREGISTER -> arpTable.flushDevice(dev, false);
            case CHANGEADDR -> arpTable.changeAddress(dev);
            case CHANGE -> {
                if (!dev.hasCarrier() && conf.arpEvictNocarrier(dev)) {
                    arpTable.flushDevice(dev, true);
                }
            }
            default -> {
            }
        }
    }
}
