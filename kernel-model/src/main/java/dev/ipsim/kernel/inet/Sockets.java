package dev.ipsim.kernel.inet;

import dev.ipsim.kernel.wire.IcmpMessage;
import dev.ipsim.kernel.wire.IpProtocol;
import dev.ipsim.kernel.wire.Ipv4Packet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import dev.ipsim.kernel.addr.Ipv4Address;

/**
 * The namespace's raw ICMP sockets ({@code raw_v4_hashinfo}) and UDP sockets ({@code udp_table}),
 * and delivery to them.
 */
final class Sockets {

    /** {@code ip_local_port_range}'s default when the sysctl cannot be read. */
    private static final int[] DEFAULT_PORT_RANGE = {32768, 60999};

    private final List<IcmpSocket> icmp = new ArrayList<>();
    private final List<UdpSocket> udp = new ArrayList<>();

    void add(IcmpSocket s) {
        icmp.add(s);
    }

    void remove(IcmpSocket s) {
        icmp.remove(s);
    }

    void add(UdpSocket s) {
        udp.add(s);
    }

    void remove(UdpSocket s) {
        udp.remove(s);
    }

    /**
     * {@code udp_lib_get_port} for an unbound socket: a random port of
     * {@code ip_local_port_range}, the next free one from there.
     */
    int ephemeralUdpPort(Ipv4Stack stack) {
        int[] range = stack.localPortRange();
        if (range == null || range[0] > range[1]) {
            range = DEFAULT_PORT_RANGE;
        }
        int span = range[1] - range[0] + 1;
        int start = stack.random().nextInt(span);
        for (int i = 0; i < span; i++) {
            int port = range[0] + (start + i) % span;
            boolean taken = false;
            for (UdpSocket s : udp) {
                if (s.localPort() == port) {
                    taken = true;
                    break;
                }
            }
            if (!taken) {
                return port;
            }
        }
        throw new dev.ipsim.kernel.KernelException(dev.ipsim.kernel.Errno.EADDRINUSE);
    }

    /** {@code __udp4_lib_lookup}: the socket that fits a datagram best, or {@code null}. */
    UdpSocket lookupUdp(Ipv4Address to, int toPort, Ipv4Address from, int fromPort, int deviceIndex) {
        UdpSocket best = null;
        int bestScore = -1;
        for (UdpSocket s : udp) {
            int score = s.score(to, toPort, from, fromPort, deviceIndex);
            if (score > bestScore) {
                best = s;
                bestScore = score;
            }
        }
        return best;
    }

    /** {@code raw_local_deliver}: a copy to every matching socket; whether any took one. */
    boolean deliver(InPacket skb) {
        if (skb.ip().protocol() != IpProtocol.ICMP || skb.ip().payload().length < 1) {
            return false;
        }
        int type = skb.ip().payload()[0] & 0xFF;
        boolean delivered = false;
        // a delivery only queues: no socket opens or closes meanwhile, so no copy of the list
        for (int i = 0; i < icmp.size(); i++) {
            IcmpSocket s = icmp.get(i);
            if (s.matches(skb.ip().source(), skb.ip().destination(), skb.inputInterface())) {
                s.deliver(skb.bytes(), type, skb.ip().source());
                delivered = true;
            }
        }
        return delivered;
    }

    /**
     * {@code raw_icmp_error}: an ICMP error about an ICMP datagram goes to each socket that could
     * have sent it, matched against the device the error arrived on.
     */
    void deliverError(InPacket skb, IcmpMessage error, Ipv4Packet inner, int info) {
        if (inner.protocol() == IpProtocol.UDP) {
            byte[] quote = error.body();
            int at = inner.headerLength();
            if (quote.length >= at + 4) {
                int sourcePort = (quote[at] & 0xFF) << 8 | (quote[at + 1] & 0xFF);
                int destinationPort = (quote[at + 2] & 0xFF) << 8 | (quote[at + 3] & 0xFF);
                // __udp4_lib_err: the socket the quoted datagram came from
                UdpSocket s = lookupUdp(inner.source(), sourcePort, inner.destination(), destinationPort, -1);
                if (s != null) {
                    s.deliverError(error);
                }
            }
            return;
        }
        if (inner.protocol() != IpProtocol.ICMP) {
            return;
        }
        byte[] quote = error.body();
        byte[] payload = Arrays.copyOfRange(quote, inner.headerLength(), quote.length);
        for (IcmpSocket s : List.copyOf(icmp)) {
            if (s.matches(inner.destination(), inner.source(), skb.device().ifindex())) {
                s.deliverError(error, skb.ip().source(), inner.destination(), payload, info);
            }
        }
    }
}
