package dev.ipsim.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Heap per veth pair at 10,000 pairs. Each pair: {@code link add vaI type veth peer name vbI},
 * an address on each end (a /31 between them, so a local route and a prefix route each),
 * both ends up (so IPv6 link-local addresses, their routes and multicast groups), and one
 * static route through the pair. Retained heap is the used heap after full collections
 * (serial GC, {@code System.gc()} until it stops shrinking) once the pairs exist, less the same
 * on the booted machine before: the secondary result {@code bytesPerPair}. The serial
 * collector's full collection leaves up to 5 % of the old generation as dead space it does not
 * compact away ({@code MarkSweepDeadRatio}, except every fourth collection), counted as used:
 * with it the figure jumped by some 1,000 bytes a pair from one iteration to the next, so it is
 * off. The primary score
 * is the time to build the 10,000 pairs in process.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "-XX:+UseSerialGC", "-XX:MarkSweepDeadRatio=0"})
@Warmup(iterations = 1)
@Measurement(iterations = 3)
public class HeapPerPair {

    static final int PAIRS = 10_000;

    /** What one invocation measured. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Heap {
        public double bytesPerPair;
    }

    private String batch;

    @Setup
    public void write() {
        batch = batch(PAIRS);
    }

    /** The batch file for {@code n} pairs. */
    static String batch(int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append("link add va").append(i).append(" type veth peer name vb").append(i).append('\n')
                    .append("addr add ").append(Machine.address(2 * i)).append("/31 dev va").append(i).append('\n')
                    .append("addr add ").append(Machine.address(2 * i + 1)).append("/31 dev vb").append(i).append('\n')
                    .append("link set va").append(i).append(" up\n")
                    .append("link set vb").append(i).append(" up\n")
                    .append("route add 172.").append(16 + (i >> 16)).append('.').append((i >> 8) & 255).append('.')
                    .append(i & 255).append(" via ").append(Machine.address(2 * i + 1)).append('\n');
        }
        return b.toString();
    }

    @Benchmark
    public Machine pairs(Heap heap) {
        Machine m = new Machine().file("pairs.batch", batch);
        m.run("true");
        long before = usedAfterGc();
        m.run("ip -batch pairs.batch");
        long after = usedAfterGc();
        int devices = m.sandbox.kernel().initNamespace().devices().size();
        if (devices != 2 * PAIRS + 1) {
            throw new IllegalStateException(devices + " devices");
        }
        heap.bytesPerPair = (after - before) / (double) PAIRS;
        return m;
    }

    static long usedAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
            System.gc();
            long now = memory.getHeapMemoryUsage().getUsed();
            if (now >= used) {
                return now;
            }
            used = now;
        }
        return used;
    }
}
