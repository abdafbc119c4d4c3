package dev.ipsim.shell;

import dev.ipsim.commands.Command;
import dev.ipsim.commands.ip.Ip;
import dev.ipsim.commands.nettools.ArpCommand;
import dev.ipsim.commands.nettools.RouteCommand;
import dev.ipsim.commands.ping.Ping;
import dev.ipsim.commands.sysctl.SysctlCommand;
import dev.ipsim.shell.builtins.Builtins;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The commands a shell knows: the simulated tools, found on the virtual {@code PATH} under
 * their usual names ({@code ip}, {@code /sbin/ip}, {@code /usr/sbin/ip}), and the shell's own
 * built-ins. Nothing else runs: an unknown name is "command not found".
 */
public final class CommandTable {

    /**
     * What starting a tool costs in virtual time: fork, exec and dynamic linking of a program
     * such as {@code ip} take about 2 ms on the recorded machine, and the kernel's timers run
     * meanwhile (a neighbour entry set to DELAY has moved on by the next command).
     */
    static final long PROCESS_START_NANOS = 2_000_000L;

    private final ShellSession session;
    private final Map<String, Command> byName = new LinkedHashMap<>();
    private final Map<String, String> descriptions = new TreeMap<>();

    CommandTable(ShellSession session) {
        this.session = session;
        tool("ip", new Ip(), "show and change devices, addresses and routes (iproute2 6.1)");
        tool("route", new RouteCommand(), "show the IPv4 routing table (net-tools 2.10)");
        tool("ping", new Ping(), "send ICMP echo requests (iputils 20221126)");
        tool("arp", new ArpCommand(), "show and change the ARP cache (net-tools 2.10)");
        tool("sysctl", new SysctlCommand(), "read and write kernel parameters (procps-ng 4.0)");
        Builtins.register(this, session);
    }

    private void tool(String name, Command tool, String description) {
        Command c = inv -> {
            session.kernel().advance(PROCESS_START_NANOS);
            return tool.run(inv);
        };
        byName.put(name, c);
        for (String dir : new String[] {"/sbin/", "/usr/sbin/", "/bin/", "/usr/bin/"}) {
            byName.put(dir + name, c);
        }
        descriptions.put(name, description);
    }

    /** Registers a shell built-in. */
    public void builtin(String name, Command c, String description) {
        byName.put(name, c);
        descriptions.put(name, description);
    }

    /** The command for a name, or {@code null}. */
    public Command lookup(String name) {
        return byName.get(name);
    }

    /** Every command name with its one-line description, sorted. */
    public Map<String, String> descriptions() {
        return Collections.unmodifiableMap(descriptions);
    }
}
