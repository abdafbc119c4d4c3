package dev.ipsim.kernel;

import dev.ipsim.kernel.packet.PacketEngine;
import dev.ipsim.kernel.proc.Scheduler;
import dev.ipsim.kernel.time.VirtualClock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;

/**
 * The simulated machine's kernel: its namespaces, its virtual clock and its source of
 * randomness. Everything random (MAC addresses, DAD delays, ping ids) comes from one seeded
 * generator, so a run is reproducible from its seed.
 */
public final class Kernel {

    private final VirtualClock clock;
    private final SplittableRandom random;
    private final LinkWatch linkWatch = new LinkWatch();
    /** The packet path; its randomness is its own, so packets never shift the MACs a seed gives. */
    private final PacketEngine packets;
    private final List<NetNamespace> namespaces = new ArrayList<>();
    private final NetNamespace initNamespace;
    private final int cpus;
    private final Scheduler scheduler;
    private int nextInode = 0xF000_0000;

    /**
     * @param seed        the seed for every random choice
     * @param epochNanos  wall-clock time (nanoseconds since 1970) that boot time stands for
     * @param cpus        the number of CPUs the machine has (veth queue counts follow it)
     */
    public Kernel(long seed, long epochNanos, int cpus) {
        this.clock = new VirtualClock(epochNanos);
        this.random = new SplittableRandom(seed);
        this.cpus = cpus;
        this.packets = new PacketEngine(this, new SplittableRandom(seed ^ PACKET_SEED_SALT));
        this.scheduler = new Scheduler(this, FIRST_PID);
        this.initNamespace = createNamespace();
    }

    /** The first process id handed out after the shell's (the shell is 4242). */
    private static final int FIRST_PID = 4243;

    /** The processes and who holds the CPU. */
    public Scheduler scheduler() {
        return scheduler;
    }

    public VirtualClock clock() {
        return clock;
    }

    /** The kernel's random generator; use it for every random choice. */
    public SplittableRandom random() {
        return random;
    }

    /** Seed salt for the packet engine's generator. */
    private static final long PACKET_SEED_SALT = 0x7061_636B_6574_73L;

    /** The link layer: frames in flight between devices, capture taps. */
    public PacketEngine packets() {
        return packets;
    }

    public LinkWatch linkWatch() {
        return linkWatch;
    }

    public int cpus() {
        return cpus;
    }

    /** {@code init_net}: the namespace the machine boots in. */
    public NetNamespace initNamespace() {
        return initNamespace;
    }

    public List<NetNamespace> namespaces() {
        return Collections.unmodifiableList(namespaces);
    }

    /** A new network namespace with its own, down, loopback device. */
    public NetNamespace createNamespace() {
        NetNamespace ns = new NetNamespace(this, nextInode++);
        namespaces.add(ns);
        ns.createLoopback();
        settle();
        return ns;
    }

    /** Destroys a namespace and every device in it (a veth end takes its peer along). */
    public void destroyNamespace(NetNamespace ns) {
        if (ns == initNamespace) {
            throw new IllegalArgumentException("init_net cannot be destroyed");
        }
        ns.destroyAllDevices();
        namespaces.remove(ns);
        for (NetNamespace other : namespaces) {
            other.forgetPeer(ns);
        }
        settle();
    }

    /**
     * Finishes the current operation: runs the link watch queue and every timer due now.
     * Every mutating operation of the model ends with this.
     */
    public void settle() {
        do {
            do {
                linkWatch.run();
                clock.runDue();
            } while (linkWatch.hasPending());
            // frames already sent are received now, a few virtual microseconds on
        } while (packets.stepInFlight());
    }

    /**
     * Moves virtual time forward, running timers and link watch work on the way. Called from a
     * task, the task waits and the others run meanwhile ({@link Scheduler#await}).
     */
    public void advance(long nanos) {
        long target = clock.nanos() + nanos;
        if (scheduler.current() != null) {
            scheduler.await(target, () -> false);
            return;
        }
        while (true) {
            long next = clock.nextDeadline();
            if (next > target) {
                break;
            }
            clock.advanceTo(next);
            settle();
        }
        clock.advanceTo(target);
        settle();
    }

    /** Moves the clock to {@code at}, running what is due on the way there and at it. */
    public void stepTo(long at) {
        clock.advanceTo(at);
        settle();
    }

    /**
     * Moves virtual time forward until {@code done} holds or {@code deadlineNanos} (absolute
     * virtual time) is reached, checking after every event: how a process blocked in
     * {@code poll()} waits. Returns whether {@code done} holds. Called from a task, the task
     * waits and the others run meanwhile ({@link Scheduler#await}).
     */
    public boolean runUntil(long deadlineNanos, BooleanSupplier done) {
        if (scheduler.current() != null) {
            return scheduler.await(deadlineNanos, done);
        }
        settle();
        while (!done.getAsBoolean()) {
            long next = clock.nextDeadline();
            if (next > deadlineNanos) {
                if (deadlineNanos > clock.nanos()) {
                    clock.advanceTo(deadlineNanos);
                    settle();
                }
                return done.getAsBoolean();
            }
            clock.advanceTo(next);
            settle();
        }
        return true;
    }
}
