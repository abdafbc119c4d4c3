package dev.ipsim.kernel.time;

import java.util.PriorityQueue;

/**
 * The kernel's only notion of time: a nanosecond counter that moves when it is told to, and
 * the timers that fire as it moves (gVisor's {@code faketime.ManualClock}).
 *
 * <p>Tasks due at the same instant run in the order they were scheduled, so a run is a pure
 * function of its inputs. Nothing in the model reads a wall clock; the wall-clock reading of
 * virtual time zero is {@link #epochNanos()}, fixed when the clock is made.
 */
public final class VirtualClock {

    public static final long NANOS_PER_MILLI = 1_000_000L;
    public static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final long epochNanos;
    private final TimerWheel timerWheel;
    private final PriorityQueue<Timer> queue = new PriorityQueue<>();
    private long now;
    private long sequence;

    /**
     * @param epochNanos nanoseconds since the Unix epoch that virtual time zero stands for
     */
    public VirtualClock(long epochNanos) {
        this(epochNanos, TimerWheel.NON_CASCADING);
    }

    /**
     * @param epochNanos nanoseconds since the Unix epoch that virtual time zero stands for
     * @param timerWheel how the kernel's timer wheel rounds the ticks timers fire at
     */
    public VirtualClock(long epochNanos, TimerWheel timerWheel) {
        this.epochNanos = epochNanos;
        this.timerWheel = timerWheel;
    }

    /** The kernel's timer wheel, for {@link Jiffies#schedule}. */
    public TimerWheel timerWheel() {
        return timerWheel;
    }

    /** Nanoseconds of virtual time since the kernel booted. */
    public long nanos() {
        return now;
    }

    /** Whole seconds since boot, as {@code jiffies / HZ} would give. */
    public long seconds() {
        return now / NANOS_PER_SECOND;
    }

    /** Wall-clock nanoseconds since the Unix epoch for the current virtual instant. */
    public long wallNanos() {
        return epochNanos + now;
    }

    public long epochNanos() {
        return epochNanos;
    }

    /** Runs {@code task} when virtual time reaches {@code atNanos} (at once if already past). */
    public Timer schedule(long atNanos, Runnable task) {
        Timer t = new Timer(Math.max(atNanos, now), sequence++, task);
        queue.add(t);
        return t;
    }

    public Timer after(long delayNanos, Runnable task) {
        return schedule(now + delayNanos, task);
    }

    /** Runs every task due now, including tasks they schedule for now. */
    public void runDue() {
        advanceTo(now);
    }

    /**
     * Moves time forward to {@code target}, running each due task at its own instant in
     * (time, scheduling order).
     */
    public void advanceTo(long target) {
        while (true) {
            Timer next = queue.peek();
            if (next == null || next.at > target) {
                break;
            }
            queue.poll();
            if (next.cancelled) {
                continue;
            }
            now = next.at;
            next.fired = true;
            next.task.run();
        }
        if (target > now) {
            now = target;
        }
    }

    public void advanceBy(long deltaNanos) {
        advanceTo(now + deltaNanos);
    }

    /** The instant of the next pending timer, or {@code Long.MAX_VALUE} when none is pending. */
    public long nextDeadline() {
        while (!queue.isEmpty() && queue.peek().cancelled) {
            queue.poll();
        }
        Timer next = queue.peek();
        return next == null ? Long.MAX_VALUE : next.at;
    }

    /** A scheduled task; cancel it to keep it from running. */
    public static final class Timer implements Comparable<Timer> {
        private final long at;
        private final long seq;
        private final Runnable task;
        private boolean cancelled;
        private boolean fired;

        private Timer(long at, long seq, Runnable task) {
            this.at = at;
            this.seq = seq;
            this.task = task;
        }

        public void cancel() {
            cancelled = true;
        }

        public boolean pending() {
            return !cancelled && !fired;
        }

        public long at() {
            return at;
        }

        @Override
        public int compareTo(Timer o) {
            int c = Long.compare(at, o.at);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }
}
