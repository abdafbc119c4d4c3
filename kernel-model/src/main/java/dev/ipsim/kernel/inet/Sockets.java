package dev.ipsim.kernel.inet;

import dev.ipsim.kernel.wire.IcmpMessage;
import dev.ipsim.kernel.wire.IpProtocol;
import dev.ipsim.kernel.wire.Ipv4Packet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The namespace's raw ICMP sockets ({@code raw_v4_hashinfo}) and delivery to them. */
final class Sockets {

    private final List<IcmpSocket> icmp = new ArrayList<>();

    void add(IcmpSocket s) {
        icmp.add(s);
    }

    void remove(IcmpSocket s) {
        icmp.remove(s);
    }

    /** {@code raw_local_deliver}: a copy to every matching socket; whether any took one. */
    boolean deliver(InPacket skb) {
        if (skb.ip().protocol() != IpProtocol.ICMP || skb.ip().payload().length < 1) {
            return false;
        }
        int type = skb.ip().payload()[0] & 0xFF;
        boolean delivered = false;
        for (IcmpSocket s : List.copyOf(icmp)) {
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
