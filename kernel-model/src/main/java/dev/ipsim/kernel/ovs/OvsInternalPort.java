package dev.ipsim.kernel.ovs;

import dev.ipsim.kernel.addr.MacAddress;
import dev.ipsim.kernel.link.DeviceFlags;
import dev.ipsim.kernel.link.NetDevice;
import dev.ipsim.kernel.link.SwitchDevice;
import dev.ipsim.kernel.wire.EthernetFrame;

/**
 * An Open vSwitch internal port ({@code vport-internal_dev.c}): the datapath's own device
 * ({@code ovs-system}) and each bridge's local port. What the host sends through it enters the
 * switch; what the switch outputs to it is received by the host. It has no queue
 * ({@code IFF_NO_QUEUE}), never manages carrier (so it shows {@code state UNKNOWN} while up) and
 * cannot leave its namespace... as far as this model goes, it never needs to.
 */
public final class OvsInternalPort extends NetDevice implements SwitchDevice {

    /** The switch this is the local port of; {@code null} for the datapath's device. */
    private OvsSwitch owner;

    OvsInternalPort(String name, MacAddress address) {
        super(name, DeviceFlags.BROADCAST | DeviceFlags.MULTICAST, ETH_DATA_LEN, ETH_MIN_MTU, 65535, address,
                MacAddress.BROADCAST);
    }

    void setOwner(OvsSwitch owner) {
        this.owner = owner;
    }

    @Override
    public String kind() {
        return "openvswitch";
    }

    /** The datapath's own port ({@code OVSP_LOCAL}) cannot leave its namespace; bridges' ports can. */
    @Override
    public boolean isNetnsLocal() {
        return owner == null;
    }

    /** {@code internal_dev_link_ops} has no {@code dellink}: only ovs-vswitchd removes these. */
    @Override
    public boolean userDeletable() {
        return false;
    }

    /** {@code alloc_netdev}'s {@code TSO_LEGACY_MAX_SIZE}: the internal device never raises it. */
    @Override
    public long tsoMaxSize() {
        return GSO_LEGACY_MAX_SIZE;
    }

    /** {@code internal_dev_xmit}: into the switch, as a frame received on this port. */
    @Override
    public void switchFrame(byte[] frame) {
        if (owner != null) {
            owner.receive(this, frame);
        }
    }

    /** {@code internal_dev_recv}: the switch outputs a frame to the host (dropped while down). */
    void deliver(byte[] frame) {
        if (!isUp()) {
            stats().rxDropped++;
            return;
        }
        stats().countRx(frame.length - EthernetFrame.HEADER_LENGTH, false);
        namespace().kernel().packets().receiveNow(this, frame);
    }
}
