package dev.ipsim.shell.pcap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ipsim.kernel.Kernel;
import dev.ipsim.shell.HostProfile;
import dev.ipsim.shell.Sandbox;
import dev.ipsim.shell.SystemProfile;
import dev.ipsim.shell.script.ScenarioRunner;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * pcap files both ways between ipsim and the real tcpdump 4.99.3 (Debian 12's).
 *
 * <p>ipsim → real: a lab with a fixed seed and a fixed start time writes {@code ipsim-veth0.pcap}
 * with {@code tcpdump -w} while three live captures print the same packets. The file, and what
 * the real {@code tcpdump -r} printed for it ({@code ipsim-veth0.*.real.txt}, recorded once on the
 * oracle's machine), are fixtures: ipsim must still write those exact bytes, and its live lines
 * must be the real reader's lines. Where a real tcpdump is installed, it also reads the file
 * written just now.
 *
 * <p>real → ipsim: {@code real-veth.pcap} was written by the real tcpdump in oracle scenario
 * {@code tcpdump-pcap-real}; ipsim's {@code tcpdump -r} must print what the real one printed
 * for it, with each set of flags.
 */
class PcapRoundTripTest {

    /** 2023-11-14 22:13:20 UTC: any fixed instant; timestamps are printed with -tt. */
    private static final long EPOCH_NANOS = 1_700_000_000L * 1_000_000_000L;

    /** The variants: a fixture's suffix and tcpdump's printing flags. */
    private static final List<List<String>> VARIANTS = List.of(
            List.of("n", "-n -tt"),
            List.of("e", "-n -tt -e"),
            List.of("v", "-n -tt -v"));

    private static final String LAB = """
            echo 0 > /proc/sys/net/ipv6/conf/default/router_solicitations
            ip link add veth0 address 02:00:00:00:00:01 type veth peer name veth1 address 02:00:00:00:00:02
            ip addr add 192.168.2.11/24 dev veth0
            ip addr add 192.168.2.1/24 dev veth1
            echo 1 > /proc/sys/net/ipv4/conf/veth0/accept_local
            echo 1 > /proc/sys/net/ipv4/conf/veth1/accept_local
            ip link set veth0 up
            tcpdump -i veth0 -w ipsim-veth0.pcap 2>/dev/null & tcpdump -i veth0 -n -tt > live-n.txt 2>/dev/null & tcpdump -i veth0 -n -tt -e > live-e.txt 2>/dev/null & tcpdump -i veth0 -n -tt -v > live-v.txt 2>/dev/null &
            sleep 1
            ip link set veth1 up
            sleep 3
            ping -c 2 -I veth0 192.168.2.1 > /dev/null
            ping -c 1 -W 1 -I veth0 192.168.2.7 > /dev/null
            sleep 4
            kill -INT %1 %2 %3 %4
            wait
            """;

    @Test
    void aPcapIpsimWritesReadsBackInTheRealTcpdumpAsIpsimPrintedItLive(@TempDir Path dir) throws Exception {
        writeLab(dir);
        byte[] written = Files.readAllBytes(dir.resolve("ipsim-veth0.pcap"));
        assertArrayEquals(resource("ipsim-veth0.pcap"), written,
                "ipsim no longer writes the pcap file whose real tcpdump -r output is the fixture");
        String realTcpdump = hostTcpdump();
        for (List<String> v : VARIANTS) {
            String printed = Files.readString(dir.resolve("live-" + v.get(0) + ".txt"));
            // stopped by SIGINT, tcpdump ends its output with an empty line (status -2: "perhaps
            // we didn't manage to finish a line"); reading a file it does not
            assertEquals("\n\n", printed.substring(printed.length() - 2), "the interrupted capture's last line");
            String live = printed.substring(0, printed.length() - 1);
            String real = new String(resource("ipsim-veth0." + v.get(0) + ".real.txt"), StandardCharsets.UTF_8);
            assertEquals(real, live, "ipsim's live capture (" + v.get(1) + ") differs from real tcpdump -r");
            if (realTcpdump != null) {
                assertEquals(live, runHost(realTcpdump, v.get(1), dir.resolve("ipsim-veth0.pcap")),
                        "the installed tcpdump reads ipsim's fresh file (" + v.get(1) + ") differently");
            }
        }
    }

    @Test
    void aPcapTheRealTcpdumpWroteReadsInIpsimAsTheRealOneReadIt(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("real-veth.pcap"), resource("real-veth.pcap"));
        for (List<String> v : VARIANTS) {
            Sandbox sandbox = boot(dir);
            String out = ScenarioRunner.run(sandbox,
                    "tcpdump " + v.get(1) + " -r real-veth.pcap 2>/dev/null > read-" + v.get(0) + ".txt\n");
            assertEquals("$ tcpdump " + v.get(1) + " -r real-veth.pcap 2>/dev/null > read-" + v.get(0) + ".txt\n", out);
            String real = new String(resource("real-veth." + v.get(0) + ".real.txt"), StandardCharsets.UTF_8);
            assertEquals(real, Files.readString(dir.resolve("read-" + v.get(0) + ".txt")),
                    "ipsim reads the real tcpdump's file (" + v.get(1) + ") differently");
        }
    }

    /** Runs the lab; with {@code -Dipsim.pcap.fixtures=DIR} it also copies what it wrote there. */
    private static void writeLab(Path dir) throws IOException {
        ScenarioRunner.run(boot(dir), LAB);
        String keep = System.getProperty("ipsim.pcap.fixtures");
        if (keep != null) {
            Files.copy(dir.resolve("ipsim-veth0.pcap"), Path.of(keep, "ipsim-veth0.pcap"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static Sandbox boot(Path dir) {
        Kernel kernel = new Kernel(7, EPOCH_NANOS, 2, SystemProfile.DEFAULT.kernel());
        HostProfile.applySysctls(kernel.initNamespace(), SystemProfile.DEFAULT);
        HostProfile.loopbackUp(kernel.initNamespace());
        return new Sandbox(kernel, dir, SystemProfile.DEFAULT.hostname(), SystemProfile.DEFAULT);
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = PcapRoundTripTest.class.getResourceAsStream("/pcap/" + name)) {
            if (in == null) {
                throw new IOException("missing fixture /pcap/" + name);
            }
            return in.readAllBytes();
        }
    }

    /** The Debian package's tcpdump, if this machine has it (CI need not). */
    private static String hostTcpdump() {
        for (String p : new String[] {"/usr/bin/tcpdump", "/usr/sbin/tcpdump"}) {
            if (Files.isExecutable(Path.of(p))) {
                return p;
            }
        }
        return null;
    }

    private static String runHost(String tcpdump, String flags, Path file) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(tcpdump));
        cmd.addAll(List.of(flags.split(" ")));
        cmd.addAll(List.of("-r", file.toString()));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(tcpdump + " did not finish");
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
