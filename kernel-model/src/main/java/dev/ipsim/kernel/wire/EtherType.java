package dev.ipsim.kernel.wire;

/** Ethernet II type numbers ({@code ETH_P_*}) the model speaks, with tcpdump's names for them. */
public final class EtherType {

    public static final int IPV4 = 0x0800;
    public static final int ARP = 0x0806;
    public static final int VLAN = 0x8100;
    public static final int IPV6 = 0x86DD;

    private EtherType() {
    }

    /** tcpdump's name ({@code ethertype_values}), or {@code null} for a number it would print raw. */
    public static String name(int type) {
        return switch (type) {
            case IPV4 -> "IPv4";
            case ARP -> "ARP";
            case VLAN -> "802.1Q";
            case IPV6 -> "IPv6";
            default -> null;
        };
    }
}
