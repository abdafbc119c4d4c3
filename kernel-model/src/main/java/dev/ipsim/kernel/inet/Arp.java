package dev.ipsim.kernel.inet;

import dev.ipsim.kernel.KernelException;
import dev.ipsim.kernel.NetNamespace;
import dev.ipsim.kernel.Scope;
import dev.ipsim.kernel.addr.IpAddress;
import dev.ipsim.kernel.addr.Ipv4Address;
import dev.ipsim.kernel.addr.MacAddress;
import dev.ipsim.kernel.link.DeviceFlags;
import dev.ipsim.kernel.link.NetDevice;
import dev.ipsim.kernel.neigh.Neighbour;
import dev.ipsim.kernel.neigh.NeighbourProtocol;
import dev.ipsim.kernel.neigh.NeighbourTable;
import dev.ipsim.kernel.neigh.NudState;
import dev.ipsim.kernel.neigh.Outbound;
import dev.ipsim.kernel.packet.PacketType;
import dev.ipsim.kernel.route.RouteType;
import dev.ipsim.kernel.time.Jiffies;
import dev.ipsim.kernel.wire.ArpPacket;
import dev.ipsim.kernel.wire.EtherType;
import dev.ipsim.kernel.wire.EthernetFrame;
import dev.ipsim.kernel.wire.IcmpMessage;
import dev.ipsim.kernel.wire.WireFormatException;

/**
 * ARP (RFC 826) as Linux runs it ({@code net/ipv4/arp.c}): the IPv4 neighbour protocol, and the
 * handling of ARP packets received.
 *
 * <p>Heads up: who answers a request is decided by routing, not by ARP alone. A request is
 * answered when an input route lookup for its target, from its sender, on the receiving device
 * says "local" ({@link Routing#input}); that lookup validates the sender as the source of a
 * packet, so a sender address that is this host's own is refused without {@code accept_local}
 * (the veth-pair-in-one-namespace case), and {@code rp_filter} applies. Then
 * {@code arp_ignore} and {@code arp_filter} may still keep quiet. Replies update an existing
 * entry only; unsolicited ones create nothing unless {@code arp_accept} says so.
 */
final class Arp implements NeighbourProtocol {

    private final NetNamespace ns;
    private final Ipv4Stack stack;
    private final InetConf conf;
    private final InetAddresses addresses;
    private NeighbourTable table;

    Arp(NetNamespace ns, Ipv4Stack stack, InetConf conf, InetAddresses addresses) {
        this.ns = ns;
        this.stack = stack;
        this.conf = conf;
        this.addresses = addresses;
    }

    void attach(NeighbourTable arpTable) {
        this.table = arpTable;
    }

    // ------------------------------------------------------------------ NeighbourProtocol

    /** Loopback and point-to-point entries are all one, keyed 0.0.0.0 ({@code arp_constructor}). */
    @Override
    public IpAddress storedKey(IpAddress key, NetDevice dev) {
        if ((dev.rawFlags() & (DeviceFlags.LOOPBACK | DeviceFlags.POINTOPOINT)) != 0) {
            return Ipv4Address.ANY;
        }
        return key;
    }

    /** {@code arp_constructor}. */
    @Override
    public void construct(Neighbour n) {
        NetDevice dev = n.device();
        Ipv4Address addr = (Ipv4Address) n.key();
        RouteType type = stack.fib().addressType(addr);
        if (type == RouteType.MULTICAST) {
            n.initialise(NudState.NOARP, multicastMac(addr), type.number());
        } else if ((dev.rawFlags() & (DeviceFlags.NOARP | DeviceFlags.LOOPBACK)) != 0) {
            n.initialise(NudState.NOARP, dev.address(), type.number());
        } else if (type == RouteType.BROADCAST || (dev.rawFlags() & DeviceFlags.POINTOPOINT) != 0) {
            n.initialise(NudState.NOARP, dev.broadcast(), type.number());
        } else {
            n.initialise(NudState.NONE, null, type.number());
        }
    }

    /** {@code ip_eth_mc_map}: 01:00:5e and the low 23 bits of the group. */
    private static MacAddress multicastMac(Ipv4Address group) {
        return new MacAddress(0x0100_5E00_0000L | (group.bits() & 0x7F_FFFFL));
    }

    /**
     * {@code arp_solicit}: a request for the entry's address, from the waiting packet's source
     * when {@code arp_announce} allows it, broadcast, or unicast to the known address while
     * re-probing.
     */
    @Override
    public void solicit(Neighbour n, Outbound lastQueued) {
        NetDevice dev = n.device();
        Ipv4Address target = (Ipv4Address) n.key();
        Ipv4Address saddr = Ipv4Address.ANY;
        Ipv4Address packetSource = lastQueued instanceof OutPacket p ? p.ip().source() : null;
        switch (conf.arpAnnounce(dev)) {
            case 1 -> {
                // only a source the target is known to share a subnet with
                if (packetSource != null && stack.fib().addressType(packetSource) == RouteType.LOCAL
                        && addresses.onLink(dev, target, packetSource)) {
                    saddr = packetSource;
                }
            }
            case 2 -> {
                // always the device's best address
            }
            default -> {
                if (packetSource != null && stack.fib().addressType(packetSource) == RouteType.LOCAL) {
                    saddr = packetSource;
                }
            }
        }
        if (saddr.isUnspecified()) {
            saddr = addresses.select(dev, target, Scope.LINK);
        }
        int unicastLeft = n.probes() - table.parms(dev).unicastProbes();
        MacAddress destinationHw = null;
        if (unicastLeft < 0) {
            destinationHw = n.lladdr();
        } else if (unicastLeft - table.parms(dev).applicationProbes() < 0) {
            return; // neigh_app_ns: a user-space daemon would ask
        }
        send(ArpPacket.REQUEST, target, dev, saddr, destinationHw, dev.address(), null);
    }

    /** {@code arp_error_report}: the packet comes back to its sender as "host unreachable". */
    @Override
    public void errorReport(Neighbour n, Outbound packet) {
        if (packet instanceof OutPacket p) {
            stack.icmp().sendError(p.ip(), p.datagram(), p.route(), PacketType.HOST, null, IcmpMessage.DEST_UNREACH,
                    IcmpMessage.HOST_UNREACH, 0);
        }
    }

    /** {@code arp_hashfn}: the key mixed with the device, times the table's random. */
    @Override
    public int hash(IpAddress key, NetDevice dev, int[] hashRandom) {
        int k = ((Ipv4Address) key).bits();
        return (k ^ ns.kernel().packets().pointerHash(dev)) * hashRandom[0];
    }

    @Override
    public String parmsPrefix(NetDevice dev) {
        return "net/ipv4/neigh/" + dev.name() + "/";
    }

    // ------------------------------------------------------------------ sending

    /**
     * {@code arp_send_dst}: builds and sends an ARP packet; devices without ARP send nothing.
     *
     * @param destinationHw the frame's destination, or {@code null} for broadcast
     * @param targetHw      the target hardware address field, or {@code null} for zeros
     */
    void send(int operation, Ipv4Address destinationIp, NetDevice dev, Ipv4Address sourceIp, MacAddress destinationHw,
              MacAddress sourceHw, MacAddress targetHw) {
        if ((dev.rawFlags() & DeviceFlags.NOARP) != 0) {
            return;
        }
        MacAddress frameDestination = destinationHw != null ? destinationHw : dev.broadcast();
        MacAddress sender = sourceHw != null ? sourceHw : dev.address();
        ArpPacket arp = ArpPacket.of(operation, sender, sourceIp, targetHw != null ? targetHw : MacAddress.ZERO,
                destinationIp);
        byte[] frame = new EthernetFrame(frameDestination, sender, EtherType.ARP, arp.encode()).encode();
        ns.kernel().packets().transmit(dev, frame);
    }

    // ------------------------------------------------------------------ receiving

    /** {@code arp_rcv}, then {@code arp_process}. */
    void receive(NetDevice dev, PacketType packetType, byte[] payload) {
        // do not look at ARP on devices that do not speak it, or at frames for others
        if ((dev.rawFlags() & DeviceFlags.NOARP) != 0 || packetType == PacketType.OTHERHOST) {
            return;
        }
        ArpPacket arp;
        try {
            arp = ArpPacket.parse(payload);
        } catch (WireFormatException e) {
            return; // wrong lengths for this device: dropped
        }
        process(dev, packetType, arp);
    }

    /** {@code arp_process}: one guard clause per reason to ignore a packet. */
    private void process(NetDevice dev, PacketType packetType, ArpPacket arp) {
        // understand only Ethernet hardware and IPv4 protocol addresses
        if (arp.hardwareType() != ArpPacket.HARDWARE_ETHERNET || arp.protocolType() != EtherType.IPV4) {
            return;
        }
        // and only requests and replies
        if (arp.operation() != ArpPacket.REQUEST && arp.operation() != ArpPacket.REPLY) {
            return;
        }
        Ipv4Address sip = arp.senderIp();
        Ipv4Address tip = arp.targetIp();
        MacAddress sha = arp.senderMac();
        // requests for multicast or loopback addresses are bogus
        if (tip.isMulticast() || (!conf.routeLocalnet(dev) && tip.isLoopback())) {
            return;
        }
        // RFC 2131 duplicate address detection probe: sender 0.0.0.0
        if (sip.isUnspecified()) {
            if (arp.operation() == ArpPacket.REQUEST && stack.fib().addressType(tip) == RouteType.LOCAL
                    && !ignore(dev, sip, tip)) {
                send(ArpPacket.REPLY, sip, dev, tip, sha, dev.address(), sha);
            }
            return;
        }
        if (arp.operation() == ArpPacket.REQUEST) {
            Dst rt = routeRequest(dev, sip, tip);
            if (rt != null && rt.type() == RouteType.LOCAL) {
                // a request for one of our addresses: answer it, and remember who asked
                boolean dontSend = ignore(dev, sip, tip);
                if (!dontSend && conf.arpFilter(dev)) {
                    dontSend = filtered(dev, sip, tip);
                }
                if (!dontSend) {
                    table.eventSolicitation(sip, sha, dev);
                    send(ArpPacket.REPLY, sip, dev, tip, sha, dev.address(), sha);
                }
                return;
            }
            if (rt != null && conf.forwarding(dev) && rt.type() == RouteType.UNICAST && rt.device() != dev
                    && (conf.proxyArp(dev) || table.isProxied(tip, dev))) {
                // proxy ARP (the device's proxy_arp, or a proxy entry for the address): answer
                // for a host we route to through another device
                table.eventSolicitation(sip, sha, dev);
                send(ArpPacket.REPLY, sip, dev, tip, sha, dev.address(), sha);
                return;
            }
        }
        // update our ARP tables: only an entry that exists, unless arp_accept says otherwise
        Neighbour n = table.lookup(sip, dev);
        boolean garp = false;
        if (n != null || acceptUnsolicited(dev, sip)) {
            garp = isGratuitous(arp);
        }
        if (n == null && acceptUnsolicited(dev, sip)
                && (garp || (arp.operation() == ArpPacket.REPLY
                        && stack.fib().addressType(sip) == RouteType.UNICAST))) {
            n = table.lookupOrCreate(sip, dev);
        }
        if (n == null) {
            return;
        }
        long now = Jiffies.now(ns.kernel().clock());
        boolean override = now > n.updated() + table.parms(dev).lockTime() || garp;
        // broadcast replies and requests do not prove reachability
        NudState state = arp.operation() == ArpPacket.REPLY && packetType == PacketType.HOST
                ? NudState.REACHABLE : NudState.STALE;
        try {
            table.update(n, sha, state, override ? NeighbourTable.UPDATE_OVERRIDE : 0);
        } catch (KernelException e) {
            // PERMANENT and NOARP entries do not learn from the wire
        }
    }

    /** {@code ip_route_input_noref(skb, tip, sip, 0, dev)}: {@code null} when refused. */
    private Dst routeRequest(NetDevice dev, Ipv4Address sip, Ipv4Address tip) {
        try {
            return stack.routing().input(tip, sip, 0, dev, false);
        } catch (KernelException e) {
            return null;
        }
    }

    /** {@code arp_ignore}: whether to keep quiet about {@code tip}. */
    private boolean ignore(NetDevice dev, Ipv4Address sip, Ipv4Address tip) {
        return switch (conf.arpIgnore(dev)) {
            case 1 -> !addresses.confirm(dev, Ipv4Address.ANY, tip, Scope.HOST);
            case 2 -> !addresses.confirm(dev, sip, tip, Scope.HOST);
            case 3 -> !addresses.confirm(null, Ipv4Address.ANY, tip, Scope.LINK);
            case 8 -> true;
            default -> false;
        };
    }

    /** {@code arp_filter}: reply only if our route back to the sender leaves by this device. */
    private boolean filtered(NetDevice dev, Ipv4Address sip, Ipv4Address tip) {
        try {
            Flow flow = Flow.output(sip, tip, 0);
            return stack.routing().output(flow).device() != dev;
        } catch (KernelException e) {
            return true;
        }
    }

    /** {@code arp_accept}: 1 accepts any unsolicited ARP, 2 only from a sender in one of our subnets. */
    private boolean acceptUnsolicited(NetDevice dev, Ipv4Address sip) {
        return switch (conf.arpAccept(dev)) {
            case 1 -> true;
            case 2 -> addresses.confirm(dev, sip, Ipv4Address.ANY, Scope.HOST);
            default -> false;
        };
    }

    /** {@code arp_is_garp}: sender and target the same unicast address (and, for replies, the same MAC). */
    private boolean isGratuitous(ArpPacket arp) {
        boolean garp = arp.senderIp().equals(arp.targetIp());
        if (garp && arp.operation() == ArpPacket.REPLY) {
            garp = arp.targetMac().equals(arp.senderMac());
        }
        return garp && stack.fib().addressType(arp.senderIp()) == RouteType.UNICAST;
    }
}
