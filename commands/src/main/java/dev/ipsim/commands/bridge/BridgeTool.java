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
            s.err().print("ipsim: bridge link set is not simulated yet\n");
            return -1;
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
                onOff(p, "hairpin", false);
                onOff(p, "guard", false);
                onOff(p, "root_block", false);
                onOff(p, "fastleave", false);
                onOff(p, "learning", port.learning());
                onOff(p, "flood", port.flood());
                onOff(p, "mcast_flood", port.multicastFlood());
                onOff(p, "bcast_flood", port.broadcastFlood());
                p.unsigned(Kind.ANY, "mcast_router", "mcast_router %s ", 1);
                onOff(p, "mcast_to_unicast", false);
                onOff(p, "neigh_suppress", false);
                onOff(p, "vlan_tunnel", false);
                onOff(p, "isolated", false);
                onOff(p, "locked", false);
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
        for (String modify : List.of("add", "append", "replace", "delete", "get")) {
            if (matches(verb, modify)) {
                s.err().print("ipsim: bridge fdb " + modify + " is not simulated yet\n");
                return -1;
            }
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
        Long v = dev.ipsim.commands.cli.CNumbers.getUnsigned(arg, 0);
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
                        filterVlan = dev.ipsim.commands.cli.CNumbers.atoi(v);
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
            } else if (matches(verb, "add") || matches(verb, "delete") || matches(verb, "set")
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
