package dev.ipsim.kernel.wire;

/** IP protocol numbers ({@code IPPROTO_*}) the model speaks. */
public final class IpProtocol {

    public static final int HOP_BY_HOP = 0;
    public static final int ICMP = 1;
    public static final int IGMP = 2;
    public static final int TCP = 6;
    public static final int UDP = 17;
    public static final int ICMPV6 = 58;

    private IpProtocol() {
    }
}
