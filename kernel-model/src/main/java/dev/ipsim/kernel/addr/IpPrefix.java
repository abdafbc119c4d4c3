package dev.ipsim.kernel.addr;

/**
 * An address with a prefix length, {@code 192.168.2.0/24}. The address is kept as given
 * (host bits are not cleared); {@link #network()} clears them.
 */
public record IpPrefix(IpAddress address, int length) {

    public IpPrefix {
        if (length < 0 || length > address.bitLength()) {
            throw new IllegalArgumentException("prefix length " + length + " out of range");
        }
    }

    public static IpPrefix host(IpAddress address) {
        return new IpPrefix(address, address.bitLength());
    }

    public Family family() {
        return address.family();
    }

    /** The prefix with its host bits cleared. */
    public IpPrefix network() {
        IpAddress network = address.masked(length);
        if (network == address) {
            return this; // no host bits to clear
        }
        IpPrefix p = new IpPrefix(network, length);
        return p.equals(LINK_LOCAL_V6) ? LINK_LOCAL_V6 : p;
    }

    /**
     * {@code fe80::/64}: every IPv6 device's prefix route has it, so {@link #network()} hands out
     * this one object rather than one per route.
     */
    private static final IpPrefix LINK_LOCAL_V6 = new IpPrefix(new Ipv6Address(0xFE80_0000_0000_0000L, 0), 64);

    /** Whether {@code candidate} lies inside this prefix. */
    public boolean contains(IpAddress candidate) {
        return candidate.family() == address.family()
                && candidate.masked(length).equals(address.masked(length));
    }

    public boolean isHost() {
        return length == address.bitLength();
    }

    // equals and hashCode as the record's own, written out: route lookups hash prefixes, and
    // the generated ones go through method handles that the JIT does not always inline

    @Override
    public boolean equals(Object o) {
        return o instanceof IpPrefix p && length == p.length && address.equals(p.address);
    }

    @Override
    public int hashCode() {
        return 31 * address.hashCode() + length;
    }

    @Override
    public String toString() {
        return address + "/" + length;
    }
}
