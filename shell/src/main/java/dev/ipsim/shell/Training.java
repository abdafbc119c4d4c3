package dev.ipsim.shell;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The launcher's training run for the class-data archive: the script path and the REPL (on
 * JLine's dumb terminal, with no history file), so both start from archived classes, and the
 * classes of a real terminal by name. It prints nothing anywhere and touches no file.
 */
final class Training {

    private static final String SCRIPT = """
            ip link; ip addr; ip route; route -n; ip -br -c link; ip -j addr
            ip link add veth0 type veth peer name veth1 && ip link set veth0 up
            echo 1 > /proc/sys/net/ipv4/ip_forward; cat /proc/sys/net/ipv4/ip_forward
            ls /sys/class/net | grep veth; sysctl net.ipv4.ip_forward; sleep 1; nosuch
            echo "$(ip -o link show lo)" ${HOME:-/root} $? | cat
            """;

    private Training() {
    }

    public static void main(String[] args) {
        OutputStream nowhere = OutputStream.nullOutputStream();
        Main.Stdio script = new Main.Stdio(new ByteArrayInputStream(SCRIPT.getBytes(StandardCharsets.UTF_8)),
                nowhere, nowhere, false, false, false, null, Map.of(), null, false);
        Main.run(new String[] {"--seed", "1"}, script);
        Main.Stdio terminal = new Main.Stdio(new ByteArrayInputStream((SCRIPT.replace("sleep 1;", "") + "echo \"x\ny\"\nexit\n")
                .getBytes(StandardCharsets.UTF_8)), nowhere, nowhere, true, true, true, null, Map.of(), null, false);
        Main.run(new String[] {"--bare", "--seed", "1"}, terminal);
        // and a transcript's replay (ipsim replay), from memory
        try {
            new dev.ipsim.shell.transcript.Replayer(1).replay(dev.ipsim.shell.transcript.TranscriptParser.parse(
                    "training.md", TRANSCRIPT));
        } catch (dev.ipsim.shell.transcript.TranscriptParser.FormatException e) {
            throw new IllegalStateException(e);
        }
        preload();
    }

    /**
     * Loads, without initialising them, the classes of a start at a real terminal that the runs
     * above cannot reach (the system terminal, JLine's native library, the attach socket), so
     * that the archive holds them too: a class from the archive costs a start no parsing and
     * no verification. {@code benchmarks/training-classes} writes the list.
     */
    private static void preload() {
        try (java.io.InputStream in = Training.class.getResourceAsStream("training-classes.txt")) {
            if (in == null) {
                return;
            }
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String name = line.strip();
                if (name.isEmpty() || name.startsWith("#")) {
                    continue;
                }
                try {
                    Class.forName(name, false, Training.class.getClassLoader());
                } catch (ClassNotFoundException | LinkageError e) {
                    // gone since the list was made (another JDK or JLine): nothing to archive
                }
            }
        } catch (java.io.IOException e) {
            // no list: the archive holds what the runs above loaded
        }
    }

    private static final String TRANSCRIPT = """
            ---
            profile: debian-8
            ---

            ```console
            dev@debian:~$ sudo ip link add veth0 type veth peer name veth1
            dev@debian:~$ sudo ip addr add 192.168.2.11/24 dev veth0
            dev@debian:~$ sudo ip link set veth0 up
            dev@debian:~$ ping -c 1 -I veth0 192.168.2.1
            PING 192.168.2.1 (192.168.2.1) from 192.168.2.11 veth0: 56(84) bytes of data.
            dev@debian:~$ ip -br addr
            ```
            """;
}
