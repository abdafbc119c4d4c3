package dev.ipsim.kernel.ipv4;

import dev.ipsim.kernel.addr.Ipv4Address;
import dev.ipsim.kernel.link.NetDevice;

/**
 * An IPv4 address on a device ({@code struct in_ifaddr}).
 *
 * <p>{@code local} is the address itself; {@code address} is the peer on point-to-point
 * links and equals {@code local} otherwise. Lifetimes are in seconds and count down from
 * {@code updatedAt} (virtual seconds since boot); {@link AddressFlags#INFINITY_LIFE_TIME}
 * never expires.
 */
public final class InetIfAddr {

    private final NetDevice device;
    private final Ipv4Address local;
    private final Ipv4Address address;
    /** u8, as the kernel keeps {@code ifa_prefixlen}, {@code ifa_scope} and {@code ifa_proto}: read with {@code & 0xFF}. */
    private final byte prefixLength;
    private Ipv4Address broadcast;
    private Ipv4Address anycast;
    private byte scope;
    private int flags;
    private String label;
    private long validLifetime = AddressFlags.INFINITY_LIFE_TIME;
    private long preferredLifetime = AddressFlags.INFINITY_LIFE_TIME;
    private long createdAt;
    private long updatedAt;
    private int routePriority;
    private byte protocol;
    /** {@code check_lifetime}'s next look at this address, if its lifetimes are finite. */
    dev.ipsim.kernel.time.VirtualClock.Timer lifetimeTimer;

    public InetIfAddr(NetDevice device, Ipv4Address local, Ipv4Address address, int prefixLength) {
        this.device = device;
        this.local = local;
        this.address = address;
        this.prefixLength = (byte) prefixLength;
        this.label = device.name();
    }

    public NetDevice device() {
        return device;
    }

    public Ipv4Address local() {
        return local;
    }

    /** The peer address, or the local one when there is no peer. */
    public Ipv4Address address() {
        return address;
    }

    public boolean hasPeer() {
        return !address.equals(local);
    }

    public int prefixLength() {
        return prefixLength & 0xFF;
    }

    public Ipv4Address mask() {
        return Ipv4Address.netmask(prefixLength());
    }

    /** The network prefix of {@link #address()}. */
    public Ipv4Address prefix() {
        return address.masked(prefixLength());
    }

    /** Whether {@code a} is on this address's subnet ({@code inet_ifa_match}). */
    public boolean matches(Ipv4Address a) {
        return a.masked(prefixLength()).equals(prefix());
    }

    /** The broadcast address, or {@code null} when none is set. */
    public Ipv4Address broadcast() {
        return broadcast;
    }

    public void setBroadcast(Ipv4Address broadcast) {
        dev.ipsim.kernel.LookupEpoch.bump();
        this.broadcast = broadcast;
    }

    public Ipv4Address anycast() {
        return anycast;
    }

    public void setAnycast(Ipv4Address anycast) {
        dev.ipsim.kernel.LookupEpoch.bump();
        this.anycast = anycast;
    }

    public int scope() {
        return scope & 0xFF;
    }

    public void setScope(int scope) {
        dev.ipsim.kernel.LookupEpoch.bump();
        this.scope = (byte) scope;
    }

    public int flags() {
        return flags;
    }

    public void setFlags(int flags) {
        dev.ipsim.kernel.LookupEpoch.bump();
        this.flags = flags;
    }

    public boolean isSecondary() {
        return (flags & AddressFlags.SECONDARY) != 0;
    }

    public String label() {
        return label;
    }

    public void setLabel(String label) {
        dev.ipsim.kernel.LookupEpoch.bump();
        this.label = label;
    }

    public long validLifetime() {
        return validLifetime;
    }

    public long preferredLifetime() {
        return preferredLifetime;
    }

    public void setLifetimes(long valid, long preferred, long nowSeconds) {
        dev.ipsim.kernel.LookupEpoch.bump();
        this.validLifetime = valid;
        this.preferredLifetime = preferred;
        this.updatedAt = nowSeconds;
        if (createdAt == 0) {
            createdAt = nowSeconds;
        }
    }

    public long updatedAt() {
        return updatedAt;
    }

    public int routePriority() {
        return routePriority;
    }

    public void setRoutePriority(int routePriority) {
        dev.ipsim.kernel.LookupEpoch.bump();
        this.routePriority = routePriority;
    }

    public int protocol() {
        return protocol & 0xFF;
    }

    public void setProtocol(int protocol) {
        dev.ipsim.kernel.LookupEpoch.bump();
        this.protocol = (byte) protocol;
    }

    /** Seconds of valid lifetime left at {@code nowSeconds}, or infinity. */
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

    @Override
    public String toString() {
        return local + "/" + prefixLength() + " on " + device.name();
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
