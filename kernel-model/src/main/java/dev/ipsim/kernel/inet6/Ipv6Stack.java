package dev.ipsim.kernel.inet6;

import dev.ipsim.kernel.Errno;
import dev.ipsim.kernel.KernelException;
import dev.ipsim.kernel.ipv6.Route6Lookup;
import dev.ipsim.kernel.NetNamespace;
import dev.ipsim.kernel.NetdevEvent;
import dev.ipsim.kernel.addr.Family;
import dev.ipsim.kernel.addr.IpAddress;
import dev.ipsim.kernel.addr.Ipv6Address;
import dev.ipsim.kernel.addr.MacAddress;
import dev.ipsim.kernel.ipv4.AddressFlags;
import dev.ipsim.kernel.ipv6.Inet6IfAddr;
import dev.ipsim.kernel.ipv6.Ipv6;
import dev.ipsim.kernel.link.DeviceFlags;
import dev.ipsim.kernel.link.NetDevice;
import dev.ipsim.kernel.mcast.MulticastLists;
import dev.ipsim.kernel.mcast.SmallCounts;
import dev.ipsim.kernel.neigh.Neighbour;
import dev.ipsim.kernel.neigh.NeighbourProtocol;
import dev.ipsim.kernel.neigh.NeighbourTable;
import dev.ipsim.kernel.neigh.NudState;
import dev.ipsim.kernel.neigh.Outbound;
import dev.ipsim.kernel.packet.PacketType;
import dev.ipsim.kernel.route.Route;
import dev.ipsim.kernel.route.RouteType;
import dev.ipsim.kernel.time.Jiffies;
import dev.ipsim.kernel.time.VirtualClock;
import dev.ipsim.kernel.wire.EtherType;
import dev.ipsim.kernel.wire.Icmpv6Message;
import dev.ipsim.kernel.wire.IpProtocol;
import dev.ipsim.kernel.wire.Ipv6Packet;
import dev.ipsim.kernel.wire.WireFormatException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A namespace's IPv6 packet path, as far as the kernel's own link-up traffic goes.
 *
 * <p>Heads up: the timing is the kernel's. Joining a group (an address's solicited-node group,
 * when the address starts DAD) sends an MLDv2 state-change report two ticks later and repeats it
 * once ({@code mld_qrv} = 2) after a random part of {@code mldv2_unsolicited_report_interval};
 * while the link-local address is tentative these go out from {@code ::}. When DAD of the
 * link-local address completes, the reports are sent again from it (at once, and again after a
 * random delay), and a Router Solicitation goes out, repeated with RFC 7559 backoff: about
 * {@code router_solicitation_interval}, then doubling up to
 * {@code router_solicitation_max_interval}. Each send goes through the neighbour cache, which
 * gains a NOARP entry per multicast destination ({@code ff02::16}, {@code ff02::2}...).
 */
public final class Ipv6Stack implements Ipv6.DadListener {

    /** Ticks a delayed MLD work item waits at least ({@code mld_ifc_start_work}: random + 2). */
    private static final long MLD_MIN_DELAY = 2;
    /** {@code mc_qrv}: how often a report is sent. */
    private static final int ROBUSTNESS = 2;
    private static final Ipv6Address MLDV2_ROUTERS = Ipv6Address.parse("ff02::16");
    private static final Ipv6Address ALL_ROUTERS = Ipv6Address.parse("ff02::2");
    private static final int HOP_LIMIT_ND = 255;

    private final NetNamespace ns;
    private final SplittableRandom random;
    private final NeighbourTable ndTable;

    /** Per device: joined groups with their pending report counts, and the MLD and RS timers. */
    private static final class DeviceState {
        // small tables: a device joins a handful of groups
        final SmallCounts<Ipv6Address> groups = new SmallCounts<>();
        final SmallCounts<Ipv6Address> pendingChanges = new SmallCounts<>();
        VirtualClock.Timer changeTimer;
        int changeReports;
        VirtualClock.Timer dadReportTimer;
        VirtualClock.Timer rsTimer;
        long rsInterval;
        int rsProbes;
    }

    public Ipv6Stack(NetNamespace ns, SplittableRandom random) {
        this.ns = ns;
        this.random = random;
        this.ndTable = new NeighbourTable(ns, Family.INET6, new Ndisc(), random.split());
        ns.ipv6().addDadListener(this);
    }

    /** The IPv6 neighbour cache. */
    public NeighbourTable neighbours() {
        return ndTable;
    }

    private long now() {
        return Jiffies.now(ns.kernel().clock());
    }

    private DeviceState state(NetDevice dev) {
        var idev = dev.ipv6();
        if (idev.mldState() instanceof DeviceState st) {
            return st;
        }
        DeviceState st = new DeviceState();
        idev.setMldState(st);
        return st;
    }

    /** Whether the kernel would send MLD and ND on this device at all. */
    private static boolean speaksMulticast(NetDevice dev) {
        return (dev.rawFlags() & DeviceFlags.LOOPBACK) == 0 && (dev.rawFlags() & DeviceFlags.MULTICAST) != 0
                && dev.hardwareType() == NetDevice.ARPHRD_ETHER;
    }

    // ------------------------------------------------------------------ DAD events

    @Override
    public void added(Inet6IfAddr address) {
        if (address.device().ipv6().isReady()) {
            join(address.device(), address.solicitedNode());
        }
    }

    /** {@code addrconf_dad_kick}'s probe: a Neighbour Solicitation from {@code ::} with a nonce. */
    @Override
    public void probe(Inet6IfAddr address) {
        NetDevice dev = address.device();
        if (!speaksMulticast(dev)) {
            return;
        }
        Ipv6Address group = address.solicitedNode();
        if (!state(dev).groups.containsKey(group)) {
            join(dev, group);
        }
        byte[] nonce = new byte[6];
        random.nextBytes(nonce);
        Icmpv6Message ns6 = Icmpv6Message.neighbourSolicitation(address.address(), nonce);
        send(dev, Ipv6Address.ANY, group, HOP_LIMIT_ND, IpProtocol.ICMPV6, ns6.encode(Ipv6Address.ANY, group));
    }

    /**
     * {@code addrconf_dad_completed}: for a device's only link-local address, the MLD reports
     * again from it, and router solicitation starts.
     */
    @Override
    public void completed(Inet6IfAddr address) {
        NetDevice dev = address.device();
        // addrconf_dad_begin joined the group even when DAD was skipped (nodad, accept_dad 0)
        Ipv6Address group = address.address().solicitedNode();
        if (speaksMulticast(dev) && !state(dev).groups.containsKey(group)) {
            join(dev, group);
        }
        if (!speaksMulticast(dev) || !address.address().isLinkLocal() || !lonelyLinkLocal(dev)) {
            return;
        }
        DeviceState st = state(dev);
        sendReport(dev, new ArrayList<>(st.groups.keys()));
        scheduleDadReport(dev, ROBUSTNESS - 1);
        if (acceptRa(dev) && intConf(dev, "router_solicitations") != 0) {
            sendRouterSolicitation(dev);
            st.rsInterval = backoffInit(intConf(dev, "router_solicitation_interval") * (long) Jiffies.HZ);
            st.rsProbes = 1;
            st.rsTimer = Jiffies.schedule(ns.kernel().clock(), now() + st.rsInterval, rsTimerTask(dev));
        }
    }

    /**
     * {@code ipv6_mc_up} when carrier comes back to a configured device: every group it is in is
     * reported again (state-change reports, twice), from its link-local address. DAD is not rerun,
     * and the router solicitation timer just goes on (what it sent meanwhile was dropped).
     */
    @Override
    public void linkResumed(NetDevice dev) {
        if (!speaksMulticast(dev)) {
            return;
        }
        DeviceState st = state(dev);
        if (st.groups.isEmpty()) {
            return;
        }
        for (Ipv6Address g : st.groups.keys()) {
            st.pendingChanges.put(g, ROBUSTNESS);
        }
        st.changeReports = ROBUSTNESS;
        scheduleChangeReport(dev, 1);
    }

    private boolean lonelyLinkLocal(NetDevice dev) {
        int count = 0;
        for (Inet6IfAddr a : dev.ipv6().addresses()) {
            if (a.address().isLinkLocal() && !a.isTentative()) {
                count++;
            }
        }
        return count == 1;
    }

    private int intConf(NetDevice dev, String key) {
        String v = ns.sysctls().read("net/ipv6/conf/" + dev.name() + "/" + key);
        return v == null ? 0 : Integer.parseInt(v.trim());
    }

    /** {@code ipv6_accept_ra}: 1 for a host, 2 even when forwarding. */
    private boolean acceptRa(NetDevice dev) {
        int acceptRa = intConf(dev, "accept_ra");
        return intConf(dev, "forwarding") != 0 ? acceptRa == 2 : acceptRa != 0;
    }

    // ------------------------------------------------------------------ MLD

    /** {@code ipv6_dev_mc_inc} + {@code igmp6_group_added}: a new group is reported twice. */
    private void join(NetDevice dev, Ipv6Address group) {
        if (!speaksMulticast(dev)) {
            return;
        }
        DeviceState st = state(dev);
        if (st.groups.increment(group) > 1) {
            return;
        }
        st.pendingChanges.put(group, ROBUSTNESS);
        st.changeReports = ROBUSTNESS;
        scheduleChangeReport(dev, 1);
    }

    /** {@code mld_ifc_start_work}. */
    private void scheduleChangeReport(NetDevice dev, long maxDelay) {
        DeviceState st = state(dev);
        if (st.changeTimer != null) {
            st.changeTimer.cancel();
        }
        long delay = random.nextLong(Math.max(1, maxDelay)) + MLD_MIN_DELAY;
        st.changeTimer = Jiffies.schedule(ns.kernel().clock(), now() + delay, new Runnable() {
            @Override
            public void run() {
                changeReport(dev);
            }
        });
    }

    /** {@code mld_ifc_work}: one state-change report with every group that still has changes to tell. */
    private void changeReport(NetDevice dev) {
        DeviceState st = state(dev);
        st.changeTimer = null;
        List<Ipv6Address> changed = new ArrayList<>(st.pendingChanges.countDown());
        sendReport(dev, changed);
        if (--st.changeReports > 0) {
            scheduleChangeReport(dev, unsolicitedReportInterval(dev));
        }
    }

    private void scheduleDadReport(NetDevice dev, int remaining) {
        if (remaining <= 0) {
            return;
        }
        DeviceState st = state(dev);
        long delay = random.nextLong(Math.max(1, unsolicitedReportInterval(dev))) + MLD_MIN_DELAY;
        st.dadReportTimer = Jiffies.schedule(ns.kernel().clock(), now() + delay, new Runnable() {
            @Override
            public void run() {
                st.dadReportTimer = null;
                sendReport(dev, new ArrayList<>(st.groups.keys()));
                scheduleDadReport(dev, remaining - 1);
            }
        });
    }

    private long unsolicitedReportInterval(NetDevice dev) {
        return Jiffies.fromMillis(intConf(dev, "mldv2_unsolicited_report_interval"));
    }

    /** {@code mld_sendpack}: one MLDv2 report with a CHANGE_TO_EXCLUDE record per group. */
    private void sendReport(NetDevice dev, List<Ipv6Address> groups) {
        if (groups.isEmpty() || !dev.isUp()) {
            return;
        }
        List<Icmpv6Message.MulticastRecord> records = new ArrayList<>();
        for (Ipv6Address g : groups) {
            records.add(new Icmpv6Message.MulticastRecord(Icmpv6Message.MLD2_CHANGE_TO_EXCLUDE, g));
        }
        Ipv6Address source = linkLocal(dev);
        byte[] icmp = Icmpv6Message.mld2Report(records).encode(source, MLDV2_ROUTERS);
        send(dev, source, MLDV2_ROUTERS, 1, IpProtocol.HOP_BY_HOP,
                Ipv6Packet.routerAlertHopByHop(IpProtocol.ICMPV6, icmp));
    }

    /** {@code ipv6_get_lladdr(dev, IFA_F_TENTATIVE)}: the usable link-local address, or {@code ::}. */
    private static Ipv6Address linkLocal(NetDevice dev) {
        for (Inet6IfAddr a : dev.ipv6().addresses()) {
            if (a.address().isLinkLocal() && !a.isTentative()) {
                return a.address();
            }
        }
        return Ipv6Address.ANY;
    }

    // ------------------------------------------------------------------ router solicitation

    private void sendRouterSolicitation(NetDevice dev) {
        Ipv6Address source = linkLocal(dev);
        if (source.isUnspecified()) {
            return;
        }
        byte[] icmp = Icmpv6Message.routerSolicitation(dev.address()).encode(source, ALL_ROUTERS);
        send(dev, source, ALL_ROUTERS, HOP_LIMIT_ND, IpProtocol.ICMPV6, icmp);
    }

    /** {@code addrconf_rs_timer}: solicit again, with the interval doubled (RFC 7559). */
    private void rsTimer(NetDevice dev) {
        DeviceState st = state(dev);
        st.rsTimer = null;
        if (!dev.isUp()) {
            return;
        }
        int limit = intConf(dev, "router_solicitations");
        if (limit >= 0 && st.rsProbes++ >= limit) {
            return;
        }
        sendRouterSolicitation(dev);
        st.rsInterval = backoffUpdate(st.rsInterval,
                intConf(dev, "router_solicitation_max_interval") * (long) Jiffies.HZ);
        long next = st.rsProbes == limit ? intConf(dev, "router_solicitation_delay") * (long) Jiffies.HZ
                : st.rsInterval;
        st.rsTimer = Jiffies.schedule(ns.kernel().clock(), now() + next, rsTimerTask(dev));
    }

    private Runnable rsTimerTask(NetDevice dev) {
        return new Runnable() {
            @Override
            public void run() {
                rsTimer(dev);
            }
        };
    }

    /** {@code rfc3315_s14_backoff_init}: 0.9 to 1.1 times the initial time. */
    private long backoffInit(long initial) {
        return initial * (900_000 + random.nextLong(200_001)) / 1_000_000;
    }

    /** {@code rfc3315_s14_backoff_update}: 1.9 to 2.1 times, capped near the maximum. */
    private long backoffUpdate(long current, long maximum) {
        long next = current * (1_900_000 + random.nextLong(200_001)) / 1_000_000;
        if (next > maximum) {
            next = maximum * (900_000 + random.nextLong(200_001)) / 1_000_000;
        }
        return next;
    }

    // ------------------------------------------------------------------ output and input

    /** {@code ip6_finish_output2} for a multicast destination: a NOARP neighbour, then the frame. */
    private void send(NetDevice dev, Ipv6Address source, Ipv6Address destination, int hopLimit, int nextHeader,
                      byte[] payload) {
        if (!dev.isUp()) {
            return;
        }
        byte[] datagram = new Ipv6Packet(0, 0, nextHeader, hopLimit, source, destination, payload).encode();
        Neighbour n = ndTable.lookupOrCreate(destination, dev);
        ndTable.output(n, new Datagram(datagram));
    }

    /**
     * IPv6 received (counted by the device already): the duplicate address detection part of
     * neighbour discovery ({@code ndisc_recv_ns}, {@code ndisc_recv_na}). A probe from
     * {@code ::} for an address this device has is answered with an advertisement to all
     * nodes, or, while the address is tentative here too, fails our own DAD; an advertisement
     * for an address still tentative here fails its DAD. MLD reports, probes for others'
     * addresses and router solicitations need no answer from a host.
     */
    public void receive(NetDevice dev, PacketType packetType, byte[] datagram) {
        Ipv6Packet ip;
        Icmpv6Message m;
        try {
            ip = Ipv6Packet.parse(datagram);
            if (ip.nextHeader() != IpProtocol.ICMPV6) {
                return;
            }
            m = Icmpv6Message.parse(ip.payload());
        } catch (WireFormatException e) {
            return;
        }
        if (!acceptsDestination(dev, ip.destination())) {
            notForUs(dev, packetType, datagram, ip);
            return;
        }
        if (!Icmpv6Message.checksumValid(ip.payload(), ip.source(), ip.destination())) {
            return;
        }
        if (m.type() == Icmpv6Message.NEIGHBOUR_SOLICITATION || m.type() == Icmpv6Message.NEIGHBOUR_ADVERTISEMENT) {
            if (ip.hopLimit() == HOP_LIMIT_ND && m.code() == 0 && m.body().length >= 16) {
                receiveNd(dev, ip, m);
            }
            return;
        }
        if (m.type() == Icmpv6Message.ECHO_REQUEST || m.type() == Icmpv6Message.ECHO_REPLY
                || m.type() < Icmpv6Message.ECHO_REQUEST) {
            // rawv6_rcv: every raw ICMPv6 socket its filter lets see it
            for (Icmpv6Socket s : List.copyOf(sockets)) {
                if (!s.boundElsewhere(dev)) {
                    s.deliver(m.type(), new Icmpv6Socket.Received(ip.payload(), ip.source(), ip.hopLimit(), dev,
                            ns.kernel().clock().nanos()));
                }
            }
        }
        if (m.type() == Icmpv6Message.ECHO_REQUEST && !ip.destination().isMulticast()) {
            echoReply(ip, m);
        } else if (m.type() < Icmpv6Message.ECHO_REQUEST) {
            errorToSockets(ip, m);
        }
    }

    /**
     * {@code icmpv6_send}: an error about {@code orig} back to its sender, from the address it
     * was sent to when that is ours, else the one the route back picks, quoting as much of it as
     * fits the minimum MTU. Never about an ICMPv6 error, nor to a multicast or unspecified sender.
     */
    private void icmpv6Error(byte[] datagram, Ipv6Packet orig, int type, int code) {
        Ipv6Address to = orig.source();
        if (to.isUnspecified() || to.isMulticast()) {
            return;
        }
        if (orig.nextHeader() == IpProtocol.ICMPV6 && orig.payload().length > 0
                && (orig.payload()[0] & 0xFF) < Icmpv6Message.ECHO_REQUEST) {
            return;
        }
        Ipv6Address from = localDevice(orig.destination()) != null ? orig.destination() : null;
        if (from == null) {
            try {
                Route r = Route6Lookup.output(ns, to, null).route();
                from = Route6Lookup.source(ns, r, to);
            } catch (KernelException e) {
                return;
            }
        }
        if (from == null) {
            return;
        }
        int keep = Math.min(datagram.length, Ipv6.MIN_MTU - 40 - 8);
        sendLocal(from, to, -1, new Icmpv6Message(type, code, 0, java.util.Arrays.copyOf(datagram, keep)), null);
    }

    /**
     * {@code ip6_route_input} for a unicast packet to none of our addresses: with no route, the
     * reject entry answers "no route"; with one, {@code ip6_forward} drops it unless forwarding.
     */
    private void notForUs(NetDevice dev, PacketType packetType, byte[] datagram, Ipv6Packet ip) {
        if (packetType != PacketType.HOST || ip.destination().isMulticast()) {
            return;
        }
        try {
            Route6Lookup.output(ns, ip.destination(), null);
        } catch (KernelException e) {
            if (e.errno() == Errno.ENETUNREACH) {
                icmpv6Error(datagram, ip, 1, 0);
            }
            return;
        }
        // forwarding is not modelled for IPv6: a host (forwarding 0) drops it here
    }

    /** {@code icmpv6_echo_reply}: from the address it was sent to, the same identifier, sequence and data. */
    private void echoReply(Ipv6Packet ip, Icmpv6Message request) {
        Icmpv6Message reply = new Icmpv6Message(Icmpv6Message.ECHO_REPLY, 0, request.rest(), request.body());
        sendLocal(ip.destination(), ip.source(), -1, reply, null);
    }

    /** {@code icmpv6_notify} + {@code rawv6_err}: an error about an ICMPv6 message we sent. */
    private void errorToSockets(Ipv6Packet ip, Icmpv6Message error) {
        Ipv6Packet quoted;
        try {
            quoted = Ipv6Packet.parse(error.body());
        } catch (WireFormatException | IndexOutOfBoundsException e) {
            return;
        }
        if (quoted.nextHeader() != IpProtocol.ICMPV6) {
            return;
        }
        for (Icmpv6Socket s : List.copyOf(sockets)) {
            s.deliverError(new Icmpv6Socket.ExtendedError(Icmpv6Socket.ORIGIN_ICMP6, Errno.EHOSTUNREACH,
                    error.type(), error.code(), error.rest(), ip.source(), quoted.destination(), quoted.payload(),
                    ns.kernel().clock().nanos()));
        }
    }

    /**
     * {@code ndisc_recv_ns} and {@code ndisc_recv_na}. DAD: a probe from {@code ::} for an
     * address this device has is answered with an advertisement to all nodes, or, while the
     * address is tentative here too, fails our own DAD; an advertisement for an address still
     * tentative here fails its DAD. Address resolution: a solicitation for one of our addresses
     * makes the sender's entry STALE and is answered, solicited and overriding, to the sender;
     * an advertisement updates an entry that exists (REACHABLE when solicited, else STALE).
     */
    private void receiveNd(NetDevice dev, Ipv6Packet ip, Icmpv6Message m) {
        Ipv6Address target = Ipv6Address.ofBytes(m.body(), 0);
        MacAddress lladdr = ndOption(m.body(), m.type() == Icmpv6Message.NEIGHBOUR_SOLICITATION
                ? Icmpv6Message.OPTION_SOURCE_LLADDR : Icmpv6Message.OPTION_TARGET_LLADDR);
        Inet6IfAddr ifa = null;
        for (Inet6IfAddr a : dev.ipv6().addresses()) {
            if (a.address().equals(target)) {
                ifa = a;
            }
        }
        if (m.type() == Icmpv6Message.NEIGHBOUR_ADVERTISEMENT && ifa == null) {
            Neighbour n = ndTable.lookup(target, dev);
            if (n == null || lladdr == null && n.lladdr() == null) {
                return;
            }
            boolean solicited = (m.rest() & NA_SOLICITED) != 0;
            boolean router = (m.rest() & NA_ROUTER) != 0;
            try {
                ndTable.update(n, lladdr != null ? lladdr : n.lladdr(), solicited ? NudState.REACHABLE : NudState.STALE,
                        NeighbourTable.UPDATE_WEAK_OVERRIDE
                                | ((m.rest() & NA_OVERRIDE) != 0 ? NeighbourTable.UPDATE_OVERRIDE : 0)
                                | NeighbourTable.UPDATE_OVERRIDE_ISROUTER
                                | (router ? NeighbourTable.UPDATE_ISROUTER : 0));
            } catch (KernelException e) {
                // a PERMANENT or NOARP entry stays as it is
            }
            return;
        }
        if (ifa == null) {
            return;
        }
        boolean tentative = (ifa.flags() & (AddressFlags.TENTATIVE
                | AddressFlags.OPTIMISTIC)) != 0;
        if (m.type() == Icmpv6Message.NEIGHBOUR_SOLICITATION) {
            if (!ip.source().isUnspecified()) {
                if (tentative) {
                    return;
                }
                // the sender's entry: made only when it can be of use (a unicast probe, or a lladdr)
                boolean inc = ip.destination().isMulticast();
                Neighbour n = null;
                if (lladdr != null) {
                    n = ndTable.eventSolicitation(ip.source(), lladdr, dev);
                } else if (!inc) {
                    n = ndTable.lookupOrCreate(ip.source(), dev);
                }
                if (n != null) {
                    // overriding, with our link-layer address, only when asked by multicast
                    sendNeighbourAdvert(dev, ifa, ip.source(), true, inc, inc);
                }
                return;
            }
            if (tentative) {
                ns.ipv6().dadFailure(ifa); // colliding with another node doing DAD
                return;
            }
            sendNeighbourAdvert(dev, ifa, ALL_NODES, false, true, true);
        } else if ((ifa.flags() & AddressFlags.TENTATIVE) != 0) {
            ns.ipv6().dadFailure(ifa);
        }
    }

    /** The link-layer address an ND option of this type carries, or {@code null}. */
    private static MacAddress ndOption(byte[] body, int type) {
        int at = 16;
        while (at + 8 <= body.length) {
            int len = (body[at + 1] & 0xFF) * 8;
            if (len == 0) {
                return null;
            }
            if ((body[at] & 0xFF) == type && len >= 8) {
                long v = 0;
                for (int i = 0; i < 6; i++) {
                    v = v << 8 | (body[at + 2 + i] & 0xFF);
                }
                return new MacAddress(v);
            }
            at += len;
        }
        return null;
    }

    private static boolean ifaddrOn(NetDevice dev, Ipv6Address a) {
        for (Inet6IfAddr x : dev.ipv6().addresses()) {
            if (x.address().equals(a)) {
                return true;
            }
        }
        return false;
    }

    /** {@code ip6_mc_input}'s check: a multicast destination the device has joined, or one of its addresses. */
    private boolean acceptsDestination(NetDevice dev, Ipv6Address destination) {
        if (destination.isMulticast()) {
            for (MulticastLists.Membership g : ns.multicast().ipv6Groups(dev)) {
                if (g.group().equals(destination)) {
                    return true;
                }
            }
            return false;
        }
        return localDevice(destination) != null;
    }

    /** The device that has {@code address}, or {@code null}. */
    NetDevice localDevice(Ipv6Address address) {
        for (NetDevice d : ns.devices()) {
            if (!d.ipv6().isPresent()) {
                continue;
            }
            for (Inet6IfAddr a : d.ipv6().addresses()) {
                if (a.address().equals(address)) {
                    return d;
                }
            }
        }
        return null;
    }

    /** {@code NA}'s flags: router, solicited, override. */
    private static final int NA_ROUTER = 0x8000_0000;
    private static final int NA_SOLICITED = 0x4000_0000;
    private static final int NA_OVERRIDE = 0x2000_0000;
    private static final Ipv6Address ALL_NODES = Ipv6Address.parse("ff02::1");

    /**
     * {@code ndisc_send_na}: from the address itself, overriding unless the address is
     * optimistic, with our link-layer address; to all nodes for a DAD probe, else solicited
     * to the one who asked.
     */
    private void sendNeighbourAdvert(NetDevice dev, Inet6IfAddr ifa, Ipv6Address to, boolean solicited,
                                     boolean override, boolean withLladdr) {
        int flags = (intConf(dev, "forwarding") != 0 ? NA_ROUTER : 0)
                | (solicited ? NA_SOLICITED : 0)
                | (override && (ifa.flags() & AddressFlags.OPTIMISTIC) == 0 ? NA_OVERRIDE : 0);
        byte[] body = new byte[withLladdr ? 16 + 8 : 16];
        ifa.address().writeTo(body, 0);
        if (withLladdr) {
            body[16] = (byte) Icmpv6Message.OPTION_TARGET_LLADDR;
            body[17] = 1;
            byte[] mac = new byte[6];
            dev.address().writeTo(mac, 0);
            System.arraycopy(mac, 0, body, 18, 6);
        }
        Icmpv6Message na = new Icmpv6Message(Icmpv6Message.NEIGHBOUR_ADVERTISEMENT, 0, flags, body);
        if (to.isMulticast()) {
            send(dev, ifa.address(), to, HOP_LIMIT_ND, IpProtocol.ICMPV6, na.encode(ifa.address(), to));
        } else {
            sendUnicast(dev, ifa.address(), to, to, HOP_LIMIT_ND, na.encode(ifa.address(), to));
        }
    }

    /** {@code ndisc_send_ns}: who has {@code target}, with our link-layer address unless from {@code ::}. */
    private void sendNeighbourSolicitation(NetDevice dev, Ipv6Address target, Ipv6Address to, Ipv6Address source) {
        byte[] body = new byte[source.isUnspecified() ? 16 : 16 + 8];
        target.writeTo(body, 0);
        if (!source.isUnspecified()) {
            body[16] = (byte) Icmpv6Message.OPTION_SOURCE_LLADDR;
            body[17] = 1;
            byte[] mac = new byte[6];
            dev.address().writeTo(mac, 0);
            System.arraycopy(mac, 0, body, 18, 6);
        }
        Icmpv6Message nsol = new Icmpv6Message(Icmpv6Message.NEIGHBOUR_SOLICITATION, 0, 0, body);
        if (to.isMulticast()) {
            send(dev, source, to, HOP_LIMIT_ND, IpProtocol.ICMPV6, nsol.encode(source, to));
        } else {
            sendUnicast(dev, source, to, to, HOP_LIMIT_ND, nsol.encode(source, to));
        }
    }

    // ------------------------------------------------------------------ unicast output and sockets

    private final List<Icmpv6Socket> sockets = new ArrayList<>();

    /** {@code socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6)}. */
    public Icmpv6Socket openRawIcmpSocket() {
        Icmpv6Socket s = new Icmpv6Socket(ns, this);
        sockets.add(s);
        return s;
    }

    void closeSocket(Icmpv6Socket s) {
        sockets.remove(s);
    }

    /** A socket's ICMPv6 message (checksum left to us) along the route it looked up. */
    void sendIcmp(Ipv6Address source, Ipv6Address destination, int hopLimit, byte[] icmp, Route route,
                  NetDevice oif) {
        Icmpv6Message m = Icmpv6Message.parse(icmp);
        output(source, destination, hopLimit, m.encode(source, destination), route);
    }

    /** The kernel's own ICMPv6 message (an echo reply, an error): routed, then sent. */
    private void sendLocal(Ipv6Address source, Ipv6Address destination, int hopLimit, Icmpv6Message m, NetDevice oif) {
        Route route;
        try {
            route = Route6Lookup.output(ns, destination, oif).route();
        } catch (KernelException e) {
            return;
        }
        output(source, destination, hopLimit, m.encode(source, destination), route);
    }

    /**
     * {@code ip6_output} and {@code ip6_finish_output2}: a local destination goes round through
     * loopback; otherwise to the gateway or the destination itself, through the neighbour cache.
     * The hop limit, unless the socket set one, is the outgoing device's {@code hop_limit}.
     */
    private void output(Ipv6Address source, Ipv6Address destination, int hopLimit, byte[] icmp, Route route) {
        NetDevice dev = route.type() == RouteType.LOCAL ? ns.loopback() : route.device();
        if (dev == null || !dev.isUp()) {
            return;
        }
        if (hopLimit < 0) {
            hopLimit = destination.isMulticast() ? 1 : intConf(dev, "hop_limit");
        }
        if (destination.isMulticast()) {
            send(dev, source, destination, hopLimit, IpProtocol.ICMPV6, icmp);
            return;
        }
        Ipv6Address nextHop = route.gateway() instanceof Ipv6Address gw && !gw.isUnspecified() ? gw : destination;
        sendUnicast(dev, source, destination, nextHop, hopLimit, icmp);
    }

    private void sendUnicast(NetDevice dev, Ipv6Address source, Ipv6Address destination, Ipv6Address nextHop,
                             int hopLimit, byte[] icmp) {
        byte[] datagram = new Ipv6Packet(0, 0, IpProtocol.ICMPV6, hopLimit, source, destination, icmp).encode();
        Neighbour n = ndTable.lookupOrCreate(nextHop, dev);
        ndTable.output(n, new Datagram(datagram));
    }

    /** An IPv6 datagram on its way out through a neighbour; no route travels with it. */
    private static final class Datagram implements Outbound {
        private final byte[] datagram;

        Datagram(byte[] datagram) {
            this.datagram = datagram;
        }

        @Override
        public byte[] datagram() {
            return datagram;
        }

        @Override
        public int etherType() {
            return EtherType.IPV6;
        }

        @Override
        public Object route() {
            return null;
        }
    }

    /**
     * {@code addrconf_ifdown}, however it came (the device down or away, {@code disable_ipv6},
     * an mtu below 1280): the groups are left, the MLD and RS timers stop and the device's
     * neighbour entries go; IPv6 coming back starts afresh.
     */
    @Override
    public void down(NetDevice dev) {
        var idev = dev.ipv6();
        if (idev.mldState() instanceof DeviceState st) {
            idev.setMldState(null);
            for (VirtualClock.Timer t : new VirtualClock.Timer[] {st.changeTimer, st.dadReportTimer, st.rsTimer}) {
                if (t != null) {
                    t.cancel();
                }
            }
        }
        ndTable.flushDevice(dev, false);
    }

    /** Neighbours go when a device loses carrier or changes its address (going down: {@link #down}). */
    public void onNetdevEvent(NetdevEvent event, NetDevice dev) {
        switch (event) {
            case CHANGE -> {
                if (!dev.hasCarrier()) {
                    ndTable.flushDevice(dev, true);
                }
            }
            case CHANGEADDR -> ndTable.changeAddress(dev);
            default -> {
            }
        }
    }

    // ------------------------------------------------------------------ neighbour discovery protocol

    /** The ND side of the IPv6 neighbour cache ({@code ndisc_constructor}, {@code ndisc_hash}). */
    private final class Ndisc implements NeighbourProtocol {

        @Override
        public IpAddress storedKey(IpAddress key, NetDevice dev) {
            return key;
        }

        @Override
        public void construct(Neighbour n) {
            Ipv6Address addr = (Ipv6Address) n.key();
            NetDevice dev = n.device();
            if (addr.isMulticast()) {
                n.initialise(NudState.NOARP, multicastMac(addr), RouteType.MULTICAST.number());
            } else if ((dev.rawFlags() & (DeviceFlags.NOARP | DeviceFlags.LOOPBACK)) != 0) {
                n.initialise(NudState.NOARP, dev.address(),
                        dev.isLoopback() ? RouteType.LOCAL.number() : RouteType.UNICAST.number());
            } else {
                n.initialise(NudState.NONE, null, RouteType.UNICAST.number());
            }
        }

        /** {@code ipv6_eth_mc_map}: 33:33 and the low 32 bits of the group. */
        private MacAddress multicastMac(Ipv6Address group) {
            return new MacAddress(0x3333_0000_0000L | (group.low() & 0xFFFF_FFFFL));
        }

        @Override
        public void solicit(Neighbour neighbour, Outbound lastQueued) {
            NetDevice dev = neighbour.device();
            Ipv6Address target = (Ipv6Address) neighbour.key();
            Ipv6Address saddr = null;
            if (lastQueued != null) {
                try {
                    Ipv6Address s = Ipv6Packet.parse(lastQueued.datagram()).source();
                    if (ifaddrOn(dev, s)) {
                        saddr = s;
                    }
                } catch (WireFormatException e) {
                    // no usable source in it
                }
            }
            if (saddr == null) {
                // ndisc_send_ns without a source: the device's link-local address, or nothing sent
                saddr = linkLocal(dev);
                if (saddr.isUnspecified()) {
                    return;
                }
            }
            int unicastLeft = neighbour.probes() - ndTable.parms(dev).unicastProbes();
            if (unicastLeft < 0) {
                sendNeighbourSolicitation(dev, target, target, saddr);
            } else if (unicastLeft - ndTable.parms(dev).applicationProbes() < 0) {
                return; // neigh_app_ns: a user-space daemon would ask
            } else {
                sendNeighbourSolicitation(dev, target, target.solicitedNode(), saddr);
            }
        }

        /** {@code ndisc_error_report}: "address unreachable" back to the packet's sender. */
        @Override
        public void errorReport(Neighbour neighbour, Outbound packet) {
            Ipv6Packet ip;
            try {
                ip = Ipv6Packet.parse(packet.datagram());
            } catch (WireFormatException e) {
                return;
            }
            icmpv6Error(packet.datagram(), ip, 1, 3);
        }

        /** {@code ndisc_hashfn}: the four words of the address, each times its own random. */
        @Override
        public int hash(IpAddress key, NetDevice dev, int[] hashRandom) {
            Ipv6Address a = (Ipv6Address) key;
            int w0 = (int) (a.high() >>> 32);
            int w1 = (int) a.high();
            int w2 = (int) (a.low() >>> 32);
            int w3 = (int) a.low();
            return w0 * hashRandom[0] + w1 * hashRandom[1] + w2 * hashRandom[2] + w3 * hashRandom[3];
        }

        @Override
        public String parmsPrefix(NetDevice dev) {
            return "net/ipv6/neigh/" + dev.name() + "/";
        }
    }
}
