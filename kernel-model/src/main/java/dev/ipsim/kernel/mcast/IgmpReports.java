package dev.ipsim.kernel.mcast;

import dev.ipsim.kernel.NetNamespace;
import dev.ipsim.kernel.Scope;
import dev.ipsim.kernel.addr.Ipv4Address;
import dev.ipsim.kernel.addr.MacAddress;
import dev.ipsim.kernel.ipv4.InetIfAddr;
import dev.ipsim.kernel.link.NetDevice;
import dev.ipsim.kernel.time.Jiffies;
import dev.ipsim.kernel.time.VirtualClock;
import dev.ipsim.kernel.wire.Checksum;
import dev.ipsim.kernel.wire.EtherType;
import dev.ipsim.kernel.wire.EthernetFrame;
import dev.ipsim.kernel.wire.IpProtocol;
import dev.ipsim.kernel.wire.Ipv4Packet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * IGMPv3 state-change reports ({@code net/ipv4/igmp.c}): a group joined on a device that is up
 * (all-hosts excepted) is announced to 224.0.0.22 {@code igmp_qrv} (2) times, the first a couple
 * of jiffies after the join, the next within {@code igmpv3_unsolicited_report_interval} (1 s).
 * No host in the model joins groups but a bridge (the multicast snoopers' 224.0.0.106), so this
 * is all of IGMP there is here: no queries, no leaves on a device going down.
 */
final class IgmpReports {

    /** {@code IGMPV3_ALL_MCR}. */
    private static final Ipv4Address ALL_MCR = Ipv4Address.parse("224.0.0.22");
    private static final Ipv4Address ALL_HOSTS = Ipv4Address.parse("224.0.0.1");
    /** {@code sysctl_igmp_qrv}. */
    private static final int QRV = 2;
    /** {@code IGMPV3_UNSOLICITED_REPORT_INTERVAL}: 1 s. */
    private static final long UNSOLICITED_INTERVAL = Jiffies.HZ;
    private static final int IGMPV3_HOST_MEMBERSHIP_REPORT = 0x22;
    private static final int IGMPV3_CHANGE_TO_EXCLUDE = 4;

    private static final class DeviceState {
        /** {@code im->crcount} per group, in join order. */
        final SmallCounts<Ipv4Address> pending = new SmallCounts<>();
        int ifcCount;
        VirtualClock.Timer timer;
    }

    private final NetNamespace ns;
    private final Map<NetDevice, DeviceState> devices = new IdentityHashMap<>();
    private SplittableRandom random;

    IgmpReports(NetNamespace ns) {
        this.ns = ns;
    }

    private SplittableRandom random() {
        if (random == null) {
            // a stream of its own, so that joining groups never shifts the packet path's others
            random = new SplittableRandom(ns.inode() * 0x9E37_79B9_7F4A_7C15L);
        }
        return random;
    }

    /** {@code igmp_group_added} in v3 mode: the group's change is to be reported, starting now. */
    void groupAdded(NetDevice dev, Ipv4Address group) {
        if (group.equals(ALL_HOSTS) || !dev.isRegistered()) {
            return;
        }
        DeviceState st = devices.computeIfAbsent(dev, d -> new DeviceState());
        st.pending.put(group, QRV);
        // igmp_ifc_event
        st.ifcCount = QRV;
        start(dev, st, 1);
    }

    /** {@code ip_mc_down}: the report timer stops. */
    void stop(NetDevice dev) {
        DeviceState st = devices.remove(dev);
        if (st != null && st.timer != null) {
            st.timer.cancel();
        }
    }

    /** {@code igmp_ifc_start_timer}. */
    private void start(NetDevice dev, DeviceState st, long maxDelay) {
        long now = Jiffies.now(ns.kernel().clock());
        long expires = now + random().nextLong(Math.max(1, maxDelay)) + 2;
        if (st.timer != null && st.timer.pending()) {
            return; // mod_timer leaves a pending timer be
        }
        st.timer = Jiffies.schedule(ns.kernel().clock(), expires, () -> expire(dev, st));
    }

    /** {@code igmp_ifc_timer_expire}: one report, and another round while the count lasts. */
    private void expire(NetDevice dev, DeviceState st) {
        st.timer = null;
        sendChangeReport(dev, st);
        if (st.ifcCount > 0) {
            st.ifcCount--;
            start(dev, st, UNSOLICITED_INTERVAL);
        }
    }

    /** {@code igmpv3_send_cr}: every group with changes left to tell, in one report. */
    private void sendChangeReport(NetDevice dev, DeviceState st) {
        List<Ipv4Address> groups = st.pending.countDown();
        if (groups.isEmpty() || !dev.isUp()) {
            return;
        }
        byte[] igmp = new byte[8 + 8 * groups.size()];
        igmp[0] = (byte) IGMPV3_HOST_MEMBERSHIP_REPORT;
        igmp[6] = (byte) (groups.size() >> 8);
        igmp[7] = (byte) groups.size();
        for (int i = 0; i < groups.size(); i++) {
            int at = 8 + 8 * i;
            igmp[at] = (byte) IGMPV3_CHANGE_TO_EXCLUDE;
            groups.get(i).writeTo(igmp, at + 4);
        }
        int sum = Checksum.of(igmp, 0, igmp.length);
        igmp[2] = (byte) (sum >> 8);
        igmp[3] = (byte) sum;
        // Router Alert, DF, TTL 1, TOS 0xc0, identification 0 (DF without a socket)
        byte[] routerAlert = {(byte) 0x94, 0x04, 0x00, 0x00};
        Ipv4Packet ip = new Ipv4Packet(0xc0, 0, Ipv4Packet.FLAG_DONT_FRAGMENT, 0, 1, IpProtocol.IGMP, 0,
                source(dev), ALL_MCR, routerAlert, igmp);
        MacAddress to = MulticastLists.mac(ALL_MCR);
        byte[] frame = new EthernetFrame(to, dev.address(), EtherType.IPV4, ip.encode()).encode();
        ns.kernel().packets().transmit(dev, frame);
    }

    /** {@code inet_select_addr(dev, 0, RT_SCOPE_LINK)}: the first primary address, or 0.0.0.0. */
    private static Ipv4Address source(NetDevice dev) {
        for (InetIfAddr ifa : dev.ipv4().addresses()) {
            if (!ifa.isSecondary() && ifa.scope() <= Scope.LINK) {
                return ifa.local();
            }
        }
        return Ipv4Address.ANY;
    }
}
