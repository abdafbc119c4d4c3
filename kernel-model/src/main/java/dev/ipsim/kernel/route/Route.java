package dev.ipsim.kernel.route;

import dev.ipsim.kernel.addr.Family;
import dev.ipsim.kernel.addr.IpAddress;
import dev.ipsim.kernel.addr.IpPrefix;
import dev.ipsim.kernel.link.NetDevice;

/**
 * A routing table row ({@code fib_alias} + {@code fib_info} for IPv4, {@code fib6_info} for
 * IPv6). Everything but the nexthop flags, which follow the device's state, is fixed when the
 * route is made; the result of a lookup is a different type.
 */
public final class Route {

    /** IPv6 router preference "medium" ({@code ICMPV6_ROUTER_PREF_MEDIUM}). */
    public static final int PREF_MEDIUM = 0;
    /** The expiry of a route that does not expire. */
    public static final long NEVER = Long.MAX_VALUE;

    private final RouteType type;
    private final IpPrefix destination;
    // u8 fields of the kernel's structures as bytes (read back unsigned): a route is 56 bytes
    private final byte tos;
    private final int priority;
    private final byte protocol;
    private final byte scope;
    private final IpAddress preferredSource;
    private final int table;
    private final IpAddress gateway;
    private final NetDevice device;
    private int nexthopFlags;
    private final byte pref;
    private final int sequence;
    /** What few routes have (an expiry, nexthop exceptions): made when first needed. */
    private Extras extras;

    private static final class Extras {
        /** {@code RTF_EXPIRES}: when the route goes, in virtual nanoseconds, or {@link #NEVER}. */
        long expiresAt = NEVER;
        /** The nexthop's exceptions, by destination ({@code nhc_exceptions}); created when first needed. */
        java.util.LinkedHashMap<IpAddress, NexthopException> exceptions;
    }

    private Extras extras() {
        if (extras == null) {
            extras = new Extras();
        }
        return extras;
    }
    /** {@code FNHE_HASH_SIZE} buckets of {@code FNHE_RECLAIM_DEPTH}: the most a nexthop keeps. */
    private static final int MAX_EXCEPTIONS = 2048 * 5;

    private Route(Builder b, int sequence) {
        if (((b.tos | b.protocol | b.scope) & ~0xFF) != 0 || b.pref != (byte) b.pref) {
            throw new IllegalArgumentException("tos, protocol and scope are 8-bit: " + b.tos + " " + b.protocol
                    + " " + b.scope + " " + b.pref);
        }
        this.type = b.type;
        this.destination = b.destination.network();
        this.tos = (byte) b.tos;
        this.priority = b.priority;
        this.protocol = (byte) b.protocol;
        this.scope = (byte) b.scope;
        this.preferredSource = b.preferredSource;
        this.table = b.table;
        this.gateway = b.gateway;
        this.device = b.device;
        this.nexthopFlags = b.nexthopFlags;
        this.pref = (byte) b.pref;
        this.sequence = sequence;
    }

    public static Builder builder(RouteType type, IpPrefix destination) {
        return new Builder(type, destination);
    }

    public RouteType type() {
        return type;
    }

    /** The destination prefix, host bits cleared. */
    public IpPrefix destination() {
        return destination;
    }

    public Family family() {
        return destination.family();
    }

    public int tos() {
        return tos & 0xFF;
    }

    /** The metric ({@code RTA_PRIORITY}). */
    public int priority() {
        return priority;
    }

    public int protocol() {
        return protocol & 0xFF;
    }

    public int scope() {
        return scope & 0xFF;
    }

    /** {@code RTA_PREFSRC}, or {@code null}. */
    public IpAddress preferredSource() {
        return preferredSource;
    }

    public int table() {
        return table;
    }

    /** The gateway, or {@code null} for a directly connected route. */
    public IpAddress gateway() {
        return gateway;
    }

    /** The output device, or {@code null} for routes without one (blackhole, unreachable). */
    public NetDevice device() {
        return device;
    }

    public int nexthopFlags() {
        return nexthopFlags;
    }

    public boolean hasNexthopFlag(int flag) {
        return (nexthopFlags & flag) != 0;
    }

    public void setNexthopFlag(int flag, boolean on) {
        nexthopFlags = on ? nexthopFlags | flag : nexthopFlags & ~flag;
        dev.ipsim.kernel.LookupEpoch.bump();
    }

    public int pref() {
        return pref;
    }

    /** When the route expires ({@code RTF_EXPIRES}), in virtual nanoseconds; {@link #NEVER} if it does not. */
    public long expiresAt() {
        return extras == null ? NEVER : extras.expiresAt;
    }

    public void setExpiresAt(long nanos) {
        if (extras != null || nanos != NEVER) {
            extras().expiresAt = nanos;
        }
        dev.ipsim.kernel.LookupEpoch.bump();
    }

    /** A copy with another output device and nexthop flags (what the kernel resolved). */
    public Route withNexthop(NetDevice dev, int flags) {
        if (dev == device && flags == nexthopFlags) {
            return this;
        }
        return builder(type, destination).tos(tos()).priority(priority).protocol(protocol()).scope(scope())
                .preferredSource(preferredSource).table(table).gateway(gateway).device(dev).nexthopFlags(flags)
                .pref(pref).build();
    }

    /** A copy in another table. */
    public Route inTable(int id) {
        return id == table ? this : builder(type, destination).tos(tos()).priority(priority).protocol(protocol())
                .scope(scope()).preferredSource(preferredSource).table(id).gateway(gateway).device(device)
                .nexthopFlags(nexthopFlags).pref(pref).build();
    }

    /** Whether the nexthop has exceptions (a lookup through it may depend on the clock). */
    public boolean hasExceptions() {
        return extras != null && extras.exceptions != null && !extras.exceptions.isEmpty();
    }

    /** The nexthop's exception for a destination, or {@code null}. */
    public NexthopException exception(IpAddress destination) {
        return extras == null || extras.exceptions == null ? null : extras.exceptions.get(destination);
    }

    /** {@code update_or_create_fnhe}: the exception for a destination, made if missing. */
    public NexthopException exceptionFor(IpAddress destination, long generation) {
        if (extras().exceptions == null) {
            extras.exceptions = new java.util.LinkedHashMap<>();
        }
        java.util.LinkedHashMap<IpAddress, NexthopException> exceptions = extras.exceptions;
        NexthopException e = exceptions.get(destination);
        if (e == null) {
            if (exceptions.size() >= MAX_EXCEPTIONS) {
                exceptions.remove(exceptions.keySet().iterator().next()); // fnhe_oldest
            }
            e = new NexthopException(destination, generation);
            exceptions.put(destination, e);
            dev.ipsim.kernel.LookupEpoch.bump(); // a cached lookup never saw it
        }
        return e;
    }

    /** {@code ip_del_fnhe}. */
    public void removeException(IpAddress destination) {
        if (extras != null && extras.exceptions != null) {
            extras.exceptions.remove(destination);
            dev.ipsim.kernel.LookupEpoch.bump();
        }
    }

    /** The nexthop's exceptions, oldest first. */
    public java.util.List<NexthopException> exceptions() {
        return extras == null || extras.exceptions == null ? java.util.List.of()
                : java.util.List.copyOf(extras.exceptions.values());
    }

    /** Creation order, the tie-breaker among routes the kernel keeps in insertion order. */
    public int sequence() {
        return sequence;
    }

    /** Whether two routes would share a {@code fib_info}: same attributes and nexthop. */
    public boolean sameInfo(Route o) {
        return type == o.type && priority == o.priority && protocol == o.protocol && scope == o.scope
                && java.util.Objects.equals(preferredSource, o.preferredSource)
                && java.util.Objects.equals(gateway, o.gateway) && device == o.device
                && (nexthopFlags & NexthopFlags.ONLINK) == (o.nexthopFlags & NexthopFlags.ONLINK);
    }

    @Override
    public String toString() {
        return type.displayName() + " " + destination + (gateway != null ? " via " + gateway : "")
                + (device != null ? " dev " + device.name() : "") + " table " + table + " metric " + priority;
    }

    /** Builds a route; the defaults are those of {@code ip route add} before the kernel fills in. */
    public static final class Builder {
        /** Creation order across the JVM (an int: two billion routes before it could wrap). */
        private static int nextSequence;

        private final RouteType type;
        private final IpPrefix destination;
        private int tos;
        private int priority;
        private int protocol = RouteProtocol.BOOT;
        private int scope;
        private IpAddress preferredSource;
        private int table = RouteTableId.MAIN;
        private IpAddress gateway;
        private NetDevice device;
        private int nexthopFlags;
        private int pref = PREF_MEDIUM;

        private Builder(RouteType type, IpPrefix destination) {
            this.type = type;
            this.destination = destination;
        }

        public Builder tos(int v) {
            tos = v;
            return this;
        }

        public Builder priority(int v) {
            priority = v;
            return this;
        }

        public Builder protocol(int v) {
            protocol = v;
            return this;
        }

        public Builder scope(int v) {
            scope = v;
            return this;
        }

        public Builder preferredSource(IpAddress v) {
            preferredSource = v;
            return this;
        }

        public Builder table(int v) {
            table = v;
            return this;
        }

        public Builder gateway(IpAddress v) {
            gateway = v;
            return this;
        }

        public Builder device(NetDevice v) {
            device = v;
            return this;
        }

        public Builder nexthopFlags(int v) {
            nexthopFlags = v;
            return this;
        }

        public Builder pref(int v) {
            pref = v;
            return this;
        }

        public Route build() {
            return new Route(this, nextSequence++);
        }
    }
}
