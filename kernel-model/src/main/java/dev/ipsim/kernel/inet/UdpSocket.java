package dev.ipsim.kernel.inet;

import dev.ipsim.kernel.Errno;
import dev.ipsim.kernel.KernelException;
import dev.ipsim.kernel.NetNamespace;
import dev.ipsim.kernel.addr.Ipv4Address;
import dev.ipsim.kernel.link.NetDevice;
import dev.ipsim.kernel.wire.IcmpMessage;
import dev.ipsim.kernel.wire.IpProtocol;
import dev.ipsim.kernel.wire.UdpDatagram;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A UDP socket ({@code socket(AF_INET, SOCK_DGRAM, 0)}, {@code net/ipv4/udp.c}), as much of it
 * as a stub resolver uses: an ephemeral port, {@code connect()}, {@code send()}, a receive
 * queue, and the errors a connected socket hears.
 *
 * <p>Heads up: a connected UDP socket without {@code IP_RECVERR} is told only of "hard" ICMP
 * errors ({@code icmp_err_convert}'s fatal ones): a port unreachable makes the next receive fail
 * with ECONNREFUSED, which is how a resolver knows at once that nothing listens on port 53;
 * a host or network unreachable is not reported, and the resolver waits out its timeout.
 */
public final class UdpSocket {

    /** A datagram received: its payload, where it came from, and when. */
    public record Received(byte[] payload, Ipv4Address from, int fromPort, long timestampNanos) {
    }

    private final NetNamespace ns;
    private final Ipv4Stack stack;
    private int localPort;
    private Ipv4Address localAddress = Ipv4Address.ANY;
    private Ipv4Address remoteAddress = Ipv4Address.ANY;
    private int remotePort;
    private int boundDevice;
    private final Deque<Received> receiveQueue = new ArrayDeque<>();
    /** {@code sk->sk_err}: reported by the next receive, then cleared. */
    private Errno pendingError;
    private boolean closed;

    UdpSocket(NetNamespace ns, Ipv4Stack stack) {
        this.ns = ns;
        this.stack = stack;
    }

    public int localPort() {
        return localPort;
    }

    public Ipv4Address localAddress() {
        return localAddress;
    }

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

    /**
     * {@code connect()} ({@code ip4_datagram_connect}): routes to the peer, takes the route's
     * source address if the socket has none, and an ephemeral port if it has none.
     *
     * @throws KernelException the route lookup's errors; EACCES for a broadcast peer
     */
    public void connect(Ipv4Address address, int port) {
        Flow flow = Flow.output(address, localAddress, boundDevice);
        flow.protocol = IpProtocol.UDP;
        flow.destinationPort = port;
        flow.sourcePort = localPort;
        Dst route = stack.routing().output(flow);
        if ((route.flags() & RouteFlags.BROADCAST) != 0) {
            throw new KernelException(Errno.EACCES);
        }
        if (localAddress.isUnspecified()) {
            localAddress = flow.source;
        }
        if (localPort == 0) {
            localPort = stack.sockets().ephemeralUdpPort(stack);
        }
        remoteAddress = address;
        remotePort = port;
    }

    /**
     * {@code send()} on a connected socket ({@code udp_sendmsg}): one datagram to the peer.
     *
     * @throws KernelException EDESTADDRREQ when not connected, a pending error, the route
     *         lookup's errors, EMSGSIZE for more than a datagram holds
     */
    public void send(byte[] payload) {
        sendAll(java.util.List.of(payload));
    }

    /**
     * {@code sendmmsg}: the datagrams leave one after the other in one call, before the kernel
     * looks at what came back (glibc's resolver sends its A and AAAA questions so: a "port
     * unreachable" for the first does not stop the second).
     */
    public void sendAll(java.util.List<byte[]> payloads) {
        if (remotePort == 0) {
            throw new KernelException(Errno.EDESTADDRREQ);
        }
        Errno err = takeError();
        if (err != null) {
            throw new KernelException(err);
        }
        for (byte[] payload : payloads) {
            if (payload.length > 0xFFFF - UdpDatagram.HEADER_LENGTH - 20) {
                throw new KernelException(Errno.EMSGSIZE);
            }
            transmit(payload);
        }
        ns.kernel().settle();
    }

    private void transmit(byte[] payload) {
        Flow flow = Flow.output(remoteAddress, localAddress, boundDevice);
        flow.protocol = IpProtocol.UDP;
        flow.sourcePort = localPort;
        flow.destinationPort = remotePort;
        Dst route = stack.routing().output(flow);
        byte[] udp = new UdpDatagram(localPort, remotePort, payload).encode(flow.source, remoteAddress);
        stack.sendFromSocket(IpProtocol.UDP, flow.source, remoteAddress, 0, stack.defaultTtl(),
                IcmpSocket.PMTUDISC_WANT, udp, route);
    }

    /** Whether a receive would return at once: a datagram or an error. */
    public boolean readable() {
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

    public void close() {
        closed = true;
        stack.sockets().remove(this);
    }

    // ------------------------------------------------------------------ demultiplexing (udp.c)

    /**
     * {@code compute_score}: how well a datagram to {@code localPort} from {@code from:fromPort}
     * fits this socket; -1 for not at all. A device index of -1 matches any binding.
     */
    int score(Ipv4Address to, int toPort, Ipv4Address from, int fromPort, int deviceIndex) {
        if (closed || localPort != toPort) {
            return -1;
        }
        int score = 0;
        if (!localAddress.isUnspecified()) {
            if (!localAddress.equals(to)) {
                return -1;
            }
            score += 4;
        }
        if (!remoteAddress.isUnspecified()) {
            if (!remoteAddress.equals(from)) {
                return -1;
            }
            score += 4;
        }
        if (remotePort != 0) {
            if (remotePort != fromPort) {
                return -1;
            }
            score += 4;
        }
        if (boundDevice != 0 && deviceIndex >= 0) {
            if (boundDevice != deviceIndex) {
                return -1;
            }
            score += 4;
        }
        return score;
    }

    void deliver(byte[] payload, Ipv4Address from, int fromPort) {
        receiveQueue.addLast(new Received(payload.clone(), from, fromPort, ns.kernel().clock().nanos()));
    }

    /** {@code __udp4_lib_err}: a hard error on a connected socket becomes its pending error. */
    void deliverError(IcmpMessage error) {
        boolean hard;
        Errno errno;
        if (error.type() == IcmpMessage.DEST_UNREACH) {
            int code = error.code();
            errno = Icmp.errnoFor(error.type(), code);
            hard = code == IcmpMessage.PROT_UNREACH || code == IcmpMessage.PORT_UNREACH
                    || (code >= 6 && code <= 10) || code >= 13;
        } else if (error.type() == IcmpMessage.PARAMETER_PROBLEM) {
            errno = Errno.EPROTO;
            hard = true;
        } else {
            return; // time exceeded, source quench, redirect: soft
        }
        if (hard && remotePort != 0) {
            pendingError = errno;
        }
    }
}
