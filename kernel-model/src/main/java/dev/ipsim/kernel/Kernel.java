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

    private final KernelProfile profile;
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
    /** The last number {@link #nextEventSerial} gave. */
    private long eventSerial;

    /**
     * @param seed        the seed for every random choice
     * @param epochNanos  wall-clock time (nanoseconds since 1970) that boot time stands for
     * @param cpus        the number of CPUs the machine has (veth queue counts follow it)
     */
    /**
     * A number for a change the lab's history is made of (a device up or down, an address
     * added, a port joining a bridge), greater than every one before it. The kernel keeps no
     * such thing; the model keeps it so that {@code save} can make the changes again in the
     * order they happened, which the order of the kernel's lists (routes, ports) records.
     */
    public long nextEventSerial() {
        return ++eventSerial;
    }

    /** The last number {@link #nextEventSerial} gave (0 for none). */
    public long eventSerial() {
        return eventSerial;
    }

    public Kernel(long seed, long epochNanos, int cpus) {
        this(seed, epochNanos, cpus, KernelProfile.CURRENT);
    }

    /**
     * @param seed        the seed for every random choice
     * @param epochNanos  wall-clock time (nanoseconds since 1970) that boot time stands for
     * @param cpus        the number of CPUs the machine has (veth queue counts follow it)
     * @param profile     the kernel version whose rules apply
     */
    public Kernel(long seed, long epochNanos, int cpus, KernelProfile profile) {
        this.profile = profile;
        this.clock = new VirtualClock(epochNanos, profile.timerWheel());
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

    /** The kernel version whose rules this kernel follows. */
    public KernelProfile profile() {
        return profile;
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

    private dev.ipsim.kernel.ovs.OpenVswitch openVswitch;

    /** Open vSwitch if something used it, or {@code null} (looking does not start it). */
    public dev.ipsim.kernel.ovs.OpenVswitch openVswitchIfStarted() {
        return openVswitch;
    }

    /** Open vSwitch: its database, ovs-vswitchd and the datapath, started on first use. */
    public dev.ipsim.kernel.ovs.OpenVswitch openVswitch() {
        if (openVswitch == null) {
            openVswitch = new dev.ipsim.kernel.ovs.OpenVswitch(this);
        }
        return openVswitch;
    }

    /**
     * {@code net.core.default_qdisc}: the root qdisc a queueing device gets when it first comes
     * up. The kernel's own is {@code pfifo_fast}; systemd sets {@code fq_codel} at boot.
     */
    private String defaultQdisc = "pfifo_fast";

    public String defaultQdisc() {
        return defaultQdisc;
    }

    public void setDefaultQdisc(String qdisc) {
        this.defaultQdisc = qdisc;
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

    /**
     * {@code copy_net_ns}: a new network namespace with its own, down, loopback device, its
     * IPv4 {@code all}/{@code default} conf copied from {@code init_net}. Nothing holds it yet:
     * whoever keeps it ({@code ip netns add}'s bind mount, a process) calls {@link NetNamespace#hold()}.
     */
    public NetNamespace createNamespace() {
        NetNamespace ns = new NetNamespace(this, nextInode++);
        if (initNamespace != null) {
            ns.sysctls().inheritIpv4Conf(initNamespace.sysctls());
        }
        namespaces.add(ns);
        ns.createLoopback();
        settle();
        return ns;
    }

    /**
     * {@code cleanup_net}: the namespace's NICs go back to {@code init_net}, every other device
     * is destroyed (a veth end takes its peer along), and other namespaces forget the id they
     * knew it by. Called when the last reference goes ({@link NetNamespace#release()}).
     */
    void destroyNamespace(NetNamespace ns) {
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
        if (rtnlHeld > 0) {
            // the link watch worker and the softirqs wait for the lock the operation holds
            return;
        }
        do {
            do {
                linkWatch.run();
                clock.runDue();
            } while (linkWatch.hasPending());
            // frames already sent are received now, a few virtual microseconds on
        } while (packets.stepInFlight());
    }

    private int rtnlHeld;

    /**
     * {@code rtnl_lock}: an operation that must finish before the link watch runs (a namespace
     * move) holds it; {@link #settle()} waits until it is released.
     */
    public void lockRtnl() {
        rtnlHeld++;
    }

    /** {@code rtnl_unlock}: releases the lock; the caller settles when it is done. */
    public void unlockRtnl() {
        rtnlHeld--;
    }

    /**
     * A condition that never holds: wait for the deadline alone. (A class, as the other
     * callbacks a start runs: a lambda call site costs a method-handle bootstrap, some 0.25 ms,
     * the first time it is reached; see start-up in BENCHMARKS.md.)
     */
    private static final java.util.function.BooleanSupplier NEVER = new java.util.function.BooleanSupplier() {
        @Override
        public boolean getAsBoolean() {
            return false;
        }
    };

    /**
     * Moves virtual time forward, running timers and link watch work on the way. Called from a
     * task, the task waits and the others run meanwhile ({@link Scheduler#await}).
     */
    public void advance(long nanos) {
        long target = clock.nanos() + nanos;
        if (scheduler.current() != null) {
            scheduler.await(target, NEVER);
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
            if (Thread.currentThread().isInterrupted()) {
                // a signal (Ctrl-C at a terminal) ends the wait, as it ends poll() with EINTR
                return false;
            }
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
