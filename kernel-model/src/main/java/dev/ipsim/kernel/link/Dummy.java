package dev.ipsim.kernel.link;

import dev.ipsim.kernel.addr.MacAddress;

/**
 * A dummy device ({@code drivers/net/dummy.c}): an Ethernet-like sink with {@code NOARP} and
 * no multicast, which never manages carrier (operstate UNKNOWN while up).
 */
public final class Dummy extends NetDevice {

    public Dummy(String name, MacAddress address) {
        super(name, DeviceFlags.BROADCAST | DeviceFlags.NOARP, ETH_DATA_LEN, 0, 0, address,
                MacAddress.BROADCAST);
    }

    @Override
    public String kind() {
        return "dummy";
    }

    @Override
    public boolean managesCarrier() {
        return false;
    }

    /** {@code dummy_change_carrier}: carrier on or off as the user says. */
    @Override
    public boolean supportsCarrierChange() {
        return true;
    }
}
