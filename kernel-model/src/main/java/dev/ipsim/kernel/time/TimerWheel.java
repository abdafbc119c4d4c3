package dev.ipsim.kernel.time;

/**
 * Which timer wheel the kernel has ({@code kernel/time/timer.c}): when a timer armed for tick
 * {@code expires} really fires.
 */
public enum TimerWheel {

    /**
     * Before Linux 4.8: the cascading wheel fires a timer at the tick it was armed for.
     * {@code mod_timer} only adds slack to timers 256 ticks or more away ({@code apply_slack}:
     * about 0.4 %, rounded to a power of two), so a one-second neighbour timer at HZ=250 fires
     * on its own tick.
     */
    CASCADING,

    /**
     * Linux 4.8 on: the non-cascading wheel keeps far timers in coarser buckets and fires them at
     * the end of their bucket, never early and up to one bucket late ({@code calc_wheel_index}).
     */
    NON_CASCADING
}
