package dev.ipsim.commands.ip;

import static dev.ipsim.commands.cli.Matching.matches;

import dev.ipsim.commands.Exit;
import dev.ipsim.commands.cli.Args;
import dev.ipsim.commands.cli.CNumbers;
import dev.ipsim.commands.output.Printer;
import dev.ipsim.commands.output.Printer.Color;
import dev.ipsim.commands.output.Printer.Kind;
import dev.ipsim.kernel.Errno;
import dev.ipsim.kernel.KernelException;
import dev.ipsim.kernel.addr.Family;
import dev.ipsim.kernel.addr.IpAddress;
import dev.ipsim.kernel.addr.IpPrefix;
import dev.ipsim.kernel.addr.MacAddress;
import dev.ipsim.kernel.link.NetDevice;
import dev.ipsim.kernel.neigh.Neighbour;
import dev.ipsim.kernel.neigh.NeighbourTable;
import dev.ipsim.kernel.neigh.NudState;
import dev.ipsim.kernel.time.Jiffies;
import java.util.ArrayList;
import java.util.List;

/** {@code ip neigh} ({@code ip/ipneigh.c do_ipneigh}). */
final class IpNeigh {

    static final String USAGE = """
            Usage: ip neigh { add | del | change | replace }
                            { ADDR [ lladdr LLADDR ] [ nud STATE ] proxy ADDR }
                            [ dev DEV ] [ router ] [ use ] [ managed ] [ extern_learn ]
                            [ protocol PROTO ]

            \tip neigh { show | flush } [ proxy ] [ to PREFIX ] [ dev DEV ] [ nud STATE ]
            \t\t\t\t  [ vrf NAME ] [ nomaster ]
            \tip neigh get { ADDR | proxy ADDR } dev DEV

            STATE := { delay | failed | incomplete | noarp | none |
                       permanent | probe | reachable | stale }
            """;

    /** {@code NUD_VALID} in iproute2's own definition, and the bit {@code nud none} stands for. */
    private static final int FILTER_NONE = 0x100;
    private static final int MAX_ROUNDS = 10;
    /** {@code USER_HZ}: the unit of the ages in {@code NDA_CACHEINFO}. */
    private static final int USER_HZ = 100;

    private IpNeigh() {
    }

    static int usage(IpSession s) {
        s.err().print(USAGE);
        throw new Exit(255);
    }

    /** {@code do_ipneigh}: verbs in first-match order. */
    static int run(IpSession s, List<String> args) {
        if (args.isEmpty()) {
            return showOrFlush(s, args, false);
        }
        String verb = args.get(0);
        List<String> rest = args.subList(1, args.size());
        if (matches(verb, "add")) {
            return modify(s, rest, Request.ADD);
        }
        if (matches(verb, "change") || verb.equals("chg")) {
            return modify(s, rest, Request.CHANGE);
        }
        if (matches(verb, "replace")) {
            return modify(s, rest, Request.REPLACE);
        }
        if (matches(verb, "delete")) {
            return modify(s, rest, Request.DELETE);
        }
        if (matches(verb, "get")) {
            return get(s, rest);
        }
        if (matches(verb, "show") || matches(verb, "lst") || matches(verb, "list")) {
            return showOrFlush(s, rest, false);
        }
        if (matches(verb, "flush")) {
            return showOrFlush(s, rest, true);
        }
        if (matches(verb, "help")) {
            return usage(s);
        }
        s.err().print("Command \"" + verb + "\" is unknown, try \"ip neigh help\".\n");
        throw new Exit(255);
    }

    /** {@code nud_state_a2n}: a state name, or a number with one bit below 0x100; {@code null} when bad. */
    static Integer nudState(String arg) {
        if (matches(arg, "permanent")) {
            return NudState.PERMANENT.bit();
        } else if (matches(arg, "reachable")) {
            return NudState.REACHABLE.bit();
        } else if (arg.equals("noarp")) {
            return NudState.NOARP.bit();
        } else if (arg.equals("none")) {
            return NudState.NONE.bit();
        } else if (arg.equals("stale")) {
            return NudState.STALE.bit();
        } else if (arg.equals("incomplete")) {
            return NudState.INCOMPLETE.bit();
        } else if (arg.equals("delay")) {
            return NudState.DELAY.bit();
        } else if (arg.equals("probe")) {
            return NudState.PROBE.bit();
        } else if (matches(arg, "failed")) {
            return NudState.FAILED.bit();
        }
        Long v = CNumbers.getUnsigned(arg, 0);
        if (v == null || v >= 0x100 || (v & (v - 1)) != 0) {
            return null;
        }
        return v.intValue();
    }

    private enum Request {
        ADD(true, true, false), CHANGE(false, false, true), REPLACE(true, false, true), DELETE(false, false, false);

        final boolean create;
        final boolean exclusive;
        final boolean replace;

        Request(boolean create, boolean exclusive, boolean replace) {
            this.create = create;
            this.exclusive = exclusive;
            this.replace = replace;
        }
    }

    /** {@code ipneigh_modify}. */
    private static int modify(IpSession s, List<String> args, Request request) {
        int family = s.options().family;
        int state = NudState.PERMANENT.bit();
        String dev = null;
        boolean devOk = false;
        InetArg dst = null;
        String lladdr = null;
        boolean router = false;
        boolean proxy = false;
        Integer protocol = null;
        Args a = new Args(args, s.messages());
        while (a.hasNext()) {
            String w = a.current();
            if (matches(w, "lladdr")) {
                String v = a.next();
                if (lladdr != null) {
                    s.messages().duplicateArgument("lladdr", v);
                }
                lladdr = v;
            } else if (w.equals("nud")) {
                String v = a.next();
                Integer st = nudState(v);
                if (st == null) {
                    s.messages().invalidArgument("nud state is bad", v);
                }
                state = st;
            } else if (matches(w, "proxy")) {
                String v = a.next();
                if (matches(v, "help")) {
                    usage(s);
                }
                if (dst != null) {
                    s.messages().duplicateArgument("address", v);
                }
                dst = InetArg.addressOrExit(v, family, s.err());
                devOk = true;
                proxy = true;
            } else if (w.equals("router")) {
                router = true;
            } else if (w.equals("use") || w.equals("managed") || matches(w, "extern_learn")) {
                // accepted; the model does not distinguish these entries
            } else if (w.equals("dev")) {
                dev = a.next();
                devOk = true;
            } else if (matches(w, "protocol")) {
                String v = a.next();
                protocol = Names.protocolNumber(v);
                if (protocol == null) {
                    s.messages().invalidArgument("\"protocol\" value is invalid\n", v);
                }
            } else {
                if (w.equals("to")) {
                    w = a.next();
                }
                if (matches(w, "help")) {
                    w = a.next();
                }
                if (dst != null) {
                    s.messages().duplicateOrGarbage("to", w);
                }
                dst = InetArg.addressOrExit(w, family, s.err());
            }
            a.advance();
        }
        if (!devOk || dst == null || dst.address() == null) {
            s.err().print("Device and destination are required arguments.\n");
            throw new Exit(255);
        }
        MacAddress mac = null;
        if (lladdr != null && !lladdr.equals("null")) {
            byte[] bytes = linkLayerAddress(s, lladdr);
            if (bytes == null) {
                return -1;
            }
            mac = bytes.length >= 6 ? MacAddress.ofBytes(bytes, 0) : null;
            if (mac == null) {
                s.printKernelError(new KernelException(Errno.EINVAL, "Invalid link address"));
                throw new Exit(2);
            }
        }
        NetDevice device = null;
        if (dev != null) {
            device = s.device(dev);
            if (device == null) {
                s.messages().cannotFindDevice(dev);
                return -1;
            }
        }
        NeighbourTable table = tableFor(s, dst.address().family());
        if (proxy) {
            // neigh_add/neigh_delete with NTF_PROXY: pneigh_lookup creates (never EEXIST), pneigh_delete
            try {
                if (request == Request.DELETE) {
                    table.deleteProxy(dst.address(), device);
                } else {
                    table.addProxy(dst.address(), device, protocol == null ? 0 : protocol);
                }
            } catch (KernelException e) {
                s.printKernelError(e);
                throw new Exit(2);
            }
            return 0;
        }
        try {
            if (request == Request.DELETE) {
                table.delete(dst.address(), device);
            } else {
                table.add(dst.address(), device, mac, NudState.ofBit(state), router,
                        protocol == null ? 0 : protocol, request.create, request.exclusive, request.replace);
            }
        } catch (KernelException e) {
            s.printKernelError(e);
            throw new Exit(2);
        }
        return 0;
    }

    private static NeighbourTable tableFor(IpSession s, Family family) {
        return family == Family.INET6 ? s.netns().stack().ipv6().neighbours() : s.netns().stack().ipv4().neighbours();
    }

    /** {@code ll_addr_a2n}: colon-separated hex bytes (or a dotted IPv4 address); {@code null} after an error. */
    static byte[] linkLayerAddress(IpSession s, String arg) {
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
        List<Byte> out = new ArrayList<>();
        String rest = arg;
        for (int i = 0; i < 20; i++) {
            int colon = rest.indexOf(':');
            String part = colon >= 0 ? rest.substring(0, colon) : rest;
            Long v = scanHex(part);
            if (v == null || v > 255) {
                s.err().print("\"" + part + "\" is invalid lladdr.\n");
                return null;
            }
            out.add((byte) (long) v);
            if (colon < 0) {
                break;
            }
            rest = rest.substring(colon + 1);
        }
        byte[] b = new byte[out.size()];
        for (int i = 0; i < b.length; i++) {
            b[i] = out.get(i);
        }
        return b;
    }

    /** {@code sscanf("%x")}: leading blanks, an optional 0x, hex digits up to the first non-digit. */
    private static Long scanHex(String s) {
        String t = s.stripLeading();
        if (t.startsWith("0x") || t.startsWith("0X")) {
            t = t.substring(2);
        }
        int end = 0;
        while (end < t.length() && Character.digit(t.charAt(end), 16) >= 0) {
            end++;
        }
        if (end == 0) {
            return null;
        }
        try {
            return Long.parseLong(t.substring(0, Math.min(end, 15)), 16);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    // ------------------------------------------------------------------ show and flush

    /** {@code struct filter} of ipneigh.c. */
    private static final class Filter {
        int family;
        NetDevice device;
        int state;
        InetArg prefix;
        int protocol;
        boolean unusedOnly;
        /** {@code NTF_PROXY} in the request: the proxy entries are dumped instead. */
        boolean proxy;
    }

    /** {@code do_show_or_flush}. */
    private static int showOrFlush(IpSession s, List<String> args, boolean flush) {
        Filter f = new Filter();
        f.family = s.options().family;
        String filterDev = null;
        boolean stateGiven = false;
        if (flush) {
            if (args.isEmpty()) {
                s.err().print("Flush requires arguments.\n");
                return -1;
            }
            f.state = ~(NudState.PERMANENT.bit() | NudState.NOARP.bit());
        } else {
            f.state = 0xFF & ~NudState.NOARP.bit();
        }
        Args a = new Args(args, s.messages());
        while (a.hasNext()) {
            String w = a.current();
            if (w.equals("dev")) {
                String v = a.next();
                if (filterDev != null) {
                    s.messages().duplicateArgument("dev", v);
                }
                filterDev = v;
            } else if (w.equals("master") || w.equals("vrf")) {
                String v = a.next();
                if (s.device(v) == null) {
                    s.messages().invalidArgument(w.equals("vrf") ? "Not a valid VRF name\n"
                            : "Device does not exist\n", v);
                }
                s.err().print("ipsim: filtering neighbours by master is not simulated yet\n");
                return -1;
            } else if (w.equals("nomaster")) {
                // no device has a master in this model
            } else if (w.equals("unused")) {
                f.unusedOnly = true;
            } else if (w.equals("nud")) {
                String v = a.next();
                if (!stateGiven) {
                    stateGiven = true;
                    f.state = 0;
                }
                Integer st = nudState(v);
                int bits;
                if (st == null) {
                    if (!v.equals("all")) {
                        s.messages().invalidArgument("nud state is bad", v);
                    }
                    bits = ~0;
                    if (flush) {
                        bits &= ~NudState.NOARP.bit();
                    }
                } else {
                    bits = st;
                }
                if (bits == 0) {
                    bits = FILTER_NONE;
                }
                f.state |= bits;
            } else if (w.equals("proxy")) {
                if (flush) {
                    s.err().print("ipsim: flushing proxy neighbour entries is not simulated yet\n");
                    return -1;
                }
                f.proxy = true;
            } else if (matches(w, "protocol")) {
                String v = a.next();
                Integer p = Names.protocolNumber(v);
                if (p == null) {
                    if (!v.equals("all")) {
                        s.messages().invalidArgument("invalid \"protocol\"\n", v);
                    }
                    p = 0;
                }
                f.protocol = p;
            } else {
                if (w.equals("to")) {
                    w = a.next();
                }
                if (matches(w, "help")) {
                    usage(s);
                }
                f.prefix = InetArg.prefixOrExit(w, f.family, s.err());
                if (f.family == IpOptions.AF_UNSPEC) {
                    f.family = f.prefix.family();
                }
            }
            a.advance();
        }
        if (filterDev != null) {
            f.device = s.device(filterDev);
            if (f.device == null) {
                s.messages().cannotFindDevice(filterDev);
                return -1;
            }
        }
        if (flush) {
            return flush(s, f);
        }
        Printer p = s.printer();
        p.beginJson();
        if (f.proxy) {
            for (NeighbourTable t : s.netns().stack().neighbourTables()) {
                if (f.family == IpOptions.AF_INET && t.family() != Family.INET
                        || f.family == IpOptions.AF_INET6 && t.family() != Family.INET6) {
                    continue;
                }
                for (NeighbourTable.ProxyEntry e : t.proxies()) {
                    if (f.device != null && e.device() != f.device
                            || f.prefix != null && !prefixMatches(f.prefix, e.key())
                            || f.protocol != 0 && f.protocol != e.protocol()) {
                        continue;
                    }
                    printProxy(s, p, e, f.device != null);
                    s.write(p);
                }
            }
        }
        for (Neighbour n : f.proxy ? List.<Neighbour>of() : dump(s, f)) {
            print(s, p, n, f.device != null, false);
            s.write(p);
        }
        p.endJson();
        s.flush(p);
        return 0;
    }

    /** The kernel's dump ({@code neigh_dump_info}), then iproute2's own filtering ({@code print_neigh}). */
    private static List<Neighbour> dump(IpSession s, Filter f) {
        List<Neighbour> out = new ArrayList<>();
        for (NeighbourTable t : s.netns().stack().neighbourTables()) {
            if (f.family == IpOptions.AF_INET && t.family() != Family.INET
                    || f.family == IpOptions.AF_INET6 && t.family() != Family.INET6) {
                continue;
            }
            for (Neighbour n : t.entries()) {
                if (f.device != null && n.device() != f.device) {
                    continue;
                }
                int state = n.state().bit();
                if ((f.state & state) == 0 && (state != 0 || (f.state & FILTER_NONE) == 0)) {
                    continue;
                }
                if (f.prefix != null && !prefixMatches(f.prefix, n.key())) {
                    continue;
                }
                if (f.protocol != 0 && f.protocol != n.protocol()) {
                    continue;
                }
                if (f.unusedOnly && references(n) > 0) {
                    continue;
                }
                out.add(n);
            }
        }
        return out;
    }

    /** {@code inet_addr_match_rta}: a prefix filter matches addresses of its family inside it. */
    private static boolean prefixMatches(InetArg prefix, IpAddress key) {
        if (prefix.address() == null || prefix.bitlen() <= 0) {
            return prefix.family() == 0 || familyOf(key) == prefix.family();
        }
        if (familyOf(key) != prefix.family()) {
            return false;
        }
        return new IpPrefix(prefix.address(), prefix.bitlen()).contains(key);
    }

    private static int familyOf(IpAddress a) {
        return a.family() == Family.INET6 ? IpOptions.AF_INET6 : IpOptions.AF_INET;
    }

    /** What the kernel reports as the entry's users: its pending timer holds one reference. */
    private static int references(Neighbour n) {
        return n.state().inTimer() ? 1 : 0;
    }

    /** The flush rounds: delete what the dump shows until a dump shows nothing. */
    private static int flush(IpSession s, Filter f) {
        int round = 0;
        while (round < MAX_ROUNDS) {
            List<Neighbour> victims = dump(s, f);
            if (victims.isEmpty()) {
                if (s.options().stats > 0) {
                    if (round == 0) {
                        s.out().print("Nothing to flush.\n");
                    } else {
                        s.out().print("*** Flush is complete after " + round + " round" + (round > 1 ? "s" : "")
                                + " ***\n");
                    }
                }
                s.out().flush();
                return 0;
            }
            round++;
            for (Neighbour n : victims) {
                try {
                    n.table().delete(n.key(), n.device());
                } catch (KernelException e) {
                    // gone meanwhile
                }
            }
            if (s.options().stats > 0) {
                s.out().print("\n*** Round " + round + ", deleting " + victims.size() + " entries ***\n");
                s.out().flush();
            }
            f.state &= ~NudState.FAILED.bit();
        }
        s.out().print("*** Flush not complete bailing out after " + MAX_ROUNDS + " rounds\n");
        return 1;
    }

    // ------------------------------------------------------------------ get

    /** {@code ipneigh_get}. */
    private static int get(IpSession s, List<String> args) {
        int family = s.options().family;
        String dev = null;
        boolean devOk = false;
        InetArg dst = null;
        Args a = new Args(args, s.messages());
        while (a.hasNext()) {
            String w = a.current();
            if (w.equals("dev")) {
                dev = a.next();
                devOk = true;
            } else if (matches(w, "proxy")) {
                String v = a.next();
                if (matches(v, "help")) {
                    usage(s);
                }
                if (dst != null) {
                    s.messages().duplicateArgument("address", v);
                }
                dst = InetArg.addressOrExit(v, family, s.err());
                s.err().print("ipsim: proxy neighbour entries are not simulated yet\n");
                return -1;
            } else {
                if (w.equals("to")) {
                    w = a.next();
                }
                if (matches(w, "help")) {
                    usage(s);
                }
                if (dst != null) {
                    s.messages().duplicateOrGarbage("to", w);
                }
                dst = InetArg.addressOrExit(w, family, s.err());
            }
            a.advance();
        }
        if (!devOk || dst == null || dst.address() == null) {
            s.err().print("Device and address are required arguments.\n");
            return -1;
        }
        NetDevice device = s.device(dev);
        if (device == null) {
            s.err().print("Cannot find device \"" + dev + "\"\n");
            return -1;
        }
        Neighbour n = tableFor(s, dst.address().family()).lookup(dst.address(), device);
        if (n == null) {
            s.printKernelError(new KernelException(Errno.ENOENT, "Neighbour entry not found"));
            return -2;
        }
        Printer p = s.printer();
        print(s, p, n, false, true);
        s.flush(p);
        return 0;
    }

    // ------------------------------------------------------------------ print_neigh

    /** {@code print_neigh}: one entry, fields in iproute2's order. */
    static void print(IpSession s, Printer p, Neighbour n, boolean devFiltered, boolean single) {
        p.openObject(null);
        Color color = n.key().family() == Family.INET6 ? Color.INET6 : Color.INET;
        if (s.options().brief > 0) {
            p.colorString(Kind.ANY, color, "dst", "%-39s ", n.key().toString());
            if (!devFiltered) {
                p.colorString(Kind.ANY, Color.IFNAME, "dev", "%-16s ", n.device().name());
            }
            if (n.state().isValid()) {
                p.colorString(Kind.ANY, Color.MAC, "lladdr", "%s", n.lladdr().toString());
            }
            p.string(Kind.TEXT, null, "\n", null);
            p.closeObject();
            return;
        }
        p.colorString(Kind.ANY, color, "dst", "%s ", n.key().toString());
        if (!devFiltered) {
            p.text("dev ");
            p.colorString(Kind.ANY, Color.IFNAME, "dev", "%s ", n.device().name());
        }
        if (n.state().isValid()) {
            p.text("lladdr ");
            p.colorString(Kind.ANY, Color.MAC, "lladdr", "%s ", n.lladdr().toString());
        }
        if (n.isRouter()) {
            p.nullValue(Kind.ANY, "router", "%s ", "router");
        }
        if (s.options().stats > 0) {
            long now = Jiffies.now(s.netns().kernel().clock());
            int refs = references(n);
            if (refs > 0) {
                p.unsigned(Kind.ANY, "refcnt", " ref %s", refs);
            }
            p.unsigned(Kind.ANY, "used", " used %s", age(now, n.used()));
            p.unsigned(Kind.ANY, "confirmed", "/%s", age(now, n.confirmed()));
            p.unsigned(Kind.ANY, "updated", "/%s", age(now, n.updated()));
            p.unsigned(Kind.ANY, "probes", "probes %s ", n.probes());
        }
        if (n.state() != NudState.NONE) {
            p.openArray(Kind.JSON, p.inJson() ? "state" : "");
            p.string(Kind.ANY, null, "%s ", n.state().name());
            p.closeArray(Kind.JSON, null);
        }
        if (n.protocol() != 0) {
            p.string(Kind.ANY, "protocol", "proto %s ", s.names().protocol(n.protocol()));
        }
        p.string(Kind.TEXT, null, "\n", null);
        p.closeObject();
    }

    /**
     * {@code print_neigh} of a proxy entry ({@code pneigh_fill_info}): no link-layer address,
     * no state, no cache information; {@code dev} only for an entry tied to a device.
     */
    private static void printProxy(IpSession s, Printer p, NeighbourTable.ProxyEntry e, boolean devFiltered) {
        p.openObject(null);
        Color color = e.key().family() == Family.INET6 ? Color.INET6 : Color.INET;
        if (s.options().brief > 0) {
            p.colorString(Kind.ANY, color, "dst", "%-39s ", e.key().toString());
            if (!devFiltered && e.device() != null) {
                p.colorString(Kind.ANY, Color.IFNAME, "dev", "%-16s ", e.device().name());
            }
            p.string(Kind.TEXT, null, "\n", null);
            p.closeObject();
            return;
        }
        p.colorString(Kind.ANY, color, "dst", "%s ", e.key().toString());
        if (!devFiltered && e.device() != null) {
            p.text("dev ");
            p.colorString(Kind.ANY, Color.IFNAME, "dev", "%s ", e.device().name());
        }
        p.nullValue(Kind.ANY, "proxy", "%s ", "proxy");
        if (e.protocol() != 0) {
            p.string(Kind.ANY, "protocol", "proto %s ", s.names().protocol(e.protocol()));
        }
        p.string(Kind.TEXT, null, "\n", null);
        p.closeObject();
    }

    /** An age in whole seconds, as {@code jiffies_to_clock_t} and then {@code / hz} give it. */
    private static long age(long now, long then) {
        long clockTicks = (now - then) * USER_HZ / Jiffies.HZ;
        return Math.max(0, clockTicks) / USER_HZ;
    }
}
