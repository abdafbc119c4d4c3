package dev.ipsim.kernel;

import dev.ipsim.kernel.link.NetDevice;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The kernel's link watch ({@code net/core/link_watch.c}): carrier changes are queued and
 * handled after the operation that caused them, which recomputes the operstate
 * ({@code rfc2863_policy}) and, for a device that is up, announces {@code NETDEV_CHANGE}.
 *
 * <p>The real worker runs asynchronously, a few microseconds to a second later; here the queue
 * runs when the current operation ends ({@link Kernel#settle()}), before the next command, which
 * is what a user observes.
 */
public final class LinkWatch {

    private final Set<NetDevice> pending = new LinkedHashSet<>();

    /** {@code netif_carrier_on}. */
    public void carrierOn(NetDevice dev) {
        if (dev.changeCarrier(true) && dev.isRegistered()) {
            fire(dev);
        }
    }

    /** {@code netif_carrier_off}. */
    public void carrierOff(NetDevice dev) {
        if (dev.changeCarrier(false) && dev.isRegistered()) {
            fire(dev);
        }
    }

    /** {@code linkwatch_fire_event}. */
    public void fire(NetDevice dev) {
        pending.add(dev);
    }

    /** Forgets a device that is going away. */
    public void forget(NetDevice dev) {
        pending.remove(dev);
    }

    boolean hasPending() {
        return !pending.isEmpty();
    }

    /** {@code __linkwatch_run_queue}: handles every queued device in order. */
    void run() {
        while (!pending.isEmpty()) {
            List<NetDevice> batch = new ArrayList<>(pending);
            pending.clear();
            for (NetDevice dev : batch) {
                if (!dev.isRegistered()) {
                    continue;
                }
                dev.recomputeOperState();
                if (dev.isUp()) {
                    if (dev.hasCarrier()) {
                        dev.activateQdisc();
                    }
                    dev.namespace().notifyNetdev(NetdevEvent.CHANGE, dev);
                }
            }
        }
    }
}
