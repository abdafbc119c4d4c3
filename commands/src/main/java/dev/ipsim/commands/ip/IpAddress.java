package dev.ipsim.commands.ip;

import static dev.ipsim.commands.cli.Matching.matches;

import dev.ipsim.commands.Exit;
import dev.ipsim.commands.cli.Args;
import dev.ipsim.commands.cli.CNumbers;
import dev.ipsim.commands.output.Printer;
import dev.ipsim.kernel.Errno;
import dev.ipsim.kernel.KernelException;
import dev.ipsim.kernel.Scope;
import dev.ipsim.kernel.addr.IpPrefix;
import dev.ipsim.kernel.addr.Ipv4Address;
import dev.ipsim.kernel.addr.Ipv6Address;
import dev.ipsim.kernel.ipv4.AddressFlags;
import dev.ipsim.kernel.ipv4.InetIfAddr;
import dev.ipsim.kernel.ipv4.Ipv4;
import dev.ipsim.kernel.ipv6.Inet6IfAddr;
import dev.ipsim.kernel.link.DeviceFlags;
import dev.ipsim.kernel.link.NetDevice;
import java.util.ArrayList;
import java.util.List;

/** {@code ip address} ({@code ip/ipaddress.c do_ipaddr}), and the listing {@code ip link show} shares. */
final class IpAddress {

    static final String USAGE = """
            Usage: ip address {add|change|replace} IFADDR dev IFNAME [ LIFETIME ]
                                                                  [ CONFFLAG-LIST ]
                   ip address del IFADDR dev IFNAME [mngtmpaddr]
                   ip address {save|flush} [ dev IFNAME ] [ scope SCOPE-ID ]
                                        [ to PREFIX ] [ FLAG-LIST ] [ label LABEL ] [up]
                   ip address [ show [ dev IFNAME ] [ scope SCOPE-ID ] [ master DEVICE ]
                                     [ nomaster ]
                                     [ type TYPE ] [ to PREFIX ] [ FLAG-LIST ]
                                     [ label LABEL ] [up] [ vrf NAME ] ]
                   ip address {showdump|restore}
            IFADDR := PREFIX | ADDR peer PREFIX
                      [ broadcast ADDR ] [ anycast ADDR ]
                      [ label IFNAME ] [ scope SCOPE-ID ] [ metric METRIC ]
            SCOPE-ID := [ host | link | global | NUMBER ]
            FLAG-LIST := [ FLAG-LIST ] FLAG
            FLAG  := [ permanent | dynamic | secondary | primary |
                       [-]tentative | [-]deprecated | [-]dadfailed | temporary |
                       CONFFLAG-LIST ]
            CONFFLAG-LIST := [ CONFFLAG-LIST ] CONFFLAG
            CONFFLAG  := [ home | nodad | mngtmpaddr | noprefixroute | autojoin ]
            LIFETIME := [ valid_lft LFT ] [ preferred_lft LFT ]
            LFT := forever | SECONDS
            TYPE := { amt | bareudp | bond | bond_slave | bridge | bridge_slave |
                      dsa | dummy | erspan | geneve | gre | gretap | gtp | ifb |
                      ip6erspan | ip6gre | ip6gretap | ip6tnl |
                      ipip | ipoib | ipvlan | ipvtap |
                      macsec | macvlan | macvtap |
                      netdevsim | nlmon | rmnet | sit | team | team_slave |
                      vcan | veth | vlan | vrf | vti | vxcan | vxlan | wwan |
                      xfrm | virt_wifi }
            """;

    private IpAddress() {
    }

    static int usage(IpSession s) {
        s.err().print(USAGE);
        throw new Exit(255);
    }

    /** {@code do_ipaddr}: verbs in first-match order. */
    static int run(IpSession s, List<String> args) {
        if (args.isEmpty()) {
            return list(s, args, Action.LIST, false);
        }
        String verb = args.get(0);
        List<String> rest = args.subList(1, args.size());
        if (matches(verb, "add")) {
            return modify(s, rest, Mode.ADD);
        }
        if (matches(verb, "change") || verb.equals("chg")) {
            return modify(s, rest, Mode.CHANGE);
        }
        if (matches(verb, "replace")) {
            return modify(s, rest, Mode.REPLACE);
        }
        if (matches(verb, "delete")) {
            return modify(s, rest, Mode.DELETE);
        }
        if (matches(verb, "list") || matches(verb, "show") || matches(verb, "lst")) {
            return list(s, rest, Action.LIST, false);
        }
        if (matches(verb, "flush")) {
            return list(s, rest, Action.FLUSH, false);
        }
        if (matches(verb, "help")) {
            return usage(s);
        }
        s.err().print("Command \"" + verb + "\" is unknown, try \"ip address help\".\n");
        throw new Exit(255);
    }

    enum Action {
        LIST, FLUSH
    }

    /** The listing filter ({@code struct link_filter}). */
    static final class Filter {
        int family;
        int ifindex;
        int scope;
        int scopeMask;
        int flags;
        int flagMask;
        boolean up;
        String label;
        int group = -1;
        int master;
        String kind;
        String slaveKind;
        InetArg prefix;
        boolean oneline;
    }

    /** {@code get_filter}: a flag-list word; false when the word is not one. */
    private static boolean flagFilter(Filter f, String arg) {
        boolean inv = false;
        if (arg.startsWith("-")) {
            inv = true;
            arg = arg.substring(1);
        }
        if (arg.equals("dynamic")) {
            inv = !inv;
            arg = "permanent";
        } else if (arg.equals("primary")) {
            inv = !inv;
            arg = "secondary";
        }
        int mask = switch (arg) {
            case "secondary", "temporary" -> AddressFlags.SECONDARY;
            case "nodad" -> AddressFlags.NODAD;
            case "optimistic" -> AddressFlags.OPTIMISTIC;
            case "dadfailed" -> AddressFlags.DADFAILED;
            case "home" -> AddressFlags.HOMEADDRESS;
            case "deprecated" -> AddressFlags.DEPRECATED;
            case "tentative" -> AddressFlags.TENTATIVE;
            case "permanent" -> AddressFlags.PERMANENT;
            case "mngtmpaddr" -> AddressFlags.MANAGETEMPADDR;
            case "noprefixroute" -> AddressFlags.NOPREFIXROUTE;
            case "autojoin" -> AddressFlags.MCAUTOJOIN;
            case "stable-privacy" -> AddressFlags.STABLE_PRIVACY;
            default -> 0;
        };
        if (mask == 0) {
            return false;
        }
        if (inv) {
            f.flags &= ~mask;
        } else {
            f.flags |= mask;
        }
        f.flagMask |= mask;
        return true;
    }

    /** {@code ipaddr_list_flush_or_save}; {@code doLink} for {@code ip link show}. */
    static int list(IpSession s, List<String> args, Action action, boolean doLink) {
        IpOptions o = s.options();
        Filter f = new Filter();
        f.oneline = o.oneline > 0;
        f.family = o.family;
        if (action == Action.FLUSH) {
            if (args.isEmpty()) {
                s.err().print("Flush requires arguments.\n");
                return -1;
            }
            if (f.family == IpOptions.AF_PACKET) {
                s.err().print("Cannot flush link addresses.\n");
                return -1;
            }
        }
        String filterDev = null;
        Args a = new Args(args, s.messages());
        while (a.hasNext()) {
            String w = a.current();
            if (w.equals("to")) {
                String v = a.next();
                f.prefix = InetArg.prefixOrExit(v, f.family, s.err());
                if (f.family == IpOptions.AF_UNSPEC) {
                    f.family = f.prefix.family();
                }
            } else if (w.equals("scope")) {
                String v = a.next();
                f.scopeMask = -1;
                Integer scope = Names.scopeNumber(v);
                if (scope == null) {
                    if (!v.equals("all")) {
                        s.messages().invalidArgument("invalid \"scope\"\n", v);
                    }
                    scope = Scope.NOWHERE;
                    f.scopeMask = 0;
                }
                f.scope = scope;
            } else if (w.equals("up")) {
                f.up = true;
            } else if (flagFilter(f, w)) {
                // a flag filter
            } else if (w.equals("label")) {
                f.label = a.next();
            } else if (w.equals("group")) {
                String v = a.next();
                Integer g = Names.groupNumber(v);
                if (g == null) {
                    s.messages().invalidArgument("Invalid \"group\" value\n", v);
                }
                f.group = g;
            } else if (w.equals("master")) {
                String v = a.next();
                NetDevice m = s.device(v);
                if (m == null) {
                    s.messages().invalidArgument("Device does not exist\n", v);
                }
                f.master = m.ifindex();
            } else if (w.equals("vrf")) {
                String v = a.next();
                s.messages().invalidArgument("Not a valid VRF name\n", v);
            } else if (w.equals("nomaster")) {
                f.master = -1;
            } else if (w.equals("type")) {
                String v = a.next();
                if (v.endsWith("_slave") && v.length() >= "_slave".length()) {
                    f.slaveKind = v.substring(0, v.length() - "_slave".length());
                } else {
                    f.kind = v;
                }
            } else {
                if (w.equals("dev")) {
                    w = a.next();
                } else if (matches(w, "help")) {
                    if (doLink) {
                        IpLink.usage(s);
                    }
                    usage(s);
                }
                if (filterDev != null) {
                    s.messages().duplicateOrGarbage("dev", w);
                }
                filterDev = w;
            }
            a.advance();
        }
        NetDevice only = null;
        if (filterDev != null) {
            only = s.device(filterDev);
            if (only == null) {
                s.err().print("Device \"" + filterDev + "\" does not exist.\n");
                return -1;
            }
            f.ifindex = only.ifindex();
        }
        if (action == Action.FLUSH) {
            return flush(s, f);
        }

        Printer p = s.printer();
        p.beginJson();
        LinkPrinter lp = new LinkPrinter(s, p, doLink);
        AddressPrinter ap = new AddressPrinter(s, p);
        long now = s.netns().kernel().clock().seconds();

        if (only != null && f.group == -1 && doLink) {
            // iplink_get: one link, printed by print_linkinfo with the filter applied
            p.openObject(null);
            printLink(s, f, lp, only, doLink);
            p.closeObject();
            s.write(p);
            p.endJson();
            s.flush(p);
            return 0;
        }

        List<NetDevice> links = new ArrayList<>();
        if (only != null) {
            links.add(only);
        } else {
            links.addAll(s.netns().devices());
            // the PF_INET6 link dump answers for devices with IPv6 state, with fewer attributes
            lp.inet6Dump = o.family == IpOptions.AF_INET6;
        }
        // the kernel fills the whole dump before ip prints a line: every link's namespace has
        // its id by then (rtnl_fill_link_netnsid allocates one)
        for (NetDevice dev : links) {
            s.netns().linkNetnsid(dev);
        }
        // iplink_filter_req: the kernel's strict dump leaves out what IFLA_MASTER and a kind it
        // has ops for exclude (link_master_filtered, link_kind_filtered); the rest is filtered here
        // (loops, not removeIf with a lambda: a first ip link must link no call site at start)
        for (java.util.Iterator<NetDevice> it = links.iterator(); it.hasNext();) {
            NetDevice dev = it.next();
            if ((f.master > 0 && (dev.master() == null || dev.master().ifindex() != f.master))
                    || (f.master == -1 && dev.master() != null)
                    || (f.kind != null && KERNEL_KINDS.contains(f.kind) && !f.kind.equals(dev.kind()))) {
                it.remove();
            }
        }
        boolean noLink = false;
        if (f.family != IpOptions.AF_PACKET) {
            noLink = f.oneline;
            for (java.util.Iterator<NetDevice> it = links.iterator(); it.hasNext();) {
                if (!keepLink(f, it.next(), now)) {
                    it.remove();
                }
            }
        }
        for (NetDevice dev : links) {
            p.openObject(null);
            int res = 0;
            if (o.brief > 0 || !noLink) {
                res = printLink(s, f, lp, dev, doLink);
            }
            if (res >= 0 && f.family != IpOptions.AF_PACKET) {
                printSelected(s, f, ap, p, dev, now);
            }
            if (res > 0 && !doLink && o.stats > 0) {
                lp.stats(dev);
                p.newline();
            }
            p.closeObject();
            s.write(p);
        }
        p.endJson();
        s.flush(p);
        return 0;
    }

    /** The kinds the simulated kernel has {@code rtnl_link_ops} for. */
    private static final java.util.Set<String> KERNEL_KINDS = java.util.Set.of("veth", "bridge", "dummy", "ifb", "tun");

    /** The address messages of a device in dump order: IPv4 first, then IPv6. */
    static List<AddressView> addresses(NetDevice dev, long now) {
        List<AddressView> out = new ArrayList<>();
        for (InetIfAddr a : dev.ipv4().addresses()) {
            out.add(AddressView.of(a, now));
        }
        for (Inet6IfAddr a : dev.ipv6().addresses()) {
            out.add(AddressView.of(a, now));
        }
        return out;
    }

    /** {@code ipaddr_filter}: keep a link that has a matching address, or none at all. */
    private static boolean keepLink(Filter f, NetDevice dev, long now) {
        List<AddressView> all = addresses(dev, now);
        boolean missing = all.isEmpty();
        for (AddressView a : all) {
            if (addressMatches(f, a)) {
                return true;
            }
        }
        return missing && (f.family == IpOptions.AF_UNSPEC || f.family == IpOptions.AF_PACKET);
    }

    private static boolean addressMatches(Filter f, AddressView a) {
        if (f.family != 0 && f.family != a.family()) {
            return false;
        }
        if (((f.scope ^ a.scope()) & f.scopeMask) != 0) {
            return false;
        }
        if (((f.flags ^ a.flags()) & f.flagMask) != 0) {
            return false;
        }
        if (f.label != null) {
            String label = a.label() != null ? a.label() : a.device().name();
            if (!Glob.matches(f.label, label)) {
                return false;
            }
        }
        return prefixMatches(f.prefix, a.local());
    }

    /** {@code inet_addr_match_rta}: no filter, or the address lies in the filter prefix. */
    static boolean prefixMatches(InetArg filter, dev.ipsim.kernel.addr.IpAddress address) {
        if (filter == null || filter.address() == null) {
            return true;
        }
        if (filter.family() != 0 && filter.address().family() != address.family()) {
            return false;
        }
        int bits = Math.max(filter.bitlen(), 0);
        return new IpPrefix(filter.address(), Math.min(bits, filter.address().bitLength())).contains(address);
    }

    /** {@code print_linkinfo} with its filters: -1 filtered out, 0 brief, 1 printed. */
    static int printLink(IpSession s, Filter f, LinkPrinter lp, NetDevice dev, boolean doLink) {
        if (f.ifindex != 0 && dev.ifindex() != f.ifindex) {
            return -1;
        }
        if (f.up && (dev.flags() & DeviceFlags.UP) == 0) {
            return -1;
        }
        if (f.label != null) {
            return 0;
        }
        if (f.group != -1 && dev.group() != f.group) {
            return -1;
        }
        if (f.master > 0 && (dev.master() == null || dev.master().ifindex() != f.master)) {
            return -1;
        }
        if (f.master == -1 && dev.master() != null) {
            // nomaster: the kernel's strict dump leaves out enslaved devices
            return -1;
        }
        if (f.kind != null && !f.kind.equals(dev.kind() == null ? "" : dev.kind())) {
            return -1;
        }
        if (f.slaveKind != null) {
            String sk = dev.master() == null || dev.master().kind() == null ? null : dev.master().kind();
            if (!f.slaveKind.equals(sk)) {
                return -1;
            }
        }
        if (s.options().brief > 0) {
            lp.brief(dev, f.family == IpOptions.AF_PACKET);
            return 0;
        }
        boolean linkLine = f.family == 0 || f.family == IpOptions.AF_PACKET || s.options().details > 0;
        lp.full(dev, linkLine);
        return 1;
    }

    /** {@code print_selected_addrinfo}. */
    private static void printSelected(IpSession s, Filter f, AddressPrinter ap, Printer p, NetDevice dev, long now) {
        p.openArray(Printer.Kind.JSON, "addr_info");
        for (AddressView a : addresses(dev, now)) {
            if (f.family != 0 && f.family != a.family()) {
                continue;
            }
            if (f.up && (dev.flags() & DeviceFlags.UP) == 0) {
                continue;
            }
            p.openObject(null);
            if (addressMatches(f, a)) {
                ap.print(a);
            }
            p.closeObject();
        }
        p.closeArray(Printer.Kind.JSON, null);
        if (s.options().brief > 0) {
            p.string(Printer.Kind.TEXT, null, "%s", "\n");
        }
    }

    /**
     * {@code ipaddr_flush}: rounds of dump-and-delete until nothing matches. With {@code -s -s}
     * each address is printed as it is queued for deletion. The deletions of a round go to the
     * kernel in one batch: all are tried, and only the first refusal is reported, unless it is
     * EADDRNOTAVAIL (the kernel already took the address along with its primary).
     */
    private static int flush(IpSession s, Filter f) {
        long now = s.netns().kernel().clock().seconds();
        int round = 0;
        int stats = s.options().stats;
        int maxLoops = s.options().loops;
        while (maxLoops == 0 || round < maxLoops) {
            List<AddressView> victims = new ArrayList<>();
            Printer p = s.printer();
            AddressPrinter ap = new AddressPrinter(s, p);
            ap.flushing = true;
            for (NetDevice dev : s.netns().devices()) {
                if (f.ifindex != 0 && dev.ifindex() != f.ifindex) {
                    continue;
                }
                for (AddressView a : addresses(dev, now)) {
                    if (addressMatches(f, a)) {
                        victims.add(a);
                        if (stats > 1) {
                            ap.print(a);
                        }
                    }
                }
            }
            s.write(p);
            if (victims.isEmpty()) {
                return flushDone(s, stats, round);
            }
            round++;
            KernelException first = null;
            for (AddressView v : victims) {
                try {
                    deleteExact(s, v);
                } catch (KernelException e) {
                    if (first == null) {
                        first = e;
                    }
                }
            }
            if (first != null && first.errno() != Errno.EADDRNOTAVAIL) {
                s.err().print("Failed to send flush request: " + first.errno().text() + "\n");
                return 1;
            }
            if (stats > 0) {
                s.out().print("\n*** Round " + round + ", deleting " + victims.size() + " addresses ***\n");
                s.out().flush();
            }
            // flushing primaries only takes one round: the next would take the promoted secondaries
            if ((f.flags & AddressFlags.SECONDARY) == 0 && (f.flagMask & AddressFlags.SECONDARY) != 0) {
                return flushDone(s, stats, round);
            }
        }
        s.err().print("*** Flush remains incomplete after " + maxLoops + " rounds. ***\n");
        return 1;
    }

    private static int flushDone(IpSession s, int stats, int round) {
        if (stats > 0) {
            if (round == 0) {
                s.out().print("Nothing to flush.\n");
            } else {
                s.out().print("*** Flush is complete after " + round + " round" + (round > 1 ? "s" : "") + " ***\n");
            }
        }
        s.out().flush();
        return 0;
    }

    /** An {@code RTM_DELADDR} carrying everything the dump said about the address. */
    private static void deleteExact(IpSession s, AddressView v) {
        NetDevice dev = v.device();
        if (v.family() == IpOptions.AF_INET) {
            Ipv4.AddressMatch m = new Ipv4.AddressMatch();
            m.local = (Ipv4Address) v.local();
            m.address = (Ipv4Address) v.address();
            m.prefixLength = v.prefixLength();
            m.label = v.label();
            s.netns().ipv4().deleteAddress(dev, m);
        } else {
            s.netns().ipv6().deleteAddress(dev, (Ipv6Address) v.local(), v.prefixLength());
        }
    }

    // ------------------------------------------------------------------ add / change / replace / delete

    enum Mode {
        ADD, CHANGE, REPLACE, DELETE
    }

    /** {@code set_lifetime}: "forever" or an unsigned number of seconds. */
    private static Long lifetime(String arg) {
        if (arg.equals("forever")) {
            return AddressFlags.INFINITY_LIFE_TIME;
        }
        return CNumbers.getU32(arg, 0);
    }

    private record FlagData(String name, int mask, boolean readonly, boolean v6only) {
    }

    private static final List<FlagData> FLAG_DATA = List.of(
            new FlagData("secondary", AddressFlags.SECONDARY, true, false),
            new FlagData("temporary", AddressFlags.SECONDARY, true, false),
            new FlagData("nodad", AddressFlags.NODAD, false, true),
            new FlagData("optimistic", AddressFlags.OPTIMISTIC, false, true),
            new FlagData("dadfailed", AddressFlags.DADFAILED, true, true),
            new FlagData("home", AddressFlags.HOMEADDRESS, false, true),
            new FlagData("deprecated", AddressFlags.DEPRECATED, true, true),
            new FlagData("tentative", AddressFlags.TENTATIVE, true, true),
            new FlagData("permanent", AddressFlags.PERMANENT, true, true),
            new FlagData("mngtmpaddr", AddressFlags.MANAGETEMPADDR, false, true),
            new FlagData("noprefixroute", AddressFlags.NOPREFIXROUTE, false, false),
            new FlagData("autojoin", AddressFlags.MCAUTOJOIN, false, false),
            new FlagData("stable-privacy", AddressFlags.STABLE_PRIVACY, true, true));

    private static FlagData flagData(String name) {
        for (FlagData d : FLAG_DATA) {
            if (d.name.equals(name)) {
                return d;
            }
        }
        return null;
    }

    /** {@code ipaddr_modify}. */
    static int modify(IpSession s, List<String> args, Mode mode) {
        int family = s.options().family;
        String dev = null;
        String label = null;
        String localArg = null;
        InetArg local = null;
        InetArg peer = null;
        Ipv4Address broadcast = null;
        int brdLen = 0;
        dev.ipsim.kernel.addr.IpAddress anycast = null;
        Integer scope = null;
        Long metric = null;
        String validArg = null;
        String preferredArg = null;
        long valid = AddressFlags.INFINITY_LIFE_TIME;
        long preferred = AddressFlags.INFINITY_LIFE_TIME;
        int flags = 0;
        int prefixLength = 0;
        Args a = new Args(args, s.messages());
        while (a.hasNext()) {
            String w = a.current();
            if (w.equals("peer") || w.equals("remote")) {
                String v = a.next();
                if (peer != null) {
                    s.messages().duplicateArgument("peer", v);
                }
                peer = InetArg.prefixOrExit(v, family, s.err());
                if (family == IpOptions.AF_UNSPEC) {
                    family = peer.family();
                }
                prefixLength = peer.bitlen();
            } else if (matches(w, "broadcast") || w.equals("brd")) {
                String v = a.next();
                if (brdLen != 0) {
                    s.messages().duplicateArgument("broadcast", v);
                }
                if (v.equals("+")) {
                    brdLen = -1;
                } else if (v.equals("-")) {
                    brdLen = -2;
                } else {
                    InetArg b = InetArg.addressOrExit(v, family, s.err());
                    if (family == IpOptions.AF_UNSPEC) {
                        family = b.family();
                    }
                    broadcast = b.address() instanceof Ipv4Address v4 ? v4 : null;
                    brdLen = b.family() == IpOptions.AF_INET6 ? 16 : 4;
                }
            } else if (w.equals("anycast")) {
                String v = a.next();
                if (anycast != null) {
                    s.messages().duplicateArgument("anycast", v);
                }
                InetArg b = InetArg.addressOrExit(v, family, s.err());
                if (family == IpOptions.AF_UNSPEC) {
                    family = b.family();
                }
                anycast = b.address();
            } else if (w.equals("scope")) {
                String v = a.next();
                scope = Names.scopeNumber(v);
                if (scope == null) {
                    s.messages().invalidArgument("invalid scope value.", v);
                }
            } else if (w.equals("dev")) {
                dev = a.next();
            } else if (w.equals("label")) {
                label = a.next();
            } else if (matches(w, "metric") || matches(w, "priority") || matches(w, "preference")) {
                String v = a.next();
                metric = CNumbers.getU32(v, 0);
                if (metric == null) {
                    s.messages().invalidArgument("\"metric\" value is invalid\n", v);
                }
            } else if (matches(w, "valid_lft")) {
                if (validArg != null) {
                    s.messages().duplicateArgument("valid_lft", w);
                }
                validArg = a.next();
                Long l = lifetime(validArg);
                if (l == null) {
                    s.messages().invalidArgument("valid_lft value", validArg);
                }
                valid = l;
            } else if (matches(w, "preferred_lft")) {
                if (preferredArg != null) {
                    s.messages().duplicateArgument("preferred_lft", w);
                }
                preferredArg = a.next();
                Long l = lifetime(preferredArg);
                if (l == null) {
                    s.messages().invalidArgument("preferred_lft value", preferredArg);
                }
                preferred = l;
            } else if (flagData(w) != null) {
                FlagData d = flagData(w);
                if (d.readonly) {
                    s.err().print("Warning: " + d.name + " option is not mutable from userspace\n");
                } else if (d.v6only && family != IpOptions.AF_INET6) {
                    s.err().print("Warning: " + d.name + " option can be set only for IPv6 addresses\n");
                } else {
                    flags |= d.mask;
                }
            } else {
                if (w.equals("local")) {
                    w = a.next();
                }
                if (matches(w, "help")) {
                    usage(s);
                }
                if (local != null) {
                    s.messages().duplicateOrGarbage("local", w);
                }
                localArg = w;
                local = InetArg.prefixOrExit(w, family, s.err());
                if (family == IpOptions.AF_UNSPEC) {
                    family = local.family();
                }
            }
            a.advance();
        }
        if (dev == null) {
            s.err().print("Not enough information: \"dev\" argument is required.\n");
            return -1;
        }
        boolean wildcard = false;
        if (peer == null && local != null) {
            if (mode == Mode.DELETE && local.family() == IpOptions.AF_INET && !local.prefixLengthSpecified()) {
                s.err().print("Warning: Executing wildcard deletion to stay compatible with old scripts.\n"
                        + "         Explicitly specify the prefix length (" + localArg + "/32) to avoid this warning.\n"
                        + "         This special behaviour is likely to disappear in further releases,\n"
                        + "         fix your scripts!\n");
                wildcard = true;
            } else {
                peer = local;
            }
        }
        if (prefixLength == 0 && local != null) {
            prefixLength = local.bitlen();
        }
        if (brdLen < 0 && mode != Mode.DELETE) {
            if (family != IpOptions.AF_INET) {
                s.err().print("Broadcast can be set only for IPv4 addresses\n");
                return -1;
            }
            InetArg base = peer;
            if (base != null && base.bitlen() <= 30) {
                Ipv4Address addr = (Ipv4Address) base.address();
                broadcast = brdLen == -1 ? addr.broadcast(base.bitlen()) : addr.masked(base.bitlen());
            }
        }
        int effectiveScope;
        if (scope != null) {
            effectiveScope = scope;
        } else if (mode != Mode.DELETE && local != null && local.family() == IpOptions.AF_INET
                && ((Ipv4Address) local.address()).octet(0) == 127) {
            effectiveScope = Scope.HOST;
        } else {
            effectiveScope = 0;
        }
        NetDevice device = s.device(dev);
        if (device == null) {
            s.messages().cannotFindDevice(dev);
            return -1;
        }
        if (validArg != null || preferredArg != null) {
            if (valid == 0) {
                s.err().print("valid_lft is zero\n");
                return -1;
            }
            if (valid < preferred) {
                s.err().print("preferred_lft is greater than valid_lft\n");
                return -1;
            }
        }
        if ((flags & AddressFlags.MCAUTOJOIN) != 0 && !(local != null && isMulticast(local.address()))) {
            s.err().print("autojoin needs multicast address\n");
            return -1;
        }
        try {
            if (family == IpOptions.AF_UNSPEC) {
                // no address, no family: rtnetlink has no handler for AF_UNSPEC address requests
                throw new KernelException(Errno.ENOTSUP);
            }
            if (family == IpOptions.AF_INET6) {
                return modify6(s, device, mode, local, peer, prefixLength, flags, valid, preferred, metric);
            }
            if (family != IpOptions.AF_INET) {
                throw new KernelException(Errno.ENOTSUP);
            }
            if (local == null && mode != Mode.DELETE) {
                // rtm_to_ifaddr: an address request without IFA_LOCAL
                throw new KernelException(Errno.EINVAL);
            }
            Ipv4Address localAddr = local == null ? null : (Ipv4Address) local.address();
            if (mode == Mode.DELETE) {
                // inet_rtm_deladdr: what the request leaves out matches anything
                Ipv4.AddressMatch m = new Ipv4.AddressMatch();
                m.local = localAddr;
                if (!wildcard && peer != null) {
                    m.address = (Ipv4Address) peer.address();
                    m.prefixLength = prefixLength;
                }
                m.label = label;
                s.netns().ipv4().deleteAddress(device, m);
                return 0;
            }
            Ipv4.AddressRequest r = new Ipv4.AddressRequest();
            r.local = localAddr;
            r.peer = peer != null && peer != local ? (Ipv4Address) peer.address() : null;
            r.prefixLength = prefixLength;
            r.broadcast = broadcast;
            r.anycast = anycast instanceof Ipv4Address v4 ? v4 : null;
            r.scope = effectiveScope;
            r.flags = flags;
            r.label = label;
            r.validLifetime = valid;
            r.preferredLifetime = preferred;
            r.metric = metric == null ? 0 : metric.intValue();
            s.netns().ipv4().addAddress(device, r, mode == Mode.REPLACE || mode == Mode.CHANGE, mode == Mode.ADD);
            return 0;
        } catch (KernelException e) {
            s.printKernelError(e);
            return -2;
        }
    }

    private static boolean isMulticast(dev.ipsim.kernel.addr.IpAddress a) {
        return a instanceof Ipv4Address v4 ? v4.isMulticast() : ((Ipv6Address) a).isMulticast();
    }

    /** The IPv6 half of {@code ipaddr_modify}'s request, as {@code inet6_rtm_newaddr}/{@code deladdr} take it. */
    private static int modify6(IpSession s, NetDevice device, Mode mode, InetArg local, InetArg peer, int prefixLength,
                               int flags, long valid, long preferred, Long metric) {
        if (local == null) {
            // extract_addr: neither IFA_LOCAL nor IFA_ADDRESS
            throw new KernelException(Errno.EINVAL);
        }
        Ipv6Address addr = (Ipv6Address) local.address();
        if (mode == Mode.DELETE) {
            s.netns().ipv6().deleteAddress(device, addr, prefixLength);
            return 0;
        }
        dev.ipsim.kernel.ipv6.Ipv6.AddressRequest r = new dev.ipsim.kernel.ipv6.Ipv6.AddressRequest();
        r.local = addr;
        r.peer = peer != null && peer != local ? (Ipv6Address) peer.address() : null;
        r.prefixLength = prefixLength;
        r.flags = flags;
        r.validLifetime = valid;
        r.preferredLifetime = preferred;
        r.metric = metric == null ? 0 : metric.intValue();
        s.netns().ipv6().newAddress(device, r, mode == Mode.REPLACE || mode == Mode.CHANGE, mode == Mode.ADD);
        return 0;
    }
}
