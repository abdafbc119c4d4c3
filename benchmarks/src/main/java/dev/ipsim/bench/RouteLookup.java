package dev.ipsim.bench;

import dev.ipsim.kernel.addr.Ipv4Address;
import dev.ipsim.kernel.inet.Flow;
import dev.ipsim.kernel.inet.Ipv4Stack;
import dev.ipsim.kernel.route.Route;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Longest-prefix match with 100,000 routes in table main ({@code ip -batch} of
 * {@code route add PREFIX dev dummy0}), per lookup.
 *
 * <p>The prefixes are drawn once from a fixed seed with a length mix like a full Internet
 * table's: 60 % /24, 10 % each /22 and /23, 10 % /16../21, 5 % /8../15, 5 % /25../32, all
 * inside 11.0.0.0/8..223.0.0.0/8. Destinations cycle through 4,096 addresses: half inside a
 * random installed prefix (a hit at some length), half random (mostly the default route).
 * {@code fibLookup} is {@code fib_lookup} alone; {@code routeOutput} is the whole
 * {@code ip_route_output_key} (source selection, result) a sent packet pays.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class RouteLookup {

    static final int ROUTES = 100_000;
    private static final int MASK = 4095;

    private Ipv4Stack stack;
    private Flow[] flows;
    private int next;

    @Setup(Level.Trial)
    public void build() {
        SplittableRandom random = new SplittableRandom(42);
        StringBuilder batch = new StringBuilder();
        Set<Long> seen = new HashSet<>();
        int[] networks = new int[ROUTES];
        int[] lengths = new int[ROUTES];
        int n = 0;
        while (n < ROUTES) {
            int length = length(random.nextInt(100), random);
            int bits = (11 + random.nextInt(213)) << 24 | random.nextInt(1 << 24);
            bits &= length == 0 ? 0 : -1 << (32 - length);
            if (!seen.add((long) bits << 6 | length)) {
                continue;
            }
            networks[n] = bits;
            lengths[n] = length;
            batch.append("route add ").append(new Ipv4Address(bits)).append('/').append(length)
                    .append(" dev dummy0\n");
            n++;
        }
        Machine m = new Machine().file("routes.batch", batch);
        m.run("ip link add dummy0 type dummy\nip addr add 10.0.0.1/8 dev dummy0\nip link set dummy0 up\n"
                + "ip route add default via 10.0.0.254\nip -batch routes.batch\n");
        int installed = m.sandbox.kernel().initNamespace().ipv4().tables().table(254).size();
        if (installed < ROUTES) {
            throw new IllegalStateException("only " + installed + " routes in table main");
        }
        stack = m.sandbox.kernel().initNamespace().stack().ipv4();
        flows = new Flow[MASK + 1];
        for (int i = 0; i < flows.length; i++) {
            int k = random.nextInt(ROUTES);
            int host = lengths[k] == 32 ? 0 : random.nextInt() & (-1 >>> lengths[k]);
            Flow f = new Flow();
            f.destination = new Ipv4Address(i % 2 == 0 ? networks[k] | host
                    : (11 + random.nextInt(213)) << 24 | random.nextInt(1 << 24));
            flows[i] = f;
        }
    }

    private static int length(int percentile, SplittableRandom random) {
        if (percentile < 60) {
            return 24;
        } else if (percentile < 70) {
            return 23;
        } else if (percentile < 80) {
            return 22;
        } else if (percentile < 90) {
            return 16 + random.nextInt(6);
        } else if (percentile < 95) {
            return 8 + random.nextInt(8);
        }
        return 25 + random.nextInt(8);
    }

    @Benchmark
    public Route fibLookup() {
        Flow f = flows[next++ & MASK];
        return stack.fibLookup(f);
    }

    @Benchmark
    public Object routeOutput() {
        Flow f = flows[next++ & MASK];
        f.source = Ipv4Address.ANY;
        return stack.routing().output(f);
    }
}
