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
            ENCAPTYPE := [ mpls | ip | ip6 | seg6 | seg6local | rpl | ioam6 ]
            ENCAPHDR := [ MPLSLABEL | SEG6HDR | SEG6LOCAL | IOAM6HDR ]
            SEG6HDR := [ mode SEGMODE ] segs ADDR1,ADDRi,ADDRn [hmac HMACKEYID] [cleanup]
            SEGMODE := [ encap | inline ]
            SEG6LOCAL := action ACTION [ OPTIONS ] [ count ]
            ACTION := { End | End.X | End.T | End.DX2 | End.DX6 | End.DX4 |
                        End.DT6 | End.DT4 | End.DT46 | End.B6 | End.B6.Encaps |
                        End.BM | End.S | End.AS | End.AM | End.BPF }
            OPTIONS := OPTION [ OPTIONS ]
            OPTION := { srh SEG6HDR | nh4 ADDR | nh6 ADDR | iif DEV | oif DEV |
                        table TABLEID | vrftable TABLEID | endpoint PROGNAME }
            IOAM6HDR := trace prealloc type IOAM6_TRACE_TYPE ns IOAM6_NAMESPACE size IOAM6_TRACE_SIZE
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
            return modify(s, rest, Ipv4.RouteAddMode.ADD, false);
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
                Long tos = CNumbers.getUnsigned(v, 16);
                if (tos == null || tos > 255) {
                    s.messages().invalidArgument("TOS value is invalid\n", v);
                }
                f.tos = tos.intValue();
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
        List<Route> routes = new ArrayList<>();
        if (!f.cloned && id == null) {
            if (dumpFamily == IpOptions.AF_UNSPEC || dumpFamily == IpOptions.AF_INET) {
                collect(s.netns().ipv4().tables().all(), f, routes);
            }
            if (dumpFamily == IpOptions.AF_UNSPEC || dumpFamily == IpOptions.AF_INET6) {
                collect(s.netns().ipv6().tables().all(), f, routes);
            }
        }
        if (flush) {
            return flushRoutes(s, routes);
        }
        Printer p = s.printer();
        p.beginJson();
        RoutePrinter rp = new RoutePrinter(s, p);
        for (Route r : routes) {
            rp.print(r, f.table != 0, f.oif != null, f.scopeMask == -1, f.protocolMask == -1);
            s.write(p);
        }
        p.endJson();
        s.flush(p);
        return 0;
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

    private static int flushRoutes(IpSession s, List<Route> routes) {
        for (Route r : routes) {
            for (FibTable t : r.family() == Family.INET6 ? s.netns().ipv6().tables().all()
                    : s.netns().ipv4().tables().all()) {
                t.remove(r);
            }
        }
        if (s.options().stats > 0) {
            if (routes.isEmpty()) {
                s.out().print("Nothing to flush.\n");
            } else {
                s.out().print("\n*** Round 1, deleting " + routes.size() + " entries ***\n");
                s.out().print("*** Flush is complete after 1 round ***\n");
            }
        }
        return 0;
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
                Long t = CNumbers.getUnsigned(v, 16);
                if (t == null || t > 255) {
                    s.messages().invalidArgument("\"tos\" value is invalid\n", v);
                }
                tos = t.intValue();
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
            } else if (w.equals("mtu") || w.equals("hoplimit") || w.equals("advmss") || w.equals("expires")
                    || matches(w, "window") || matches(w, "realms") || matches(w, "pref") || w.equals("nhid")) {
                a.next();
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
            s.err().print("ipsim: adding IPv6 routes is not simulated yet\n");
            return -1;
        }
        try {
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

    static KernelException invalid() {
        return new KernelException(Errno.EINVAL);
    }
}
