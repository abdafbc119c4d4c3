package dev.ipsim.commands.ip;

import static dev.ipsim.commands.cli.Matching.matches;

import dev.ipsim.commands.Exit;
import dev.ipsim.commands.cli.Args;
import dev.ipsim.commands.cli.CNumbers;
import dev.ipsim.commands.output.Printer;
import dev.ipsim.kernel.Errno;
import dev.ipsim.kernel.KernelException;
import dev.ipsim.kernel.NetNamespace;
import dev.ipsim.kernel.addr.MacAddress;
import dev.ipsim.kernel.link.LinkMode;
import dev.ipsim.kernel.link.LinkSpec;
import dev.ipsim.kernel.link.NetDevice;
import java.util.List;
import java.util.Locale;

/** {@code ip link} ({@code ip/iplink.c}): add, set, delete, show. */
final class IpLink {

    static final String USAGE = "Usage: ip link add [link DEV | parentdev NAME] [ name ] NAME\n"
            + "\t\t    [ txqueuelen PACKETS ]\n"
            + "\t\t    [ address LLADDR ]\n"
            + "\t\t    [ broadcast LLADDR ]\n"
            + "\t\t    [ mtu MTU ] [index IDX ]\n"
            + "\t\t    [ numtxqueues QUEUE_COUNT ]\n"
            + "\t\t    [ numrxqueues QUEUE_COUNT ]\n"
            + "\t\t    [ netns { PID | NAME } ]\n"
            + "\t\t    type TYPE [ ARGS ]\n"
            + "\n"
            + "\tip link delete { DEVICE | dev DEVICE | group DEVGROUP } type TYPE [ ARGS ]\n"
            + "\n"
            + "\tip link set { DEVICE | dev DEVICE | group DEVGROUP }\n"
            + "\t\t\t[ { up | down } ]\n"
            + "\t\t\t[ type TYPE ARGS ]\n"
            + "\t\t[ arp { on | off } ]\n"
            + "\t\t[ dynamic { on | off } ]\n"
            + "\t\t[ multicast { on | off } ]\n"
            + "\t\t[ allmulticast { on | off } ]\n"
            + "\t\t[ promisc { on | off } ]\n"
            + "\t\t[ trailers { on | off } ]\n"
            + "\t\t[ carrier { on | off } ]\n"
            + "\t\t[ txqueuelen PACKETS ]\n"
            + "\t\t[ name NEWNAME ]\n"
            + "\t\t[ address LLADDR ]\n"
            + "\t\t[ broadcast LLADDR ]\n"
            + "\t\t[ mtu MTU ]\n"
            + "\t\t[ netns { PID | NAME } ]\n"
            + "\t\t[ link-netns NAME | link-netnsid ID ]\n"
            + "\t\t[ alias NAME ]\n"
            + "\t\t[ vf NUM [ mac LLADDR ]\n"
            + "\t\t\t [ vlan VLANID [ qos VLAN-QOS ] [ proto VLAN-PROTO ] ]\n"
            + "\t\t\t [ rate TXRATE ]\n"
            + "\t\t\t [ max_tx_rate TXRATE ]\n"
            + "\t\t\t [ min_tx_rate TXRATE ]\n"
            + "\t\t\t [ spoofchk { on | off} ]\n"
            + "\t\t\t [ query_rss { on | off} ]\n"
            + "\t\t\t [ state { auto | enable | disable} ]\n"
            + "\t\t\t [ trust { on | off} ]\n"
            + "\t\t\t [ node_guid EUI64 ]\n"
            + "\t\t\t [ port_guid EUI64 ] ]\n"
            + "\t\t[ { xdp | xdpgeneric | xdpdrv | xdpoffload } { off |\n"
            + "\t\t\t  object FILE [ { section | program } NAME ] [ verbose ] |\n"
            + "\t\t\t  pinned FILE } ]\n"
            + "\t\t[ master DEVICE ][ vrf NAME ]\n"
            + "\t\t[ nomaster ]\n"
            + "\t\t[ addrgenmode { eui64 | none | stable_secret | random } ]\n"
            + "\t\t[ protodown { on | off } ]\n"
            + "\t\t[ protodown_reason PREASON { on | off } ]\n"
            + "\t\t[ gso_max_size BYTES ] | [ gso_max_segs PACKETS ]\n"
            + "\t\t[ gro_max_size BYTES ]\n"
            + "\n"
            + "\tip link show [ DEVICE | group GROUP ] [up] [master DEV] [vrf NAME] [type TYPE]\n"
            + "\t\t[nomaster]\n"
            + "\n"
            + "\tip link xstats type TYPE [ ARGS ]\n"
            + "\n"
            + "\tip link afstats [ dev DEVICE ]\n"
            + "\tip link property add dev DEVICE [ altname NAME .. ]\n"
            + "\tip link property del dev DEVICE [ altname NAME .. ]\n"
            + "\n"
            + "\tip link help [ TYPE ]\n"
            + "\n"
            + "TYPE := { amt | bareudp | bond | bond_slave | bridge | bridge_slave |\n"
            + "          dsa | dummy | erspan | geneve | gre | gretap | gtp | ifb |\n"
            + "          ip6erspan | ip6gre | ip6gretap | ip6tnl |\n"
            + "          ipip | ipoib | ipvlan | ipvtap |\n"
            + "          macsec | macvlan | macvtap |\n"
            + "          netdevsim | nlmon | rmnet | sit | team | team_slave |\n"
            + "          vcan | veth | vlan | vrf | vti | vxcan | vxlan | wwan |\n"
            + "          xfrm | virt_wifi }\n";

    /** veth's usage, which iproute2 prints with {@code printf}: to standard output. */
    static final String VETH_USAGE = "Usage: ip link <options> type veth [peer <options>]\n"
            + "To get <options> type 'ip link add help'\n";

    /**
     * Kinds iproute2 6.1 has a {@code link_util} for without a {@code parse_opt}: whatever
     * follows {@code type KIND} is silently ignored ({@code iplink_modify}).
     */
    private static final java.util.Set<String> LINK_UTILS_WITHOUT_OPTIONS = java.util.Set.of("dummy", "ifb", "nlmon",
            "vcan", "netdevsim", "virt_wifi");

    private IpLink() {
    }

    static int usage(IpSession s) {
        s.err().print(USAGE);
        throw new Exit(255);
    }

    /** {@code do_iplink}: verbs in first-match order. */
    static int run(IpSession s, List<String> args) {
        if (args.isEmpty()) {
            return listLinks(s, args);
        }
        String verb = args.get(0);
        List<String> rest = args.subList(1, args.size());
        if (matches(verb, "add")) {
            return modify(s, rest, Cmd.ADD);
        }
        if (matches(verb, "set") || matches(verb, "change")) {
            return modify(s, rest, Cmd.SET);
        }
        if (matches(verb, "replace")) {
            return modify(s, rest, Cmd.REPLACE);
        }
        if (matches(verb, "delete")) {
            return modify(s, rest, Cmd.DELETE);
        }
        if (matches(verb, "show") || matches(verb, "lst") || matches(verb, "list")) {
            return listLinks(s, rest);
        }
        if (matches(verb, "xstats")) {
            return xstats(s, rest);
        }
        if (matches(verb, "afstats")) {
            afstats(s, rest);
            return 0;
        }
        if (matches(verb, "property")) {
            s.err().print("ipsim: ip link property (alternative names) is not simulated yet\n");
            return -1;
        }
        if (matches(verb, "help")) {
            return help(s, rest);
        }
        s.err().print("Command \"" + verb + "\" is unknown, try \"ip link help\".\n");
        throw new Exit(255);
    }

    /**
     * The {@code link_util}s iproute2 6.1 is built with ({@code get_link_kind} finds them): the
     * kinds {@code ip link help TYPE} and {@code ip link xstats type TYPE} know.
     */
    private static final java.util.Set<String> LINK_UTILS = java.util.Set.of("amt", "bareudp", "batadv", "bond",
            "bond_slave", "bridge", "bridge_slave", "can", "dsa", "dummy", "geneve", "gtp", "hsr", "ifb", "ipoib",
            "ipvlan", "ipvtap", "macvlan", "macvtap", "netdevsim", "nlmon", "rmnet", "team", "team_slave", "vcan",
            "virt_wifi", "vlan", "vrf", "vxcan", "vxlan", "wwan", "macsec", "tuntap", "gre", "gretap", "erspan",
            "ip6gre", "ip6gretap", "ip6erspan", "ip6tnl", "ipip", "sit", "veth", "vti", "vti6", "xfrm");

    /** The kinds whose {@code print_help} is one fixed line ({@code iplink_dummy.c} and the like). */
    private static final java.util.Set<String> ONE_LINE_HELP = java.util.Set.of("dummy", "ifb", "nlmon", "vcan");

    /** {@code do_help}: the kind's own help on standard output, else the usage. */
    private static int help(IpSession s, List<String> args) {
        if (args.isEmpty() || !LINK_UTILS.contains(args.get(0))) {
            return usage(s);
        }
        String kind = args.get(0);
        if (kind.equals("veth")) {
            s.out().print(VETH_USAGE);
        } else if (ONE_LINE_HELP.contains(kind)) {
            s.out().print("Usage: ... " + kind + "\n");
        } else {
            s.err().print("ipsim: the help of link type " + kind + " is not simulated yet\n");
            return -1;
        }
        return 0;
    }

    /** {@code iplink_ifla_xstats}. Only bridges and bonds have extended statistics. */
    private static int xstats(IpSession s, List<String> args) {
        if (args.isEmpty()) {
            s.err().print("xstats: missing argument\n");
            return -1;
        }
        Args a = new Args(args, s.messages());
        String w = a.current();
        if (matches(w, "type")) {
            String kind = a.next();
            if (!LINK_UTILS.contains(kind)) {
                s.messages().invalidArgument("invalid type", kind);
            }
            if (!kind.equals("bridge") && !kind.equals("bridge_slave") && !kind.equals("bond")
                    && !kind.equals("bond_slave")) {
                s.err().print("xstats: link type " + kind + " doesn't support xstats\n");
                return -1;
            }
            // no bridge or bond device exists in the model: the dump is empty
            Printer p = s.printer();
            p.beginJson();
            p.endJson();
            s.flush(p);
            return 0;
        }
        if (matches(w, "help")) {
            s.out().print("Usage: ... xstats type TYPE [ ARGS ]\n");
            return 0;
        }
        throw s.messages().invalidArgument("unknown argument", w);
    }

    /** {@code iplink_afstats}: per-family statistics exist for MPLS only, which the model lacks. */
    private static void afstats(IpSession s, List<String> args) {
        Args a = new Args(args, s.messages());
        String dev = null;
        while (a.hasNext()) {
            String w = a.current();
            if (w.equals("dev")) {
                String v = a.next();
                if (dev != null) {
                    s.messages().duplicateOrGarbage("dev", v);
                }
                dev = v;
            } else if (matches(w, "help")) {
                usage(s);
            } else {
                s.err().print("Command \"" + w + "\" is unknown, try \"ip link help\".\n");
                throw new Exit(255);
            }
            a.advance();
        }
        if (dev != null && s.device(dev) == null) {
            // do_iplink ignores what iplink_afstats returns: the status stays 0
            s.err().print("Device \"" + dev + "\" does not exist.\n");
            return;
        }
        Printer p = s.printer();
        p.beginJson();
        p.endJson();
        s.flush(p);
    }

    /** {@code ipaddr_list_link}: {@code ip link show} is the address listing in link mode. */
    static int listLinks(IpSession s, List<String> args) {
        s.options().family = IpOptions.AF_PACKET;
        return IpAddress.list(s, args, IpAddress.Action.LIST, true);
    }

    enum Cmd {
        ADD, SET, REPLACE, DELETE;

        boolean creates() {
            return this == ADD || this == REPLACE;
        }
    }

    /** What {@code iplink_parse} gathers into one {@code ifinfomsg} and its attributes. */
    static final class Request {
        final LinkSpec spec = new LinkSpec();
        String name;
        String dev;
        String link;
        int index;
        byte[] address;
        byte[] broadcast;
        Integer txqlen;
        Integer mtu;
        String netns;
        String type;
        List<String> typeArgs = List.of();
        boolean unsupported;
        String unsupportedWhat;
        /** The group a device-less {@code set}/{@code delete} applies to, or {@code null}. */
        Integer group;
    }

    /** {@code ll_addr_a2n}: hex octets separated by colons, or a dotted quad; null after printing an error. */
    static byte[] lladdr(IpSession s, String arg) {
        if (arg.indexOf('.') >= 0) {
            InetArg a = InetArg.parseAddress(arg, IpOptions.AF_INET);
            if (a == null || a.address() == null) {
                s.err().print("\"" + arg + "\" is invalid lladdr.\n");
                return null;
            }
            byte[] b = new byte[4];
            ((dev.ipsim.kernel.addr.Ipv4Address) a.address()).writeTo(b, 0);
            return b;
        }
        byte[] out = new byte[32];
        int i;
        String rest = arg;
        for (i = 0; i < out.length; i++) {
            int colon = rest.indexOf(':');
            String part = colon >= 0 ? rest.substring(0, colon) : rest;
            Long v = scanHex(part);
            if (v == null || v < 0 || v > 255) {
                s.err().print("\"" + part + "\" is invalid lladdr.\n");
                return null;
            }
            out[i] = (byte) v.longValue();
            if (colon < 0) {
                break;
            }
            rest = rest.substring(colon + 1);
        }
        return java.util.Arrays.copyOf(out, Math.min(i + 1, out.length));
    }

    /** {@code sscanf("%x")}: leading space, optional sign and 0x, then as many hex digits as there are. */
    private static Long scanHex(String s) {
        CNumbers.Parsed p = CNumbers.strtol(s, 16);
        if (p.end() == 0) {
            return null;
        }
        return p.value().longValue();
    }

    private static int onOff(IpSession s, String key, String value) {
        s.messages().onOff(key, value);
        return -1;
    }

    /**
     * {@code iplink_parse}: returns the number of words consumed (the type name included),
     * or a negative number after printing an error.
     */
    static int parse(IpSession s, List<String> words, Request r, Cmd cmd) {
        Args a = new Args(words, s.messages());
        LinkSpec spec = r.spec;
        boolean moveNetns = false;
        String group = null;
        while (a.hasNext()) {
            String w = a.current();
            if (w.equals("up")) {
                spec.up = true;
            } else if (w.equals("down")) {
                spec.up = false;
            } else if (w.equals("name")) {
                String v = a.next();
                if (r.name != null) {
                    s.messages().duplicateArgument("name", v);
                }
                if (!validIfname(v)) {
                    s.messages().invalidArgument("\"name\" not a valid ifname", v);
                }
                r.name = v;
                if (r.dev == null) {
                    r.dev = v;
                }
            } else if (w.equals("index")) {
                String v = a.next();
                if (r.index != 0) {
                    s.messages().duplicateArgument("index", v);
                }
                r.index = CNumbers.atoi(v);
                if (r.index <= 0) {
                    s.messages().invalidArgument("Invalid \"index\" value", v);
                }
            } else if (matches(w, "link")) {
                r.link = a.next();
            } else if (matches(w, "address")) {
                byte[] b = lladdr(s, a.next());
                if (b == null) {
                    return -1;
                }
                r.address = b;
            } else if (matches(w, "broadcast") || w.equals("brd")) {
                byte[] b = lladdr(s, a.next());
                if (b == null) {
                    return -1;
                }
                r.broadcast = b;
            } else if (matches(w, "txqueuelen") || w.equals("qlen") || matches(w, "txqlen")) {
                String v = a.next();
                if (r.txqlen != null) {
                    s.messages().duplicateArgument("txqueuelen", v);
                }
                r.txqlen = CNumbers.getInteger(v, 0);
                if (r.txqlen == null) {
                    s.messages().invalidArgument("Invalid \"txqueuelen\" value\n", v);
                }
            } else if (w.equals("mtu")) {
                String v = a.next();
                if (r.mtu != null) {
                    s.messages().duplicateArgument("mtu", v);
                }
                r.mtu = CNumbers.getInteger(v, 0);
                if (r.mtu == null) {
                    s.messages().invalidArgument("Invalid \"mtu\" value\n", v);
                }
            } else if (w.equals("xdpgeneric") || w.equals("xdpdrv") || w.equals("xdpoffload") || w.equals("xdp")) {
                // detaching ("off") when nothing is attached succeeds; attaching needs BPF
                if (!a.next().equals("off")) {
                    r.unsupported = true;
                    r.unsupportedWhat = "XDP programs";
                }
            } else if (w.equals("netns")) {
                String v = a.next();
                if (r.netns != null) {
                    s.messages().duplicateArgument("netns", v);
                }
                // netns_get_fd: a name or a namespace file; otherwise a PID
                if (IpNetns.open(s, v) == null && CNumbers.getInteger(v, 0) == null) {
                    s.messages().invalidArgument("Invalid \"netns\" value\n", v);
                }
                r.netns = v;
                moveNetns = true;
            } else if (w.equals("multicast")) {
                String v = a.next();
                if (v.equals("on")) {
                    spec.multicast = true;
                } else if (v.equals("off")) {
                    spec.multicast = false;
                } else {
                    return onOff(s, "multicast", v);
                }
            } else if (w.equals("allmulticast")) {
                String v = a.next();
                if (v.equals("on")) {
                    spec.allmulti = true;
                } else if (v.equals("off")) {
                    spec.allmulti = false;
                } else {
                    return onOff(s, "allmulticast", v);
                }
            } else if (w.equals("promisc")) {
                String v = a.next();
                if (v.equals("on")) {
                    spec.promisc = true;
                } else if (v.equals("off")) {
                    spec.promisc = false;
                } else {
                    return onOff(s, "promisc", v);
                }
            } else if (w.equals("trailers")) {
                String v = a.next();
                if (!v.equals("on") && !v.equals("off")) {
                    return onOff(s, "trailers", v);
                }
            } else if (w.equals("arp")) {
                String v = a.next();
                if (v.equals("on")) {
                    spec.noarp = false;
                } else if (v.equals("off")) {
                    spec.noarp = true;
                } else {
                    return onOff(s, "arp", v);
                }
            } else if (w.equals("carrier")) {
                int on = parseOnOff(s, "carrier", a.next());
                if (on < 0) {
                    return -22;
                }
                spec.carrier = on == 1;
            } else if (w.equals("vf")) {
                String v = a.next();
                if (CNumbers.getInteger(v, 0) == null) {
                    s.messages().invalidArgument("Invalid \"vf\" value\n", v);
                }
                skipVfSettings(a);
                spec.virtualFunctions = true;
            } else if (matches(w, "master")) {
                String v = a.next();
                NetDevice m = s.device(v);
                if (m == null) {
                    s.messages().invalidArgument("Device does not exist\n", v);
                }
                spec.master = m;
            } else if (w.equals("vrf")) {
                String v = a.next();
                s.messages().invalidArgument("Not a valid VRF name\n", v);
            } else if (matches(w, "nomaster")) {
                spec.nomaster = true;
            } else if (matches(w, "dynamic")) {
                String v = a.next();
                if (v.equals("on")) {
                    spec.dynamic = true;
                } else if (v.equals("off")) {
                    spec.dynamic = false;
                } else {
                    return onOff(s, "dynamic", v);
                }
            } else if (matches(w, "type")) {
                r.type = a.next();
                a.advance();
                break;
            } else if (matches(w, "alias")) {
                String v = a.next();
                if (v.length() >= 256) {
                    s.messages().invalidArgument("alias too long\n", v);
                }
                spec.alias = v;
            } else if (w.equals("group")) {
                String v = a.next();
                if (group != null) {
                    s.messages().duplicateArgument("group", v);
                }
                Integer g = Names.groupNumber(v);
                if (g == null) {
                    s.messages().invalidArgument("Invalid \"group\" value\n", v);
                }
                group = v;
                spec.group = g;
            } else if (w.equals("mode")) {
                String v = a.next();
                String m = v.toLowerCase(Locale.ROOT);
                if (m.equals("default")) {
                    spec.linkMode = LinkMode.DEFAULT;
                } else if (m.equals("dormant")) {
                    spec.linkMode = LinkMode.DORMANT;
                } else {
                    s.messages().invalidArgument("Invalid link mode\n", v);
                }
            } else if (w.equals("state")) {
                String v = a.next();
                int state = operState(v);
                if (state < 0) {
                    s.messages().invalidArgument("Invalid operstate\n", v);
                }
                spec.operState = dev.ipsim.kernel.link.OperState.values()[state];
            } else if (matches(w, "numtxqueues") || matches(w, "numrxqueues")) {
                String key = matches(w, "numtxqueues") ? "numtxqueues" : "numrxqueues";
                String v = a.next();
                if (CNumbers.getInteger(v, 0) == null) {
                    s.messages().invalidArgument("Invalid \"" + key + "\" value\n", v);
                }
            } else if (matches(w, "addrgenmode")) {
                String v = a.next();
                int mode = switch (v.toLowerCase(Locale.ROOT)) {
                    case "eui64" -> 0;
                    case "none" -> 1;
                    case "stable_secret" -> 2;
                    case "random" -> 3;
                    default -> -1;
                };
                if (mode < 0) {
                    s.messages().invalidArgument("Invalid address generation mode\n", v);
                }
                spec.addrGenMode = mode;
            } else if (matches(w, "link-netns") || matches(w, "link-netnsid")) {
                a.next();
                r.unsupported = true;
                r.unsupportedWhat = "link-netns";
            } else if (w.equals("protodown")) {
                int on = parseOnOff(s, "protodown", a.next());
                if (on < 0) {
                    return -22;
                }
                spec.protoDown = on == 1;
            } else if (w.equals("protodown_reason")) {
                String v = a.next();
                if (protodownReason(v) < 0) {
                    s.messages().invalidArgument("invalid protodown reason\n", v);
                }
                String onOff = a.next();
                if (!matches(onOff, "on") && !matches(onOff, "off")) {
                    return onOff(s, "protodown_reason", onOff);
                }
                spec.protoDown = matches(onOff, "on");
            } else if (w.equals("gso_max_size") || w.equals("gro_max_size")) {
                String v = a.next();
                Long size = CNumbers.getUnsigned(v, 0);
                if (size == null) {
                    s.messages().invalidArgument("Invalid \"" + w + "\" value\n", v);
                }
                if (w.equals("gso_max_size")) {
                    spec.gsoMaxSize = size;
                } else {
                    spec.groMaxSize = size;
                }
            } else if (w.equals("gso_max_segs")) {
                String v = a.next();
                Long segs = CNumbers.getUnsigned(v, 0);
                if (segs == null || segs > NetDevice.GSO_MAX_SEGS) {
                    s.messages().invalidArgument("Invalid \"gso_max_segs\" value\n", v);
                }
                spec.gsoMaxSegs = segs;
            } else if (w.equals("parentdev")) {
                a.next();
                r.unsupported = true;
                r.unsupportedWhat = "parent devices";
            } else {
                if (matches(w, "help")) {
                    usage(s);
                }
                if (w.equals("dev")) {
                    w = a.next();
                }
                if (!java.util.Objects.equals(r.dev, r.name)) {
                    s.messages().duplicateOrGarbage("dev", w);
                }
                if (w.isEmpty() || w.chars().anyMatch(c -> c == '/' || Character.isWhitespace(c))) {
                    s.messages().invalidArgument("\"dev\" not a valid ifname", w);
                }
                r.dev = w;
            }
            a.advance();
        }
        int consumed = a.position();

        if (r.name == null) {
            r.name = r.dev;
        } else if (r.dev == null) {
            r.dev = r.name;
        }

        if (r.dev != null && r.address != null && !cmd.creates()) {
            NetDevice d = s.device(r.dev);
            int halen = d == null ? -1 : (d.hardwareType() == NetDevice.ARPHRD_LOOPBACK || d.kind() != null
                    || d.hardwareType() == NetDevice.ARPHRD_ETHER ? 6 : -1);
            if (halen >= 0 && halen != r.address.length) {
                s.err().print("Invalid address length " + r.address.length + " - must be " + halen + " bytes\n");
                return -1;
            }
        }
        if (r.index != 0 && !cmd.creates() && !moveNetns) {
            s.err().print("index can be used only when creating devices or when moving device to another netns.\n");
            throw new Exit(255);
        }
        if (group != null && r.dev == null) {
            if (a.hasNext()) {
                s.err().print("Garbage instead of arguments \"" + a.current() + " ...\". Try \"ip link help\".\n");
                throw new Exit(255);
            }
            if (cmd.creates()) {
                s.err().print("group cannot be used when creating devices.\n");
                throw new Exit(255);
            }
            r.type = null;
            r.group = spec.group;
            return consumed;
        }
        if (!cmd.creates()) {
            if (r.dev == null) {
                s.err().print("Not enough information: \"dev\" argument is required.\n");
                throw new Exit(255);
            }
            if (s.device(r.dev) == null) {
                s.messages().cannotFindDevice(r.dev);
                return -1;
            }
            if (r.name != null && r.name.equals(r.dev)) {
                r.name = null;
            }
        } else {
            if (!java.util.Objects.equals(r.name, r.dev)) {
                s.err().print("both \"name\" and \"dev\" cannot be used when creating devices.\n");
                throw new Exit(255);
            }
            if (r.link != null && s.device(r.link) == null) {
                s.messages().cannotFindDevice(r.link);
                return -1;
            }
        }
        return consumed;
    }

    /** {@code parse_on_off} ({@code parse_one_of} with "off", "on"): 0, 1, or -1 after the message. */
    private static int parseOnOff(IpSession s, String key, String value) {
        if (matches(value, "off")) {
            return 0;
        }
        if (matches(value, "on")) {
            return 1;
        }
        s.err().print("Error: argument of \"" + key + "\" must be one of \"off\", \"on\", not \"" + value + "\"\n");
        return -1;
    }

    /** {@code protodown_reason_a2n}: a number 0-31 (no names are configured). */
    private static int protodownReason(String v) {
        Long n = CNumbers.getUnsigned(v, 0);
        return n == null || n > 31 ? -1 : n.intValue();
    }

    /** The settings {@code iplink_parse_vf} reads after {@code vf NUM}; the kernel refuses them all. */
    private static void skipVfSettings(Args a) {
        java.util.Set<String> keys = java.util.Set.of("mac", "vlan", "qos", "proto", "rate", "max_tx_rate",
                "min_tx_rate", "spoofchk", "query_rss", "trust", "state", "node_guid", "port_guid");
        while (a.hasFollowing() && keys.contains(a.peekFollowing())) {
            a.advance();
            a.next();
        }
    }

    private static boolean validIfname(String name) {
        return name.length() < 16 && !name.isEmpty()
                && name.chars().noneMatch(c -> c == '/' || Character.isWhitespace(c));
    }

    private static int operState(String name) {
        String[] states = {"UNKNOWN", "NOTPRESENT", "DOWN", "LOWERLAYERDOWN", "TESTING", "DORMANT", "UP"};
        for (int i = 0; i < states.length; i++) {
            if (states[i].equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    /** Builds the kernel's view of a parsed request (address bytes checked by the kernel's rules). */
    private static void finish(Request r) {
        LinkSpec spec = r.spec;
        spec.name = r.name;
        spec.mtu = r.mtu;
        spec.txQueueLength = r.txqlen;
        if (r.index != 0) {
            spec.index = r.index;
        }
    }

    /** The kernel's check of an {@code IFLA_ADDRESS} for an Ethernet device. */
    private static MacAddress ethernetAddress(byte[] bytes) {
        if (bytes.length < 6) {
            throw new KernelException(Errno.EINVAL);
        }
        return MacAddress.ofBytes(bytes, 0);
    }

    /** {@code iplink_modify}. */
    static int modify(IpSession s, List<String> words, Cmd cmd) {
        Request r = new Request();
        int ret = parse(s, words, r, cmd);
        if (ret < 0) {
            return ret;
        }
        List<String> rest = words.subList(ret, words.size());
        Request peer = null;
        if (r.type != null) {
            if (r.type.equals("veth")) {
                if (!rest.isEmpty()) {
                    if (!rest.get(0).equals("peer")) {
                        s.out().print(VETH_USAGE);
                        return -1;
                    }
                    peer = new Request();
                    int pret = parse(s, rest.subList(1, rest.size()), peer, cmd);
                    if (pret < 0) {
                        return pret;
                    }
                    if (peer.type != null) {
                        s.messages().duplicateArgument("type", rest.get(pret));
                    }
                }
            } else if (rest.size() == 2 && r.type.equals("bridge") && rest.get(0).equals("vlan_filtering")) {
                // bridge_parse_opt; br_changelink's br_vlan_filter_toggle: this kernel is built
                // without CONFIG_BRIDGE_VLAN_FILTERING, so either value is refused
                if (dev.ipsim.commands.cli.CNumbers.getU8(rest.get(1), 0) == null) {
                    s.messages().invalidArgument("invalid vlan_filtering", rest.get(1));
                }
                String name = r.dev != null ? r.dev : r.name;
                if (!cmd.creates() && name != null && s.device(name) == null) {
                    s.messages().cannotFindDevice(name);
                    return -1;
                }
                s.err().print("RTNETLINK answers: Operation not supported\n");
                return -2;
            } else if (!rest.isEmpty() && r.type.equals("bridge")) {
                if (matches(rest.get(0), "help")) {
                    s.err().print("ipsim: the options of link type bridge are not simulated yet\n");
                    return -1;
                }
                s.err().print("ipsim: bridge options (" + rest.get(0) + " ...) are not simulated yet\n");
                return -1;
            } else if (!rest.isEmpty() && !LINK_UTILS_WITHOUT_OPTIONS.contains(r.type)) {
                if (matches(rest.get(0), "help")) {
                    usage(s);
                }
                s.err().print("Garbage instead of arguments \"" + rest.get(0) + " ...\". Try \"ip link help\".\n");
                return -1;
            }
        } else if (cmd.creates()) {
            s.err().print("Not enough information: \"type\" argument is required\n");
            return -1;
        }
        finish(r);
        try {
            if (r.unsupported) {
                s.err().print("ipsim: " + r.unsupportedWhat + " are not simulated yet\n");
                return -1;
            }
            NetNamespace ns = s.netns();
            switch (cmd) {
                case DELETE -> {
                    // rtnl_dellink does not look at the kind the request names
                    if (r.group != null) {
                        ns.deleteGroup(r.group);
                    } else {
                        ns.deleteLink(s.device(r.dev));
                    }
                }
                case SET -> {
                    if (r.group != null) {
                        ns.setLinkGroup(r.group, r.spec);
                        return 0;
                    }
                    // a kind without type-specific data is not compared with the device's
                    NetDevice dev = s.device(r.dev);
                    if (r.address != null) {
                        r.spec.address = ethernetAddress(r.address);
                    }
                    if (r.broadcast != null) {
                        r.spec.broadcast = ethernetAddress(r.broadcast);
                    }
                    if (r.netns != null) {
                        r.spec.netns = namespaceFor(s, r.netns);
                    }
                    ns.setLink(dev, r.spec);
                }
                case ADD, REPLACE -> create(s, r, peer, cmd);
            }
            return 0;
        } catch (KernelException e) {
            s.printKernelError(e);
            return -2;
        }
    }

    /**
     * The creating half of {@code rtnl_newlink}: a request naming an existing device (by index
     * when it carries one, else by name) is refused, EEXIST for {@code add} and EOPNOTSUPP for
     * {@code replace}; otherwise the kind's {@code newlink} makes the device.
     */
    private static void create(IpSession s, Request r, Request peer, Cmd cmd) {
        NetNamespace ns = s.netns();
        NetNamespace.checkNameAttribute(r.name);
        if ("tun".equals(r.type)) {
            // tun_validate: tun and tap devices are made with TUNSETIFF (ip tuntap)
            throw new KernelException(Errno.ENOTSUP, "tun/tap creation via rtnetlink is not supported.");
        }
        NetDevice existing = r.index != 0 ? ns.deviceByIndex(r.index) : r.name == null ? null : ns.device(r.name);
        if (existing != null && KNOWN_KINDS.contains(r.type)) {
            // the kind's validate (veth_validate, br_validate...) runs before the name is found taken
            validateKind(r, r.type);
            if (r.type.equals("veth") && peer != null) {
                validateKind(peer, r.type);
            }
        }
        if (existing != null) {
            throw new KernelException(cmd == Cmd.REPLACE ? Errno.ENOTSUP : Errno.EEXIST);
        }
        if (r.address != null) {
            if (r.address.length != 6) {
                throw new KernelException(Errno.EINVAL);
            }
            r.spec.address = MacAddress.ofBytes(r.address, 0);
        }
        if (r.broadcast != null) {
            r.spec.broadcast = ethernetAddress(r.broadcast);
        }
        NetNamespace target = r.netns == null ? ns : namespaceFor(s, r.netns);
        switch (r.type) {
            case "veth" -> {
                LinkSpec peerSpec = null;
                NetNamespace peerNs = null;
                if (peer != null) {
                    finish(peer);
                    peerSpec = peer.spec;
                    if (peer.address != null) {
                        if (peer.address.length != 6) {
                            throw new KernelException(Errno.EINVAL);
                        }
                        peerSpec.address = MacAddress.ofBytes(peer.address, 0);
                    }
                    if (peer.broadcast != null) {
                        peerSpec.broadcast = ethernetAddress(peer.broadcast);
                    }
                    if (peer.netns != null) {
                        peerNs = namespaceFor(s, peer.netns);
                    }
                }
                target.addVeth(r.spec, peerSpec, peerNs);
            }
            case "dummy" -> target.addDummy(r.spec);
            case "ifb" -> target.addIfb(r.spec);
            case "bridge" -> target.addBridge(r.spec);
            default -> throw new KernelException(Errno.ENOTSUP, "Unknown device type");
        }
    }

    private static final java.util.Set<String> KNOWN_KINDS = java.util.Set.of("veth", "dummy", "bridge", "ifb");

    /**
     * A kind's {@code ops->validate}: an {@code address} of 6 bytes that is a valid unicast
     * one, and for a veth an MTU in 68..65535 ({@code is_valid_veth_mtu}).
     */
    private static void validateKind(Request r, String kind) {
        if (r.address != null) {
            if (r.address.length != 6) {
                throw new KernelException(Errno.EINVAL);
            }
            if (!MacAddress.ofBytes(r.address, 0).isValidUnicast()) {
                throw new KernelException(Errno.EADDRNOTAVAIL);
            }
        }
        if (kind.equals("veth") && r.mtu != null
                && (r.mtu < NetDevice.ETH_MIN_MTU || r.mtu > dev.ipsim.kernel.link.Veth.VETH_MAX_MTU)) {
            throw new KernelException(Errno.EINVAL);
        }
    }

    /**
     * The namespace {@code netns NAME|PID} names: a namespace file iproute2 opens
     * ({@code IFLA_NET_NS_FD}), else a process the kernel looks up ({@code IFLA_NET_NS_PID}),
     * ESRCH when there is none.
     */
    private static NetNamespace namespaceFor(IpSession s, String netns) {
        NetNamespace ns = IpNetns.open(s, netns);
        if (ns == null) {
            Integer pid = CNumbers.getInteger(netns, 0);
            ns = pid == null || pid <= 0 ? null : s.invocation().context().netnsOfPid(pid);
        }
        if (ns == null) {
            throw new KernelException(Errno.ESRCH);
        }
        return ns;
    }
}
