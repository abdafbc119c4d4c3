package dev.ipsim.commands.ip;

import static dev.ipsim.commands.cli.Matching.matches;

import dev.ipsim.commands.cli.Args;
import dev.ipsim.commands.cli.CNumbers;
import dev.ipsim.commands.output.Printer;
import dev.ipsim.commands.output.Printer.Color;
import dev.ipsim.commands.output.Printer.Kind;
import dev.ipsim.kernel.KernelException;
import dev.ipsim.kernel.addr.Ipv4Address;
import dev.ipsim.kernel.addr.Ipv6Address;
import dev.ipsim.kernel.ipv6.Route6Lookup;
import dev.ipsim.kernel.route.Route;
import dev.ipsim.kernel.inet.Dst;
import dev.ipsim.kernel.inet.Flow;
import dev.ipsim.kernel.inet.RouteFlags;
import dev.ipsim.kernel.link.NetDevice;
import dev.ipsim.kernel.route.RouteTableId;
import dev.ipsim.kernel.route.RouteType;
import java.util.List;

/**
 * {@code ip route get} ({@code iproute_get} in {@code ip/iproute.c}), answered as the kernel's
 * {@code inet_rtm_getroute} answers it: an output lookup (or an input one with {@code iif}),
 * printed as a cloned route with its cache flags.
 */
final class IpRouteGet {

    private static final int IPPROTO_ICMP = 1;
    private static final int IPPROTO_TCP = 6;
    private static final int IPPROTO_UDP = 17;

    /** {@code RTM_F_NOTIFY}: shown among the route flags. */
    private static final int NOTIFY = 0x100;

    private IpRouteGet() {
    }

    /** What the request carries. */
    private static final class Request {
        InetArg destination;
        InetArg from;
        String inputDevice;
        String outputDevice;
        int tos;
        long mark;
        Long uid;
        boolean notify;
        boolean connected;
        boolean fibMatch;
        int family;
        Integer ipProtocol;
        int sourcePort;
        int destinationPort;
    }

    static int run(IpSession s, List<String> args) {
        Request q = new Request();
        q.family = s.options().family;
        Args a = new Args(args, s.messages());
        while (a.hasNext()) {
            String w = a.current();
            if (w.equals("tos") || matches(w, "dsfield")) {
                String v = a.next();
                Integer tos = Names.dsfieldNumber(v);
                if (tos == null) {
                    s.messages().invalidArgument("TOS value is invalid\n", v);
                }
                q.tos = tos;
            } else if (matches(w, "from")) {
                String v = a.next();
                if (matches(v, "help")) {
                    IpRoute.usage(s);
                }
                q.from = InetArg.prefixOrExit(v, q.family, s.err());
                if (q.family == IpOptions.AF_UNSPEC) {
                    q.family = q.from.family();
                }
            } else if (matches(w, "iif")) {
                q.inputDevice = a.next();
            } else if (matches(w, "mark")) {
                String v = a.next();
                Long m = CNumbers.getUnsigned(v, 0);
                if (m == null) {
                    s.messages().invalidArgument("invalid mark value", v);
                }
                q.mark = m;
            } else if (matches(w, "oif") || w.equals("dev")) {
                q.outputDevice = a.next();
            } else if (matches(w, "notify")) {
                q.notify = true;
            } else if (matches(w, "connected")) {
                q.connected = true;
            } else if (matches(w, "vrf")) {
                s.messages().invalidArgument("Invalid VRF\n", a.next());
            } else if (matches(w, "uid")) {
                String v = a.next();
                Long u = CNumbers.getUnsigned(v, 0);
                if (u == null) {
                    s.messages().invalidArgument("invalid UID\n", v);
                }
                q.uid = u;
            } else if (matches(w, "fibmatch")) {
                q.fibMatch = true;
            } else if (w.equals("as")) {
                String v = a.next();
                if (v.equals("to")) {
                    v = a.next();
                }
                InetArg.addressOrExit(v, q.family, s.err());
            } else if (matches(w, "sport")) {
                String v = a.next();
                Integer port = CNumbers.getU16(v, 0);
                if (port == null) {
                    s.messages().invalidArgument("invalid sport\n", v);
                }
                q.sourcePort = port;
            } else if (matches(w, "dport")) {
                String v = a.next();
                Integer port = CNumbers.getU16(v, 0);
                if (port == null) {
                    s.messages().invalidArgument("invalid dport\n", v);
                }
                q.destinationPort = port;
            } else if (matches(w, "ipproto")) {
                String v = a.next();
                int proto = Names.ipProtocolNumber(v);
                if (proto < 0) {
                    s.messages().invalidArgument("Invalid \"ipproto\" value\n", v);
                }
                q.ipProtocol = proto;
            } else {
                if (w.equals("to")) {
                    w = a.next();
                }
                if (matches(w, "help")) {
                    IpRoute.usage(s);
                }
                InetArg dst = InetArg.prefixOrExit(w, q.family, s.err());
                if (q.family == IpOptions.AF_UNSPEC) {
                    q.family = dst.family();
                }
                int full = q.family == IpOptions.AF_INET6 ? 128 : 32;
                if (dst.bitlen() != full && (q.family == IpOptions.AF_INET || q.family == IpOptions.AF_INET6)) {
                    s.err().print("Warning: /" + Math.max(dst.bitlen(), 0) + " as prefix is invalid, only /" + full
                            + " (or none) is supported.\n");
                }
                q.destination = dst;
            }
            a.advance();
        }
        if (q.destination == null) {
            s.err().print("need at least a destination address\n");
            return -1;
        }
        NetDevice iif = null;
        NetDevice oif = null;
        if (q.inputDevice != null) {
            iif = s.device(q.inputDevice);
            if (iif == null) {
                s.messages().cannotFindDevice(q.inputDevice);
                return -1;
            }
        }
        if (q.outputDevice != null) {
            oif = s.device(q.outputDevice);
            if (oif == null) {
                s.messages().cannotFindDevice(q.outputDevice);
                return -1;
            }
        }
        if (q.family == IpOptions.AF_INET6) {
            if (iif != null || q.fibMatch || q.connected) {
                s.err().print("ipsim: ip -6 route get with iif, fibmatch or connected is not simulated yet\n");
                return -1;
            }
            return ipv6(s, q, oif);
        }
        Answer answer;
        try {
            if (q.ipProtocol != null && q.ipProtocol != IPPROTO_TCP && q.ipProtocol != IPPROTO_UDP
                    && q.ipProtocol != IPPROTO_ICMP) {
                // rtm_getroute_parse_ip_proto
                throw new KernelException(dev.ipsim.kernel.Errno.ENOTSUP, "Unsupported ip proto");
            }
            answer = lookup(s, q, iif, oif);
        } catch (KernelException e) {
            s.printKernelError(e);
            return -2;
        }
        Printer p = s.printer();
        p.beginJson();
        print(s, p, q, answer, iif);
        if (q.connected && q.from == null) {
            // iproute2 sends the same request again and prints both answers
            p.endJson();
            s.write(p);
            p.beginJson();
            print(s, p, q, answer, iif);
        }
        p.endJson();
        s.flush(p);
        return 0;
    }

    /**
     * {@code inet6_rtm_getroute}: an output lookup, answered by {@code rt6_fill_node} with the
     * destination and the flow's source as full-length addresses, the route's (a local route
     * leaves through lo) and the source the kernel would pick; no cache line, as the route is
     * not a clone.
     */
    private static int ipv6(IpSession s, Request q, NetDevice oif) {
        Ipv6Address dst = (Ipv6Address) q.destination.prefix().address();
        Ipv6Address from = q.from == null || q.from.address() == null ? Ipv6Address.ANY
                : (Ipv6Address) q.from.address();
        Route6Lookup.Result result;
        try {
            result = Route6Lookup.output(s.netns(), dst, oif);
        } catch (KernelException e) {
            s.printKernelError(e);
            return -2;
        }
        Route r = result.route();
        boolean local = r.type() == RouteType.LOCAL;
        Ipv6Address prefsrc = Route6Lookup.source(s.netns(), r, dst);
        IpOptions o = s.options();
        Names names = s.names();
        Printer p = s.printer();
        p.beginJson();
        p.openObject(null);
        if (r.type() != RouteType.UNICAST || o.details > 0) {
            p.string(Kind.ANY, "type", "%s ", names.routeType(r.type().number()));
        }
        p.colorString(Kind.ANY, Color.INET6, "dst", "%s ", dst.toString());
        p.colorString(Kind.ANY, Color.INET6, "from", "from %s ", from.toString());
        if (r.gateway() != null) {
            if (p.inJson()) {
                p.string(Kind.JSON, "gateway", null, r.gateway().toString());
            } else {
                p.text("via ");
                p.colorString(Kind.TEXT, Color.INET6, null, "%s ", r.gateway().toString());
            }
        }
        NetDevice out = local ? s.netns().loopback() : r.device();
        if (out != null) {
            if (p.inJson()) {
                p.string(Kind.JSON, "dev", null, out.name());
            } else {
                p.text("dev ");
                p.colorString(Kind.TEXT, Color.IFNAME, null, "%s ", out.name());
            }
        }
        if (result.table() != RouteTableId.MAIN || o.details > 0) {
            p.string(Kind.ANY, "table", "table %s ", names.table(result.table()));
        }
        if (r.protocol() != dev.ipsim.kernel.route.RouteProtocol.BOOT || o.details > 0) {
            p.string(Kind.ANY, "protocol", "proto %s ", names.protocol(r.protocol()));
        }
        if (o.details > 0) {
            p.string(Kind.ANY, "scope", "scope %s ", names.scope(dev.ipsim.kernel.Scope.UNIVERSE));
        }
        if (prefsrc != null) {
            if (p.inJson()) {
                p.string(Kind.JSON, "prefsrc", null, prefsrc.toString());
            } else {
                p.text("src ");
                p.colorString(Kind.TEXT, Color.INET6, null, "%s ", prefsrc.toString());
            }
        }
        p.unsigned(Kind.ANY, "metric", "metric %s ", r.priority() & 0xFFFF_FFFFL);
        p.openArray(Kind.JSON, p.inJson() ? "flags" : "");
        if (q.notify) {
            p.string(Kind.ANY, null, "%s ", "notify");
        }
        p.closeArray(Kind.JSON, null);
        RoutePrinter.pref(p, r.pref());
        p.string(Kind.TEXT, null, "\n", null);
        p.closeObject();
        p.endJson();
        s.flush(p);
        return 0;
    }

    /** The route and the flow as the kernel filled it in. */
    private record Answer(Dst route, Flow flow) {
    }

    /** {@code inet_rtm_getroute}'s lookup: input with an {@code iif}, output otherwise. */
    private static Answer lookup(IpSession s, Request q, NetDevice iif, NetDevice oif) {
        Ipv4Address dst = (Ipv4Address) q.destination.prefix().address();
        Ipv4Address src = q.from == null || q.from.address() == null ? Ipv4Address.ANY
                : (Ipv4Address) q.from.address();
        Flow flow = Flow.output(dst, src, oif == null ? 0 : oif.ifindex());
        flow.tos = q.tos;
        flow.mark = (int) q.mark;
        flow.uid = iif != null ? -1 : q.uid != null ? q.uid.intValue() : 0;
        flow.protocol = q.ipProtocol != null ? q.ipProtocol : 0;
        flow.sourcePort = q.sourcePort;
        flow.destinationPort = q.destinationPort;
        Dst route;
        if (iif != null) {
            flow.inputInterface = iif.ifindex();
            route = s.netns().stack().ipv4().routing().input(dst, src, q.tos, iif, true, flow.protocol);
            if (route.error() != null) {
                throw new KernelException(route.error());
            }
        } else {
            route = s.netns().stack().ipv4().routing().output(flow);
        }
        if (q.fibMatch && route.fibRoute() == null) {
            throw new KernelException(route.type().isReject() ? dev.ipsim.kernel.Errno.EINVAL
                    : dev.ipsim.kernel.Errno.EHOSTUNREACH);
        }
        return new Answer(route, flow);
    }

    /** {@code rt_fill_info}, then {@code print_route} of a cloned route; or the table row for {@code fibmatch}. */
    private static void print(IpSession s, Printer p, Request q, Answer answer, NetDevice iif) {
        Dst rt = answer.route();
        if (q.fibMatch) {
            RoutePrinter rp = new RoutePrinter(s, p);
            rp.print(rt.fibRoute(), rt.tableId() == RouteTableId.MAIN);
            s.write(p);
            return;
        }
        IpOptions o = s.options();
        p.openObject(null);
        if (rt.type() != RouteType.UNICAST || o.details > 0) {
            p.string(Kind.ANY, "type", "%s ", s.names().routeType(rt.type().number()));
        }
        Ipv4Address dst = (Ipv4Address) q.destination.prefix().address();
        p.colorString(Kind.ANY, Color.INET, "dst", "%s ", dst.toString());
        Ipv4Address src = q.from == null || q.from.address() == null ? Ipv4Address.ANY
                : (Ipv4Address) q.from.address();
        if (!src.isUnspecified()) {
            p.colorString(Kind.ANY, Color.INET, "from", "from %s ", src.toString());
        }
        if (rt.gateway() != null) {
            if (p.inJson()) {
                p.string(Kind.JSON, "gateway", null, rt.gateway().toString());
            } else {
                p.text("via ");
                p.colorString(Kind.TEXT, Color.INET, null, "%s ", rt.gateway().toString());
            }
        }
        if (rt.device() != null) {
            if (p.inJson()) {
                p.string(Kind.JSON, "dev", null, rt.device().name());
            } else {
                p.text("dev ");
                p.colorString(Kind.TEXT, Color.IFNAME, null, "%s ", rt.device().name());
            }
        }
        int table = rt.fibRoute() == null && !rt.input() ? 0 : rt.tableId();
        if (table != 0 && (table != RouteTableId.MAIN || o.details > 0)) {
            p.string(Kind.ANY, "table", "table %s ", s.names().table(table));
        }
        Ipv4Address chosen = answer.flow().source;
        if (!rt.input() && !chosen.equals(src)) {
            if (p.inJson()) {
                p.string(Kind.JSON, "prefsrc", null, chosen.toString());
            } else {
                p.text("src ");
                p.colorString(Kind.TEXT, Color.INET, null, "%s ", chosen.toString());
            }
        }
        p.openArray(Kind.JSON, p.inJson() ? "flags" : "");
        if (q.notify) {
            p.string(Kind.ANY, null, "%s ", "notify");
        }
        p.closeArray(Kind.JSON, null);
        if (q.mark != 0) {
            if (p.inJson()) {
                p.unsigned(Kind.JSON, "mark", null, q.mark);
            } else if (q.mark >= 16) {
                p.text("mark 0x" + Long.toHexString(q.mark) + " ");
            } else {
                p.text("mark " + q.mark + " ");
            }
        }
        if (answer.flow().uid >= 0) {
            p.unsigned(Kind.ANY, "uid", "uid %s ", answer.flow().uid & 0xFFFF_FFFFL);
        }
        cacheFlags(p, rt.flags() | (q.notify ? RouteFlags.NOTIFY : 0));
        cacheInfo(s, p, rt);
        if (iif != null) {
            if (p.inJson()) {
                p.string(Kind.JSON, "iif", null, iif.name());
            } else {
                p.text("iif ");
                p.colorString(Kind.TEXT, Color.IFNAME, null, "%s ", iif.name());
            }
        }
        p.string(Kind.TEXT, null, "\n", null);
        p.closeObject();
    }

    /** {@code USER_HZ}: the clock ticks {@code rta_expires} counts in. */
    private static final long USER_HZ = 100;

    /**
     * {@code print_rta_cacheinfo}: {@code expires Nsec} for what expires (a redirect's
     * exception): the kernel's jiffies left, in {@code USER_HZ} ticks, in whole seconds.
     */
    static void cacheInfo(IpSession s, Printer p, Dst rt) {
        if (rt.expiresAt() == 0) {
            return;
        }
        long nowJiffies = dev.ipsim.kernel.time.Jiffies.now(s.netns().kernel().clock());
        long expiresJiffies = rt.expiresAt() / dev.ipsim.kernel.time.Jiffies.NANOS_PER_JIFFY;
        long left = Math.max(0, expiresJiffies - nowJiffies);
        long ticks = left * USER_HZ / dev.ipsim.kernel.time.Jiffies.HZ;
        if (ticks != 0) {
            p.integer(Kind.ANY, "expires", "expires %dsec ", ticks / USER_HZ);
        }
    }

    /** {@code print_cache_flags}: {@code cache} and the {@code RTCF_*} names in iproute2's order. */
    static void cacheFlags(Printer p, int flags) {
        int f = flags & ~0xFFFF;
        if (p.inJson()) {
            p.openArray(Kind.JSON, "cache");
        } else {
            p.text(p.lineSeparator() + "    cache ");
            if (f == 0) {
                return;
            }
            p.text("<");
        }
        int[] bits = {RouteFlags.LOCAL, RouteFlags.REJECT, RouteFlags.MULTICAST, RouteFlags.BROADCAST,
            RouteFlags.DNAT, RouteFlags.SNAT, RouteFlags.MASQ, RouteFlags.DIRECTDST, RouteFlags.DIRECTSRC,
            RouteFlags.REDIRECTED, RouteFlags.DOREDIRECT, RouteFlags.FAST, RouteFlags.NOTIFY, RouteFlags.TPROXY};
        String[] names = {"local", "reject", "mc", "brd", "dst-nat", "src-nat", "masq", "dst-direct", "src-direct",
            "redirected", "redirect", "fastroute", "notify", "proxy"};
        for (int i = 0; i < bits.length; i++) {
            if ((f & bits[i]) != 0) {
                f &= ~bits[i];
                if (p.inJson()) {
                    p.string(Kind.JSON, null, null, names[i]);
                } else {
                    p.text(names[i] + (f != 0 ? "," : "> "));
                }
            }
        }
        if (f != 0) {
            p.hex(Kind.ANY, "flags", "%x>", f);
        }
        if (p.inJson()) {
            p.closeArray(Kind.JSON, null);
        }
    }
}
