package dev.ipsim.kernel.inet;

import dev.ipsim.kernel.NetNamespace;
import dev.ipsim.kernel.addr.Ipv4Address;
import dev.ipsim.kernel.time.VirtualClock;
import dev.ipsim.kernel.wire.Ipv4Packet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * IPv4 fragmentation ({@code ip_fragment}) and reassembly ({@code ip_defrag}, RFC 791): a
 * datagram too big for the link leaves in pieces of at most the MTU, each but the last a
 * multiple of 8 bytes of payload, sharing the identification; the receiver puts them back
 * together, or gives up after {@code ipfrag_time} seconds.
 */
final class Fragments {

    private record Key(Ipv4Address source, Ipv4Address destination, int identification, int protocol) {
    }

    /** The pieces of one datagram received so far, by offset in bytes. */
    private static final class Queue {
        final TreeMap<Integer, Ipv4Packet> pieces = new TreeMap<>();
        int totalLength = -1;
        VirtualClock.Timer timer;
    }

    private final NetNamespace ns;
    private final Map<Key, Queue> queues = new HashMap<>();

    Fragments(NetNamespace ns) {
        this.ns = ns;
    }

    /** {@code ip_fragment}: the datagram cut to fit {@code mtu}. */
    static List<Ipv4Packet> fragment(Ipv4Packet ip, int mtu) {
        int headerLength = ip.headerLength();
        int chunk = (mtu - headerLength) & ~7;
        byte[] payload = ip.payload();
        List<Ipv4Packet> out = new ArrayList<>();
        if (chunk < 8) {
            // ip_do_fragment: no room for eight bytes of data after the header; nothing leaves
            return out;
        }
        int baseOffset = ip.fragmentOffset() * 8;
        boolean moreAfter = (ip.flags() & Ipv4Packet.FLAG_MORE_FRAGMENTS) != 0;
        for (int at = 0; at < payload.length; at += chunk) {
            int end = Math.min(payload.length, at + chunk);
            boolean last = end == payload.length;
            int flags = ip.flags() & ~Ipv4Packet.FLAG_MORE_FRAGMENTS;
            if (!last || moreAfter) {
                flags |= Ipv4Packet.FLAG_MORE_FRAGMENTS;
            }
            byte[] part = java.util.Arrays.copyOfRange(payload, at, end);
            out.add(new Ipv4Packet(ip.tos(), ip.identification(), flags, (baseOffset + at) / 8, ip.ttl(),
                    ip.protocol(), 0, ip.source(), ip.destination(), at == 0 ? ip.options() : new byte[0], part));
        }
        return out;
    }

    /**
     * {@code ip_defrag}: a fragment is stored; when the datagram is complete it comes back
     * whole, else {@code null}.
     */
    Ipv4Packet reassemble(Ipv4Packet fragment, Runnable onTimeout) {
        Key key = new Key(fragment.source(), fragment.destination(), fragment.identification(), fragment.protocol());
        Queue q = queues.computeIfAbsent(key, k -> {
            Queue fresh = new Queue();
            long seconds = Long.parseLong(ns.sysctls().read("net/ipv4/ipfrag_time").trim());
            fresh.timer = ns.kernel().clock().after(seconds * VirtualClock.NANOS_PER_SECOND, () -> {
                Queue gone = queues.remove(k);
                if (gone != null && gone.pieces.containsKey(0)) {
                    onTimeout.run();
                }
            });
            return fresh;
        });
        int offset = fragment.fragmentOffset() * 8;
        q.pieces.put(offset, fragment);
        if ((fragment.flags() & Ipv4Packet.FLAG_MORE_FRAGMENTS) == 0) {
            q.totalLength = offset + fragment.payload().length;
        }
        if (q.totalLength < 0) {
            return null;
        }
        int covered = 0;
        for (Map.Entry<Integer, Ipv4Packet> e : q.pieces.entrySet()) {
            if (e.getKey() > covered) {
                return null;
            }
            covered = Math.max(covered, e.getKey() + e.getValue().payload().length);
        }
        if (covered < q.totalLength) {
            return null;
        }
        byte[] payload = new byte[q.totalLength];
        for (Map.Entry<Integer, Ipv4Packet> e : q.pieces.entrySet()) {
            byte[] part = e.getValue().payload();
            System.arraycopy(part, 0, payload, e.getKey(), Math.min(part.length, payload.length - e.getKey()));
        }
        queues.remove(key);
        q.timer.cancel();
        Ipv4Packet first = q.pieces.get(0);
        return new Ipv4Packet(first.tos(), first.identification(), first.flags() & ~Ipv4Packet.FLAG_MORE_FRAGMENTS, 0,
                first.ttl(), first.protocol(), 0, first.source(), first.destination(), first.options(), payload);
    }
}
