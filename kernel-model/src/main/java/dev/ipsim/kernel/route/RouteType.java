package dev.ipsim.kernel.route;

/** Route types ({@code RTN_*}), in the order of their numbers. */
public enum RouteType {
    UNSPEC, UNICAST, LOCAL, BROADCAST, ANYCAST, MULTICAST, BLACKHOLE, UNREACHABLE, PROHIBIT, THROW,
    NAT, XRESOLVE;

    /** The {@code RTN_*} number. */
    public int number() {
        return ordinal();
    }

    /** The name iproute2 uses for this type ({@code rtnl_rtntype_n2a}). */
    public String displayName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Types whose routes carry no nexthop and reject traffic. */
    public boolean isReject() {
        return this == BLACKHOLE || this == UNREACHABLE || this == PROHIBIT || this == THROW;
    }
}
