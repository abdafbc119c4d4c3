package dev.ipsim.kernel.inet;

import dev.ipsim.kernel.addr.Ipv4Address;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * IPv4 identification numbers for unconnected senders ({@code __ip_select_ident}): one counter
 * per destination, source and protocol, starting at random, stepping by one per datagram plus a
 * random jump that grows with the ticks since the counter was last used, so that the numbers
 * tell an observer little.
 */
final class IpIdentifiers {

    /** A counter's key (written out, not a record: a record's equals links through method handles). */
    private static final class Key {
        final Ipv4Address destination;
        final Ipv4Address source;
        final int protocol;

        Key(Ipv4Address destination, Ipv4Address source, int protocol) {
            this.destination = destination;
            this.source = source;
            this.protocol = protocol;
        }

        boolean is(Ipv4Address d, Ipv4Address s, int p) {
            return protocol == p && destination.equals(d) && source.equals(s);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.is(destination, source, protocol);
        }

        @Override
        public int hashCode() {
            return (destination.hashCode() * 31 + source.hashCode()) * 31 + protocol;
        }
    }

    private static final class Counter {
        int value;
        long lastUsed;
    }

    private final Map<Key, Counter> counters = new HashMap<>();
    private final SplittableRandom random;

    IpIdentifiers(SplittableRandom random) {
        this.random = random;
    }

    /** The counter used last, and its key: a flood asks for the same one again and again. */
    private Key lastKey;
    private Counter lastCounter;

    int next(Ipv4Address destination, Ipv4Address source, int protocol, long nowJiffies) {
        Counter c;
        if (lastKey != null && lastKey.is(destination, source, protocol)) {
            c = lastCounter;
        } else {
            Key key = new Key(destination, source, protocol);
            c = counters.get(key);
            if (c == null) {
                c = new Counter();
                c.value = random.nextInt(0x10000);
                c.lastUsed = nowJiffies;
                counters.put(key, c);
            }
            lastKey = key;
            lastCounter = c;
        }
        if (c.lastUsed != nowJiffies) {
            long elapsed = Math.min(nowJiffies - c.lastUsed, Integer.MAX_VALUE);
            c.value += random.nextInt((int) Math.max(1, elapsed));
            c.lastUsed = nowJiffies;
        }
        c.value++;
        return c.value & 0xFFFF;
    }
}
