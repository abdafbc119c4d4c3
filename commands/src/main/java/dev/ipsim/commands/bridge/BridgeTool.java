package dev.ipsim.commands.bridge;

import static dev.ipsim.commands.cli.Matching.matches;

import dev.ipsim.commands.Command;
import dev.ipsim.commands.Exit;
import dev.ipsim.commands.Invocation;
import dev.ipsim.commands.ip.Colors;
import dev.ipsim.commands.ip.IpOptions;
import dev.ipsim.commands.ip.IpSession;
import dev.ipsim.commands.ip.LinkPrinter;
import dev.ipsim.commands.output.Printer;
import dev.ipsim.commands.output.Printer.Kind;
import dev.ipsim.commands.cli.CNumbers;
import dev.ipsim.kernel.Errno;
import dev.ipsim.kernel.KernelException;
import dev.ipsim.kernel.NetNamespace;
import dev.ipsim.kernel.addr.MacAddress;
import dev.ipsim.kernel.bridge.Bridge;
import dev.ipsim.kernel.bridge.BridgePort;
import dev.ipsim.kernel.bridge.FdbEntry;
import dev.ipsim.kernel.link.NetDevice;
import dev.ipsim.kernel.time.Jiffies;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code bridge} from iproute2 6.1 ({@code bridge/bridge.c}, {@code link.c}, {@code fdb.c},
 * {@code vlan.c}): the ports of the bridges, their forwarding databases and VLANs. Unlike
 * {@code ip}, {@code main} returns what the object handler returns: -1 is exit status 255.
 */
public final class BridgeTool implements Command {

    public static final String VERSION = "bridge utility, 6.1.0";

    static final String USAGE = "Usage: bridge [ OPTIONS ] OBJECT { COMMAND | help }\n"
            + "       bridge [ -force ] -batch filename\n"
            + "where  OBJECT := { link | fdb | mdb | vlan | monitor }\n"
            + "       OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] |\n"
            + "                    -o[neline] | -t[imestamp] | -n[etns] name |\n"
            + "                    -c[ompressvlans] -color -p[retty] -j[son] }\n";

    static final String FDB_USAGE = "Usage: bridge fdb { add | append | del | replace } ADDR dev DEV\n"
            + "              [ self ] [ master ] [ use ] [ router ] [ extern_learn ]\n"
            + "              [ sticky ] [ local | static | dynamic ] [ vlan VID ]\n"
            + "              { [ dst IPADDR ] [ port PORT] [ vni VNI ] | [ nhid NHID ] }\n"
            + "\t       [ via DEV ] [ src_vni VNI ]\n"
            + "       bridge fdb [ show [ br BRDEV ] [ brport DEV ] [ vlan VID ]\n"
            + "              [ state STATE ] [ dynamic ] ]\n"
            + "       bridge fdb get [ to ] LLADDR [ br BRDEV ] { brport | dev } DEV\n"
            + "              [ vlan VID ] [ vni VNI ] [ self ] [ master ] [ dynamic ]\n"
            + "       bridge fdb flush dev DEV [ brport DEV ] [ vlan VID ]\n"
            + "              [ self ] [ master ] [ [no]permanent | [no]static | [no]dynamic ]\n"
            + "              [ [no]added_by_user ] [ [no]extern_learn ] [ [no]sticky ]\n"
            + "              [ [no]offloaded ]\n";

    static final String LINK_USAGE = "Usage: bridge link set dev DEV [ cost COST ] [ priority PRIO ] [ state STATE ]\n"
            + "                               [ guard {on | off} ]\n"
            + "                               [ hairpin {on | off} ]\n"
            + "                               [ fastleave {on | off} ]\n"
            + "                               [ root_block {on | off} ]\n"
            + "                               [ learning {on | off} ]\n"
            + "                               [ learning_sync {on | off} ]\n"
            + "                               [ flood {on | off} ]\n"
            + "                               [ mcast_router MULTICAST_ROUTER ]\n"
            + "                               [ mcast_flood {on | off} ]\n"
            + "                               [ bcast_flood {on | off} ]\n"
            + "                               [ mcast_to_unicast {on | off} ]\n"
            + "                               [ neigh_suppress {on | off} ]\n"
            + "                               [ vlan_tunnel {on | off} ]\n"
            + "                               [ isolated {on | off} ]\n"
            + "                               [ locked {on | off} ]\n"
            + "                               [ hwmode {vepa | veb} ]\n"
            + "                               [ backup_port DEVICE ] [ nobackup_port ]\n"
            + "                               [ self ] [ master ]\n"
            + "       bridge link show [dev DEV]\n";

    /** {@code NUD_*} bits as the fdb dump reports them. */
    private static final int NUD_REACHABLE = 0x02;
    private static final int NUD_STALE = 0x04;
    private static final int NUD_NOARP = 0x40;
    private static final int NUD_PERMANENT = 0x80;

    @Override
    public int run(Invocation inv) {
        try {
            return main(inv) & 0xFF;
        } catch (Exit e) {
            return e.status();
        } finally {
            inv.out().flush();
        }
    }

    private static int usage(IpSession s) {
        s.err().print(USAGE);
        throw new Exit(255);
    }

    private static int main(Invocation inv) {
        IpOptions o = new IpOptions();
        IpSession s = IpSession.of(inv, o, inv.context().netns());
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
            if (matches(opt, "-help")) {
                usage(s);
            } else if (matches(opt, "-Version")) {
                inv.out().print(VERSION + "\n");
                throw new Exit(0);
            } else if (matches(opt, "-stats") || matches(opt, "-statistics")) {
                o.stats++;
            } else if (matches(opt, "-details")) {
                o.details++;
            } else if (matches(opt, "-oneline")) {
                o.oneline++;
            } else if (matches(opt, "-timestamp")) {
                o.timestamp++;
            } else if (matches(opt, "-family")) {
                i++;
                if (i >= argv.size()) {
                    usage(s);
                }
                String f = argv.get(i);
                if (f.equals("inet")) {
                    o.family = IpOptions.AF_INET;
                } else if (f.equals("inet6")) {
                    o.family = IpOptions.AF_INET6;
                } else if (f.equals("help")) {
                    usage(s);
                } else {
                    s.messages().invalidArgument("invalid protocol family", f);
                }
            } else if (opt.equals("-4")) {
                o.family = IpOptions.AF_INET;
            } else if (opt.equals("-6")) {
                o.family = IpOptions.AF_INET6;
            } else if (matches(opt, "-netns")) {
                i++;
                if (i >= argv.size()) {
                    s.messages().incompleteCommand();
                }
                String name = argv.get(i);
                NetNamespace target = inv.context().netnsNames().lookup(name);
                if (target == null) {
                    inv.err().print("Cannot open network namespace \"" + name + "\": No such file or directory\n");
                    throw new Exit(255);
                }
                s.switchNetns(target);
            } else if (Colors.parseOption(opt) >= 0) {
                o.color = Colors.parseOption(opt);
            } else if (matches(opt, "-compressvlans")) {
                // no VLANs to compress on this kernel
            } else if (matches(opt, "-force")) {
                o.force++;
            } else if (matches(opt, "-json")) {
                o.json++;
            } else if (matches(opt, "-pretty")) {
                o.pretty++;
            } else if (matches(opt, "-batch")) {
                inv.err().print("ipsim: bridge -batch is not simulated yet\n");
                throw new Exit(1);
            } else {
                inv.err().print("Option \"" + opt + "\" is unknown, try \"bridge help\".\n");
                throw new Exit(255);
            }
            i++;
        }
        if (i >= argv.size()) {
            return usage(s);
        }
        String object = argv.get(i);
        List<String> args = argv.subList(i + 1, argv.size());
        if (matches(object, "link")) {
            return link(s, args);
        }
        if (matches(object, "fdb")) {
            return fdb(s, args);
        }
        if (matches(object, "mdb")) {
            return mdb(s, args);
        }
        if (matches(object, "vlan")) {
            return vlan(s, args);
        }
        if (matches(object, "vni")) {
            s.err().print("ipsim: bridge vni is not simulated yet\n");
            return -1;
        }
        if (matches(object, "monitor")) {
            return monitor(s, args);
        }
        if (matches(object, "help")) {
            return usage(s);
        }
        inv.err().print("Object \"" + object + "\" is unknown, try \"bridge help\".\n");
        return -1;
    }

    /** {@code ll_name_to_index}: a device of the namespace, by name or {@code ifN}. */
    private static NetDevice device(IpSession s, String name) {
        return s.device(name);
    }

    private static Bridge bridgeOf(NetDevice dev) {
        return dev.master() instanceof Bridge b && b.port(dev) != null ? b : null;
    }

    // ------------------------------------------------------------------ link

    private static int link(IpSession s, List<String> args) {
        if (args.isEmpty()) {
            return linkShow(s, args);
        }
        String verb = args.get(0);
        if (matches(verb, "set") || matches(verb, "change")) {
            return linkModify(s, args.subList(1, args.size()));
        }
        if (matches(verb, "show") || matches(verb, "lst") || matches(verb, "list")) {
            return linkShow(s, args.subList(1, args.size()));
        }
        if (matches(verb, "help")) {
            s.err().print(LINK_USAGE);
            throw new Exit(255);
        }
        s.err().print("Command \"" + verb + "\" is unknown, try \"bridge link help\".\n");
        throw new Exit(255);
    }

    private static final List<String> ON_OFF_KEYS = List.of("guard", "hairpin", "fastleave", "root_block",
            "learning", "learning_sync", "flood", "mcast_flood", "bcast_flood", "mcast_to_unicast",
            "neigh_suppress", "vlan_tunnel", "isolated", "locked");

    /** {@code brlink_modify}'s attribute order: flags first, then cost, priority and state. */
    private static final List<String> FLAG_ORDER = List.of("guard", "hairpin", "fastleave", "root_block",
            "flood", "mcast_flood", "bcast_flood", "mcast_to_unicast", "learning", "learning_sync",
            "neigh_suppress", "vlan_tunnel", "isolated", "locked");

    private static final String[] STP_STATES = {"disabled", "listening", "learning", "forwarding", "blocking"};

    /**
     * {@code brlink_modify}: an {@code RTM_SETLINK} of the {@code PF_BRIDGE} family with the
     * port's {@code IFLA_PROTINFO}; the kernel's {@code br_setport} applies the flags, then the
     * cost, the priority and the state.
     */
    private static int linkModify(IpSession s, List<String> args) {
        String d = null;
        java.util.Map<String, Boolean> flags = new java.util.LinkedHashMap<>();
        long cost = 0;
        int priority = -1;
        int state = -1;
        boolean self = false;
        boolean master = false;
        for (int i = 0; i < args.size(); i++) {
            String w = args.get(i);
            if (w.equals("dev")) {
                d = nextArg(s, args, ++i);
            } else if (ON_OFF_KEYS.contains(w)) {
                String v = nextArg(s, args, ++i);
                if (matches(v, "on")) {
                    flags.put(w, true);
                } else if (matches(v, "off")) {
                    flags.put(w, false);
                } else {
                    s.err().print("Error: argument of \"" + w + "\" must be one of \"off\", \"on\", not \"" + v + "\"\n");
                    return -22;
                }
            } else if (w.equals("cost")) {
                cost = CNumbers.atoi(nextArg(s, args, ++i)) & 0xFFFFFFFFL;
            } else if (w.equals("priority")) {
                priority = (short) CNumbers.atoi(nextArg(s, args, ++i));
            } else if (w.equals("state")) {
                String v = nextArg(s, args, ++i);
                // strtol, then the __s8 it is kept in (-1: no state is sent)
                CNumbers.Parsed n = CNumbers.strtol(v, 10);
                if (!v.isEmpty() && n.end() == v.length()) {
                    state = (byte) n.value().longValue();
                } else {
                    state = -1;
                    for (int k = 0; k < STP_STATES.length; k++) {
                        if (STP_STATES[k].equals(v)) {
                            state = k;
                        }
                    }
                    if (state == -1) {
                        s.err().print("Error: invalid STP port state\n");
                        return -1;
                    }
                }
            } else if (w.equals("mcast_router") || w.equals("hwmode") || w.equals("backup_port")
                    || w.equals("nobackup_port")) {
                s.err().print("ipsim: bridge link set " + w + " is not simulated yet\n");
                return -1;
            } else if (w.equals("self")) {
                self = true;
            } else if (w.equals("master")) {
                master = true;
            } else {
                s.err().print(LINK_USAGE);
                throw new Exit(255);
            }
        }
        if (d == null) {
            s.err().print("Device is a required argument.\n");
            return -1;
        }
        NetDevice dev = device(s, d);
        if (dev == null) {
            s.err().print("Cannot find bridge device \"" + d + "\"\n");
            return -1;
        }
        try {
            // rtnl_bridge_setlink: the master's br_setlink for a port; a device's own
            // ndo_bridge_setlink for self, which only a bridge has
            Bridge br = bridgeOf(dev);
            boolean toMaster = master || !self;
            if (toMaster && br == null) {
                throw new KernelException(Errno.ENOTSUP);
            }
            if (self && !(dev instanceof Bridge)) {
                throw new KernelException(Errno.ENOTSUP);
            }
            if (self) {
                // br_setlink on the bridge itself: IFLA_PROTINFO is for ports, and is ignored
                return 0;
            }
            BridgePort port = br.port(dev);
            for (String key : FLAG_ORDER) {
                Boolean on = flags.get(key);
                if (on == null) {
                    continue;
                }
                BridgePort.Flag f = switch (key) {
                    case "guard" -> BridgePort.Flag.GUARD;
                    case "hairpin" -> BridgePort.Flag.HAIRPIN;
                    case "fastleave" -> BridgePort.Flag.FAST_LEAVE;
                    case "root_block" -> BridgePort.Flag.ROOT_BLOCK;
                    case "flood" -> BridgePort.Flag.UNICAST_FLOOD;
                    case "mcast_flood" -> BridgePort.Flag.MCAST_FLOOD;
                    case "bcast_flood" -> BridgePort.Flag.BCAST_FLOOD;
                    case "mcast_to_unicast" -> BridgePort.Flag.MCAST_TO_UNICAST;
                    case "learning" -> BridgePort.Flag.LEARNING;
                    case "neigh_suppress" -> BridgePort.Flag.NEIGH_SUPPRESS;
                    case "vlan_tunnel" -> BridgePort.Flag.VLAN_TUNNEL;
                    case "isolated" -> BridgePort.Flag.ISOLATED;
                    case "locked" -> BridgePort.Flag.LOCKED;
                    default -> null; // learning_sync: br_setport does not read it
                };
                if (f == null) {
                    continue;
                }
                br.setPortFlag(port, f, on);
            }
            if (cost != 0) {
                br.setPathCost(port, cost);
            }
            if (priority >= 0) {
                br.setPortPriority(port, priority);
            }
            if (state >= 0) {
                br.setPortState(port, state);
            }
        } catch (KernelException e) {
            s.printKernelError(e);
            return -1;
        }
        return 0;
    }

    /** {@code brlink_show}: the ports of every bridge, as the {@code PF_BRIDGE} link dump gives them. */
    private static int linkShow(IpSession s, List<String> args) {
        String filterDev = null;
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("dev")) {
                if (i + 1 >= args.size()) {
                    s.messages().incompleteCommand();
                }
                i++;
                if (filterDev != null) {
                    s.messages().duplicateArgument("dev", args.get(i));
                }
                filterDev = args.get(i);
            }
        }
        int filterIndex = 0;
        if (filterDev != null) {
            NetDevice d = device(s, filterDev);
            if (d == null) {
                s.messages().cannotFindDevice(filterDev);
                return -1;
            }
            filterIndex = d.ifindex();
        }
        Printer p = s.printer();
        LinkPrinter lp = new LinkPrinter(s, p, true);
        p.beginJson();
        List<NetDevice> ports = new ArrayList<>();
        for (NetDevice dev : s.netns().devices()) {
            if (bridgeOf(dev) != null) {
                // br_fill_ifinfo gives the link's namespace an id, as a link dump does
                s.netns().linkNetnsid(dev);
                ports.add(dev);
            }
        }
        for (NetDevice dev : ports) {
            if (filterIndex != 0 && dev.ifindex() != filterIndex) {
                continue;
            }
            BridgePort port = bridgeOf(dev).port(dev);
            p.openObject(null);
            p.integer(Kind.ANY, "ifindex", "%d: ", dev.ifindex());
            boolean mdown = lp.nameAndLink("%s: ", dev);
            lp.flags(dev.flags(), mdown);
            p.integer(Kind.ANY, "mtu", "mtu %d ", dev.mtu());
            p.string(Kind.ANY, "master", "master %s ", dev.master().name());
            p.string(Kind.ANY, "state", "state %s ", port.state().label());
            p.unsigned(Kind.ANY, "priority", "priority %s ", port.priority());
            p.unsigned(Kind.ANY, "cost", "cost %s ", port.pathCost());
            if (s.options().details > 0) {
                p.text(p.lineSeparator() + "    ");
                onOff(p, "hairpin", port.hairpin());
                onOff(p, "guard", port.guard());
                onOff(p, "root_block", port.rootBlock());
                onOff(p, "fastleave", port.fastLeave());
                onOff(p, "learning", port.learning());
                onOff(p, "flood", port.flood());
                onOff(p, "mcast_flood", port.multicastFlood());
                onOff(p, "bcast_flood", port.broadcastFlood());
                p.unsigned(Kind.ANY, "mcast_router", "mcast_router %s ", 1);
                onOff(p, "mcast_to_unicast", port.multicastToUnicast());
                onOff(p, "neigh_suppress", port.neighSuppress());
                onOff(p, "vlan_tunnel", port.vlanTunnel());
                onOff(p, "isolated", port.isolated());
                onOff(p, "locked", port.locked());
            }
            p.string(Kind.TEXT, null, "%s", "\n");
            p.closeObject();
        }
        p.endJson();
        s.flush(p);
        return 0;
    }

    private static void onOff(Printer p, String key, boolean on) {
        p.bool(Kind.JSON, key, null, on);
        p.string(Kind.TEXT, null, key + " %s ", on ? "on" : "off");
    }

    // ------------------------------------------------------------------ fdb

    private static int fdb(IpSession s, List<String> args) {
        if (args.isEmpty()) {
            return fdbShow(s, args);
        }
        String verb = args.get(0);
        if (matches(verb, "add")) {
            return fdbModify(s, args.subList(1, args.size()), true, true, false);
        }
        if (matches(verb, "append")) {
            return fdbModify(s, args.subList(1, args.size()), true, false, false);
        }
        if (matches(verb, "replace")) {
            return fdbModify(s, args.subList(1, args.size()), true, false, false);
        }
        if (matches(verb, "delete")) {
            return fdbModify(s, args.subList(1, args.size()), false, false, true);
        }
        if (matches(verb, "get")) {
            s.err().print("ipsim: bridge fdb get is not simulated yet\n");
            return -1;
        }
        if (matches(verb, "show") || matches(verb, "lst") || matches(verb, "list")) {
            return fdbShow(s, args.subList(1, args.size()));
        }
        if (verb.equals("flush")) {
            s.err().print("ipsim: bridge fdb flush is not simulated yet\n");
            return -1;
        }
        if (matches(verb, "help")) {
            s.err().print(FDB_USAGE);
            throw new Exit(255);
        }
        s.err().print("Command \"" + verb + "\" is unknown, try \"bridge fdb help\".\n");
        throw new Exit(255);
    }

    /**
     * {@code fdb_modify}: {@code RTM_NEWNEIGH} (add: create, exclusive; append and replace:
     * create) or {@code RTM_DELNEIGH}, then the kernel's {@code rtnl_fdb_add}/{@code rtnl_fdb_del}:
     * {@code master} (or no flag) goes to the bridge of a port, {@code self} to the device's own
     * address lists ({@code ndo_dflt_fdb_add}) or, on a bridge, to its portless entries.
     */
    private static int fdbModify(IpSession s, List<String> args, boolean create, boolean exclusive, boolean delete) {
        String d = null;
        String addr = null;
        boolean self = false;
        boolean master = false;
        int state = NUD_NOARP;
        int vid = -1;
        for (int i = 0; i < args.size(); i++) {
            String w = args.get(i);
            if (w.equals("dev")) {
                d = nextArg(s, args, ++i);
            } else if (w.equals("dst") || w.equals("nhid") || w.equals("port") || w.equals("vni")
                    || w.equals("src_vni") || w.equals("via")) {
                s.err().print("ipsim: bridge fdb " + w + " (VXLAN entries) is not simulated yet\n");
                return -1;
            } else if (w.equals("self")) {
                self = true;
            } else if (matches(w, "master")) {
                master = true;
            } else if (matches(w, "router") || matches(w, "use") || matches(w, "extern_learn")
                    || matches(w, "sticky")) {
                s.err().print("ipsim: bridge fdb " + w + " is not simulated yet\n");
                return -1;
            } else if (matches(w, "local") || matches(w, "permanent")) {
                state |= NUD_PERMANENT;
            } else if (matches(w, "temp") || matches(w, "static")) {
                state |= NUD_REACHABLE;
            } else if (matches(w, "dynamic")) {
                state |= NUD_REACHABLE;
                state &= ~NUD_NOARP;
            } else if (matches(w, "vlan")) {
                if (vid >= 0) {
                    s.messages().duplicateOrGarbage("vlan", w);
                }
                vid = (short) CNumbers.atoi(nextArg(s, args, ++i));
            } else {
                if (w.equals("to")) {
                    w = nextArg(s, args, ++i);
                }
                if (matches(w, "help")) {
                    s.err().print(FDB_USAGE);
                    throw new Exit(255);
                }
                if (addr != null) {
                    s.messages().duplicateOrGarbage("to", w);
                }
                addr = w;
            }
        }
        if (d == null || addr == null) {
            s.err().print("Device and address are required arguments.\n");
            return -1;
        }
        if (!self && !master) {
            self = true;
        }
        if ((state & (NUD_PERMANENT | NUD_REACHABLE)) == 0) {
            state |= NUD_PERMANENT;
        }
        MacAddress mac = sscanfMac(addr);
        if (mac == null) {
            s.err().print("Invalid mac address " + addr + "\n");
            return -1;
        }
        NetDevice dev = device(s, d);
        if (dev == null) {
            s.messages().cannotFindDevice(d);
            return -1;
        }
        try {
            rtnlFdb(dev, mac, state, vid, self, master, create, exclusive, delete);
        } catch (KernelException e) {
            s.printKernelError(e);
            return -1;
        }
        return 0;
    }

    private static String nextArg(IpSession s, List<String> args, int i) {
        if (i >= args.size()) {
            s.messages().incompleteCommand();
        }
        return args.get(i);
    }

    /** {@code sscanf(addr, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx")}: six hex fields, trailing text ignored. */
    private static MacAddress sscanfMac(String addr) {
        byte[] b = new byte[6];
        int at = 0;
        for (int k = 0; k < 6; k++) {
            if (k > 0) {
                if (at >= addr.length() || addr.charAt(at) != ':') {
                    return null;
                }
                at++;
            }
            while (at < addr.length() && Character.isWhitespace(addr.charAt(at))) {
                at++;
            }
            int start = at;
            if (at < addr.length() && (addr.charAt(at) == '+' || addr.charAt(at) == '-')) {
                at++;
            }
            if (at + 1 < addr.length() && addr.charAt(at) == '0' && (addr.charAt(at + 1) == 'x' || addr.charAt(at + 1) == 'X')
                    && at + 2 < addr.length() && Character.digit(addr.charAt(at + 2), 16) >= 0) {
                at += 2;
            }
            long v = 0;
            int digits = 0;
            while (at < addr.length() && Character.digit(addr.charAt(at), 16) >= 0) {
                v = v * 16 + Character.digit(addr.charAt(at), 16);
                at++;
                digits++;
            }
            if (digits == 0) {
                return null;
            }
            if (addr.charAt(start) == '-') {
                v = -v;
            }
            b[k] = (byte) v;
        }
        return MacAddress.ofBytes(b, 0);
    }

    /** {@code rtnl_fdb_add} / {@code rtnl_fdb_del}. */
    private static void rtnlFdb(NetDevice dev, MacAddress mac, int state, int vid, boolean self, boolean master,
                                boolean create, boolean exclusive, boolean delete) {
        if (dev.hardwareType() != NetDevice.ARPHRD_ETHER) {
            throw new KernelException(Errno.EINVAL, delete ? "FDB delete only supported for Ethernet devices"
                    : "FDB add only supported for Ethernet devices");
        }
        // fdb_vid_parse: an NDA_VLAN (iproute2 sends one for a vid of 0 or more) must be a VLAN
        if (vid == 0 || vid >= 4095) {
            throw new KernelException(Errno.EINVAL, "invalid vlan id");
        }
        vid = Math.max(vid, 0);
        KernelException err = new KernelException(Errno.ENOTSUP);
        boolean done = false;
        Bridge br = bridgeOf(dev);
        if (master && br != null) {
            if (delete) {
                br.fdbDelete(dev, mac, vid);
            } else {
                br.fdbAdd(dev, mac, state, vid, create, exclusive);
            }
            done = true;
        }
        if (self) {
            if (dev instanceof Bridge b) {
                if (delete) {
                    b.fdbDelete(b, mac, vid);
                } else {
                    b.fdbAdd(b, mac, state, vid, create, exclusive);
                }
            } else {
                defaultFdb(dev, mac, state, vid, exclusive, delete);
            }
            done = true;
        }
        if (!done) {
            throw err;
        }
    }

    /** {@code ndo_dflt_fdb_add} / {@code ndo_dflt_fdb_del}: the device's own unicast or multicast list. */
    private static void defaultFdb(NetDevice dev, MacAddress mac, int state, int vid, boolean exclusive,
                                   boolean delete) {
        if (delete ? (state & NUD_PERMANENT) == 0 : state != 0 && (state & NUD_PERMANENT) == 0) {
            throw new KernelException(Errno.EINVAL);
        }
        if (vid != 0) {
            throw new KernelException(Errno.EINVAL);
        }
        boolean unicast = !mac.isMulticast() || (mac.bits() & ~0xFL) == 0x0180_C200_0000L;
        try {
            if (delete) {
                if (unicast) {
                    dev.deleteUnicast(mac);
                } else {
                    dev.deleteMulticastOrFail(mac);
                }
            } else if (unicast) {
                dev.addUnicastExclusive(mac);
            } else {
                dev.addMulticastExclusive(mac);
            }
        } catch (KernelException e) {
            if (!(e.errno() == Errno.EEXIST && !exclusive && !delete)) {
                throw e;
            }
        }
    }

    /** One {@code RTM_NEWNEIGH} of an {@code AF_BRIDGE} dump. */
    private record FdbLine(MacAddress mac, NetDevice dev, boolean self, NetDevice master, int state,
                           long usedClock, long updatedClock, boolean cacheInfo) {
    }

    /** {@code state_a2n}. */
    private static Integer stateBits(String arg) {
        if (matches(arg, "permanent")) {
            return NUD_PERMANENT;
        }
        if (matches(arg, "static") || matches(arg, "temp")) {
            return NUD_NOARP;
        }
        if (matches(arg, "stale")) {
            return NUD_STALE;
        }
        if (matches(arg, "reachable") || matches(arg, "dynamic")) {
            return NUD_REACHABLE;
        }
        if (arg.equals("all")) {
            return ~0;
        }
        Long v = CNumbers.getUnsigned(arg, 0);
        return v == null ? null : v.intValue();
    }

    /** {@code fdb_show} over the kernel's {@code rtnl_fdb_dump}. */
    private static int fdbShow(IpSession s, List<String> args) {
        String filterDev = null;
        String br = null;
        int filterState = 0;
        boolean filterDynamic = false;
        int filterVlan = 0;
        for (int i = 0; i < args.size(); i++) {
            String w = args.get(i);
            if (w.equals("brport") || w.equals("dev") || w.equals("br") || w.equals("vlan") || w.equals("state")) {
                if (i + 1 >= args.size()) {
                    s.messages().incompleteCommand();
                }
                String v = args.get(++i);
                switch (w) {
                    case "br" -> br = v;
                    case "vlan" -> {
                        if (filterVlan != 0) {
                            s.messages().duplicateArgument("vlan", v);
                        }
                        filterVlan = CNumbers.atoi(v);
                    }
                    case "state" -> {
                        Integer bits = stateBits(v);
                        if (bits == null) {
                            s.messages().invalidArgument("invalid state", v);
                        }
                        filterState |= bits;
                    }
                    default -> filterDev = v;
                }
            } else if (w.equals("dynamic")) {
                filterDynamic = true;
            } else if (matches(w, "help")) {
                s.err().print(FDB_USAGE);
                throw new Exit(255);
            }
        }
        NetDevice brFilter = null;
        if (br != null) {
            brFilter = device(s, br);
            if (brFilter == null) {
                s.err().print("Cannot find bridge device \"" + br + "\"\n");
                return -1;
            }
        }
        int filterIndex = 0;
        if (filterDev != null) {
            NetDevice d = device(s, filterDev);
            if (d == null) {
                s.messages().cannotFindDevice(filterDev);
                return -1;
            }
            filterIndex = d.ifindex();
        }
        List<FdbLine> lines = dump(s.netns(), filterIndex, brFilter);
        Printer p = s.printer();
        p.beginJson();
        for (FdbLine l : lines) {
            if (filterState != 0 && (l.state() & filterState) == 0) {
                continue;
            }
            if (filterVlan != 0) {
                continue; // no entry has a VLAN on this kernel
            }
            if (filterDynamic && (l.state() & NUD_PERMANENT) != 0) {
                continue;
            }
            p.openObject(null);
            p.colorString(Kind.ANY, Printer.Color.MAC, "mac", "%s ", l.mac().toString());
            if (filterIndex == 0) {
                p.text("dev ");
                p.colorString(Kind.ANY, Printer.Color.IFNAME, "ifname", "%s ", l.dev().name());
            }
            if (s.options().stats > 0 && l.cacheInfo()) {
                if (p.inJson()) {
                    p.unsigned(Kind.JSON, "used", null, l.usedClock() / 100);
                    p.unsigned(Kind.JSON, "updated", null, l.updatedClock() / 100);
                } else {
                    p.text("used " + l.usedClock() / 100 + "/" + l.updatedClock() / 100 + " ");
                }
            }
            p.openArray(Kind.JSON, "flags");
            if (l.self()) {
                p.string(Kind.ANY, null, "%s ", "self");
            }
            p.closeArray(Kind.JSON, null);
            if (l.master() != null) {
                p.string(Kind.ANY, "master", "master %s ", l.master().name());
            }
            p.string(Kind.ANY, "state", "%s\n", stateName(l.state(), p.inJson()));
            p.closeObject();
        }
        p.endJson();
        s.flush(p);
        return 0;
    }

    /** {@code state_n2a}. */
    private static String stateName(int state, boolean json) {
        if ((state & NUD_PERMANENT) != 0) {
            return "permanent";
        }
        if ((state & NUD_NOARP) != 0) {
            return "static";
        }
        if ((state & NUD_STALE) != 0) {
            return "stale";
        }
        if ((state & NUD_REACHABLE) != 0) {
            return "";
        }
        return (json ? "" : "state=") + "0x" + Integer.toHexString(state);
    }

    /**
     * {@code rtnl_fdb_dump}: device by device in ifindex order, a port's entries in its
     * bridge's database, then each device's own address lists ({@code ndo_dflt_fdb_dump}); a
     * bridge lists its own address lists and the entries that belong to no port.
     */
    private static List<FdbLine> dump(NetNamespace ns, int brportIndex, NetDevice brFilter) {
        List<FdbLine> out = new ArrayList<>();
        long now = Jiffies.now(ns.kernel().clock());
        for (NetDevice dev : ns.devices()) {
            if (brportIndex != 0 && dev.ifindex() != brportIndex) {
                continue;
            }
            Bridge portOf = bridgeOf(dev);
            Bridge cops = null;
            if (brFilter == null) {
                cops = portOf;
            } else {
                if (dev != brFilter && portOf == null) {
                    continue;
                }
                if (brFilter != dev.master() && !(dev instanceof Bridge)) {
                    continue;
                }
                cops = brFilter instanceof Bridge b ? b : null;
            }
            if (portOf != null && cops != null) {
                bridgeEntries(out, cops, dev, now);
            }
            if (dev instanceof Bridge b) {
                bridgeEntries(out, b, null, now);
            } else {
                selfEntries(out, dev);
            }
        }
        return out;
    }

    /** {@code ndo_dflt_fdb_dump}: the device's unicast and multicast lists, Ethernet devices only. */
    private static void selfEntries(List<FdbLine> out, NetDevice dev) {
        if (dev.hardwareType() != NetDevice.ARPHRD_ETHER) {
            return;
        }
        for (MacAddress m : dev.unicastAddresses()) {
            out.add(new FdbLine(m, dev, true, null, NUD_PERMANENT, 0, 0, false));
        }
        for (MacAddress m : dev.multicastAddresses()) {
            out.add(new FdbLine(m, dev, true, null, NUD_PERMANENT, 0, 0, false));
        }
    }

    /** {@code br_fdb_dump}: a port's entries, or (no port) the bridge's own lists and its portless entries. */
    private static void bridgeEntries(List<FdbLine> out, Bridge br, NetDevice filterDev, long now) {
        if (filterDev == null) {
            selfEntries(out, br);
        }
        for (FdbEntry f : br.fdb()) {
            NetDevice at = f.port() == null ? null : f.port().device();
            if (filterDev != null && at != filterDev) {
                continue;
            }
            if (filterDev == null && at != null) {
                continue;
            }
            int state;
            if (f.isLocal()) {
                state = NUD_PERMANENT;
            } else if (f.isStatic()) {
                state = NUD_NOARP;
            } else if (f.updatedJiffies() + Bridge.AGEING_TIME <= now) {
                state = NUD_STALE;
            } else {
                state = NUD_REACHABLE;
            }
            out.add(new FdbLine(f.address(), at == null ? br : at, false, br, state,
                    clock(now - f.usedJiffies()), clock(now - f.updatedJiffies()), true));
        }
    }

    private static long clock(long jiffies) {
        return jiffies * 100 / Jiffies.HZ;
    }

    // ------------------------------------------------------------------ vlan, mdb, monitor

    /** {@code vlan_show}: this kernel has no VLAN filtering, so every listing is the header alone. */
    private static int vlan(IpSession s, List<String> args) {
        if (!args.isEmpty()) {
            String verb = args.get(0);
            if (matches(verb, "show") || matches(verb, "lst") || matches(verb, "list")) {
                args = args.subList(1, args.size());
            } else if (matches(verb, "add") || matches(verb, "delete")) {
                return vlanModify(s, args.subList(1, args.size()), matches(verb, "add"));
            } else if (matches(verb, "set")
                    || verb.equals("global") || matches(verb, "tunnelshow")) {
                s.err().print("ipsim: bridge vlan " + verb + " is not simulated yet\n");
                return -1;
            } else if (matches(verb, "help")) {
                s.err().print("ipsim: bridge vlan help is not simulated yet\n");
                return -1;
            } else {
                s.err().print("Command \"" + verb + "\" is unknown, try \"bridge vlan help\".\n");
                throw new Exit(255);
            }
        }
        String filterDev = null;
        for (int i = 0; i < args.size(); i++) {
            String w = args.get(i);
            if (w.equals("dev") || w.equals("vid")) {
                if (i + 1 >= args.size()) {
                    s.messages().incompleteCommand();
                }
                i++;
                if (w.equals("dev")) {
                    if (filterDev != null) {
                        s.messages().duplicateArgument("dev", args.get(i));
                    }
                    filterDev = args.get(i);
                }
            }
        }
        if (filterDev != null && device(s, filterDev) == null) {
            s.messages().cannotFindDevice(filterDev);
            return -1;
        }
        Printer p = s.printer();
        p.beginJson();
        if (s.options().details > 0) {
            if (!p.inJson()) {
                p.text(String.format("%-16s  %-9s\n", "port", "vlan-id"));
            }
            s.write(p);
            // RTM_GETVLAN: no VLAN database without VLAN filtering built in
            s.err().print("RTNETLINK answers: Operation not supported\nDump terminated\n");
            throw new Exit(1);
        }
        if (s.options().stats > 0) {
            if (!p.inJson()) {
                p.text(String.format("%-16s  vlan-id\n", "port"));
            }
        } else if (!p.inJson()) {
            p.text(String.format("%-16s  %-9s\n", "port", "vlan-id"));
        }
        p.endJson();
        s.flush(p);
        return 0;
    }

    /**
     * {@code vlan_modify}, then {@code rtnl_bridge_setlink}/{@code dellink}: this kernel has no
     * VLAN filtering, so adding is refused and deleting a VLAN nobody has succeeds quietly
     * ({@code br_vlan_info} ignores what {@code nbp_vlan_delete} says).
     */
    private static int vlanModify(IpSession s, List<String> args, boolean add) {
        String d = null;
        int vid = -1;
        int vidEnd = -1;
        boolean range = false;
        boolean pvid = false;
        boolean self = false;
        boolean master = false;
        for (int i = 0; i < args.size(); i++) {
            String w = args.get(i);
            if (w.equals("dev")) {
                d = nextArg(s, args, ++i);
            } else if (w.equals("vid")) {
                String v = nextArg(s, args, ++i);
                int dash = v.indexOf('-');
                if (dash >= 0) {
                    vid = (short) CNumbers.atoi(v.substring(0, dash));
                    vidEnd = (short) CNumbers.atoi(v.substring(dash + 1));
                    range = true;
                } else {
                    vid = (short) CNumbers.atoi(v);
                }
            } else if (w.equals("self")) {
                self = true;
            } else if (w.equals("master")) {
                master = true;
            } else if (w.equals("pvid")) {
                pvid = true;
            } else if (w.equals("untagged")) {
                continue;
            } else if (w.equals("tunnel_info")) {
                s.err().print("ipsim: bridge vlan tunnel_info is not simulated yet\n");
                return -1;
            } else if (matches(w, "help")) {
                // vlan_modify skips the word after help, and any other word
                nextArg(s, args, ++i);
            }
        }
        if (d == null || vid == -1) {
            s.err().print("Device and VLAN ID are required arguments.\n");
            return -1;
        }
        NetDevice dev = device(s, d);
        if (dev == null) {
            s.err().print("Cannot find bridge device \"" + d + "\"\n");
            return -1;
        }
        if (vid >= 4096) {
            s.err().print("Invalid VLAN ID \"" + (vid & 0xFFFF) + "\"\n");
            return -1;
        }
        if (range) {
            if (vidEnd == -1 || vidEnd >= 4096 || vid >= vidEnd) {
                s.err().print("Invalid VLAN range \"" + (vid & 0xFFFF) + "-" + (vidEnd & 0xFFFF) + "\"\n");
                return -1;
            }
            if (pvid) {
                s.err().print("pvid cannot be configured for a vlan range\n");
                return -1;
            }
        }
        // rtnl_bridge_setlink/dellink: the master bridge of a port, or with self a bridge itself
        boolean toMaster = master || !self;
        if ((toMaster && bridgeOf(dev) == null) || (self && !(dev instanceof Bridge))) {
            s.err().print("RTNETLINK answers: Operation not supported\n");
            return -1;
        }
        // br_process_vlan_info: VLAN 0 and 4095 (and what a negative number wraps to) are not VLANs
        // VLAN 0 and 4095 (and what a negative number wraps to) are not VLANs: adding, br_afspec's
        // br_process_vlan_info says so; deleting, it is refused before that
        int first = vid & 0xFFFF;
        if (first == 0 || first >= 4095 || (range && vidEnd >= 4095)) {
            s.err().print(add ? "Error: bridge: Vlan id is invalid.\n" : "RTNETLINK answers: Invalid argument\n");
            return -1;
        }
        if (add) {
            s.err().print("RTNETLINK answers: Operation not supported\n");
            return -1;
        }
        return 0;
    }

    /** {@code mdb_show}: multicast snooping keeps no groups in this model, so there is nothing to list. */
    private static int mdb(IpSession s, List<String> args) {
        if (!args.isEmpty() && !(matches(args.get(0), "show") || matches(args.get(0), "lst")
                || matches(args.get(0), "list"))) {
            s.err().print("ipsim: bridge mdb " + args.get(0) + " is not simulated yet\n");
            return -1;
        }
        if (s.options().json > 0) {
            s.err().print("ipsim: bridge -j mdb is not simulated yet\n");
            return -1;
        }
        return 0;
    }

    private static int monitor(IpSession s, List<String> args) {
        for (String w : args) {
            if (!List.of("link", "fdb", "mdb", "vlan", "vni", "all").contains(w) && !matches(w, "help")) {
                s.err().print("Argument \"" + w + "\" is unknown, try \"bridge monitor help\".\n");
                throw new Exit(255);
            }
        }
        s.err().print("ipsim: bridge monitor is not simulated yet\n");
        return -1;
    }
}
