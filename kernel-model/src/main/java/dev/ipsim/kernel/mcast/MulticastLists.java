package dev.ipsim.kernel.mcast;

import dev.ipsim.kernel.NetNamespace;
import dev.ipsim.kernel.NetdevEvent;
import dev.ipsim.kernel.NetdevListener;
import dev.ipsim.kernel.addr.Ipv4Address;
import dev.ipsim.kernel.addr.Ipv6Address;
import dev.ipsim.kernel.addr.MacAddress;
import dev.ipsim.kernel.ipv6.Inet6IfAddr;
import dev.ipsim.kernel.ipv6.Ipv6;
import dev.ipsim.kernel.link.NetDevice;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The multicast groups of a namespace's devices and the link-layer addresses they put on each
 * device's list ({@code dev_mc_add}), which {@code bridge fdb show} prints as {@code self
 * permanent} entries.
 *
 * <p>IPv6 ({@code ipv6_add_dev}) joins the all-nodes groups as the device registers, and a
 * solicited-node group for each address whose DAD begins; its groups leave the device's list
 * when it goes down ({@code ipv6_mc_down}) and come back when its link is ready again
 * ({@code ipv6_mc_up}). IPv4 joins all-hosts (224.0.0.1) while the device is up
 * ({@code ip_mc_up}/{@code ip_mc_down}). A bridge joins the multicast snoopers' groups while it
 * is up. The link-layer address of a group is the usual mapping (33:33 + the low 32 bits for
 * IPv6, 01:00:5e + the low 23 bits for IPv4), on Ethernet devices only.
 */
public final class MulticastLists implements NetdevListener, Ipv6.DadListener {

    /**
     * {@code in6addr_linklocal_allnodes}. ({@code ipv6_add_dev} joins the interface-local
     * all-nodes group too, but a group of narrower than link scope never reaches the device's
     * list.)
     */
    private static final Ipv6Address LINK_LOCAL_ALL_NODES = Ipv6Address.parse("ff02::1");
    /** {@code IGMP_ALL_HOSTS}. */
    private static final Ipv4Address ALL_HOSTS = Ipv4Address.parse("224.0.0.1");

    /** One device's groups: each with its reference count and whether it is on the device's list. */
    private static final class Groups {
        // a device has a handful of groups: small tables (insertion order does not depend on it)
        final Map<Object, int[]> v4 = new LinkedHashMap<>(4);
        final Map<Object, int[]> v6 = new LinkedHashMap<>(4);
        final Map<Object, Boolean> loaded = new java.util.HashMap<>(8);
    }

    private final Map<NetDevice, Groups> devices = new IdentityHashMap<>();
    private final IgmpReports igmp;

    public MulticastLists(NetNamespace ns) {
        ns.ipv6().addDadListener(this);
        this.igmp = new IgmpReports(ns);
    }

    private Groups groups(NetDevice dev) {
        return devices.computeIfAbsent(dev, d -> new Groups());
    }

    private static boolean mapsToEthernet(NetDevice dev) {
        return dev.hardwareType() == NetDevice.ARPHRD_ETHER;
    }

    static MacAddress mac(Object group) {
        if (group instanceof Ipv6Address a) {
            byte[] b = new byte[16];
            a.writeTo(b, 0);
            return MacAddress.ofBytes(new byte[] {0x33, 0x33, b[12], b[13], b[14], b[15]}, 0);
        }
        byte[] b = new byte[4];
        ((Ipv4Address) group).writeTo(b, 0);
        return MacAddress.ofBytes(new byte[] {0x01, 0x00, 0x5e, (byte) (b[1] & 0x7f), b[2], b[3]}, 0);
    }

    private void load(NetDevice dev, Groups g, Object group) {
        if (!Boolean.TRUE.equals(g.loaded.get(group))) {
            g.loaded.put(group, true);
            if (mapsToEthernet(dev)) {
                dev.addMulticast(mac(group));
            }
        }
    }

    private void unload(NetDevice dev, Groups g, Object group) {
        if (Boolean.TRUE.equals(g.loaded.remove(group)) && mapsToEthernet(dev)) {
            dev.deleteMulticast(mac(group));
        }
    }

    /**
     * {@code ip_mc_inc_group}: joins an IPv4 group; on the device's list at once, and announced
     * in IGMPv3 reports ({@code igmp_group_added}).
     */
    public void joinIpv4(NetDevice dev, Ipv4Address group) {
        Groups g = groups(dev);
        int[] refs = g.v4.computeIfAbsent(group, k -> new int[1]);
        if (refs[0]++ == 0) {
            load(dev, g, group);
            igmp.groupAdded(dev, group);
        }
    }

    /** {@code ip_mc_dec_group}. */
    public void leaveIpv4(NetDevice dev, Ipv4Address group) {
        leave(dev, groups(dev).v4, group);
    }

    /** {@code ipv6_dev_mc_inc}. */
    public void joinIpv6(NetDevice dev, Ipv6Address group) {
        Groups g = groups(dev);
        int[] refs = g.v6.computeIfAbsent(group, k -> new int[1]);
        if (refs[0]++ == 0) {
            load(dev, g, group);
        }
    }

    /** {@code ipv6_dev_mc_dec}. */
    public void leaveIpv6(NetDevice dev, Ipv6Address group) {
        leave(dev, groups(dev).v6, group);
    }

    private void leave(NetDevice dev, Map<Object, int[]> family, Object group) {
        int[] refs = family.get(group);
        if (refs == null) {
            return;
        }
        if (--refs[0] <= 0) {
            family.remove(group);
            unload(dev, groups(dev), group);
        }
    }

    @Override
    public void onNetdevEvent(NetdevEvent event, NetDevice dev) {
        switch (event) {
            case REGISTER -> {
                if (dev.mtu() >= Ipv6.MIN_MTU) {
                    joinIpv6(dev, LINK_LOCAL_ALL_NODES);
                }
            }
            case UP -> {
                // ip_mc_up: the groups joined meanwhile, and all-hosts
                Groups g = groups(dev);
                for (Object group : List.copyOf(g.v4.keySet())) {
                    load(dev, g, group);
                    igmp.groupAdded(dev, (Ipv4Address) group);
                }
                joinIpv4(dev, ALL_HOSTS);
            }
            case DOWN -> {
                // ip_mc_down
                igmp.stop(dev);
                Groups g = groups(dev);
                for (Object group : List.copyOf(g.v4.keySet())) {
                    unload(dev, g, group);
                }
                leaveIpv4(dev, ALL_HOSTS);
            }
            case UNREGISTER -> {
                igmp.stop(dev);
                devices.remove(dev);
                for (MacAddress m : dev.multicastAddresses()) {
                    while (dev.multicastAddresses().contains(m)) {
                        dev.deleteMulticast(m);
                    }
                }
            }
            default -> {
            }
        }
    }

    // ------------------------------------------------------------------ IPv6's events

    @Override
    public void ready(NetDevice dev) {
        Groups g = groups(dev);
        for (Object group : List.copyOf(g.v6.keySet())) {
            load(dev, g, group);
        }
    }

    @Override
    public void added(Inet6IfAddr address) {
        if (address.device().ipv6().isReady()) {
            joinSolicited(address);
        }
    }

    @Override
    public void probe(Inet6IfAddr address) {
        joinSolicited(address);
    }

    @Override
    public void completed(Inet6IfAddr address) {
        joinSolicited(address);
    }

    /** {@code ipv6_del_addr}: {@code addrconf_leave_solict}. */
    @Override
    public void removed(Inet6IfAddr address) {
        List<Inet6IfAddr> joined = solicitedJoined.get(address.device());
        if (joined != null && joined.removeIf(a -> a == address)) {
            if (joined.isEmpty()) {
                solicitedJoined.remove(address.device());
            }
            leaveIpv6(address.device(), address.address().solicitedNode());
        }
    }

    /** Per device, the addresses whose solicited-node group it joined. */
    private final Map<NetDevice, List<Inet6IfAddr>> solicitedJoined = new IdentityHashMap<>();

    /** {@code addrconf_join_solict}, once per address, when its DAD begins. */
    private void joinSolicited(Inet6IfAddr address) {
        List<Inet6IfAddr> joined = solicitedJoined.computeIfAbsent(address.device(), d -> new ArrayList<>(2));
        if (joined.stream().noneMatch(a -> a == address)) {
            joined.add(address);
            joinIpv6(address.device(), address.address().solicitedNode());
        }
    }

    /**
     * {@code addrconf_ifdown}: the device's addresses go (their solicited-node groups with
     * them) and {@code ipv6_mc_down} takes the rest off the device's list.
     */
    @Override
    public void down(NetDevice dev) {
        List<Inet6IfAddr> joined = solicitedJoined.remove(dev);
        if (joined != null) {
            for (Inet6IfAddr a : joined) {
                leaveIpv6(dev, a.address().solicitedNode());
            }
        }
        Groups g = groups(dev);
        for (Object group : List.copyOf(g.v6.keySet())) {
            unload(dev, g, group);
        }
    }
}
