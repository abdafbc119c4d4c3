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

    /*
     * An object's handler, C-style, returns 0 or a negative number whose negation is the exit
     * status. It is a number for runObject's switch rather than a method reference: every
     * lambda call site costs a bootstrap of method handles (about 0.25 ms) on its first use.
     */
    private static final int ADDRESS = 0;
    private static final int ROUTE = 1;
    private static final int RULE = 2;
    private static final int NEIGH = 3;
    private static final int LINK = 4;
    private static final int NETNS = 5;
    private static final int HELP = 6;
    private static final int NOT_MODELLED = 7;
    private static final int MADDR = 8;
    private static final int TUNTAP = 9;
    private static final int NETCONF = 10;

    private record ObjectEntry(String name, int handler) {
    }

    /** Order from {@code ip/ip.c cmds[]}: the first match wins, so do not sort. */
    private static final ObjectEntry[] OBJECTS = {
            new ObjectEntry("address", ADDRESS),
            new ObjectEntry("addrlabel", NOT_MODELLED),
            new ObjectEntry("maddress", MADDR),
            new ObjectEntry("route", ROUTE),
            new ObjectEntry("rule", RULE),
            new ObjectEntry("neighbor", NEIGH),
            new ObjectEntry("neighbour", NEIGH),
            new ObjectEntry("ntable", NOT_MODELLED),
            new ObjectEntry("ntbl", NOT_MODELLED),
            new ObjectEntry("link", LINK),
            new ObjectEntry("l2tp", NOT_MODELLED),
            new ObjectEntry("fou", NOT_MODELLED),
            new ObjectEntry("ila", NOT_MODELLED),
            new ObjectEntry("macsec", NOT_MODELLED),
            new ObjectEntry("tunnel", NOT_MODELLED),
            new ObjectEntry("tunl", NOT_MODELLED),
            new ObjectEntry("tuntap", TUNTAP),
            new ObjectEntry("tap", TUNTAP),
            new ObjectEntry("token", NOT_MODELLED),
            new ObjectEntry("tcpmetrics", NOT_MODELLED),
            new ObjectEntry("tcp_metrics", NOT_MODELLED),
            new ObjectEntry("monitor", NOT_MODELLED),
            new ObjectEntry("xfrm", NOT_MODELLED),
            new ObjectEntry("mroute", NOT_MODELLED),
            new ObjectEntry("mrule", NOT_MODELLED),
            new ObjectEntry("netns", NETNS),
            new ObjectEntry("netconf", NETCONF),
            new ObjectEntry("vrf", NOT_MODELLED),
            new ObjectEntry("sr", NOT_MODELLED),
            new ObjectEntry("nexthop", NOT_MODELLED),
            new ObjectEntry("mptcp", NOT_MODELLED),
            new ObjectEntry("ioam", NOT_MODELLED),
            new ObjectEntry("help", HELP),
            new ObjectEntry("stats", NOT_MODELLED)};

    /** The object names, in table order (for completion and help). */
    public static List<String> objectNames() {
        java.util.ArrayList<String> names = new java.util.ArrayList<>(OBJECTS.length);
        for (ObjectEntry e : OBJECTS) {
            names.add(e.name());
        }
        return List.copyOf(names);
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
                int ret = runObject(e.handler(), session, words.subList(1, words.size()));
                return (-ret) & 0xFF;
            }
        }
        session.err().print("Object \"" + object + "\" is unknown, try \"ip help\".\n");
        return 1;
    }

    private static int runObject(int handler, IpSession session, List<String> args) {
        switch (handler) {
            case ADDRESS:
                return IpAddress.run(session, args);
            case ROUTE:
                return IpRoute.run(session, args);
            case RULE:
                return IpRule.run(session, args);
            case NEIGH:
                return IpNeigh.run(session, args);
            case LINK:
                return IpLink.run(session, args);
            case NETNS:
                return IpNetns.run(session, args);
            case MADDR:
                return IpMaddr.run(session, args);
            case TUNTAP:
                return IpTuntap.run(session, args);
            case NETCONF:
                return IpNetconf.run(session, args);
            case HELP:
                return usage(session);
            default:
                return notModelled(session, args);
        }
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
