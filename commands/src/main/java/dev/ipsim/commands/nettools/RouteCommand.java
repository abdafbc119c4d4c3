package dev.ipsim.commands.nettools;

import dev.ipsim.commands.Command;
import dev.ipsim.commands.Invocation;
import dev.ipsim.kernel.NetNamespace;
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

    @Override
    public int run(Invocation inv) {
        PrintStream out = inv.out();
        PrintStream err = inv.err();
        boolean numeric = false;
        int extended = 0;
        List<String> args = inv.args();
        int i = 0;
        while (i < args.size()) {
            String a = args.get(i);
            if (!a.startsWith("-") || a.equals("-")) {
                break;
            }
            if (a.startsWith("--")) {
                switch (a) {
                    case "--numeric" -> numeric = true;
                    case "--extend" -> extended++;
                    case "--verbose", "--fib", "--inet", "--4" -> {
                    }
                    case "--help" -> {
                        return usage(out, err);
                    }
                    case "--version" -> {
                        out.print(VERSION + "+NEW_ADDRT +RTF_IRTT +RTF_REJECT +I18N +SELINUX\n");
                        return 0;
                    }
                    default -> {
                        err.print("route: unrecognized option '" + a + "'\n");
                        return usage(out, err);
                    }
                }
                i++;
                continue;
            }
            for (int k = 1; k < a.length(); k++) {
                char c = a.charAt(k);
                switch (c) {
                    case 'n', 'N' -> numeric = true;
                    case 'e' -> extended++;
                    case 'v', 'F', '4' -> {
                    }
                    case 'C' -> {
                        out.print("Kernel IP routing cache\n");
                        out.print("Source          Destination     Gateway         Flags Metric Ref    Use Iface\n");
                        return 0;
                    }
                    case 'h' -> {
                        return usage(out, err);
                    }
                    case 'V' -> {
                        out.print(VERSION + "+NEW_ADDRT +RTF_IRTT +RTF_REJECT +I18N +SELINUX\n");
                        return 0;
                    }
                    case 'A' -> {
                        String af = k + 1 < a.length() ? a.substring(k + 1) : (i + 1 < args.size() ? args.get(++i) : "");
                        if (!af.equals("inet")) {
                            err.print("route: unsupported address family `" + af + "'\n");
                            return usage(out, err);
                        }
                        k = a.length();
                    }
                    case '6' -> {
                        inv.err().print("ipsim: route -6 is not simulated yet\n");
                        return 1;
                    }
                    default -> {
                        err.print("route: invalid option -- '" + c + "'\n");
                        return usage(out, err);
                    }
                }
            }
            i++;
        }
        if (i < args.size()) {
            inv.err().print("ipsim: route " + args.get(i) + " is not simulated yet\n");
            return 1;
        }
        printFib(inv.context().netns(), out, extended + 1, numeric);
        return 0;
    }

    /** {@code usage(E_USAGE)}: the text to standard output, the family list to standard error. */
    private static int usage(PrintStream out, PrintStream err) {
        out.print(USAGE);
        err.print(AF_LIST);
        return 0;
    }

    private static String destination(Ipv4Address dst, boolean numeric) {
        if (dst.isUnspecified() && !numeric) {
            return "default";
        }
        return dst.toString();
    }

    /** {@code rprint_fib}. */
    static void printFib(NetNamespace ns, PrintStream out, int ext, boolean numeric) {
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
                row(sb, r, ext, numeric);
            }
        }
        out.print(sb);
    }

    private static void row(StringBuilder sb, Route r, int ext, boolean numeric) {
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
        String net = destination((Ipv4Address) r.destination().address(), numeric);
        String gw = r.gateway() == null ? "0.0.0.0" : r.gateway().toString();
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
