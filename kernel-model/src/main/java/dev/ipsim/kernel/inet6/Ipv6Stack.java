package dev.ipsim.kernel.inet6;

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
        ndTable.output(n, new Outbound() {
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
        });
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
            if (ip.nextHeader() != IpProtocol.ICMPV6 || ip.hopLimit() != HOP_LIMIT_ND) {
                return;
            }
            m = Icmpv6Message.parse(ip.payload());
        } catch (WireFormatException e) {
            return;
        }
        if ((m.type() != Icmpv6Message.NEIGHBOUR_SOLICITATION && m.type() != Icmpv6Message.NEIGHBOUR_ADVERTISEMENT)
                || m.code() != 0 || m.body().length < 16 || !acceptsDestination(dev, ip.destination())) {
            return;
        }
        Ipv6Address target = Ipv6Address.ofBytes(m.body(), 0);
        Inet6IfAddr ifa = null;
        for (Inet6IfAddr a : dev.ipv6().addresses()) {
            if (a.address().equals(target)) {
                ifa = a;
            }
        }
        if (ifa == null) {
            return;
        }
        boolean tentative = (ifa.flags() & (AddressFlags.TENTATIVE
                | AddressFlags.OPTIMISTIC)) != 0;
        if (m.type() == Icmpv6Message.NEIGHBOUR_SOLICITATION) {
            if (!ip.source().isUnspecified()) {
                return; // address resolution: no IPv6 traffic is simulated that would need it
            }
            if (tentative) {
                ns.ipv6().dadFailure(ifa); // colliding with another node doing DAD
                return;
            }
            sendNeighbourAdvert(dev, ifa);
        } else if ((ifa.flags() & AddressFlags.TENTATIVE) != 0) {
            ns.ipv6().dadFailure(ifa);
        }
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
        for (Inet6IfAddr a : dev.ipv6().addresses()) {
            if (a.address().equals(destination)) {
                return true;
            }
        }
        return false;
    }

    /** {@code NA}'s flags: router, solicited, override. */
    private static final int NA_ROUTER = 0x8000_0000;
    private static final int NA_OVERRIDE = 0x2000_0000;

    /**
     * {@code ndisc_send_na} for a DAD probe: to all nodes, from the address itself, not
     * solicited, overriding unless the address is optimistic, with our link-layer address.
     */
    private void sendNeighbourAdvert(NetDevice dev, Inet6IfAddr ifa) {
        int flags = (intConf(dev, "forwarding") != 0 ? NA_ROUTER : 0)
                | ((ifa.flags() & AddressFlags.OPTIMISTIC) == 0 ? NA_OVERRIDE : 0);
        byte[] body = new byte[16 + 8];
        ifa.address().writeTo(body, 0);
        body[16] = (byte) Icmpv6Message.OPTION_TARGET_LLADDR;
        body[17] = 1;
        byte[] mac = new byte[6];
        dev.address().writeTo(mac, 0);
        System.arraycopy(mac, 0, body, 18, 6);
        Icmpv6Message na = new Icmpv6Message(Icmpv6Message.NEIGHBOUR_ADVERTISEMENT, 0, flags, body);
        Ipv6Address allNodes = Ipv6Address.parse("ff02::1");
        send(dev, ifa.address(), allNodes, HOP_LIMIT_ND, IpProtocol.ICMPV6, na.encode(ifa.address(), allNodes));
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
            // unicast IPv6 resolution is not modelled: nothing sends unicast IPv6 yet
        }

        @Override
        public void errorReport(Neighbour neighbour, Outbound packet) {
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
