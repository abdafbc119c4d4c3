package dev.ipsim.kernel;

import dev.ipsim.kernel.link.NetDevice;

/** A subscriber to a namespace's netdevice notifier chain. */
public interface NetdevListener {
    void onNetdevEvent(NetdevEvent event, NetDevice device);
}
