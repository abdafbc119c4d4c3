package dev.ipsim.shell.script;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.ipsim.shell.Main;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whatever is typed, the shell answers as a shell does: never an internal error, never a Java
 * exception's text.
 */
class OddInputTest {

    @TempDir
    Path dir;

    static Stream<String> inputs() {
        return Stream.of("", ";", ";;", "&", "|", "||", "&&", "(", ")", "()", "{", "}", "{ }", "( ; )",
                "echo [", "echo [a", "echo [a&&b]", "echo [[:alpha:]]*", "echo *[", "ls /*/*/*", "echo ${",
                "echo ${}", "echo ${#}", "echo ${!x}", "echo $((", "echo $(( 1 +", "echo $((1/0))",
                "echo $((2**-1))", "echo $((9999999999999999999))", "echo $(", "echo `", "echo \"$(\"",
                "exit 99999999999999999999999", "sleep 1e400", "sleep 99999999999d", "sleep -- -1",
                "cat /sys/class/net/lo/statistics/", "cat -", "ls -", "grep '(' /dev/null", "grep -E '('",
                "echo x > /sys", "echo x > /proc/sys/net/ipv4/ip_forward/", "cd /dev/null", "cd ''",
                "for", "for i", "for i in", "if", "if true", "while", "until false; do break 9; done",
                "break -1", "continue 0", "[ ( ]", "[ -n ]", "test ! ! !", "[ 1 -eq 99999999999999999999 ]",
                "head -n 99999999999999999999 /etc/hosts", "tail -c +0 /etc/hosts", "wc -L /etc",
                "sort -k 0 /etc/hosts", "sort -k x /etc/hosts", "uniq /nosuch", "echo -e '\\x' '\\u' '\\0777'",
                "type", "which", "command", "command -v", "history x", "sudo -u", "hostname -x",
                "echo a >&", "echo a 9>&1", "echo a >&99999999999999", "echo a <&-", "a=(1 2)", "f() { :; }",
                "\u0000", "echo \u00e9\u4e2d", "ip", "ip link show nosuch", "route -x", "sysctl -a | head -1");
    }

    /**
     * A switching loop (both ends of a veth pair in one bridge, or in one Open vSwitch bridge)
     * makes a broadcast storm that goes on for ever, as on a real machine; every command still
     * returns, and the storm is held to netdev_max_backlog frames a device. A storm is about
     * 1.4 million frames a virtual second, each one simulated (some 2 s of CPU a virtual second):
     * the limit tells a hang from a loaded machine.
     */
    @org.junit.jupiter.api.Test
    void aSwitchingLoopDoesNotHangTheShell() {
        for (String loop : List.of("ip link add br0 type bridge; ip link set v0 master br0; ip link set v1 master br0",
                "ovs-vsctl add-br br0; ovs-vsctl add-port br0 v0; ovs-vsctl add-port br0 v1")) {
            String script = "ip link add v0 type veth peer name v1; " + loop + "; ip link set br0 up;"
                    + " ip link set v0 up; ip link set v1 up; ip addr add 10.0.0.1/24 dev br0;"
                    + " ping -c 2 -W 1 10.0.0.2; sleep 2; ip -br link; echo done";
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Main.Stdio stdio = new Main.Stdio(InputStream.nullInputStream(), out, err, false, false, false, dir,
                    Map.of(), null, false);
            org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(150),
                    () -> Main.run(new String[] {"--bare", "--seed", "5", "-c", script}, stdio));
            String all = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
            assertFalse(all.contains("internal error"), all);
            org.junit.jupiter.api.Assertions.assertTrue(all.endsWith("done\n"), all);
        }
    }

    @ParameterizedTest
    @MethodSource("inputs")
    void answersLikeAShell(String input) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Main.Stdio stdio = new Main.Stdio(InputStream.nullInputStream(), out, err, false, false, false, dir,
                Map.of(), null, false);
        int status = Main.run(new String[] {"--bare", "--seed", "5", "-c", input}, stdio);
        String all = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
        assertNotEquals(70, status, all);
        assertFalse(all.contains("internal error"), all);
        assertFalse(all.contains("Exception"), all);
        assertFalse(all.contains("\tat "), all);
    }
}
