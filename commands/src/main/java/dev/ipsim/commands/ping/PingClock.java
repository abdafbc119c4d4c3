package dev.ipsim.commands.ping;

import dev.ipsim.commands.Context;
import dev.ipsim.kernel.Kernel;
import dev.ipsim.kernel.time.Jiffies;
import java.util.function.BooleanSupplier;

/**
 * How a ping process waits: in virtual time, as fast as events come, in a script; at the pace
 * of the wall clock where the shell keeps virtual time with it (an interactive terminal,
 * {@link Context#wallPaced}), where Ctrl-C must be able to stop it.
 */
final class PingClock {

    /** What ended a wait. */
    enum Wake {
        /** The condition became true. */
        READY,
        /** The timeout ran out. */
        TIMEOUT,
        /** A signal: an alarm went off or the user pressed Ctrl-C ({@code EINTR}). */
        SIGNAL
    }

    private static final long REAL_TIME_SLICE_NANOS = 20_000_000L;

    private final Context context;
    private final Kernel kernel;
    private final boolean realTime;
    private boolean interrupted;

    PingClock(Context context) {
        this.context = context;
        this.kernel = context.kernel();
        this.realTime = context.wallPaced();
        // setup(): set_signal(SIGINT, sigexit): Ctrl-C or kill -INT ends ping with its statistics
        dev.ipsim.kernel.proc.Task task = context.task();
        if (task != null) {
            task.catchSignal(dev.ipsim.kernel.proc.Signal.INT.number());
        }
    }

    long nanos() {
        return kernel.clock().nanos();
    }

    long wallNanos() {
        return kernel.clock().wallNanos();
    }

    /** Whether Ctrl-C was pressed (remembered until the process ends). */
    boolean interrupted() {
        if (!interrupted && context.takeInterrupt()) {
            interrupted = true;
        }
        return interrupted;
    }

    /**
     * The instant a {@code SO_RCVTIMEO} of {@code millis} set now runs out: the kernel counts it
     * in jiffies, rounded up, and sleeps on the timer wheel ({@code schedule_timeout}), so a one
     * second timeout ends 1.004 to 1.032 s later, on a tick, together with the kernel's own
     * timers of that tick.
     */
    long receiveTimeoutAt(int millis) {
        long ticks = millis / 1000L * Jiffies.HZ + ceilDiv(millis % 1000L * 1000L, 1_000_000L / Jiffies.HZ);
        long now = Jiffies.now(kernel.clock());
        return Jiffies.toNanos(Jiffies.wheelExpiry(kernel.clock(), now, now + ticks));
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    /**
     * Waits until {@code ready}, until virtual time {@code timeoutAt}, or until {@code alarmAt}
     * (a pending {@code SIGALRM}; {@code Long.MAX_VALUE} for none), whichever comes first. What
     * the kernel does in the instant the timeout ends (a neighbour timer of the same tick failing
     * and reporting errors) is seen: the real ping reads it before it sends again.
     */
    Wake waitUntil(long timeoutAt, long alarmAt, BooleanSupplier ready) {
        // a Ctrl-C due at a known instant (a replayed transcript) ends the wait there
        long until = Math.min(Math.min(timeoutAt, alarmAt), context.interruptAt());
        if (waitFor(until, ready)) {
            return Wake.READY;
        }
        return nanos() >= alarmAt || interrupted() ? Wake.SIGNAL : Wake.TIMEOUT;
    }

    /** Runs the clock to {@code until} or until {@code ready}; at a terminal, at wall-clock pace. */
    private boolean waitFor(long until, BooleanSupplier ready) {
        if (!realTime) {
            kernel.runUntil(until, ready);
        } else {
            while (!ready.getAsBoolean() && nanos() < until && !interrupted()) {
                long slice = Math.min(REAL_TIME_SLICE_NANOS, until - nanos());
                long passed;
                try {
                    passed = context.sleepWall(slice);
                } catch (InterruptedException e) {
                    // SIGINT, handled: ping finishes with its statistics and its own status
                    interrupted = true;
                    break;
                }
                kernel.runUntil(nanos() + Math.min(slice, passed), ready);
            }
        }
        return ready.getAsBoolean();
    }
}
