package dev.ipsim.kernel.link;

import dev.ipsim.kernel.addr.MacAddress;

/**
 * A virtual machine's Ethernet NIC (virtio-net) cabled to a network: carrier while up, and the
 * machine's {@code net.core.default_qdisc} as its qdisc once up: {@code fq_codel} where systemd
 * sets it (since systemd 217), {@code pfifo_fast} (the kernel's own default) where it does not.
 */
public final class EthernetNic extends NetDevice {

    /** systemd's {@code net.core.default_qdisc}. */
    public static final String DEFAULT_QDISC = "fq_codel";

    private final String qdisc;
    private boolean cabled = true;
    private Wire wire;

    public EthernetNic(String name, MacAddress address) {
        this(name, address, DEFAULT_QDISC);
    }

    public EthernetNic(String name, MacAddress address, String qdisc) {
        super(name, DeviceFlags.BROADCAST | DeviceFlags.MULTICAST, ETH_DATA_LEN, ETH_MIN_MTU, 65535, address,
                MacAddress.BROADCAST);
        this.qdisc = qdisc;
        initialCarrier(false);
    }

    @Override
    public String kind() {
        return null;
    }

    @Override
    public String defaultQdisc() {
        return qdisc;
    }

    /** Plugs the cable's other end into a network; {@code null} leaves it leading nowhere. */
    public void plugInto(Wire network) {
        this.wire = network;
    }

    /** The network the cable leads to, or {@code null}. */
    public Wire wire() {
        return wire;
    }

    /** The cable: carrier comes and goes with it while the device is up. */
    public void setCabled(boolean cabled) {
        this.cabled = cabled;
        if (isUp()) {
            if (cabled) {
                namespace().kernel().linkWatch().carrierOn(this);
            } else {
                namespace().kernel().linkWatch().carrierOff(this);
            }
        }
    }

    @Override
    public void driverOpen() {
        if (cabled) {
            namespace().kernel().linkWatch().carrierOn(this);
        }
    }

    @Override
    public void driverStop() {
        namespace().kernel().linkWatch().carrierOff(this);
    }
}
