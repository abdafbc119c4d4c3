package dev.ipsim.commands.nettools;

import dev.ipsim.commands.Command;
import dev.ipsim.commands.Exit;
import dev.ipsim.commands.Invocation;
import dev.ipsim.commands.cli.GetOpt;
import dev.ipsim.commands.net.HostsFile;
import dev.ipsim.kernel.Errno;
import dev.ipsim.kernel.KernelException;
import dev.ipsim.kernel.NetNamespace;
import dev.ipsim.kernel.addr.Ipv4Address;
import dev.ipsim.kernel.addr.MacAddress;
import dev.ipsim.kernel.inet.Dst;
import dev.ipsim.kernel.inet.Flow;
import dev.ipsim.kernel.link.NetDevice;
import dev.ipsim.kernel.neigh.Neighbour;
import dev.ipsim.kernel.neigh.NeighbourTable;
import dev.ipsim.kernel.neigh.NudState;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * net-tools {@code arp} 2.10 ({@code arp.c}): the ARP cache as {@code /proc/net/arp} lists it,
 * in the Linux ({@code -e}, the default) or BSD ({@code -a}) style, and entries set
 * ({@code -s}) or deleted ({@code -d}) through the old ioctls.
 */
public final class ArpCommand implements Command {

    /** {@code ATF_COM}: completed entry. */
    private static final int ATF_COM = 0x02;
    /** {@code ATF_PERM}: permanent entry. */
    private static final int ATF_PERM = 0x04;
    /** {@code ATF_PUBL}: published (proxy) entry. */
    private static final int ATF_PUBL = 0x08;

    static final String USAGE = """
            Usage:
              arp [-vn]  [<HW>] [-i <if>] [-a] [<hostname>]             <-Display ARP cache
              arp [-v]          [-i <if>] -d  <host> [pub]               <-Delete ARP entry
              arp [-vnD] [<HW>] [-i <if>] -f  [<filename>]            <-Add entry from file
              arp [-v]   [<HW>] [-i <if>] -s  <host> <hwaddr> [temp]            <-Add entry
              arp [-v]   [<HW>] [-i <if>] -Ds <host> <if> [netmask <nm>] pub          <-''-

                    -a                       display (all) hosts in alternative (BSD) style
                    -e                       display (all) hosts in default (Linux) style
                    -s, --set                set a new ARP entry
                    -d, --delete             delete a specified entry
                    -v, --verbose            be verbose
                    -n, --numeric            don't resolve names
                    -i, --device             specify network interface (e.g. eth0)
                    -D, --use-device         read <hwaddr> from given device
                    -A, -p, --protocol       specify protocol family
                    -f, --file               read new entries from file or from /etc/ethers

              <HW>=Use '-H <hw>' to specify hardware address type. Default: ether
              List of possible hardware types (which support ARP):
            """;

    /** {@code print_hwlist(1)}: always to standard error. */
    static final String HARDWARE_TYPES = """
                ash (Ash) ether (Ethernet) ax25 (AMPR AX.25)\s
                netrom (AMPR NET/ROM) rose (AMPR ROSE) arcnet (ARCnet)\s
                dlci (Frame Relay DLCI) fddi (Fiber Distributed Data Interface) hippi (HIPPI)\s
                irda (IrLAP) x25 (generic X.25) eui64 (Generic EUI-64)\s
            """;

    static final String VERSION = """
            net-tools 2.10
            +I18N +SELINUX
            AF: (inet) +UNIX +INET +INET6 +IPX +AX25 +NETROM +X25 +ATALK +ECONET +ROSE -BLUETOOTH
            HW: (ether) +ETHER +ARC +SLIP +PPP +TUNNEL -TR +AX25 +NETROM +X25 +FR +ROSE +ASH +SIT +FDDI +HIPPI +HDLC/LAPB +EUI64\s
            """;

    private static final List<GetOpt.LongOption> LONG_OPTIONS = List.of(
            new GetOpt.LongOption("verbose", false, 'v'), new GetOpt.LongOption("version", false, 'V'),
            new GetOpt.LongOption("all", false, 'a'), new GetOpt.LongOption("delete", false, 'd'),
            new GetOpt.LongOption("file", false, 'f'), new GetOpt.LongOption("numeric", false, 'n'),
            new GetOpt.LongOption("set", false, 's'), new GetOpt.LongOption("protocol", true, 'A'),
            new GetOpt.LongOption("hw-type", true, 'H'), new GetOpt.LongOption("device", true, 'i'),
            new GetOpt.LongOption("help", false, 'h'), new GetOpt.LongOption("use-device", false, 'D'),
            new GetOpt.LongOption("symbolic", false, 'N'));

    @Override
    public int run(Invocation inv) {
        try {
            return new Run(inv).main();
        } catch (Exit e) {
            return e.status();
        } finally {
            inv.out().flush();
        }
    }

    /** One invocation's option state ({@code arp.c}'s globals). */
    private static final class Run {
        private final Invocation inv;
        private final PrintStream out;
        private final PrintStream err;
        private final NetNamespace ns;
        private final HostsFile hosts;
        private boolean numeric;
        private boolean linuxStyle;
        private boolean all;
        private boolean verbose;
        private boolean hwSet;
        private String device = "";
        private boolean titlePrinted;

        Run(Invocation inv) {
            this.inv = inv;
            this.out = inv.out();
            this.err = inv.err();
            this.ns = inv.context().netns();
            this.hosts = new HostsFile(inv.context());
        }

        int main() {
            int what = 0;
            GetOpt getopt = new GetOpt(inv.argv().get(0), "A:H:adfp:nsei:t:vh?DNV", LONG_OPTIONS, err);
            for (GetOpt.Option o : getopt.parse(inv.args())) {
                switch (o.option()) {
                    case 'a' -> {
                        what = 1;
                        all = true;
                    }
                    case 'f' -> what = 2;
                    case 'd' -> what = 3;
                    case 's' -> what = 4;
                    case 'e' -> linuxStyle = true;
                    case 'n' -> numeric = true;
                    case 'D' -> {
                    }
                    case 'N' -> err.print("arp: -N not yet supported.\n");
                    case 'v' -> verbose = true;
                    case 'A', 'p' -> {
                        if (!o.argument().equals("inet")) {
                            err.print("arp: " + o.argument() + ": unknown address family.\n");
                            throw new Exit(255);
                        }
                    }
                    case 'H', 't' -> {
                        if (!o.argument().equals("ether")) {
                            err.print("arp: " + o.argument() + ": unknown hardware type.\n");
                            throw new Exit(255);
                        }
                        hwSet = true;
                    }
                    case 'i' -> device = o.argument();
                    case 'V' -> {
                        out.print(VERSION);
                        throw new Exit(0);
                    }
                    case 'h' -> usage(0);
                    default -> usage(3);
                }
            }
            List<String> rest = getopt.operands();
            int status = switch (what) {
                case 0 -> {
                    linuxStyle = true;
                    yield show(rest.isEmpty() ? null : rest.get(0));
                }
                case 1 -> show(rest.isEmpty() ? null : rest.get(0));
                case 3 -> delete(rest);
                case 4 -> set(rest);
                default -> {
                    err.print("ipsim: arp -f is not simulated yet\n");
                    yield -1;
                }
            };
            return status & 0xFF;
        }

        /** {@code usage(rc)}: the text to stdout for -h (rc 0), else to stderr; the hardware list to stderr. */
        private void usage(int status) {
            (status == 0 ? out : err).print(USAGE);
            err.print(HARDWARE_TYPES);
            throw new Exit(status);
        }

        private NeighbourTable table() {
            return ns.stack().ipv4().neighbours();
        }

        /** {@code /proc/net/arp}: every ARP entry but the NOARP and state-less ones. */
        private List<Neighbour> procEntries() {
            List<Neighbour> out = new ArrayList<>();
            for (Neighbour n : table().entries()) {
                if (n.state() != NudState.NOARP && n.state() != NudState.NONE) {
                    out.add(n);
                }
            }
            return out;
        }

        /** {@code arp_state_to_flags}. */
        private static int flags(Neighbour n) {
            if (n.state() == NudState.PERMANENT) {
                return ATF_PERM | ATF_COM;
            }
            return n.state().isValid() ? ATF_COM : 0;
        }

        /** {@code arp_show}. */
        private int show(String name) {
            String host = null;
            if (name != null) {
                Ipv4Address a = resolve(name);
                if (a == null) {
                    err.print(name + ": Unknown host\n");
                    return -1;
                }
                host = a.toString();
            }
            int entries = 0;
            int showed = 0;
            for (Neighbour n : procEntries()) {
                entries++;
                String ip = n.key().toString();
                if (host != null && !ip.equals(host)) {
                    continue;
                }
                if (!device.isEmpty() && !n.device().name().equals(device)) {
                    continue;
                }
                showed++;
                String hostname;
                if (numeric) {
                    hostname = "?";
                } else {
                    String resolved = reverse((Ipv4Address) n.key());
                    hostname = resolved.equals(ip) ? "?" : resolved;
                }
                if (linuxStyle) {
                    displayLinux(hostname.startsWith("?") ? ip : hostname, n);
                } else {
                    displayBsd(hostname, ip, n);
                }
            }
            if (verbose) {
                out.print("Entries: " + entries + "\tSkipped: " + (entries - showed) + "\tFound: " + showed + "\n");
            }
            if (showed == 0) {
                if (host != null && !all) {
                    out.print(name + " (" + host + ") -- no entry\n");
                } else if (hwSet || host != null || !device.isEmpty()) {
                    out.print("arp: in " + entries + " entries no match found.\n");
                }
            }
            return 0;
        }

        private Ipv4Address resolve(String name) {
            Ipv4Address a = HostsFile.inetAton(name);
            if (a != null) {
                return a;
            }
            HostsFile.Entry e = hosts.lookup(name);
            return e == null ? null : e.address();
        }

        /** {@code INET_rresolve} for a host: its name in the hosts file, else the address. */
        private String reverse(Ipv4Address a) {
            String name = hosts.nameOf(a);
            return name != null ? name : a.toString();
        }

        private static String hardwareType(NetDevice dev) {
            return dev.isLoopback() ? "loop" : "ether";
        }

        /** {@code arp_disp_2}: the Linux-style table. */
        private void displayLinux(String name, Neighbour n) {
            if (!titlePrinted) {
                out.print("Address                  HWtype  HWaddress           Flags Mask            Iface\n");
                titlePrinted = true;
            }
            int f = flags(n);
            StringBuilder flagText = new StringBuilder();
            if ((f & ATF_COM) != 0) {
                flagText.append('C');
            }
            if ((f & ATF_PERM) != 0) {
                flagText.append('M');
            }
            if ((f & ATF_PUBL) != 0) {
                flagText.append('P');
            }
            StringBuilder line = new StringBuilder();
            line.append(pad(truncate(name, 23), 23)).append("  ");
            if ((f & ATF_COM) == 0) {
                line.append(pad("", 8)).append(pad("(incomplete)", 20));
            } else {
                line.append(pad(hardwareType(n.device()), 8)).append(pad(n.lladdr().toString(), 20));
            }
            line.append(pad(flagText.toString(), 6)).append(pad("", 15)).append(' ').append(n.device().name());
            out.print(line + "\n");
        }

        /** {@code arp_disp}: the BSD style. */
        private void displayBsd(String name, String ip, Neighbour n) {
            int f = flags(n);
            StringBuilder line = new StringBuilder(name + " (" + ip + ") at ");
            if ((f & ATF_COM) == 0) {
                line.append("<incomplete> ");
            } else {
                line.append(n.lladdr()).append(" [").append(hardwareType(n.device())).append("] ");
            }
            if ((f & ATF_PERM) != 0) {
                line.append("PERM ");
            }
            line.append("on ").append(n.device().name());
            out.print(line + "\n");
        }

        private static String pad(String s, int width) {
            return s.length() >= width ? s : s + " ".repeat(width - s.length());
        }

        private static String truncate(String s, int width) {
            return s.length() > width ? s.substring(0, width) : s;
        }

        /** The device an entry for {@code ip} belongs to: the one named, or the route's ({@code RTO_ONLINK}). */
        private NetDevice deviceFor(Ipv4Address ip) {
            if (!device.isEmpty()) {
                NetDevice d = ns.device(device);
                if (d == null) {
                    throw new KernelException(Errno.ENODEV);
                }
                return d;
            }
            Flow flow = Flow.output(ip, Ipv4Address.ANY, 0);
            flow.scope = dev.ipsim.kernel.Scope.LINK;
            Dst rt = ns.stack().ipv4().routing().output(flow);
            return rt.device();
        }

        /** The host operand of -d and -s, resolved; {@code null} (said on stderr) when missing or unknown. */
        private Ipv4Address hostArgument(List<String> args) {
            if (args.isEmpty()) {
                err.print("arp: need host name\n");
                return null;
            }
            Ipv4Address ip = resolve(args.get(0));
            if (ip == null) {
                err.print(args.get(0) + ": Unknown host\n");
            }
            return ip;
        }

        /** {@code arp_del}: SIOCDARP. */
        private int delete(List<String> args) {
            Ipv4Address ip = hostArgument(args);
            if (ip == null) {
                return -1;
            }
            String name = args.get(0);
            for (int i = 1; i < args.size(); i++) {
                String a = args.get(i);
                if (a.equals("dev") && i + 1 < args.size()) {
                    device = args.get(++i);
                } else if (!a.equals("pub") && !a.equals("priv") && !a.equals("temp") && !a.equals("trail")
                        && !a.equals("dontpub") && !a.equals("auto")) {
                    usage(3);
                }
            }
            try {
                NetDevice dev = deviceFor(ip);
                Neighbour n = table().lookup(ip, dev);
                if (n == null) {
                    out.print("No ARP entry for " + name + "\n");
                    return -1;
                }
                table().delete(ip, dev);
                return 0;
            } catch (KernelException e) {
                err.print("SIOCDARP(dontpub): " + e.errno().text() + "\n");
                return -1;
            }
        }

        /** {@code arp_set}: SIOCSARP, a permanent entry unless {@code temp}. */
        private int set(List<String> args) {
            Ipv4Address ip = hostArgument(args);
            if (ip == null) {
                return -1;
            }
            String name = args.get(0);
            if (args.size() < 2) {
                err.print("arp: need hardware address\n");
                return -1;
            }
            MacAddress mac = MacAddress.parse(args.get(1));
            if (mac == null) {
                err.print("arp: invalid hardware address\n");
                return -1;
            }
            boolean permanent = true;
            for (int i = 2; i < args.size(); i++) {
                String a = args.get(i);
                if (a.equals("temp")) {
                    permanent = false;
                } else if (a.equals("dev") && i + 1 < args.size()) {
                    device = args.get(++i);
                } else if (a.equals("pub")) {
                    err.print("ipsim: published (proxy) ARP entries are not simulated yet\n");
                    return -1;
                } else if (!a.equals("priv") && !a.equals("trail") && !a.equals("dontpub") && !a.equals("auto")) {
                    usage(3);
                }
            }
            try {
                NetDevice dev = deviceFor(ip);
                Neighbour n = table().lookupOrCreate(ip, dev);
                table().update(n, mac, permanent ? NudState.PERMANENT : NudState.STALE,
                        NeighbourTable.UPDATE_OVERRIDE | NeighbourTable.UPDATE_ADMIN
                                | (permanent ? NeighbourTable.UPDATE_OVERRIDE_ISROUTER : 0));
                ns.kernel().settle();
                return 0;
            } catch (KernelException e) {
                err.print("SIOCSARP: " + e.errno().text() + "\n");
                return -1;
            }
        }
    }
}
