package dev.ipsim.commands.ip;

import static dev.ipsim.commands.cli.Matching.matches;

import dev.ipsim.commands.Exit;
import dev.ipsim.commands.cli.Args;
import dev.ipsim.commands.cli.CNumbers;
import dev.ipsim.commands.output.Printer;
import dev.ipsim.commands.output.Printer.Color;
import dev.ipsim.commands.output.Printer.Kind;
import dev.ipsim.kernel.KernelException;
import dev.ipsim.kernel.addr.Family;
import dev.ipsim.kernel.addr.IpAddress;
import dev.ipsim.kernel.addr.IpPrefix;
import dev.ipsim.kernel.route.FibRule;
import dev.ipsim.kernel.route.FibRules;
import dev.ipsim.kernel.route.RouteProtocol;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ip rule} ({@code ip/iprule.c}): listing with selectors, add, delete and flush of the
 * routing policy rules, over the namespace's {@link FibRules}.
 */
final class IpRule {

    private static final String USAGE = """
            Usage: ip rule { add | del } SELECTOR ACTION
                   ip rule { flush | save | restore }
                   ip rule [ list [ SELECTOR ]]
            SELECTOR := [ not ] [ from PREFIX ] [ to PREFIX ] [ tos TOS ]
                        [ fwmark FWMARK[/MASK] ]
                        [ iif STRING ] [ oif STRING ] [ pref NUMBER ] [ l3mdev ]
                        [ uidrange NUMBER-NUMBER ]
                        [ ipproto PROTOCOL ]
                        [ sport [ NUMBER | NUMBER-NUMBER ]
                        [ dport [ NUMBER | NUMBER-NUMBER ] ]
            ACTION := [ table TABLE_ID ]
                      [ protocol PROTO ]
                      [ nat ADDRESS ]
                      [ realms [SRCREALM/]DSTREALM ]
                      [ goto NUMBER ]
                      SUPPRESSOR
            SUPPRESSOR := [ suppress_prefixlength NUMBER ]
                          [ suppress_ifgroup DEVGROUP ]
            TABLE_ID := [ local | main | default | NUMBER ]
            """;

    /** {@code RTN_NAT}: the deprecated "nat" action, which the kernel keeps and never applies. */
    private static final int RTN_NAT = 10;
    /** {@code IFNAMSIZ}. */
    private static final int IFNAMSIZ = 16;
    /** {@code EINVAL}, which {@code iprule_modify} returns itself for an l3mdev rule with a table. */
    private static final int EINVAL = 22;

    private static final Pattern UID_RANGE = Pattern.compile("\\s*\\+?(\\d+)-\\s*\\+?(\\d+).*", Pattern.DOTALL);
    private static final Pattern PORT_RANGE = Pattern.compile("\\s*\\+?(\\d+)(?:-\\s*\\+?(\\d+))?.*",
            Pattern.DOTALL);

    private IpRule() {
    }

    /** {@code do_iprule}. */
    static int run(IpSession s, List<String> args) {
        if (args.isEmpty()) {
            return list(s, args, false);
        }
        String verb = args.get(0);
        List<String> rest = args.subList(1, args.size());
        if (matches(verb, "list") || matches(verb, "lst") || matches(verb, "show")) {
            return list(s, rest, false);
        } else if (matches(verb, "save") || matches(verb, "restore")) {
            s.err().print("ipsim: ip rule " + (matches(verb, "save") ? "save" : "restore")
                    + " (a binary netlink dump) is not simulated yet\n");
            return -1;
        } else if (matches(verb, "add")) {
            return modify(s, rest, true);
        } else if (matches(verb, "delete")) {
            return modify(s, rest, false);
        } else if (matches(verb, "flush")) {
            return list(s, rest, true);
        } else if (matches(verb, "help")) {
            return usage(s);
        }
        s.err().print("Command \"" + verb + "\" is unknown, try \"ip rule help\".\n");
        throw new Exit(255);
    }

    private static int usage(IpSession s) {
        s.err().print(USAGE);
        throw new Exit(255);
    }

    private static Family family(IpSession s) {
        return s.options().family == IpOptions.AF_INET6 ? Family.INET6 : Family.INET;
    }

    private static FibRules rules(IpSession s, Family f) {
        return f == Family.INET6 ? s.netns().ipv6().rules() : s.netns().ipv4().rules();
    }

    // ------------------------------------------------------------------ list and flush

    /** The listing filter ({@code filter} in {@code iprule.c}). */
    private static final class Filter {
        boolean not;
        boolean l3mdev;
        String iif;
        String oif;
        long[] uidRange;
        long table;
        Integer tos;
        Long pref;
        long fwmark;
        long fwmask;
        InetArg src;
        InetArg dst;
        int protocol;
        int protocolMask;
        int ipProtocol;
        int[] sport;
        int[] dport;
    }

    /** {@code iprule_list_flush_or_save}. */
    private static int list(IpSession s, List<String> args, boolean flush) {
        Family family = family(s);
        int af = family == Family.INET6 ? IpOptions.AF_INET6 : IpOptions.AF_INET;
        Filter f = new Filter();
        Args a = new Args(args, s.messages());
        while (a.hasNext()) {
            String w = a.current();
            if (matches(w, "preference") || matches(w, "order") || matches(w, "priority")) {
                String v = a.next();
                Long pref = CNumbers.getU32(v, 0);
                if (pref == null) {
                    s.messages().invalidArgument("preference value is invalid\n", v);
                }
                f.pref = pref;
            } else if (w.equals("not")) {
                f.not = true;
            } else if (w.equals("tos") || w.equals("dsfield")) {
                String v = a.next();
                Integer tos = Names.dsfieldNumber(v);
                if (tos == null) {
                    s.messages().invalidArgument("TOS value is invalid\n", v);
                }
                f.tos = tos;
            } else if (w.equals("fwmark")) {
                String v = a.next();
                int slash = v.indexOf('/');
                String markText = slash >= 0 ? v.substring(0, slash) : v;
                Long mark = CNumbers.getU32(markText, 0);
                if (mark == null) {
                    s.messages().invalidArgument("fwmark value is invalid\n", markText);
                }
                f.fwmark = mark;
                if (slash >= 0) {
                    Long mask = CNumbers.getU32(v.substring(slash + 1), 0);
                    if (mask == null) {
                        s.messages().invalidArgument("fwmask value is invalid\n", v.substring(slash + 1));
                    }
                    f.fwmask = mask;
                }
            } else if (w.equals("dev") || w.equals("iif")) {
                String v = a.next();
                if (!validIfname(v)) {
                    s.messages().invalidArgument("\"iif\"/\"dev\" not a valid ifname", v);
                }
                f.iif = v;
            } else if (w.equals("oif")) {
                String v = a.next();
                if (!validIfname(v)) {
                    s.messages().invalidArgument("\"oif\" not a valid ifname", v);
                }
                f.oif = v;
            } else if (w.equals("l3mdev")) {
                f.l3mdev = true;
            } else if (w.equals("uidrange")) {
                String v = a.next();
                long[] r = uidRange(v);
                if (r == null) {
                    s.messages().invalidArgument("invalid UID range\n", v);
                }
                f.uidRange = r;
            } else if (matches(w, "tun_id")) {
                String v = a.next();
                if (CNumbers.strtoul(v, 0).end() == 0 || !CNumbers.strtoul(v, 0).consumedAll(v)) {
                    s.messages().invalidArgument("\"tun_id\" value is invalid\n", v);
                }
            } else if (matches(w, "lookup") || matches(w, "table")) {
                String v = a.next();
                Long tid = Names.tableNumber(v);
                if (tid == null) {
                    s.messages().invalidArgument("table id value is invalid\n", v);
                }
                f.table = tid;
            } else if (matches(w, "from") || matches(w, "src")) {
                String v = a.next();
                f.src = InetArg.prefixOrExit(v, af, s.err());
            } else if (matches(w, "protocol")) {
                String v = a.next();
                f.protocolMask = -1;
                Integer prot = Names.protocolNumber(v);
                if (prot == null) {
                    if (!v.equals("all")) {
                        s.messages().invalidArgument("invalid \"protocol\"\n", v);
                    }
                    prot = 0;
                    f.protocolMask = 0;
                }
                f.protocol = prot;
            } else if (w.equals("ipproto")) {
                String v = a.next();
                int p = Names.ipProtocolNumber(v);
                if (p < 0) {
                    s.messages().invalidArgument("Invalid \"ipproto\" value\n", v);
                }
                f.ipProtocol = p;
            } else if (w.equals("sport")) {
                String v = a.next();
                int[] r = portRange(v);
                if (r == null) {
                    s.messages().invalidArgument("invalid port range\n", v);
                }
                f.sport = r;
            } else if (w.equals("dport")) {
                String v = a.next();
                int[] r = portRange(v);
                if (r == null) {
                    s.messages().invalidArgument("invalid dport range\n", v);
                }
                f.dport = r;
            } else {
                if (matches(w, "dst") || matches(w, "to")) {
                    w = a.next();
                }
                f.dst = InetArg.prefixOrExit(w, af, s.err());
            }
            a.advance();
        }
        FibRules rules = rules(s, family);
        if (flush) {
            for (FibRule r : List.copyOf(rules.rules())) {
                if (!shown(f, r)) {
                    continue;
                }
                if (((f.protocol ^ r.protocol()) & f.protocolMask) != 0) {
                    continue;
                }
                if (r.priority() != 0) {
                    // the rule's own dump, sent back as RTM_DELRULE: only rules with FRA_PRIORITY
                    try {
                        deleteExact(s, family, r);
                    } catch (KernelException e) {
                        s.printKernelError(e);
                        s.err().print("Dump terminated\n");
                        return -1;
                    }
                }
            }
            return 0;
        }
        Printer p = s.printer();
        p.beginJson();
        for (FibRule r : rules.rules()) {
            if (shown(f, r)) {
                print(s, p, r);
                s.write(p);
            }
        }
        p.endJson();
        s.flush(p);
        return 0;
    }

    /** Deletes {@code r} itself, as the kernel deletes the rule its own dump names. */
    private static void deleteExact(IpSession s, Family family, FibRule r) {
        FibRule.Spec spec = new FibRule.Spec();
        spec.family = family;
        spec.priority = r.priority();
        spec.action = r.action();
        spec.table = r.table();
        spec.flags = r.flags() & FibRule.FLAG_INVERT;
        spec.source = r.source();
        spec.destination = r.destination();
        spec.tos = r.tos();
        spec.inputDevice = r.inputDevice();
        spec.outputDevice = r.outputDevice();
        if (r.mark() != 0) {
            spec.mark = r.mark();
        }
        if (r.mark() != 0 || r.markMask() != 0) {
            spec.markMask = r.markMask();
        }
        if (r.hasUidRange()) {
            spec.uidRange = new long[] {r.uidStart(), r.uidEnd()};
        }
        spec.ipProtocol = r.ipProtocol();
        int[] sp = r.sourcePorts();
        int[] dp = r.destinationPorts();
        spec.sourcePorts = sp[0] != 0 || sp[1] != 0 ? sp : null;
        spec.destinationPorts = dp[0] != 0 || dp[1] != 0 ? dp : null;
        spec.suppressPrefixLength = r.suppressPrefixLength() != -1 ? r.suppressPrefixLength() : null;
        spec.suppressIfgroup = r.suppressIfgroup() != -1 ? r.suppressIfgroup() : null;
        spec.protocol = r.protocol();
        spec.gotoTarget = r.target() != 0 ? r.target() : null;
        spec.realms = r.realms() != 0 ? r.realms() : null;
        spec.l3mdev = r.l3mdev();
        if (family == Family.INET6) {
            s.netns().ipv6().deleteRule(spec);
        } else {
            s.netns().ipv4().deleteRule(spec);
        }
    }

    /** {@code filter_nlmsg}: whether the listing shows a rule, judged on what its dump carries. */
    private static boolean shown(Filter f, FibRule r) {
        if (f.pref != null && f.pref != r.priority()) {
            return false;
        }
        if (f.not && !r.inverted()) {
            return false;
        }
        if (f.src != null && !prefixMatches(f.src, r.source())) {
            return false;
        }
        if (f.dst != null && !prefixMatches(f.dst, r.destination())) {
            return false;
        }
        if (f.tos != null && f.tos != r.tos()) {
            return false;
        }
        if (f.fwmark != 0 && f.fwmark != r.mark()) {
            return false;
        }
        if (f.fwmask != 0 && f.fwmask != dumpedMask(r)) {
            return false;
        }
        if (f.iif != null && !f.iif.equals(r.inputDevice())) {
            return false;
        }
        if (f.oif != null && !f.oif.equals(r.outputDevice())) {
            return false;
        }
        if (f.l3mdev && !r.l3mdev()) {
            return false;
        }
        if (f.uidRange != null && (!r.hasUidRange() || r.uidStart() != f.uidRange[0]
                || r.uidEnd() != f.uidRange[1])) {
            return false;
        }
        if (f.ipProtocol != 0 && f.ipProtocol != r.ipProtocol()) {
            return false;
        }
        if (f.sport != null && f.sport[0] != 0 && !java.util.Arrays.equals(f.sport, r.sourcePorts())) {
            return false;
        }
        if (f.dport != null && f.dport[0] != 0 && !java.util.Arrays.equals(f.dport, r.destinationPorts())) {
            return false;
        }
        return f.table <= 0 || f.table == r.table();
    }

    /** The mask a dump carries ({@code FRA_FWMASK}, present when the mark or the mask is set). */
    private static long dumpedMask(FibRule r) {
        return r.mark() != 0 || r.markMask() != 0 ? r.markMask() : 0;
    }

    /**
     * The prefix test of {@code filter_nlmsg}: the rule's prefix must be at least as long as the
     * filter's and agree with it on the filter's bits ({@code inet_addr_match_rta}).
     */
    private static boolean prefixMatches(InetArg filter, IpPrefix have) {
        int haveLength = have == null ? 0 : have.length();
        int family = have == null ? -1 : have.family() == Family.INET6 ? IpOptions.AF_INET6 : IpOptions.AF_INET;
        if (have != null && filter.family() != family) {
            return false;
        }
        int bits = Math.max(filter.bitlen(), 0);
        if (bits > haveLength) {
            return false;
        }
        if (have == null || bits == 0 || filter.address() == null) {
            return true;
        }
        return have.address().masked(bits).equals(filter.address().masked(bits));
    }

    // ------------------------------------------------------------------ printing

    /** {@code print_rule}. */
    private static void print(IpSession s, Printer p, FibRule r) {
        Names names = s.names();
        int hostLength = r.family().bits();
        p.openObject(null);
        p.unsigned(Kind.ANY, "priority", "%s:\t", r.priority());
        int flags = r.flags();
        if ((flags & FibRule.FLAG_INVERT) != 0) {
            p.nullValue(Kind.ANY, "not", "not ", null);
        }
        Color color = r.family() == Family.INET6 ? Color.INET6 : Color.INET;
        if (r.source() != null && r.source().length() != 0) {
            p.string(Kind.TEXT, null, "from ", null);
            p.colorString(Kind.ANY, color, "src", "%s", r.source().address().toString());
            if (r.source().length() != hostLength) {
                p.unsigned(Kind.ANY, "srclen", "/%s", r.source().length());
            }
        } else {
            p.string(Kind.ANY, "src", "from %s", "all");
        }
        if (r.destination() != null && r.destination().length() != 0) {
            p.string(Kind.TEXT, null, " to ", null);
            p.colorString(Kind.ANY, color, "dst", "%s", r.destination().address().toString());
            if (r.destination().length() != hostLength) {
                p.unsigned(Kind.ANY, "dstlen", "/%s", r.destination().length());
            }
        }
        if (r.tos() != 0) {
            p.string(Kind.ANY, "tos", " tos %s", names.dsfield(r.tos()));
        }
        if (r.mark() != 0 || r.markMask() != 0) {
            long mask = r.markMask();
            if (mask != 0 && mask != 0xFFFF_FFFFL) {
                p.string(Kind.ANY, "fwmark", " fwmark %s", hex(r.mark()));
                p.string(Kind.ANY, "fwmask", "/%s", hex(mask));
            } else {
                p.string(Kind.ANY, "fwmark", " fwmark %s", hex(r.mark()));
            }
        }
        if (r.inputDevice() != null) {
            p.text(" iif ");
            p.colorString(Kind.ANY, Color.IFNAME, "iif", "%s", r.inputDevice());
            if ((flags & FibRule.FLAG_IIF_DETACHED) != 0) {
                p.nullValue(Kind.ANY, "iif_detached", " [detached]", null);
            }
        }
        if (r.outputDevice() != null) {
            p.text(" oif ");
            p.colorString(Kind.ANY, Color.IFNAME, "oif", "%s", r.outputDevice());
            if ((flags & FibRule.FLAG_OIF_DETACHED) != 0) {
                p.nullValue(Kind.ANY, "oif_detached", " [detached]", null);
            }
        }
        if (r.l3mdev()) {
            p.nullValue(Kind.ANY, "l3mdev", " lookup [l3mdev-table]", null);
        }
        if (r.hasUidRange()) {
            p.unsigned(Kind.ANY, "uid_start", " uidrange %s", r.uidStart());
            p.unsigned(Kind.ANY, "uid_end", "-%s", r.uidEnd());
        }
        if (r.ipProtocol() != 0) {
            p.string(Kind.ANY, "ipproto", " ipproto %s", names.ipProtocol(r.ipProtocol()));
        }
        ports(p, "sport", r.sourcePorts());
        ports(p, "dport", r.destinationPorts());
        if (r.table() != 0) {
            p.string(Kind.ANY, "table", " lookup %s", names.table((int) r.table()));
            if (r.suppressPrefixLength() != -1) {
                p.integer(Kind.ANY, "suppress_prefixlen", " suppress_prefixlength %d", r.suppressPrefixLength());
            }
            if (r.suppressIfgroup() != -1) {
                p.string(Kind.ANY, "suppress_ifgroup", " suppress_ifgroup %s", names.group(r.suppressIfgroup()));
            }
        }
        if (r.realms() != 0) {
            long to = r.realms() & 0xFFFF;
            long from = r.realms() >>> 16;
            if (from != 0) {
                p.string(Kind.ANY, "flow_from", " realms %s/", names.realm((int) from));
            } else {
                p.text(" realms ");
            }
            p.string(Kind.ANY, "flow_to", "%s", names.realm((int) to));
        }
        if (r.action() == RTN_NAT) {
            p.nullValue(Kind.ANY, "masquerade", " masquerade", null);
        } else if (r.action() == FibRule.ACTION_GOTO) {
            if (r.target() != 0) {
                p.unsigned(Kind.ANY, "goto", " goto %s", r.target());
            } else {
                p.string(Kind.ANY, "goto", " goto %s", "none");
            }
            if ((flags & FibRule.FLAG_UNRESOLVED) != 0) {
                p.nullValue(Kind.ANY, "unresolved", " [unresolved]", null);
            }
        } else if (r.action() == FibRule.ACTION_NOP) {
            p.nullValue(Kind.ANY, "nop", " nop", null);
        } else if (r.action() != FibRule.ACTION_TO_TABLE) {
            p.string(Kind.ANY, "action", " %s", names.routeType(r.action()));
        }
        int protocol = r.protocol();
        if ((protocol != 0 && protocol != RouteProtocol.KERNEL) || s.options().details > 0) {
            p.string(Kind.ANY, "protocol", " proto %s", names.protocol(protocol));
        }
        p.string(Kind.TEXT, null, "\n", null);
        p.closeObject();
    }

    private static void ports(Printer p, String key, int[] range) {
        if (range[0] == 0 && range[1] == 0) {
            return;
        }
        if (range[0] == range[1]) {
            p.unsigned(Kind.ANY, key, " " + key + " %s", range[0]);
        } else {
            p.unsigned(Kind.ANY, key + "_start", " " + key + " %s", range[0]);
            p.unsigned(Kind.ANY, key + "_end", "-%s", range[1]);
        }
    }

    /** {@code %#llx}: {@code 0x} and hex digits, or a bare {@code 0}. */
    private static String hex(long v) {
        return v == 0 ? "0" : "0x" + Long.toHexString(v);
    }

    // ------------------------------------------------------------------ add and delete

    /** {@code iprule_modify}. */
    private static int modify(IpSession s, List<String> args, boolean add) {
        int preferred = s.options().family;
        if (args.isEmpty()) {
            s.err().print(add ? "\"ip rule add\" requires arguments.\n" : "\"ip rule del\" requires arguments.\n");
            return -1;
        }
        FibRule.Spec spec = new FibRule.Spec();
        spec.action = add ? FibRule.ACTION_TO_TABLE : FibRule.ACTION_UNSPEC;
        boolean tableOk = false;
        boolean l3mdevRule = false;
        long tid = 0;
        IpAddress sourceAddress = null;
        IpAddress destinationAddress = null;
        Args a = new Args(args, s.messages());
        while (a.hasNext()) {
            String w = a.current();
            if (w.equals("not")) {
                spec.flags |= FibRule.FLAG_INVERT;
            } else if (w.equals("from")) {
                InetArg v = InetArg.prefixOrExit(a.next(), preferred, s.err());
                spec.source = prefix(v);
                sourceAddress = v.address();
            } else if (w.equals("to")) {
                InetArg v = InetArg.prefixOrExit(a.next(), preferred, s.err());
                spec.destination = prefix(v);
                destinationAddress = v.address();
            } else if (matches(w, "preference") || matches(w, "order") || matches(w, "priority")) {
                String v = a.next();
                Long pref = CNumbers.getU32(v, 0);
                if (pref == null) {
                    s.messages().invalidArgument("preference value is invalid\n", v);
                }
                spec.priority = pref;
            } else if (w.equals("tos") || matches(w, "dsfield")) {
                String v = a.next();
                Integer tos = Names.dsfieldNumber(v);
                if (tos == null) {
                    s.messages().invalidArgument("TOS value is invalid\n", v);
                }
                spec.tos = tos;
            } else if (w.equals("fwmark")) {
                String v = a.next();
                int slash = v.indexOf('/');
                String markText = slash >= 0 ? v.substring(0, slash) : v;
                Long mark = CNumbers.getU32(markText, 0);
                if (mark == null) {
                    s.messages().invalidArgument("fwmark value is invalid\n", markText);
                }
                spec.mark = mark;
                if (slash >= 0) {
                    Long mask = CNumbers.getU32(v.substring(slash + 1), 0);
                    if (mask == null) {
                        s.messages().invalidArgument("fwmask value is invalid\n", v.substring(slash + 1));
                    }
                    spec.markMask = mask;
                }
            } else if (matches(w, "realms")) {
                String v = a.next();
                Long realms = Names.realmsNumber(v);
                if (realms == null) {
                    s.messages().invalidArgument("invalid realms\n", v);
                }
                spec.realms = realms;
            } else if (matches(w, "protocol")) {
                String v = a.next();
                Integer proto = Names.protocolNumber(v);
                if (proto == null) {
                    s.messages().invalidArgument("\"protocol\" value is invalid\n", v);
                }
                spec.protocol = proto;
            } else if (matches(w, "tun_id")) {
                String v = a.next();
                CNumbers.Parsed t = CNumbers.strtoul(v, 0);
                if (!t.consumedAll(v) || t.range()) {
                    s.messages().invalidArgument("\"tun_id\" value is invalid\n", v);
                }
                s.err().print("ipsim: tunnel ids in rules are not simulated yet\n");
                return -1;
            } else if (matches(w, "table") || w.equals("lookup")) {
                String v = a.next();
                Long t = Names.tableNumber(v);
                if (t == null) {
                    s.messages().invalidArgument("invalid table ID\n", v);
                }
                tid = t;
                spec.table = t;
                tableOk = true;
            } else if (matches(w, "suppress_prefixlength") || w.equals("sup_pl")) {
                String v = a.next();
                Integer pl = CNumbers.getS32(v, 0);
                if (pl == null || pl < 0) {
                    s.messages().invalidArgument("suppress_prefixlength value is invalid\n", v);
                }
                spec.suppressPrefixLength = pl;
            } else if (matches(w, "suppress_ifgroup") || w.equals("sup_group")) {
                String v = a.next();
                Integer group = Names.groupNumber(v);
                if (group == null) {
                    s.messages().invalidArgument("Invalid \"suppress_ifgroup\" value\n", v);
                }
                spec.suppressIfgroup = group;
            } else if (w.equals("dev") || w.equals("iif")) {
                String v = a.next();
                if (!validIfname(v)) {
                    s.messages().invalidArgument("\"iif\"/\"dev\" not a valid ifname", v);
                }
                spec.inputDevice = v;
            } else if (w.equals("oif")) {
                String v = a.next();
                if (!validIfname(v)) {
                    s.messages().invalidArgument("\"oif\" not a valid ifname", v);
                }
                spec.outputDevice = v;
            } else if (w.equals("l3mdev")) {
                spec.l3mdev = true;
                tableOk = true;
                l3mdevRule = true;
            } else if (w.equals("uidrange")) {
                String v = a.next();
                long[] r = uidRange(v);
                if (r == null) {
                    s.messages().invalidArgument("invalid UID range\n", v);
                }
                spec.uidRange = r;
            } else if (w.equals("nat") || matches(w, "map-to")) {
                String v = a.next();
                s.err().print("Warning: route NAT is deprecated\n");
                if (InetArg.parseAddress(v, IpOptions.AF_INET) == null) {
                    s.err().print("Error: an IP address is expected rather than \"" + v + "\"\n");
                    throw new Exit(1);
                }
                spec.action = RTN_NAT;
            } else if (w.equals("ipproto")) {
                String v = a.next();
                int proto = Names.ipProtocolNumber(v);
                if (proto < 0) {
                    s.messages().invalidArgument("Invalid \"ipproto\" value\n", v);
                }
                spec.ipProtocol = proto;
            } else if (w.equals("sport")) {
                String v = a.next();
                int[] r = portRange(v);
                if (r == null) {
                    s.messages().invalidArgument("invalid port range\n", v);
                }
                spec.sourcePorts = r;
            } else if (w.equals("dport")) {
                String v = a.next();
                int[] r = portRange(v);
                if (r == null) {
                    s.messages().invalidArgument("invalid dport range\n", v);
                }
                spec.destinationPorts = r;
            } else {
                if (w.equals("type")) {
                    w = a.next();
                }
                if (matches(w, "help")) {
                    usage(s);
                } else if (matches(w, "goto")) {
                    spec.action = FibRule.ACTION_GOTO;
                    String v = a.next();
                    Long target = CNumbers.getU32(v, 0);
                    if (target == null) {
                        s.messages().invalidArgument("invalid target\n", v);
                    }
                    spec.gotoTarget = target;
                } else if (matches(w, "nop")) {
                    spec.action = FibRule.ACTION_NOP;
                } else {
                    Integer type = Names.routeTypeNumber(w);
                    if (type == null) {
                        s.messages().invalidArgument("Failed to parse rule type", w);
                    }
                    spec.action = type;
                }
                tableOk = true;
            }
            a.advance();
        }
        if (l3mdevRule && tid != 0) {
            s.err().print("table can not be specified for l3mdev rules\n");
            return -EINVAL;
        }
        Family family = preferred == IpOptions.AF_INET6 ? Family.INET6 : Family.INET;
        if (!tableOk && add) {
            spec.table = dev.ipsim.kernel.route.RouteTableId.MAIN;
        }
        spec.family = family;
        try {
            checkAddressFamily(family, sourceAddress, spec.source, "Invalid source address");
            checkAddressFamily(family, destinationAddress, spec.destination, "Invalid dst address");
            if (add) {
                if (family == Family.INET6) {
                    s.netns().ipv6().addRule(spec, true);
                } else {
                    s.netns().ipv4().addRule(spec, true);
                }
            } else if (family == Family.INET6) {
                s.netns().ipv6().deleteRule(spec);
            } else {
                s.netns().ipv4().deleteRule(spec);
            }
        } catch (KernelException e) {
            s.printKernelError(e);
            return -2;
        }
        return 0;
    }

    /**
     * The family of a rule's message is IPv4 unless {@code -6} is given, whatever the prefix:
     * an IPv6 prefix in an IPv4 rule is refused by the kernel ({@code fib_nl2rule}).
     */
    private static void checkAddressFamily(Family family, IpAddress given, IpPrefix prefix, String message) {
        if (given != null && prefix != null && prefix.length() != 0 && given.family() != family) {
            throw new KernelException(dev.ipsim.kernel.Errno.EINVAL, message);
        }
    }

    /** The prefix a {@code from}/{@code to} argument sends: its address as given, and its length. */
    private static IpPrefix prefix(InetArg v) {
        if (v.address() == null || v.bitlen() <= 0) {
            return null;
        }
        return new IpPrefix(v.address(), v.bitlen());
    }

    /** {@code check_ifname}. */
    private static boolean validIfname(String name) {
        if (name.isEmpty() || name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length >= IFNAMSIZ) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == ' ' || (c >= '\t' && c <= '\r')) {
                return false;
            }
        }
        return true;
    }

    /** {@code sscanf("%u-%u")}: both numbers, each wrapping to 32 bits as {@code %u} does. */
    private static long[] uidRange(String v) {
        Matcher m = UID_RANGE.matcher(v);
        if (!m.matches()) {
            return null;
        }
        return new long[] {wrap(m.group(1), 0xFFFF_FFFFL), wrap(m.group(2), 0xFFFF_FFFFL)};
    }

    /** {@code sscanf("%hu-%hu")}: one number (the range is that port) or two. */
    private static int[] portRange(String v) {
        Matcher m = PORT_RANGE.matcher(v);
        if (!m.matches()) {
            return null;
        }
        int start = (int) wrap(m.group(1), 0xFFFF);
        if (m.group(2) == null) {
            return new int[] {start, start}; // one conversion ("80", "80-x"): the range is that port
        }
        return new int[] {start, (int) wrap(m.group(2), 0xFFFF)};
    }

    private static long wrap(String digits, long mask) {
        return new java.math.BigInteger(digits).longValue() & mask;
    }
}
