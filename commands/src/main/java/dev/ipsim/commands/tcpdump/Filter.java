package dev.ipsim.commands.tcpdump;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A capture filter in libpcap's language ({@code pcap-filter(7)}), compiled for Ethernet
 * frames: the scanner's tokens ({@code scanner.l}), the grammar's shape ({@code grammar.y}:
 * {@code and} and {@code or} of equal precedence, left to right; a bare address after them
 * takes the qualifiers before it, so {@code host a or b} means {@code host a or host b}) and
 * what {@code gencode.c} makes of each primitive ({@code host} covers IPv4, ARP and RARP;
 * {@code icmp6} looks only at the header right after IPv6's, so MLD reports behind a
 * hop-by-hop header do not match; a load past the captured bytes rejects the packet).
 * Errors carry libpcap's texts.
 */
final class Filter {

    /** A compile error with libpcap's message. */
    static final class FilterException extends Exception {
        FilterException(String message) {
            super(message, null, false, false);
        }
    }

    /** A load past the end of the packet: the BPF program rejects it. */
    private static final class OutOfBounds extends RuntimeException {
        OutOfBounds() {
            super(null, null, false, false);
        }
    }

    /** A compiled filter: tests a frame (its captured bytes and its length on the wire). */
    interface Program {
        boolean test(byte[] frame, int length);
    }

    /** Matches every frame (no expression). */
    static final Program ALL = (f, l) -> true;

    /** Host names as the C library would resolve them (the sandbox's /etc/hosts). */
    interface Names {
        /** Addresses for a name: 4-byte and 16-byte arrays; empty if unknown. */
        List<byte[]> addresses(String name);

        /** The network for a name in /etc/networks, or -1. */
        long network(String name);
    }

    /**
     * Compiles an expression ({@code pcap_compile}).
     *
     * @param netmask the capture device's IPv4 netmask, or -1 when unknown (reading a file)
     */
    static Program compile(String expression, Names names, long netmask) throws FilterException {
        if (expression.isBlank()) {
            return ALL;
        }
        Parser p = new Parser(lex(expression), names, netmask);
        Node n = p.program();
        return (frame, length) -> {
            try {
                return n.eval(new Packet(frame, length));
            } catch (OutOfBounds e) {
                return false;
            }
        };
    }

    // ------------------------------------------------------------------ packets

    private record Packet(byte[] b, int length) {
        int u8(int off) {
            if (off < 0 || off >= b.length) {
                throw new OutOfBounds();
            }
            return b[off] & 0xFF;
        }

        long load(int off, int size) {
            long v = 0;
            for (int i = 0; i < size; i++) {
                v = v << 8 | u8(off + i);
            }
            return v;
        }

        int etherType() {
            return (int) load(12, 2);
        }

        /** The IPv4 header's length ({@code 4 * (ip[0] & 0xf)}). */
        int ipHeaderLength() {
            return 4 * (u8(14) & 0x0F);
        }
    }

    /** A node of the compiled expression. */
    @FunctionalInterface
    private interface Node {
        boolean eval(Packet p);

        default Node and(Node o) {
            return p -> eval(p) && o.eval(p);
        }

        default Node or(Node o) {
            return p -> eval(p) || o.eval(p);
        }

        default Node not() {
            return p -> !eval(p);
        }
    }

    /** An arithmetic value ({@code arth}). */
    @FunctionalInterface
    private interface Value {
        long eval(Packet p);
    }

    // ------------------------------------------------------------------ scanner

    private enum T {
        DST, SRC, LINK, ARP, RARP, IP, SCTP, TCP, UDP, ICMP, IGMP, IGRP, PIM, VRRP, CARP, IPV6, ICMPV6, AH, ESP,
        HOST, NET, NETMASK, PORT, PORTRANGE, PROTO, PROTOCHAIN, GATEWAY, LESS, GREATER, BROADCAST, MULTICAST,
        AND, OR, NOT, LEN, INBOUND, OUTBOUND, VLAN, MPLS, OTHER_KEYWORD,
        GEQ, LEQ, NEQ, LSH, RSH, CHAR, AID, EID, NUM, HID, HID6, ID, LEX_ERROR
    }

    private record Token(T type, String text, long num) {
        boolean is(char c) {
            return type == T.CHAR && text.charAt(0) == c;
        }
    }

    private static final String[][] KEYWORDS = {
        {"dst", "DST"}, {"src", "SRC"}, {"link", "LINK"}, {"ether", "LINK"}, {"ppp", "LINK"}, {"slip", "LINK"},
        {"fddi", "LINK"}, {"tr", "LINK"}, {"wlan", "LINK"}, {"arp", "ARP"}, {"rarp", "RARP"}, {"ip", "IP"},
        {"sctp", "SCTP"}, {"tcp", "TCP"}, {"udp", "UDP"}, {"icmp", "ICMP"}, {"igmp", "IGMP"}, {"igrp", "IGRP"},
        {"pim", "PIM"}, {"vrrp", "VRRP"}, {"carp", "CARP"}, {"ip6", "IPV6"}, {"icmp6", "ICMPV6"}, {"ah", "AH"},
        {"esp", "ESP"}, {"host", "HOST"}, {"net", "NET"}, {"mask", "NETMASK"}, {"port", "PORT"},
        {"portrange", "PORTRANGE"}, {"proto", "PROTO"}, {"protochain", "PROTOCHAIN"}, {"gateway", "GATEWAY"},
        {"less", "LESS"}, {"greater", "GREATER"}, {"broadcast", "BROADCAST"}, {"multicast", "MULTICAST"},
        {"and", "AND"}, {"or", "OR"}, {"not", "NOT"}, {"len", "LEN"}, {"length", "LEN"}, {"inbound", "INBOUND"},
        {"outbound", "OUTBOUND"}, {"vlan", "VLAN"}, {"mpls", "MPLS"},
    };

    /** Keywords this model does not implement but the scanner knows (they are not host names). */
    private static final List<String> OTHER_KEYWORDS = List.of("radio", "atalk", "aarp", "decnet", "lat", "sca",
            "moprc", "mopdl", "iso", "esis", "es-is", "isis", "is-is", "l1", "l2", "iih", "lsp", "snp", "csnp",
            "psnp", "clnp", "stp", "ipx", "netbeui", "type", "subtype", "direction", "dir", "address1", "addr1",
            "address2", "addr2", "address3", "addr3", "address4", "addr4", "ra", "ta", "byte", "ifindex", "pppoed",
            "pppoes", "geneve", "lane", "llc", "metac", "bcc", "oam", "oamf4", "oamf4ec", "oamf4sc", "sc", "ilmic",
            "vpi", "vci", "connectmsg", "metaconnect", "on", "ifname", "rset", "ruleset", "rnr", "rulenum", "srnr",
            "subrulenum", "reason", "action", "fisu", "lssu", "lsu", "msu", "hfisu", "hlssu", "hmsu", "sio", "opc",
            "dpc", "sls", "hsio", "hopc", "hdpc", "hsls");

    private static final String[][] NAMED_NUMBERS = {
        {"icmptype", "0"}, {"icmpcode", "1"}, {"icmp-echoreply", "0"}, {"icmp-unreach", "3"},
        {"icmp-sourcequench", "4"}, {"icmp-redirect", "5"}, {"icmp-echo", "8"}, {"icmp-routeradvert", "9"},
        {"icmp-routersolicit", "10"}, {"icmp-timxceed", "11"}, {"icmp-paramprob", "12"}, {"icmp-tstamp", "13"},
        {"icmp-tstampreply", "14"}, {"icmp-ireq", "15"}, {"icmp-ireqreply", "16"}, {"icmp-maskreq", "17"},
        {"icmp-maskreply", "18"}, {"icmp6type", "0"}, {"icmp6code", "1"}, {"icmp6-destinationunreach", "1"},
        {"icmp6-packettoobig", "2"}, {"icmp6-timeexceeded", "3"}, {"icmp6-parameterproblem", "4"},
        {"icmp6-echo", "128"}, {"icmp6-echoreply", "129"}, {"icmp6-multicastlistenerquery", "130"},
        {"icmp6-multicastlistenerreportv1", "131"}, {"icmp6-multicastlistenerdone", "132"},
        {"icmp6-routersolicit", "133"}, {"icmp6-routeradvert", "134"}, {"icmp6-neighborsolicit", "135"},
        {"icmp6-neighboradvert", "136"}, {"icmp6-redirect", "137"}, {"icmp6-routerrenum", "138"},
        {"icmp6-multicastlistenerreportv2", "143"}, {"tcpflags", "13"}, {"tcp-fin", "1"}, {"tcp-syn", "2"},
        {"tcp-rst", "4"}, {"tcp-push", "8"}, {"tcp-ack", "16"}, {"tcp-urg", "32"}, {"tcp-ece", "64"},
        {"tcp-cwr", "128"},
    };

    private static final String NUM = "(?:0[xX][0-9A-Fa-f]+|[0-9]+)";
    private static final String B = "[0-9A-Fa-f][0-9A-Fa-f]?";
    private static final Pattern P_NUM = Pattern.compile(NUM);
    private static final Pattern P_HID = Pattern.compile(NUM + "(?:\\." + NUM + "){1,3}");
    private static final Pattern P_AID = Pattern.compile("\\$" + B);
    private static final Pattern P_MAC = Pattern.compile(B + "(?::" + B + "){5}|" + B + "(?:-" + B + "){5}|" + B
            + "(?:\\." + B + "){5}|[0-9A-Fa-f]{4}\\.[0-9A-Fa-f]{4}\\.[0-9A-Fa-f]{4}|[0-9A-Fa-f]{12}");
    private static final Pattern P_BOGUS_MAC = Pattern.compile(B + ":+(?:" + B + ":+)+");
    private static final Pattern P_V6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
    private static final Pattern P_ID = Pattern.compile("[A-Za-z0-9](?:[-_.A-Za-z0-9]*[.A-Za-z0-9])?");
    private static final Pattern P_ESCAPED = Pattern.compile("\\\\[^ !()\\n\\t]+");
    private static final Pattern P_WORDISH = Pattern.compile("[-A-Za-z0-9]+");

    /** {@code yylex} over the whole expression; the longest match wins, ties to the earlier rule. */
    private static List<Token> lex(String s) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                i++;
                continue;
            }
            Token best = null;
            int bestLen = 0;
            // keywords (and words the scanner treats as keywords)
            int wl = match(P_WORDISH, s, i);
            if (wl > 0) {
                String w = s.substring(i, i + wl);
                T kt = keyword(w);
                if (kt != null) {
                    best = new Token(kt, w, 0);
                    bestLen = wl;
                }
            }
            // operators
            for (String op : new String[] {">=", "<=", "!=", "==", "<<", ">>", "&&", "||"}) {
                if (s.startsWith(op, i) && op.length() > bestLen) {
                    T t = switch (op) {
                        case ">=" -> T.GEQ;
                        case "<=" -> T.LEQ;
                        case "!=" -> T.NEQ;
                        case "==" -> T.CHAR;
                        case "<<" -> T.LSH;
                        case ">>" -> T.RSH;
                        case "&&" -> T.AND;
                        default -> T.OR;
                    };
                    best = new Token(t, op.equals("==") ? "=" : op, 0);
                    bestLen = 2;
                }
            }
            if (bestLen == 0 && "+-*/%:[]!<>()&|^=".indexOf(c) >= 0) {
                best = c == '!' ? new Token(T.NOT, "!", 0) : new Token(T.CHAR, String.valueOf(c), 0);
                bestLen = 1;
            }
            int l;
            if ((l = match(P_AID, s, i)) > bestLen) {
                best = new Token(T.AID, s.substring(i, i + l), 0);
                bestLen = l;
            }
            if ((l = match(P_MAC, s, i)) > bestLen) {
                best = new Token(T.EID, s.substring(i, i + l), 0);
                bestLen = l;
            }
            if ((l = match(P_NUM, s, i)) > bestLen) {
                String n = s.substring(i, i + l);
                best = new Token(T.NUM, n, stou(n));
                bestLen = l;
            }
            if ((l = match(P_HID, s, i)) > bestLen) {
                best = new Token(T.HID, s.substring(i, i + l), 0);
                bestLen = l;
            }
            if ((l = match(P_V6, s, i)) > bestLen) {
                // the scanner's many IPv6 forms: the longest run of hex digits, colons and dots
                // that is an IPv6 address
                String v6 = s.substring(i, i + l);
                while (!v6.isEmpty() && !(v6.contains(":") && parse6(v6) != null)) {
                    v6 = v6.substring(0, v6.length() - 1);
                }
                if (v6.length() > bestLen) {
                    best = new Token(T.HID6, v6, 0);
                    bestLen = v6.length();
                }
            }
            if ((l = match(P_BOGUS_MAC, s, i)) > bestLen) {
                best = new Token(T.LEX_ERROR, s.substring(i, i + l), 0);
                bestLen = l;
            }
            if (wl > 0) {
                String w = s.substring(i, i + wl);
                for (String[] n : NAMED_NUMBERS) {
                    if (n[0].equals(w) && wl > bestLen) {
                        best = new Token(T.NUM, w, Long.parseLong(n[1]));
                        bestLen = wl;
                    }
                }
            }
            if ((l = match(P_ID, s, i)) > bestLen) {
                best = new Token(T.ID, s.substring(i, i + l), 0);
                bestLen = l;
            }
            if ((l = match(P_ESCAPED, s, i)) > bestLen) {
                best = new Token(T.ID, s.substring(i + 1, i + l), 0);
                bestLen = l;
            }
            if (best == null) {
                best = new Token(T.LEX_ERROR, String.valueOf(c), 0);
                bestLen = 1;
            }
            out.add(best);
            i += bestLen;
        }
        return out;
    }

    private static int match(Pattern p, String s, int i) {
        Matcher m = p.matcher(s);
        m.region(i, s.length());
        return m.lookingAt() ? m.end() - i : 0;
    }

    private static T keyword(String w) {
        for (String[] k : KEYWORDS) {
            if (k[0].equals(w)) {
                return T.valueOf(k[1]);
            }
        }
        return OTHER_KEYWORDS.contains(w) ? T.OTHER_KEYWORD : null;
    }

    /** {@code stou}: decimal, or hex after {@code 0x}. */
    private static long stou(String n) {
        try {
            if (n.startsWith("0x") || n.startsWith("0X")) {
                return Long.parseLong(n.substring(2), 16) & 0xFFFFFFFFL;
            }
            return Long.parseLong(n) & 0xFFFFFFFFL;
        } catch (NumberFormatException e) {
            return 0xFFFFFFFFL;
        }
    }

    // ------------------------------------------------------------------ qualifiers

    /** {@code Q_*} protocol qualifiers. */
    private enum Proto { DEFAULT, LINK, IP, ARP, RARP, SCTP, TCP, UDP, ICMP, IGMP, IGRP, PIM, VRRP, CARP, IPV6,
        ICMPV6, AH, ESP }

    private enum Dir { DEFAULT, SRC, DST, OR, AND }

    private enum Addr { DEFAULT, HOST, NET, PORT, PORTRANGE, PROTO, PROTOCHAIN, GATEWAY, UNDEF }

    private record Qual(Proto proto, Dir dir, Addr addr) {
        static final Qual ERR = new Qual(Proto.DEFAULT, Dir.DEFAULT, Addr.UNDEF);
    }

    private static String name(Proto p) {
        return switch (p) {
            case IPV6 -> "ip6";
            case ICMPV6 -> "icmp6";
            default -> p.name().toLowerCase(Locale.ROOT);
        };
    }

    // ------------------------------------------------------------------ parser

    /** A term's code and the qualifiers a following bare address inherits ({@code $<blk>0.q}). */
    private record Block(Node node, Qual q) {
    }

    private static final class Parser {
        private final List<Token> tokens;
        private final Names names;
        private final long netmask;
        private int pos;

        Parser(List<Token> tokens, Names names, long netmask) {
            this.tokens = tokens;
            this.names = names;
            this.netmask = netmask;
        }

        private Token peek() {
            return peek(0);
        }

        private Token peek(int k) {
            return pos + k < tokens.size() ? tokens.get(pos + k) : new Token(null, "", 0);
        }

        private Token next() {
            return tokens.get(pos++);
        }

        private boolean at(T t) {
            return peek().type() == t;
        }

        private boolean atChar(char c) {
            return peek().is(c);
        }

        private FilterException syntax() {
            for (Token t : tokens) {
                if (t.type() == T.LEX_ERROR && P_BOGUS_MAC.matcher(t.text()).matches()) {
                    return new FilterException("bogus ethernet address " + t.text());
                }
            }
            return new FilterException("can't parse filter expression: syntax error");
        }

        Node program() throws FilterException {
            Block b = expr(Qual.ERR);
            if (pos != tokens.size()) {
                throw syntax();
            }
            return b.node();
        }

        /** {@code expr: term | expr and term | expr and id | expr or term | expr or id}. */
        private Block expr(Qual inherited) throws FilterException {
            Block left = term(inherited);
            while (at(T.AND) || at(T.OR)) {
                boolean and = next().type() == T.AND;
                Block right = termOrId(left.q());
                left = new Block(and ? left.node().and(right.node()) : left.node().or(right.node()), right.q());
            }
            return left;
        }

        /** After {@code and}/{@code or}: a term, or an address taking the qualifiers before it. */
        private Block termOrId(Qual q) throws FilterException {
            int save = pos;
            if (startsId()) {
                try {
                    return id(q);
                } catch (FilterException e) {
                    if (pos == save || !e.getMessage().startsWith("can't parse")) {
                        throw e;
                    }
                    pos = save;
                }
            }
            return term(q);
        }

        /** Whether the next tokens read as an {@code id} rather than a term. */
        private boolean startsId() {
            Token t = peek();
            if (t.type() == T.NOT) {
                int k = 1;
                while (peek(k).type() == T.NOT) {
                    k++;
                }
                Token after = peek(k);
                return isAddressToken(after) || after.type() == T.NUM && !isArithOp(peek(k + 1))
                        || after.is('(') && isAddressToken(peek(k + 1));
            }
            if (isAddressToken(t)) {
                return true;
            }
            if (t.type() == T.NUM) {
                return !isArithOp(peek(1)) && !isRelop(peek(1));
            }
            return t.is('(') && (isAddressToken(peek(1)) || peek(1).type() == T.NUM && !isArithOp(peek(2))
                    && !isRelop(peek(2)));
        }

        private static boolean isAddressToken(Token t) {
            return t.type() == T.ID || t.type() == T.HID || t.type() == T.HID6 || t.type() == T.EID
                    || t.type() == T.AID;
        }

        private static boolean isRelop(Token t) {
            return t.is('>') || t.is('<') || t.is('=') || t.type() == T.GEQ || t.type() == T.LEQ
                    || t.type() == T.NEQ;
        }

        private static boolean isArithOp(Token t) {
            return t.is('+') || t.is('-') || t.is('*') || t.is('/') || t.is('%') || t.is('&') || t.is('|')
                    || t.is('^') || t.type() == T.LSH || t.type() == T.RSH;
        }

        /** {@code term: rterm | not term}. */
        private Block term(Qual inherited) throws FilterException {
            if (at(T.NOT)) {
                next();
                Block b = term(inherited);
                return new Block(b.node().not(), b.q());
            }
            return rterm(inherited);
        }

        private static Proto pname(Token t) {
            if (t.type() == null) {
                return null;
            }
            return switch (t.type()) {
                case LINK -> Proto.LINK;
                case IP -> Proto.IP;
                case ARP -> Proto.ARP;
                case RARP -> Proto.RARP;
                case SCTP -> Proto.SCTP;
                case TCP -> Proto.TCP;
                case UDP -> Proto.UDP;
                case ICMP -> Proto.ICMP;
                case IGMP -> Proto.IGMP;
                case IGRP -> Proto.IGRP;
                case PIM -> Proto.PIM;
                case VRRP -> Proto.VRRP;
                case CARP -> Proto.CARP;
                case IPV6 -> Proto.IPV6;
                case ICMPV6 -> Proto.ICMPV6;
                case AH -> Proto.AH;
                case ESP -> Proto.ESP;
                default -> null;
            };
        }

        private Dir dqual() {
            if (at(T.SRC) || at(T.DST)) {
                boolean src = next().type() == T.SRC;
                if ((at(T.OR) || at(T.AND)) && (peek(1).type() == (src ? T.DST : T.SRC))) {
                    boolean or = next().type() == T.OR;
                    next();
                    return or ? Dir.OR : Dir.AND;
                }
                return src ? Dir.SRC : Dir.DST;
            }
            return null;
        }

        private Addr aqual() {
            T t = peek().type();
            if (t == null) {
                return null;
            }
            Addr a = switch (t) {
                case HOST -> Addr.HOST;
                case NET -> Addr.NET;
                case PORT -> Addr.PORT;
                case PORTRANGE -> Addr.PORTRANGE;
                default -> null;
            };
            if (a != null) {
                next();
            }
            return a;
        }

        /** {@code rterm}. */
        private Block rterm(Qual inherited) throws FilterException {
            Token t = peek();
            // paren expr ')' or an arithmetic relation in parentheses
            if (t.is('(')) {
                int save = pos;
                try {
                    next();
                    Block b = expr(Qual.ERR);
                    if (!atChar(')')) {
                        throw syntax();
                    }
                    next();
                    if (isRelop(peek()) || isArithOp(peek())) {
                        throw syntax();
                    }
                    return new Block(b.node(), inherited);
                } catch (FilterException e) {
                    if (!e.getMessage().startsWith("can't parse")) {
                        throw e;
                    }
                    pos = save;
                    return relation();
                }
            }
            Proto p = pname(t);
            if (p != null && peek(1).is('[')) {
                return relation();
            }
            if (t.type() == T.LEN || t.type() == T.NUM || t.is('-')) {
                return relation();
            }
            if (t.type() == T.LESS || t.type() == T.GREATER) {
                next();
                if (!at(T.NUM)) {
                    throw syntax();
                }
                long n = next().num();
                Node node = t.type() == T.LESS ? pk -> pk.length() <= n : pk -> pk.length() >= n;
                return new Block(node, Qual.ERR);
            }
            if (t.type() == T.INBOUND || t.type() == T.OUTBOUND || t.type() == T.VLAN || t.type() == T.MPLS
                    || t.type() == T.OTHER_KEYWORD) {
                return other(t);
            }
            // head id, or pname alone, or pqual broadcast/multicast
            int start = pos;
            Proto proto = Proto.DEFAULT;
            if (p != null) {
                next();
                proto = p;
            }
            if (at(T.BROADCAST) || at(T.MULTICAST)) {
                boolean broadcast = next().type() == T.BROADCAST;
                return new Block(broadcast ? broadcast(proto) : multicast(proto), Qual.ERR);
            }
            Dir dir = dqual();
            Addr addr;
            if (at(T.PROTO) || at(T.PROTOCHAIN)) {
                addr = next().type() == T.PROTO ? Addr.PROTO : Addr.PROTOCHAIN;
                if (dir != null) {
                    throw syntax();
                }
            } else if (at(T.GATEWAY)) {
                next();
                addr = Addr.GATEWAY;
                if (dir != null) {
                    throw syntax();
                }
            } else {
                addr = aqual();
            }
            if (dir == null && addr == null) {
                if (p != null && pos == start + 1) {
                    return new Block(protoAbbrev(p), Qual.ERR);
                }
                throw syntax();
            }
            Qual q = new Qual(proto, dir == null ? Dir.DEFAULT : dir, addr == null ? Addr.DEFAULT : addr);
            return id(q);
        }

        private Block other(Token t) throws FilterException {
            next();
            switch (t.type()) {
                case INBOUND, OUTBOUND -> throw new FilterException(
                        "inbound/outbound not supported on Ethernet when reading savefiles");
                case VLAN -> {
                    if (at(T.NUM)) {
                        long v = next().num();
                        return new Block(pk -> pk.etherType() == 0x8100 && (pk.load(14, 2) & 0x0FFF) == v, Qual.ERR);
                    }
                    return new Block(pk -> pk.etherType() == 0x8100 || pk.etherType() == 0x88a8
                            || pk.etherType() == 0x9100, Qual.ERR);
                }
                case MPLS -> {
                    return new Block(pk -> pk.etherType() == 0x8847 || pk.etherType() == 0x8848, Qual.ERR);
                }
                default -> {
                    // a primitive this model has no traffic for: it matches none of ipsim's frames
                    return new Block(pk -> false, Qual.ERR);
                }
            }
        }

        /** {@code id: nid | pnum | paren pid ')'}; {@code nid} includes {@code not id}. */
        private Block id(Qual q) throws FilterException {
            Token t = peek();
            if (t.type() == T.NOT) {
                next();
                Block b = id(q);
                return new Block(b.node().not(), b.q());
            }
            if (t.is('(')) {
                next();
                Block b = pid(q);
                if (!atChar(')')) {
                    throw syntax();
                }
                next();
                return b;
            }
            switch (t.type() == null ? T.LEX_ERROR : t.type()) {
                case NUM -> {
                    next();
                    return new Block(ncode(null, t.num(), q), q);
                }
                case ID -> {
                    next();
                    return new Block(scode(t.text(), q), q);
                }
                case HID -> {
                    next();
                    if (atChar('/')) {
                        next();
                        if (!at(T.NUM)) {
                            throw syntax();
                        }
                        return new Block(mcode(t.text(), null, next().num(), q), q);
                    }
                    if (at(T.NETMASK)) {
                        next();
                        if (!at(T.HID)) {
                            throw syntax();
                        }
                        return new Block(mcode(t.text(), next().text(), 0, q), q);
                    }
                    switch (q.addr()) {
                        case PORT -> throw new FilterException("'port' modifier applied to ip host");
                        case PORTRANGE -> throw new FilterException("'portrange' modifier applied to ip host");
                        case PROTO -> throw new FilterException("'proto' modifier applied to ip host");
                        case PROTOCHAIN -> throw new FilterException("'protochain' modifier applied to ip host");
                        default -> {
                        }
                    }
                    return new Block(ncode(t.text(), 0, q), q);
                }
                case HID6 -> {
                    next();
                    int len = 128;
                    if (atChar('/')) {
                        next();
                        if (!at(T.NUM)) {
                            throw syntax();
                        }
                        len = (int) next().num();
                    }
                    return new Block(mcode6(t.text(), len, q), q);
                }
                case EID -> {
                    next();
                    return new Block(ecode(t.text(), q), q);
                }
                default -> throw syntax();
            }
        }

        /** {@code pid: nid | qid and id | qid or id}. */
        private Block pid(Qual q) throws FilterException {
            Block left = id(q);
            while (at(T.AND) || at(T.OR)) {
                boolean and = next().type() == T.AND;
                Block right = id(left.q());
                left = new Block(and ? left.node().and(right.node()) : left.node().or(right.node()), right.q());
            }
            return left;
        }

        // -------------------------------------------------------------- arithmetic

        private Block relation() throws FilterException {
            Value a = arth();
            Token op = peek();
            if (!isRelop(op)) {
                throw syntax();
            }
            next();
            Value b = arth();
            Node n;
            if (op.is('>')) {
                n = pk -> a.eval(pk) > b.eval(pk);
            } else if (op.type() == T.GEQ) {
                n = pk -> a.eval(pk) >= b.eval(pk);
            } else if (op.is('=')) {
                n = pk -> a.eval(pk) == b.eval(pk);
            } else if (op.type() == T.LEQ) {
                n = pk -> a.eval(pk) <= b.eval(pk);
            } else if (op.is('<')) {
                n = pk -> a.eval(pk) < b.eval(pk);
            } else {
                n = pk -> a.eval(pk) != b.eval(pk);
            }
            return new Block(n, Qual.ERR);
        }

        private Value arth() throws FilterException {
            return arthOr();
        }

        private Value arthOr() throws FilterException {
            Value v = arthAnd();
            while (atChar('|')) {
                next();
                Value a = v;
                Value b = arthAnd();
                v = pk -> (a.eval(pk) | b.eval(pk)) & 0xFFFFFFFFL;
            }
            return v;
        }

        private Value arthAnd() throws FilterException {
            Value v = arthShift();
            while (atChar('&') || atChar('^')) {
                boolean and = next().is('&');
                Value a = v;
                Value b = arthShift();
                v = and ? pk -> a.eval(pk) & b.eval(pk) : pk -> (a.eval(pk) ^ b.eval(pk)) & 0xFFFFFFFFL;
            }
            return v;
        }

        private Value arthShift() throws FilterException {
            Value v = arthAdd();
            while (at(T.LSH) || at(T.RSH)) {
                boolean left = next().type() == T.LSH;
                Value a = v;
                Value b = arthAdd();
                v = left ? pk -> (a.eval(pk) << (b.eval(pk) & 31)) & 0xFFFFFFFFL
                        : pk -> a.eval(pk) >>> (b.eval(pk) & 31);
            }
            return v;
        }

        private Value arthAdd() throws FilterException {
            Value v = arthMul();
            while (atChar('+') || atChar('-')) {
                boolean plus = next().is('+');
                Value a = v;
                Value b = arthMul();
                v = plus ? pk -> (a.eval(pk) + b.eval(pk)) & 0xFFFFFFFFL
                        : pk -> (a.eval(pk) - b.eval(pk)) & 0xFFFFFFFFL;
            }
            return v;
        }

        private Value arthMul() throws FilterException {
            Value v = arthUnary();
            while (atChar('*') || atChar('/') || atChar('%')) {
                char op = next().text().charAt(0);
                Value a = v;
                Value b = arthUnary();
                if (op == '*') {
                    v = pk -> (a.eval(pk) * b.eval(pk)) & 0xFFFFFFFFL;
                } else {
                    v = pk -> {
                        long d = b.eval(pk);
                        if (d == 0) {
                            throw new OutOfBounds();
                        }
                        return op == '/' ? a.eval(pk) / d : a.eval(pk) % d;
                    };
                }
            }
            return v;
        }

        private Value arthUnary() throws FilterException {
            if (atChar('-')) {
                next();
                Value a = arthUnary();
                return pk -> (-a.eval(pk)) & 0xFFFFFFFFL;
            }
            return arthPrimary();
        }

        private Value arthPrimary() throws FilterException {
            Token t = peek();
            if (t.type() == T.NUM) {
                next();
                long n = t.num();
                return pk -> n;
            }
            if (t.type() == T.LEN) {
                next();
                return pk -> pk.length();
            }
            if (t.is('(')) {
                next();
                Value v = arth();
                if (!atChar(')')) {
                    throw syntax();
                }
                next();
                return v;
            }
            Proto p = pname(t);
            if (p != null && peek(1).is('[')) {
                next();
                next();
                Value index = arth();
                int size = 1;
                if (atChar(':')) {
                    next();
                    if (!at(T.NUM)) {
                        throw syntax();
                    }
                    size = (int) next().num();
                }
                if (!atChar(']')) {
                    throw syntax();
                }
                next();
                if (size != 1 && size != 2 && size != 4) {
                    throw new FilterException("data size must be 1, 2, or 4");
                }
                return load(p, index, size);
            }
            throw syntax();
        }

        /** {@code gen_load}: a protocol's bytes, relative to its header, if the packet carries it. */
        private Value load(Proto p, Value index, int size) throws FilterException {
            switch (p) {
                case LINK:
                    return pk -> pk.load((int) index.eval(pk), size);
                case IP:
                    return pk -> {
                        if (pk.etherType() != 0x0800) {
                            throw new OutOfBounds();
                        }
                        return pk.load(14 + (int) index.eval(pk), size);
                    };
                case ARP:
                case RARP: {
                    int type = p == Proto.ARP ? 0x0806 : 0x8035;
                    return pk -> {
                        if (pk.etherType() != type) {
                            throw new OutOfBounds();
                        }
                        return pk.load(14 + (int) index.eval(pk), size);
                    };
                }
                case IPV6:
                    return pk -> {
                        if (pk.etherType() != 0x86dd) {
                            throw new OutOfBounds();
                        }
                        return pk.load(14 + (int) index.eval(pk), size);
                    };
                case ICMPV6:
                    return pk -> {
                        if (pk.etherType() != 0x86dd || pk.u8(14 + 6) != 58) {
                            throw new OutOfBounds();
                        }
                        return pk.load(14 + 40 + (int) index.eval(pk), size);
                    };
                case TCP:
                case UDP:
                case ICMP:
                case IGMP:
                case SCTP:
                case PIM:
                case IGRP:
                case VRRP:
                case CARP: {
                    int proto = ipProtocol(p);
                    return pk -> {
                        if (pk.etherType() != 0x0800 || pk.u8(14 + 9) != proto || (pk.load(14 + 6, 2) & 0x1FFF) != 0) {
                            throw new OutOfBounds();
                        }
                        return pk.load(14 + pk.ipHeaderLength() + (int) index.eval(pk), size);
                    };
                }
                default:
                    throw new FilterException("unsupported index operation");
            }
        }

        // -------------------------------------------------------------- primitives

        /** {@code gen_proto_abbrev}. */
        private Node protoAbbrev(Proto p) throws FilterException {
            return switch (p) {
                case LINK -> throw new FilterException("link layer applied in wrong context");
                case IP -> linktype(0x0800);
                case ARP -> linktype(0x0806);
                case RARP -> linktype(0x8035);
                case IPV6 -> linktype(0x86dd);
                case TCP, UDP, SCTP -> ipProto(ipProtocol(p)).or(ip6Proto(ipProtocol(p)));
                case ICMP, IGMP, IGRP, PIM, VRRP, CARP -> ipProto(ipProtocol(p));
                case ICMPV6 -> ip6Proto(58);
                case AH, ESP -> ipProto(ipProtocol(p)).or(ip6Proto(ipProtocol(p)));
                default -> throw syntax();
            };
        }

        private static int ipProtocol(Proto p) {
            return switch (p) {
                case TCP -> 6;
                case UDP -> 17;
                case SCTP -> 132;
                case ICMP -> 1;
                case IGMP -> 2;
                case IGRP -> 9;
                case PIM -> 103;
                case VRRP, CARP -> 112;
                case ICMPV6 -> 58;
                case AH -> 51;
                case ESP -> 50;
                default -> -1;
            };
        }

        private static Node linktype(int type) {
            return pk -> pk.etherType() == type;
        }

        /** {@code gen_proto(v, Q_IP)}: IPv4 carrying protocol {@code v} (fragments too). */
        private static Node ipProto(int v) {
            return pk -> pk.etherType() == 0x0800 && pk.u8(14 + 9) == v;
        }

        /** {@code gen_proto(v, Q_IPV6)}: the header right after IPv6's, or after a fragment header. */
        private static Node ip6Proto(int v) {
            return pk -> pk.etherType() == 0x86dd
                    && (pk.u8(14 + 6) == v || pk.u8(14 + 6) == 44 && pk.u8(14 + 40) == v);
        }

        /** {@code gen_ncode}: a dotted address (short ones promoted), or a number. */
        private Node ncode(String s, long v, Qual q) throws FilterException {
            int vlen = 32;
            if (s != null) {
                long[] r = atoin(s);
                if (r == null) {
                    throw new FilterException("invalid IPv4 address '" + s + "'");
                }
                v = r[0];
                vlen = (int) r[1];
            }
            switch (q.addr()) {
                case DEFAULT, HOST, NET -> {
                    if (q.proto() == Proto.LINK) {
                        throw new FilterException("illegal link layer address");
                    }
                    long mask = 0xFFFFFFFFL;
                    if (s == null && q.addr() == Addr.NET) {
                        while (v != 0 && (v & 0xFF000000L) == 0) {
                            v = (v << 8) & 0xFFFFFFFFL;
                            mask = (mask << 8) & 0xFFFFFFFFL;
                        }
                    } else {
                        v = vlen == 0 ? 0 : (v << (32 - vlen)) & 0xFFFFFFFFL;
                        mask = vlen == 0 ? 0 : (mask << (32 - vlen)) & 0xFFFFFFFFL;
                    }
                    return host(v, mask, q.proto(), q.dir(), q.addr());
                }
                case PORT, PORTRANGE -> {
                    int proto = portProto(q);
                    if (v > 65535) {
                        throw new FilterException("illegal port number " + v + " > 65535");
                    }
                    return port((int) v, proto, q.dir()).or(port6((int) v, proto, q.dir()));
                }
                case GATEWAY -> throw new FilterException("'gateway' requires a name");
                case PROTO -> {
                    return proto((int) v, q.proto());
                }
                case PROTOCHAIN -> {
                    return proto((int) v, q.proto());
                }
                default -> throw syntax();
            }
        }

        private int portProto(Qual q) throws FilterException {
            return switch (q.proto()) {
                case UDP -> 17;
                case TCP -> 6;
                case SCTP -> 132;
                case DEFAULT -> -1;
                default -> throw new FilterException("illegal qualifier of '"
                        + (q.addr() == Addr.PORT ? "port" : "portrange") + "'");
            };
        }

        /** {@code gen_proto}: {@code proto N}, {@code ip proto N}, {@code ip6 proto N}. */
        private Node proto(int v, Proto p) throws FilterException {
            return switch (p) {
                case DEFAULT -> ipProto(v).or(ip6Proto(v));
                case IP -> ipProto(v);
                case IPV6 -> ip6Proto(v);
                case LINK -> linktype(v);
                default -> throw new FilterException("'" + name(p) + "' modifier applied to proto");
            };
        }

        /** {@code gen_mcode}: {@code net A/len} or {@code net A mask M}. */
        private Node mcode(String s1, String s2, long masklen, Qual q) throws FilterException {
            long[] n = atoin(s1);
            if (n == null) {
                throw new FilterException("invalid IPv4 address '" + s1 + "'");
            }
            long net = (n[0] << (32 - n[1])) & 0xFFFFFFFFL;
            long m;
            if (s2 != null) {
                long[] mm = atoin(s2);
                if (mm == null) {
                    throw new FilterException("invalid IPv4 address '" + s2 + "'");
                }
                m = (mm[0] << (32 - mm[1])) & 0xFFFFFFFFL;
                if ((net & ~m & 0xFFFFFFFFL) != 0) {
                    throw new FilterException("non-network bits set in \"" + s1 + " mask " + s2 + "\"");
                }
            } else {
                if (masklen > 32) {
                    throw new FilterException("mask length must be <= 32");
                }
                m = masklen == 0 ? 0 : (0xFFFFFFFFL << (32 - masklen)) & 0xFFFFFFFFL;
                if ((net & ~m & 0xFFFFFFFFL) != 0) {
                    throw new FilterException("non-network bits set in \"" + s1 + "/" + masklen + "\"");
                }
            }
            if (q.addr() != Addr.NET) {
                throw new FilterException("Mask syntax for networks only");
            }
            return host(net, m, q.proto(), q.dir(), q.addr());
        }

        /** {@code gen_mcode6}: an IPv6 address or prefix. */
        private Node mcode6(String s, int masklen, Qual q) throws FilterException {
            byte[] a = parse6(s);
            if (a == null) {
                throw new FilterException("invalid ip6 address " + s);
            }
            if (masklen > 128) {
                throw new FilterException("mask length must be <= 128");
            }
            byte[] mask = new byte[16];
            for (int i = 0; i < masklen; i++) {
                mask[i / 8] |= (byte) (0x80 >> (i % 8));
            }
            for (int i = 0; i < 16; i++) {
                if ((a[i] & ~mask[i]) != 0) {
                    throw new FilterException("non-network bits set in \"" + s + "/" + masklen + "\"");
                }
            }
            switch (q.addr()) {
                case DEFAULT, HOST -> {
                    if (masklen != 128) {
                        throw new FilterException("Mask syntax for networks only");
                    }
                    return host6(a, mask, q.proto(), q.dir(), q.addr());
                }
                case NET -> {
                    return host6(a, mask, q.proto(), q.dir(), q.addr());
                }
                default -> throw new FilterException("invalid qualifier against IPv6 address");
            }
        }

        /** {@code gen_scode}: a name (host, network, port or protocol). */
        private Node scode(String name, Qual q) throws FilterException {
            switch (q.addr()) {
                case NET -> {
                    long n = names.network(name);
                    if (n < 0) {
                        throw new FilterException("unknown network '" + name + "'");
                    }
                    long mask = 0xFFFFFFFFL;
                    while (n != 0 && (n & 0xFF000000L) == 0) {
                        n = (n << 8) & 0xFFFFFFFFL;
                        mask = (mask << 8) & 0xFFFFFFFFL;
                    }
                    return host(n, mask, q.proto(), q.dir(), q.addr());
                }
                case DEFAULT, HOST -> {
                    if (q.proto() == Proto.LINK) {
                        throw new FilterException("unknown ether host '" + name + "'");
                    }
                    List<byte[]> addrs = names.addresses(name);
                    if (addrs.isEmpty()) {
                        throw new FilterException("unknown host '" + name + "'");
                    }
                    Node b = null;
                    for (byte[] a : addrs) {
                        Node tmp;
                        if (a.length == 4) {
                            if (q.proto() == Proto.IPV6) {
                                continue;
                            }
                            long v = (a[0] & 0xFFL) << 24 | (a[1] & 0xFF) << 16 | (a[2] & 0xFF) << 8 | a[3] & 0xFF;
                            tmp = host(v, 0xFFFFFFFFL, q.proto(), q.dir(), q.addr());
                        } else {
                            if (q.proto() == Proto.IP) {
                                continue;
                            }
                            byte[] full = new byte[16];
                            java.util.Arrays.fill(full, (byte) 0xFF);
                            tmp = host6(a, full, q.proto(), q.dir(), q.addr());
                        }
                        b = b == null ? tmp : b.or(tmp);
                    }
                    if (b == null) {
                        throw new FilterException("unknown host '" + name + "'"
                                + (q.proto() == Proto.DEFAULT ? "" : " for specified address family"));
                    }
                    return b;
                }
                case PORT, PORTRANGE -> {
                    if (q.proto() != Proto.DEFAULT && q.proto() != Proto.UDP && q.proto() != Proto.TCP
                            && q.proto() != Proto.SCTP) {
                        throw new FilterException("illegal qualifier of '"
                                + (q.addr() == Addr.PORT ? "port" : "portrange") + "'");
                    }
                    int port = Services.port(name);
                    if (port < 0) {
                        throw new FilterException(q.addr() == Addr.PORT ? "unknown port '" + name + "'"
                                : "unknown port in range '" + name + "'");
                    }
                    int proto = portProto(q);
                    return port(port, proto, q.dir()).or(port6(port, proto, q.dir()));
                }
                case PROTO, PROTOCHAIN -> {
                    int v = Services.protocol(name);
                    if (v < 0) {
                        throw new FilterException("unknown protocol: " + name);
                    }
                    return proto(v, q.proto());
                }
                case GATEWAY -> throw new FilterException("'gateway' not supported in this configuration");
                default -> throw syntax();
            }
        }

        /** {@code gen_ecode}: an Ethernet address, with {@code ether} or no protocol. */
        private Node ecode(String s, Qual q) throws FilterException {
            if ((q.addr() == Addr.HOST || q.addr() == Addr.DEFAULT) && q.proto() == Proto.LINK) {
                byte[] mac = parseMac(s);
                return switch (q.dir()) {
                    case SRC -> pk -> eq(pk, 6, mac);
                    case DST -> pk -> eq(pk, 0, mac);
                    case AND -> pk -> eq(pk, 6, mac) && eq(pk, 0, mac);
                    default -> pk -> eq(pk, 6, mac) || eq(pk, 0, mac);
                };
            }
            throw new FilterException("ethernet address used in non-ether expression");
        }

        private static boolean eq(Packet pk, int off, byte[] mac) {
            for (int i = 0; i < 6; i++) {
                if (pk.u8(off + i) != (mac[i] & 0xFF)) {
                    return false;
                }
            }
            return true;
        }

        /** {@code gen_host}: IPv4 addresses, in IPv4 and (without a protocol) ARP and RARP. */
        private Node host(long addr, long mask, Proto proto, Dir dir, Addr type) throws FilterException {
            String typestr = type == Addr.NET ? "net" : "host";
            switch (proto) {
                case DEFAULT -> {
                    return hostop(addr, mask, dir, 0x0800, 12, 16).or(hostop(addr, mask, dir, 0x0806, 14, 24))
                            .or(hostop(addr, mask, dir, 0x8035, 14, 24));
                }
                case IP -> {
                    return hostop(addr, mask, dir, 0x0800, 12, 16);
                }
                case ARP -> {
                    return hostop(addr, mask, dir, 0x0806, 14, 24);
                }
                case RARP -> {
                    return hostop(addr, mask, dir, 0x8035, 14, 24);
                }
                case LINK -> throw new FilterException("link-layer modifier applied to " + typestr);
                case IPV6 -> throw new FilterException("'ip6' modifier applied to ip host");
                default -> throw new FilterException("'" + name(proto) + "' modifier applied to " + typestr);
            }
        }

        private static Node hostop(long addr, long mask, Dir dir, int ethertype, int srcOff, int dstOff) {
            Node src = pk -> pk.etherType() == ethertype && (pk.load(14 + srcOff, 4) & mask) == addr;
            Node dst = pk -> pk.etherType() == ethertype && (pk.load(14 + dstOff, 4) & mask) == addr;
            return switch (dir) {
                case SRC -> src;
                case DST -> dst;
                case AND -> src.and(dst);
                default -> src.or(dst);
            };
        }

        /** {@code gen_host6}. */
        private Node host6(byte[] addr, byte[] mask, Proto proto, Dir dir, Addr type) throws FilterException {
            String typestr = type == Addr.NET ? "net" : "host";
            switch (proto) {
                case DEFAULT, IPV6 -> {
                    Node src = pk -> pk.etherType() == 0x86dd && eq6(pk, 14 + 8, addr, mask);
                    Node dst = pk -> pk.etherType() == 0x86dd && eq6(pk, 14 + 24, addr, mask);
                    return switch (dir) {
                        case SRC -> src;
                        case DST -> dst;
                        case AND -> src.and(dst);
                        default -> src.or(dst);
                    };
                }
                case LINK -> throw new FilterException("link-layer modifier applied to ip6 " + typestr);
                default -> throw new FilterException("'" + name(proto) + "' modifier applied to ip6 " + typestr);
            }
        }

        private static boolean eq6(Packet pk, int off, byte[] addr, byte[] mask) {
            for (int i = 0; i < 16; i++) {
                if ((pk.u8(off + i) & mask[i]) != (addr[i] & mask[i] & 0xFF)) {
                    return false;
                }
            }
            return true;
        }

        /** {@code gen_port}: TCP, UDP or SCTP over IPv4, first fragments only. */
        private static Node port(int port, int proto, Dir dir) {
            return pk -> {
                if (pk.etherType() != 0x0800 || (pk.load(14 + 6, 2) & 0x1FFF) != 0) {
                    return false;
                }
                int p = pk.u8(14 + 9);
                if (proto == -1 ? p != 6 && p != 17 && p != 132 : p != proto) {
                    return false;
                }
                int th = 14 + pk.ipHeaderLength();
                return portop(pk, th, port, dir);
            };
        }

        /** {@code gen_port6}: TCP, UDP or SCTP right after the IPv6 header. */
        private static Node port6(int port, int proto, Dir dir) {
            return pk -> {
                if (pk.etherType() != 0x86dd) {
                    return false;
                }
                int p = pk.u8(14 + 6);
                if (proto == -1 ? p != 6 && p != 17 && p != 132 : p != proto) {
                    return false;
                }
                return portop(pk, 14 + 40, port, dir);
            };
        }

        private static boolean portop(Packet pk, int th, int port, Dir dir) {
            return switch (dir) {
                case SRC -> pk.load(th, 2) == port;
                case DST -> pk.load(th + 2, 2) == port;
                case AND -> pk.load(th, 2) == port && pk.load(th + 2, 2) == port;
                default -> pk.load(th, 2) == port || pk.load(th + 2, 2) == port;
            };
        }

        /** {@code gen_broadcast}. */
        private Node broadcast(Proto proto) throws FilterException {
            switch (proto) {
                case DEFAULT, LINK -> {
                    return pk -> {
                        for (int i = 0; i < 6; i++) {
                            if (pk.u8(i) != 0xFF) {
                                return false;
                            }
                        }
                        return true;
                    };
                }
                case IP -> {
                    if (netmask < 0) {
                        throw new FilterException("netmask not known, so 'ip broadcast' not supported");
                    }
                    long hostmask = ~netmask & 0xFFFFFFFFL;
                    return pk -> pk.etherType() == 0x0800 && ((pk.load(14 + 16, 4) & hostmask) == 0
                            || (pk.load(14 + 16, 4) & hostmask) == hostmask);
                }
                default -> throw new FilterException("only link-layer/IP broadcast filters supported");
            }
        }

        /** {@code gen_multicast}. */
        private Node multicast(Proto proto) throws FilterException {
            return switch (proto) {
                case DEFAULT, LINK -> pk -> (pk.u8(0) & 1) != 0;
                case IP -> pk -> pk.etherType() == 0x0800 && pk.u8(14 + 16) >= 224;
                case IPV6 -> pk -> pk.etherType() == 0x86dd && pk.u8(14 + 24) == 255;
                default -> throw new FilterException("link-layer multicast filters supported only on ethernet/FDDI/"
                        + "token ring/ARCNET/802.11/ATM LANE/Fibre Channel");
            };
        }
    }

    // ------------------------------------------------------------------ text to numbers

    /** {@code __pcap_atoin}: a dotted address of one to four parts; [value, bits] or null. */
    private static long[] atoin(String s) {
        long addr = 0;
        int len = 0;
        for (String part : s.split("\\.", -1)) {
            long n;
            try {
                n = part.startsWith("0x") || part.startsWith("0X") ? Long.parseLong(part.substring(2), 16)
                        : Long.parseLong(part);
            } catch (NumberFormatException e) {
                return null;
            }
            if (n > 255) {
                return null;
            }
            addr = addr << 8 | n;
            len += 8;
        }
        return new long[] {addr, len};
    }

    /** An IPv6 address in any of its text forms, or {@code null}. */
    static byte[] parse6(String s) {
        dev.ipsim.kernel.addr.Ipv6Address a = dev.ipsim.kernel.addr.Ipv6Address.parse(s);
        if (a == null) {
            return null;
        }
        byte[] b = new byte[16];
        long hi = a.high();
        long lo = a.low();
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (hi >>> (56 - 8 * i));
            b[8 + i] = (byte) (lo >>> (56 - 8 * i));
        }
        return b;
    }

    /** {@code pcap_ether_aton}: any of the MAC forms the scanner accepts. */
    private static byte[] parseMac(String s) {
        String hex = s.replaceAll("[:.\\-]", "");
        byte[] m = new byte[6];
        if (hex.length() == 12 && !s.matches(".*[:.\\-].*[:.\\-].*[:.\\-].*[:.\\-].*[:.\\-].*")) {
            for (int i = 0; i < 6; i++) {
                m[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
            }
            return m;
        }
        String[] parts = s.split("[:.\\-]");
        if (parts.length == 3) {
            for (int i = 0; i < 3; i++) {
                int v = Integer.parseInt(parts[i], 16);
                m[2 * i] = (byte) (v >> 8);
                m[2 * i + 1] = (byte) v;
            }
            return m;
        }
        for (int i = 0; i < 6; i++) {
            m[i] = (byte) Integer.parseInt(parts[i], 16);
        }
        return m;
    }

    /** Service and protocol names ({@code /etc/services}, {@code /etc/protocols} of Debian). */
    static final class Services {
        private Services() {
        }

        static int port(String name) {
            if (name.matches("[0-9]+")) {
                return Integer.parseInt(name);
            }
            return switch (name) {
                case "ftp" -> 21;
                case "ssh" -> 22;
                case "telnet" -> 23;
                case "smtp" -> 25;
                case "domain" -> 53;
                case "bootps" -> 67;
                case "bootpc" -> 68;
                case "tftp" -> 69;
                case "http", "www" -> 80;
                case "ntp" -> 123;
                case "snmp" -> 161;
                case "https" -> 443;
                case "syslog" -> 514;
                case "mdns" -> 5353;
                default -> -1;
            };
        }

        static int protocol(String name) {
            for (int i = 0; i < 256; i++) {
                String n = Tok.netdbProtoname(i);
                if (name.equals(n)) {
                    return i;
                }
            }
            return switch (name) {
                case "ip" -> 0;
                case "icmp6", "ipv6-icmp" -> 58;
                default -> -1;
            };
        }
    }

    /** Names from the sandbox's {@code /etc/hosts} and {@code /etc/networks}. */
    static Names names(Function<String, String> readEtc) {
        return new Names() {
            @Override
            public List<byte[]> addresses(String name) {
                List<byte[]> out = new ArrayList<>();
                long[] numeric = atoin(name);
                if (numeric != null && numeric[1] == 32) {
                    long v = numeric[0];
                    out.add(new byte[] {(byte) (v >> 24), (byte) (v >> 16), (byte) (v >> 8), (byte) v});
                    return out;
                }
                String hosts = readEtc.apply("hosts");
                for (String line : hosts == null ? new String[0] : hosts.split("\n")) {
                    String l = line.replaceFirst("#.*", "").trim();
                    if (l.isEmpty()) {
                        continue;
                    }
                    String[] f = l.split("\\s+");
                    for (int i = 1; i < f.length; i++) {
                        if (f[i].equalsIgnoreCase(name)) {
                            long[] v4 = atoin(f[0]);
                            if (v4 != null && v4[1] == 32 && f[0].split("\\.").length == 4) {
                                long v = v4[0];
                                out.add(new byte[] {(byte) (v >> 24), (byte) (v >> 16), (byte) (v >> 8), (byte) v});
                            } else {
                                byte[] v6 = parse6(f[0]);
                                if (v6 != null) {
                                    out.add(v6);
                                }
                            }
                            break;
                        }
                    }
                }
                return out;
            }

            @Override
            public long network(String name) {
                String nets = readEtc.apply("networks");
                for (String line : nets == null ? new String[0] : nets.split("\n")) {
                    String l = line.replaceFirst("#.*", "").trim();
                    String[] f = l.split("\\s+");
                    if (f.length >= 2 && f[0].equals(name)) {
                        long[] v = atoin(f[1]);
                        return v == null ? -1 : v[0];
                    }
                }
                return -1;
            }
        };
    }
}
