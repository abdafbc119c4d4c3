package dev.ipsim.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A lab of N namespaces, each with a veth whose other end is a port of one bridge, an address
 * in 10.0.0.0/8 and both ends up, then one ping from the first namespace to the last: a
 * script of 5 N + 3 command lines, run as {@code ipsim --bare FILE} runs it, per lab.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
@Warmup(iterations = 2)
@Measurement(iterations = 5)
public class NamespaceLab {

    @Param({"1000"})
    public int namespaces;

    private String script;

    @Setup
    public void write() {
        StringBuilder s = new StringBuilder("ip link add br0 type bridge\nip link set br0 up\n");
        for (int i = 1; i <= namespaces; i++) {
            s.append("ip netns add ns").append(i).append('\n')
                    .append("ip link add p").append(i).append(" type veth peer name v").append(i)
                    .append(" netns ns").append(i).append('\n')
                    .append("ip link set p").append(i).append(" master br0 up\n")
                    .append("ip -n ns").append(i).append(" addr add ").append(Machine.address(i))
                    .append("/8 dev v").append(i).append('\n')
                    .append("ip -n ns").append(i).append(" link set v").append(i).append(" up\n");
        }
        s.append("ip netns exec ns1 ping -c 1 ").append(Machine.address(namespaces)).append('\n');
        script = s.toString();
    }

    @Benchmark
    public String buildAndPing() {
        String out = new Machine().run(script);
        if (!out.contains("1 packets transmitted, 1 received")) {
            throw new IllegalStateException("the ping across the lab failed: " + out);
        }
        return out;
    }
}
