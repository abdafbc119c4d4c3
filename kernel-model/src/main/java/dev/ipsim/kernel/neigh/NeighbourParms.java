package dev.ipsim.kernel.neigh;

import dev.ipsim.kernel.sysctl.SysctlTable;
import dev.ipsim.kernel.time.Jiffies;
import java.util.SplittableRandom;

/**
 * A device's neighbour parameters ({@code struct neigh_parms}), read from
 * {@code net.ipv4.neigh.DEV.*} (or {@code net.ipv6.neigh.DEV.*}) when used, so that a sysctl
 * write takes effect at once. Times are in jiffies.
 */
public final class NeighbourParms {

    /** How often the randomised reachable time is drawn again ({@code neigh_periodic_work}). */
    static final long RANDOMISE_INTERVAL_SECONDS = 300;
    /** {@code USER_HZ}: the unit of {@code locktime}. */
    private static final int USER_HZ = 100;

    private final SysctlTable sysctls;
    private final java.util.function.Supplier<String> prefix;
    private final SplittableRandom random;
    private long reachableTime = -1;
    private long reachableBase = -1;
    private long randomisedAt;

    NeighbourParms(SysctlTable sysctls, java.util.function.Supplier<String> prefix, SplittableRandom random) {
        this.sysctls = sysctls;
        this.prefix = prefix;
        this.random = random;
    }

    private int value(String key) {
        String v = sysctls.read(prefix.get() + key);
        return v == null ? 0 : Integer.parseInt(v.trim());
    }

    public int unicastProbes() {
        return value("ucast_solicit");
    }

    public int multicastProbes() {
        return value("mcast_solicit");
    }

    public int applicationProbes() {
        return value("app_solicit");
    }

    public int multicastReprobes() {
        return value("mcast_resolicit");
    }

    public long retransTime() {
        return Jiffies.fromMillis(value("retrans_time_ms"));
    }

    public long baseReachableTime() {
        return Jiffies.fromMillis(value("base_reachable_time_ms"));
    }

    public long delayProbeTime() {
        return (long) value("delay_first_probe_time") * Jiffies.HZ;
    }

    public long lockTime() {
        return (long) value("locktime") * Jiffies.HZ / USER_HZ;
    }

    public int queueLengthBytes() {
        return value("unres_qlen_bytes");
    }

    /**
     * {@code neigh_rand_reach_time}: uniformly between half and one and a half times the base,
     * drawn again when the base changes or every five minutes.
     */
    public long reachableTime(long now) {
        long base = baseReachableTime();
        if (reachableTime < 0 || base != reachableBase
                || now - randomisedAt > RANDOMISE_INTERVAL_SECONDS * Jiffies.HZ) {
            reachableBase = base;
            randomisedAt = now;
            reachableTime = base == 0 ? 0 : random.nextLong(base) + (base >> 1);
        }
        return reachableTime;
    }
}
