package dev.ipsim.kernel.link;

import dev.ipsim.kernel.addr.MacAddress;

/**
 * The loopback device. Everything it sends it receives; it never manages carrier, so its
 * operstate stays UNKNOWN while up, as on Linux.
 */
public final class Loopback extends NetDevice {

    /** {@code lo}'s MTU since Linux 3.16. */
    public static final int LOOPBACK_MTU = 65536;

    public Loopback() {
        super("lo", DeviceFlags.LOOPBACK, LOOPBACK_MTU, 0, 0, MacAddress.ZERO, MacAddress.ZERO);
    }

    @Override
    public String kind() {
        return null;
    }

    @Override
    public int hardwareType() {
        return ARPHRD_LOOPBACK;
    }

    @Override
    public boolean managesCarrier() {
        return false;
    }
}
