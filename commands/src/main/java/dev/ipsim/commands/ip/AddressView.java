package dev.ipsim.commands.ip;

import dev.ipsim.kernel.addr.IpAddress;
import dev.ipsim.kernel.ipv4.AddressFlags;
import dev.ipsim.kernel.ipv4.InetIfAddr;
import dev.ipsim.kernel.ipv6.Inet6IfAddr;
import dev.ipsim.kernel.link.NetDevice;

/**
 * An address as an {@code RTM_NEWADDR} message carries it: what {@code print_addrinfo} sees,
 * whichever family it comes from.
 *
 * @param local      {@code IFA_LOCAL} (the address itself)
 * @param address    {@code IFA_ADDRESS}: the peer, or the address itself
 * @param broadcast  {@code IFA_BROADCAST}, or {@code null}
 * @param label      {@code IFA_LABEL} (IPv4 only), or {@code null}
 * @param metric     {@code IFA_RT_PRIORITY}, or 0 when absent
 * @param valid      remaining valid lifetime in seconds, or infinity
 * @param preferred  remaining preferred lifetime in seconds, or infinity
 */
record AddressView(int family, NetDevice device, IpAddress local, IpAddress address, int prefixLength,
                   IpAddress broadcast, IpAddress anycast, int scope, int flags, String label, int metric,
                   long valid, long preferred, Object source) {

    static AddressView of(InetIfAddr a, long nowSeconds) {
        long valid = AddressFlags.INFINITY_LIFE_TIME;
        long preferred = AddressFlags.INFINITY_LIFE_TIME;
        if ((a.flags() & AddressFlags.PERMANENT) == 0 && (a.preferredLifetime() != AddressFlags.INFINITY_LIFE_TIME
                || a.validLifetime() != AddressFlags.INFINITY_LIFE_TIME)) {
            valid = a.remainingValid(nowSeconds);
            preferred = a.remainingPreferred(nowSeconds);
            if (a.preferredLifetime() == AddressFlags.INFINITY_LIFE_TIME) {
                valid = a.validLifetime();
            }
        }
        return new AddressView(IpOptions.AF_INET, a.device(), a.local(), a.address(), a.prefixLength(),
                a.broadcast(), a.anycast(), a.scope(), a.flags(), a.label(), a.routePriority(), valid, preferred, a);
    }

    static AddressView of(Inet6IfAddr a, long nowSeconds) {
        IpAddress address = a.peer() != null ? a.peer() : a.address();
        return new AddressView(IpOptions.AF_INET6, a.device(), a.address(), address, a.prefixLength(), null, null,
                a.scope(), a.flags(), null, a.routePriority(), a.remainingValid(nowSeconds),
                a.remainingPreferred(nowSeconds), a);
    }
}
