package dev.ipsim.kernel;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A counter bumped by every change a route lookup's answer can depend on: routes (and their
 * nexthop flags and exceptions), policy rules, addresses, a device's state (flags, carrier,
 * MTU, name, namespace, master) and any sysctl write. A cache of lookup results stamped with
 * {@link #current()} is valid while the counter has not moved.
 *
 * <p>It is one counter for every kernel in the JVM: a change in one machine needlessly empties
 * the caches of another, which costs that one a lookup and never a wrong answer. Bumping too
 * often is always safe; a change that does not bump is a bug.
 */
public final class LookupEpoch {

    private static final AtomicLong EPOCH = new AtomicLong();

    private LookupEpoch() {
    }

    /** The current value; a cache entry made now is stamped with it. */
    public static long current() {
        return EPOCH.get();
    }

    /** Something a lookup depends on changed: every cached answer is stale. */
    public static void bump() {
        EPOCH.incrementAndGet();
    }
}
