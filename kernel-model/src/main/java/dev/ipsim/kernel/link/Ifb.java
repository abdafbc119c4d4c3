package dev.ipsim.kernel.link;

import dev.ipsim.kernel.addr.MacAddress;

/**
 * An intermediate functional block ({@code drivers/net/ifb.c}): an Ethernet-like device that
 * traffic control redirects packets to: no ARP, no multicast, a queue of 32, no MTU bounds, and no carrier management (operstate UNKNOWN while up). A
 * packet sent to it that no redirect brought is dropped and counted as a receive drop.
 */
public final class Ifb extends NetDevice {

    /** {@code TX_Q_LIMIT}. */
    public static final int TX_Q_LIMIT = 32;

    public Ifb(String name, MacAddress address) {
        super(name, DeviceFlags.BROADCAST | DeviceFlags.NOARP, ETH_DATA_LEN, 0, 0, address, MacAddress.BROADCAST);
        setTxQueueLength(TX_Q_LIMIT);
    }

    @Override
    public String kind() {
        return "ifb";
    }

    @Override
    public boolean managesCarrier() {
        return false;
    }

    /** ifb has no {@code ndo_set_rx_mode}. */
    @Override
    public boolean hasRxMode() {
        return false;
    }

    @Override
    public String defaultQdisc() {
        return namespace().kernel().defaultQdisc();
    }
}
