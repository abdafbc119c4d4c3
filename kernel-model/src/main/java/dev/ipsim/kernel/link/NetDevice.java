package dev.ipsim.kernel.link;

import dev.ipsim.kernel.NetNamespace;
import dev.ipsim.kernel.addr.MacAddress;
import dev.ipsim.kernel.ipv4.InDevice;
import dev.ipsim.kernel.ipv6.Inet6Device;

/**
 * A network device ({@code struct net_device}): identity, link-layer state and the
 * per-protocol state hung off it.
 *
 * <p>State changes that other subsystems must hear about (up/down, carrier, name, address,
 * mtu) go through {@link NetNamespace}, which plays rtnetlink and the notifier chains; this
 * class holds the state and the driver hooks a device kind overrides.
 */
public abstract class NetDevice {

    /** {@code ARPHRD_ETHER}. */
    public static final int ARPHRD_ETHER = 1;
    /** {@code ARPHRD_LOOPBACK}. */
    public static final int ARPHRD_LOOPBACK = 772;
    /** {@code ARPHRD_NONE}. */
    public static final int ARPHRD_NONE = 0xFFFE;

    /** {@code DEFAULT_TX_QUEUE_LEN}. */
    public static final int DEFAULT_TX_QUEUE_LEN = 1000;
    /** {@code ETH_DATA_LEN}. */
    public static final int ETH_DATA_LEN = 1500;
    /** {@code ETH_MIN_MTU}. */
    public static final int ETH_MIN_MTU = 68;
    /** {@code IFNAMSIZ} - 1: the longest name a device may have. */
    public static final int MAX_NAME_LENGTH = 15;
    /** {@code NET_NAME_ENUM}: a name the kernel numbered ({@code veth%d}). */
    public static final int NET_NAME_ENUM = 1;
    /** {@code NET_NAME_PREDICTABLE}: a name fixed by the kernel ({@code lo}). */
    public static final int NET_NAME_PREDICTABLE = 2;
    /** {@code NET_NAME_USER}: a name userspace gave at creation. */
    public static final int NET_NAME_USER = 3;
    /** {@code NET_NAME_RENAMED}: a name changed after registration. */
    public static final int NET_NAME_RENAMED = 4;
    /** {@code NET_ADDR_PERM}: the hardware's own address. */
    public static final int NET_ADDR_PERM = 0;
    /** {@code NET_ADDR_RANDOM}: an address the kernel made up. */
    public static final int NET_ADDR_RANDOM = 1;
    /** {@code NET_ADDR_SET}: an address userspace set. */
    public static final int NET_ADDR_SET = 3;
    /** {@code GSO_LEGACY_MAX_SIZE}: a new device's {@code gso_max_size}. */
    public static final int GSO_LEGACY_MAX_SIZE = 65536;
    /** {@code GSO_MAX_SEGS}. */
    public static final int GSO_MAX_SEGS = 65535;
    /** {@code TSO_MAX_SIZE} (512 KiB less 8 bytes): what software devices can take. */
    public static final int TSO_MAX_SIZE = 524280;
    /** {@code TSO_MAX_SEGS}. */
    public static final int TSO_MAX_SEGS = 65535;
    /** {@code GRO_LEGACY_MAX_SIZE}: a new device's {@code gro_max_size}. */
    public static final int GRO_LEGACY_MAX_SIZE = 65536;
    /** {@code GRO_MAX_SIZE}: the most {@code gro_max_size} can be set to. */
    public static final int GRO_MAX_SIZE = 524280;

    private NetNamespace namespace;
    private int ifindex;
    private String name;
    private String alias;
    private MacAddress address;
    private MacAddress broadcast;
    private int mtu;
    private final int minMtu;
    private final int maxMtu;
    private int txQueueLength;
    private int group;
    /** {@code dev->flags}: administrative flags and the driver's fixed ones. */
    private int flags;
    /** {@code dev->gflags}: PROMISC/ALLMULTI as set by the user. */
    private int userFlags;
    private int promiscuity;
    private int allmulti;
    private boolean carrier = true;
    private boolean dormant;
    /** The operstate linkwatch last computed; reported only while the device runs. */
    private OperState storedOperState = OperState.UNKNOWN;
    private LinkMode linkMode = LinkMode.DEFAULT;
    /** The root qdisc's kind once the device has been activated; {@code noop} before. */
    private String qdisc;
    private NetDevice master;
    private RxHandler rxHandler;
    /** {@code dev->mc}: the link-layer multicast addresses the device listens to, with their references. */
    private final dev.ipsim.kernel.mcast.SmallCounts<MacAddress> multicastList = new dev.ipsim.kernel.mcast.SmallCounts<>();
    private int carrierUpCount;
    private int carrierDownCount;
    /** {@code NET_NAME_*} and {@code NET_ADDR_*} (0..4): bytes, a device being allocated by the thousand. */
    private byte nameAssignType = NET_NAME_ENUM;
    private byte addressAssignType = NET_ADDR_PERM;
    /** The offload and NAPI tunables, made when one is first set: defaults until then. */
    private Tunables tunables;

    private static final class Tunables {
        long gsoMaxSize = GSO_LEGACY_MAX_SIZE;
        long gsoMaxSegs = GSO_MAX_SEGS;
        long groMaxSize = GRO_LEGACY_MAX_SIZE;
        long groFlushTimeout;
        int napiDeferHardIrqs;
    }

    private Tunables tunables() {
        if (tunables == null) {
            tunables = new Tunables();
        }
        return tunables;
    }
    private final LinkStats stats = new LinkStats();
    private InDevice ipv4;
    private Inet6Device ipv6;
    private boolean registered;
    /**
     * The packet engine's per-device state, kept here rather than in maps keyed by device (a
     * hash probe or two per frame): {@code hash32_ptr(dev)} once drawn, the frames on their way
     * to the device, and when the last of them is due. Only {@code PacketEngine} touches them.
     */
    public EngineState engine;

    /** See {@link #engine}: made when the packet engine first needs it. */
    public static final class EngineState {
        public int pointerHash;
        public boolean pointerHashDrawn;
        public int backlog;
        public long lastArrival = Long.MIN_VALUE;
    }

    /** {@link #engine}, made if missing. */
    public EngineState engine() {
        EngineState e = engine;
        if (e == null) {
            e = new EngineState();
            engine = e;
        }
        return e;
    }

    protected NetDevice(String name, int flags, int mtu, int minMtu, int maxMtu, MacAddress address,
                        MacAddress broadcast) {
        this.name = name;
        this.flags = flags;
        this.mtu = mtu;
        this.minMtu = minMtu;
        this.maxMtu = maxMtu;
        this.address = address;
        this.broadcast = broadcast;
        this.txQueueLength = DEFAULT_TX_QUEUE_LEN;
        this.ipv4 = new InDevice(this);
        this.ipv6 = new Inet6Device(this);
    }

    // ---------------------------------------------------------------- driver hooks

    /** {@code IFLA_INFO_KIND}: "veth", "dummy", "bridge"; {@code null} for lo and NICs. */
    public abstract String kind();

    /** {@code dev->type}, an {@code ARPHRD_*} number. */
    public int hardwareType() {
        return ARPHRD_ETHER;
    }

    /**
     * {@code ethtool_ops->get_link_ksettings}'s speed in Mb/s, or {@code null} for a driver
     * without one (loopback, dummy, bridge).
     */
    public Integer ethtoolSpeed() {
        return null;
    }

    /** {@code dev->addr_len}: 6 for Ethernet and loopback, 0 for a device without link-layer addresses (tun). */
    public int addressLength() {
        return 6;
    }

    /** {@code ndo_get_iflink}: the ifindex of the device this one is stacked on or paired with. */
    public int iflink() {
        return ifindex;
    }

    /** The device {@link #iflink()} names, when there is one other than this device. */
    public NetDevice linkDevice() {
        return null;
    }

    /** The qdisc a device gets when it first comes up ({@code noqueue} for IFF_NO_QUEUE devices). */
    public String defaultQdisc() {
        return "noqueue";
    }

    /** Whether the driver manages carrier, so that linkwatch computes its operstate. */
    public boolean managesCarrier() {
        return true;
    }

    /** {@code ndo_open}: called by {@link NetNamespace} before the device is marked up. */
    public void driverOpen() {
        dev.ipsim.kernel.LookupEpoch.bump();
    }

    /** {@code ndo_stop}: called by {@link NetNamespace} after the device is marked down. */
    public void driverStop() {
        dev.ipsim.kernel.LookupEpoch.bump();
    }

    /** Whether the driver has {@code ndo_change_carrier}, so users may switch the carrier. */
    public boolean supportsCarrierChange() {
        return false;
    }

    /**
     * {@code netns_immutable} ({@code NETIF_F_NETNS_LOCAL} before 6.12): the device cannot leave
     * its namespace. Loopback and bridges are; veths and NICs are not.
     */
    public boolean isNetnsLocal() {
        return isLoopback();
    }

    /** Whether {@code ip link delete} may delete it ({@code rtnl_link_ops->dellink}): devices of a kind. */
    public boolean userDeletable() {
        return kind() != null;
    }

    /** {@code ndo_set_mac_address}'s driver part, after the address is set ({@code ip link set DEV address}). */
    public void driverAddressSet() {
        dev.ipsim.kernel.LookupEpoch.bump();
    }

    /** {@code ndo_change_mtu}'s driver part, after the user set the MTU. */
    public void driverMtuSet() {
        dev.ipsim.kernel.LookupEpoch.bump();
    }

    /** Number of transmit queues, as {@code ip -d link} shows. */
    public int txQueues() {
        return 1;
    }

    public int rxQueues() {
        return 1;
    }

    // ---------------------------------------------------------------- identity

    public NetNamespace namespace() {
        return namespace;
    }

    public int ifindex() {
        return ifindex;
    }

    public String name() {
        return name;
    }

    public String alias() {
        return alias;
    }

    public MacAddress address() {
        return address;
    }

    public MacAddress broadcast() {
        return broadcast;
    }

    public int mtu() {
        return mtu;
    }

    public int minMtu() {
        return minMtu;
    }

    public int maxMtu() {
        return maxMtu;
    }

    public int txQueueLength() {
        return txQueueLength;
    }

    public int group() {
        return group;
    }

    public NetDevice master() {
        return master;
    }

    public LinkMode linkMode() {
        return linkMode;
    }

    public LinkStats stats() {
        return stats;
    }

    /** {@code name_assign_type}: how the device got its name ({@code NET_NAME_*}). */
    public int nameAssignType() {
        return nameAssignType;
    }

    public void setNameAssignType(int type) {
        dev.ipsim.kernel.LookupEpoch.bump();
        nameAssignType = (byte) type;
    }

    /** {@code addr_assign_type}: how the device got its address ({@code NET_ADDR_*}). */
    public int addressAssignType() {
        return addressAssignType;
    }

    public void setAddressAssignType(int type) {
        dev.ipsim.kernel.LookupEpoch.bump();
        addressAssignType = (byte) type;
    }

    public long gsoMaxSize() {
        return tunables == null ? GSO_LEGACY_MAX_SIZE : tunables.gsoMaxSize;
    }

    public long gsoMaxSegs() {
        return tunables == null ? GSO_MAX_SEGS : tunables.gsoMaxSegs;
    }

    public long groMaxSize() {
        return tunables == null ? GRO_LEGACY_MAX_SIZE : tunables.groMaxSize;
    }

    /** {@code tso_max_size}: the largest GSO packet the device takes. */
    public long tsoMaxSize() {
        return TSO_MAX_SIZE;
    }

    public long tsoMaxSegs() {
        return TSO_MAX_SEGS;
    }

    public void setGsoMaxSize(long v) {
        dev.ipsim.kernel.LookupEpoch.bump();
        tunables().gsoMaxSize = v;
    }

    public void setGsoMaxSegs(long v) {
        dev.ipsim.kernel.LookupEpoch.bump();
        tunables().gsoMaxSegs = v;
    }

    public void setGroMaxSize(long v) {
        dev.ipsim.kernel.LookupEpoch.bump();
        tunables().groMaxSize = v;
    }

    /** {@code gro_flush_timeout} (ns, unsigned): only stored for the user, through sysfs. */
    public long groFlushTimeout() {
        return tunables == null ? 0 : tunables.groFlushTimeout;
    }

    public void setGroFlushTimeout(long v) {
        dev.ipsim.kernel.LookupEpoch.bump();
        tunables().groFlushTimeout = v;
    }

    /** {@code napi_defer_hard_irqs}: only stored for the user, through sysfs. */
    public int napiDeferHardIrqs() {
        return tunables == null ? 0 : tunables.napiDeferHardIrqs;
    }

    public void setNapiDeferHardIrqs(int v) {
        dev.ipsim.kernel.LookupEpoch.bump();
        tunables().napiDeferHardIrqs = v;
    }

    public InDevice ipv4() {
        return ipv4;
    }

    public Inet6Device ipv6() {
        return ipv6;
    }

    public int promiscuity() {
        return promiscuity;
    }

    public int allmultiCount() {
        return allmulti;
    }

    public int carrierChanges() {
        return carrierUpCount + carrierDownCount;
    }

    public int carrierUpCount() {
        return carrierUpCount;
    }

    public int carrierDownCount() {
        return carrierDownCount;
    }

    public boolean isRegistered() {
        return registered;
    }

    // ---------------------------------------------------------------- state as reported

    /** {@code IFF_UP}: administratively up ({@code netif_running}). */
    public boolean isUp() {
        return (flags & DeviceFlags.UP) != 0;
    }

    public boolean hasCarrier() {
        return carrier;
    }

    public boolean isLoopback() {
        return (flags & DeviceFlags.LOOPBACK) != 0;
    }

    /** The raw {@code dev->flags}. */
    public int rawFlags() {
        return flags;
    }

    /**
     * The flags rtnetlink reports ({@code dev_get_flags()}): RUNNING when the operstate lets
     * packets through, LOWER_UP with carrier, DORMANT, all only while the device is up.
     */
    public int flags() {
        int f = flags & ~(DeviceFlags.PROMISC | DeviceFlags.ALLMULTI | DeviceFlags.RUNNING
                | DeviceFlags.LOWER_UP | DeviceFlags.DORMANT);
        // dev_get_flags: PROMISC and ALLMULTI as the user set them (gflags), not as a bridge or
        // a packet socket did
        f |= userFlags & (DeviceFlags.PROMISC | DeviceFlags.ALLMULTI);
        if (isUp()) {
            if (storedOperState.isOperUp()) {
                f |= DeviceFlags.RUNNING;
            }
            if (carrier) {
                f |= DeviceFlags.LOWER_UP;
            }
            if (dormant) {
                f |= DeviceFlags.DORMANT;
            }
        }
        return f;
    }

    /** The operstate rtnetlink and sysfs report: DOWN while not running, else linkwatch's. */
    public OperState operState() {
        return isUp() ? storedOperState : OperState.DOWN;
    }

    /** Whether the device passes packets: up with an operstate that is UP or UNKNOWN. */
    public boolean isOperational() {
        return isUp() && storedOperState.isOperUp();
    }

    public String qdisc() {
        return qdisc == null ? "noop" : qdisc;
    }

    // ---------------------------------------------------------------- mutators for the namespace

    /** Sets namespace and ifindex when the device is registered in (or moved to) a namespace. */
    public void attach(NetNamespace ns, int index) {
        dev.ipsim.kernel.LookupEpoch.bump();
        this.namespace = ns;
        this.ifindex = index;
        this.registered = true;
    }

    public void detach() {
        dev.ipsim.kernel.LookupEpoch.bump();
        this.registered = false;
    }

    /**
     * What {@code __dev_change_net_namespace} leaves of a device between its namespaces:
     * {@code dev_shutdown} destroys the qdisc (it is {@code noop} until the device next comes up),
     * and the protocols' per-device state went with {@code NETDEV_UNREGISTER}; the new
     * namespace's {@code NETDEV_REGISTER} makes fresh state from its own defaults.
     */
    public void shutdownForMove() {
        dev.ipsim.kernel.LookupEpoch.bump();
        this.qdisc = null;
        this.ipv4 = new InDevice(this);
        this.ipv6 = new Inet6Device(this);
    }

    public void setName(String name) {
        dev.ipsim.kernel.LookupEpoch.bump();
        this.name = name;
    }

    public void setAlias(String alias) {
        dev.ipsim.kernel.LookupEpoch.bump();
        this.alias = alias;
    }

    public void setAddress(MacAddress address) {
        dev.ipsim.kernel.LookupEpoch.bump();
        this.address = address;
    }

    public void setBroadcast(MacAddress broadcast) {
        dev.ipsim.kernel.LookupEpoch.bump();
        this.broadcast = broadcast;
    }

    public void setMtu(int mtu) {
        dev.ipsim.kernel.LookupEpoch.bump();
        this.mtu = mtu;
    }

    public void setTxQueueLength(int txQueueLength) {
        dev.ipsim.kernel.LookupEpoch.bump();
        this.txQueueLength = txQueueLength;
    }

    public void setGroup(int group) {
        dev.ipsim.kernel.LookupEpoch.bump();
        this.group = group;
    }

    public void setMaster(NetDevice master) {
        dev.ipsim.kernel.LookupEpoch.bump();
        this.master = master;
    }

    /** How many of its last ups and downs a device remembers ({@link #upDownHistory}). */
    public static final int UP_DOWN_HISTORY = 64;

    private long[] upDown = new long[0];
    private long masterSerial;

    /**
     * Notes that the device went up or down as the kernel's change {@code serial}
     * ({@link dev.ipsim.kernel.Kernel#nextEventSerial}); the last {@link #UP_DOWN_HISTORY} are kept.
     */
    public void recordUpDown(long serial, boolean up) {
        int n = Math.min(upDown.length + 1, UP_DOWN_HISTORY);
        long[] next = new long[n];
        System.arraycopy(upDown, upDown.length - (n - 1), next, 0, n - 1);
        next[n - 1] = up ? serial : -serial;
        upDown = next;
    }

    /** The device's last ups (a serial) and downs (minus the serial), oldest first. */
    public long[] upDownHistory() {
        return upDown.clone();
    }

    /** The change that made the device its master's port (0: none, or not known). */
    public long masterSerial() {
        return masterSerial;
    }

    public void setMasterSerial(long serial) {
        this.masterSerial = serial;
    }

    /** {@code rx_handler}: whoever takes the device's received frames (its bridge), or {@code null}. */
    public RxHandler rxHandler() {
        return rxHandler;
    }

    /** {@code netdev_rx_handler_register} ({@code null}: unregister). */
    public void setRxHandler(RxHandler handler) {
        dev.ipsim.kernel.LookupEpoch.bump();
        this.rxHandler = handler;
    }

    /** {@code dev_mc_add}: one more reference to a multicast address; a new one goes last. */
    public void addMulticast(MacAddress mac) {
        multicastList.increment(mac);
    }

    /** {@code dev_mc_del}: drops one reference; the address goes with the last. */
    public void deleteMulticast(MacAddress mac) {
        multicastList.decrement(mac);
    }

    /** {@code dev->uc}: secondary unicast addresses, in the order they were added. */
    private final java.util.List<MacAddress> unicastList = new java.util.ArrayList<>();

    /** {@code dev_uc_add_excl}: EEXIST when the address is already there. */
    public void addUnicastExclusive(MacAddress mac) {
        if (unicastList.contains(mac)) {
            throw new dev.ipsim.kernel.KernelException(dev.ipsim.kernel.Errno.EEXIST);
        }
        unicastList.add(mac);
    }

    /** {@code dev_uc_del}: ENOENT when the address is not there. */
    public void deleteUnicast(MacAddress mac) {
        if (!unicastList.remove(mac)) {
            throw new dev.ipsim.kernel.KernelException(dev.ipsim.kernel.Errno.ENOENT);
        }
    }

    /** {@code dev_mc_add_excl}: a global-use address, EEXIST when the address is already there. */
    public void addMulticastExclusive(MacAddress mac) {
        if (multicastList.countOf(mac) > 0) {
            throw new dev.ipsim.kernel.KernelException(dev.ipsim.kernel.Errno.EEXIST);
        }
        multicastList.increment(mac);
    }

    /** {@code dev_mc_del} for {@code bridge fdb del ... self}: ENOENT when the address is not there. */
    public void deleteMulticastOrFail(MacAddress mac) {
        if (multicastList.countOf(mac) == 0) {
            throw new dev.ipsim.kernel.KernelException(dev.ipsim.kernel.Errno.ENOENT);
        }
        multicastList.decrement(mac);
    }

    /** {@code dev->uc}, in the order the addresses were added. */
    public java.util.List<MacAddress> unicastAddresses() {
        return java.util.List.copyOf(unicastList);
    }

    /** {@code dev->mc}, in the order the addresses were added. */
    public java.util.List<MacAddress> multicastAddresses() {
        return multicastList.keys();
    }

    /** An address's {@code refcount} on {@code dev->mc}, 0 when it is not there. */
    public int multicastUsers(MacAddress mac) {
        return multicastList.countOf(mac);
    }

    /** The addresses a user added ({@code ha->global_use}, {@code SIOCADDMULTI}). */
    private java.util.List<MacAddress> globalMulticast = java.util.List.of();

    /** Whether a user added the address ({@code ha->global_use}). */
    public boolean isGlobalMulticast(MacAddress mac) {
        return globalMulticast.contains(mac) && multicastList.containsKey(mac);
    }

    /**
     * {@code dev_mc_add_global}: a user's reference to a multicast address, taken once however
     * often the user adds it.
     */
    public void addGlobalMulticast(MacAddress mac) {
        if (isGlobalMulticast(mac)) {
            return;
        }
        java.util.List<MacAddress> g = new java.util.ArrayList<>(globalMulticast);
        g.removeIf(m -> m.equals(mac));
        g.add(mac);
        globalMulticast = java.util.List.copyOf(g);
        multicastList.increment(mac);
    }

    /** {@code dev_mc_del_global}: returns false (ENOENT) when no user added the address. */
    public boolean deleteGlobalMulticast(MacAddress mac) {
        if (!isGlobalMulticast(mac)) {
            return false;
        }
        java.util.List<MacAddress> g = new java.util.ArrayList<>(globalMulticast);
        g.removeIf(m -> m.equals(mac));
        globalMulticast = java.util.List.copyOf(g);
        multicastList.decrement(mac);
        return true;
    }

    /** Whether the driver has {@code ndo_set_rx_mode}, so users may add multicast addresses. */
    public boolean hasRxMode() {
        return !isLoopback();
    }

    public void setLinkMode(LinkMode linkMode) {
        dev.ipsim.kernel.LookupEpoch.bump();
        this.linkMode = linkMode;
    }

    public void setRawFlag(int flag, boolean on) {
        dev.ipsim.kernel.LookupEpoch.bump();
        flags = on ? flags | flag : flags & ~flag;
    }

    public void setUserFlag(int flag, boolean on) {
        dev.ipsim.kernel.LookupEpoch.bump();
        userFlags = on ? userFlags | flag : userFlags & ~flag;
    }

    public int userFlags() {
        return userFlags;
    }

    /** {@code __dev_set_promiscuity}: IFF_PROMISC in {@code dev->flags} while any reference holds it. */
    public void adjustPromiscuity(int delta) {
        dev.ipsim.kernel.LookupEpoch.bump();
        promiscuity = Math.max(0, promiscuity + delta);
        flags = promiscuity > 0 ? flags | DeviceFlags.PROMISC : flags & ~DeviceFlags.PROMISC;
    }

    /** {@code __dev_set_allmulti}: IFF_ALLMULTI in {@code dev->flags} while any reference holds it. */
    public void adjustAllmulti(int delta) {
        dev.ipsim.kernel.LookupEpoch.bump();
        allmulti = Math.max(0, allmulti + delta);
        flags = allmulti > 0 ? flags | DeviceFlags.ALLMULTI : flags & ~DeviceFlags.ALLMULTI;
    }

    public void setDormant(boolean dormant) {
        dev.ipsim.kernel.LookupEpoch.bump();
        this.dormant = dormant;
    }

    public boolean isDormant() {
        return dormant;
    }

    /** Attaches the default qdisc the first time the device is activated ({@code dev_activate}). */
    public void activateQdisc() {
        if (qdisc == null) {
            qdisc = txQueueLength == 0 ? "noqueue" : defaultQdisc();
        }
    }

    /**
     * Changes carrier state; returns whether it changed (callers then fire linkwatch).
     * Counts transitions only once the device is registered, as {@code netif_carrier_on/off} do.
     */
    public boolean changeCarrier(boolean on) {
        dev.ipsim.kernel.LookupEpoch.bump();
        if (carrier == on) {
            return false;
        }
        carrier = on;
        if (registered) {
            if (on) {
                carrierUpCount++;
            } else {
                carrierDownCount++;
            }
        }
        return true;
    }

    /** Sets the carrier before registration without counting it. */
    protected void initialCarrier(boolean on) {
        dev.ipsim.kernel.LookupEpoch.bump();
        carrier = on;
    }

    /**
     * linkwatch's {@code rfc2863_policy}: recompute the stored operstate from carrier, the
     * lower device's carrier, dormancy and link mode. Returns whether it changed.
     */
    public boolean recomputeOperState() {
        dev.ipsim.kernel.LookupEpoch.bump();
        OperState computed = defaultOperState();
        if (computed == storedOperState) {
            return false;
        }
        if (computed == OperState.UP && linkMode == LinkMode.DORMANT) {
            computed = OperState.DORMANT;
        } else if (computed == OperState.UP && linkMode == LinkMode.TESTING) {
            computed = OperState.TESTING;
        }
        storedOperState = computed;
        return true;
    }

    private OperState defaultOperState() {
        if (!carrier) {
            int iflink = iflink();
            if (iflink == ifindex) {
                return OperState.DOWN;
            }
            // the kernel looks the index up in this device's own namespace
            NetDevice peer = namespace == null ? null : namespace.deviceByIndex(iflink);
            if (peer == null) {
                return OperState.DOWN;
            }
            return peer.hasCarrier() ? OperState.DOWN : OperState.LOWERLAYERDOWN;
        }
        if (dormant) {
            return OperState.DORMANT;
        }
        return OperState.UP;
    }

    /**
     * {@code set_operstate}: the transitions a user (a supplicant) may ask for with
     * {@code IFLA_OPERSTATE}. UP leaves DORMANT, TESTING or UNKNOWN when the driver is not
     * dormant; TESTING and DORMANT are taken only from a state that passes packets; anything
     * else changes nothing. Returns whether the operstate changed.
     */
    public boolean requestOperState(OperState transition) {
        dev.ipsim.kernel.LookupEpoch.bump();
        OperState next = storedOperState;
        switch (transition) {
            case UP -> {
                if ((next == OperState.DORMANT || next == OperState.TESTING || next == OperState.UNKNOWN)
                        && !dormant) {
                    next = OperState.UP;
                }
            }
            case TESTING, DORMANT -> {
                if (storedOperState.isOperUp()) {
                    next = transition;
                }
            }
            default -> {
            }
        }
        if (next == storedOperState) {
            return false;
        }
        storedOperState = next;
        return true;
    }

    /** The stored operstate, before the not-running override. */
    public OperState storedOperState() {
        return storedOperState;
    }

    @Override
    public String toString() {
        return ifindex + ":" + name;
    }
}
