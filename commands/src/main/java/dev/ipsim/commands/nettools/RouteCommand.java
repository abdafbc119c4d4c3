package dev.ipsim.commands.nettools;

import dev.ipsim.commands.Command;
import dev.ipsim.commands.Invocation;
import dev.ipsim.commands.net.HostsFile;
import dev.ipsim.commands.cli.CNumbers;
import dev.ipsim.commands.cli.InetAton;
import dev.ipsim.kernel.Errno;
import dev.ipsim.kernel.KernelException;
import dev.ipsim.kernel.NetNamespace;
import dev.ipsim.kernel.Scope;
import dev.ipsim.kernel.addr.IpPrefix;
import dev.ipsim.kernel.ipv4.Ipv4;
import dev.ipsim.kernel.link.NetDevice;
import dev.ipsim.kernel.route.RouteProtocol;
import dev.ipsim.kernel.addr.Ipv4Address;
import dev.ipsim.kernel.route.FibTable;
import dev.ipsim.kernel.route.Route;
import dev.ipsim.kernel.route.RouteTableId;
import dev.ipsim.kernel.route.RouteType;
import java.io.PrintStream;
import java.util.List;

/**
 * net-tools {@code route} 2.10: the routing table as {@code /proc/net/route} holds it (main
 * table, IPv4, no broadcast or multicast routes) printed by {@code rprint_fib}.
 */
public final class RouteCommand implements Command {

    private static final int RTF_UP = 0x0001;
    private static final int RTF_GATEWAY = 0x0002;
    private static final int RTF_HOST = 0x0004;
    private static final int RTF_REJECT = 0x0200;

    static final String USAGE = """
            Usage: route [-nNvee] [-FC] [<AF>]           List kernel routing tables
                   route [-v] [-FC] {add|del|flush} ...  Modify routing table for AF.

                   route {-h|--help} [<AF>]              Detailed usage syntax for specified AF.
                   route {-V|--version}                  Display version/author and exit.

                    -v, --verbose            be verbose
                    -n, --numeric            don't resolve names
                    -e, --extend             display other/more information
                    -F, --fib                display Forwarding Information Base (default)
                    -C, --cache              display routing cache instead of FIB

              <AF>=Use -4, -6, '-A <af>' or '--<af>'; default: inet
              List of possible address families (which support routing):
            """;

    static final String AF_LIST = "    inet (DARPA Internet) inet6 (IPv6) ax25 (AMPR AX.25) \n"
            + "    netrom (AMPR NET/ROM) rose (AMPR ROSE) ipx (Novell IPX) \n"
            + "    ddp (Appletalk DDP) x25 (CCITT X.25) \n";

    static final String VERSION = "net-tools 2.10\n";

    /** net-tools' exit codes ({@code lib/net-support.h}). */
    private static final int E_OPTERR = 3;
    private static final int E_LOOKUP = 6;
    private static final int E_SOCK = 7;

    /** {@code aftrans[]}: family aliases and the family each names. */
    private static final java.util.Map<String, String> AF_ALIASES = java.util.Map.ofEntries(
            java.util.Map.entry("ax25", "ax25"), java.util.Map.entry("ip", "inet"),
            java.util.Map.entry("ip6", "inet6"), java.util.Map.entry("ipx", "ipx"),
            java.util.Map.entry("rose", "rose"), java.util.Map.entry("appletalk", "ddp"),
            java.util.Map.entry("netrom", "netrom"), java.util.Map.entry("inet", "inet"),
            java.util.Map.entry("inet6", "inet6"), java.util.Map.entry("ddp", "ddp"),
            java.util.Map.entry("unix", "unix"), java.util.Map.entry("tcpip", "inet"),
            java.util.Map.entry("econet", "ec"), java.util.Map.entry("x25", "x25"),
            java.util.Map.entry("ash", "ash"), java.util.Map.entry("bluetooth", "bluetooth"));

    /** The long options {@code getopt_long} knows, with whether each takes an argument. */
    private static final List<String> LONG_OPTIONS = List.of("ax25", "x25", "ip", "ipx", "appletalk", "netrom",
            "inet", "inet6", "ddp", "rose", "unix", "bluetooth", "extend", "verbose", "version", "numeric",
            "symbolic", "protocol=", "cache", "fib", "help");

    @Override
    public int run(Invocation inv) {
        PrintStream out = inv.out();
        PrintStream err = inv.err();
        boolean numeric = false;
        int extended = 0;
        boolean cache = false;
        boolean help = false;
        List<String> families = new java.util.ArrayList<>();
        List<String> operands = new java.util.ArrayList<>();
        List<String> args = new java.util.ArrayList<>();
        // "getopts and -net wont work": -net and -host are turned into #net and #host first
        for (String a : inv.args()) {
            args.add(a.equals("-net") ? "#net" : a.equals("-host") ? "#host" : a);
        }
        // getopt_long("A:eCFhnN64Vv?"), permuting: options may follow the operands
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--")) {
                operands.addAll(args.subList(i + 1, args.size()));
                break;
            }
            if (!a.startsWith("-") || a.equals("-")) {
                operands.add(a);
                continue;
            }
            if (a.startsWith("--")) {
                String name = a.substring(2);
                String value = null;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                }
                String match = null;
                for (String o : LONG_OPTIONS) {
                    String bare = o.endsWith("=") ? o.substring(0, o.length() - 1) : o;
                    if (bare.equals(name)) {
                        match = o;
                        break;
                    }
                    if (bare.startsWith(name) && !name.isEmpty()) {
                        if (match != null && !match.equals(o)) {
                            err.print("route: option '" + a + "' is ambiguous\n");
                            help = true;
                            match = "";
                            break;
                        }
                        match = o;
                    }
                }
                if (match == null) {
                    // getopt_long returns '?', which route takes as -h
                    err.print("route: unrecognized option '" + a + "'\n");
                    help = true;
                    continue;
                }
                if (match.isEmpty()) {
                    continue;
                }
                String bare = match.endsWith("=") ? match.substring(0, match.length() - 1) : match;
                switch (bare) {
                    case "extend" -> extended++;
                    case "numeric", "symbolic" -> numeric = numeric || bare.equals("numeric");
                    case "verbose", "fib" -> {
                    }
                    case "cache" -> cache = true;
                    case "help" -> help = true;
                    case "version" -> {
                        return version(out);
                    }
                    case "protocol" -> {
                        if (value == null) {
                            if (i + 1 >= args.size()) {
                                err.print("route: option '--protocol' requires an argument\n");
                                help = true;
                                continue;
                            }
                            value = args.get(++i);
                        }
                        if (!addFamilies(families, value, err)) {
                            return 1;
                        }
                    }
                    default -> families.add(AF_ALIASES.get(bare));
                }
                continue;
            }
            for (int k = 1; k < a.length(); k++) {
                char c = a.charAt(k);
                switch (c) {
                    case 'n' -> numeric = true;
                    case 'N', 'v', 'F' -> {
                    }
                    case 'e' -> extended++;
                    case 'C' -> cache = true;
                    case '4' -> families.add("inet");
                    case '6' -> families.add("inet6");
                    case 'h', '?' -> help = true;
                    case 'V' -> {
                        return version(out);
                    }
                    case 'A' -> {
                        String af;
                        if (k + 1 < a.length()) {
                            af = a.substring(k + 1);
                        } else if (i + 1 < args.size()) {
                            af = args.get(++i);
                        } else {
                            err.print("route: option requires an argument -- 'A'\n");
                            help = true;
                            continue;
                        }
                        if (!addFamilies(families, af, err)) {
                            return 1;
                        }
                        k = a.length();
                    }
                    default -> {
                        // getopt returns '?', which route takes as -h
                        err.print("route: invalid option -- '" + c + "'\n");
                        help = true;
                    }
                }
            }
        }
        if (help && families.isEmpty()) {
            return usage(out, err, 0);
        }
        String family = families.isEmpty() ? "inet" : String.join(",", families);
        if (!family.equals("inet")) {
            err.print("ipsim: route for address family " + family + " is not simulated yet\n");
            return 1;
        }
        if (help) {
            inetUsage(out, err, 0);
            return 0;
        }
        if (operands.isEmpty()) {
            if (cache) {
                out.print("Kernel IP routing cache\n");
                out.print("Source          Destination     Gateway         Flags Metric Ref    Use Iface\n");
                return 0;
            }
            printFib(inv.context().netns(), out, extended + 1, numeric ? null : new Names(inv));
            return 0;
        }
        String verb = operands.get(0);
        List<String> rest = operands.subList(1, operands.size());
        boolean delete;
        if (verb.equals("add")) {
            delete = false;
        } else if (verb.equals("del") || verb.equals("delete")) {
            delete = true;
        } else if (verb.equals("flush")) {
            err.print("Flushing `inet' routing table not supported\n");
            return inetUsage(out, err, E_OPTERR);
        } else {
            return usage(out, err, E_OPTERR);
        }
        if (cache) {
            err.print("Modifying `inet' routing cache not supported\n");
            return inetUsage(out, err, E_OPTERR);
        }
        if (rest.isEmpty()) {
            return inetUsage(out, err, 0);
        }
        return setRoute(inv, delete, rest);
    }

    /** {@code aftrans_opt}: a comma-separated list of family aliases. */
    private static boolean addFamilies(List<String> families, String arg, PrintStream err) {
        for (String alias : arg.split(",", -1)) {
            String fam = AF_ALIASES.get(alias);
            if (fam == null) {
                err.print("Unknown address family `" + alias + "'.\n");
                return false;
            }
            families.add(fam);
        }
        return true;
    }

    private static int version(PrintStream out) {
        out.print(VERSION + "+NEW_ADDRT +RTF_IRTT +RTF_REJECT +I18N +SELINUX\n"
                + "AF: (inet) +UNIX +INET +INET6 +IPX +AX25 +NETROM +X25 +ATALK +ECONET +ROSE -BLUETOOTH\n"
                + "HW:  +ETHER +ARC +SLIP +PPP +TUNNEL -TR +AX25 +NETROM +X25 +FR +ROSE +ASH +SIT +FDDI +HIPPI "
                + "+HDLC/LAPB +EUI64 \n");
        return 0;
    }

    static final String INET_USAGE = "Usage: inet_route [-vF] del {-host|-net} Target[/prefix] [gw Gw] [metric M] [[dev] If]\n"
            + "       inet_route [-vF] add {-host|-net} Target[/prefix] [gw Gw] [metric M]\n"
            + "                              [netmask N] [mss Mss] [window W] [irtt I]\n"
            + "                              [mod] [dyn] [reinstate] [[dev] If]\n"
            + "       inet_route [-vF] add {-host|-net} Target[/prefix] [metric M] reject\n"
            + "       inet_route [-FC] flush      NOT supported\n";

    /** {@code lib/inet_sr.c usage()}: to standard output for help, to standard error for errors. */
    private static int inetUsage(PrintStream out, PrintStream err, int rc) {
        (rc != 0 ? err : out).print(INET_USAGE);
        return rc;
    }

    /**
     * {@code INET_resolve}: "default", a dotted quad (a host), a name from {@code /etc/networks}
     * (a network) or from {@code /etc/hosts} (a host). Returns the address and whether it names
     * a network, or {@code null} after {@code herror}'s message.
     */
    record Resolved(Ipv4Address address, boolean network) {
    }

    static Resolved resolve(Invocation inv, String name, boolean hostFirst) {
        if (name.equals("default")) {
            return new Resolved(Ipv4Address.ANY, true);
        }
        Ipv4Address a = InetAton.parse(name);
        if (a != null) {
            return new Resolved(a, false);
        }
        Ipv4Address host = hostFirst ? lookupHosts(inv, name) : null;
        if (host != null) {
            return new Resolved(host, false);
        }
        Ipv4Address net = lookupNetworks(inv, name);
        if (net != null) {
            return new Resolved(net, true);
        }
        host = hostFirst ? null : lookupHosts(inv, name);
        if (host != null) {
            return new Resolved(host, false);
        }
        // no resolver answers in the sandbox: h_errno TRY_AGAIN
        inv.err().print(name + ": Host name lookup failure\n");
        return null;
    }

    private static Ipv4Address lookupHosts(Invocation inv, String name) {
        String hosts = etc(inv, "/etc/hosts");
        for (String line : hosts.split("\n")) {
            String[] f = line.replaceAll("#.*", "").trim().split("\\s+");
            for (int i = 1; i < f.length; i++) {
                if (f[i].equals(name)) {
                    Ipv4Address a = InetAton.parse(f[0]);
                    if (a != null) {
                        return a;
                    }
                }
            }
        }
        return null;
    }

    private static Ipv4Address lookupNetworks(Invocation inv, String name) {
        String networks = etc(inv, "/etc/networks");
        for (String line : networks.split("\n")) {
            String[] f = line.replaceAll("#.*", "").trim().split("\\s+");
            if (f.length >= 2 && f[0].equals(name)) {
                return InetAton.parse(f[1]);
            }
        }
        return null;
    }

    private static String etc(Invocation inv, String path) {
        try {
            return inv.context().readFile(path);
        } catch (RuntimeException e) {
            return "";
        }
    }

    /** {@code INET_setroute}, then the kernel's {@code ip_rt_ioctl} (SIOCADDRT/SIOCDELRT). */
    private static int setRoute(Invocation inv, boolean delete, List<String> argv) {
        PrintStream out = inv.out();
        PrintStream err = inv.err();
        int i = 0;
        int xflag = 0;
        if (argv.get(i).equals("#net")) {
            xflag = 1;
            i++;
        } else if (argv.get(i).equals("#host")) {
            xflag = 2;
            i++;
        }
        if (i >= argv.size()) {
            return inetUsage(out, err, E_OPTERR);
        }
        String target = argv.get(i++);
        Ipv4Address genmask = null;
        String netmaskText = "default";
        int slash = target.indexOf('/');
        if (slash >= 0) {
            CNumbers.Parsed p = CNumbers.strtoul(target.substring(slash + 1), 0);
            if (!p.consumedAll(target.substring(slash + 1)) && !target.substring(slash + 1).isEmpty()) {
                return inetUsage(out, err, E_OPTERR);
            }
            int prefix = p.value().intValue();
            netmaskText = "/" + prefix;
            // htonl(~(0xffffffffU >> prefix)), with the shift count taken mod 32 as x86 does
            genmask = new Ipv4Address(~(0xFFFF_FFFF >>> (prefix & 31)));
            target = target.substring(0, slash);
        }
        Resolved dst = resolve(inv, target, xflag == 2);
        if (dst == null) {
            return E_LOOKUP;
        }
        boolean isNet = xflag == 1 || (xflag != 2 && dst.network());
        Integer metric = null;
        Ipv4Address gateway = null;
        boolean reject = false;
        String dev = null;
        while (i < argv.size()) {
            String w = argv.get(i);
            switch (w) {
                case "metric" -> {
                    i++;
                    if (i >= argv.size() || argv.get(i).isEmpty() || !Character.isDigit(argv.get(i).charAt(0))) {
                        return inetUsage(out, err, E_OPTERR);
                    }
                    metric = CNumbers.atoi(argv.get(i++));
                }
                case "netmask" -> {
                    i++;
                    if (i >= argv.size() || genmask != null) {
                        return inetUsage(out, err, E_OPTERR);
                    }
                    netmaskText = argv.get(i);
                    Resolved m = resolve(inv, argv.get(i++), false);
                    if (m == null) {
                        return E_LOOKUP;
                    }
                    genmask = m.address();
                }
                case "gw", "gateway" -> {
                    i++;
                    if (i >= argv.size() || gateway != null) {
                        return inetUsage(out, err, E_OPTERR);
                    }
                    String g = argv.get(i++);
                    Resolved r = resolve(inv, g, true);
                    if (r == null) {
                        return E_LOOKUP;
                    }
                    if (r.network()) {
                        err.print("route: " + g + ": cannot use a NETWORK as gateway!\n");
                        return inetUsage(out, err, E_OPTERR);
                    }
                    gateway = r.address();
                }
                case "mss", "mtu", "window", "irtt" -> {
                    err.print("ipsim: route metrics (mss, window, irtt) are not simulated yet\n");
                    return 1;
                }
                case "reject" -> {
                    reject = true;
                    i++;
                }
                case "mod", "dyn", "reinstate" -> i++;
                case "device", "dev" -> {
                    i++;
                    if (dev != null || i >= argv.size()) {
                        return inetUsage(out, err, E_OPTERR);
                    }
                    dev = argv.get(i++);
                }
                default -> {
                    // a bare word is the device, and must be the last word
                    if (dev != null) {
                        return inetUsage(out, err, E_OPTERR);
                    }
                    dev = argv.get(i++);
                    if (i < argv.size()) {
                        return inetUsage(out, err, E_OPTERR);
                    }
                }
            }
        }
        if (reject && dev == null) {
            dev = "lo";
        }
        int prefixLength = 32;
        if (genmask != null && !genmask.isUnspecified()) {
            int inverted = ~genmask.bits();
            if (!isNet && inverted != 0xFFFF_FFFF) {
                err.print(String.format("route: netmask %08x doesn't make sense with host route\n", inverted));
                return inetUsage(out, err, E_OPTERR);
            }
            if ((inverted & (inverted + 1)) != 0) {
                err.print("route: bogus netmask " + netmaskText + "\n");
                return inetUsage(out, err, E_OPTERR);
            }
            if ((dst.address().bits() & ~genmask.bits()) != 0) {
                err.print("route: netmask doesn't match route address\n");
                return inetUsage(out, err, E_OPTERR);
            }
            prefixLength = Integer.bitCount(genmask.bits());
        } else if (isNet) {
            // rtentry_to_fib_config: a network route without a netmask has mask 0, which only the
            // default route (0.0.0.0) fits ("bad_mask" makes any other EINVAL)
            prefixLength = 0;
        }
        String op = delete ? "SIOCDELRT" : "SIOCADDRT";
        NetNamespace ns = inv.context().netns();
        try {
            NetDevice device = null;
            if (dev != null) {
                device = ns.device(dev);
                if (device == null) {
                    throw new KernelException(Errno.ENODEV);
                }
            }
            if (prefixLength == 0 && !dst.address().isUnspecified()) {
                throw new KernelException(Errno.EINVAL);
            }
            IpPrefix prefix = new IpPrefix(dst.address(), prefixLength);
            RouteType type = reject ? RouteType.UNREACHABLE : RouteType.UNICAST;
            int scope;
            if (reject) {
                scope = Scope.HOST;
            } else if (gateway != null && ns.stack().ipv4().addressType(gateway) == RouteType.UNICAST) {
                scope = Scope.UNIVERSE;
            } else {
                scope = delete ? Scope.NOWHERE : Scope.LINK;
            }
            int priority = metric == null ? 0 : metric;
            if (delete) {
                Ipv4.RouteMatch m = new Ipv4.RouteMatch();
                m.destination = prefix;
                m.type = type;
                m.scope = scope;
                m.priority = priority;
                m.gateway = gateway;
                m.device = reject ? null : device;
                ns.ipv4().deleteRoute(m);
            } else {
                Route r = Route.builder(type, prefix).priority(priority).protocol(RouteProtocol.BOOT).scope(scope)
                        .gateway(gateway).device(reject ? null : device).build();
                ns.ipv4().addRoute(r, Ipv4.RouteAddMode.PREPEND);
            }
            return 0;
        } catch (KernelException e) {
            err.print(op + ": " + e.errno().text() + "\n");
            return E_SOCK;
        }
    }

    /** {@code usage(rc)}: the text to standard output for help (0), else to standard error; the family list to standard error. */
    private static int usage(PrintStream out, PrintStream err, int rc) {
        (rc != 0 ? err : out).print(USAGE);
        err.print(AF_LIST);
        return rc;
    }

    /**
     * {@code INET_rresolve} as {@code rprint_fib} calls it, for {@code route} without {@code -n}:
     * 0.0.0.0/0 is {@code default}; a host (a host route's destination, a gateway) is looked up
     * in the name service, a network in {@code /etc/networks}; what has no name stays numeric.
     */
    static final class Names {
        private final HostsFile hosts;
        private final Invocation inv;

        Names(Invocation inv) {
            this.inv = inv;
            this.hosts = new HostsFile(inv.context());
        }

        String destination(Ipv4Address dst, int prefixLength) {
            if (dst.isUnspecified()) {
                return prefixLength == 0 ? "default" : "0.0.0.0";
            }
            if (prefixLength == 32 || (dst.bits() & ~Ipv4Address.netmask(prefixLength).bits()) != 0) {
                return host(dst);
            }
            String networks = etc(inv, "/etc/networks");
            for (String line : networks.split("\n")) {
                String[] f = line.replaceAll("#.*", "").trim().split("\\s+");
                if (f.length >= 2 && dst.equals(InetAton.parse(f[1]))) {
                    return f[0];
                }
            }
            return dst.toString();
        }

        String host(Ipv4Address a) {
            if (a.isUnspecified()) {
                return "0.0.0.0";
            }
            String name = hosts.nameOf(a);
            return name != null ? name : a.toString();
        }
    }

    /** {@code rprint_fib} cuts names at 15 characters ({@code net_addr[15] = '\\0'}). */
    private static String truncate(String name) {
        return name.length() > 15 ? name.substring(0, 15) : name;
    }

    /** {@code rprint_fib}. */
    static void printFib(NetNamespace ns, PrintStream out, int ext, Names names) {
        StringBuilder sb = new StringBuilder("Kernel IP routing table\n");
        if (ext == 1) {
            sb.append("Destination     Gateway         Genmask         Flags Metric Ref    Use Iface\n");
        } else if (ext == 2) {
            sb.append("Destination     Gateway         Genmask         Flags   MSS Window  irtt Iface\n");
        } else {
            sb.append("Destination     Gateway         Genmask         Flags Metric Ref    Use Iface    MSS   Window irtt\n");
        }
        FibTable main = ns.ipv4().tables().tableOrNull(RouteTableId.MAIN);
        if (main != null) {
            for (Route r : main.routes()) {
                if (r.type() == RouteType.BROADCAST || r.type() == RouteType.MULTICAST) {
                    continue;
                }
                row(sb, r, ext, names);
            }
        }
        out.print(sb);
    }

    private static void row(StringBuilder sb, Route r, int ext, Names names) {
        int flags = RTF_UP;
        if (r.type() == RouteType.UNREACHABLE || r.type() == RouteType.PROHIBIT) {
            flags |= RTF_REJECT;
        }
        if (r.gateway() != null) {
            flags |= RTF_GATEWAY;
        }
        if (r.destination().length() == 32) {
            flags |= RTF_HOST;
        }
        StringBuilder f = new StringBuilder();
        f.append('U');
        if ((flags & RTF_GATEWAY) != 0) {
            f.append('G');
        }
        if ((flags & RTF_REJECT) != 0) {
            f.setLength(0);
            f.append('!');
        }
        if ((flags & RTF_HOST) != 0) {
            f.append('H');
        }
        Ipv4Address dst = (Ipv4Address) r.destination().address();
        Ipv4Address gateway = r.gateway() == null ? Ipv4Address.ANY : (Ipv4Address) r.gateway();
        String net = names == null ? dst.toString() : truncate(names.destination(dst, r.destination().length()));
        String gw = names == null ? gateway.toString() : truncate(names.host(gateway));
        String mask = Ipv4Address.netmask(r.destination().length()).toString();
        String iface = r.device() == null ? "*" : r.device().name();
        long metric = r.priority() & 0xFFFF_FFFFL;
        boolean reject = (flags & RTF_REJECT) != 0;
        if (ext == 1) {
            if (reject) {
                sb.append(String.format("%-15s -               %-15s %-5s %-6d -  %7d -\n", net, mask, f, metric, 0));
            } else {
                sb.append(String.format("%-15s %-15s %-15s %-5s %-6d %-2d %7d %s\n", net, gw, mask, f, metric, 0, 0,
                        iface));
            }
        } else if (ext == 2) {
            if (reject) {
                sb.append(String.format("%-15s -               %-15s %-5s     - -          - -\n", net, mask, f));
            } else {
                sb.append(String.format("%-15s %-15s %-15s %-5s %5d %-5d %6d %s\n", net, gw, mask, f, 0, 0, 0, iface));
            }
        } else {
            if (reject) {
                sb.append(String.format("%-15s -               %-15s %-5s %-6d -  %7d -        -     -      -\n", net,
                        mask, f, metric, 0));
            } else {
                sb.append(String.format("%-15s %-15s %-15s %-5s %-6d %-3d %6d %-6.6s   %-5d %-6d %d\n", net, gw, mask,
                        f, metric, 0, 0, iface, 0, 0, 0));
            }
        }
    }
}
