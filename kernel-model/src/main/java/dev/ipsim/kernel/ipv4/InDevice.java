package dev.ipsim.kernel.ipv4;

import dev.ipsim.kernel.CompactList;
import dev.ipsim.kernel.addr.Ipv4Address;
import dev.ipsim.kernel.link.NetDevice;
import java.util.Collections;
import java.util.List;

/**
 * A device's IPv4 state ({@code struct in_device}): its addresses in the kernel's list order,
 * primaries before secondaries.
 */
public final class InDevice {

    private final NetDevice device;
    /** {@code null}, the one address, or an {@code Object[]} of them: see {@link CompactList}. */
    private Object addresses;

    /** The addresses as a list (a view made per use). */
    private final class Addresses extends CompactList<InetIfAddr> {
        @Override
        protected Object load() {
            return addresses;
        }

        @Override
        protected void store(Object value) {
            addresses = value;
        }
    }

    public InDevice(NetDevice device) {
        this.device = device;
    }

    public NetDevice device() {
        return device;
    }

    /** The addresses in {@code ifa_list} order. */
    public List<InetIfAddr> addresses() {
        return Collections.unmodifiableList(new Addresses());
    }

    List<InetIfAddr> mutableAddresses() {
        dev.ipsim.kernel.LookupEpoch.bump(); // to be changed: cached lookups are stale
        return new Addresses();
    }

    /** The primary address of the subnet {@code prefix/mask} ({@code inet_ifa_byprefix}). */
    public InetIfAddr primaryByPrefix(Ipv4Address prefix, int prefixLength) {
        for (InetIfAddr ifa : new Addresses()) {
            if (!ifa.isSecondary() && ifa.prefixLength() == prefixLength && ifa.matches(prefix)) {
                return ifa;
            }
        }
        return null;
    }

    /** The first primary address, the one {@code inet_select_addr} falls back on. */
    public InetIfAddr firstPrimary() {
        for (InetIfAddr ifa : new Addresses()) {
            if (!ifa.isSecondary()) {
                return ifa;
            }
        }
        return null;
    }
}
