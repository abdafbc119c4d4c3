package dev.ipsim.kernel;

import dev.ipsim.kernel.addr.MacAddress;
import dev.ipsim.kernel.ipv4.InetIfAddr;
import dev.ipsim.kernel.ipv4.Ipv4;
import dev.ipsim.kernel.ipv6.Ipv6;
import dev.ipsim.kernel.link.DeviceFlags;
import dev.ipsim.kernel.link.Dummy;
import dev.ipsim.kernel.link.EthernetNic;
import dev.ipsim.kernel.link.LinkSpec;
import dev.ipsim.kernel.link.Loopback;
import dev.ipsim.kernel.link.NetDevice;
import dev.ipsim.kernel.link.Veth;
import dev.ipsim.kernel.packet.NetStack;
import dev.ipsim.kernel.sysctl.SysctlTable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
    private final TreeMap<Integer, NetDevice> byIndex = new TreeMap<>();
    private final Map<String, NetDevice> byName = new HashMap<>();
    /** {@code net->ifindex}: where the cyclic ifindex allocation continues from. */
    private int nextIndex = 1;
    private final SysctlTable sysctls = new SysctlTable();
    private final Ipv4 ipv4;
    private final Ipv6 ipv6;
    /** The packet path: neighbours, IPv4 and IPv6 input and output, sockets. */
    private final NetStack stack;
    private final List<NetdevListener> listeners = new ArrayList<>();
    /** Ids this namespace has given other namespaces ({@code peernet2id}). */
    private final Map<NetNamespace, Integer> nsids = new LinkedHashMap<>();

    NetNamespace(Kernel kernel, long inode) {
        this.kernel = kernel;
        this.inode = inode;
        this.ipv4 = new Ipv4(this);
        this.ipv6 = new Ipv6(this);
        listeners.add(ipv4);
        listeners.add(ipv6);
        this.stack = new NetStack(this);
        listeners.add(stack);
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

    /** Adds a listener to the netdevice notifier chain, after the protocol stacks. */
    public void addNetdevListener(NetdevListener l) {
        listeners.add(l);
    }

    /** {@code call_netdevice_notifiers}. */
    public void notifyNetdev(NetdevEvent event, NetDevice dev) {
        for (NetdevListener l : List.copyOf(listeners)) {
            l.onNetdevEvent(event, dev);
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
        int next = 0;
        while (nsids.containsValue(next)) {
            next++;
        }
        nsids.put(other, next);
        return next;
    }

    /** Assigns a chosen id ({@code ip netns set NAME ID}). */
    public void assignNsid(NetNamespace other, int id) {
        if (nsids.containsKey(other)) {
            throw new KernelException(Errno.EEXIST);
        }
        if (nsids.containsValue(id)) {
            throw new KernelException(Errno.EEXIST);
        }
        nsids.put(other, id);
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
        nsids.remove(gone);
    }

    // ------------------------------------------------------------------ registration

    void createLoopback() {
        register(new Loopback(), null);
    }

    /** {@code dev_valid_name}. */
    public static boolean validName(String name) {
        if (name.isEmpty() || name.length() > NetDevice.MAX_NAME_LENGTH || name.equals(".") || name.equals("..")) {
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

    /** Checks that an explicit ifindex can be had here. */
    void checkIndex(Integer index) {
        if (index != null && byIndex.containsKey(index)) {
            throw new KernelException(Errno.EBUSY);
        }
    }

    /** {@code dev_index_reserve}: a requested index, or the next free one, cyclically. */
    private int allocateIndex(Integer requested) {
        if (requested != null) {
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
        int index = allocateIndex(requestedIndex);
        dev.attach(this, index);
        byIndex.put(index, dev);
        byName.put(dev.name(), dev);
        sysctls.addDevice(dev.name(), dev.isLoopback(), dev.mtu());
        if (!dev.hasCarrier()) {
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

    private static void validateEthernetSpec(LinkSpec spec, int minMtu, int maxMtu) {
        if (spec.address != null && !spec.address.isValidUnicast()) {
            throw new KernelException(Errno.EADDRNOTAVAIL);
        }
        if (spec.mtu != null && (spec.mtu < minMtu || (maxMtu > 0 && spec.mtu > maxMtu))) {
            throw new KernelException(Errno.EINVAL);
        }
    }

    /**
     * {@code ip link add NAME type veth peer name PEER}: the peer is made and registered first
     * (so it gets the lower ifindex), in {@code peerNamespace} when given.
     */
    public Veth addVeth(LinkSpec self, LinkSpec peer, NetNamespace peerNamespace) {
        NetNamespace peerNs = peerNamespace != null ? peerNamespace : this;
        validateEthernetSpec(self, NetDevice.ETH_MIN_MTU, Veth.VETH_MAX_MTU);
        validateEthernetSpec(peer, NetDevice.ETH_MIN_MTU, Veth.VETH_MAX_MTU);
        String peerName = peerNs.resolveName(peer.name != null ? peer.name : "veth%d", List.of());
        String selfName;
        try {
            selfName = resolveName(self.name != null ? self.name : "veth%d",
                    peerNs == this ? List.of(peerName) : List.of());
        } catch (KernelException e) {
            // the peer was registered before this end's name was refused: its ifindex is spent
            peerNs.allocateIndex(peer.index);
            throw e;
        }
        peerNs.checkIndex(peer.index);
        checkIndex(self.index);
        if (peerNs == this && self.index != null && self.index.equals(peer.index)) {
            throw new KernelException(Errno.EBUSY);
        }
        int queues = kernel.cpus();
        Veth peerDev = new Veth(peerName, peerNs.addressFor(peer), queues);
        Veth selfDev = new Veth(selfName, addressFor(self), queues);
        Veth.pair(selfDev, peerDev);
        applyCreationAttributes(peerDev, peer);
        applyCreationAttributes(selfDev, self);
        // veth_newlink: each end's carrier goes off right after it registers (and that counts)
        peerNs.register(peerDev, peer.index);
        kernel.linkWatch().carrierOff(peerDev);
        register(selfDev, self.index);
        kernel.linkWatch().carrierOff(selfDev);
        kernel.settle();
        if (Boolean.TRUE.equals(peer.up)) {
            peerNs.open(peerDev);
        }
        if (Boolean.TRUE.equals(self.up)) {
            open(selfDev);
        }
        kernel.settle();
        return selfDev;
    }

    /** {@code ip link add NAME type dummy}. */
    public Dummy addDummy(LinkSpec spec) {
        validateEthernetSpec(spec, 0, 0);
        String name = resolveName(spec.name != null ? spec.name : "dummy%d", List.of());
        checkIndex(spec.index);
        Dummy dev = new Dummy(name, addressFor(spec));
        applyCreationAttributes(dev, spec);
        register(dev, spec.index);
        if (Boolean.TRUE.equals(spec.up)) {
            open(dev);
        }
        kernel.settle();
        return dev;
    }

    /** A NIC, as a machine's driver registers it at boot. */
    public EthernetNic addEthernetNic(String name, MacAddress address) {
        EthernetNic dev = new EthernetNic(resolveName(name, List.of()), address);
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
        if (spec.alias != null && !spec.alias.isEmpty()) {
            dev.setAlias(spec.alias);
        }
        if (spec.linkMode != null) {
            dev.setLinkMode(spec.linkMode);
        }
        if (spec.addrGenMode != null) {
            dev.ipv6().setAddrGenMode(spec.addrGenMode);
        }
    }

    // ------------------------------------------------------------------ up and down

    /** {@code dev_open}: no-op when already up. */
    public void open(NetDevice dev) {
        if (dev.isUp()) {
            return;
        }
        dev.setRawFlag(DeviceFlags.UP, true);
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
        dev.driverStop();
        notifyNetdev(NetdevEvent.DOWN, dev);
        kernel.settle();
    }

    // ------------------------------------------------------------------ changes

    /**
     * {@code do_setlink}: applies a change request in the kernel's order (address, mtu, group,
     * name, alias, broadcast, flags, txqueuelen, link mode), after checking all of it.
     */
    public void setLink(NetDevice dev, LinkSpec change) {
        validateChange(dev, change);
        if (change.address != null && !change.address.equals(dev.address())) {
            dev.setAddress(change.address);
            notifyNetdev(NetdevEvent.CHANGEADDR, dev);
        }
        if (change.mtu != null && change.mtu != dev.mtu()) {
            dev.setMtu(change.mtu);
            notifyNetdev(NetdevEvent.CHANGEMTU, dev);
        }
        if (change.group != null) {
            dev.setGroup(change.group);
        }
        if (change.name != null && !change.name.equals(dev.name())) {
            rename(dev, change.name);
        }
        if (change.alias != null) {
            dev.setAlias(change.alias.isEmpty() ? null : change.alias);
        }
        if (change.broadcast != null) {
            dev.setBroadcast(change.broadcast);
        }
        if (change.promisc != null && change.promisc != ((dev.userFlags() & DeviceFlags.PROMISC) != 0)) {
            // __dev_change_flags: the user's PROMISC is one more promiscuity reference
            dev.setUserFlag(DeviceFlags.PROMISC, change.promisc);
            dev.adjustPromiscuity(change.promisc ? 1 : -1);
        }
        if (change.allmulti != null && change.allmulti != ((dev.userFlags() & DeviceFlags.ALLMULTI) != 0)) {
            dev.setUserFlag(DeviceFlags.ALLMULTI, change.allmulti);
            dev.adjustAllmulti(change.allmulti ? 1 : -1);
        }
        if (change.noarp != null) {
            dev.setRawFlag(DeviceFlags.NOARP, change.noarp);
        }
        if (change.multicast != null) {
            dev.setRawFlag(DeviceFlags.MULTICAST, change.multicast);
        }
        if (change.dynamic != null) {
            dev.setRawFlag(DeviceFlags.DYNAMIC, change.dynamic);
        }
        if (change.up != null) {
            if (change.up) {
                open(dev);
            } else {
                close(dev);
            }
        }
        if (change.txQueueLength != null) {
            dev.setTxQueueLength(change.txQueueLength);
        }
        if (change.linkMode != null) {
            dev.setLinkMode(change.linkMode);
            kernel.linkWatch().fire(dev);
        }
        if (change.addrGenMode != null) {
            dev.ipv6().setAddrGenMode(change.addrGenMode);
        }
        kernel.settle();
    }

    private void validateChange(NetDevice dev, LinkSpec change) {
        if (change.address != null) {
            if (!change.address.isValidUnicast()) {
                throw new KernelException(Errno.EADDRNOTAVAIL);
            }
        }
        if (change.mtu != null) {
            if (change.mtu < dev.minMtu()) {
                throw new KernelException(Errno.EINVAL, "mtu less than device minimum");
            }
            if (dev.maxMtu() > 0 && change.mtu > dev.maxMtu()) {
                throw new KernelException(Errno.EINVAL, "mtu greater than device maximum");
            }
        }
        if (change.name != null && !change.name.equals(dev.name())) {
            if (!validName(change.name)) {
                throw new KernelException(Errno.EINVAL);
            }
            if (change.name.contains("%")) {
                change.name = resolveName(change.name, List.of());
            }
            if (byName.containsKey(change.name)) {
                throw new KernelException(Errno.EEXIST);
            }
        }
    }

    /** {@code dev_change_name}. */
    private void rename(NetDevice dev, String newName) {
        String old = dev.name();
        byName.remove(old);
        dev.setName(newName);
        byName.put(newName, dev);
        sysctls.renameDevice(old, newName);
        for (InetIfAddr ifa : dev.ipv4().addresses()) {
            String label = ifa.label();
            int colon = label.indexOf(':');
            ifa.setLabel(colon >= 0 ? newName + label.substring(colon) : newName);
        }
        notifyNetdev(NetdevEvent.CHANGENAME, dev);
    }

    // ------------------------------------------------------------------ deletion

    /**
     * {@code rtnl_dellink}: deletes a device; a veth end takes its peer along, wherever it is.
     *
     * @throws KernelException EOPNOTSUPP for devices that cannot be deleted (lo)
     */
    public void deleteLink(NetDevice dev) {
        if (dev.isLoopback()) {
            throw new KernelException(Errno.ENOTSUP);
        }
        List<NetDevice> batch = new ArrayList<>();
        batch.add(dev);
        if (dev instanceof Veth v && v.peer() != null) {
            batch.add(v.peer());
        }
        unregisterMany(batch);
    }

    /** {@code unregister_netdevice_many}: close all, then announce and remove each. */
    void unregisterMany(List<NetDevice> batch) {
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

    /** Destroys every device but loopback's dependants first ({@code default_device_exit}). */
    void destroyAllDevices() {
        List<NetDevice> all = new ArrayList<>(byIndex.descendingMap().values());
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
    }

    @Override
    public String toString() {
        return "netns:[" + inode + "]";
    }
}
