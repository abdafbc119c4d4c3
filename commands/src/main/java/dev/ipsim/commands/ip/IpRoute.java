package dev.ipsim.commands.ip;

import static dev.ipsim.commands.cli.Matching.matches;

import dev.ipsim.commands.Exit;
import dev.ipsim.commands.cli.Args;
import dev.ipsim.commands.cli.CNumbers;
import dev.ipsim.commands.output.Printer;
import dev.ipsim.kernel.Errno;
import dev.ipsim.kernel.KernelException;
import dev.ipsim.kernel.Scope;
import dev.ipsim.kernel.addr.Family;
import dev.ipsim.kernel.addr.IpPrefix;
import dev.ipsim.kernel.ipv4.Ipv4;
import dev.ipsim.kernel.link.NetDevice;
import dev.ipsim.kernel.route.FibTable;
import dev.ipsim.kernel.route.NexthopFlags;
import dev.ipsim.kernel.route.Route;
import dev.ipsim.kernel.addr.IpAddress;
import dev.ipsim.kernel.addr.Ipv4Address;
import dev.ipsim.kernel.inet.RouteFlags;
import dev.ipsim.kernel.route.NexthopException;
import dev.ipsim.kernel.route.RouteProtocol;
import dev.ipsim.kernel.route.RouteTableId;
import dev.ipsim.kernel.route.RouteType;
import java.util.ArrayList;
import java.util.List;

/** {@code ip route} ({@code ip/iproute.c do_iproute}). */
final class IpRoute {

    static final String USAGE = """
            Usage: ip route { list | flush } SELECTOR
                   ip route save SELECTOR
                   ip route restore
                   ip route showdump
                   ip route get [ ROUTE_GET_FLAGS ] ADDRESS
                                        [ from ADDRESS iif STRING ]
                                        [ oif STRING ] [ tos TOS ]
                                        [ mark NUMBER ] [ vrf NAME ]
                                        [ uid NUMBER ] [ ipproto PROTOCOL ]
                                        [ sport NUMBER ] [ dport NUMBER ]
                   ip route { add | del | change | append | replace } ROUTE
            SELECTOR := [ root PREFIX ] [ match PREFIX ] [ exact PREFIX ]
                        [ table TABLE_ID ] [ vrf NAME ] [ proto RTPROTO ]
                        [ type TYPE ] [ scope SCOPE ]
            ROUTE := NODE_SPEC [ INFO_SPEC ]
            NODE_SPEC := [ TYPE ] PREFIX [ tos TOS ]
                         [ table TABLE_ID ] [ proto RTPROTO ]
                         [ scope SCOPE ] [ metric METRIC ]
                         [ ttl-propagate { enabled | disabled } ]
            INFO_SPEC := { NH | nhid ID } OPTIONS FLAGS [ nexthop NH ]...
            NH := [ encap ENCAPTYPE ENCAPHDR ] [ via [ FAMILY ] ADDRESS ]
                  [ dev STRING ] [ weight NUMBER ] NHFLAGS
            FAMILY := [ inet | inet6 | mpls | bridge | link ]
            OPTIONS := FLAGS [ mtu NUMBER ] [ advmss NUMBER ] [ as [ to ] ADDRESS ]
                       [ rtt TIME ] [ rttvar TIME ] [ reordering NUMBER ]
                       [ window NUMBER ] [ cwnd NUMBER ] [ initcwnd NUMBER ]
                       [ ssthresh NUMBER ] [ realms REALM ] [ src ADDRESS ]
                       [ rto_min TIME ] [ hoplimit NUMBER ] [ initrwnd NUMBER ]
                       [ features FEATURES ] [ quickack BOOL ] [ congctl NAME ]
                       [ pref PREF ] [ expires TIME ] [ fastopen_no_cookie BOOL ]
            TYPE := { unicast | local | broadcast | multicast | throw |
                      unreachable | prohibit | blackhole | nat }
            TABLE_ID := [ local | main | default | all | NUMBER ]
            SCOPE := [ host | link | global | NUMBER ]
            NHFLAGS := [ onlink | pervasive ]
            RTPROTO := [ kernel | boot | static | NUMBER ]
            PREF := [ low | medium | high ]
            TIME := NUMBER[s|ms]
            BOOL := [1|0]
            FEATURES := ecn
            ENCAPTYPE := [ mpls | ip | ip6 | seg6 | seg6local | rpl | ioam6 | xfrm ]
            ENCAPHDR := [ MPLSLABEL | SEG6HDR | SEG6LOCAL | IOAM6HDR | XFRMINFO ]
            SEG6HDR := [ mode SEGMODE ] segs ADDR1,ADDRi,ADDRn [hmac HMACKEYID] [cleanup]
            SEGMODE := [ encap | encap.red | inline | l2encap | l2encap.red ]
            SEG6LOCAL := action ACTION [ OPTIONS ] [ count ]
            ACTION := { End | End.X | End.T | End.DX2 | End.DX6 | End.DX4 |
                        End.DT6 | End.DT4 | End.DT46 | End.B6 | End.B6.Encaps |
                        End.BM | End.S | End.AS | End.AM | End.BPF }
            OPTIONS := OPTION [ OPTIONS ]
            OPTION := { flavors FLAVORS | srh SEG6HDR | nh4 ADDR | nh6 ADDR | iif DEV | oif DEV |
                        table TABLEID | vrftable TABLEID | endpoint PROGNAME }
            FLAVORS := { FLAVOR[,FLAVOR] }
            FLAVOR := { psp | usp | usd | next-csid }
            IOAM6HDR := trace prealloc type IOAM6_TRACE_TYPE ns IOAM6_NAMESPACE size IOAM6_TRACE_SIZE
            XFRMINFO := if_id IF_ID [ link_dev LINK ]
            ROUTE_GET_FLAGS := [ fibmatch ]
            """;

    private IpRoute() {
    }

    static int usage(IpSession s) {
        s.err().print(USAGE);
        throw new Exit(255);
    }

    /** {@code do_iproute}: verbs in first-match order. */
    static int run(IpSession s, List<String> args) {
        if (args.isEmpty()) {
            return list(s, args, false);
        }
        String verb = args.get(0);
        List<String> rest = args.subList(1, args.size());
        if (matches(verb, "add")) {
            return modify(s, rest, Ipv4.RouteAddMode.ADD, false);
        }
        if (matches(verb, "change") || verb.equals("chg")) {
            return modify(s, rest, Ipv4.RouteAddMode.CHANGE, false);
        }
        if (matches(verb, "replace")) {
            return modify(s, rest, Ipv4.RouteAddMode.REPLACE, false);
        }
        if (matches(verb, "prepend")) {
            return modify(s, rest, Ipv4.RouteAddMode.PREPEND, false);
        }
        if (matches(verb, "append")) {
            return modify(s, rest, Ipv4.RouteAddMode.APPEND, false);
        }
        if (matches(verb, "test")) {
            return modify(s, rest, Ipv4.RouteAddMode.TEST, false);
        }
        if (matches(verb, "delete")) {
            return modify(s, rest, null, true);
        }
        if (matches(verb, "list") || matches(verb, "show") || matches(verb, "lst")) {
            return list(s, rest, false);
        }
        if (matches(verb, "get")) {
            return IpRouteGet.run(s, rest);
        }
        if (matches(verb, "flush")) {
            return list(s, rest, true);
        }
        if (matches(verb, "help")) {
            return usage(s);
        }
        s.err().print("Command \"" + verb + "\" is unknown, try \"ip route help\".\n");
        throw new Exit(255);
    }

    /** {@code struct rtfilter}, the parts {@code ip route show} uses. */
    static final class Filter {
        long table = RouteTableId.MAIN;
        int protocol;
        int protocolMask;
        int scope;
        int scopeMask;
        int typeMask;
        int tos;
        int tosMask;
        NetDevice oif;
        Long metric;
        InetArg rdst;
        InetArg mdst;
        InetArg via;
        InetArg prefsrc;
        boolean cloned;
    }

    /** {@code iproute_list_flush_or_save}. */
    static int list(IpSession s, List<String> args, boolean flush) {
        IpOptions o = s.options();
        int dumpFamily = o.family;
        Filter f = new Filter();
        if (flush && args.isEmpty()) {
            s.err().print("\"ip route flush\" requires arguments.\n");
            return -1;
        }
        String od = null;
        String id = null;
        Args a = new Args(args, s.messages());
        while (a.hasNext()) {
            String w = a.current();
            if (matches(w, "table")) {
                String v = a.next();
                Long t = Names.tableNumber(v);
                if (t == null) {
                    if (v.equals("all")) {
                        f.table = 0;
                    } else if (v.equals("cache")) {
                        f.cloned = true;
                    } else if (v.equals("help")) {
                        usage(s);
                    } else {
                        s.messages().invalidArgument("table id value is invalid\n", v);
                    }
                } else {
                    f.table = t;
                }
            } else if (matches(w, "vrf")) {
                s.messages().invalidArgument("Invalid VRF\n", a.next());
            } else if (matches(w, "cached") || matches(w, "cloned")) {
                f.cloned = true;
            } else if (w.equals("tos") || matches(w, "dsfield")) {
                String v = a.next();
                Integer tos = Names.dsfieldNumber(v);
                if (tos == null) {
                    s.messages().invalidArgument("TOS value is invalid\n", v);
                }
                f.tos = tos;
                f.tosMask = -1;
            } else if (matches(w, "protocol")) {
                String v = a.next();
                f.protocolMask = -1;
                Integer p = Names.protocolNumber(v);
                if (p == null) {
                    if (!v.equals("all")) {
                        s.messages().invalidArgument("invalid \"protocol\"\n", v);
                    }
                    p = 0;
                    f.protocolMask = 0;
                }
                f.protocol = p;
            } else if (matches(w, "scope")) {
                String v = a.next();
                f.scopeMask = -1;
                Integer sc = Names.scopeNumber(v);
                if (sc == null) {
                    if (!v.equals("all")) {
                        s.messages().invalidArgument("invalid \"scope\"\n", v);
                    }
                    sc = Scope.NOWHERE;
                    f.scopeMask = 0;
                }
                f.scope = sc;
            } else if (matches(w, "type")) {
                String v = a.next();
                Integer t = Names.routeTypeNumber(v);
                if (t == null) {
                    s.messages().invalidArgument("node type value is invalid\n", v);
                }
                f.typeMask = 1 << t;
            } else if (w.equals("dev") || w.equals("oif")) {
                od = a.next();
            } else if (w.equals("iif")) {
                id = a.next();
            } else if (w.equals("mark")) {
                String v = a.next();
                if (CNumbers.getUnsigned(v, 0) == null) {
                    s.messages().invalidArgument("invalid mark value", v);
                }
            } else if (matches(w, "metric") || matches(w, "priority") || w.equals("preference")) {
                String v = a.next();
                f.metric = CNumbers.getU32(v, 0);
                if (f.metric == null) {
                    s.messages().invalidArgument("\"metric\" value is invalid\n", v);
                }
            } else if (w.equals("via")) {
                String v = a.next();
                int fam = Names.readFamily(v);
                if (fam == IpOptions.AF_UNSPEC) {
                    fam = dumpFamily;
                } else {
                    v = a.next();
                }
                f.via = InetArg.prefixOrExit(v, fam, s.err());
            } else if (w.equals("src")) {
                f.prefsrc = InetArg.prefixOrExit(a.next(), dumpFamily, s.err());
            } else if (matches(w, "realms")) {
                a.next();
            } else if (matches(w, "from")) {
                String v = a.next();
                if (matches(v, "root") || matches(v, "match") || matches(v, "exact")) {
                    v = a.next();
                }
                InetArg.prefixOrExit(v, dumpFamily, s.err());
            } else {
                if (matches(w, "to")) {
                    w = a.next();
                }
                if (matches(w, "root")) {
                    f.rdst = InetArg.prefixOrExit(a.next(), dumpFamily, s.err());
                } else if (matches(w, "match")) {
                    f.mdst = InetArg.prefixOrExit(a.next(), dumpFamily, s.err());
                } else {
                    if (matches(w, "exact")) {
                        w = a.next();
                    }
                    f.mdst = InetArg.prefixOrExit(w, dumpFamily, s.err());
                    f.rdst = f.mdst;
                }
            }
            a.advance();
        }
        if (dumpFamily == IpOptions.AF_UNSPEC && f.table != 0) {
            dumpFamily = IpOptions.AF_INET;
        }
        if (id != null && s.device(id) == null) {
            s.messages().cannotFindDevice(id);
            return -1;
        }
        if (od != null) {
            f.oif = s.device(od);
            if (f.oif == null) {
                s.messages().cannotFindDevice(od);
                return -1;
            }
        }
        if (f.table > 0 && !f.cloned && id == null) {
            // a strict dump for one table: the family's FIB must have it
            boolean v6 = dumpFamily == IpOptions.AF_INET6;
            var tables = v6 ? s.netns().ipv6().tables() : s.netns().ipv4().tables();
            if ((dumpFamily == IpOptions.AF_INET || v6) && tables.tableOrNull((int) f.table) == null) {
                s.err().print("Error: " + (v6 ? "ipv6" : "ipv4") + ": FIB table does not exist.\n");
                s.err().print(flush ? "Flush terminated\n" : "Dump terminated\n");
                return -2;
            }
        }
        if (flush) {
            return flushRoutes(s, f, dumpFamily, id == null);
        }
        List<Route> routes = dump(s, f, dumpFamily, id == null);
        Printer p = s.printer();
        p.beginJson();
        RoutePrinter rp = new RoutePrinter(s, p);
        for (Route r : routes) {
            rp.print(r, hidden(f, r));
            s.write(p);
        }
        if (f.cloned && id == null && (dumpFamily == IpOptions.AF_UNSPEC || dumpFamily == IpOptions.AF_INET)) {
            printExceptions(s, p, f);
        }
        p.endJson();
        s.flush(p);
        return 0;
    }

    /**
     * {@code fib_dump_info_fnhe}: the IPv4 routing cache as today's kernel keeps it, the nexthop
     * exceptions of the routes of the filtered tables that a lookup has bound and that are
     * neither stale nor expired, each as {@code rt_fill_info} prints a cloned route.
     */
    private static void printExceptions(IpSession s, Printer p, Filter f) {
        long now = s.netns().kernel().clock().nanos();
        long generation = s.netns().ipv4().tables().generation();
        for (FibTable t : s.netns().ipv4().tables().all()) {
            if (f.table > 0 && f.table != (t.id() & 0xFFFF_FFFFL)) {
                continue;
            }
            for (Route r : t.routes()) {
                for (NexthopException e : r.exceptions()) {
                    if (!e.bound() || e.generation() != generation || e.expired(now)) {
                        continue;
                    }
                    Ipv4Address dst = (Ipv4Address) e.destination();
                    if (!cachedMatches(f, dst, r)) {
                        continue;
                    }
                    IpAddress gw = e.gateway() != null ? e.gateway() : r.gateway();
                    int flags = e.gateway() != null ? RouteFlags.REDIRECTED : 0;
                    printCached(s, p, f, dst, gw, r, flags, e.expiresAt());
                    s.write(p);
                }
            }
        }
    }

    private static boolean cachedMatches(Filter f, Ipv4Address dst, Route r) {
        IpPrefix host = IpPrefix.host(dst);
        if (f.rdst != null && (f.rdst.family() == IpOptions.AF_INET6 || !prefixCovers(f.rdst, host, f.rdst.bitlen()))) {
            return false;
        }
        if (f.mdst != null && (f.mdst.family() == IpOptions.AF_INET6 || !prefixCovers(f.mdst, host, 32))) {
            return false;
        }
        return f.oif == null || r.device() == f.oif;
    }

    /** {@code print_route} of a cloned route: no protocol or scope, and its cache line. */
    private static void printCached(IpSession s, Printer p, Filter f, Ipv4Address dst, IpAddress gw, Route r,
                                    int flags, long expiresAt) {
        p.openObject(null);
        if (s.options().details > 0) {
            p.string(Printer.Kind.ANY, "type", "%s ", s.names().routeType(RouteType.UNICAST.number()));
        }
        p.colorString(Printer.Kind.ANY, Printer.Color.INET, "dst", "%s ", dst.toString());
        if (gw != null) {
            if (p.inJson()) {
                p.string(Printer.Kind.JSON, "gateway", null, gw.toString());
            } else {
                p.text("via ");
                p.colorString(Printer.Kind.TEXT, Printer.Color.INET, null, "%s ", gw.toString());
            }
        }
        if (r.device() != null && f.oif == null) {
            if (p.inJson()) {
                p.string(Printer.Kind.JSON, "dev", null, r.device().name());
            } else {
                p.text("dev ");
                p.colorString(Printer.Kind.TEXT, Printer.Color.IFNAME, null, "%s ", r.device().name());
            }
        }
        if (f.table == 0 && r.table() != RouteTableId.MAIN || s.options().details > 0) {
            p.string(Printer.Kind.ANY, "table", "table %s ", s.names().table(r.table()));
        }
        p.openArray(Printer.Kind.JSON, p.inJson() ? "flags" : "");
        p.closeArray(Printer.Kind.JSON, null);
        IpRouteGet.cacheFlags(p, flags);
        IpRouteGet.cacheInfo(s, p, new dev.ipsim.kernel.inet.Dst(RouteType.UNICAST, r.device(), null,
                Ipv4Address.ANY, flags, 0, false, null, r.table(), r, expiresAt));
        p.string(Printer.Kind.TEXT, null, "\n", null);
        p.closeObject();
    }

    /** What {@code print_route} leaves out of a line because the filter already says it. */
    private static RoutePrinter.Hidden hidden(Filter f, Route r) {
        int hostLength = r.family() == Family.INET6 ? 128 : 32;
        RoutePrinter.Hidden h = new RoutePrinter.Hidden();
        h.table = f.table != 0;
        h.dev = f.oif != null;
        h.scope = f.scopeMask == -1;
        h.protocol = f.protocolMask == -1;
        h.metric = f.metric != null;
        h.tos = f.tosMask == -1;
        h.gateway = f.via != null && f.via.bitlen() == hostLength;
        h.preferredSource = f.prefsrc != null && f.prefsrc.bitlen() == hostLength;
        return h;
    }

    /** The routes a dump of {@code family} returns that pass the filter. */
    private static List<Route> dump(IpSession s, Filter f, int family, boolean fib) {
        List<Route> routes = new ArrayList<>();
        if (!f.cloned && fib) {
            if (family == IpOptions.AF_UNSPEC || family == IpOptions.AF_INET) {
                collect(s.netns().ipv4().tables().all(), f, routes);
            }
            if (family == IpOptions.AF_UNSPEC || family == IpOptions.AF_INET6) {
                collect(s.netns().ipv6().tables().all(), f, routes);
            }
        }
        return routes;
    }

    private static void collect(List<FibTable> tables, Filter f, List<Route> out) {
        for (FibTable t : tables) {
            for (Route r : t.routes()) {
                if (matchesFilter(f, r)) {
                    out.add(r);
                }
            }
        }
    }

    /** {@code filter_nlmsg}. */
    private static boolean matchesFilter(Filter f, Route r) {
        boolean v6 = r.family() == Family.INET6;
        if (f.table > 0 && f.table != (r.table() & 0xFFFF_FFFFL)) {
            return false;
        }
        if (((f.protocol ^ r.protocol()) & f.protocolMask) != 0) {
            return false;
        }
        int scope = v6 ? Scope.UNIVERSE : r.scope();
        if (((f.scope ^ scope) & f.scopeMask) != 0) {
            return false;
        }
        if (f.typeMask != 0 && (f.typeMask & (1 << r.type().number())) == 0) {
            return false;
        }
        if (((f.tos ^ r.tos()) & f.tosMask) != 0) {
            return false;
        }
        int dstLen = r.destination().length();
        if (f.rdst != null) {
            if (f.rdst.family() != 0 && familyOf(r) != f.rdst.family()) {
                return false;
            }
            if (f.rdst.bitlen() > dstLen) {
                return false;
            }
            if (!prefixCovers(f.rdst, r.destination(), f.rdst.bitlen())) {
                return false;
            }
        }
        if (f.mdst != null) {
            if (f.mdst.family() != 0 && familyOf(r) != f.mdst.family()) {
                return false;
            }
            if (f.mdst.bitlen() >= 0 && f.mdst.bitlen() < dstLen) {
                return false;
            }
            if (!prefixCovers(f.mdst, r.destination(), dstLen)) {
                return false;
            }
        }
        if (f.via != null) {
            if (r.gateway() == null || familyOf(r) != f.via.family()
                    || !new IpPrefix(f.via.address(), Math.max(0, f.via.bitlen())).contains(r.gateway())) {
                return false;
            }
        }
        if (f.prefsrc != null) {
            if (familyOf(r) != f.prefsrc.family()) {
                return false;
            }
            if (f.prefsrc.bitlen() > 0 && (r.preferredSource() == null || !new IpPrefix(f.prefsrc.address(),
                    f.prefsrc.bitlen()).contains(r.preferredSource()))) {
                return false;
            }
        }
        if (f.oif != null && r.device() != f.oif) {
            return false;
        }
        return f.metric == null || (r.priority() & 0xFFFF_FFFFL) == f.metric;
    }

    private static int familyOf(Route r) {
        return r.family() == Family.INET6 ? IpOptions.AF_INET6 : IpOptions.AF_INET;
    }

    /** {@code inet_addr_match(dst, filter, bits)}: the first {@code bits} bits agree. */
    private static boolean prefixCovers(InetArg filter, IpPrefix dst, int bits) {
        if (filter.address() == null || bits <= 0) {
            return true;
        }
        if (filter.address().family() != dst.address().family()) {
            return false;
        }
        int n = Math.min(bits, filter.address().bitLength());
        return filter.address().masked(n).equals(dst.address().masked(n));
    }

    /**
     * {@code iproute_flush}: rounds of dump-and-delete until a dump finds nothing; with
     * {@code -s -s} each route is printed as it is queued. {@code cache} flushes the (empty)
     * IPv4 routing cache first.
     */
    private static int flushRoutes(IpSession s, Filter f, int family, boolean fib) {
        int stats = s.options().stats;
        if (f.cloned) {
            if (family != IpOptions.AF_INET6) {
                // iproute_flush_cache: a write to /proc/sys/net/ipv4/route/flush
                s.netns().ipv4().tables().flushCache();
                if (stats > 0) {
                    s.out().print("*** IPv4 routing cache is flushed.\n");
                }
            }
            if (family == IpOptions.AF_INET) {
                return 0;
            }
        }
        int round = 0;
        while (true) {
            List<Route> routes = dump(s, f, family, fib);
            if (routes.isEmpty()) {
                if (stats > 0) {
                    if (round == 0 && (!f.cloned || family == IpOptions.AF_INET6)) {
                        s.out().print("Nothing to flush.\n");
                    } else {
                        s.out().print("*** Flush is complete after " + round + " round" + (round > 1 ? "s" : "")
                                + " ***\n");
                    }
                }
                s.out().flush();
                return 0;
            }
            if (stats > 1) {
                Printer p = s.printer();
                RoutePrinter rp = new RoutePrinter(s, p);
                for (Route r : routes) {
                    rp.print(r, hidden(f, r));
                }
                s.write(p);
            }
            for (Route r : routes) {
                // an RTM_DELROUTE carrying everything the dump said: exactly this route goes
                for (FibTable t : r.family() == Family.INET6 ? s.netns().ipv6().tables().all()
                        : s.netns().ipv4().tables().all()) {
                    t.remove(r);
                }
            }
            round++;
            if (stats > 0) {
                s.out().print("\n*** Round " + round + ", deleting " + routes.size() + " entries ***\n");
                s.out().flush();
            }
        }
    }

    /** {@code iproute_modify} for the parts of the grammar the model carries. */
    static int modify(IpSession s, List<String> args, Ipv4.RouteAddMode mode, boolean delete) {
        int family = s.options().family;
        InetArg dst = null;
        InetArg gw = null;
        InetArg src = null;
        Long metric = null;
        Integer scope = null;
        Integer protocol = null;
        Long table = null;
        int tos = 0;
        int type = RouteType.UNICAST.number();
        boolean typeGiven = false;
        boolean onlink = false;
        String dev = null;
        int pref = Route.PREF_MEDIUM;
        Args a = new Args(args, s.messages());
        while (a.hasNext()) {
            String w = a.current();
            if (w.equals("src")) {
                src = InetArg.addressOrExit(a.next(), family, s.err());
                if (family == IpOptions.AF_UNSPEC) {
                    family = src.family();
                }
            } else if (w.equals("via")) {
                if (gw != null) {
                    s.messages().invalidArgument("use nexthop syntax to specify multiple via\n", w);
                }
                String v = a.next();
                int fam = Names.readFamily(v);
                if (fam == IpOptions.AF_UNSPEC) {
                    fam = family;
                } else {
                    v = a.next();
                }
                gw = InetArg.addressOrExit(v, fam, s.err());
                if (family == IpOptions.AF_UNSPEC) {
                    family = gw.family();
                }
            } else if (w.equals("tos") || matches(w, "dsfield")) {
                String v = a.next();
                Integer t = Names.dsfieldNumber(v);
                if (t == null) {
                    s.messages().invalidArgument("\"tos\" value is invalid\n", v);
                }
                tos = t;
            } else if (matches(w, "metric") || matches(w, "priority") || w.equals("preference")) {
                String v = a.next();
                metric = CNumbers.getU32(v, 0);
                if (metric == null) {
                    s.messages().invalidArgument("\"metric\" value is invalid\n", v);
                }
            } else if (w.equals("scope")) {
                String v = a.next();
                scope = Names.scopeNumber(v);
                if (scope == null) {
                    s.messages().invalidArgument("invalid \"scope\" value\n", v);
                }
            } else if (w.equals("onlink")) {
                onlink = true;
            } else if (matches(w, "protocol")) {
                String v = a.next();
                protocol = Names.protocolNumber(v);
                if (protocol == null) {
                    s.messages().invalidArgument("\"protocol\" value is invalid\n", v);
                }
            } else if (matches(w, "table")) {
                String v = a.next();
                table = Names.tableNumber(v);
                if (table == null) {
                    s.messages().invalidArgument("\"table\" value is invalid\n", v);
                }
            } else if (w.equals("dev") || w.equals("oif")) {
                dev = a.next();
            } else if (matches(w, "pref")) {
                String v = a.next();
                pref = switch (v) {
                    case "low" -> 3;
                    case "medium" -> 0;
                    case "high" -> 1;
                    default -> {
                        Integer n = CNumbers.getU8(v, 0);
                        if (n == null) {
                            s.messages().invalidArgument("\"pref\" value is invalid\n", v);
                        }
                        yield n;
                    }
                };
            } else if (w.equals("mtu") || w.equals("hoplimit") || w.equals("advmss") || w.equals("expires")
                    || matches(w, "window") || matches(w, "realms") || w.equals("nhid") || w.equals("nexthop")) {
                // route metrics, realms, multipath and nexthop objects: said plainly, never faked
                s.err().print("ipsim: the route attribute \"" + w + "\" is not simulated yet\n");
                return -1;
            } else {
                if (w.equals("to")) {
                    w = a.next();
                }
                Integer t = w.isEmpty() || (w.charAt(0) >= '0' && w.charAt(0) <= '9') ? null
                        : Names.routeTypeNumber(w);
                if (t != null) {
                    w = a.next();
                    type = t;
                    typeGiven = true;
                }
                if (matches(w, "help")) {
                    usage(s);
                }
                if (dst != null) {
                    s.messages().duplicateOrGarbage("to", w);
                }
                dst = InetArg.prefixOrExit(w, family, s.err());
                if (family == IpOptions.AF_UNSPEC) {
                    family = dst.family();
                }
            }
            a.advance();
        }
        if (dst == null) {
            usage(s);
        }
        NetDevice device = null;
        if (dev != null) {
            device = s.device(dev);
            if (device == null) {
                s.messages().cannotFindDevice(dev);
                return -1;
            }
        }
        if (family == IpOptions.AF_UNSPEC) {
            family = IpOptions.AF_INET;
        }
        RouteType routeType = RouteType.values()[Math.min(type, RouteType.values().length - 1)];
        if (table == null) {
            table = (long) (routeType == RouteType.LOCAL || routeType == RouteType.BROADCAST
                    || routeType == RouteType.NAT || routeType == RouteType.ANYCAST ? RouteTableId.LOCAL
                    : RouteTableId.MAIN);
        }
        if (family == IpOptions.AF_INET6) {
            return modify6(s, mode, delete, routeType, dst, gw, src, metric, protocol, table, device, pref);
        }
        try {
            Ipv4.checkPrefix(dst.prefix());
            if (delete) {
                Ipv4.RouteMatch m = new Ipv4.RouteMatch();
                m.destination = dst.prefix();
                m.tos = tos;
                m.table = table.intValue();
                m.type = typeGiven ? routeType : null;
                m.scope = scope != null ? scope : Scope.NOWHERE;
                m.protocol = protocol;
                m.priority = metric == null ? null : metric.intValue();
                m.preferredSource = src == null ? null : src.address();
                m.gateway = gw == null ? null : gw.address();
                m.device = device;
                s.netns().ipv4().deleteRoute(m);
                return 0;
            }
            int effectiveScope;
            if (scope != null) {
                effectiveScope = scope;
            } else if (routeType == RouteType.LOCAL || routeType == RouteType.NAT) {
                effectiveScope = Scope.HOST;
            } else if (routeType == RouteType.BROADCAST || routeType == RouteType.MULTICAST
                    || routeType == RouteType.ANYCAST) {
                effectiveScope = Scope.LINK;
            } else if (routeType == RouteType.UNICAST && gw == null) {
                effectiveScope = Scope.LINK;
            } else {
                effectiveScope = Scope.UNIVERSE;
            }
            Route r = Route.builder(routeType, dst.prefix()).tos(tos).table(table.intValue())
                    .priority(metric == null ? 0 : metric.intValue())
                    .protocol(protocol == null ? RouteProtocol.BOOT : protocol).scope(effectiveScope)
                    .preferredSource(src == null ? null : src.address()).gateway(gw == null ? null : gw.address())
                    .device(device).nexthopFlags(onlink ? NexthopFlags.ONLINK : 0).build();
            s.netns().ipv4().addRoute(r, mode);
            return 0;
        } catch (KernelException e) {
            s.printKernelError(e);
            return -2;
        }
    }

    /** The IPv6 half of {@code iproute_modify}'s request, as {@code inet6_rtm_newroute}/{@code delroute} take it. */
    private static int modify6(IpSession s, Ipv4.RouteAddMode mode, boolean delete, RouteType type, InetArg dst,
                               InetArg gw, InetArg src, Long metric, Integer protocol, Long table, NetDevice device,
                               int pref) {
        try {
            dev.ipsim.kernel.addr.Ipv6Address gateway = gw == null ? null
                    : (dev.ipsim.kernel.addr.Ipv6Address) gw.address();
            if (delete) {
                s.netns().ipv6().deleteRoute(dst.prefix().network(), table.intValue(), device, gateway,
                        metric == null ? null : metric.intValue(), protocol);
                return 0;
            }
            // rtm_to_fib6_config: an unknown preference is medium
            int routePref = pref == 1 || pref == 3 ? pref : Route.PREF_MEDIUM;
            Route r = Route.builder(type, dst.prefix()).table(table.intValue())
                    .priority(metric == null || metric == 0 ? dev.ipsim.kernel.ipv6.Ipv6.PRIO_USER : metric.intValue())
                    .protocol(protocol == null ? RouteProtocol.BOOT : protocol)
                    .preferredSource(src == null ? null : src.address()).gateway(gateway).device(device)
                    .pref(routePref).build();
            s.netns().ipv6().addRoute(r, mode);
            return 0;
        } catch (KernelException e) {
            if (e.errno() == Errno.ENOTSUP && e.extack().orElse("").startsWith("ipsim:")) {
                s.err().print(e.extack().get() + "\n");
                return -1;
            }
            s.printKernelError(e);
            return -2;
        }
    }

    static KernelException invalid() {
        return new KernelException(Errno.EINVAL);
    }
}
