package dev.ipsim.commands.ip;

import static dev.ipsim.commands.cli.Matching.matches;

import dev.ipsim.commands.Command;
import dev.ipsim.commands.Exit;
import dev.ipsim.commands.Invocation;
import dev.ipsim.commands.cli.CNumbers;
import dev.ipsim.kernel.NetNamespace;
import java.util.List;

/**
 * {@code ip} from iproute2 6.1 ({@code ip/ip.c}): global options, then the object, found by
 * first match in the object table.
 */
public final class Ip implements Command {

    /** The version line {@code ip -V} prints. */
    public static final String VERSION = "ip utility, iproute2-6.1.0, libbpf 1.1.2";

    static final String USAGE = """
            Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }
                   ip [ -force ] -batch filename
            where  OBJECT := { address | addrlabel | amt | fou | help | ila | ioam | l2tp |
                               link | macsec | maddress | monitor | mptcp | mroute | mrule |
                               neighbor | neighbour | netconf | netns | nexthop | ntable |
                               ntbl | route | rule | sr | tap | tcpmetrics |
                               token | tunnel | tuntap | vrf | xfrm }
                   OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] | -r[esolve] |
                                -h[uman-readable] | -iec | -j[son] | -p[retty] |
                                -f[amily] { inet | inet6 | mpls | bridge | link } |
                                -4 | -6 | -M | -B | -0 |
                                -l[oops] { maximum-addr-flush-attempts } | -br[ief] |
                                -o[neline] | -t[imestamp] | -ts[hort] | -b[atch] [filename] |
                                -rc[vbuf] [size] | -n[etns] name | -N[umeric] | -a[ll] |
                                -c[olor]}
            """;

    /** An object handler: C-style, returns 0 or a negative number whose negation is the exit status. */
    @FunctionalInterface
    interface ObjectHandler {
        int run(IpSession session, List<String> args);
    }

    private record ObjectEntry(String name, ObjectHandler handler) {
    }

    /** Order from {@code ip/ip.c cmds[]}: the first match wins, so do not sort. */
    private static final List<ObjectEntry> OBJECTS = List.of(
            new ObjectEntry("address", IpAddress::run),
            new ObjectEntry("addrlabel", Ip::notModelled),
            new ObjectEntry("maddress", IpMaddr::run),
            new ObjectEntry("route", IpRoute::run),
            new ObjectEntry("rule", IpRule::run),
            new ObjectEntry("neighbor", IpNeigh::run),
            new ObjectEntry("neighbour", IpNeigh::run),
            new ObjectEntry("ntable", Ip::notModelled),
            new ObjectEntry("ntbl", Ip::notModelled),
            new ObjectEntry("link", IpLink::run),
            new ObjectEntry("l2tp", Ip::notModelled),
            new ObjectEntry("fou", Ip::notModelled),
            new ObjectEntry("ila", Ip::notModelled),
            new ObjectEntry("macsec", Ip::notModelled),
            new ObjectEntry("tunnel", Ip::notModelled),
            new ObjectEntry("tunl", Ip::notModelled),
            new ObjectEntry("tuntap", IpTuntap::run),
            new ObjectEntry("tap", IpTuntap::run),
            new ObjectEntry("token", Ip::notModelled),
            new ObjectEntry("tcpmetrics", Ip::notModelled),
            new ObjectEntry("tcp_metrics", Ip::notModelled),
            new ObjectEntry("monitor", Ip::notModelled),
            new ObjectEntry("xfrm", Ip::notModelled),
            new ObjectEntry("mroute", Ip::notModelled),
            new ObjectEntry("mrule", Ip::notModelled),
            new ObjectEntry("netns", IpNetns::run),
            new ObjectEntry("netconf", IpNetconf::run),
            new ObjectEntry("vrf", Ip::notModelled),
            new ObjectEntry("sr", Ip::notModelled),
            new ObjectEntry("nexthop", Ip::notModelled),
            new ObjectEntry("mptcp", Ip::notModelled),
            new ObjectEntry("ioam", Ip::notModelled),
            new ObjectEntry("help", (s, a) -> usage(s)),
            new ObjectEntry("stats", Ip::notModelled));

    /** The object names, in table order (for completion and help). */
    public static List<String> objectNames() {
        return OBJECTS.stream().map(ObjectEntry::name).toList();
    }

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
        IpOptions o = new IpOptions();
        IpSession session = new IpSession(inv, o, inv.context().netns());
        List<String> argv = inv.argv();
        int i = 1;
        while (i < argv.size()) {
            String opt = argv.get(i);
            if (opt.equals("--")) {
                i++;
                break;
            }
            if (opt.isEmpty() || opt.charAt(0) != '-') {
                break;
            }
            if (opt.length() > 1 && opt.charAt(1) == '-') {
                opt = opt.substring(1);
            }
            if (matches(opt, "-loops")) {
                i++;
                if (i >= argv.size()) {
                    usage(session);
                }
                o.loops = CNumbers.atoi(argv.get(i));
            } else if (matches(opt, "-family")) {
                i++;
                if (i >= argv.size()) {
                    usage(session);
                }
                if (argv.get(i).equals("help")) {
                    usage(session);
                }
                o.family = Names.readFamily(argv.get(i));
                if (o.family == IpOptions.AF_UNSPEC) {
                    session.messages().invalidArgument("invalid protocol family", argv.get(i));
                }
            } else if (opt.equals("-4")) {
                o.family = IpOptions.AF_INET;
            } else if (opt.equals("-6")) {
                o.family = IpOptions.AF_INET6;
            } else if (opt.equals("-0")) {
                o.family = IpOptions.AF_PACKET;
            } else if (opt.equals("-M")) {
                o.family = IpOptions.AF_MPLS;
            } else if (opt.equals("-B")) {
                o.family = IpOptions.AF_BRIDGE;
            } else if (matches(opt, "-human") || matches(opt, "-human-readable")) {
                o.humanReadable++;
            } else if (matches(opt, "-iec")) {
                o.iec++;
            } else if (matches(opt, "-stats") || matches(opt, "-statistics")) {
                o.stats++;
            } else if (matches(opt, "-details")) {
                o.details++;
            } else if (matches(opt, "-resolve")) {
                o.resolve++;
            } else if (matches(opt, "-oneline")) {
                o.oneline++;
            } else if (matches(opt, "-timestamp")) {
                o.timestamp++;
            } else if (matches(opt, "-tshort")) {
                o.timestamp++;
            } else if (matches(opt, "-Version")) {
                inv.out().print(VERSION + "\n");
                throw new Exit(0);
            } else if (matches(opt, "-force")) {
                o.force++;
            } else if (matches(opt, "-batch")) {
                i++;
                if (i >= argv.size()) {
                    usage(session);
                }
                o.batchFile = argv.get(i);
            } else if (matches(opt, "-brief")) {
                o.brief++;
            } else if (matches(opt, "-json")) {
                o.json++;
            } else if (matches(opt, "-pretty")) {
                o.pretty++;
            } else if (matches(opt, "-rcvbuf")) {
                i++;
                if (i >= argv.size()) {
                    usage(session);
                }
                if (CNumbers.getUnsigned(argv.get(i), 0) == null) {
                    inv.err().print("Invalid rcvbuf size '" + argv.get(i) + "'\n");
                    throw new Exit(255);
                }
            } else if (Colors.parseOption(opt) >= 0) {
                o.color = Colors.parseOption(opt);
            } else if (matches(opt, "-help")) {
                usage(session);
            } else if (matches(opt, "-netns")) {
                i++;
                // netns_switch(argv[1]): a missing name is printed as glibc prints NULL
                String name = i < argv.size() ? argv.get(i) : "(null)";
                NetNamespace target = i < argv.size() ? inv.context().netnsNames().lookup(name) : null;
                if (target == null) {
                    inv.err().print("Cannot open network namespace \"" + name + "\": No such file or directory\n");
                    throw new Exit(255);
                }
                session.switchNetns(target);
            } else if (matches(opt, "-Numeric")) {
                o.numeric++;
            } else if (matches(opt, "-all")) {
                o.all = true;
            } else if (opt.equals("-echo")) {
                o.echo++;
            } else {
                inv.err().print("Option \"" + opt + "\" is unknown, try \"ip -help\".\n");
                throw new Exit(255);
            }
            i++;
        }
        if (o.batchFile != null) {
            return IpBatch.run(session, o.batchFile);
        }
        if (i < argv.size()) {
            return doCommand(session, argv.subList(i, argv.size()));
        }
        return usage(session);
    }

    /** {@code do_cmd}: finds the object by first match and runs it. */
    static int doCommand(IpSession session, List<String> words) {
        String object = words.get(0);
        for (ObjectEntry e : OBJECTS) {
            if (matches(object, e.name())) {
                int ret = e.handler().run(session, words.subList(1, words.size()));
                return (-ret) & 0xFF;
            }
        }
        session.err().print("Object \"" + object + "\" is unknown, try \"ip help\".\n");
        return 1;
    }

    /** {@code usage()}: to standard error, exit 255. */
    static int usage(IpSession session) {
        session.err().print(USAGE);
        throw new Exit(255);
    }

    /** Objects iproute2 has and ipsim does not model yet: said plainly, never faked. */
    private static int notModelled(IpSession session, List<String> args) {
        session.err().print("ipsim: this ip object is not simulated yet\n");
        return -1;
    }
}
