package dev.ipsim.kernel.inet6;

import dev.ipsim.kernel.Errno;
import dev.ipsim.kernel.KernelException;
import dev.ipsim.kernel.NetNamespace;
import dev.ipsim.kernel.addr.Ipv6Address;
import dev.ipsim.kernel.ipv6.Route6Lookup;
import dev.ipsim.kernel.link.NetDevice;
import dev.ipsim.kernel.route.RouteType;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A raw ICMPv6 socket ({@code socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6)}): the kernel fills in
 * the checksum, picks the source by the route ({@code ip6_datagram_connect}), and hands it every
 * ICMPv6 message its filter ({@code ICMP6_FILTER}) passes; with {@code IPV6_RECVERR} the errors
 * about what it sent ({@code rawv6_err}) come through the error queue.
 */
public final class Icmpv6Socket {

    /** {@code SO_EE_ORIGIN_LOCAL}. */
    public static final int ORIGIN_LOCAL = 1;
    /** {@code SO_EE_ORIGIN_ICMP6}. */
    public static final int ORIGIN_ICMP6 = 3;

    /** A message received: the ICMPv6 bytes, who sent it, its hop limit, the device it came in on. */
    public record Received(byte[] icmp, Ipv6Address from, int hopLimit, NetDevice device, long timestampNanos) {
    }

    /** An error queue entry: ICMPv6 type, code and info, the offender, the target, the quoted ICMPv6 payload. */
    public record ExtendedError(int origin, Errno errno, int type, int code, int info, Ipv6Address offender,
                                Ipv6Address target, byte[] payload, long timestampNanos) {
    }

    private final NetNamespace ns;
    private final Ipv6Stack stack;
    private NetDevice boundDevice;
    private Ipv6Address source = Ipv6Address.ANY;
    private int hopLimit = -1;
    /** Blocked types, one bit each ({@code ICMP6_FILTER_WILLBLOCK}); all pass until set. */
    private final long[] filter = new long[4];
    private boolean receiveErrors;
    private final Deque<Received> receiveQueue = new ArrayDeque<>();
    private final Deque<ExtendedError> errorQueue = new ArrayDeque<>();
    private Errno pendingError;

    Icmpv6Socket(NetNamespace ns, Ipv6Stack stack) {
        this.ns = ns;
        this.stack = stack;
    }

    /** {@code SO_BINDTODEVICE}; ENODEV for a device that does not exist. */
    public void bindToDevice(String name) {
        NetDevice dev = ns.device(name);
        if (dev == null) {
            throw new KernelException(Errno.ENODEV);
        }
        boundDevice = dev;
    }

    /** {@code bind()} to one of our addresses; EADDRNOTAVAIL otherwise. */
    public void bind(Ipv6Address address) {
        if (!address.isUnspecified() && stack.localDevice(address) == null) {
            throw new KernelException(Errno.EADDRNOTAVAIL);
        }
        source = address;
    }

    /** {@code ICMP6_FILTER}: only these types pass. */
    public void setFilterPassOnly(int... types) {
        java.util.Arrays.fill(filter, -1L);
        for (int t : types) {
            filter[t >> 6] &= ~(1L << (t & 63));
        }
    }

    public void setReceiveErrors(boolean on) {
        receiveErrors = on;
    }

    /** {@code IPV6_UNICAST_HOPS}. */
    public void setHopLimit(int hops) {
        hopLimit = hops;
    }

    /**
     * {@code connect()} of a datagram socket to learn the source: the route's, or the one
     * {@code ipv6_dev_get_saddr} picks.
     *
     * @throws KernelException the route lookup's errors, ENETUNREACH with no source at all
     */
    public Ipv6Address connect(Ipv6Address destination, NetDevice oif) {
        NetDevice dev = oif != null ? oif : boundDevice;
        if (!source.isUnspecified()) {
            return source;
        }
        Route6Lookup.Result r = Route6Lookup.output(ns, destination, dev);
        Ipv6Address src = Route6Lookup.source(ns, r.route(), destination);
        if (src == null) {
            throw new KernelException(Errno.EADDRNOTAVAIL);
        }
        return src;
    }

    /** {@code rawv6_sendmsg}: the checksum is the kernel's. */
    public void sendTo(byte[] icmp, Ipv6Address destination, NetDevice oif) {
        NetDevice dev = oif != null ? oif : boundDevice;
        Route6Lookup.Result r = Route6Lookup.output(ns, destination, dev);
        if (icmp.length > 0xFFFF) {
            // ip6_append_data: more than an IPv6 payload length can say (no jumbograms), an error
            // queued (ipv6_local_error, with the route's mtu) and returned
            NetDevice out = r.route().type() == RouteType.LOCAL ? ns.loopback()
                    : r.route().device();
            errorQueue.addLast(new ExtendedError(ORIGIN_LOCAL, Errno.EMSGSIZE, 0, 0, out == null ? 0 : out.mtu(),
                    Ipv6Address.ANY, destination, new byte[0], ns.kernel().clock().nanos()));
            throw new KernelException(Errno.EMSGSIZE);
        }
        Ipv6Address src = source.isUnspecified() ? Route6Lookup.source(ns, r.route(), destination) : source;
        if (src == null) {
            throw new KernelException(Errno.EADDRNOTAVAIL);
        }
        stack.sendIcmp(src, destination, hopLimit, icmp, r.route(), dev);
        ns.kernel().settle();
    }

    public boolean hasDataOrError() {
        return pendingError != null || !receiveQueue.isEmpty();
    }

    public Errno takeError() {
        Errno e = pendingError;
        pendingError = null;
        return e;
    }

    public Received receive() {
        return receiveQueue.pollFirst();
    }

    public ExtendedError receiveError() {
        ExtendedError e = errorQueue.pollFirst();
        if (e != null) {
            pendingError = errorQueue.isEmpty() ? null : Errno.ENOENT;
        }
        return e;
    }

    public void close() {
        stack.closeSocket(this);
    }

    // ------------------------------------------------------------------ delivery

    boolean boundElsewhere(NetDevice dev) {
        return boundDevice != null && boundDevice != dev;
    }

    void deliver(int type, Received r) {
        if ((filter[type >> 6] & (1L << (type & 63))) != 0) {
            return;
        }
        receiveQueue.addLast(r);
    }

    void deliverError(ExtendedError e) {
        if (!receiveErrors) {
            return;
        }
        errorQueue.addLast(e);
        pendingError = Errno.ENOENT;
    }
}
