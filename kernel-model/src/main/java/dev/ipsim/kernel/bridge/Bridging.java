package dev.ipsim.kernel.bridge;

import dev.ipsim.kernel.NetNamespace;
import dev.ipsim.kernel.NetdevEvent;
import dev.ipsim.kernel.NetdevListener;
import dev.ipsim.kernel.link.NetDevice;

/**
 * {@code br_device_event}: what happens to a port's bridge when the port comes up or goes
 * down, gains or loses its link, changes its address or MTU, or goes away (deleted, or moved to
 * another namespace).
 */
public final class Bridging implements NetdevListener {

    public Bridging(NetNamespace ns) {
    }

    @Override
    public void onNetdevEvent(NetdevEvent event, NetDevice dev) {
        Bridge br = Bridge.of(dev);
        if (br == null) {
            return;
        }
        BridgePort p = br.port(dev);
        switch (event) {
            case CHANGEMTU -> br.portMtuChanged();
            case CHANGEADDR -> br.portAddressChanged(p);
            case CHANGE -> br.carrierCheck(p);
            case DOWN -> br.portDown(p);
            case UP -> br.portUp(p);
            case UNREGISTER -> br.portGone(p);
            default -> {
            }
        }
    }
}
