package dev.ipsim.kernel;

import dev.ipsim.kernel.addr.MacAddress;
import dev.ipsim.kernel.ipv4.InetIfAddr;
import dev.ipsim.kernel.ipv4.Ipv4;
import dev.ipsim.kernel.ipv6.Ipv6;
import dev.ipsim.kernel.link.DeviceFlags;
import dev.ipsim.kernel.link.Dummy;
import dev.ipsim.kernel.link.Tun;
import dev.ipsim.kernel.link.EthernetNic;
import dev.ipsim.kernel.link.LinkSpec;
import dev.ipsim.kernel.link.Loopback;
import dev.ipsim.kernel.link.NetDevice;
import dev.ipsim.kernel.link.Veth;
import dev.ipsim.kernel.bridge.Bridge;
import dev.ipsim.kernel.bridge.Bridging;
import dev.ipsim.kernel.mcast.MulticastLists;
import dev.ipsim.kernel.packet.NetStack;
import dev.ipsim.kernel.sysctl.SysctlTable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A network namespace ({@code struct net}): its devices, its protocol state and its sysctls,
 * and the link operations rtnetlink offers on them.
 *
 * <p>Every operation either fails with a {@link KernelException} before changing anything, or
 * completes; then the kernel settles (link watch, due timers) before returning.
 */
public final class NetNamespace {

    private final Kernel kernel;
    private final long inode;
    private final DeviceIndex byIndex = new DeviceIndex();
    private final Map<String, NetDevice> byName = new HashMap<>();
    /** {@code net->ifindex}: where the cyclic ifindex allocation continues from. */
    private int nextIndex = 1;
    private final SysctlTable sysctls = new SysctlTable();
    private final Ipv4 ipv4;
    private final Ipv6 ipv6;
    /** The packet path: neighbours, IPv4 and IPv6 input and output, sockets. */
    private final NetStack stack;
    private final List<NetdevListener> listeners = new ArrayList<>();
    private final MulticastLists multicast;
    /** {@code br_device_event}: what a bridge port's events do to its bridge. */
    private final Bridging bridging;
    /** Ids this namespace has given other namespaces ({@code peernet2id}). */
    private final Map<NetNamespace, Integer> nsids = new LinkedHashMap<>();
    /** The ids in {@link #nsids}: the lowest free one is the next ({@code idr_alloc}). */
    private final java.util.BitSet usedNsids = new java.util.BitSet();

    NetNamespace(Kernel kernel, long inode) {
        this.kernel = kernel;
        this.inode = inode;
        for (java.util.Map.Entry<String, String> e : kernel.profile().sysctlDefaults().entrySet()) {
            sysctls.set(e.getKey(), e.getValue());
        }
        this.ipv4 = new Ipv4(this);
        this.ipv6 = new Ipv6(this);
        listeners.add(ipv4);
        // the link-layer multicast lists: after devinet (ip_mc_up) and before addrconf, as the
        // notifier chain has them
        this.multicast = new MulticastLists(this);
        listeners.add(multicast);
        listeners.add(ipv6);
        this.stack = new NetStack(this);
        listeners.add(stack);
        this.bridging = new Bridging(this);
        listeners.add(bridging);
    }

    public Kernel kernel() {
        return kernel;
    }

    /** The namespace's inode number, as {@code /proc/PID/ns/net} and {@code ip netns identify} see it. */
    public long inode() {
        return inode;
    }

    public SysctlTable sysctls() {
        return sysctls;
    }

    public Ipv4 ipv4() {
        return ipv4;
    }

    public Ipv6 ipv6() {
        return ipv6;
    }

    public NetStack stack() {
        return stack;
    }

    /** The devices' multicast groups and link-layer multicast lists. */
    public MulticastLists multicast() {
        return multicast;
    }

    /** Adds a listener to the netdevice notifier chain, after the protocol stacks. */
    public void addNetdevListener(NetdevListener l) {
        listeners.add(l);
    }

    /**
     * {@code call_netdevice_notifiers}. A change rtnetlink announces ({@code RTM_NEWLINK}) also
     * gives the device's link namespace an id here, as filling the message does.
     */
    public void notifyNetdev(NetdevEvent event, NetDevice dev) {
        for (NetdevListener l : List.copyOf(listeners)) {
            l.onNetdevEvent(event, dev);
        }
        switch (event) {
            case UP, DOWN, CHANGE, CHANGEMTU, CHANGEADDR, CHANGENAME -> linkNetnsid(dev);
            default -> {
            }
        }
    }

    // ------------------------------------------------------------------ lookups

    /** The devices in ifindex order, the order a link dump returns them in. */
    public Collection<NetDevice> devices() {
        return Collections.unmodifiableCollection(byIndex.values());
    }

    public NetDevice device(String name) {
        return byName.get(name);
    }

    public NetDevice deviceByIndex(int ifindex) {
        return byIndex.get(ifindex);
    }

    public Loopback loopback() {
        return (Loopback) byIndex.get(1);
    }

    // ------------------------------------------------------------------ namespace ids

    /** The id this namespace knows {@code other} by, or -1 ({@code NETNSA_NSID_NOT_ASSIGNED}). */
    public int nsidOf(NetNamespace other) {
        Integer id = nsids.get(other);
        return id == null ? -1 : id;
    }

    /** {@code peernet2id_alloc}: the id for {@code other}, allocating the lowest free one. */
    public int allocateNsid(NetNamespace other) {
        Integer id = nsids.get(other);
        if (id != null) {
            return id;
        }
        int next = usedNsids.nextClearBit(0);
        putNsid(other, next);
        return next;
    }

    private void putNsid(NetNamespace other, int id) {
        nsids.put(other, id);
        if (id >= 0) {
            usedNsids.set(id);
        }
    }

    /** Assigns a chosen id ({@code ip netns set NAME ID}). */
    public void assignNsid(NetNamespace other, int id) {
        if (nsids.containsKey(other)) {
            throw new KernelException(Errno.EEXIST);
        }
        if (id >= 0 && usedNsids.get(id)) {
            throw new KernelException(Errno.EEXIST);
        }
        putNsid(other, id);
    }

    /** The namespace this one knows by {@code id}, or {@code null}. */
    public NetNamespace namespaceByNsid(int id) {
        for (Map.Entry<NetNamespace, Integer> e : nsids.entrySet()) {
            if (e.getValue() == id) {
                return e.getKey();
            }
        }
        return null;
    }

    void forgetPeer(NetNamespace gone) {
        Integer goneId = nsids.remove(gone);
        if (goneId != null && goneId >= 0) {
            usedNsids.clear(goneId);
        }
    }

    /** The ids this namespace has given others, in id order ({@code RTM_GETNSID} dump). */
    public java.util.SortedMap<Integer, NetNamespace> nsids() {
        java.util.TreeMap<Integer, NetNamespace> out = new java.util.TreeMap<>();
        nsids.forEach((ns, id) -> out.put(id, ns));
        return out;
    }

    /**
     * {@code rtnl_net_newid}: {@code ip netns set NAME ID}. A negative id asks for the lowest free
     * one. A peer that has an id already, or an id in use, is refused with the kernel's message.
     */
    public int assignNsidChecked(NetNamespace other, int id) {
        if (nsids.containsKey(other)) {
            throw new KernelException(Errno.EEXIST, "Peer netns already has a nsid assigned");
        }
        if (id < 0) {
            return allocateNsid(other);
        }
        if (id >= 0 && usedNsids.get(id)) {
            throw new KernelException(Errno.EEXIST, "The specified nsid is already used");
        }
        putNsid(other, id);
        return id;
    }

    /**
     * {@code rtnl_fill_link_netnsid}: reporting a device whose link (a veth's peer) lives in
     * another namespace gives that namespace an id here, in a dump as in the notification of
     * any change ({@code peernet2id_alloc}). Returns the id, or -1 when the link is local.
     */
    public int linkNetnsid(NetDevice dev) {
        NetDevice link = dev.linkDevice();
        if (link == null || link.namespace() == null || link.namespace() == dev.namespace()) {
            return -1;
        }
        return allocateNsid(link.namespace());
    }

    // ------------------------------------------------------------------ lifetime

    /** References: names in /run/netns, processes inside; the namespace dies with the last. */
    private int references;
    private boolean dead;

    /** {@code get_net}: a name bound to the namespace, or a process entering it. */
    public void hold() {
        references++;
    }

    /** {@code put_net}: when the last reference goes, the namespace is destroyed ({@code cleanup_net}). */
    public void release() {
        if (--references <= 0 && this != kernel.initNamespace() && !dead) {
            dead = true;
            kernel.destroyNamespace(this);
        }
    }

    /** Whether the namespace has been destroyed. */
    public boolean isDead() {
        return dead;
    }

    // ------------------------------------------------------------------ registration

    void createLoopback() {
        Loopback lo = new Loopback();
        lo.setNameAssignType(NetDevice.NET_NAME_PREDICTABLE);
        register(lo, null);
    }

    /**
     * {@code dev_valid_name}. "all" and "default" are refused too (recorded in errors-ip-link):
     * they are the names of the {@code net.ipv4.conf} entries that are no device.
     */
    public static boolean validName(String name) {
        if (name.isEmpty() || name.length() > NetDevice.MAX_NAME_LENGTH || name.equals(".") || name.equals("..")
                || name.equals("all") || name.equals("default")) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == ':' || Character.isWhitespace(c)) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code dev_get_valid_name}: a name as given, or with its one {@code %d} replaced by the
     * lowest number not in use.
     */
    String resolveName(String requested, List<String> alsoTaken) {
        if (!validName(requested)) {
            throw new KernelException(Errno.EINVAL);
        }
        int percent = requested.indexOf('%');
        if (percent >= 0) {
            if (!requested.startsWith("%d", percent) || requested.indexOf('%', percent + 1) >= 0) {
                throw new KernelException(Errno.EINVAL);
            }
            for (int n = 0; n < 32768; n++) {
                String candidate = requested.substring(0, percent) + n + requested.substring(percent + 2);
                if (candidate.length() <= NetDevice.MAX_NAME_LENGTH && !byName.containsKey(candidate)
                        && !alsoTaken.contains(candidate)) {
                    return candidate;
                }
            }
            throw new KernelException(Errno.ENFILE);
        }
        if (byName.containsKey(requested) || alsoTaken.contains(requested)) {
            throw new KernelException(Errno.EEXIST);
        }
        return requested;
    }

    /** {@code dev_index_reserve}: a requested index, or the next free one, cyclically. */
    private int allocateIndex(Integer requested) {
        if (requested != null) {
            // xa_insert at a chosen index: the cyclic counter does not move
            return requested;
        }
        int index = nextIndex;
        while (byIndex.containsKey(index)) {
            index = index == Integer.MAX_VALUE ? 1 : index + 1;
        }
        nextIndex = index == Integer.MAX_VALUE ? 1 : index + 1;
        return index;
    }

    /** {@code register_netdevice}. */
    void register(NetDevice dev, Integer requestedIndex) {
        register(dev, requestedIndex, false);
    }

    /** {@code register_netdevice}, or the second half of a namespace move ({@code moved}). */
    private void register(NetDevice dev, Integer requestedIndex, boolean moved) {
        int index = allocateIndex(requestedIndex);
        dev.attach(this, index);
        byIndex.put(index, dev);
        byName.put(dev.name(), dev);
        sysctls.addDevice(dev.name(), dev.isLoopback(), dev.mtu());
        if (!dev.hasCarrier() && !moved) {
            dev.recomputeOperState();
        }
        notifyNetdev(NetdevEvent.REGISTER, dev);
    }

    /** Removes a device from this namespace's tables, after its subsystems let go of it. */
    private void unlink(NetDevice dev) {
        byIndex.remove(dev.ifindex());
        byName.remove(dev.name());
        sysctls.removeDevice(dev.name());
        kernel.linkWatch().forget(dev);
        dev.detach();
    }

    // ------------------------------------------------------------------ link creation

    private MacAddress addressFor(LinkSpec spec) {
        return spec.address != null ? spec.address : MacAddress.randomLocal(kernel.random());
    }

    /** {@code eth_hw_addr_random} or {@code rtnl_create_link}'s IFLA_ADDRESS. */
    private static void addressAssigned(NetDevice dev, LinkSpec spec) {
        dev.setAddressAssignType(spec.address != null ? NetDevice.NET_ADDR_SET : NetDevice.NET_ADDR_RANDOM);
    }

    private static void validateEthernetSpec(LinkSpec spec, int minMtu, int maxMtu) {
        if (spec.address != null && !spec.address.isValidUnicast()) {
            throw new KernelException(Errno.EADDRNOTAVAIL);
        }
        if (spec.mtu != null && (spec.mtu < minMtu || (maxMtu > 0 && spec.mtu > maxMtu))) {
            throw new KernelException(Errno.EINVAL);
        }
    }

    /**
     * The netlink policy of {@code IFLA_IFNAME}: at most {@code IFNAMSIZ - 1} bytes, checked when
     * the request is parsed, before anything else.
     */
    public static void checkNameAttribute(String name) {
        if (name != null && name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > NetDevice.MAX_NAME_LENGTH) {
            throw new KernelException(Errno.EINVAL, "Attribute failed policy validation");
        }
    }

    /**
     * {@code veth_newlink}: {@code ip link add NAME type veth [peer PEER-ATTRIBUTES]}.
     *
     * <p>As in the kernel the peer is made, registered and configured first (so it gets the
     * lower ifindex), in {@code peerNamespace} when given; then this end. Without a peer section
     * ({@code peer == null}) the peer takes this end's creation attributes but not its name,
     * address or flags. The peer's own {@code index} is honoured only when this end asks for an
     * index too. A peer asked to come up fails with ENOTCONN, as {@code veth_open} finds it not
     * yet tied. A failure after the peer registered unregisters it again: its ifindex is spent.
     */
    public Veth addVeth(LinkSpec self, LinkSpec peer, NetNamespace peerNamespace) {
        NetNamespace peerNs = peerNamespace != null ? peerNamespace : this;
        checkNameAttribute(self.name);
        LinkSpec peerSpec = peer != null ? peer : inheritedPeerSpec(self);
        checkNameAttribute(peerSpec.name);
        validateEthernetSpec(self, NetDevice.ETH_MIN_MTU, Veth.VETH_MAX_MTU);
        validateEthernetSpec(peerSpec, NetDevice.ETH_MIN_MTU, Veth.VETH_MAX_MTU);
        if (self.addrGenMode != null || peerSpec.addrGenMode != null) {
            // IFLA_AF_SPEC on a device that has no inet6_dev yet
            throw new KernelException(Errno.EAFNOSUPPORT);
        }
        Integer peerIndex = self.index != null ? peerSpec.index : null;
        String peerName = peerNs.resolveName(peerSpec.name != null ? peerSpec.name : "veth%d", List.of());
        int queues = kernel.cpus();
        Veth peerDev = new Veth(peerName, peerNs.addressFor(peerSpec), queues);
        peerDev.setNameAssignType(peer != null && peer.name != null ? NetDevice.NET_NAME_USER : NetDevice.NET_NAME_ENUM);
        addressAssigned(peerDev, peerSpec);
        applyCreationAttributes(peerDev, peerSpec);
        peerNs.registerChecked(peerDev, peerIndex);
        kernel.linkWatch().carrierOff(peerDev);
        Veth selfDev;
        try {
            if (Boolean.TRUE.equals(peerSpec.up)) {
                // rtnl_configure_link(peer) opens it before the pair is tied
                throw new KernelException(Errno.ENOTCONN);
            }
            peerNs.changeCreationFlags(peerDev, peerSpec);
            String selfName = resolveName(self.name != null ? self.name : "veth%d", List.of());
            selfDev = new Veth(selfName, addressFor(self), queues);
            selfDev.setNameAssignType(self.name != null ? NetDevice.NET_NAME_USER : NetDevice.NET_NAME_ENUM);
            addressAssigned(selfDev, self);
            applyCreationAttributes(selfDev, self);
            registerChecked(selfDev, self.index);
        } catch (KernelException e) {
            peerNs.unregisterMany(new ArrayList<>(List.of(peerDev)));
            throw e;
        }
        kernel.linkWatch().carrierOff(selfDev);
        Veth.pair(selfDev, peerDev);
        // rtnl_configure_link announces this end, tied now: its namespace gives the peer's an id
        linkNetnsid(selfDev);
        kernel.settle();
        changeCreationFlags(selfDev, self);
        if (Boolean.TRUE.equals(self.up)) {
            open(selfDev);
        }
        kernel.settle();
        return selfDev;
    }

    /** What a peer without attributes of its own gets from the request ({@code tbp = tb}). */
    private static LinkSpec inheritedPeerSpec(LinkSpec self) {
        LinkSpec p = new LinkSpec();
        p.mtu = self.mtu;
        p.txQueueLength = self.txQueueLength;
        p.group = self.group;
        p.broadcast = self.broadcast;
        p.linkMode = self.linkMode;
        return p;
    }

    /** {@code register_netdevice} with an explicit index that may be taken (EBUSY). */
    private void registerChecked(NetDevice dev, Integer index) {
        if (index != null && byIndex.containsKey(index)) {
            throw new KernelException(Errno.EBUSY);
        }
        register(dev, index);
    }

    /**
     * The flag part of {@code rtnl_configure_link} for a new device ({@code __dev_change_flags}
     * with the request's {@code ifi_flags}): promiscuity, all-multicast, ARP, multicast,
     * dynamic; bringing it up is left to the caller.
     */
    private void changeCreationFlags(NetDevice dev, LinkSpec spec) {
        if (Boolean.TRUE.equals(spec.promisc)) {
            dev.setUserFlag(DeviceFlags.PROMISC, true);
            dev.adjustPromiscuity(1);
        }
        if (Boolean.TRUE.equals(spec.allmulti)) {
            dev.setUserFlag(DeviceFlags.ALLMULTI, true);
            dev.adjustAllmulti(1);
        }
        if (spec.noarp != null) {
            dev.setRawFlag(DeviceFlags.NOARP, spec.noarp);
        }
        if (spec.multicast != null) {
            dev.setRawFlag(DeviceFlags.MULTICAST, spec.multicast);
        }
        if (spec.dynamic != null) {
            dev.setRawFlag(DeviceFlags.DYNAMIC, spec.dynamic);
        }
    }

    /** {@code ip link add NAME type dummy}. */
    public Dummy addDummy(LinkSpec spec) {
        checkNameAttribute(spec.name);
        validateEthernetSpec(spec, 0, 0);
        if (spec.addrGenMode != null) {
            throw new KernelException(Errno.EAFNOSUPPORT);
        }
        String name = resolveName(spec.name != null ? spec.name : "dummy%d", List.of());
        Dummy dev = new Dummy(name, addressFor(spec));
        dev.setNameAssignType(spec.name != null ? NetDevice.NET_NAME_USER : NetDevice.NET_NAME_ENUM);
        addressAssigned(dev, spec);
        applyCreationAttributes(dev, spec);
        registerChecked(dev, spec.index);
        changeCreationFlags(dev, spec);
        if (Boolean.TRUE.equals(spec.up)) {
            open(dev);
        }
        kernel.settle();
        return dev;
    }

    /**
     * {@code SIOCADDMULTI}/{@code SIOCDELMULTI} ({@code dev_ifsioc}): a user's link-layer
     * multicast address on the device named, {@code dev_mc_add_global}/{@code dev_mc_del_global}.
     *
     * @throws KernelException ENODEV for no such device, EINVAL for a device without
     *         {@code ndo_set_rx_mode} or an address of another length, ENOENT for deleting one
     *         no user added
     */
    public void changeMulticast(String name, byte[] address, boolean add) {
        NetDevice dev = byName.get(name);
        if (dev == null) {
            throw new KernelException(Errno.ENODEV);
        }
        if (!dev.hasRxMode()) {
            throw new KernelException(Errno.EINVAL);
        }
        MacAddress mac = MacAddress.ofBytes(address, 0);
        if (add) {
            dev.addGlobalMulticast(mac);
        } else if (!dev.deleteGlobalMulticast(mac)) {
            throw new KernelException(Errno.ENOENT);
        }
        kernel.settle();
    }

    /** {@code ip link add NAME type ifb} ({@code ifb_setup}; {@code ifb%d} when unnamed). */
    public dev.ipsim.kernel.link.Ifb addIfb(LinkSpec spec) {
        checkNameAttribute(spec.name);
        validateEthernetSpec(spec, 0, 0);
        String name = resolveName(spec.name != null ? spec.name : "ifb%d", List.of());
        dev.ipsim.kernel.link.Ifb dev = new dev.ipsim.kernel.link.Ifb(name, addressFor(spec));
        dev.setNameAssignType(spec.name != null ? NetDevice.NET_NAME_USER : NetDevice.NET_NAME_ENUM);
        addressAssigned(dev, spec);
        applyCreationAttributes(dev, spec);
        registerChecked(dev, spec.index);
        changeCreationFlags(dev, spec);
        if (Boolean.TRUE.equals(spec.up)) {
            open(dev);
        }
        kernel.settle();
        return dev;
    }

    /**
     * {@code TUNSETIFF} on a fresh {@code /dev/net/tun} file ({@code tun_set_iff}): attaches to
     * the tun or tap device {@code name} names, making it first when there is none (named
     * {@code tun%d} or {@code tap%d} when {@code name} is empty), and turns its carrier on.
     *
     * @throws KernelException EBUSY for an existing device with {@code IFF_TUN_EXCL}; EINVAL for
     *         a device of another kind or mode, or whose multi-queue setting differs
     */
    public Tun tunSetIff(String name, int flags) {
        NetDevice existing = name.isEmpty() ? null : byName.get(name);
        Tun tun;
        if (existing != null) {
            if ((flags & Tun.IFF_TUN_EXCL) != 0) {
                throw new KernelException(Errno.EBUSY);
            }
            if (!(existing instanceof Tun t) || t.isTap() != ((flags & Tun.IFF_TAP) != 0)
                    || ((flags & Tun.IFF_MULTI_QUEUE) != 0) != ((t.tunFlags() & Tun.IFF_MULTI_QUEUE) != 0)) {
                throw new KernelException(Errno.EINVAL);
            }
            tun = t;
        } else {
            boolean tap = (flags & Tun.IFF_TAP) != 0;
            String resolved = resolveName(name.isEmpty() ? (tap ? "tap%d" : "tun%d") : name, List.of());
            tun = new Tun(resolved, flags, MacAddress.randomLocal(kernel.random()));
            tun.setNameAssignType(name.isEmpty() || name.contains("%") ? NetDevice.NET_NAME_ENUM : NetDevice.NET_NAME_USER);
            tun.setAddressAssignType(NetDevice.NET_ADDR_RANDOM);
            register(tun, null);
        }
        tun.adjustAttached(1);
        kernel.linkWatch().carrierOn(tun);
        kernel.settle();
        return tun;
    }

    /**
     * Closing a {@code /dev/net/tun} file ({@code __tun_detach}): the last queue takes the
     * carrier with it, and a device that is not persistent goes.
     */
    public void tunClose(Tun tun) {
        tun.adjustAttached(-1);
        if (tun.attached() == 0 && tun.isRegistered()) {
            kernel.linkWatch().carrierOff(tun);
            if (!tun.isPersistent()) {
                unregisterMany(new ArrayList<>(List.of(tun)));
            }
        }
        kernel.settle();
    }

    /**
     * {@code ip link add NAME type bridge} ({@code br_dev_newlink}): a bridge with a random
     * address, carrier on until a port state selection says otherwise; one created with an
     * address has that address as its bridge id at once, which turns the carrier off.
     */
    public Bridge addBridge(LinkSpec spec) {
        checkNameAttribute(spec.name);
        // br_validate checks the address; the MTU is rtnl_create_link's dev_validate_mtu
        validateEthernetSpec(spec, 0, 0);
        if (spec.mtu != null && spec.mtu < NetDevice.ETH_MIN_MTU) {
            throw new KernelException(Errno.EINVAL, "mtu less than device minimum");
        }
        if (spec.mtu != null && spec.mtu > Bridge.MAX_MTU) {
            throw new KernelException(Errno.EINVAL, "mtu greater than device maximum");
        }
        String name = resolveName(spec.name != null ? spec.name : "bridge%d", List.of());
        Bridge dev = new Bridge(name, addressFor(spec));
        dev.setNameAssignType(spec.name != null ? NetDevice.NET_NAME_USER : NetDevice.NET_NAME_ENUM);
        addressAssigned(dev, spec);
        applyCreationAttributes(dev, spec);
        if (spec.mtu != null) {
            dev.driverMtuSet();
        }
        registerChecked(dev, spec.index);
        if (spec.address != null) {
            dev.createdWithAddress();
        }
        changeCreationFlags(dev, spec);
        if (Boolean.TRUE.equals(spec.up)) {
            open(dev);
        }
        kernel.settle();
        return dev;
    }

    /** A device a driver or daemon makes itself (an Open vSwitch internal port), registered down. */
    public void registerDriverDevice(NetDevice dev) {
        dev.setNameAssignType(NetDevice.NET_NAME_USER);
        dev.setAddressAssignType(NetDevice.NET_ADDR_RANDOM);
        register(dev, null);
        kernel.settle();
    }

    /** Unregisters a device its driver or daemon removes. */
    public void unregisterDriverDevice(NetDevice dev) {
        unregisterMany(new ArrayList<>(List.of(dev)));
    }

    /** A NIC, as a machine's driver registers it at boot. */
    public EthernetNic addEthernetNic(String name, MacAddress address) {
        return addEthernetNic(name, address, EthernetNic.DEFAULT_QDISC);
    }

    /**
     * Plugs in a NIC whose root qdisc, once up, is {@code qdisc} (the machine's
     * {@code net.core.default_qdisc}).
     */
    public EthernetNic addEthernetNic(String name, MacAddress address, String qdisc) {
        EthernetNic dev = new EthernetNic(resolveName(name, List.of()), address, qdisc);
        register(dev, null);
        kernel.settle();
        return dev;
    }

    /** The attributes {@code rtnl_create_link} applies before registration. */
    private static void applyCreationAttributes(NetDevice dev, LinkSpec spec) {
        if (spec.mtu != null) {
            dev.setMtu(spec.mtu);
        }
        if (spec.broadcast != null) {
            dev.setBroadcast(spec.broadcast);
        }
        if (spec.txQueueLength != null) {
            dev.setTxQueueLength(spec.txQueueLength);
        }
        if (spec.group != null) {
            dev.setGroup(spec.group);
        }
        if (spec.linkMode != null) {
            dev.setLinkMode(spec.linkMode);
        }
        // IFLA_IFALIAS is not one of rtnl_create_link's attributes: an alias given to "ip link
        // add" is dropped without a word
    }

    // ------------------------------------------------------------------ up and down

    /** {@code dev_open}: no-op when already up. */
    public void open(NetDevice dev) {
        if (dev.isUp()) {
            return;
        }
        dev.setRawFlag(DeviceFlags.UP, true);
        dev.recordUpDown(kernel.nextEventSerial(), true);
        dev.driverOpen();
        dev.activateQdisc();
        notifyNetdev(NetdevEvent.UP, dev);
        kernel.settle();
    }

    /** {@code dev_close}: no-op when already down. */
    public void close(NetDevice dev) {
        if (!dev.isUp()) {
            return;
        }
        notifyNetdev(NetdevEvent.GOING_DOWN, dev);
        dev.setRawFlag(DeviceFlags.UP, false);
        dev.recordUpDown(kernel.nextEventSerial(), false);
        dev.driverStop();
        notifyNetdev(NetdevEvent.DOWN, dev);
        kernel.settle();
    }

    // ------------------------------------------------------------------ changes

    /**
     * {@code do_setlink}: applies a change request attribute by attribute, in the kernel's
     * order: address, mtu, group, name, alias, broadcast, flags (ARP, multicast, dynamic, up,
     * promiscuity, all-multicast), carrier, txqueuelen, GSO/GRO limits, operstate, link mode,
     * virtual functions, protodown, address generation mode. Like the kernel it is not atomic:
     * what came before a refused attribute stays changed. Only the limits of
     * {@code validate_linkmsg} are checked before anything changes.
     */
    public void setLink(NetDevice dev, LinkSpec change) {
        if (change.netns != null) {
            // do_setlink moves the device first; the rest applies in its new namespace
            moveDevice(dev, change.netns, change.index, change.name);
            NetNamespace there = dev.namespace();
            change.netns = null;
            there.setLink(dev, change);
            return;
        }
        try {
            applyLinkChange(dev, change);
        } finally {
            kernel.settle();
        }
    }

    private void applyLinkChange(NetDevice dev, LinkSpec change) {
        if (change.addrGenMode != null) {
            // validate_linkmsg -> inet6_validate_link_af, before anything changes
            if (!dev.ipv6().isPresent()) {
                throw new KernelException(Errno.EAFNOSUPPORT);
            }
            if (change.addrGenMode < 0 || change.addrGenMode > 3 || (change.addrGenMode == 2
                    && sysctls.read("net/ipv6/conf/" + dev.name() + "/stable_secret") == null
                    && sysctls.read("net/ipv6/conf/default/stable_secret") == null)) {
                // stable-privacy needs a stable_secret, which no simulated device has
                throw new KernelException(Errno.EINVAL);
            }
        }
        if (change.gsoMaxSize != null && change.gsoMaxSize > dev.tsoMaxSize()) {
            throw new KernelException(Errno.EINVAL, "too big gso_max_size");
        }
        if (change.gsoMaxSegs != null && change.gsoMaxSegs > dev.tsoMaxSegs()) {
            throw new KernelException(Errno.EINVAL, "too big gso_max_segs");
        }
        if (change.groMaxSize != null && change.groMaxSize > NetDevice.GRO_MAX_SIZE) {
            throw new KernelException(Errno.EINVAL, "too big gro_max_size");
        }
        if (change.address != null) {
            if (!change.address.isValidUnicast()) {
                throw new KernelException(Errno.EADDRNOTAVAIL);
            }
            dev.setAddressAssignType(NetDevice.NET_ADDR_SET);
            if (!change.address.equals(dev.address())) {
                dev.setAddress(change.address);
                dev.driverAddressSet();
                notifyNetdev(NetdevEvent.CHANGEADDR, dev);
            }
        }
        if (change.mtu != null) {
            if (change.mtu < dev.minMtu()) {
                throw new KernelException(Errno.EINVAL, "mtu less than device minimum");
            }
            if (dev.maxMtu() > 0 && change.mtu > dev.maxMtu()) {
                throw new KernelException(Errno.EINVAL, "mtu greater than device maximum");
            }
            if (change.mtu != dev.mtu()) {
                dev.setMtu(change.mtu);
                dev.driverMtuSet();
                notifyNetdev(NetdevEvent.CHANGEMTU, dev);
            }
        }
        if (change.group != null) {
            dev.setGroup(change.group);
        }
        if (change.name != null && !change.name.equals(dev.name())) {
            rename(dev, validNewName(change.name));
        }
        if (change.alias != null) {
            dev.setAlias(change.alias.isEmpty() ? null : change.alias);
        }
        if (change.broadcast != null) {
            dev.setBroadcast(change.broadcast);
        }
        changeFlags(dev, change);
        if (change.master != null || change.nomaster) {
            setMaster(dev, change.nomaster ? null : change.master);
        }
        if (change.carrier != null) {
            // dev_change_carrier: only drivers with ndo_change_carrier (dummy) take it
            if (!dev.supportsCarrierChange()) {
                throw new KernelException(Errno.ENOTSUP);
            }
            if (change.carrier) {
                kernel.linkWatch().carrierOn(dev);
            } else {
                kernel.linkWatch().carrierOff(dev);
            }
        }
        if (change.txQueueLength != null) {
            dev.setTxQueueLength(change.txQueueLength);
        }
        if (change.gsoMaxSize != null) {
            dev.setGsoMaxSize(change.gsoMaxSize);
        }
        if (change.gsoMaxSegs != null) {
            dev.setGsoMaxSegs(change.gsoMaxSegs);
        }
        if (change.groMaxSize != null) {
            dev.setGroMaxSize(change.groMaxSize);
        }
        if (change.operState != null && dev.requestOperState(change.operState) && dev.isUp()) {
            notifyNetdev(NetdevEvent.CHANGE, dev);
        }
        if (change.linkMode != null) {
            // the operstate follows at the next link watch event, not now
            dev.setLinkMode(change.linkMode);
        }
        if (change.virtualFunctions) {
            throw new KernelException(Errno.ENOTSUP);
        }
        if (change.protoDown != null) {
            throw new KernelException(Errno.ENOTSUP, "Protodown not supported by device");
        }
        if (change.addrGenMode != null) {
            dev.ipv6().setAddrGenMode(change.addrGenMode);
        }
    }

    /**
     * {@code __dev_change_flags} with the request's {@code ifi_flags}/{@code ifi_change}: the
     * plain flags first, then up or down, then the user's promiscuity and all-multicast
     * references.
     */
    private void changeFlags(NetDevice dev, LinkSpec change) {
        int before = dev.rawFlags();
        if (change.noarp != null) {
            dev.setRawFlag(DeviceFlags.NOARP, change.noarp);
        }
        if (change.multicast != null) {
            dev.setRawFlag(DeviceFlags.MULTICAST, change.multicast);
        }
        if (change.dynamic != null) {
            dev.setRawFlag(DeviceFlags.DYNAMIC, change.dynamic);
        }
        int changed = before ^ dev.rawFlags();
        if (changed != 0 && dev.isUp()) {
            // __dev_notify_flags: NETDEV_CHANGE with the flags that changed; ARP and ndisc
            // forget the device's neighbours when NOARP did (neigh_changeaddr)
            if ((changed & DeviceFlags.NOARP) != 0) {
                for (dev.ipsim.kernel.neigh.NeighbourTable t : stack().neighbourTables()) {
                    t.changeAddress(dev);
                }
            }
            notifyNetdev(NetdevEvent.CHANGE, dev);
        }
        if (change.up != null) {
            if (change.up) {
                open(dev);
            } else {
                close(dev);
            }
        }
        if (change.promisc != null && change.promisc != ((dev.userFlags() & DeviceFlags.PROMISC) != 0)) {
            // the user's PROMISC is one more promiscuity reference
            dev.setUserFlag(DeviceFlags.PROMISC, change.promisc);
            dev.adjustPromiscuity(change.promisc ? 1 : -1);
        }
        if (change.allmulti != null && change.allmulti != ((dev.userFlags() & DeviceFlags.ALLMULTI) != 0)) {
            dev.setUserFlag(DeviceFlags.ALLMULTI, change.allmulti);
            dev.adjustAllmulti(change.allmulti ? 1 : -1);
        }
    }

    /**
     * {@code do_set_master}: leaves the current master for another (or none). Enslaving to the
     * master it has already is nothing; a master that takes no slaves refuses (EOPNOTSUPP).
     */
    private void setMaster(NetDevice dev, NetDevice master) {
        NetDevice current = dev.master();
        if (current != null) {
            if (current == master) {
                return;
            }
            if (!(current instanceof dev.ipsim.kernel.link.MasterDevice m)) {
                throw new KernelException(Errno.ENOTSUP);
            }
            m.deleteSlave(dev);
        }
        if (master != null) {
            if (!(master instanceof dev.ipsim.kernel.link.MasterDevice m)) {
                throw new KernelException(Errno.ENOTSUP);
            }
            m.addSlave(dev);
        }
    }

    /** {@code dev_get_valid_name} for a rename: EINVAL for a bad name, EEXIST for a taken one. */
    private String validNewName(String name) {
        if (!validName(name)) {
            throw new KernelException(Errno.EINVAL);
        }
        String resolved = name.contains("%") ? resolveName(name, List.of()) : name;
        if (byName.containsKey(resolved)) {
            throw new KernelException(Errno.EEXIST);
        }
        return resolved;
    }

    /** {@code dev_change_name}. */
    private void rename(NetDevice dev, String newName) {
        String old = dev.name();
        byName.remove(old);
        dev.setName(newName);
        dev.setNameAssignType(NetDevice.NET_NAME_RENAMED);
        byName.put(newName, dev);
        sysctls.renameDevice(old, newName);
        for (InetIfAddr ifa : dev.ipv4().addresses()) {
            String label = ifa.label();
            int colon = label.indexOf(':');
            ifa.setLabel(colon >= 0 ? newName + label.substring(colon) : newName);
        }
        notifyNetdev(NetdevEvent.CHANGENAME, dev);
    }

    // ------------------------------------------------------------------ namespace moves

    /**
     * {@code __dev_change_net_namespace}: moves a device to {@code target}. The device is closed
     * and unregistered here (addresses, routes, neighbours and bridge membership go, the qdisc
     * is destroyed), keeps its ifindex there unless that is taken (then it gets the next one of
     * the target's counter) or {@code newIndex} asks for another, and registers there afresh,
     * down. Moving to the namespace it is in does nothing. When the device's name is taken in
     * the target, {@code pattern} (the request's {@code IFLA_IFNAME}, {@code %d} allowed) names
     * it there instead; without one the move is refused.
     */
    public void moveDevice(NetDevice dev, NetNamespace target, Integer newIndex, String pattern) {
        if (dev.isNetnsLocal()) {
            throw new KernelException(Errno.EINVAL, "The interface netns is immutable");
        }
        if (!dev.isRegistered()) {
            throw new KernelException(Errno.EINVAL);
        }
        if (target == this) {
            return;
        }
        String newName = null;
        if (target.byName.containsKey(dev.name())) {
            if (pattern == null) {
                throw new KernelException(Errno.EEXIST, "An interface with the same name exists in the target netns");
            }
            newName = target.resolveName(pattern, List.of());
        }
        int index;
        if (newIndex != null) {
            if (target.byIndex.containsKey(newIndex)) {
                throw new KernelException(Errno.EBUSY,
                        "The ifindex " + newIndex + " is not available in the target netns");
            }
            index = newIndex;
        } else if (target.byIndex.containsKey(dev.ifindex())) {
            index = target.allocateIndex(null);
        } else {
            index = dev.ifindex();
        }
        kernel.lockRtnl();
        try {
            // the link watch work closing queues runs after the move, there
            close(dev);
            notifyNetdev(NetdevEvent.UNREGISTER, dev);
            // recorded: the device's link namespace gets its id here before the target does
            linkNetnsid(dev);
            allocateNsid(target);
            detachForMove(dev, target, index, newName);
        } finally {
            kernel.unlockRtnl();
        }
        kernel.settle();
    }

    private void detachForMove(NetDevice dev, NetNamespace target, int index, String newName) {
        byIndex.remove(dev.ifindex());
        byName.remove(dev.name());
        sysctls.removeDevice(dev.name());
        // link watch work queued for the device stays queued: it runs there, after the move
        kernel.packets().forget(dev);
        dev.shutdownForMove();
        if (newName != null) {
            dev.setName(newName);
        }
        target.register(dev, index, true);
        // the RTM_NEWLINK the target announces the device with
        target.linkNetnsid(dev);
    }

    // ------------------------------------------------------------------ deletion

    /**
     * {@code rtnl_dellink}: deletes a device; a veth end takes its peer along, wherever it is.
     *
     * @throws KernelException EOPNOTSUPP for devices without {@code rtnl_link_ops->dellink}
     *         (lo, NICs)
     */
    public void deleteLink(NetDevice dev) {
        if (!dev.userDeletable()) {
            throw new KernelException(Errno.ENOTSUP);
        }
        unregisterMany(withPeers(List.of(dev)));
    }

    /**
     * {@code rtnl_group_dellink}: {@code ip link delete group N} deletes every device of the
     * group, or none: group 0 is refused (EPERM), an empty group is ENODEV, and one device that
     * cannot be deleted refuses the lot (EOPNOTSUPP).
     */
    public void deleteGroup(int group) {
        if (group == 0) {
            throw new KernelException(Errno.EPERM);
        }
        List<NetDevice> members = new ArrayList<>();
        for (NetDevice d : byIndex.values()) {
            if (d.group() == group) {
                if (!d.userDeletable()) {
                    throw new KernelException(Errno.ENOTSUP);
                }
                members.add(d);
            }
        }
        if (members.isEmpty()) {
            throw new KernelException(Errno.ENODEV);
        }
        unregisterMany(withPeers(members));
    }

    /**
     * {@code rtnl_group_changelink}: {@code ip link set group N ...} applies the change to each
     * device of the group in ifindex order, stopping at the first refusal.
     */
    public void setLinkGroup(int group, LinkSpec change) {
        for (NetDevice d : List.copyOf(byIndex.values())) {
            if (d.group() == group && d.isRegistered()) {
                setLink(d, change);
            }
        }
    }

    private static List<NetDevice> withPeers(List<NetDevice> devices) {
        List<NetDevice> batch = new ArrayList<>();
        for (NetDevice d : devices) {
            if (!batch.contains(d)) {
                batch.add(d);
            }
            if (d instanceof Veth v && v.peer() != null && !batch.contains(v.peer())) {
                batch.add(v.peer());
            }
        }
        return batch;
    }

    /** {@code unregister_netdevice_many}: close all, then announce and remove each. */
    void unregisterMany(List<NetDevice> batch) {
        for (NetDevice d : batch) {
            if (d instanceof Bridge b) {
                // br_dev_delete: the ports are released before the bridge goes
                b.releaseAll();
            }
        }
        for (NetDevice d : batch) {
            d.namespace().close(d);
        }
        for (NetDevice d : batch) {
            NetNamespace owner = d.namespace();
            owner.notifyNetdev(NetdevEvent.UNREGISTER, d);
            owner.unlink(d);
        }
        for (NetDevice d : batch) {
            if (d instanceof Veth v) {
                v.unpair();
            }
        }
        kernel.settle();
    }

    /**
     * {@code cleanup_net} for the devices: {@code default_device_exit} first gives the devices a
     * driver owns (NICs) back to {@code init_net}, under {@code devN} when their name is taken
     * there; then every other device is unregistered, a veth taking its peer along wherever it is.
     */
    void destroyAllDevices() {
        NetNamespace init = kernel.initNamespace();
        for (NetDevice d : List.copyOf(byIndex.values())) {
            if (d.kind() == null && !d.isLoopback() && d.isRegistered()) {
                String fallback = "dev" + d.ifindex();
                moveDevice(d, init, null, init.byName.containsKey(fallback) ? "dev%d" : fallback);
            }
        }
        List<NetDevice> all = byIndex.descending();
        List<NetDevice> batch = new ArrayList<>();
        for (NetDevice d : all) {
            if (!batch.contains(d)) {
                batch.add(d);
                if (d instanceof Veth v && v.peer() != null && !batch.contains(v.peer())) {
                    batch.add(v.peer());
                }
            }
        }
        unregisterMany(batch);
        nsids.clear();
        usedNsids.clear();
    }

    @Override
    public String toString() {
        return "netns:[" + inode + "]";
    }
}
