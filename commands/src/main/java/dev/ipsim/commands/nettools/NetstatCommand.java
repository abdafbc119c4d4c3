package dev.ipsim.commands.nettools;

import dev.ipsim.commands.Command;
import dev.ipsim.commands.Exit;
import dev.ipsim.commands.Invocation;
import dev.ipsim.commands.cli.GetOpt;
import dev.ipsim.kernel.NetNamespace;
import java.io.PrintStream;
import java.util.List;

/**
 * net-tools {@code netstat} 2.10 ({@code netstat.c}): the routing table ({@code -r}, printed
 * by {@code rprint_fib} as {@code route} does, with netstat's swap of the first two
 * {@code -e} levels) and the kernel interface table ({@code -i}, {@code ifconfig}'s listers).
 * Socket listings, {@code -s}, {@code -g} and {@code -M} are not simulated and say so.
 */
public final class NetstatCommand implements Command {

    static final String USAGE = """
            usage: netstat [-vWeenNcCF] [<Af>] -r         netstat {-V|--version|-h|--help}
                   netstat [-vWnNcaeol] [<Socket> ...]
                   netstat { [-vWeenNac] -i | [-cnNe] -M | -s [-6tuw] }

                    -r, --route              display routing table
                    -i, --interfaces         display interface table
                    -g, --groups             display multicast group memberships
                    -s, --statistics         display networking statistics (like SNMP)
                    -M, --masquerade         display masqueraded connections

                    -v, --verbose            be verbose
                    -W, --wide               don't truncate IP addresses
                    -n, --numeric            don't resolve names
                    --numeric-hosts          don't resolve host names
                    --numeric-ports          don't resolve port names
                    --numeric-users          don't resolve user names
                    -N, --symbolic           resolve hardware names
                    -e, --extend             display other/more information
                    -p, --programs           display PID/Program name for sockets
                    -o, --timers             display timers
                    -c, --continuous         continuous listing

                    -l, --listening          display listening server sockets
                    -a, --all                display all sockets (default: connected)
                    -F, --fib                display Forwarding Information Base (default)
                    -C, --cache              display routing cache instead of FIB
                    -Z, --context            display SELinux security context for sockets

              <Socket>={-t|--tcp} {-u|--udp} {-U|--udplite} {-S|--sctp} {-w|--raw}
                       {-x|--unix} --ax25 --ipx --netrom
              <AF>=Use '-6|-4' or '-A <af>' or '--<af>'; default: inet
              List of possible address families (which support routing):
            """;

    static final String VERSION = """
            net-tools 2.10
            Fred Baumgarten, Alan Cox, Bernd Eckenfels, Phil Blundell, Tuan Hoang, Brian Micek and others
            +NEW_ADDRT +RTF_IRTT +RTF_REJECT +FW_MASQUERADE +I18N +SELINUX
            AF: (inet) +UNIX +INET +INET6 +IPX +AX25 +NETROM +X25 +ATALK +ECONET +ROSE -BLUETOOTH
            HW:  +ETHER +ARC +SLIP +PPP +TUNNEL -TR +AX25 +NETROM +X25 +FR +ROSE +ASH +SIT +FDDI +HIPPI +HDLC/LAPB +EUI64\s
            """;

    /** {@code iface_info}'s header, as upstream spells it (Debian changed only ifconfig's). */
    static final String INTERFACE_HEADER =
            "Iface             MTU    RX-OK RX-ERR RX-DRP RX-OVR    TX-OK TX-ERR TX-DRP TX-OVR Flg\n";

    private static final int E_OPTERR = 3;

    private static final List<GetOpt.LongOption> LONG_OPTIONS = List.of(
            new GetOpt.LongOption("version", false, 'V'), new GetOpt.LongOption("interfaces", false, 'i'),
            new GetOpt.LongOption("help", false, 'h'), new GetOpt.LongOption("route", false, 'r'),
            new GetOpt.LongOption("masquerade", false, 'M'), new GetOpt.LongOption("protocol", true, 'A'),
            new GetOpt.LongOption("tcp", false, 't'), new GetOpt.LongOption("sctp", false, 'S'),
            new GetOpt.LongOption("udp", false, 'u'), new GetOpt.LongOption("udplite", false, 'U'),
            new GetOpt.LongOption("raw", false, 'w'), new GetOpt.LongOption("unix", false, 'x'),
            new GetOpt.LongOption("l2cap", false, '2'), new GetOpt.LongOption("rfcomm", false, 'f'),
            new GetOpt.LongOption("listening", false, 'l'), new GetOpt.LongOption("all", false, 'a'),
            new GetOpt.LongOption("timers", false, 'o'), new GetOpt.LongOption("continuous", false, 'c'),
            new GetOpt.LongOption("extend", false, 'e'), new GetOpt.LongOption("programs", false, 'p'),
            new GetOpt.LongOption("verbose", false, 'v'), new GetOpt.LongOption("statistics", false, 's'),
            new GetOpt.LongOption("notrim", false, 'T'), new GetOpt.LongOption("wide", false, 'W'),
            new GetOpt.LongOption("numeric", false, 'n'), new GetOpt.LongOption("numeric-hosts", false, '!'),
            new GetOpt.LongOption("numeric-ports", false, '@'), new GetOpt.LongOption("numeric-users", false, '#'),
            new GetOpt.LongOption("symbolic", false, 'N'), new GetOpt.LongOption("cache", false, 'C'),
            new GetOpt.LongOption("fib", false, 'F'), new GetOpt.LongOption("groups", false, 'g'),
            new GetOpt.LongOption("context", false, 'Z'), new GetOpt.LongOption("inet", false, '4'),
            new GetOpt.LongOption("inet6", false, '6'));

    @Override
    public int run(Invocation inv) {
        try {
            return main(inv);
        } catch (Exit e) {
            return e.status();
        } finally {
            inv.out().flush();
        }
    }

    private static int main(Invocation inv) {
        PrintStream out = inv.out();
        PrintStream err = inv.err();
        int exp = 1;
        int route = 0;
        int iface = 0;
        int other = 0;
        boolean all = false;
        boolean numeric = false;
        boolean cache = false;
        boolean fib = false;
        String af = null;
        GetOpt getopt = new GetOpt(inv.argv().get(0), "A:CFMacdeghilnNoprsStuUvVWw2fx64?Z", LONG_OPTIONS, err);
        for (GetOpt.Option o : getopt.parse(inv.args())) {
            switch (o.option()) {
                case 'A' -> af = o.argument();
                case '4' -> af = "inet";
                case '6' -> af = "inet6";
                case 'x' -> af = "unix";
                case 'a' -> all = true;
                case 'e' -> exp++;
                case 'i' -> iface++;
                case 'r' -> route++;
                case 'n', '!', 'N' -> numeric = true;
                case 'C' -> cache = true;
                case 'F' -> fib = true;
                case 'V' -> {
                    out.print(VERSION);
                    throw new Exit(0);
                }
                case 'h' -> usage(out, err, 0);
                case '?' -> usage(out, err, E_OPTERR);
                case 'M', 's', 'g', 'c', 'Z' -> other++;
                default -> {
                }
            }
        }
        if (iface + route + other > 1) {
            usage(out, err, E_OPTERR);
        }
        NetNamespace ns = inv.context().netns();
        if (route > 0) {
            if (af != null && !af.equals("inet")) {
                err.print("ipsim: netstat -r for address family " + af + " is not simulated yet\n");
                return 1;
            }
            int ext = exp == 2 ? 1 : exp == 1 ? 2 : exp & 3;
            if (!cache || fib) {
                RouteCommand.printFib(ns, out, ext, numeric ? null : new RouteCommand.Names(inv));
            }
            if (cache) {
                // the kernel keeps no route cache: /proc/net/rt_cache has its header only
                out.print("Kernel IP routing cache\n");
                out.print(switch (ext) {
                    case 1 -> "Source          Destination     Gateway         Flags Metric Ref    Use Iface\n";
                    case 2 -> "Source          Destination     Gateway         Flags   MSS Window  irtt Iface\n";
                    case 0 -> "";
                    default -> "Source          Destination     Gateway         Flags Metric Ref    Use Iface    "
                            + "MSS   Window irtt  TOS HHRef HHUptod     SpecDst\n";
                });
            }
            return 0;
        }
        if (iface > 0) {
            out.print("Kernel Interface table\n");
            IfconfigCommand.Lister lister = new IfconfigCommand.Lister(ns, out, err, exp < 2, INTERFACE_HEADER);
            lister.printAll(all);
            return 0;
        }
        err.print("ipsim: netstat shows the routing table (-r) and the interface table (-i); "
                + "socket listings, -s, -g and -M are not simulated\n");
        return 1;
    }

    /** {@code usage(rc)}: to stdout for {@code -h}, else to stderr; the families to stderr. */
    private static void usage(PrintStream out, PrintStream err, int rc) {
        PrintStream fp = rc != 0 ? err : out;
        fp.print(USAGE);
        err.print(RouteCommand.AF_LIST);
        throw new Exit(rc);
    }
}
