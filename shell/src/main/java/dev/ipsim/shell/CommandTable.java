package dev.ipsim.shell;

import dev.ipsim.commands.Command;
import dev.ipsim.commands.Invocation;
import dev.ipsim.commands.bridge.BridgeTool;
import dev.ipsim.commands.busybox.BusyBox;
import dev.ipsim.commands.ovs.OvsVsctl;
import dev.ipsim.commands.ip.Ip;
import dev.ipsim.commands.nettools.ArpCommand;
import dev.ipsim.commands.nettools.IfconfigCommand;
import dev.ipsim.commands.nettools.NetstatCommand;
import dev.ipsim.commands.nettools.RouteCommand;
import dev.ipsim.commands.ping.Ping;
import dev.ipsim.commands.sysctl.SysctlCommand;
import dev.ipsim.commands.tcpdump.Tcpdump;
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

    /** What a command prints when its standard output cannot be written. */
    public enum WriteErrors {
        /** bash's built-ins: {@code bash: line 3: echo: write error: Invalid argument}. */
        BUILTIN,
        /** coreutils' {@code close_stdout}: {@code cat: write error: Invalid argument}, status 1. */
        COREUTILS,
        /** Programs that never check (iproute2, net-tools, procps): nothing. */
        SILENT
    }

    /** A command and how it behaves as a program; {@code builtin} for the shell's own. */
    public record Entry(Command command, WriteErrors writeErrors, boolean builtin) {
    }

    /** The directories of a Debian 12 {@code PATH} that hold a program. */
    public static final String[] SBIN_AND_BIN = {"/sbin/", "/usr/sbin/", "/bin/", "/usr/bin/"};
    public static final String[] SBIN = {"/sbin/", "/usr/sbin/"};
    public static final String[] BIN = {"/bin/", "/usr/bin/"};

    /**
     * What starting a simulated network tool costs in virtual time: fork, exec and dynamic
     * linking of a program such as {@code ip} take about 2 ms on the recorded machine
     * (measured: ~2.2 ms per ip invocation), and the kernel's timers run meanwhile (a neighbour
     * entry set to DELAY has moved on by the next command). The shell's other programs (cat,
     * sleep, grep...) cost nothing, as the recordings were matched with.
     */
    static final long PROCESS_START_NANOS = 2_000_000L;

    private final ShellSession session;
    private final Map<String, Entry> byName = new LinkedHashMap<>();
    private final Map<String, String> descriptions = new TreeMap<>();

    CommandTable(ShellSession session) {
        this.session = session;
        tool("ip", new Ip(), "show and change devices, addresses and routes (iproute2 6.1)", SBIN_AND_BIN);
        tool("route", new RouteCommand(), "show the IPv4 routing table (net-tools 2.10)", SBIN);
        tool("ping", new Ping(), "send ICMP echo requests (iputils 20221126)", BIN);
        tool("arp", new ArpCommand(), "show and change the ARP cache (net-tools 2.10)", SBIN);
        tool("ifconfig", new IfconfigCommand(), "show and configure network interfaces (net-tools 2.10)", SBIN);
        tool("netstat", new NetstatCommand(), "show the routing and interface tables (net-tools 2.10)", BIN);
        tool("sysctl", new SysctlCommand(), "read and write kernel parameters (procps-ng 4.0)", SBIN);
        tool("ovs-vsctl", new OvsVsctl(), "configure Open vSwitch bridges and ports (Open vSwitch 3.1)", BIN);
        tool("bridge", new BridgeTool(), "show Linux bridge ports, forwarding databases and VLANs (iproute2 6.1)",
                SBIN);
        tool("tcpdump", new Tcpdump(), "capture and print packets (tcpdump 4.99, libpcap 1.10)", BIN);
        tool("busybox", new BusyBox(false), "BusyBox 1.35's multi-call binary (Debian's build): its ip applet", BIN);
        program("lab", new dev.ipsim.commands.lab.Lab(), WriteErrors.SILENT,
                "draw the lab (lab show) or check it against expectations (lab check FILE)", BIN);
        Builtins.register(this, session);
    }

    /** A simulated network tool: a program that costs {@link #PROCESS_START_NANOS} to start. */
    private void tool(String name, Command tool, String description, String[] dirs) {
        program(name, new Started(session, tool), WriteErrors.SILENT, description, dirs);
    }

    /** A tool as a program: its start costs {@link #PROCESS_START_NANOS}, then the tool runs. */
    private static final class Started implements Command {
        private final ShellSession session;
        private final Command tool;

        Started(ShellSession session, Command tool) {
            this.session = session;
            this.tool = tool;
        }

        @Override
        public int run(Invocation inv) {
            session.kernel().advance(PROCESS_START_NANOS);
            return tool.run(inv);
        }
    }

    /** Registers a program found on the {@code PATH} in {@code dirs}. */
    public void program(String name, Command c, WriteErrors writeErrors, String description, String... dirs) {
        Entry e = new Entry(c, writeErrors, false);
        byName.putIfAbsent(name, e);
        for (String dir : dirs) {
            byName.put(dir + name, e);
        }
        descriptions.put(name, description);
    }

    /**
     * Runs {@code body} with the program {@code name}, under every path it has, replaced by
     * {@code c}: another userland's program for one command (a container's BusyBox {@code ip}).
     */
    public void withProgram(String name, Command c, Runnable body) {
        Map<String, Entry> saved = new LinkedHashMap<>();
        for (Map.Entry<String, Entry> e : byName.entrySet()) {
            if (!e.getValue().builtin() && (e.getKey().equals(name) || e.getKey().endsWith("/" + name))) {
                saved.put(e.getKey(), e.getValue());
            }
        }
        Command started = new Started(session, c);
        for (String key : saved.keySet()) {
            Entry replaced = new Entry(started, WriteErrors.SILENT, false);
            byName.put(key, replaced);
            overrides.put(key, replaced);
        }
        try {
            body.run();
        } finally {
            byName.putAll(saved);
            overrides.keySet().removeAll(saved.keySet());
        }
    }

    /** Programs replaced for now ({@link #withProgram}), which a fork of the shell runs too. */
    private final Map<String, Entry> overrides = new LinkedHashMap<>();

    /** A fork's table: the programs replaced in the parent's are replaced here too. */
    void inherit(CommandTable parent) {
        byName.putAll(parent.overrides);
        overrides.putAll(parent.overrides);
    }

    /** Registers a shell built-in (it takes precedence over a program of the same name). */
    public void builtin(String name, Command c, String description) {
        byName.put(name, new Entry(c, WriteErrors.BUILTIN, true));
        descriptions.put(name, description);
    }

    /** The command for a name, or {@code null}. */
    public Command lookup(String name) {
        Entry e = byName.get(name);
        return e == null ? null : e.command();
    }

    /** Whether a name is one of the shell's built-ins. */
    public boolean isBuiltin(String name) {
        Entry e = byName.get(name);
        return e != null && e.builtin();
    }

    /** Whether a path names a program (for example {@code /usr/sbin/ip}). */
    public boolean isProgram(String path) {
        Entry e = byName.get(path);
        return path.startsWith("/") && e != null && !e.builtin();
    }

    /** The entry for a name, or {@code null}. */
    public Entry entry(String name) {
        return byName.get(name);
    }

    /** Every command name with its one-line description, sorted. */
    public Map<String, String> descriptions() {
        return Collections.unmodifiableMap(descriptions);
    }
}
