package dev.ipsim.kernel.inet;

import dev.ipsim.kernel.NetNamespace;
import dev.ipsim.kernel.Scope;
import dev.ipsim.kernel.addr.Ipv4Address;
import dev.ipsim.kernel.ipv4.InetIfAddr;
import dev.ipsim.kernel.link.NetDevice;
import dev.ipsim.kernel.route.FibTable;
import dev.ipsim.kernel.route.Route;
import dev.ipsim.kernel.route.RouteTableId;
import dev.ipsim.kernel.route.RouteType;

/** The address questions the packet path asks ({@code net/ipv4/devinet.c}). */
final class InetAddresses {

    private final NetNamespace ns;
    private final InetConf conf;

    InetAddresses(NetNamespace ns, InetConf conf) {
        this.ns = ns;
        this.conf = conf;
    }

    /**
     * {@code inet_select_addr}: the source address for talking to {@code dst} (or anyone, when
     * 0.0.0.0) through {@code dev} with at most {@code scope}: the device's first primary address
     * of fitting scope in {@code dst}'s subnet, else its first of fitting scope, else the first
     * primary of any device (in device order) whose scope is not link and fits.
     */
    Ipv4Address select(NetDevice dev, Ipv4Address dst, int scope) {
        Ipv4Address found = null;
        int localnetScope = conf.routeLocalnet(dev) ? Scope.LINK : Scope.HOST;
        for (InetIfAddr ifa : dev.ipv4().addresses()) {
            if (ifa.isSecondary()) {
                continue;
            }
            if (Math.min(ifa.scope(), localnetScope) > scope) {
                continue;
            }
            if (dst.isUnspecified() || ifa.matches(dst)) {
                return ifa.local();
            }
            if (found == null) {
                found = ifa.local();
            }
        }
        if (found != null) {
            return found;
        }
        for (NetDevice other : ns.devices()) {
            for (InetIfAddr ifa : other.ipv4().addresses()) {
                if (!ifa.isSecondary() && ifa.scope() != Scope.LINK && ifa.scope() <= scope) {
                    return ifa.local();
                }
            }
        }
        return Ipv4Address.ANY;
    }

    /** {@code inet_lookup_ifaddr_rcu}: the device that has {@code a} as an address, or {@code null}. */
    NetDevice deviceOf(Ipv4Address a) {
        InetIfAddr ifa = ns.ipv4().findLocal(a);
        return ifa == null ? null : ifa.device();
    }

    /**
     * {@code __ip_dev_find}: the device that has {@code a} as an address, else (so that
     * communication over loopback subnets works: 127.0.0.2 answers from 127.0.0.2) the device
     * of a {@code local} route for it in the local table; {@code null} for neither.
     */
    NetDevice deviceFor(Ipv4Address a) {
        NetDevice dev = deviceOf(a);
        if (dev != null) {
            return dev;
        }
        FibTable local = ns.ipv4().tables().tableOrNull(RouteTableId.LOCAL);
        if (local == null) {
            return null;
        }
        for (Route r : local.matching(a)) {
            if (r.tos() != 0) {
                continue;
            }
            return r.type() == RouteType.LOCAL ? r.device() : null;
        }
        return null;
    }

    /**
     * {@code inet_confirm_addr}: whether {@code dev} (or any device, when {@code null}) has an
     * address of at most {@code scope}, equal to {@code local} if given, on a subnet that holds
     * both {@code local} and {@code dst} (each when given).
     */
    boolean confirm(NetDevice dev, Ipv4Address dst, Ipv4Address local, int scope) {
        if (dev != null) {
            return !confirmOn(dev, dst, local, scope).isUnspecified();
        }
        for (NetDevice d : ns.devices()) {
            if (!confirmOn(d, dst, local, scope).isUnspecified()) {
                return true;
            }
        }
        return false;
    }

    /** {@code confirm_addr_indev}. */
    private Ipv4Address confirmOn(NetDevice dev, Ipv4Address dst, Ipv4Address local, int scope) {
        int localnetScope = conf.routeLocalnet(dev) ? Scope.LINK : Scope.HOST;
        Ipv4Address addr = Ipv4Address.ANY;
        boolean same = false;
        for (InetIfAddr ifa : dev.ipv4().addresses()) {
            int minScope = Math.min(ifa.scope(), localnetScope);
            if (addr.isUnspecified() && (local.isUnspecified() || local.equals(ifa.local())) && minScope <= scope) {
                addr = ifa.local();
                if (same) {
                    break;
                }
            }
            if (!same) {
                same = (local.isUnspecified() || ifa.matches(local)) && (dst.isUnspecified() || ifa.matches(dst));
                if (same && !addr.isUnspecified()) {
                    if (!local.isUnspecified() || dst.isUnspecified()) {
                        break;
                    }
                    if (ifa.matches(addr)) {
                        break;
                    }
                    if (minScope <= scope) {
                        addr = ifa.local();
                        break;
                    }
                    same = false;
                }
            }
        }
        return same ? addr : Ipv4Address.ANY;
    }

    /** {@code inet_addr_onlink}: whether {@code a} and {@code b} (when given) share one of the device's subnets. */
    boolean onLink(NetDevice dev, Ipv4Address a, Ipv4Address b) {
        for (InetIfAddr ifa : dev.ipv4().addresses()) {
            if (ifa.matches(a) && (b.isUnspecified() || ifa.matches(b))) {
                return true;
            }
        }
        return false;
    }
}
