package dev.ipsim.kernel.route;

/** Well-known route origin numbers ({@code RTPROT_*}). */
public final class RouteProtocol {
    public static final int UNSPEC = 0;
    public static final int REDIRECT = 1;
    public static final int KERNEL = 2;
    public static final int BOOT = 3;
    public static final int STATIC = 4;
    public static final int RA = 9;
    public static final int DHCP = 16;

    private RouteProtocol() {
    }
}
