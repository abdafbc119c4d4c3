package dev.ipsim.kernel.route;

/** Nexthop flag bits ({@code RTNH_F_*}). */
public final class NexthopFlags {
    public static final int DEAD = 1;
    public static final int PERVASIVE = 2;
    public static final int ONLINK = 4;
    public static final int OFFLOAD = 8;
    public static final int LINKDOWN = 16;
    public static final int UNRESOLVED = 32;
    public static final int TRAP = 64;

    private NexthopFlags() {
    }
}
