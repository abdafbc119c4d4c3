package dev.ipsim.kernel.bridge;

import dev.ipsim.kernel.Errno;
import dev.ipsim.kernel.KernelException;
import dev.ipsim.kernel.NetdevEvent;
import dev.ipsim.kernel.addr.Ipv4Address;
import dev.ipsim.kernel.addr.Ipv6Address;
import dev.ipsim.kernel.addr.MacAddress;
import dev.ipsim.kernel.link.DeviceFlags;
import dev.ipsim.kernel.link.MasterDevice;
import dev.ipsim.kernel.link.NetDevice;
import dev.ipsim.kernel.link.OperState;
import dev.ipsim.kernel.link.RxHandler;
import dev.ipsim.kernel.link.SwitchDevice;
import dev.ipsim.kernel.packet.PacketEngine;
import dev.ipsim.kernel.time.Jiffies;
import dev.ipsim.kernel.time.VirtualClock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A Linux bridge ({@code net/bridge}): a software switch whose ports are other devices, and a
 * device of its own through which the host takes part.
 *
 * <p>Frames received on a port are handed here instead of to the port's stack
 * ({@code br_handle_frame}): the source is learned, then the frame goes where the forwarding
 * database says, or is flooded to every other forwarding port when the destination is unknown,
 * broadcast or multicast; frames for the host's own addresses (and broadcasts and multicasts)
 * also go up through the bridge device. What the host sends through the bridge device is
 * switched the same way ({@code br_dev_xmit}). Learned entries age out after
 * {@code ageing_time} (300 s), checked by the garbage collection work.
 *
 * <p>Spanning tree is off by default ({@code stp_state 0}): a port that is up with carrier
 * forwards at once, and the bridge has carrier while any port forwards. The bridge takes the
 * lowest of its ports' MAC addresses unless the user gave it one. This kernel has no VLAN
 * filtering built in (the recorded machine's {@code ip -d link} shows no vlan attributes).
 */
public final class Bridge extends NetDevice implements MasterDevice, SwitchDevice, RxHandler {

    /** {@code ETH_MAX_MTU}. */
    public static final int MAX_MTU = 65535;
    /** Defaults, in jiffies ({@code br_dev_setup}). */
    public static final long FORWARD_DELAY = 15L * Jiffies.HZ;
    public static final long HELLO_TIME = 2L * Jiffies.HZ;
    public static final long MAX_AGE = 20L * Jiffies.HZ;
    public static final long AGEING_TIME = 300L * Jiffies.HZ;
    /** The bridge priority of a new bridge. */
    public static final int DEFAULT_PRIORITY = 0x8000;
    /** {@code br_group_address}: the STP group address. */
    public static final MacAddress GROUP_ADDRESS = MacAddress.parse("01:80:c2:00:00:00");

    /** The multicast snoopers' groups a bridge joins while up ({@code br_multicast_join_snoopers}). */
    private static final Ipv4Address SNOOPERS_V4 = Ipv4Address.parse("224.0.0.106");
    private static final Ipv6Address SNOOPERS_V6 = Ipv6Address.parse("ff02::6a");

    /** {@code port_list}: the newest port first. */
    private final List<BridgePort> ports = new ArrayList<>();
    /** The port numbers in use ({@code find_portno}'s bitmap). */
    private final java.util.BitSet portNumbers = new java.util.BitSet();
    /** {@code fdb_list}: the newest entry first. */
    private final List<FdbEntry> fdb = new ArrayList<>();
    private BridgeId bridgeId = new BridgeId(DEFAULT_PRIORITY, MacAddress.ZERO);
    private BridgeId designatedRoot = bridgeId;
    private int rootPort;
    private int rootPathCost;
    private boolean mtuSetByUser;
    private long tsoMaxSize = GSO_LEGACY_MAX_SIZE;
    private VirtualClock.Timer gcTimer;
    private long gcExpires;

    public Bridge(String name, MacAddress address) {
        super(name, DeviceFlags.BROADCAST | DeviceFlags.MULTICAST, ETH_DATA_LEN, ETH_MIN_MTU, MAX_MTU, address,
                MacAddress.BROADCAST);
    }

    @Override
    public String kind() {
        return "bridge";
    }

    @Override
    public boolean isNetnsLocal() {
        return true;
    }

    @Override
    public long tsoMaxSize() {
        return tsoMaxSize;
    }

    // ------------------------------------------------------------------ what ip -d link shows

    public List<BridgePort> ports() {
        return Collections.unmodifiableList(ports);
    }

    /** The forwarding database, newest entry first. */
    public List<FdbEntry> fdb() {
        return Collections.unmodifiableList(fdb);
    }

    public BridgeId bridgeId() {
        return bridgeId;
    }

    public BridgeId designatedRoot() {
        return designatedRoot;
    }

    public int rootPort() {
        return rootPort;
    }

    public int rootPathCost() {
        return rootPathCost;
    }

    /** Jiffies left until the garbage collection work runs; 0 while it is not scheduled. */
    public long gcTimerJiffies() {
        if (gcTimer == null || !gcTimer.pending()) {
            return 0;
        }
        return Math.max(0, gcExpires - now());
    }

    /** The port a device is, or {@code null}. */
    public BridgePort port(NetDevice dev) {
        for (BridgePort p : ports) {
            if (p.device() == dev) {
                return p;
            }
        }
        return null;
    }

    private long now() {
        return Jiffies.now(namespace().kernel().clock());
    }

    private PacketEngine packets() {
        return namespace().kernel().packets();
    }

    // ------------------------------------------------------------------ creation and addresses

    /**
     * {@code br_dev_newlink} with {@code IFLA_ADDRESS}: the bridge id takes the address, which
     * runs the port state selection, and with no port forwarding the carrier goes off.
     */
    public void createdWithAddress() {
        changeBridgeId(address());
    }

    /** {@code br_set_mac_address}: the user's address, kept whatever ports come and go. */
    @Override
    public void driverAddressSet() {
        changeFdbMacAddress(address());
        changeBridgeId(address());
    }

    /** {@code br_change_mtu}: from now on the ports no longer decide the MTU. */
    @Override
    public void driverMtuSet() {
        mtuSetByUser = true;
    }

    /**
     * {@code br_stp_recalculate_bridge_id}: unless the user set the address, the bridge takes
     * the lowest of its ports' addresses (all zeros without ports). Returns whether it changed.
     */
    boolean recalculateBridgeId() {
        if (addressAssignType() == NET_ADDR_SET) {
            return false;
        }
        MacAddress lowest = MacAddress.ZERO;
        for (BridgePort p : ports) {
            if (lowest.isZero() || p.device().address().compareTo(lowest) < 0) {
                lowest = p.device().address();
            }
        }
        if (bridgeId.address().equals(lowest)) {
            return false;
        }
        changeBridgeId(lowest);
        return true;
    }

    /** {@code br_stp_change_bridge_id}. */
    private void changeBridgeId(MacAddress address) {
        changeFdbMacAddress(address);
        MacAddress old = bridgeId.address();
        bridgeId = new BridgeId(bridgeId.priority(), address);
        setAddress(address);
        for (BridgePort p : ports) {
            if (p.designatedBridge != null && p.designatedBridge.address().equals(old)) {
                p.designatedBridge = new BridgeId(p.designatedBridge.priority(), address);
            }
            if (p.designatedRoot != null && p.designatedRoot.address().equals(old)) {
                p.designatedRoot = new BridgeId(p.designatedRoot.priority(), address);
            }
        }
        configurationUpdate();
        portStateSelection();
    }

    // ------------------------------------------------------------------ STP, without STP

    /** {@code br_configuration_update}: this bridge is the root, every port designated. */
    private void configurationUpdate() {
        rootPort = 0;
        designatedRoot = bridgeId;
        rootPathCost = 0;
        for (BridgePort p : ports) {
            if (p.state() != BridgePort.State.DISABLED) {
                becomeDesignated(p);
            }
        }
    }

    /** {@code br_become_designated_port}. */
    private void becomeDesignated(BridgePort p) {
        p.designatedRoot = designatedRoot;
        p.designatedCost = rootPathCost;
        p.designatedBridge = bridgeId;
        p.designatedPort = p.portId();
    }

    /**
     * {@code br_port_state_selection}: with STP off every enabled port is designated and
     * forwards; the bridge has carrier exactly while one does.
     */
    private void portStateSelection() {
        int live = 0;
        for (BridgePort p : ports) {
            if (p.state() == BridgePort.State.DISABLED) {
                continue;
            }
            makeForwarding(p);
            if (p.state() == BridgePort.State.FORWARDING) {
                live++;
            }
        }
        var watch = namespace().kernel().linkWatch();
        if (live == 0) {
            watch.carrierOff(this);
        } else {
            watch.carrierOn(this);
        }
    }

    /** {@code br_make_forwarding} with STP off: forwarding at once, the forward-delay timer armed all the same. */
    private void makeForwarding(BridgePort p) {
        if (p.state() != BridgePort.State.BLOCKING) {
            return;
        }
        p.setState(BridgePort.State.FORWARDING);
        cancelForwardDelay(p);
        p.forwardDelayExpires = now() + FORWARD_DELAY;
        p.forwardDelayTimer = Jiffies.schedule(namespace().kernel().clock(), p.forwardDelayExpires, () -> {
        });
    }

    private static void cancelForwardDelay(BridgePort p) {
        if (p.forwardDelayTimer != null) {
            p.forwardDelayTimer.cancel();
            p.forwardDelayTimer = null;
        }
    }

    /** {@code br_stp_enable_port}. */
    void enablePort(BridgePort p) {
        p.setPortId(p.makePortId());
        becomeDesignated(p);
        p.setState(BridgePort.State.BLOCKING);
        portStateSelection();
    }

    /** {@code br_stp_disable_port}: the port stops, and forgets what it learned. */
    void disablePort(BridgePort p) {
        becomeDesignated(p);
        p.setState(BridgePort.State.DISABLED);
        cancelForwardDelay(p);
        deleteByPort(p, false);
        configurationUpdate();
        portStateSelection();
    }

    /** {@code netif_running(dev) && netif_oper_up(dev)}. */
    private static boolean operUp(NetDevice dev) {
        OperState s = dev.operState();
        return dev.isUp() && (s == OperState.UP || s == OperState.UNKNOWN);
    }

    /** {@code br_port_carrier_check}: a port's link changed. */
    void carrierCheck(BridgePort p) {
        if (!isUp()) {
            return;
        }
        if (operUp(p.device())) {
            if (p.state() == BridgePort.State.DISABLED) {
                enablePort(p);
            }
        } else if (p.state() != BridgePort.State.DISABLED) {
            disablePort(p);
        }
    }

    /** A port came up ({@code NETDEV_UP}). */
    void portUp(BridgePort p) {
        if (isUp() && operUp(p.device())) {
            enablePort(p);
        }
    }

    /** A port went down ({@code NETDEV_DOWN}). */
    void portDown(BridgePort p) {
        if (isUp()) {
            disablePort(p);
        }
    }

    // ------------------------------------------------------------------ up and down

    /** {@code br_dev_open}: the ports that work start forwarding, the snoopers' groups are joined. */
    @Override
    public void driverOpen() {
        scheduleGc(now() + Jiffies.HZ / 10);
        for (BridgePort p : List.copyOf(ports)) {
            if (operUp(p.device())) {
                enablePort(p);
            }
        }
        namespace().multicast().joinIpv4(this, SNOOPERS_V4);
        namespace().multicast().joinIpv6(this, SNOOPERS_V6);
    }

    /** {@code br_dev_stop}: every port is disabled (forgetting what it learned), the groups are left. */
    @Override
    public void driverStop() {
        for (BridgePort p : List.copyOf(ports)) {
            if (p.state() != BridgePort.State.DISABLED) {
                disablePort(p);
            }
        }
        if (gcTimer != null) {
            gcTimer.cancel();
            gcTimer = null;
        }
        namespace().multicast().leaveIpv4(this, SNOOPERS_V4);
        namespace().multicast().leaveIpv6(this, SNOOPERS_V6);
    }

    // ------------------------------------------------------------------ ports

    /**
     * {@code br_add_if}: the device becomes a port, promiscuous and all-multicast; its address
     * becomes a local entry; the bridge may take a new address; a working port starts forwarding
     * if the bridge is up.
     */
    @Override
    public void addSlave(NetDevice dev) {
        if (dev.isLoopback() || dev.hardwareType() != ARPHRD_ETHER) {
            throw new KernelException(Errno.EINVAL);
        }
        if (dev instanceof Bridge) {
            throw new KernelException(Errno.ELOOP, "Can not enslave a bridge to a bridge");
        }
        if (dev.master() != null) {
            throw new KernelException(Errno.EBUSY);
        }
        // find_portno: the lowest number no port has
        int number = portNumbers.nextClearBit(1);
        portNumbers.set(number);
        BridgePort p = new BridgePort(this, dev, number);
        becomeDesignated(p);
        dev.adjustAllmulti(1);
        dev.adjustPromiscuity(1);
        dev.setRxHandler(this);
        dev.setMaster(this);
        dev.setMasterSerial(namespace().kernel().nextEventSerial());
        ports.add(0, p);
        addLocal(p, dev.address());
        boolean changedAddress = recalculateBridgeId();
        if (operUp(dev) && isUp()) {
            enablePort(p);
        }
        if (changedAddress) {
            namespace().notifyNetdev(NetdevEvent.CHANGEADDR, this);
        }
        mtuAutoAdjust();
        tsoMaxSize = gsoLimit();
    }

    /** {@code br_del_if}. */
    @Override
    public void deleteSlave(NetDevice dev) {
        BridgePort p = port(dev);
        if (p == null) {
            throw new KernelException(Errno.EINVAL);
        }
        removePort(p);
        if (recalculateBridgeId()) {
            namespace().notifyNetdev(NetdevEvent.CHANGEADDR, this);
        }
        mtuAutoAdjust();
        tsoMaxSize = gsoLimit();
    }

    /** {@code del_nbp}. */
    private void removePort(BridgePort p) {
        NetDevice dev = p.device();
        disablePort(p);
        deleteByPort(p, true);
        dev.adjustPromiscuity(-1);
        dev.adjustAllmulti(-1);
        dev.setRxHandler(null);
        dev.setMaster(null);
        ports.remove(p);
        portNumbers.clear(p.portNumber());
        cancelForwardDelay(p);
    }

    /** {@code br_dev_delete}: every port is released, the bridge's own entries go. */
    public void releaseAll() {
        for (BridgePort p : List.copyOf(ports)) {
            removePort(p);
        }
        fdb.removeIf(f -> f.port() == null);
        if (gcTimer != null) {
            gcTimer.cancel();
        }
    }

    /** {@code br_mtu_auto_adjust}: the smallest port MTU (1500 without ports), unless the user set one. */
    private void mtuAutoAdjust() {
        if (mtuSetByUser) {
            return;
        }
        int mtu = ETH_DATA_LEN;
        boolean first = true;
        for (BridgePort p : ports) {
            if (first || p.device().mtu() < mtu) {
                mtu = p.device().mtu();
                first = false;
            }
        }
        if (mtu != mtu()) {
            setMtu(mtu);
            namespace().notifyNetdev(NetdevEvent.CHANGEMTU, this);
        }
    }

    /** A port's MTU changed. */
    void portMtuChanged() {
        mtuAutoAdjust();
    }

    /** {@code br_set_gso_limits}. */
    private long gsoLimit() {
        long limit = TSO_MAX_SIZE;
        for (BridgePort p : ports) {
            limit = Math.min(limit, p.device().tsoMaxSize());
        }
        return limit;
    }

    /** {@code br_fdb_changeaddr} then {@code br_stp_recalculate_bridge_id}: a port's address changed. */
    void portAddressChanged(BridgePort p) {
        for (FdbEntry f : List.copyOf(fdb)) {
            if (f.port() == p && f.isLocal()) {
                deleteLocal(p, f);
                break;
            }
        }
        addLocal(p, p.device().address());
        if (recalculateBridgeId()) {
            namespace().notifyNetdev(NetdevEvent.CHANGEADDR, this);
        }
    }

    /** A port is being unregistered or leaves the namespace. */
    void portGone(BridgePort p) {
        deleteSlave(p.device());
    }

    // ------------------------------------------------------------------ forwarding database

    /** {@code br_fdb_find}. */
    public FdbEntry find(MacAddress address) {
        for (FdbEntry f : fdb) {
            if (f.address().equals(address)) {
                return f;
            }
        }
        return null;
    }

    /** {@code fdb_add_local}: an address of this host, behind {@code port} ({@code null}: the bridge's own). */
    private void addLocal(BridgePort port, MacAddress address) {
        if (!address.isValidUnicast()) {
            return;
        }
        FdbEntry f = find(address);
        if (f != null) {
            if (f.isLocal()) {
                // several ports may share an address: the first one keeps it
                return;
            }
            fdb.remove(f);
        }
        fdb.add(0, new FdbEntry(address, port, true, true, now()));
    }

    /**
     * {@code fdb_delete_local}: a local entry goes, unless another port (or the bridge itself)
     * has the same address, which then owns it.
     */
    private void deleteLocal(BridgePort port, FdbEntry f) {
        for (BridgePort other : ports) {
            if (other != port && other.device().address().equals(f.address())) {
                f.setPort(other);
                return;
            }
        }
        if (port != null && address().equals(f.address())) {
            f.setPort(null);
            return;
        }
        fdb.remove(f);
    }

    /** {@code br_fdb_change_mac_address}: the bridge device's own local entry follows its address. */
    private void changeFdbMacAddress(MacAddress newAddress) {
        FdbEntry f = find(address());
        if (f != null && f.isLocal() && f.port() == null) {
            deleteLocal(null, f);
        }
        addLocal(null, newAddress);
    }

    /** {@code br_fdb_delete_by_port}: learned entries, or all ({@code all}) of a port. */
    private void deleteByPort(BridgePort p, boolean all) {
        for (FdbEntry f : List.copyOf(fdb)) {
            if (f.port() != p) {
                continue;
            }
            if (!all && f.isStatic()) {
                continue;
            }
            if (f.isLocal()) {
                deleteLocal(p, f);
            } else {
                fdb.remove(f);
            }
        }
    }

    /** {@code NUD_*} bits of an {@code RTM_NEWNEIGH} for the bridge. */
    public static final int NUD_REACHABLE = 0x02;
    public static final int NUD_NOARP = 0x40;
    public static final int NUD_PERMANENT = 0x80;

    /**
     * {@code br_fdb_add} then {@code fdb_add_entry}: a user's entry behind {@code dev} (a port,
     * or the bridge itself for an entry of no port). {@code vid} 0 is no VLAN; this kernel has
     * no VLAN filtering, so any other VLAN is unconfigured.
     */
    public void fdbAdd(NetDevice dev, MacAddress address, int state, int vid, boolean create, boolean exclusive) {
        BridgePort source = dev == this ? null : port(dev);
        if (dev != this && source == null) {
            throw new KernelException(Errno.EINVAL);
        }
        if ((state & (NUD_PERMANENT | NUD_NOARP | NUD_REACHABLE)) == 0 || address.isZero() || vid != 0) {
            throw new KernelException(Errno.EINVAL);
        }
        if (source != null && (state & (NUD_PERMANENT | NUD_NOARP)) == 0
                && source.state() != BridgePort.State.LEARNING && source.state() != BridgePort.State.FORWARDING) {
            throw new KernelException(Errno.EPERM);
        }
        if (source == null && (state & NUD_PERMANENT) == 0) {
            throw new KernelException(Errno.EINVAL);
        }
        FdbEntry f = find(address);
        long now = now();
        if (f == null) {
            if (!create) {
                throw new KernelException(Errno.ENOENT);
            }
            f = new FdbEntry(address, source, false, false, now);
            fdb.add(0, f);
        } else {
            if (exclusive) {
                throw new KernelException(Errno.EEXIST);
            }
            f.setPort(source);
        }
        if ((state & NUD_PERMANENT) != 0) {
            f.setKind(true, true);
        } else if ((state & NUD_NOARP) != 0) {
            f.setKind(false, true);
        } else {
            f.setKind(false, false);
        }
        f.addedByUser = true;
        f.used = now;
        f.updated = now;
    }

    /** {@code br_fdb_delete}: the entry for the address must be behind {@code dev}. */
    public void fdbDelete(NetDevice dev, MacAddress address, int vid) {
        BridgePort p = dev == this ? null : port(dev);
        FdbEntry f = vid != 0 ? null : find(address);
        if (f == null || f.port() != p) {
            throw new KernelException(Errno.ENOENT);
        }
        fdb.remove(f);
    }

    /** {@code br_setport}'s flags: what {@code bridge link set} turns on or off. */
    public void setPortFlag(BridgePort p, BridgePort.Flag flag, boolean on) {
        p.setFlag(flag, on);
    }

    /** {@code br_stp_set_path_cost}. */
    public void setPathCost(BridgePort p, long cost) {
        if (cost < 1 || cost > 65535) {
            throw new KernelException(Errno.ERANGE);
        }
        p.setPathCostValue((int) cost);
        configurationUpdate();
        portStateSelection();
    }

    /** {@code br_stp_set_port_priority}: the port id follows; a designated port keeps designating itself. */
    public void setPortPriority(BridgePort p, int priority) {
        if (priority < 0 || priority > 63) {
            throw new KernelException(Errno.ERANGE);
        }
        boolean designated = p.designatedBridge != null && p.designatedBridge.equals(bridgeId)
                && p.designatedPort == p.portId();
        p.setPriorityValue(priority);
        p.setPortId(p.makePortId());
        if (designated) {
            p.designatedPort = p.portId();
        }
        configurationUpdate();
        portStateSelection();
    }

    /**
     * {@code br_set_port_state}: with STP off a user may set any state; a blocking port is made
     * forwarding again at once by the port state selection that follows.
     */
    public void setPortState(BridgePort p, int state) {
        if (state < 0 || state > BridgePort.State.BLOCKING.ordinal()) {
            throw new KernelException(Errno.EINVAL);
        }
        BridgePort.State s = BridgePort.State.values()[state];
        if (!p.device().isUp() || (!operUp(p.device()) && s != BridgePort.State.DISABLED)) {
            throw new KernelException(Errno.ENETDOWN);
        }
        p.setState(s);
        portStateSelection();
    }

    /** {@code br_fdb_update}: a source address seen on a port. */
    private void learn(BridgePort p, MacAddress source) {
        long now = now();
        FdbEntry f = find(source);
        if (f != null) {
            if (f.isLocal()) {
                // "received packet with own address as source address": nothing learned
                return;
            }
            if (f.port() != p) {
                f.setPort(p);
            }
            f.updated = now;
            return;
        }
        fdb.add(0, new FdbEntry(source, p, false, false, now));
    }

    private void scheduleGc(long expires) {
        if (gcTimer != null) {
            gcTimer.cancel();
        }
        gcExpires = expires;
        gcTimer = Jiffies.schedule(namespace().kernel().clock(), expires, this::gc);
    }

    /** {@code br_fdb_cleanup}: entries not seen for {@code ageing_time} go; runs again when the next one is due. */
    private void gc() {
        gcTimer = null;
        if (!isRegistered()) {
            return;
        }
        long now = now();
        long delay = AGEING_TIME;
        long workDelay = delay;
        for (FdbEntry f : List.copyOf(fdb)) {
            if (f.isStatic()) {
                continue;
            }
            long expires = f.updated + delay;
            if (expires > now) {
                workDelay = Math.min(workDelay, expires - now);
            } else {
                fdb.remove(f);
            }
        }
        workDelay = Math.max(workDelay, Jiffies.fromMillis(10));
        scheduleGc(now + workDelay);
    }

    // ------------------------------------------------------------------ frames

    private static boolean isLinkLocalGroup(MacAddress a) {
        return (a.bits() & ~0xFL) == 0x0180_C200_0000L;
    }

    /**
     * {@code br_handle_frame}: a frame received on a port. Returns {@code false} for the few
     * link-local control frames the port's own stack takes.
     */
    @Override
    public boolean handleFrame(NetDevice dev, byte[] frame) {
        BridgePort p = port(dev);
        if (p == null || frame.length < 14) {
            return p != null;
        }
        MacAddress destination = MacAddress.ofBytes(frame, 0);
        MacAddress source = MacAddress.ofBytes(frame, 6);
        if (!source.isValidUnicast()) {
            return true;
        }
        if (isLinkLocalGroup(destination) && destination.octet(5) != 0) {
            if (destination.octet(5) == 0x01) {
                return true; // MAC pause frames are dropped
            }
            // __br_handle_local_finish: learned, then the port's own stack takes it
            if (p.state() == BridgePort.State.LEARNING || p.state() == BridgePort.State.FORWARDING) {
                if (p.learning()) {
                    learn(p, source);
                }
            }
            return false;
        }
        if (p.state() != BridgePort.State.FORWARDING && p.state() != BridgePort.State.LEARNING) {
            return true;
        }
        if (p.learning()) {
            learn(p, source);
        }
        if (p.state() == BridgePort.State.LEARNING) {
            return true;
        }
        if (destination.isBroadcast()) {
            flood(frame, p, FloodKind.BROADCAST);
            passUp(frame);
        } else if (destination.isMulticast()) {
            stats().multicast++;
            flood(frame, p, FloodKind.MULTICAST);
            passUp(frame);
        } else {
            FdbEntry f = find(destination);
            if (f != null && f.isLocal()) {
                passUp(frame);
            } else if (f != null) {
                f.used = now();
                forward(f.port(), frame, p);
            } else {
                flood(frame, p, FloodKind.UNICAST);
            }
        }
        return true;
    }

    private enum FloodKind { UNICAST, MULTICAST, BROADCAST }

    /** {@code should_deliver}: a forwarding port, other than the one the frame came in on. */
    private static boolean shouldDeliver(BridgePort to, BridgePort from) {
        if (to == null || to.state() != BridgePort.State.FORWARDING) {
            return false;
        }
        if (to == from && !to.hairpin()) {
            return false;
        }
        // br_skb_isolated: isolated ports do not talk to each other
        return from == null || !(from.isolated() && to.isolated());
    }

    private void forward(BridgePort to, byte[] frame, BridgePort from) {
        if (shouldDeliver(to, from)) {
            packets().transmit(to.device(), frame.clone());
        }
    }

    /** {@code br_flood}: every forwarding port but the ingress one that floods this kind of frame. */
    private void flood(byte[] frame, BridgePort from, FloodKind kind) {
        for (BridgePort p : List.copyOf(ports)) {
            boolean allowed = switch (kind) {
                case UNICAST -> p.flood();
                case MULTICAST -> p.multicastFlood();
                case BROADCAST -> p.broadcastFlood();
            };
            if (allowed && shouldDeliver(p, from)) {
                packets().transmit(p.device(), frame.clone());
            }
        }
    }

    /** {@code br_pass_frame_up}: the frame goes up through the bridge device. */
    private void passUp(byte[] frame) {
        stats().countRx(frame.length - 14, false);
        packets().receiveNow(this, frame.clone());
    }

    /** {@code br_dev_xmit}: what the host sends through the bridge. */
    @Override
    public void switchFrame(byte[] frame) {
        if (frame.length < 14) {
            return;
        }
        MacAddress destination = MacAddress.ofBytes(frame, 0);
        if (destination.isBroadcast()) {
            flood(frame, null, FloodKind.BROADCAST);
        } else if (destination.isMulticast()) {
            flood(frame, null, FloodKind.MULTICAST);
        } else {
            FdbEntry f = find(destination);
            if (f != null) {
                if (f.port() != null) {
                    forward(f.port(), frame, null);
                }
            } else {
                flood(frame, null, FloodKind.UNICAST);
            }
        }
    }

    @Override
    public String toString() {
        return super.toString() + " (bridge)";
    }

    /** The namespace's bridge for a port, when {@code dev} is one. */
    static Bridge of(NetDevice dev) {
        return dev.master() instanceof Bridge b && b.port(dev) != null ? b : null;
    }
}
