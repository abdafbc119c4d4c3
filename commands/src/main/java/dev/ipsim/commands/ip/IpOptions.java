package dev.ipsim.commands.ip;

/** {@code ip}'s global options, as {@code ip/ip.c} keeps them in globals. */
public final class IpOptions {
    /** {@code AF_UNSPEC} (0), {@code AF_INET} (2), {@code AF_INET6} (10), {@code AF_PACKET} (17), ... */
    public int family;
    public int humanReadable;
    public int iec;
    public int stats;
    public int details;
    public int resolve;
    public int oneline;
    public int timestamp;
    public int brief;
    public int json;
    public int pretty;
    public int numeric;
    public int force;
    public boolean all;
    public int echo;
    public int color;
    public int loops = 10;
    public String batchFile;

    public static final int AF_UNSPEC = 0;
    public static final int AF_INET = 2;
    public static final int AF_BRIDGE = 7;
    public static final int AF_INET6 = 10;
    public static final int AF_PACKET = 17;
    public static final int AF_MPLS = 28;
}
