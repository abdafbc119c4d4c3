package dev.ipsim.kernel.proc;

import dev.ipsim.kernel.Kernel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.ToIntFunction;

/**
 * The machine's one CPU, shared by its processes over virtual time: each {@link Task} is a
 * thread that runs only while it holds the CPU, and gives it up when it waits (for a timer, a
 * packet, a child, a signal). While every task waits, time moves on to the next event and the
 * first task whose wait is over gets the CPU. So a background capture and a foreground ping
 * run interleaved in virtual-time order, and the interleaving is the same on every run: only
 * one thread is ever inside the model.
 *
 * <p>Two ways to move time. In a script nothing waits for real: the task that blocks drives
 * the clock itself, event by event, handing the CPU to whichever task is due first. At a
 * terminal a {@link Pacer} keeps virtual time with the wall clock: a driver thread advances the
 * clock as wall time passes, even while no command runs, so a background capture prints its
 * packets while the user types.
 *
 * <p>Threads that are not tasks (the model's unit tests) wait by driving the clock directly,
 * as before there were tasks.
 */
public final class Scheduler {

    /** Keeps virtual time with the wall clock (at a terminal). */
    public interface Pacer {
        /** The virtual time the wall clock stands at now. */
        long target();

        /**
         * Waits in wall time until virtual time {@code virtualNanos} would be due, or less; an
         * interrupt ends the wait early (something changed).
         */
        void pause(long virtualNanos) throws InterruptedException;
    }

    /** The CPU's holder when the pacing driver has it. */
    private static final Object DRIVER = new Object();

    final Object lock = new Object();
    private final Kernel kernel;
    private final ThreadLocal<Task> current = new ThreadLocal<>();
    /** Tasks blocked in a wait, in the order they blocked (which decides ties). */
    private final List<Task> blocked = new ArrayList<>();
    private final List<Task> tasks = new ArrayList<>();
    private Object holder;
    private volatile Pacer pacer;
    private volatile Thread driver;
    /** The terminals that asked for pacing and have not closed. */
    private int paceUsers;
    private int lastPid;

    public Scheduler(Kernel kernel, int firstPid) {
        this.kernel = kernel;
        this.lastPid = firstPid - 1;
    }

    /** A process id for a new process (every fork takes one, as on Linux). */
    public int nextPid() {
        synchronized (lock) {
            return ++lastPid;
        }
    }

    /** The task the calling thread is, or {@code null}. */
    public Task current() {
        return current.get();
    }

    /** Every task that has not ended. */
    public List<Task> tasks() {
        synchronized (lock) {
            return List.copyOf(tasks);
        }
    }

    /** The task with this process id, or {@code null}. */
    public Task task(int pid) {
        synchronized (lock) {
            for (Task t : tasks) {
                if (t.pid() == pid) {
                    return t;
                }
            }
            return null;
        }
    }

    /**
     * Whether {@code t} has nothing to do now: it waits for something that has not happened
     * yet, is stopped, or has ended (a program that started and now sleeps in {@code poll()}).
     */
    public boolean idle(Task t) {
        synchronized (lock) {
            if (t.state != Task.State.RUNNING) {
                return true;
            }
            return t.blocked && !t.signalWaiting() && kernel.clock().nanos() < t.deadline
                    && (t.ready == null || !t.ready.getAsBoolean());
        }
    }

    // ------------------------------------------------------------------ tasks

    /** The calling thread becomes a task and takes the CPU as soon as it is free. */
    public Task attach(int pid, String name) {
        Task t = new Task(this, pid, name);
        t.thread = Thread.currentThread();
        current.set(t);
        synchronized (lock) {
            tasks.add(t);
        }
        acquire(t);
        return t;
    }

    /**
     * Starts {@code body} as a new task, a child of the calling one (whose ignored signals it
     * inherits): it gets the CPU the next time the CPU is handed on, and ends with the status
     * {@code body} returns (or 128 + the signal that killed it).
     */
    public Task spawn(int pid, String name, ToIntFunction<Task> body) {
        Task t = new Task(this, pid, name);
        Task parent = current.get();
        if (parent != null) {
            t.inheritIgnored(parent.ignoredMask());
        }
        Thread th = new Thread(() -> runTask(t, body), "ipsim-" + pid);
        th.setDaemon(true);
        t.thread = th;
        synchronized (lock) {
            tasks.add(t);
            // runnable at once: a wait that is already over
            t.blocked = true;
            t.deadline = kernel.clock().nanos();
            t.ready = () -> true;
            blocked.add(t);
            lock.notifyAll();
        }
        th.start();
        return t;
    }

    /**
     * {@code vfork}: runs {@code body} as a new child of the calling task, on the calling
     * task's own thread, which waits meanwhile. For a shell without job control (a script)
     * waiting for its foreground program: nothing needs the shell before the child ends, and a
     * program costs no thread. {@code started} runs first, on the child's behalf (the shell
     * puts it in its job table). Returns the child, ended; {@code null} if the caller does not
     * hold the CPU (then {@link #spawn} is the way).
     */
    public Task runInline(int pid, String name, ToIntFunction<Task> body, java.util.function.Consumer<Task> started) {
        Task parent = current.get();
        if (parent == null) {
            return null;
        }
        Task t = new Task(this, pid, name);
        t.thread = Thread.currentThread();
        synchronized (lock) {
            if (holder != parent) {
                return null;
            }
            t.inheritIgnored(parent.ignoredMask());
            tasks.add(t);
            holder = t;
        }
        current.set(t);
        started.accept(t);
        Ending end = runBody(t, body);
        List<Task.Listener> listeners;
        synchronized (lock) {
            listeners = markExited(t, end.status(), end.signal());
            holder = parent;
        }
        current.set(parent);
        for (Task.Listener l : listeners) {
            l.changed(t);
        }
        return t;
    }

    private void runTask(Task t, ToIntFunction<Task> body) {
        current.set(t);
        waitForGrant(t);
        synchronized (lock) {
            blocked.remove(t);
            t.blocked = false;
        }
        Ending end = runBody(t, body);
        exit(t, end.status(), end.signal());
    }

    /** How a task's body ended: its status, and the signal that killed it (0 for none). */
    private record Ending(int status, int signal) {
    }

    /** Runs a task's body: its status, 128 + the signal that killed it, or 70 if it failed. */
    private Ending runBody(Task t, ToIntFunction<Task> body) {
        try {
            actOnSignals(t);
            return new Ending(body.applyAsInt(t), 0);
        } catch (Killed k) {
            return new Ending(128 + k.signal(), k.signal());
        } catch (RuntimeException | Error e) {
            return new Ending(70, 0);
        }
    }

    /** Marks {@code t} ended and returns the listeners to tell; the caller holds the lock. */
    private List<Task.Listener> markExited(Task t, int status, int signal) {
        t.state = Task.State.EXITED;
        t.status = status & 0xFF;
        t.termSignal = signal;
        t.pending = 0;
        tasks.remove(t);
        return t.listeners();
    }

    /**
     * The calling task ends: its status is recorded, those listening are told, and the CPU
     * goes on to the next task due.
     */
    public void exit(Task t, int status, int signal) {
        List<Task.Listener> listeners;
        synchronized (lock) {
            listeners = markExited(t, status, signal);
        }
        for (Task.Listener l : listeners) {
            l.changed(t);
        }
        current.remove();
        if (pacer == null) {
            drive(null);
        } else {
            release();
        }
    }

    /** The calling thread stops being a task (a script's shell at its end). */
    public void detach() {
        Task t = current.get();
        if (t == null) {
            return;
        }
        synchronized (lock) {
            t.state = Task.State.EXITED;
            tasks.remove(t);
        }
        current.remove();
        release();
    }

    // ------------------------------------------------------------------ signals

    /**
     * {@code kill(pid, sig)}: makes a signal pending for the task; it acts when the task next
     * waits (at once if it is waiting). Returns false if the task has ended. Signal 0 only
     * checks that the task exists.
     */
    public boolean signal(Task t, int signal) {
        // from a thread that is not a task (the terminal's Ctrl-C) while time follows the wall
        // clock, the signal happens at the wall clock's time: the pacer brings virtual time up
        // to it (timers due before it run first) before the task takes it, and virtual time
        // never lags the wall time the signal came at
        Pacer p = pacer;
        long due = p != null && current.get() == null ? p.target() : Long.MIN_VALUE;
        synchronized (lock) {
            if (t.state == Task.State.EXITED) {
                return false;
            }
            if (signal == 0 || t.ignores(signal) && signal != Signal.CONT.number()) {
                return true;
            }
            t.pending |= Task.bit(signal);
            t.signalDue = Math.max(t.signalDue, due);
            lock.notifyAll();
        }
        pokeDriver();
        return true;
    }

    /**
     * The calling task acts on its pending signals now, as a process does on its way back from
     * a system call ({@code kill} to itself): one whose default action ends it throws
     * {@link Killed}.
     */
    public void deliverPending() {
        Task me = current.get();
        if (me != null) {
            actOnSignals(me);
        }
    }

    /**
     * Does what the pending signals ask, on the task's own thread: a caught one is left for the
     * task to take, an ignored one was never pending; otherwise the default action: end (throws
     * {@link Killed}), stop, continue, or nothing.
     */
    private void actOnSignals(Task me) {
        int cont = Signal.CONT.number();
        int kill = Signal.KILL.number();
        while (true) {
            int act = 0;
            List<Task.Listener> tell = List.of();
            synchronized (lock) {
                if ((me.pending & Task.bit(cont)) != 0) {
                    // SIGCONT continues a stopped process whatever its disposition; a handler
                    // still runs for it if there is one
                    if (!me.catches(cont)) {
                        me.pending &= ~Task.bit(cont);
                    }
                    if (me.state == Task.State.STOPPED) {
                        me.state = Task.State.RUNNING;
                        tell = me.listeners();
                    }
                }
                if (tell.isEmpty()) {
                    if (me.state == Task.State.STOPPED) {
                        // a stopped process takes no other signal until it goes on, but SIGKILL
                        if ((me.pending & Task.bit(kill)) == 0) {
                            return;
                        }
                        me.pending &= ~Task.bit(kill);
                        act = kill;
                    } else {
                        long uncaught = me.pending & ~me.caughtMask();
                        if (uncaught == 0) {
                            return;
                        }
                        act = Task.signalOf(Long.numberOfTrailingZeros(uncaught));
                        me.pending &= ~Task.bit(act);
                    }
                    Signal known = Signal.of(act);
                    Signal.Action action = known == null ? Signal.Action.TERMINATE : known.defaultAction();
                    switch (action) {
                        case TERMINATE, CORE -> {
                            // leaves the lock before unwinding the task
                        }
                        case STOP -> {
                            me.state = Task.State.STOPPED;
                            me.stopSignal = act;
                            tell = me.listeners();
                            act = 0;
                        }
                        default -> act = 0;
                    }
                }
            }
            for (Task.Listener l : tell) {
                l.changed(me);
            }
            if (act != 0) {
                throw new Killed(act);
            }
        }
    }

    // ------------------------------------------------------------------ waiting

    /**
     * Waits until {@code ready} holds or virtual time reaches {@code deadline}, letting other
     * tasks run meanwhile; a signal the task catches ends the wait early (EINTR), one that kills
     * it throws {@link Killed}, one that stops it keeps it here until it is continued. Returns
     * whether {@code ready} holds.
     */
    public boolean await(long deadline, BooleanSupplier ready) {
        Task me = current.get();
        if (me == null) {
            return kernel.runUntil(deadline, ready);
        }
        while (true) {
            kernel.settle();
            actOnSignals(me);
            boolean stopped;
            synchronized (lock) {
                stopped = me.state == Task.State.STOPPED;
                if (!stopped && me.caughtPending()) {
                    return ready.getAsBoolean();
                }
            }
            if (!stopped && (ready.getAsBoolean() || kernel.clock().nanos() >= deadline)) {
                return ready.getAsBoolean();
            }
            block(me, stopped ? Long.MAX_VALUE : deadline, stopped ? () -> false : ready);
        }
    }

    /** Gives the CPU up until the wait is over (or a signal wants the task). */
    private void block(Task me, long deadline, BooleanSupplier ready) {
        synchronized (lock) {
            me.blocked = true;
            me.deadline = deadline;
            me.ready = ready;
            blocked.add(me);
        }
        try {
            if (pacer == null) {
                drive(me);
            } else {
                release();
                waitForGrant(me);
            }
        } finally {
            synchronized (lock) {
                blocked.remove(me);
                me.blocked = false;
                me.ready = null;
            }
        }
    }

    /**
     * Runs {@code io} without the CPU: a blocking read of the real terminal, during which the
     * rest of the machine goes on. Afterwards the task takes the CPU back.
     */
    public <T> T outside(java.util.function.Supplier<T> io) {
        Task me = current.get();
        if (me == null) {
            return io.get();
        }
        release();
        try {
            return io.get();
        } finally {
            acquire(me);
        }
    }

    /** Runs {@code work} holding the CPU, from a thread that is not a task (a completion). */
    public <T> T exclusive(java.util.function.Supplier<T> work) {
        Task task = current.get();
        if (task != null) {
            boolean holding;
            synchronized (lock) {
                holding = holder == task;
            }
            if (holding) {
                return work.get();
            }
        }
        // a thread that is not a task (a completion), or a task that is outside (a shell
        // reading its terminal): it takes the CPU for the work
        Object me = task != null ? task : new Object();
        synchronized (lock) {
            boolean interrupted = false;
            while (holder != null) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            holder = me;
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            return work.get();
        } finally {
            release();
        }
    }

    // ------------------------------------------------------------------ driving the clock

    /**
     * The script way: the task holding the CPU moves time on until {@code me}'s wait is over,
     * handing the CPU to any task due before it (and waiting to be handed it back). With
     * {@code me} null (a task ending), until the CPU has gone to another task or nobody waits.
     */
    private void drive(Task me) {
        while (true) {
            Task next;
            synchronized (lock) {
                if (me == null && blocked.isEmpty()) {
                    // nobody left to run: the CPU is free
                    holder = null;
                    lock.notifyAll();
                    return;
                }
                next = firstRunnable();
            }
            if (next != null && next == me) {
                return;
            }
            if (next != null) {
                handTo(next);
                if (me == null) {
                    return;
                }
                waitForGrant(me);
                continue;
            }
            long at = nextEvent();
            if (at == Long.MAX_VALUE) {
                // nothing can ever happen: everyone waits for good (a script's `wait` on a
                // capture that never ends hangs, as bash does)
                if (me == null) {
                    release();
                    return;
                }
                release();
                waitForGrant(me);
                continue;
            }
            kernel.stepTo(at);
        }
    }

    /** The earliest virtual time something happens: a timer, or a waiting task's deadline. */
    private long nextEvent() {
        long at = kernel.clock().nextDeadline();
        synchronized (lock) {
            for (Task t : blocked) {
                if (t.state != Task.State.STOPPED && t.deadline < at) {
                    at = t.deadline;
                }
                if (t.signalWaiting() && t.signalDue < at) {
                    at = t.signalDue;
                }
            }
        }
        return Math.max(at, kernel.clock().nanos());
    }

    /** The first blocked task, in blocking order, whose wait is over. Caller holds the lock. */
    private Task firstRunnable() {
        long now = kernel.clock().nanos();
        for (Task t : blocked) {
            if (t.signalWaiting() && now >= t.signalDue) {
                return t;
            }
            if (t.state == Task.State.STOPPED) {
                continue;
            }
            if (now >= t.deadline || t.ready.getAsBoolean()) {
                return t;
            }
        }
        return null;
    }

    private void handTo(Task t) {
        synchronized (lock) {
            holder = t;
            lock.notifyAll();
        }
    }

    private void release() {
        synchronized (lock) {
            holder = null;
            lock.notifyAll();
        }
        pokeDriver();
    }

    private void acquire(Object me) {
        synchronized (lock) {
            boolean interrupted = false;
            while (holder != null && holder != me) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            holder = me;
            if (interrupted) {
                interrupted(me);
            }
        }
    }

    /** Parks until the CPU is handed to {@code me}. An interrupt (Ctrl-C) is a SIGINT for it. */
    private void waitForGrant(Task me) {
        synchronized (lock) {
            while (holder != me) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    interrupted(me);
                }
            }
        }
    }

    /** A thread interrupt stands for SIGINT from the terminal. Caller holds the lock. */
    private void interrupted(Object me) {
        if (me instanceof Task t && t.state != Task.State.EXITED && !t.ignores(Signal.INT.number())) {
            t.pending |= Task.bit(Signal.INT.number());
            lock.notifyAll();
        }
    }

    // ------------------------------------------------------------------ pacing

    /**
     * From now on virtual time follows the wall clock: a driver thread moves it on as wall
     * time passes and hands the CPU to tasks as their waits end.
     */
    public void pace(Pacer p) {
        synchronized (lock) {
            paceUsers++;
            if (pacer != null) {
                // a second terminal on the machine: the first one's pacer keeps time for both
                return;
            }
            this.pacer = p;
            if (driver == null) {
                driver = new Thread(this::paceLoop, "ipsim-clock");
                driver.setDaemon(true);
                driver.start();
            }
        }
    }

    public boolean paced() {
        return pacer != null;
    }

    /**
     * Virtual time stops following the wall clock (the last terminal has closed): the driver thread
     * ends once it next looks, and waits go back to driving the clock themselves.
     */
    public void stopPacing() {
        Thread d;
        synchronized (lock) {
            if (--paceUsers > 0) {
                return;
            }
            paceUsers = 0;
            pacer = null;
            d = driver;
            driver = null;
            lock.notifyAll();
        }
        if (d != null) {
            d.interrupt();
        }
    }

    private void pokeDriver() {
        Thread d = driver;
        if (d != null && d != Thread.currentThread()) {
            d.interrupt();
        }
    }

    private void paceLoop() {
        while (true) {
            long wake;
            Pacer p;
            synchronized (lock) {
                while (holder != null && pacer != null) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        // a poke: look again
                    }
                }
                p = pacer;
                if (p == null || driver != Thread.currentThread()) {
                    return;
                }
                holder = DRIVER;
            }
            try {
                wake = paceOnce(p);
            } finally {
                synchronized (lock) {
                    if (holder == DRIVER) {
                        holder = null;
                        lock.notifyAll();
                    }
                }
            }
            Thread.interrupted();
            try {
                p.pause(wake);
            } catch (InterruptedException e) {
                // something changed: look again at once
            }
        }
    }

    /**
     * One round of the driver holding the CPU: tasks due get it in turn, and time moves on up
     * to the wall clock. Returns the virtual time of the next event.
     */
    private long paceOnce(Pacer pacer) {
        while (true) {
            Task next;
            synchronized (lock) {
                next = firstRunnable();
            }
            if (next != null) {
                handTo(next);
                synchronized (lock) {
                    while (holder != null) {
                        try {
                            lock.wait();
                        } catch (InterruptedException e) {
                            // a poke: the task will give the CPU back
                        }
                    }
                    holder = DRIVER;
                }
                continue;
            }
            long target = pacer.target();
            long at = nextEvent();
            if (at <= target) {
                kernel.stepTo(at);
                continue;
            }
            if (target > kernel.clock().nanos()) {
                kernel.stepTo(target);
            }
            return at;
        }
    }
}
