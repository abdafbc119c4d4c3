package dev.ipsim.kernel.link;

import dev.ipsim.kernel.NetNamespace;
import dev.ipsim.kernel.addr.MacAddress;

/**
 * One end of a virtual Ethernet pair ({@code drivers/net/veth.c}). A frame sent on one end is
 * received by the other, in whatever namespace it lives. Both ends have carrier exactly when
 * both are up.
 */
public final class Veth extends NetDevice {

    /** veth's {@code max_mtu}: {@code ETH_MAX_MTU}. */
    public static final int VETH_MAX_MTU = 65535;

    private Veth peer;
    /** The CPU count (a short: it fits the 3 bytes {@link NetDevice} leaves free, 8 bytes a device). */
    private final short queues;

    public Veth(String name, MacAddress address, int queues) {
        super(name, DeviceFlags.BROADCAST | DeviceFlags.MULTICAST, ETH_DATA_LEN, ETH_MIN_MTU, VETH_MAX_MTU,
                address, MacAddress.BROADCAST);
        this.queues = (short) queues;
    }

    /** Joins two ends; {@link NetNamespace#addVeth} turns their carrier off once registered. */
    public static void pair(Veth a, Veth b) {
        a.peer = b;
        b.peer = a;
    }

    public Veth peer() {
        return peer;
    }

    /** Unlinks this end from its peer (the pair is being destroyed). */
    public void unpair() {
        peer = null;
    }

    /** {@code veth_open}: carrier on both ends once both are up. */
    @Override
    public void driverOpen() {
        if (peer != null && peer.isUp()) {
            var watch = namespace().kernel().linkWatch();
            watch.carrierOn(this);
            watch.carrierOn(peer);
        }
    }

    /** {@code veth_close}: carrier off on both ends. */
    @Override
    public void driverStop() {
        var watch = namespace().kernel().linkWatch();
        watch.carrierOff(this);
        if (peer != null) {
            watch.carrierOff(peer);
        }
    }

    @Override
    public String kind() {
        return "veth";
    }

    @Override
    public int iflink() {
        return peer == null ? 0 : peer.ifindex();
    }

    @Override
    public NetDevice linkDevice() {
        return peer;
    }

    @Override
    public int txQueues() {
        return queues;
    }

    @Override
    public int rxQueues() {
        return queues;
    }

    /** {@code veth_get_link_ksettings}: 10 Gb/s full duplex, also while the peer is down. */
    @Override
    public Integer ethtoolSpeed() {
        return 10000;
    }
}
