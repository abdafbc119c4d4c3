package dev.ipsim.kernel.proc;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * A process as the scheduler sees it: a thread that runs only while it holds the CPU, its
 * process id, its signals (pending, caught, ignored) and its state. A shell, a background job
 * and a command run at a terminal are each one task.
 *
 * <p>Signals follow {@code signal(7)}: one the task catches stays pending until the task takes
 * it ({@link #takeSignal}), which is how a program's handler runs; one it ignores is dropped;
 * otherwise the default action happens the next time the task waits, which ends it
 * ({@link Killed}), stops it, continues it, or does nothing.
 */
public final class Task {

    /** What the task is doing, as {@code ps} would say. */
    public enum State {
        /** Running or waiting ({@code R} or {@code S}). */
        RUNNING,
        /** Stopped by SIGSTOP, SIGTSTP, SIGTTIN or SIGTTOU ({@code T}). */
        STOPPED,
        /** Finished (a zombie until its parent looks, then gone). */
        EXITED
    }

    /** Told when a task stops, continues or ends; runs on the thread holding the CPU. */
    @FunctionalInterface
    public interface Listener {
        void changed(Task task);
    }

    private final Scheduler scheduler;
    private final int pid;
    private final String name;
    Thread thread;

    // a wait in progress (guarded by the scheduler's lock)
    boolean blocked;
    long deadline;
    BooleanSupplier ready;

    // signals, as bit sets indexed by signal number
    long pending;
    /**
     * The virtual time a signal from outside the machine (the terminal's Ctrl-C) was raised at:
     * the wall clock's, which virtual time reaches before the task takes it.
     */
    long signalDue = Long.MIN_VALUE;
    private long caught;
    private long ignored;

    State state = State.RUNNING;
    int status;
    int termSignal;
    int stopSignal;
    private final List<Listener> listeners = new ArrayList<>();

    Task(Scheduler scheduler, int pid, String name) {
        this.scheduler = scheduler;
        this.pid = pid;
        this.name = name;
    }

    public int pid() {
        return pid;
    }

    public String name() {
        return name;
    }

    public State state() {
        synchronized (scheduler.lock) {
            return state;
        }
    }

    /** The exit status once it has ended: its own, or 128 + the signal that ended it. */
    public int status() {
        synchronized (scheduler.lock) {
            return status;
        }
    }

    /** The signal that ended the task, or 0 if it exited by itself. */
    public int termSignal() {
        synchronized (scheduler.lock) {
            return termSignal;
        }
    }

    /** The signal that stopped it last. */
    public int stopSignal() {
        synchronized (scheduler.lock) {
            return stopSignal;
        }
    }

    public void addListener(Listener l) {
        synchronized (scheduler.lock) {
            listeners.add(l);
        }
    }

    List<Listener> listeners() {
        return List.copyOf(listeners);
    }

    /** The task installs a handler for {@code signal} ({@code sigaction}). */
    public void catchSignal(int signal) {
        if (signal == Signal.KILL.number() || signal == Signal.STOP.number()) {
            return;
        }
        synchronized (scheduler.lock) {
            caught |= bit(signal);
            ignored &= ~bit(signal);
        }
    }

    /** The task ignores {@code signal} ({@code SIG_IGN}); SIGKILL and SIGSTOP cannot be ignored. */
    public void ignoreSignal(int signal) {
        if (signal == Signal.KILL.number() || signal == Signal.STOP.number()) {
            return;
        }
        synchronized (scheduler.lock) {
            ignored |= bit(signal);
            caught &= ~bit(signal);
            pending &= ~bit(signal);
        }
    }

    /** Back to the default action ({@code SIG_DFL}). */
    public void defaultSignal(int signal) {
        synchronized (scheduler.lock) {
            ignored &= ~bit(signal);
            caught &= ~bit(signal);
        }
    }

    public boolean ignores(int signal) {
        synchronized (scheduler.lock) {
            return (ignored & bit(signal)) != 0;
        }
    }

    /** Dispositions a child inherits across {@code fork} and {@code exec}: ignored signals stay ignored. */
    long ignoredMask() {
        return ignored;
    }

    void inheritIgnored(long mask) {
        ignored = mask;
    }

    /**
     * Takes one pending signal among those the task catches, lowest number first, or returns 0:
     * the task's handler runs now.
     */
    public int takeSignal() {
        synchronized (scheduler.lock) {
            long mine = pending & caught;
            if (mine == 0) {
                return 0;
            }
            int s = Long.numberOfTrailingZeros(mine);
            pending &= ~(1L << s);
            return s == 0 ? Signal.RTMAX : s;
        }
    }

    /** Whether {@code signal} is pending (caught and not yet taken). */
    public boolean hasPending(int signal) {
        synchronized (scheduler.lock) {
            return (pending & bit(signal)) != 0;
        }
    }

    /** Whether a caught signal is pending: a blocking call would return EINTR. */
    boolean caughtPending() {
        return (pending & caught) != 0;
    }

    /**
     * Whether a pending signal wants something done now: one caught (the handler runs), or one
     * whose default action ends, stops or continues the task. A stopped task only reacts to
     * SIGCONT and SIGKILL.
     */
    boolean signalWaiting() {
        long live = pending & ~ignored;
        if (state == State.STOPPED) {
            return (live & (bit(Signal.CONT.number()) | bit(Signal.KILL.number()))) != 0;
        }
        return live != 0;
    }

    long caughtMask() {
        return caught;
    }

    boolean catches(int signal) {
        return (caught & bit(signal)) != 0;
    }

    /** The bit for a signal (1 to 64; 64 shares bit 0, which no signal uses). */
    static long bit(int signal) {
        return 1L << (signal & 63);
    }

    /** The signal a bit stands for. */
    static int signalOf(int bit) {
        return bit == 0 ? Signal.RTMAX : bit;
    }

    @Override
    public String toString() {
        return pid + " " + name + " " + state;
    }
}
