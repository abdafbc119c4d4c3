package dev.ipsim.kernel.mcast;

import dev.ipsim.kernel.CompactList;
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

    /** {@code in6addr_linklocal_allnodes}. */
    private static final Ipv6Address LINK_LOCAL_ALL_NODES = Ipv6Address.parse("ff02::1");
    /**
     * {@code in6addr_interfacelocal_allnodes}: joined first; a group narrower than link scope
     * is never loaded onto the device's list ({@code igmp6_group_added}).
     */
    private static final Ipv6Address INTERFACE_LOCAL_ALL_NODES = Ipv6Address.parse("ff01::1");
    /** {@code IGMP_ALL_HOSTS}. */
    private static final Ipv4Address ALL_HOSTS = Ipv4Address.parse("224.0.0.1");

    /** One device's groups: each with its reference count and whether it is on the device's list. */
    private static final class Groups {
        final GroupList v4 = new GroupList();
        final GroupList v6 = new GroupList();
    }

    /**
     * One family's groups in the order they were joined (a group that leaves and joins again
     * goes last), each with its reference count and its "on the device's list" bit: a device
     * has a handful, so two small arrays searched in turn, not a map of boxed counts (a map
     * and its entries cost some 300 bytes a device more).
     */
    private static final class GroupList {
        private static final int LOADED = 1 << 30;
        private static final int REFS = LOADED - 1;
        // room made one group at a time while small: most lists hold one to three groups
        private Object[] groups = new Object[1];
        /** The reference count, with {@link #LOADED}. */
        private int[] state = new int[1];
        private int size;

        private int indexOf(Object group) {
            for (int i = 0; i < size; i++) {
                if (groups[i].equals(group)) {
                    return i;
                }
            }
            return -1;
        }

        /** Adds a reference; returns the count before. */
        int join(Object group) {
            int i = indexOf(group);
            if (i < 0) {
                if (size == groups.length) {
                    int capacity = size < 4 ? size + 1 : size * 2;
                    groups = java.util.Arrays.copyOf(groups, capacity);
                    state = java.util.Arrays.copyOf(state, capacity);
                }
                i = size++;
                groups[i] = group;
                state[i] = 0;
            }
            return state[i]++ & REFS;
        }

        /** Drops a reference; returns whether the group went (its last one), or -1 if not joined. */
        int leave(Object group) {
            int i = indexOf(group);
            if (i < 0) {
                return -1;
            }
            int refs = (state[i] & REFS) - 1;
            if (refs > 0) {
                state[i]--;
                return 0;
            }
            System.arraycopy(groups, i + 1, groups, i, size - i - 1);
            System.arraycopy(state, i + 1, state, i, size - i - 1);
            groups[--size] = null;
            return 1;
        }

        /** Sets the group's list bit; returns whether it was clear. */
        boolean load(Object group) {
            int i = indexOf(group);
            if (i < 0 || (state[i] & LOADED) != 0) {
                return false;
            }
            state[i] |= LOADED;
            return true;
        }

        /** Clears the group's list bit; returns whether it was set. */
        boolean unload(Object group) {
            int i = indexOf(group);
            if (i < 0 || (state[i] & LOADED) == 0) {
                return false;
            }
            state[i] &= ~LOADED;
            return true;
        }

        /** When the group holds its last reference: clears its list bit and returns whether it was set. */
        boolean unloadIfLast(Object group) {
            int i = indexOf(group);
            if (i < 0 || (state[i] & REFS) > 1) {
                return false;
            }
            boolean was = (state[i] & LOADED) != 0;
            state[i] &= ~LOADED;
            return was;
        }

        /** The groups, in joining order (a copy). */
        List<Object> all() {
            return List.of(java.util.Arrays.copyOf(groups, size));
        }
    }

    private final Map<NetDevice, Groups> devices = new IdentityHashMap<>();
    private final IgmpReports igmp;

    public MulticastLists(NetNamespace ns) {
        ns.ipv6().addDadListener(this);
        this.igmp = new IgmpReports(ns);
    }

    private Groups groups(NetDevice dev) {
        Groups g = devices.get(dev);
        if (g == null) {
            g = new Groups();
            devices.put(dev, g);
        }
        return g;
    }

    private static boolean mapsToEthernet(NetDevice dev) {
        return dev.hardwareType() == NetDevice.ARPHRD_ETHER;
    }

    static MacAddress mac(Object group) {
        MacAddress mac;
        if (group instanceof Ipv6Address a) {
            byte[] b = new byte[16];
            a.writeTo(b, 0);
            mac = MacAddress.ofBytes(new byte[] {0x33, 0x33, b[12], b[13], b[14], b[15]}, 0);
        } else {
            byte[] b = new byte[4];
            ((Ipv4Address) group).writeTo(b, 0);
            mac = MacAddress.ofBytes(new byte[] {0x01, 0x00, 0x5e, (byte) (b[1] & 0x7f), b[2], b[3]}, 0);
        }
        // the all-nodes and all-hosts groups every device joins: one object each, not one a device
        if (mac.equals(ALL_NODES_MAC)) {
            return ALL_NODES_MAC;
        }
        return mac.equals(ALL_HOSTS_MAC) ? ALL_HOSTS_MAC : mac;
    }

    /** {@code IPV6_ADDR_MC_SCOPE(a) < IPV6_ADDR_SCOPE_LINKLOCAL}: interface-local (or reserved) scope. */
    private static boolean belowLinkScope(Object group) {
        if (!(group instanceof Ipv6Address a)) {
            return false;
        }
        byte[] b = new byte[16];
        a.writeTo(b, 0);
        return (b[1] & 0x0f) < 2;
    }

    private static final MacAddress ALL_NODES_MAC = MacAddress.parse("33:33:00:00:00:01");
    private static final MacAddress ALL_HOSTS_MAC = MacAddress.parse("01:00:5e:00:00:01");

    private void load(NetDevice dev, GroupList family, Object group) {
        if (belowLinkScope(group)) {
            return;
        }
        if (family.load(group) && mapsToEthernet(dev)) {
            dev.addMulticast(mac(group));
        }
    }

    /** Takes a group off the device's list. */
    private void unload(NetDevice dev, GroupList family, Object group) {
        if (family.unload(group) && mapsToEthernet(dev)) {
            dev.deleteMulticast(mac(group));
        }
    }

    /**
     * {@code ip_mc_inc_group}: joins an IPv4 group; on the device's list at once, and announced
     * in IGMPv3 reports ({@code igmp_group_added}).
     */
    public void joinIpv4(NetDevice dev, Ipv4Address group) {
        GroupList v4 = groups(dev).v4;
        if (v4.join(group) == 0) {
            load(dev, v4, group);
            igmp.groupAdded(dev, group);
        }
    }

    /** {@code ip_mc_dec_group}. */
    public void leaveIpv4(NetDevice dev, Ipv4Address group) {
        leave(dev, groups(dev).v4, group);
    }

    /** {@code ipv6_dev_mc_inc}. */
    public void joinIpv6(NetDevice dev, Ipv6Address group) {
        GroupList v6 = groups(dev).v6;
        if (v6.join(group) == 0) {
            load(dev, v6, group);
        }
    }

    /** {@code ipv6_dev_mc_dec}. */
    public void leaveIpv6(NetDevice dev, Ipv6Address group) {
        leave(dev, groups(dev).v6, group);
    }

    private void leave(NetDevice dev, GroupList family, Object group) {
        // the entry goes with its last reference; its list bit says whether to take it off
        boolean wasLoaded = family.unloadIfLast(group);
        if (family.leave(group) == 1 && wasLoaded && mapsToEthernet(dev)) {
            dev.deleteMulticast(mac(group));
        }
    }

    @Override
    public void onNetdevEvent(NetdevEvent event, NetDevice dev) {
        switch (event) {
            case REGISTER -> {
                if (dev.mtu() >= Ipv6.MIN_MTU) {
                    joinIpv6(dev, INTERFACE_LOCAL_ALL_NODES);
                    joinIpv6(dev, LINK_LOCAL_ALL_NODES);
                }
            }
            case UP -> {
                // ip_mc_up: the groups joined meanwhile, and all-hosts
                GroupList v4 = groups(dev).v4;
                for (Object group : v4.all()) {
                    load(dev, v4, group);
                    igmp.groupAdded(dev, (Ipv4Address) group);
                }
                joinIpv4(dev, ALL_HOSTS);
            }
            case DOWN -> {
                // ip_mc_down
                igmp.stop(dev);
                GroupList v4 = groups(dev).v4;
                for (Object group : v4.all()) {
                    unload(dev, v4, group);
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

    // ------------------------------------------------------------------ what /proc/net shows

    /**
     * A group a device has joined: its users ({@code im->users}, {@code mca_users}) and whether
     * it is on the device's list ({@code MAF_LOADED}).
     */
    public record Membership(Object group, int users, boolean loaded) {

        /**
         * {@code MAF_NOREPORT}: the link-local all-nodes group and groups narrower than link
         * scope are never reported.
         */
        public boolean noReport() {
            return group.equals(LINK_LOCAL_ALL_NODES) || belowLinkScope(group);
        }
    }

    /** The device's IPv4 groups ({@code in_dev->mc_list}): the newest first. */
    public List<Membership> ipv4Groups(NetDevice dev) {
        Groups g = devices.get(dev);
        return g == null ? List.of() : memberships(g.v4);
    }

    /** The device's IPv6 groups ({@code idev->mc_list}): the newest first. */
    public List<Membership> ipv6Groups(NetDevice dev) {
        Groups g = devices.get(dev);
        return g == null ? List.of() : memberships(g.v6);
    }

    private static List<Membership> memberships(GroupList list) {
        List<Membership> out = new ArrayList<>(list.size);
        for (int i = list.size - 1; i >= 0; i--) {
            out.add(new Membership(list.groups[i], list.state[i] & GroupList.REFS,
                    (list.state[i] & GroupList.LOADED) != 0));
        }
        return out;
    }

    // ------------------------------------------------------------------ IPv6's events

    @Override
    public void ready(NetDevice dev) {
        GroupList v6 = groups(dev).v6;
        for (Object group : v6.all()) {
            load(dev, v6, group);
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
        if (joined(address.device()).removeIf(a -> a == address)) {
            leaveIpv6(address.device(), address.solicitedNode());
        }
    }

    /**
     * Per device, the addresses whose solicited-node group it joined: the one address, or an
     * {@code Object[]} of them (see {@link CompactList}); no entry for none.
     */
    private final Map<NetDevice, Object> solicitedJoined = new IdentityHashMap<>();

    /** {@link #solicitedJoined} of {@code dev} as a list (a view made per use). */
    private List<Inet6IfAddr> joined(NetDevice dev) {
        return new CompactList<>() {
            @Override
            protected Object load() {
                return solicitedJoined.get(dev);
            }

            @Override
            protected void store(Object value) {
                if (value == null) {
                    solicitedJoined.remove(dev);
                } else {
                    solicitedJoined.put(dev, value);
                }
            }
        };
    }

    /** {@code addrconf_join_solict}, once per address, when its DAD begins. */
    private void joinSolicited(Inet6IfAddr address) {
        // addrconf_join_solict: no neighbour discovery, no solicited-node group
        if ((address.device().flags() & (dev.ipsim.kernel.link.DeviceFlags.LOOPBACK
                | dev.ipsim.kernel.link.DeviceFlags.NOARP)) != 0) {
            return;
        }
        List<Inet6IfAddr> joined = joined(address.device());
        boolean already = false;
        for (Inet6IfAddr a : joined) {
            if (a == address) {
                already = true;
                break;
            }
        }
        if (!already) {
            joined.add(address);
            joinIpv6(address.device(), address.solicitedNode());
        }
    }

    /**
     * {@code addrconf_ifdown}: the device's addresses go (their solicited-node groups with
     * them) and {@code ipv6_mc_down} takes the rest off the device's list.
     */
    @Override
    public void down(NetDevice dev) {
        List<Inet6IfAddr> joined = List.copyOf(joined(dev));
        solicitedJoined.remove(dev);
        for (Inet6IfAddr a : joined) {
            leaveIpv6(dev, a.solicitedNode());
        }
        GroupList v6 = groups(dev).v6;
        for (Object group : v6.all()) {
            unload(dev, v6, group);
        }
    }
}
