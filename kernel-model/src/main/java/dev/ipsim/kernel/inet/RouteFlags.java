package dev.ipsim.kernel.inet;

/** Flags of a resolved route ({@code RTCF_*}), the ones {@code ip route get} shows after {@code cache}. */
public final class RouteFlags {
    public static final int NOTIFY = 0x0001_0000;
    public static final int DIRECTDST = 0x0002_0000;
    public static final int REDIRECTED = 0x0004_0000;
    public static final int TPROXY = 0x0008_0000;
    public static final int FAST = 0x0020_0000;
    public static final int MASQ = 0x0040_0000;
    public static final int SNAT = 0x0080_0000;
    public static final int DOREDIRECT = 0x0100_0000;
    public static final int DIRECTSRC = 0x0400_0000;
    public static final int DNAT = 0x0800_0000;
    public static final int BROADCAST = 0x1000_0000;
    public static final int MULTICAST = 0x2000_0000;
    public static final int REJECT = 0x4000_0000;
    public static final int LOCAL = 0x8000_0000;

    private RouteFlags() {
    }
}
