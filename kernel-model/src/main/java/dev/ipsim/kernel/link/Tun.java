package dev.ipsim.kernel.link;

import dev.ipsim.kernel.addr.MacAddress;

/**
 * A tun or tap device ({@code drivers/net/tun.c}): the kernel end of {@code /dev/net/tun}. A tun
 * device carries IP packets ({@code ARPHRD_NONE}, point-to-point, no ARP, no link-layer address,
 * a queue of 500), a tap device Ethernet frames ({@code ether_setup}, a random address). Its
 * carrier is on only while a process has the device open ({@code tun_attach},
 * {@code __tun_detach}); {@code ip tuntap add} opens it, makes it persistent and closes it
 * again, so a device nobody serves shows {@code NO-CARRIER} once up, and its connected routes
 * are {@code linkdown}. It is made with the {@code TUNSETIFF} ioctl, never by rtnetlink.
 */
public final class Tun extends NetDevice {

    /** {@code IFF_TUN}. */
    public static final int IFF_TUN = 0x0001;
    /** {@code IFF_TAP}. */
    public static final int IFF_TAP = 0x0002;
    /** {@code IFF_MULTI_QUEUE}. */
    public static final int IFF_MULTI_QUEUE = 0x0100;
    /** {@code IFF_PERSIST}. */
    public static final int IFF_PERSIST = 0x0800;
    /** {@code IFF_NO_PI} (and {@code IFF_NOFILTER}, the same bit). */
    public static final int IFF_NO_PI = 0x1000;
    /** {@code IFF_ONE_QUEUE}. */
    public static final int IFF_ONE_QUEUE = 0x2000;
    /** {@code IFF_VNET_HDR}. */
    public static final int IFF_VNET_HDR = 0x4000;
    /** {@code IFF_TUN_EXCL}: {@code TUNSETIFF} fails with EBUSY on an existing device. */
    public static final int IFF_TUN_EXCL = 0x8000;
    /** {@code TUN_FEATURES} with {@code IFF_TUN | IFF_TAP | IFF_PERSIST}: the flags the device keeps. */
    private static final int KEPT = IFF_NO_PI | IFF_ONE_QUEUE | IFF_VNET_HDR | IFF_MULTI_QUEUE | IFF_TUN | IFF_TAP
            | IFF_PERSIST;
    /** {@code TUN_READQ_SIZE}: a tun device's queue length. */
    public static final int TUN_READQ_SIZE = 500;
    /** {@code MAX_TAP_QUEUES}: the queues a multi-queue device is allocated with. */
    public static final int MAX_TAP_QUEUES = 256;
    /** {@code MAX_MTU}. */
    private static final int MAX_MTU = 65535;
    /** {@code ETH_HLEN}. */
    private static final int ETH_HLEN = 14;

    private int tunFlags;
    private long owner = -1;
    private long group = -1;
    private int attached;

    /** {@code tun_set_iff}'s new device; {@code flags} are the ioctl's ({@code IFF_TUN} or {@code IFF_TAP}, options). */
    public Tun(String name, int flags, MacAddress address) {
        super(name, (flags & IFF_TAP) != 0 ? DeviceFlags.BROADCAST | DeviceFlags.MULTICAST
                        : DeviceFlags.POINTOPOINT | DeviceFlags.NOARP | DeviceFlags.MULTICAST,
                ETH_DATA_LEN, ETH_MIN_MTU, (flags & IFF_TAP) != 0 ? MAX_MTU - ETH_HLEN : MAX_MTU,
                (flags & IFF_TAP) != 0 ? address : MacAddress.ZERO,
                (flags & IFF_TAP) != 0 ? MacAddress.BROADCAST : MacAddress.ZERO);
        this.tunFlags = flags & KEPT;
        if (!isTap()) {
            setTxQueueLength(TUN_READQ_SIZE);
        }
        initialCarrier(false);
    }

    @Override
    public String kind() {
        return "tun";
    }

    public boolean isTap() {
        return (tunFlags & IFF_TAP) != 0;
    }

    @Override
    public int hardwareType() {
        return isTap() ? ARPHRD_ETHER : ARPHRD_NONE;
    }

    @Override
    public int addressLength() {
        return isTap() ? 6 : 0;
    }

    @Override
    public String defaultQdisc() {
        return namespace().kernel().defaultQdisc();
    }

    @Override
    public int txQueues() {
        return (tunFlags & IFF_MULTI_QUEUE) != 0 ? MAX_TAP_QUEUES : 1;
    }

    @Override
    public int rxQueues() {
        return txQueues();
    }

    /** tun calls no {@code netif_set_tso_max_size}: the legacy limit. */
    @Override
    public long tsoMaxSize() {
        return GSO_LEGACY_MAX_SIZE;
    }

    /** {@code tun_flags()}: what {@code /sys/class/net/DEV/tun_flags} shows. */
    public int tunFlags() {
        return tunFlags;
    }

    public boolean isPersistent() {
        return (tunFlags & IFF_PERSIST) != 0;
    }

    /** {@code TUNSETPERSIST}. */
    public void setPersistent(boolean on) {
        tunFlags = on ? tunFlags | IFF_PERSIST : tunFlags & ~IFF_PERSIST;
    }

    /** {@code TUNSETOWNER}'s uid, -1 when none. */
    public long owner() {
        return owner;
    }

    public void setOwner(long uid) {
        owner = uid;
    }

    /** {@code TUNSETGROUP}'s gid, -1 when none. */
    public long ownerGroup() {
        return group;
    }

    public void setOwnerGroup(long gid) {
        group = gid;
    }

    /** The queues ({@code tun_file}s) attached: processes that have the device open. */
    public int attached() {
        return attached;
    }

    /** {@code tun_attach}/{@code __tun_detach}'s count; the carrier is the caller's. */
    public void adjustAttached(int delta) {
        attached += delta;
    }

    /** {@code tun_default_link_ksettings}: 10 Gb/s full duplex. */
    @Override
    public Integer ethtoolSpeed() {
        return 10000;
    }
}
