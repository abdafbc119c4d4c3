package dev.ipsim.kernel;

import dev.ipsim.kernel.time.VirtualClock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The simulated machine's kernel: its namespaces, its virtual clock and its source of
 * randomness. Everything random (MAC addresses, DAD delays, ping ids) comes from one seeded
 * generator, so a run is reproducible from its seed.
 */
public final class Kernel {

    private final VirtualClock clock;
    private final SplittableRandom random;
    private final LinkWatch linkWatch = new LinkWatch();
    private final List<NetNamespace> namespaces = new ArrayList<>();
    private final NetNamespace initNamespace;
    private final int cpus;
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
        this.initNamespace = createNamespace();
    }

    public VirtualClock clock() {
        return clock;
    }

    /** The kernel's random generator; use it for every random choice. */
    public SplittableRandom random() {
        return random;
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
            linkWatch.run();
            clock.runDue();
        } while (linkWatch.hasPending());
    }

    /** Moves virtual time forward, running timers and link watch work on the way. */
    public void advance(long nanos) {
        long target = clock.nanos() + nanos;
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
}
