package dev.ipsim.kernel.addr;

/** An IPv4 or IPv6 address. */
public sealed interface IpAddress permits Ipv4Address, Ipv6Address {

    /** The address family this address belongs to. */
    Family family();

    /** Address length in bits: 32 or 128. */
    default int bitLength() {
        return family().bits();
    }

    /** Bit {@code i}, counting from the most significant. */
    boolean bit(int i);

    /** This address with every bit after the first {@code prefixLength} cleared. */
    IpAddress masked(int prefixLength);

    boolean isUnspecified();

    static IpAddress parse(String text) {
        Ipv4Address v4 = Ipv4Address.parse(text);
        if (v4 != null) {
            return v4;
        }
        return Ipv6Address.parse(text);
    }
}
