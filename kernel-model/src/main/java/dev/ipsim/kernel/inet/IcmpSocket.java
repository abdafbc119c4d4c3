package dev.ipsim.kernel.inet;

import dev.ipsim.kernel.Errno;
import dev.ipsim.kernel.KernelException;
import dev.ipsim.kernel.NetNamespace;
import dev.ipsim.kernel.addr.Ipv4Address;
import dev.ipsim.kernel.link.NetDevice;
import dev.ipsim.kernel.packet.PacketEngine;
import dev.ipsim.kernel.route.RouteType;
import dev.ipsim.kernel.wire.IcmpMessage;
import dev.ipsim.kernel.wire.IpProtocol;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A raw ICMP socket ({@code socket(AF_INET, SOCK_RAW, IPPROTO_ICMP)}, {@code net/ipv4/raw.c})
 * with the options ping sets: what iputils ping sends and receives through.
 *
 * <p>Heads up: a raw socket gets a copy of every ICMP datagram delivered to this host whose
 * addresses fit the socket's binding, minus the types its ICMP filter blocks, and (with
 * {@code IP_RECVERR}) an error queue entry for every ICMP error about a datagram it could have
 * sent. Binding to a device filters both, but differently: delivered datagrams are matched
 * against {@code inet_iif} (for traffic that came over loopback, the device the local address
 * is on), errors against the device they arrived on (loopback, for errors this host made about
 * itself). So {@code ping -I veth0} sees the quoted echo request of a local "host unreachable"
 * but never hears the error itself.
 */
public final class IcmpSocket {

    /** {@code SO_EE_ORIGIN_LOCAL}. */
    public static final int ORIGIN_LOCAL = 1;
    /** {@code SO_EE_ORIGIN_ICMP}. */
    public static final int ORIGIN_ICMP = 2;
    /** {@code IP_PMTUDISC_DONT}: never DF; fragment as needed. */
    public static final int PMTUDISC_DONT = 0;
    /** {@code IP_PMTUDISC_WANT}: DF on what fits the path MTU, fragments otherwise (the default). */
    public static final int PMTUDISC_WANT = 1;
    /** {@code IP_PMTUDISC_DO}: always DF; too big is a local error. */
    public static final int PMTUDISC_DO = 2;
    /** The largest datagram IPv4 can carry ({@code 0xFFFF}). */
    private static final int MAX_DATAGRAM = 0xFFFF;

    /**
     * A datagram received: the whole IPv4 datagram (raw sockets see the header), where it came
     * from, and its {@code SO_TIMESTAMP}.
     */
    public record Received(byte[] datagram, Ipv4Address from, long timestampNanos) {
    }

    /**
     * An error queue entry ({@code struct sock_extended_err} and what {@code recvmsg(MSG_ERRQUEUE)}
     * returns with it): origin, errno, ICMP type, code and info, the offender (who sent the
     * error), the target (the destination of the datagram it is about) and that datagram's
     * payload (for an ICMP socket: the quoted ICMP header onward).
     */
    public record ExtendedError(int origin, Errno errno, int type, int code, int info, Ipv4Address offender,
                                Ipv4Address target, byte[] payload, long timestampNanos) {
    }

    private final NetNamespace ns;
    private final Ipv4Stack stack;
    private int boundDevice;
    private Ipv4Address boundAddress = Ipv4Address.ANY;
    private int icmpFilter;
    private boolean receiveErrors;
    private boolean broadcast;
    private int ttl = -1;
    private int tos;
    private int pmtuDiscovery = PMTUDISC_WANT;
    private final Deque<Received> receiveQueue = new ArrayDeque<>();
    private final Deque<ExtendedError> errorQueue = new ArrayDeque<>();
    /** {@code sk->sk_err}: reported by the next receive, then cleared. */
    private Errno pendingError;
    private boolean closed;

    IcmpSocket(NetNamespace ns, Ipv4Stack stack) {
        this.ns = ns;
        this.stack = stack;
    }

    // ------------------------------------------------------------------ options

    /**
     * {@code SO_BINDTODEVICE}.
     *
     * @throws KernelException ENODEV for a device that does not exist
     */
    public void bindToDevice(String name) {
        NetDevice dev = ns.device(name);
        if (dev == null) {
            throw new KernelException(Errno.ENODEV);
        }
        boundDevice = dev.ifindex();
    }

    public int boundDevice() {
        return boundDevice;
    }

    /**
     * {@code bind()} to a local address ({@code raw_bind}).
     *
     * @throws KernelException EADDRNOTAVAIL when the address is not this host's
     */
    public void bind(Ipv4Address address) {
        RouteType type = stack.fib().addressType(address);
        if (!address.isUnspecified() && type != RouteType.LOCAL && type != RouteType.MULTICAST
                && type != RouteType.BROADCAST) {
            throw new KernelException(Errno.EADDRNOTAVAIL);
        }
        boundAddress = address;
    }

    /** {@code ICMP_FILTER}: bit {@code t} set blocks ICMP type {@code t}. */
    public void setIcmpFilter(int blockedTypes) {
        this.icmpFilter = blockedTypes;
    }

    /** {@code IP_RECVERR}. */
    public void setReceiveErrors(boolean on) {
        this.receiveErrors = on;
    }

    /** {@code SO_BROADCAST}. */
    public void setBroadcast(boolean on) {
        this.broadcast = on;
    }

    /** {@code IP_TTL}. */
    public void setTtl(int ttl) {
        this.ttl = ttl;
    }

    /** {@code IP_MTU_DISCOVER}. */
    public void setPmtuDiscovery(int mode) {
        this.pmtuDiscovery = mode;
    }

    /** {@code IP_TOS}. */
    public void setTos(int tos) {
        this.tos = tos;
    }

    // ------------------------------------------------------------------ sending

    /**
     * {@code sendto()}: routes and sends one ICMP message as a datagram of its own
     * ({@code raw_sendmsg}).
     *
     * @throws KernelException the route lookup's errors (ENETUNREACH...), EACCES for a broadcast
     *         without {@code SO_BROADCAST}, EMSGSIZE for a message too long for a datagram
     */
    public void sendTo(byte[] icmp, Ipv4Address destination) {
        sendTo(icmp, destination, 0);
    }

    /**
     * {@code sendmsg()} with an {@code IP_PKTINFO} control message naming the output device
     * ({@code ipi_ifindex}; 0 for none): the route lookup is bound to that device for this
     * datagram, as {@code SO_BINDTODEVICE} would bind it, but the socket still hears from
     * every device.
     */
    public void sendTo(byte[] icmp, Ipv4Address destination, int pktinfoIfindex) {
        if (icmp.length > MAX_DATAGRAM) {
            throw new KernelException(Errno.EMSGSIZE); // raw_sendmsg: no more than fits a datagram
        }
        Flow flow = Flow.output(destination, boundAddress, pktinfoIfindex != 0 ? pktinfoIfindex : boundDevice);
        flow.tos = tos & 0x1E;
        flow.protocol = IpProtocol.ICMP;
        Dst route = stack.routing().output(flow);
        if ((route.flags() & RouteFlags.BROADCAST) != 0 && !broadcast) {
            throw new KernelException(Errno.EACCES);
        }
        int mtu = Math.min(route.device().mtu(), MAX_DATAGRAM);
        if (icmp.length > MAX_DATAGRAM - 20 || (pmtuDiscovery >= PMTUDISC_DO && icmp.length + 20 > mtu)) {
            // __ip_append_data: too long (or too long to go unfragmented): an error queued and returned
            errorQueue.addLast(new ExtendedError(ORIGIN_LOCAL, Errno.EMSGSIZE, 0, 0, mtu, Ipv4Address.ANY,
                    destination, new byte[0], ns.kernel().clock().nanos()));
            throw new KernelException(Errno.EMSGSIZE);
        }
        int hopLimit = ttl >= 0 ? ttl : destination.isMulticast() ? 1 : stack.defaultTtl();
        int verdict = stack.sendFromSocket(flow.source, destination, tos, hopLimit, pmtuDiscovery, icmp, route);
        ns.kernel().settle();
        if (verdict == PacketEngine.XMIT_DROP && receiveErrors) {
            // ip_send_skb: net_xmit_errno; raw_sendmsg hides ENOBUFS only from sockets without IP_RECVERR
            throw new KernelException(Errno.ENOBUFS);
        }
    }

    // ------------------------------------------------------------------ receiving

    /** Whether a receive would return at once: data, an error, or a queued error entry. */
    public boolean readable() {
        return pendingError != null || !receiveQueue.isEmpty() || !errorQueue.isEmpty();
    }

    /** Whether a blocking receive would return: a datagram or a pending error ({@code sk_err}). */
    public boolean hasDataOrError() {
        return pendingError != null || !receiveQueue.isEmpty();
    }

    /** {@code sock_error()}: the pending error, cleared; {@code null} when none. */
    public Errno takeError() {
        Errno e = pendingError;
        pendingError = null;
        return e;
    }

    /** The next datagram, or {@code null}. */
    public Received receive() {
        return receiveQueue.pollFirst();
    }

    /**
     * {@code recvmsg(MSG_ERRQUEUE)}: the next error entry, or {@code null}. When another ICMP
     * error follows, it becomes the pending error again ({@code sock_dequeue_err_skb}).
     */
    public ExtendedError receiveError() {
        ExtendedError e = errorQueue.pollFirst();
        if (e == null) {
            return null;
        }
        ExtendedError next = errorQueue.peekFirst();
        if (next != null && next.origin() == ORIGIN_ICMP) {
            pendingError = Errno.ENOENT; // the kernel stores ee_origin (2) as sk_err
        } else if (e.origin() == ORIGIN_ICMP) {
            pendingError = null;
        }
        return e;
    }

    public void close() {
        closed = true;
        stack.sockets().remove(this);
    }

    // ------------------------------------------------------------------ delivery (raw.c)

    /** {@code raw_v4_match}. */
    boolean matches(Ipv4Address remote, Ipv4Address local, int deviceIndex) {
        if (closed) {
            return false;
        }
        if (!boundAddress.isUnspecified() && !boundAddress.equals(local)) {
            return false;
        }
        return boundDevice == 0 || boundDevice == deviceIndex;
    }

    /** {@code raw_rcv} for ICMP: the filter, then the receive queue. */
    void deliver(byte[] datagram, int icmpType, Ipv4Address from) {
        if (icmpType < 32 && (icmpFilter & (1 << icmpType)) != 0) {
            return;
        }
        receiveQueue.addLast(new Received(datagram.clone(), from, ns.kernel().clock().nanos()));
    }

    /** {@code raw_err}: an ICMP error about a datagram this socket could have sent. */
    void deliverError(IcmpMessage error, Ipv4Address offender, Ipv4Address target, byte[] quotedPayload, int info) {
        if (error.type() == IcmpMessage.SOURCE_QUENCH) {
            return;
        }
        Errno errno = Icmp.errnoFor(error.type(), error.code());
        if (!receiveErrors) {
            return; // unconnected and without IP_RECVERR: nothing to tell
        }
        errorQueue.addLast(new ExtendedError(ORIGIN_ICMP, errno, error.type(), error.code(), info, offender, target,
                quotedPayload, ns.kernel().clock().nanos()));
        pendingError = errno;
    }
}
