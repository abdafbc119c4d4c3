package dev.ipsim.kernel.ipv6;

import dev.ipsim.kernel.addr.Ipv6Address;
import dev.ipsim.kernel.ipv4.AddressFlags;
import dev.ipsim.kernel.link.NetDevice;
import dev.ipsim.kernel.time.VirtualClock;

/** An IPv6 address on a device ({@code struct inet6_ifaddr}). */
public final class Inet6IfAddr {

    private final NetDevice device;
    private final Ipv6Address address;
    private final Ipv6Address peer;
    /** u8 each (prefix length, route scope, {@code ifa_proto}): read with {@code & 0xFF}. */
    private final byte prefixLength;
    private final byte scope;
    private int flags;
    private long validLifetime = AddressFlags.INFINITY_LIFE_TIME;
    private long preferredLifetime = AddressFlags.INFINITY_LIFE_TIME;
    private long updatedAt;
    private int routePriority;
    private byte protocol;
    /** DAD probes still to send ({@code dad_probes}). */
    int dadProbes;
    /** The pending DAD timer, if any. */
    VirtualClock.Timer dadTimer;
    /** The pending lifetime timer (deprecation or expiry), if any. */
    VirtualClock.Timer lifetimeTimer;

    public Inet6IfAddr(NetDevice device, Ipv6Address address, Ipv6Address peer, int prefixLength, int scope,
                       int flags) {
        this.device = device;
        this.address = address;
        this.peer = peer;
        this.prefixLength = (byte) prefixLength;
        this.scope = (byte) scope;
        this.flags = flags;
    }

    public NetDevice device() {
        return device;
    }

    /** The address's solicited-node group, made once: MLD's state and {@code dev->mc} share it. */
    public Ipv6Address solicitedNode() {
        Ipv6Address g = solicitedNode;
        if (g == null) {
            g = address.solicitedNode();
            solicitedNode = g;
        }
        return g;
    }

    private Ipv6Address solicitedNode;

    public Ipv6Address address() {
        return address;
    }

    /** The peer address, or {@code null}. */
    public Ipv6Address peer() {
        return peer;
    }

    public int prefixLength() {
        return prefixLength & 0xFF;
    }

    /** The {@code RT_SCOPE_*} value iproute2 shows (host, link, global). */
    public int scope() {
        return scope & 0xFF;
    }

    public int flags() {
        return flags;
    }

    public void setFlags(int flags) {
        this.flags = flags;
    }

    public boolean isTentative() {
        return (flags & AddressFlags.TENTATIVE) != 0;
    }

    public long validLifetime() {
        return validLifetime;
    }

    public long preferredLifetime() {
        return preferredLifetime;
    }

    public void setLifetimes(long valid, long preferred, long nowSeconds) {
        validLifetime = valid;
        preferredLifetime = preferred;
        updatedAt = nowSeconds;
    }

    public long remainingValid(long nowSeconds) {
        return remaining(validLifetime, nowSeconds);
    }

    public long remainingPreferred(long nowSeconds) {
        return remaining(preferredLifetime, nowSeconds);
    }

    private long remaining(long lifetime, long nowSeconds) {
        if (lifetime == AddressFlags.INFINITY_LIFE_TIME) {
            return lifetime;
        }
        return Math.max(0, lifetime - (nowSeconds - updatedAt));
    }

    public int routePriority() {
        return routePriority;
    }

    public void setRoutePriority(int routePriority) {
        this.routePriority = routePriority;
    }

    public int protocol() {
        return protocol & 0xFF;
    }

    public void setProtocol(int protocol) {
        this.protocol = (byte) protocol;
    }

    @Override
    public String toString() {
        return address + "/" + prefixLength() + " on " + device.name();
    }

    private long serial;

    /**
     * The kernel's change number ({@code Kernel.nextEventSerial}) of the request that added
     * the address; 0 for one the kernel made itself.
     */
    public long serial() {
        return serial;
    }

    public void setSerial(long serial) {
        this.serial = serial;
    }
}
