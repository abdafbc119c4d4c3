package dev.ipsim.kernel.route;

/** Reserved routing table numbers ({@code RT_TABLE_*}). */
public final class RouteTableId {
    public static final int UNSPEC = 0;
    public static final int COMPAT = 252;
    public static final int DEFAULT = 253;
    public static final int MAIN = 254;
    public static final int LOCAL = 255;

    private RouteTableId() {
    }
}
