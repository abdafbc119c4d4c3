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

    private record Key(Ipv4Address destination, Ipv4Address source, int protocol) {
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

    int next(Ipv4Address destination, Ipv4Address source, int protocol, long nowJiffies) {
        Counter c = counters.computeIfAbsent(new Key(destination, source, protocol), k -> {
            Counter fresh = new Counter();
            fresh.value = random.nextInt(0x10000);
            fresh.lastUsed = nowJiffies;
            return fresh;
        });
        if (c.lastUsed != nowJiffies) {
            long elapsed = Math.min(nowJiffies - c.lastUsed, Integer.MAX_VALUE);
            c.value += random.nextInt((int) Math.max(1, elapsed));
            c.lastUsed = nowJiffies;
        }
        c.value++;
        return c.value & 0xFFFF;
    }
}
