package dev.ipsim.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code ping -f -c 1000000} from one namespace to another over a veth pair, in virtual time:
 * one invocation builds the two namespaces and floods. The score is wall time per echo
 * request, so echo requests per second are 1e9 / score and simulated packets per second
 * (each request has its reply) twice that. The run fails unless ping reports all
 * 1,000,000 received.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
@Warmup(iterations = 1)
@Measurement(iterations = 3)
public class PingFlood {

    static final int COUNT = 1_000_000;

    static final String LAB = """
            ip netns add a
            ip netns add b
            ip link add va netns a type veth peer name vb netns b
            ip -n a addr add 10.0.0.1/24 dev va
            ip -n b addr add 10.0.0.2/24 dev vb
            ip -n a link set va up
            ip -n b link set vb up
            """;

    /**
     * The CPU time of the benchmark's thread per echo request (the whole simulation runs on
     * it): on a machine shared with other work the wall-clock score counts the time the thread
     * waited for a CPU, this does not. An aux counter is summed over the iterations: the
     * per-iteration values are in the raw data ({@code benchmarks/run} prints their mean).
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Cpu {
        public double cpuNanosPerEcho;
    }

    @Benchmark
    @OperationsPerInvocation(COUNT)
    public String flood(Cpu cpu) {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long start = threads.getCurrentThreadCpuTime();
        String out = new Machine().run(LAB + "ip netns exec a ping -f -q -c " + COUNT + " 10.0.0.2\n");
        cpu.cpuNanosPerEcho = (threads.getCurrentThreadCpuTime() - start) / (double) COUNT;
        if (!out.contains(COUNT + " packets transmitted, " + COUNT + " received")) {
            throw new IllegalStateException("ping did not get every reply: " + out);
        }
        return out;
    }
}
