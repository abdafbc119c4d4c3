package dev.ipsim.kernel.ipv4;

/** The {@code IFA_F_*} address flag bits ({@code include/uapi/linux/if_addr.h}). */
public final class AddressFlags {
    public static final int SECONDARY = 0x01;
    public static final int NODAD = 0x02;
    public static final int OPTIMISTIC = 0x04;
    public static final int DADFAILED = 0x08;
    public static final int HOMEADDRESS = 0x10;
    public static final int DEPRECATED = 0x20;
    public static final int TENTATIVE = 0x40;
    public static final int PERMANENT = 0x80;
    public static final int MANAGETEMPADDR = 0x100;
    public static final int NOPREFIXROUTE = 0x200;
    public static final int MCAUTOJOIN = 0x400;
    public static final int STABLE_PRIVACY = 0x800;

    /** {@code INFINITY_LIFE_TIME}: a lifetime that never runs out. */
    public static final long INFINITY_LIFE_TIME = 0xFFFF_FFFFL;

    private AddressFlags() {
    }
}
