package dev.ipsim.kernel.time;

/**
 * The kernel's tick count and its timer wheel ({@code kernel/time/timer.c}), for timers that
 * must fire when a real kernel's would. On today's kernel ({@link TimerWheel#NON_CASCADING}) a
 * timer asked for {@code expires} fires at the end of the wheel bucket that holds it, never
 * early and up to one bucket late. Bucket width grows with the distance: 1 jiffy below 63
 * jiffies, 8 below 504, 64 below 4032, 512 below 32256, then 4096. Before Linux 4.8
 * ({@link TimerWheel#CASCADING}) it fires at its own tick, plus {@code apply_slack}'s rounding
 * for timers 256 ticks or more away.
 *
 * <p>This is why ARP probes a second apart are 1.020 to 1.024 s apart on the wire today but a
 * tick under a second apart on a 3.16 kernel, and why an unanswered ARP fails some 50 ms after
 * the third second today but just before it then (so a fourth ping, sent at the third second,
 * finds the errors of the first three already in: {@code pipe 3} on the old kernel, {@code pipe 4}
 * on today's).
 */
public final class Jiffies {

    /** {@code CONFIG_HZ} of the recorded kernel. */
    public static final int HZ = 250;
    public static final long NANOS_PER_JIFFY = VirtualClock.NANOS_PER_SECOND / HZ;

    private static final int LEVEL_CLOCK_SHIFT = 3;
    private static final int LEVEL_SIZE = 64;
    private static final int LEVELS = 9;

    private Jiffies() {
    }

    /** The current tick. */
    public static long now(VirtualClock clock) {
        return clock.nanos() / NANOS_PER_JIFFY;
    }

    public static long fromMillis(long millis) {
        return millis * HZ / 1000;
    }

    public static long toNanos(long jiffies) {
        return jiffies * NANOS_PER_JIFFY;
    }

    /** The tick a timer armed at {@code now} for {@code expires} fires at, on {@code clock}'s kernel's wheel. */
    public static long wheelExpiry(VirtualClock clock, long now, long expires) {
        return clock.timerWheel() == TimerWheel.CASCADING ? applySlack(now, expires) : wheelExpiry(now, expires);
    }

    /**
     * {@code apply_slack} (before Linux 4.8): a timer 256 ticks or more away may fire up to
     * {@code delta / 256} ticks late, rounded so that the expiry has fewer low bits set.
     */
    static long applySlack(long now, long expires) {
        long delta = expires - now;
        if (delta < 256) {
            return Math.max(expires, now);
        }
        long limit = expires + delta / 256;
        long mask = expires ^ limit;
        if (mask == 0) {
            return expires;
        }
        int bit = 63 - Long.numberOfLeadingZeros(mask);
        return limit & ~((1L << bit) - 1);
    }

    /** {@code calc_wheel_index}: the tick a timer armed at {@code now} for {@code expires} fires at. */
    public static long wheelExpiry(long now, long expires) {
        long delta = expires - now;
        if (delta < 0) {
            return now;
        }
        for (int level = 0; level < LEVELS; level++) {
            long nextStart = (long) (LEVEL_SIZE - 1) << (level * LEVEL_CLOCK_SHIFT);
            if (delta < nextStart || level == LEVELS - 1) {
                int shift = level * LEVEL_CLOCK_SHIFT;
                return ((expires >> shift) + 1) << shift;
            }
        }
        throw new AssertionError();
    }

    /** {@code mod_timer}: runs {@code task} when the wheel fires a timer for tick {@code expires}. */
    public static VirtualClock.Timer schedule(VirtualClock clock, long expires, Runnable task) {
        long fire = wheelExpiry(clock, now(clock), expires);
        return clock.schedule(Math.max(toNanos(fire), clock.nanos()), task);
    }
}
