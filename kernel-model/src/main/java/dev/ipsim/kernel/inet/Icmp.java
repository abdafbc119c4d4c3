package dev.ipsim.kernel.inet;

import dev.ipsim.kernel.Errno;
import dev.ipsim.kernel.KernelException;
import dev.ipsim.kernel.NetNamespace;
import dev.ipsim.kernel.Scope;
import dev.ipsim.kernel.addr.Ipv4Address;
import dev.ipsim.kernel.link.NetDevice;
import dev.ipsim.kernel.packet.PacketType;
import dev.ipsim.kernel.route.RouteType;
import dev.ipsim.kernel.time.Jiffies;
import dev.ipsim.kernel.wire.IcmpMessage;
import dev.ipsim.kernel.wire.IpProtocol;
import dev.ipsim.kernel.wire.Ipv4Packet;
import dev.ipsim.kernel.wire.WireFormatException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * ICMP ({@code net/ipv4/icmp.c}): answering echo requests, sending errors about datagrams this
 * host could not deliver, and handing errors received to the sockets they concern.
 *
 * <p>Heads up: an error is addressed to the offending datagram's source and routed like any
 * datagram; when that source is this host, the error travels over loopback, which is why
 * tcpdump on {@code lo} shows {@code 10.70.2.10 > 10.70.2.10: ICMP host 1.1.1.1 unreachable,
 * length 92} (RFC 1812 4.3.2.3: as much of the original as fits in 576 bytes).
 */
final class Icmp {

    /** {@code IPTOS_PREC_INTERNETCONTROL}: the precedence of ICMP errors. */
    private static final int PRECEDENCE_INTERNET_CONTROL = 0xC0;
    /** {@code IPTOS_TOS_MASK}. */
    private static final int TOS_MASK = 0x1E;
    /** An error carries at most this much, IP header included (RFC 1812). */
    private static final int MAX_ERROR_LENGTH = 576;
    /** {@code NR_ICMP_TYPES}. */
    private static final int HIGHEST_TYPE = 18;
    /** {@code XRLIM_BURST_FACTOR}. */
    private static final int BURST_FACTOR = 6;
    /** {@code ip_rt_error_cost}: one error a second. */
    private static final long ROUTE_ERROR_COST = Jiffies.HZ;
    /** {@code ip_rt_error_burst}. */
    private static final long ROUTE_ERROR_BURST = 5L * Jiffies.HZ;
    /** {@code ICMP_REDIR_HOST}. */
    private static final int REDIRECT_HOST = 1;
    /** {@code ip_rt_redirect_number}. */
    private static final long REDIRECT_NUMBER = 9;
    /** {@code ip_rt_redirect_load}: HZ / 50. */
    private static final long REDIRECT_LOAD = Jiffies.HZ / 50;
    /** {@code ip_rt_redirect_silence}: the load shifted by the number plus one. */
    private static final long REDIRECT_SILENCE = REDIRECT_LOAD << (REDIRECT_NUMBER + 1);
    /** {@code ip_rt_gc_timeout}: how long a redirect's exception lasts. */
    private static final long EXCEPTION_TIMEOUT_NANOS = 300 * dev.ipsim.kernel.time.VirtualClock.NANOS_PER_SECOND;
    /** How far back a new peer's {@code rate_last} is set. */
    private static final long PEER_FRESH_JIFFIES = 60L * Jiffies.HZ;

    private final NetNamespace ns;
    private final Ipv4Stack stack;
    private final InetConf conf;
    private final Map<Ipv4Address, long[]> peers = new HashMap<>();

    Icmp(NetNamespace ns, Ipv4Stack stack, InetConf conf) {
        this.ns = ns;
        this.stack = stack;
        this.conf = conf;
    }

    static boolean isError(int type) {
        return type == IcmpMessage.DEST_UNREACH || type == IcmpMessage.SOURCE_QUENCH
                || type == IcmpMessage.REDIRECT || type == IcmpMessage.TIME_EXCEEDED
                || type == IcmpMessage.PARAMETER_PROBLEM;
    }

    // ------------------------------------------------------------------ sending errors

    /**
     * {@code __icmp_send}: reports {@code offending} to its source.
     *
     * @param route      the offending datagram's route ({@code skb_rtable}); no route, no error
     * @param inputDevice the device it came in on, for input routes
     */
    void sendError(Ipv4Packet offending, byte[] offendingBytes, Dst route, PacketType packetType,
                   NetDevice inputDevice, int type, int code, int info) {
        // no replies to physical multicast or broadcast, nor to broadcast or multicast routes
        if (route == null || packetType != PacketType.HOST) {
            return;
        }
        if ((route.flags() & (RouteFlags.BROADCAST | RouteFlags.MULTICAST)) != 0) {
            return;
        }
        // only about fragment 0
        if (offending.fragmentOffset() != 0) {
            return;
        }
        // never an error about an error (RFC 1122 3.2.2.1)
        if (isError(type) && offending.protocol() == IpProtocol.ICMP) {
            if (offending.payload().length < 1) {
                return;
            }
            int innerType = offending.payload()[0] & 0xFF;
            if (innerType > HIGHEST_TYPE || isError(innerType)) {
                return;
            }
        }
        Ipv4Address source = offending.destination();
        if (!route.isLocal()) {
            source = Ipv4Address.ANY;
            if (route.input() && conf.global("icmp_errors_use_inbound_ifaddr") != 0 && inputDevice != null) {
                source = stack.addresses().select(inputDevice, offending.source(), Scope.LINK);
            }
        }
        int tos = (offending.tos() & TOS_MASK) | PRECEDENCE_INTERNET_CONTROL;
        Flow flow = Flow.output(offending.source(), source, 0);
        flow.tos = offending.tos() & TOS_MASK;
        flow.protocol = IpProtocol.ICMP;
        Dst errorRoute;
        try {
            errorRoute = stack.routing().output(flow);
        } catch (KernelException e) {
            return;
        }
        if (!rateAllows(errorRoute, offending.source(), type)) {
            return;
        }
        int room = Math.min(errorRoute.device().mtu(), MAX_ERROR_LENGTH) - Ipv4Packet.MIN_HEADER_LENGTH
                - IcmpMessage.HEADER_LENGTH;
        byte[] quoted = Arrays.copyOf(offendingBytes, Math.min(offendingBytes.length, room));
        IcmpMessage error = new IcmpMessage(type, code, info, quoted);
        Ipv4Address from = flow.source.isUnspecified() ? Ipv4Address.of(192, 0, 0, 8) : flow.source;
        stack.sendFromKernel(from, offending.source(), tos, error.encode(), errorRoute);
    }

    /**
     * {@code icmpv4_xrlim_allow}: errors of the rate-limited types ({@code icmp_ratemask}) to one
     * destination pass at {@code icmp_ratelimit} ms each with a burst of six; none is limited
     * towards loopback.
     */
    private boolean rateAllows(Dst route, Ipv4Address destination, int type) {
        if (type > HIGHEST_TYPE || (conf.global("icmp_ratemask") & (1 << type)) == 0) {
            return true;
        }
        if (route.device().isLoopback()) {
            return true;
        }
        long timeout = Jiffies.fromMillis(conf.global("icmp_ratelimit"));
        if (timeout == 0) {
            return true;
        }
        long now = Jiffies.now(ns.kernel().clock());
        long[] peer = peer(destination, now);
        long tokens = peer[0] + now - peer[1];
        peer[1] = now;
        if (tokens > BURST_FACTOR * timeout) {
            tokens = BURST_FACTOR * timeout;
        }
        boolean allowed = tokens >= timeout;
        if (allowed) {
            tokens -= timeout;
        }
        peer[0] = tokens;
        return allowed;
    }

    /**
     * {@code inet_getpeer_v4}: the namespace's record of a remote host, {rate_tokens, rate_last,
     * n_redirects}, made with {@code rate_last} 60 s in the past so that its first bucket is full.
     */
    private long[] peer(Ipv4Address address, long now) {
        return peers.computeIfAbsent(address, d -> new long[] {0, now - PEER_FRESH_JIFFIES, 0});
    }

    /**
     * {@code ip_error}'s own token bucket for the sender of a datagram no route takes: an
     * error costs {@code ip_rt_error_cost} (1 s), the bucket holds {@code ip_rt_error_burst}
     * (5 s). It is the same peer's bucket the ICMP rate limit then draws from.
     */
    boolean routeErrorAllowed(Ipv4Address sender) {
        long now = Jiffies.now(ns.kernel().clock());
        long[] peer = peer(sender, now);
        long tokens = peer[0] + now - peer[1];
        if (tokens > ROUTE_ERROR_BURST) {
            tokens = ROUTE_ERROR_BURST;
        }
        peer[1] = now;
        boolean allowed = tokens >= ROUTE_ERROR_COST;
        if (allowed) {
            tokens -= ROUTE_ERROR_COST;
        }
        peer[0] = tokens;
        return allowed;
    }

    /**
     * {@code ip_rt_send_redirect}: tells the sender of a datagram being forwarded back out of
     * the device it came in on that the next hop is on its own link. A peer gets redirects at
     * growing intervals (20 ms doubled after each), nine at most, until it has sent nothing
     * to redirect for {@code ip_rt_redirect_silence} (20.48 s).
     *
     * @param forwarded the datagram as it leaves (its TTL already decremented)
     */
    void sendRedirect(Ipv4Packet forwarded, byte[] forwardedBytes, Dst route, PacketType packetType,
                      NetDevice inputDevice) {
        if (!conf.sendRedirects(route.device())) {
            return;
        }
        long now = Jiffies.now(ns.kernel().clock());
        long[] peer = peer(forwarded.source(), now);
        if (now - (peer[1] + REDIRECT_SILENCE) > 0) {
            peer[0] = 0;
            peer[2] = 0;
        }
        if (peer[2] >= REDIRECT_NUMBER) {
            peer[1] = now; // too many ignored redirects: keep quiet
            return;
        }
        if (peer[2] == 0 || now - (peer[1] + (REDIRECT_LOAD << peer[2])) > 0) {
            Ipv4Address gateway = route.nextHop(forwarded.destination());
            sendError(forwarded, forwardedBytes, route, packetType, inputDevice, IcmpMessage.REDIRECT,
                    REDIRECT_HOST, gateway.bits());
            peer[1] = now;
            peer[2]++;
        }
    }

    // ------------------------------------------------------------------ receiving

    /** {@code icmp_rcv}. */
    void receive(InPacket skb) {
        byte[] payload = skb.ip().payload();
        if (!IcmpMessage.checksumValid(payload)) {
            return;
        }
        IcmpMessage message;
        try {
            message = IcmpMessage.parse(payload);
        } catch (WireFormatException e) {
            return;
        }
        Dst route = skb.route();
        if ((route.flags() & (RouteFlags.BROADCAST | RouteFlags.MULTICAST)) != 0) {
            // RFC 1122 3.2.2.6: echo to broadcast may be ignored; and only echo and timestamp are answered
            if (message.type() == IcmpMessage.ECHO_REQUEST && conf.global("icmp_echo_ignore_broadcasts") != 0) {
                return;
            }
            if (message.type() != IcmpMessage.ECHO_REQUEST && message.type() != IcmpMessage.TIMESTAMP) {
                return;
            }
        }
        switch (message.type()) {
            case IcmpMessage.ECHO_REQUEST -> echo(skb, message);
            case IcmpMessage.DEST_UNREACH, IcmpMessage.SOURCE_QUENCH, IcmpMessage.TIME_EXCEEDED,
                 IcmpMessage.PARAMETER_PROBLEM -> unreachable(skb, message);
            case IcmpMessage.REDIRECT -> redirect(skb, message);
            default -> {
                // echo replies went to the raw sockets; redirects and the rest change nothing here
            }
        }
    }

    /** {@code icmp_echo} and {@code icmp_reply}. */
    private void echo(InPacket skb, IcmpMessage request) {
        if (conf.global("icmp_echo_ignore_all") != 0) {
            return;
        }
        Dst route = skb.route();
        Ipv4Address source = replySource(skb);
        Flow flow = Flow.output(skb.ip().source(), source, 0);
        flow.tos = skb.ip().tos() & TOS_MASK;
        flow.protocol = IpProtocol.ICMP;
        Dst replyRoute;
        try {
            replyRoute = stack.routing().output(flow);
        } catch (KernelException e) {
            return; // e.g. the request was for an address that is not ours: no source to answer from
        }
        IcmpMessage reply = new IcmpMessage(IcmpMessage.ECHO_REPLY, 0, request.rest(), request.body());
        stack.sendFromKernel(flow.source, skb.ip().source(), skb.ip().tos(), reply.encode(), replyRoute);
    }

    /** {@code fib_compute_spec_dst}: the address an answer comes from. */
    private Ipv4Address replySource(InPacket skb) {
        Dst route = skb.route();
        if ((route.flags() & (RouteFlags.BROADCAST | RouteFlags.MULTICAST | RouteFlags.LOCAL)) == RouteFlags.LOCAL) {
            return skb.ip().destination();
        }
        Ipv4Address requester = skb.ip().source();
        int scope = Scope.UNIVERSE;
        if (!requester.isZeroNet()) {
            try {
                Flow flow = new Flow();
                flow.destination = requester;
                flow.tos = skb.ip().tos() & TOS_MASK;
                Fib.Result result = stack.fib().lookup(flow, false);
                return stack.routing().preferredSource(result);
            } catch (KernelException e) {
                // fall through to the device's own address
            }
        } else {
            scope = Scope.LINK;
        }
        return stack.addresses().select(skb.device(), requester, scope);
    }

    /**
     * {@code icmp_redirect} and {@code __ip_do_redirect}: a gateway says a better next hop for
     * a destination is on our link. Taken only from the gateway the route to that destination
     * uses, for a unicast next hop, where redirects are accepted; and only once the new next
     * hop's MAC address is known (until then its resolution is started and the redirect
     * forgotten). It becomes a nexthop exception for 300 s.
     */
    private void redirect(InPacket skb, IcmpMessage message) {
        Ipv4Packet inner;
        try {
            inner = Ipv4Packet.parse(paddedHeader(message.body()));
        } catch (WireFormatException e) {
            return;
        }
        int code = message.code() & 7;
        if (code > 3) {
            return;
        }
        Ipv4Address oldGateway = skb.ip().source();
        Ipv4Address newGateway = new Ipv4Address(message.rest());
        Flow flow = Flow.output(inner.destination(), inner.source(), 0);
        flow.tos = inner.tos() & TOS_MASK;
        flow.protocol = inner.protocol();
        Dst rt;
        try {
            rt = stack.routing().output(flow);
        } catch (KernelException e) {
            return;
        }
        if (rt.gateway() == null || !rt.gateway().equals(oldGateway) || rt.fibRoute() == null) {
            return;
        }
        NetDevice dev = skb.device();
        if (newGateway.equals(oldGateway) || !conf.acceptRedirects(dev) || newGateway.isMulticast()
                || newGateway.isLimitedBroadcast() || newGateway.isZeroNet()) {
            return; // reject_redirect
        }
        if (!conf.sharedMedia(dev)) {
            if (!stack.addresses().onLink(dev, newGateway, oldGateway)) {
                return;
            }
        } else if (stack.fib().addressType(newGateway) != RouteType.UNICAST) {
            return;
        }
        var neighbours = stack.neighbours();
        var n = neighbours.lookupOrCreate(newGateway, rt.device());
        if (!n.state().isValid()) {
            neighbours.resolve(n);
            return;
        }
        Fib.Result result;
        try {
            result = stack.fib().lookup(flow, false);
        } catch (KernelException e) {
            return;
        }
        long now = ns.kernel().clock().nanos();
        result.route().exceptionFor(inner.destination(), ns.ipv4().tables().generation())
                .redirect(newGateway, now + EXCEPTION_TIMEOUT_NANOS, ns.ipv4().tables().generation());
    }

    /** {@code icmp_unreach}: the error goes to the sockets of the datagram it quotes. */
    private void unreachable(InPacket skb, IcmpMessage message) {
        Ipv4Packet inner;
        try {
            inner = Ipv4Packet.parse(paddedHeader(message.body()));
        } catch (WireFormatException e) {
            return; // mangled quote: dropped
        }
        if (message.type() == IcmpMessage.DEST_UNREACH && message.code() > 15) {
            return;
        }
        if (conf.global("icmp_ignore_bogus_error_responses") == 0
                && stack.fib().addressType(inner.destination()) == RouteType.BROADCAST) {
            return;
        }
        if (message.body().length < inner.headerLength() + 8) {
            return;
        }
        int info = message.type() == IcmpMessage.DEST_UNREACH && message.code() == IcmpMessage.FRAG_NEEDED
                ? message.rest() & 0xFFFF : 0;
        stack.sockets().deliverError(skb, message, inner, info);
    }

    /** The quoted datagram, with its total length cut to what was quoted so that it parses. */
    static byte[] paddedHeader(byte[] quote) {
        if (quote.length < Ipv4Packet.MIN_HEADER_LENGTH) {
            throw new WireFormatException("quote shorter than an IPv4 header");
        }
        byte[] copy = quote.clone();
        int total = (copy[2] & 0xFF) << 8 | (copy[3] & 0xFF);
        if (total > copy.length) {
            copy[2] = (byte) (copy.length >>> 8);
            copy[3] = (byte) copy.length;
        }
        return copy;
    }

    static Errno errnoFor(int type, int code) {
        if (type == IcmpMessage.PARAMETER_PROBLEM) {
            return Errno.EPROTO;
        }
        if (type != IcmpMessage.DEST_UNREACH) {
            return Errno.EHOSTUNREACH;
        }
        return switch (code) {
            case IcmpMessage.NET_UNREACH, 6, 11 -> Errno.ENETUNREACH;
            case IcmpMessage.HOST_UNREACH, 7, 8, 12, 14 -> Errno.EHOSTUNREACH;
            case IcmpMessage.PROT_UNREACH -> Errno.ENOPROTOOPT;
            case IcmpMessage.PORT_UNREACH -> Errno.ECONNREFUSED;
            case IcmpMessage.FRAG_NEEDED -> Errno.EMSGSIZE;
            case 5 -> Errno.ENOTSUP;
            case 9, 10, 13 -> Errno.EACCES;
            default -> Errno.EHOSTUNREACH;
        };
    }
}
