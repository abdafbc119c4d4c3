package dev.ipsim.shell.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipsim.shell.Main;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default host profile's world, as the seeds use it: the gateway and public addresses
 * answer ping, names resolve through the DNS server of {@code /etc/resolv.conf} (seed 000's
 * {@code PING baidu.com (111.13.101.208) from 192.168.2.11 veth0: 56(84) bytes of data.}), and
 * a machine without a way to the DNS server cannot resolve anything. The real Internet cannot
 * be recorded, so these are the world's documented choices, asserted.
 */
class OutsideWorldTest {

    @TempDir
    Path dir;

    private String run(String script, String... options) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // one stream for both, as a terminal shows them
        Main.Stdio stdio = new Main.Stdio(new ByteArrayInputStream(script.getBytes(StandardCharsets.UTF_8)), out, out,
                false, false, false, dir, Map.of(), null, false);
        String[] args = new String[options.length + 2];
        System.arraycopy(options, 0, args, 0, options.length);
        args[options.length] = "--seed";
        args[options.length + 1] = "0";
        Main.run(args, stdio);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void assertMatches(String regex, String actual) {
        assertTrue(Pattern.compile(regex, Pattern.DOTALL).matcher(actual).matches(), actual);
    }

    @Test
    void aVmThatHasBeenUpAWhileKnowsItsGatewayAndDnsServer() {
        // systemd-timesyncd resolved its NTP server and asked it for the time at boot
        assertEquals("10.0.2.2 dev eth0 lladdr 52:55:0a:00:02:02 STALE \n"
                + "10.0.2.3 dev eth0 lladdr 52:55:0a:00:02:03 STALE \n", run("ip neigh\n"));
    }

    @Test
    void theGatewayAnswersPingAndArp() {
        String out = run("ip neigh flush all\nping -c 2 10.0.2.2\nip neigh\n");
        assertMatches("PING 10.0.2.2 \\(10.0.2.2\\) 56\\(84\\) bytes of data.\n"
                + "64 bytes from 10.0.2.2: icmp_seq=1 ttl=64 time=[12]\\.\\d\\d ms\n"
                + "64 bytes from 10.0.2.2: icmp_seq=2 ttl=64 time=[12]\\.\\d\\d ms\n\n"
                + "--- 10.0.2.2 ping statistics ---\n"
                + "2 packets transmitted, 2 received, 0% packet loss, time 100\\dms\n"
                + "rtt min/avg/max/mdev = .*\n"
                + "10.0.2.2 dev eth0 lladdr 52:55:0a:00:02:02 REACHABLE \n", out);
    }

    @Test
    void seed000PingsBaiduComByName() {
        String out = run("""
                ip link add veth0 type veth peer name veth1
                ip addr add 192.168.2.11/24 dev veth0
                ip link set veth0 up
                ip link set veth1 up
                ping -c 1 -I veth0 baidu.com
                ping -c 1 baidu.com
                """);
        assertMatches("PING baidu.com \\(111.13.101.208\\) from 192.168.2.11 veth0: 56\\(84\\) bytes of data.\n\n"
                + "--- baidu.com ping statistics ---\n"
                + "1 packets transmitted, 0 received, 100% packet loss, time 0ms\n\n"
                // the DNS server answers baidu.com's addresses in turn
                + "PING baidu.com \\(123.125.114.144\\) 56\\(84\\) bytes of data.\n"
                + "64 bytes from 123.125.114.144 \\(123.125.114.144\\): icmp_seq=1 ttl=51 time=\\d\\d\\.\\d ms\n"
                + ".*", out);
    }

    @Test
    void publicAddressesAnswerAndNamedHostsShowTheirNames() {
        String out = run("ping -c 1 1.1.1.1\nping -c 1 dns.google\nping -c 1 -t 1 8.8.8.8\n");
        assertMatches("PING 1.1.1.1 \\(1.1.1.1\\) 56\\(84\\) bytes of data.\n"
                + "64 bytes from 1.1.1.1: icmp_seq=1 ttl=56 time=1\\d\\.\\d ms\n.*"
                + "PING dns.google \\(8.8.8.8\\) 56\\(84\\) bytes of data.\n"
                + "64 bytes from dns.google \\(8.8.8.8\\): icmp_seq=1 ttl=117 time=\\d\\d\\.\\d ms\n.*"
                + "From 10.0.2.2 icmp_seq=1 Time to live exceeded\n.*", out);
    }

    @Test
    void namesThatDoNotExistAndMachinesWithoutDns() {
        assertEquals("ping: nosuch.invalid: Name or service not known\n2\n",
                run("ping -c 1 nosuch.invalid\necho $?\n"));
        assertEquals("ping: baidu.com: Temporary failure in name resolution\n2\n",
                run("ping -c 1 baidu.com\necho $?\n", "--bare"));
        // a namespace of the VM has no route to 10.0.2.3
        assertEquals("ping: baidu.com: Temporary failure in name resolution\n",
                run("ip netns add ns1\nip netns exec ns1 ping -c 1 baidu.com\n"));
    }

    @Test
    void privateAddressesStaySilent() {
        String out = run("ping -c 2 -W 1 192.168.99.1\necho $?\n");
        assertMatches("PING 192.168.99.1 .*\n2 packets transmitted, 0 received, 100% packet loss, time 10\\d\\dms\n\n1\n",
                out);
    }
}
