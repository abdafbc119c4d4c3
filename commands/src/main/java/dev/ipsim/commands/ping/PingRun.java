package dev.ipsim.commands.ping;

import dev.ipsim.commands.Exit;
import dev.ipsim.commands.Invocation;
import dev.ipsim.commands.cli.GetOpt;
import dev.ipsim.commands.net.HostsFile;
import dev.ipsim.kernel.Errno;
import dev.ipsim.kernel.KernelException;
import dev.ipsim.kernel.NetNamespace;
import dev.ipsim.kernel.addr.Ipv4Address;
import dev.ipsim.kernel.addr.Ipv6Address;
import dev.ipsim.kernel.inet6.Icmpv6Socket;
import dev.ipsim.kernel.wire.Icmpv6Message;
import dev.ipsim.kernel.inet.IcmpSocket;
import dev.ipsim.kernel.inet.Ipv4Stack;
import dev.ipsim.kernel.ipv4.InetIfAddr;
import dev.ipsim.kernel.link.NetDevice;
import dev.ipsim.kernel.wire.IcmpMessage;
import dev.ipsim.kernel.wire.Ipv4Packet;
import dev.ipsim.kernel.wire.WireFormatException;
import java.io.PrintStream;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;

/**
 * One run of ping: iputils' {@code struct ping_rts} and the functions that work on it
 * ({@code main}, {@code ping4_run}, {@code setup}, {@code main_loop}, {@code pinger},
 * {@code ping4_parse_reply}, {@code ping4_receive_error_msg}, {@code gather_statistics},
 * {@code finish}), on the virtual clock.
 *
 * <p>Heads up: three iputils behaviours decide most of what the seeds show. Errors read from the
 * socket's error queue print {@code From ... Destination Host Unreachable} and count as
 * {@code +N errors}; the same ICMP error received as a datagram (a raw socket sees both) only
 * acknowledges its sequence number, which is what {@code pipe N} counts. After the last packet
 * without any reply, ping lingers ten seconds ({@code -W}) before it ends. And the
 * {@code time} of the summary runs from start to the last packet sent, not to the end.
 */
final class PingRun {

    private static final int DEFAULT_DATA_LENGTH = 56;
    private static final int MAX_WAIT_SECONDS = 10;
    private static final int MIN_INTERVAL_MS = 10;
    private static final int MAX_DUP_CHECK = 0x10000;
    private static final int TIMEVAL_LENGTH = 16;
    /** {@code 1000 / HZ} with the {@code _SC_CLK_TCK} of 100 ping sees. */
    private static final int USER_TICK_MS = 10;
    private static final long NANOS_PER_MS = 1_000_000L;

    private final Invocation inv;
    private final PrintStream out;
    private final PingClock clock;
    private final NetNamespace ns;
    private final HostsFile hosts;

    // options
    private long npackets;
    private int interval = 1000;
    private boolean optInterval;
    private int preload = 1;
    private int lingertime = MAX_WAIT_SECONDS * 1000;
    private int datalen = DEFAULT_DATA_LENGTH;
    private int ttl = -1;
    private boolean optTtl;
    private int deadline;
    private String device;
    /** {@code IP_PKTINFO}'s {@code ipi_ifindex} on every echo request (iputils before s20161105); 0 for none. */
    private int pktinfoDevice;
    private Ipv4Address source = Ipv4Address.ANY;
    private boolean strictSource;
    private boolean optNumeric;
    private boolean quiet;
    private boolean flood;
    private boolean adaptive;
    private boolean outstanding;
    private boolean timestamps;
    private boolean audible;
    private boolean verbose;
    private boolean broadcastPings;
    private int tos;
    private int pmtuDiscovery = -1;
    private byte[] pattern;
    private int family;

    // state
    private Ipv4Address whereto;
    private String hostname;
    private IcmpSocket socket;
    /** The IPv6 path's socket, destination and source ({@code ping6_run}); {@code null} for IPv4. */
    private Icmpv6Socket socket6;
    private Ipv6Address whereto6;
    private NetDevice scope6;
    /** The device the echo requests are sent out of: the zone's, else {@code -I}'s ({@code IPV6_PKTINFO}). */
    private NetDevice oif6;
    private String source6Arg;
    private int ident;
    private boolean timing;
    private boolean multicast;
    private long ntransmitted;
    private long nreceived;
    private long nrepeats;
    private long nchecksum;
    private long nerrors;
    private int acked;
    private int pipesize = -1;
    private long tmin = Long.MAX_VALUE;
    private long tmax;
    private long tsum;
    private double tsum2;
    private int rtt;
    private int rttAddend;
    /** {@code pinger}'s static {@code oom_count}: sends refused for want of buffers in a row. */
    private int oomCount;
    private final BitSet received = new BitSet(MAX_DUP_CHECK);
    private boolean exiting;
    private long startTime;
    private long curTime = -1;
    private long tokens;
    private long alarmAt = Long.MAX_VALUE;
    private long waittime;
    private boolean filterNarrowed;
    private byte[] outpack;

    PingRun(Invocation inv) {
        this.inv = inv;
        this.out = inv.out();
        this.clock = new PingClock(inv.context());
        this.ns = inv.context().netns();
        this.hosts = new HostsFile(inv.context());
    }

    // ------------------------------------------------------------------ main

    int run() {
        String prog = inv.argv().get(0);
        if (prog.endsWith("4")) {
            family = 4;
        } else if (prog.endsWith("6")) {
            family = 6;
        }
        GetOpt getopt = new GetOpt(prog, Ping.OPTIONS, null, inv.err());
        for (GetOpt.Option o : getopt.parse(inv.args())) {
            option((char) o.option(), o.argument());
        }
        List<String> targets = getopt.operands();
        if (targets.isEmpty()) {
            Ping.error(inv, 1, Errno.EDESTADDRREQ.text(), "usage error");
        }
        String target = targets.get(targets.size() - 1);
        outpack = new byte[datalen + 28];
        if (pattern != null) {
            fill();
        }
        Ipv6Address literal6 = ipv6Literal(target);
        if (family == 4 && literal6 != null || family == 6 && HostsFile.inetAton(target) != null) {
            // getaddrinfo's EAI_ADDRFAMILY: a numeric host of the other family
            Ping.error(inv, 2, null, target + ": Address family for hostname not supported");
        }
        if (literal6 == null && target.indexOf('%') > 0 && ipv6Literal(target.substring(0, target.indexOf('%'))) != null) {
            // a zone that names no device: getaddrinfo's EAI_NONAME
            Ping.error(inv, 2, null, target + ": Name or service not known");
        }
        // multicast (the looped-back copy, every node's reply, duplicates) and -v are not modelled yet
        if (family != 4 && literal6 != null && !verbose && !literal6.isMulticast()) {
            socket6 = ns.stack().ipv6().openRawIcmpSocket();
            try {
                return ping6(targets, target, literal6);
            } finally {
                socket6.close();
            }
        }
        if (source6Arg != null && family != 6) {
            Ping.error(inv, 2, null, "invalid source address: " + source6Arg);
        }
        if (family == 6 || target.indexOf(':') >= 0) {
            inv.out().flush();
            inv.err().print("ipsim: IPv6 ping is not simulated yet\n");
            throw new Exit(2);
        }
        Ipv4Stack ipv4 = ns.stack().ipv4();
        socket = ipv4.openRawIcmpSocket();
        if (verbose) {
            // A fresh process's sockets are fds 3 and 4; -4 leaves the IPv6 one uncreated.
            Ping.error(inv, 0, null, "sock4.fd: 3 (socktype: SOCK_RAW), sock6.fd: "
                    + (family == 4 ? "-1 (socktype: 0)" : "4 (socktype: SOCK_RAW)")
                    + ", hints.ai_family: " + (family == 4 ? "AF_INET" : "AF_UNSPEC") + "\n");
        }
        try {
            Ipv4Address resolved = resolve(target);
            return ping4(ipv4, targets, target, resolved);
        } finally {
            socket.close();
        }
    }

    private void option(char c, String arg) {
        switch (c) {
            case '4' -> {
                if (family == 6) {
                    Ping.error(inv, 2, null, "only one -4 or -6 option may be specified");
                }
                family = 4;
            }
            case '6' -> {
                if (family == 4) {
                    Ping.error(inv, 2, null, "only one -4 or -6 option may be specified");
                }
                family = 6;
            }
            case 'b' -> broadcastPings = true;
            case 'a' -> audible = true;
            case 'A' -> adaptive = true;
            case 'c' -> npackets = number(arg, 1, Long.MAX_VALUE);
            case 'D' -> timestamps = true;
            case 'f' -> {
                flood = true;
                optNumeric = true;
            }
            case 'i' -> {
                double v = strtod(arg, "bad timing interval");
                if (v > (double) Integer.MAX_VALUE / 1000) {
                    Ping.error(inv, 2, null, "bad timing interval: " + arg);
                }
                interval = (int) (v * 1000);
                optInterval = true;
            }
            case 'I' -> {
                Ipv4Address a = Ipv4Address.parse(arg);
                if (arg.indexOf(':') >= 0) {
                    source6Arg = arg;
                } else if (a != null) {
                    source = a;
                    strictSource = true;
                } else {
                    device = arg;
                }
            }
            case 'l' -> preload = (int) number(arg, 1, MAX_DUP_CHECK);
            case 'n' -> optNumeric = true;
            case 'O' -> outstanding = true;
            case 'p' -> {
                for (char ch : arg.toCharArray()) {
                    if (Character.digit(ch, 16) < 0) {
                        Ping.error(inv, 2, null, "patterns must be specified as hex digits: " + arg.substring(
                                arg.indexOf(ch)));
                    }
                }
                // sscanf's %2x: up to two digits each, sixteen bytes at most ("abc" is ab 0c)
                pattern = new byte[Math.min(16, (arg.length() + 1) / 2)];
                for (int i = 0; i < pattern.length; i++) {
                    pattern[i] = (byte) Integer.parseInt(arg.substring(2 * i, Math.min(2 * i + 2, arg.length())), 16);
                }
            }
            case 'q' -> quiet = true;
            case 'Q' -> tos = parseTos(arg);
            case 's' -> datalen = (int) number(arg, 0, Integer.MAX_VALUE);
            case 't' -> {
                ttl = (int) number(arg, 0, 255);
                optTtl = true;
            }
            case 'v' -> verbose = true;
            case 'V' -> {
                out.print(Ping.VERSION + "\n" + Ping.CONFIGURATION + "\n");
                throw new Exit(0);
            }
            case 'w' -> deadline = (int) number(arg, 0, Integer.MAX_VALUE);
            case 'W' -> {
                double v = strtod(arg, "bad linger time");
                if (v < 0 || v > (double) Integer.MAX_VALUE / 1000) {
                    Ping.error(inv, 2, null, "bad linger time: " + arg);
                }
                lingertime = (int) (v * 1000);
            }
            case 'M' -> {
                switch (arg) {
                    case "do" -> pmtuDiscovery = IcmpSocket.PMTUDISC_DO;
                    case "dont" -> pmtuDiscovery = IcmpSocket.PMTUDISC_DONT;
                    case "want" -> pmtuDiscovery = IcmpSocket.PMTUDISC_WANT;
                    default -> Ping.error(inv, 2, null, "invalid -M argument: " + arg);
                }
            }
            case 'e', 'm', 'S', 'F', 'N', 'T' -> {
                // accepted, and without effect on what this model shows
            }
            case 'R' -> {
            }
            case 'B', 'C', 'd', 'L', 'r', 'U' -> {
            }
            default -> Ping.usage(inv);
        }
    }

    /** {@code strtol_or_err(arg, "invalid argument", min, max)}: exit 1 on garbage or range. */
    private long number(String arg, long min, long max) {
        if (!arg.matches("\\s*[+-]?\\d+")) {
            Ping.error(inv, 1, null, "invalid argument: '" + arg + "'");
        }
        BigInteger v = new BigInteger(arg.strip().replaceFirst("^\\+", ""));
        if (v.bitLength() > 63) {
            Ping.error(inv, 1, Errno.ERANGE.text(), "invalid argument: '" + arg + "'");
        }
        long n = v.longValue();
        if (n < min || n > max) {
            Ping.error(inv, 1, null, "invalid argument: '" + arg + "': out of range: " + min + " <= value <= " + max);
        }
        return n;
    }

    /** {@code ping_strtod}: a C {@code strtod} that warns about trailing garbage and uses the number it read. */
    private double strtod(String arg, String what) {
        int end = cNumberPrefix(arg);
        double v = 0;
        if (end > 0) {
            v = Double.parseDouble(arg.substring(0, end).strip());
        }
        if (end == 0 || end < arg.length()) {
            String rest = arg.substring(end);
            Ping.error(inv, 0, null, "option argument contains garbage: " + rest);
            Ping.error(inv, 0, null, "this will become fatal error in the future");
        }
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            Ping.error(inv, 2, Errno.ERANGE.text(), what + ": " + arg);
        }
        return v;
    }

    /** How many leading characters of {@code s} a C {@code strtod} would take. */
    private static int cNumberPrefix(String s) {
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("^\\s*[+-]?((\\d+\\.?\\d*)|(\\.\\d+))([eE][+-]?\\d+)?").matcher(s);
        return m.find() ? m.end() : 0;
    }

    private int parseTos(String arg) {
        try {
            int v = arg.startsWith("0x") || arg.startsWith("0X") ? Integer.parseInt(arg.substring(2), 16)
                    : Integer.parseInt(arg);
            if (v > 255) {
                Ping.error(inv, 2, null, "the decimal value of TOS bits must be in range 0-255: " + v);
            }
            return v;
        } catch (NumberFormatException e) {
            Ping.error(inv, 2, null, "bad TOS value: " + arg);
            throw new AssertionError();
        }
    }

    /** {@code fill()}: the pattern repeated over the data, and announced. */
    private void fill() {
        // an empty pattern (sscanf finds nothing) fills nothing
        for (int k = 0; pattern.length > 0 && k + pattern.length <= datalen; k += pattern.length) {
            System.arraycopy(pattern, 0, outpack, 8 + k, pattern.length);
        }
        if (!quiet) {
            StringBuilder sb = new StringBuilder("PATTERN: 0x");
            for (byte b : pattern) {
                sb.append(String.format("%02x", b & 0xFF));
            }
            out.print(sb + "\n");
        }
    }

    /** {@code getaddrinfo}: a literal, or a name from the hosts file; any other name fails. */
    private Ipv4Address resolve(String target) {
        Ipv4Address literal = HostsFile.inetAton(target);
        if (literal != null) {
            printAddrinfo(target);
            return literal;
        }
        HostsFile.Entry e = hosts.lookup(target);
        if (e == null) {
            if (!inv.context().userland().pingBindsIcmpSocket()) {
                // before s20161105: gethostbyname, and one message for every failure
                Ping.error(inv, 2, null, "unknown host " + target);
            }
            Ping.error(inv, 2, null, target + ": " + hosts.failure());
        }
        hostname = e.canonicalName();
        printAddrinfo(hostname);
        return e.address();
    }

    /** -v: the first (and, as ping4_run never returns, only) addrinfo tried. */
    private void printAddrinfo(String canonicalName) {
        if (verbose) {
            out.print("ai->ai_family: AF_INET, ai->ai_canonname: '" + canonicalName + "'\n");
        }
    }

    // ------------------------------------------------------------------ ping6_run

    /** An IPv6 literal, with a {@code %zone} naming a device (kept in {@link #scope6}); else {@code null}. */
    private Ipv6Address ipv6Literal(String target) {
        int pct = target.indexOf('%');
        Ipv6Address a;
        try {
            a = Ipv6Address.parse(pct < 0 ? target : target.substring(0, pct));
        } catch (RuntimeException e) {
            return null;
        }
        if (a == null) {
            return null;
        }
        if (pct >= 0) {
            NetDevice dev = ns.device(target.substring(pct + 1));
            if (dev == null) {
                return null;
            }
            scope6 = dev;
        }
        return a;
    }

    private int ping6(List<String> targets, String target, Ipv6Address resolved) {
        if (targets.size() > 1) {
            Ping.usage(inv);
        }
        whereto6 = resolved;
        hostname = target;
        optNumeric = true;
        NetDevice dev = null;
        if (device != null) {
            dev = ns.device(device);
            if (dev == null) {
                Ping.error(inv, 2, null, "unknown iface: " + device);
            }
            socket6.bindToDevice(device);
        }
        NetDevice oif = scope6 != null ? scope6 : dev;
        oif6 = oif;
        Ipv6Address src6;
        if (source6Arg != null) {
            try {
                src6 = Ipv6Address.parse(source6Arg);
            } catch (RuntimeException e) {
                src6 = null;
            }
            if (src6 == null) {
                Ping.error(inv, 2, null, "invalid source address: " + source6Arg);
            }
            try {
                socket6.bind(src6);
            } catch (KernelException e) {
                Ping.error(inv, 2, e.errno().text(), "bind icmp socket");
            }
        } else {
            if (whereto6.isLinkLocal() || ((whereto6.high() >>> 48) & 0xFF0F) == 0xFF02) {
                // iputils sets sin6_family only for other destinations: this connect() is an
                // AF_UNSPEC one, a disconnect, and the probe socket's name stays ::
                src6 = Ipv6Address.ANY;
            } else {
                try {
                    src6 = socket6.connect(whereto6, oif);
                } catch (KernelException e) {
                    Ping.error(inv, 2, e.errno().text(), "connect");
                    throw new AssertionError();
                }
            }
            if (device != null && !addressIsOn6(dev, src6)) {
                Ping.error(inv, 0, null, "Warning: source address might be selected on device other than: "
                        + device);
            }
        }
        socket6.setFilterPassOnly(Icmpv6Message.ECHO_REPLY);
        socket6.setReceiveErrors(true);
        if (optTtl) {
            socket6.setHopLimit(ttl);
        }
        timing = datalen >= TIMEVAL_LENGTH;
        StringBuilder header = new StringBuilder("PING " + hostname + "(" + prAddr6(whereto6, scope6) + ") ");
        if (device != null || source6Arg != null) {
            header.append("from ").append(src6).append(' ').append(device != null ? device : "").append(": ");
        }
        header.append(datalen).append(" data bytes\n");
        out.print(header);
        setup();
        return mainLoop();
    }

    private static boolean addressIsOn6(NetDevice dev, Ipv6Address a) {
        for (var ifa : dev.ipv6().addresses()) {
            if (ifa.address().equals(a)) {
                return true;
            }
        }
        return false;
    }

    /** {@code pr_addr} for IPv6, numeric: a link-local address carries its zone. */
    private static String prAddr6(Ipv6Address a, NetDevice scope) {
        if (scope != null && (a.isLinkLocal() || a.isMulticast())) {
            return a + "%" + scope.name();
        }
        return a.toString();
    }

    /**
     * A local error from the error queue, as both receive_error_msg functions print it: an
     * {@code E} when flooding, else the errno's text, the path MTU after {@code mtuWords} (iputils
     * writes {@code ", mtu="} for IPv4 and {@code ", mtu: "} for IPv6); returns -1.
     */
    private int localError(Errno errno, int info, String mtuWords) {
        if (!quiet) {
            if (flood) {
                out.print("E");
                out.flush();
            } else if (errno != Errno.EMSGSIZE) {
                Ping.error(inv, 0, null, "local error: " + errno.text());
            } else {
                Ping.error(inv, 0, null, "local error: message too long" + mtuWords + info);
            }
        }
        nerrors++;
        return -1;
    }

    /** {@code ping6_receive_error_msg}. */
    private int receiveErrorMessage6() {
        Icmpv6Socket.ExtendedError e = socket6.receiveError();
        if (e == null) {
            return -1;
        }
        if (e.origin() == Icmpv6Socket.ORIGIN_LOCAL) {
            return localError(e.errno(), e.info(), ", mtu: ");
        }
        IcmpMessage quoted;
        try {
            quoted = IcmpMessage.parse(e.payload());
        } catch (WireFormatException ex) {
            return 0;
        }
        if (!e.target().equals(whereto6) || quoted.type() != Icmpv6Message.ECHO_REQUEST
                || quoted.identifier() != ident) {
            return 0;
        }
        nerrors++; // unlike IPv4's, no acknowledge(): the error does not end the sequence's wait
        if (quiet) {
            return 1;
        }
        if (flood) {
            out.print("\bE");
            out.flush();
            return 1;
        }
        printTimestamp();
        out.print("From " + prAddr6(e.offender(), null) + " icmp_seq=" + quoted.sequence() + " "
                + describe6(e.type(), e.code()) + "\n");
        out.flush();
        return 1;
    }

    /** {@code print6_icmp}. */
    private static String describe6(int type, int code) {
        return switch (type) {
            case 1 -> "Destination unreachable: " + switch (code) {
                case 0 -> "No route";
                case 1 -> "Administratively prohibited";
                case 2 -> "Beyond scope of source address";
                case 3 -> "Address unreachable";
                case 4 -> "Port unreachable";
                default -> "Unknown code " + code;
            };
            case 2 -> "Packet too big: mtu=0";
            case 3 -> code == 0 ? "Time exceeded: Hop limit" : code == 1 ? "Time exceeded: Defragmentation failure"
                    : "Time exceeded: code " + code;
            case 4 -> "Parameter problem: " + (code == 0 ? "Wrong header field "
                    : code == 1 ? "Unknown header " : code == 2 ? "Unknown option " : "code " + code) + "at 0";
            default -> "Bad ICMP type: " + type;
        };
    }

    /** {@code ping6_parse_reply} for an echo reply. */
    private void parseReply6(Icmpv6Socket.Received r) {
        byte[] icmpBytes = r.icmp();
        if (icmpBytes.length < 8) {
            return;
        }
        IcmpMessage icmp = IcmpMessage.parse(icmpBytes);
        if (icmp.type() != Icmpv6Message.ECHO_REPLY || icmp.identifier() != ident) {
            return;
        }
        boolean wrongSource = !r.from().equals(whereto6);
        NetDevice zone = r.from().isLinkLocal() ? r.device() : null;
        if (gatherStatistics(icmp, icmpBytes.length, r.hopLimit(), false, r.timestampNanos(),
                prAddr6(r.from(), zone), wrongSource)) {
            out.flush();
            return;
        }
        if (audible) {
            out.print("\u0007");
        }
        if (!flood) {
            out.print("\n");
            out.flush();
        }
    }

    // ------------------------------------------------------------------ ping4_run

    private int ping4(Ipv4Stack ipv4, List<String> targets, String target, Ipv4Address resolved) {
        if (targets.size() > 1) {
            if (targets.size() > 10) {
                Ping.usage(inv);
            }
            Ping.error(inv, 2, Errno.EPERM.text(), "record route");
        }
        whereto = resolved;
        if (HostsFile.inetAton(target) != null) {
            hostname = target;
            optNumeric = true;
        }
        boolean bindsSocket = inv.context().userland().pingBindsIcmpSocket();
        if (device != null && !bindsSocket) {
            // before s20161105 only the probe socket is bound to the device; every echo request
            // names it in IP_PKTINFO, and the ICMP socket itself hears from every device
            NetDevice dev = ns.device(device);
            if (dev == null) {
                Ping.error(inv, 2, Errno.ENODEV.text(), "SO_BINDTODEVICE");
            }
            pktinfoDevice = dev.ifindex();
        }
        if (source.isUnspecified()) {
            Ipv4Address chosen;
            if (device != null && bindsSocket) {
                bindToDevice();
            }
            try {
                chosen = ipv4.connectDatagram(whereto, device, false);
            } catch (KernelException e) {
                if (e.errno() == Errno.EACCES) {
                    if (!broadcastPings) {
                        Ping.error(inv, 2, null,
                                "Do you want to ping broadcast? Then -b. If not, check your local firewall rules");
                    }
                    inv.out().flush();
                    inv.err().print("WARNING: pinging broadcast address\n");
                    try {
                        chosen = ipv4.connectDatagram(whereto, device, true);
                    } catch (KernelException again) {
                        Ping.error(inv, 2, again.errno().text(), "connect");
                        throw new AssertionError();
                    }
                } else {
                    Ping.error(inv, 2, e.errno().text(), "connect");
                    throw new AssertionError();
                }
            }
            source = chosen;
            if (device != null && !addressIsOn(device, source)) {
                if (bindsSocket) {
                    Ping.error(inv, 0, null, "Warning: source address might be selected on device other than: "
                            + device);
                } else {
                    Ping.error(inv, 0, null, "Warning: source address might be selected on device other than "
                            + device + ".");
                }
            }
        } else if (device != null && bindsSocket) {
            bindToDevice();
        }
        if (whereto.isUnspecified()) {
            whereto = source;
        }
        if (broadcastPings || whereto.isMulticast()) {
            multicast = true;
            if (pmtuDiscovery < 0) {
                pmtuDiscovery = IcmpSocket.PMTUDISC_DO;
            }
        }
        if (pmtuDiscovery >= 0) {
            socket.setPmtuDiscovery(pmtuDiscovery);
        }
        if (strictSource) {
            try {
                socket.bind(source);
            } catch (KernelException e) {
                Ping.error(inv, 2, e.errno().text(), "bind");
            }
        }
        socket.setIcmpFilter(~((1 << IcmpMessage.SOURCE_QUENCH) | (1 << IcmpMessage.DEST_UNREACH)
                | (1 << IcmpMessage.TIME_EXCEEDED) | (1 << IcmpMessage.PARAMETER_PROBLEM)
                | (1 << IcmpMessage.REDIRECT) | (1 << IcmpMessage.ECHO_REPLY)));
        socket.setReceiveErrors(true);
        if (broadcastPings) {
            socket.setBroadcast(true);
        }
        if (optTtl) {
            if (ttl == 0) {
                Ping.error(inv, 2, Errno.EINVAL.text(), "cannot set unicast time-to-live");
            }
            socket.setTtl(ttl);
        }
        socket.setTos(tos);
        timing = datalen >= TIMEVAL_LENGTH;
        StringBuilder header = new StringBuilder("PING " + hostname + " (" + whereto + ") ");
        if (device != null || strictSource) {
            header.append("from ").append(source).append(' ').append(device != null ? device : "").append(": ");
        }
        header.append(datalen).append('(').append(datalen + 8 + 20).append(") bytes of data.\n");
        out.print(header);
        setup();
        return mainLoop();
    }

    private void bindToDevice() {
        try {
            socket.bindToDevice(device);
        } catch (KernelException e) {
            Ping.error(inv, 2, e.errno().text(), "SO_BINDTODEVICE " + device);
        }
    }

    /** The {@code getifaddrs} check: is {@code address} one of {@code name}'s own? */
    private boolean addressIsOn(String name, Ipv4Address address) {
        NetDevice dev = ns.device(name);
        if (dev == null) {
            return false;
        }
        for (InetIfAddr ifa : dev.ipv4().addresses()) {
            if (ifa.local().equals(address)) {
                return true;
            }
        }
        return false;
    }

    /** {@code setup()}. */
    private void setup() {
        if (flood && !optInterval) {
            interval = 0;
        }
        if (pattern == null) {
            for (int i = 0; i < datalen; i++) {
                outpack[8 + i] = (byte) i;
            }
        }
        ident = inv.context().kernel().random().nextInt(0x10000);
        startTime = clock.nanos();
        if (deadline > 0) {
            alarmAt = startTime + deadline * 1_000_000_000L;
        }
    }

    // ------------------------------------------------------------------ main_loop

    private static int schint(int ms) {
        return ms <= MIN_INTERVAL_MS ? MIN_INTERVAL_MS : ms;
    }

    private int inFlight() {
        int diff = (int) (ntransmitted - acked) & 0xFFFF;
        return diff <= 0x7FFF ? diff : (int) (ntransmitted - nreceived - nerrors);
    }

    private void acknowledge(int seq) {
        int diff = ((int) ntransmitted - seq) & 0xFFFF;
        if (diff <= 0x7FFF) {
            if (diff + 1 > pipesize) {
                pipesize = diff + 1;
            }
            if ((short) (seq - acked) > 0 || (((int) ntransmitted - acked) & 0xFFFF) > 0x7FFF) {
                acked = seq;
            }
        }
    }

    private void advanceTransmitted() {
        ntransmitted++;
        if ((((int) ntransmitted - acked) & 0xFFFF) > 0x7FFF) {
            acked = ((int) ntransmitted + 1) & 0xFFFF;
        }
    }

    /** Whether a blocking receive would return: data, or an error to report. */
    private boolean receivable() {
        return socket6 != null ? socket6.hasDataOrError() : socket.hasDataOrError();
    }

    private int mainLoop() {
        for (;;) {
            if (exiting || clock.interrupted()) {
                break;
            }
            if (npackets > 0 && nreceived + nerrors >= npackets) {
                break;
            }
            if (deadline > 0 && nerrors > 0) {
                break;
            }
            int next;
            do {
                next = pinger();
                next = scheduleExit(next);
            } while (next <= 0);

            boolean polling = false;
            boolean recvError = false;
            if (adaptive || next < schint(interval)) {
                int expected = inFlight();
                if (next <= USER_TICK_MS) {
                    if (expected > 0) {
                        next = MIN_INTERVAL_MS;
                    } else {
                        // iputils spins with sched_yield() until the next send is due: that time passes
                        clock.waitUntil(clock.nanos() + next * NANOS_PER_MS, alarmAt, () -> false);
                        next = 0;
                        polling = true;
                    }
                }
                if (!polling && (adaptive || interval > 0)) {
                    PingClock.Wake w = clock.waitUntil(clock.nanos() + next * NANOS_PER_MS, alarmAt,
                            () -> socket6 != null ? socket6.hasDataOrError() : socket.readable());
                    if (w != PingClock.Wake.READY) {
                        signalled(w);
                        continue;
                    }
                    polling = true;
                    recvError = !(socket6 != null ? socket6.hasDataOrError() : socket.hasDataOrError());
                }
            }
            for (;;) {
                if (!polling) {
                    PingClock.Wake w = clock.waitUntil(clock.receiveTimeoutAt(schint(interval)), alarmAt,
                            this::receivable);
                    if (w != PingClock.Wake.READY) {
                        signalled(w);
                        break; // EAGAIN, or EINTR
                    }
                }
                polling = true;
                if (socket6 != null) {
                    Errno pending6 = socket6.takeError();
                    if (pending6 != null) {
                        receiveErrorMessage6();
                    } else {
                        Icmpv6Socket.Received r6 = socket6.receive();
                        if (r6 == null) {
                            break;
                        }
                        parseReply6(r6);
                    }
                    if (inFlight() == 0) {
                        break;
                    }
                    continue;
                }
                Errno pending = socket.takeError();
                if (pending != null || (recvError && !socket.hasDataOrError())) {
                    recvError = false;
                    if (receiveErrorMessage() == 0) {
                        // not ours: iputils would install its filter and carry on
                    }
                } else {
                    IcmpSocket.Received r = socket.receive();
                    if (r == null) {
                        break; // EAGAIN
                    }
                    parseReply(r);
                }
                if (inFlight() == 0) {
                    break;
                }
            }
        }
        return finish();
    }

    private void signalled(PingClock.Wake w) {
        if (w == PingClock.Wake.SIGNAL) {
            exiting = true;
        }
    }

    /** {@code schedule_exit}: after the last packet, an alarm for when to stop waiting. */
    private int scheduleExit(int next) {
        if (npackets > 0 && ntransmitted >= npackets && deadline == 0) {
            if (waittime != 0) {
                return next;
            }
            if (nreceived > 0) {
                waittime = 2 * tmax;
                if (waittime < 1000L * interval) {
                    waittime = 1000L * interval;
                }
            } else {
                waittime = (long) lingertime * 1000;
            }
            if (next < 0 || next < waittime / 1000) {
                next = (int) (waittime / 1000);
            }
            alarmAt = clock.nanos() + waittime * 1000;
        }
        return next;
    }

    // ------------------------------------------------------------------ pinger

    /** {@code pinger}: sends when the token bucket allows; returns milliseconds until it may again. */
    private int pinger() {
        if (exiting || (npackets > 0 && ntransmitted >= npackets && deadline == 0)) {
            return 1000;
        }
        long now = clock.nanos();
        if (curTime < 0) {
            curTime = now;
            tokens = (long) interval * (preload - 1);
        } else {
            long ntokens = elapsedMs(curTime, now);
            if (interval == 0 && ntokens < MIN_INTERVAL_MS && inFlight() >= preload) {
                return (int) (MIN_INTERVAL_MS - ntokens);
            }
            ntokens += tokens;
            long cap = (long) interval * preload;
            if (cap < ntokens) {
                ntokens = cap;
            }
            if (ntokens < interval) {
                return (int) (interval - ntokens);
            }
            curTime = now;
            tokens = ntokens - interval;
        }
        if (outstanding && ntransmitted > 0 && !received.get((int) (ntransmitted % MAX_DUP_CHECK))) {
            printTimestamp();
            out.print("no answer yet for icmp_seq=" + (ntransmitted % MAX_DUP_CHECK) + "\n");
            out.flush();
        }
        KernelException failure = sendProbe();
        if (failure == null) {
            oomCount = 0;
            advanceTransmitted();
            if (!quiet && flood) {
                out.print(".");
                out.flush();
            }
            return (int) (interval - tokens);
        }
        int i;
        if (failure.errno() == Errno.ENOBUFS || failure.errno() == Errno.ENOMEM) {
            // the device dropped it: try again soon, for about the linger time, then give up on it
            tokens = 0;
            rttAddend += rtt < 8 * 50000 ? rtt / 8 : 50000;
            if (adaptive) {
                updateInterval();
            }
            int noresInterval = Math.min(schint(interval / 2), 500);
            oomCount++;
            if ((long) oomCount * noresInterval < lingertime) {
                return noresInterval;
            }
            i = 0;
        } else {
            i = receiveErrorMessage();
            if (i > 0) {
                i = 0; // an ICMP error came with it: report sendmsg's errno all the same
            }
        }
        // a hard local error: pretend the packet went
        advanceTransmitted();
        if (i == 0 && !quiet) {
            if (flood) {
                out.print("E");
                out.flush();
            } else {
                Ping.error(inv, 0, failure.errno().text(), "sendmsg");
            }
        }
        tokens = 0;
        return schint(interval);
    }

    /** C's {@code (tv_sec diff) * 1000 + (tv_nsec diff) / 1000000}, truncating toward zero. */
    private static long elapsedMs(long from, long to) {
        long secs = to / 1_000_000_000L - from / 1_000_000_000L;
        long nsecs = to % 1_000_000_000L - from % 1_000_000_000L;
        return secs * 1000 + nsecs / NANOS_PER_MS;
    }

    /** {@code ping4_send_probe}: an echo request with the send time in its first 16 data bytes. */
    private KernelException sendProbe() {
        int seq = (int) (ntransmitted + 1) & 0xFFFF;
        received.clear(seq % MAX_DUP_CHECK);
        byte[] data = Arrays.copyOfRange(outpack, 8, 8 + datalen);
        if (timing) {
            long wall = clock.wallNanos();
            long sec = wall / 1_000_000_000L;
            long usec = wall % 1_000_000_000L / 1000;
            for (int i = 0; i < 8; i++) {
                data[i] = (byte) (sec >>> (8 * i));
                data[8 + i] = (byte) (usec >>> (8 * i));
            }
        }
        if (socket6 != null) {
            byte[] icmp6 = IcmpMessage.echoRequest(ident, seq, data).encode();
            icmp6[0] = (byte) Icmpv6Message.ECHO_REQUEST;
            try {
                socket6.sendTo(icmp6, whereto6, oif6);
                return null;
            } catch (KernelException e) {
                return e;
            }
        }
        byte[] icmp = IcmpMessage.echoRequest(ident, seq, data).encode();
        try {
            socket.sendTo(icmp, whereto, pktinfoDevice);
            return null;
        } catch (KernelException e) {
            return e;
        }
    }

    // ------------------------------------------------------------------ receiving

    /** {@code ping4_receive_error_msg}: one error queue entry; returns 1 for a network error, -1 for local. */
    private int receiveErrorMessage() {
        if (socket6 != null) {
            return receiveErrorMessage6();
        }
        IcmpSocket.ExtendedError e = socket.receiveError();
        if (e == null) {
            return -1;
        }
        if (e.origin() == IcmpSocket.ORIGIN_LOCAL) {
            return localError(e.errno(), e.info(), ", mtu=");
        }
        IcmpMessage quoted;
        try {
            quoted = IcmpMessage.parse(e.payload());
        } catch (WireFormatException ex) {
            return 0;
        }
        if (!e.target().equals(whereto) || quoted.type() != IcmpMessage.ECHO_REQUEST
                || quoted.identifier() != ident) {
            return 0; // not our error, not an error at all
        }
        acknowledge(quoted.sequence());
        if (!filterNarrowed) {
            socket.setIcmpFilter(~((1 << IcmpMessage.SOURCE_QUENCH) | (1 << IcmpMessage.REDIRECT)
                    | (1 << IcmpMessage.ECHO_REPLY)));
            filterNarrowed = true;
        }
        nerrors++;
        if (quiet) {
            return 1;
        }
        if (flood) {
            out.print("\bE");
            out.flush();
            return 1;
        }
        printTimestamp();
        out.print("From " + prAddr(e.offender()) + " icmp_seq=" + quoted.sequence() + " "
                + describe(e.type(), e.code(), e.info()) + "\n");
        out.flush();
        return 1;
    }

    /** {@code ping4_parse_reply}. */
    private void parseReply(IcmpSocket.Received r) {
        Ipv4Packet ip;
        try {
            ip = Ipv4Packet.parse(r.datagram());
        } catch (WireFormatException e) {
            return;
        }
        byte[] icmpBytes = ip.payload();
        if (icmpBytes.length < 8) {
            return;
        }
        boolean checksumFailed = !IcmpMessage.checksumValid(icmpBytes);
        IcmpMessage icmp = IcmpMessage.parse(icmpBytes);
        if (icmp.type() == IcmpMessage.ECHO_REPLY) {
            if (icmp.identifier() != ident) {
                return;
            }
            boolean wrongSource = !broadcastPings && !multicast && !r.from().equals(whereto);
            if (gatherStatistics(icmp, icmpBytes.length, ip.ttl(), checksumFailed, r.timestampNanos(),
                    prAddr(r.from()), wrongSource)) {
                out.flush();
                return;
            }
            if (audible) {
                out.print("\u0007");
            }
            if (!flood) {
                out.print("\n");
                out.flush();
            }
            return;
        }
        switch (icmp.type()) {
            case IcmpMessage.SOURCE_QUENCH, IcmpMessage.REDIRECT, IcmpMessage.DEST_UNREACH,
                 IcmpMessage.TIME_EXCEEDED, IcmpMessage.PARAMETER_PROBLEM -> {
                Ipv4Packet inner;
                IcmpMessage innerIcmp;
                try {
                    byte[] quote = icmp.body();
                    int ihl = (quote[0] & 0xF) * 4;
                    if (icmpBytes.length < 8 + 20 + 8 || icmpBytes.length < 8 + ihl + 8) {
                        return;
                    }
                    inner = Ipv4Packet.parse(quotedHeader(quote));
                    innerIcmp = IcmpMessage.parse(Arrays.copyOfRange(quote, ihl, quote.length));
                } catch (RuntimeException e) {
                    return;
                }
                if (innerIcmp.type() != IcmpMessage.ECHO_REQUEST || !inner.destination().equals(whereto)
                        || innerIcmp.identifier() != ident) {
                    return;
                }
                boolean errorPacket = icmp.type() != IcmpMessage.REDIRECT && icmp.type() != IcmpMessage.SOURCE_QUENCH;
                if (errorPacket) {
                    acknowledge(innerIcmp.sequence());
                    return;
                }
                if (quiet || flood) {
                    return;
                }
                printTimestamp();
                String from = prAddr(r.from());
                String what = icmp.type() == IcmpMessage.REDIRECT
                        ? redirect(icmp.code()) + "(New nexthop: " + prAddr(new Ipv4Address(icmp.rest())) + ")"
                        : describe(icmp.type(), icmp.code(), icmp.rest());
                out.print("From " + from + ": icmp_seq=" + innerIcmp.sequence() + " "
                        + (checksumFailed ? "(BAD CHECKSUM)" : "") + what + "\n");
            }
            default -> {
            }
        }
    }

    private static byte[] quotedHeader(byte[] quote) {
        byte[] copy = quote.clone();
        int total = (copy[2] & 0xFF) << 8 | (copy[3] & 0xFF);
        if (total > copy.length) {
            copy[2] = (byte) (copy.length >>> 8);
            copy[3] = (byte) copy.length;
        }
        return copy;
    }

    /** {@code gather_statistics}: counts a reply and prints its line; returns whether printing stops early. */
    private boolean gatherStatistics(IcmpMessage icmp, int cc, int hops, boolean checksumFailed,
                                     long receivedNanos, String from, boolean wrongSource) {
        int seq = icmp.sequence();
        nreceived++;
        if (!checksumFailed) {
            acknowledge(seq);
        }
        long triptime = 0;
        if (timing && cc >= 8 + TIMEVAL_LENGTH) {
            byte[] d = icmp.body();
            long sec = 0;
            long usec = 0;
            for (int i = 7; i >= 0; i--) {
                sec = sec << 8 | (d[i] & 0xFF);
                usec = usec << 8 | (d[8 + i] & 0xFF);
            }
            long recv = receivedNanos + clock.wallNanos() - clock.nanos();
            long recvSec = recv / 1_000_000_000L;
            long recvUsec = recv % 1_000_000_000L / 1000;
            triptime = (recvSec - sec) * 1_000_000 + (recvUsec - usec);
            if (triptime < 0) {
                triptime = 0;
            }
            if (!checksumFailed) {
                tsum += triptime;
                tsum2 += (double) triptime * triptime;
                if (triptime < tmin) {
                    tmin = triptime;
                }
                if (triptime > tmax) {
                    tmax = triptime;
                }
                if (rtt == 0) {
                    rtt = (int) (triptime * 8);
                } else {
                    rtt += (int) (triptime - rtt / 8);
                }
                if (adaptive) {
                    updateInterval();
                }
            }
        }
        boolean duplicate = false;
        if (checksumFailed) {
            nchecksum++;
            nreceived--;
        } else if (received.get(seq % MAX_DUP_CHECK)) {
            nrepeats++;
            nreceived--;
            duplicate = true;
        } else {
            received.set(seq % MAX_DUP_CHECK);
        }
        if (quiet) {
            return true;
        }
        if (flood) {
            out.print(checksumFailed ? "\bC" : "\b \b");
            return false;
        }
        printTimestamp();
        StringBuilder sb = new StringBuilder();
        sb.append(cc).append(" bytes from ").append(from).append(':');
        sb.append(" icmp_seq=").append(seq);
        if (verbose) {
            sb.append(" ident=").append(ident);
        }
        sb.append(" ttl=").append(hops);
        if (cc < datalen + 8) {
            out.print(sb + " (truncated)\n");
            return true;
        }
        if (timing) {
            sb.append(" time=").append(formatTriptime(triptime)).append(" ms");
        }
        if (duplicate && (!multicast || verbose)) {
            sb.append(" (DUP!)");
        }
        if (checksumFailed) {
            sb.append(" (BAD CHECKSUM!)");
        }
        if (wrongSource) {
            sb.append(" (DIFFERENT ADDRESS!)");
        }
        out.print(sb);
        return false;
    }

    /** Three decimals below 1 ms, two below 10, one below 100, none above, rounded as iputils rounds. */
    static String formatTriptime(long us) {
        if (us >= 100000 - 50) {
            return Long.toString((us + 500) / 1000);
        } else if (us >= 10000 - 5) {
            return (us + 50) / 1000 + "." + ((us + 50) % 1000) / 100;
        } else if (us >= 1000) {
            return (us + 5) / 1000 + "." + String.format(Locale.ROOT, "%02d", ((us + 5) % 1000) / 10);
        }
        return us / 1000 + "." + String.format(Locale.ROOT, "%03d", us % 1000);
    }

    private void updateInterval() {
        int est = rtt != 0 ? rtt / 8 : interval * 1000;
        interval = (est + rttAddend + 500) / 1000;
    }

    private void printTimestamp() {
        if (timestamps) {
            long wall = clock.wallNanos();
            out.print(String.format(Locale.ROOT, "[%d.%06d] ", wall / 1_000_000_000L, wall % 1_000_000_000L / 1000));
        }
    }

    /** {@code pr_addr}: the address, or "name (address)" unless numeric output was asked for. */
    private String prAddr(Ipv4Address a) {
        if (optNumeric || exiting) {
            return a.toString();
        }
        String name = hosts.nameOf(a);
        if (name == null && !inv.context().userland().pingBindsIcmpSocket()) {
            return a.toString(); // before s20161105: gethostbyaddr, and the address alone without a name
        }
        return (name != null ? name : a.toString()) + " (" + a + ")";
    }

    /** {@code pr_icmph} for a redirect, before its "(New nexthop: ...)". */
    private static String redirect(int code) {
        return switch (code) {
            case 0 -> "Redirect Network";
            case 1 -> "Redirect Host";
            case 2 -> "Redirect Type of Service and Network";
            case 3 -> "Redirect Type of Service and Host";
            default -> "Redirect, Bad Code: " + code;
        };
    }

    /** {@code pr_icmph} for the types an error can have. */
    private static String describe(int type, int code, int info) {
        return switch (type) {
            case IcmpMessage.ECHO_REPLY -> "Echo Reply";
            case IcmpMessage.DEST_UNREACH -> switch (code) {
                case 0 -> "Destination Net Unreachable";
                case 1 -> "Destination Host Unreachable";
                case 2 -> "Destination Protocol Unreachable";
                case 3 -> "Destination Port Unreachable";
                case 4 -> "Frag needed and DF set (mtu = " + Integer.toUnsignedString(info) + ")";
                case 5 -> "Source Route Failed";
                case 6 -> "Destination Net Unknown";
                case 7 -> "Destination Host Unknown";
                case 8 -> "Source Host Isolated";
                case 9 -> "Destination Net Prohibited";
                case 10 -> "Destination Host Prohibited";
                case 11 -> "Destination Net Unreachable for Type of Service";
                case 12 -> "Destination Host Unreachable for Type of Service";
                case 13 -> "Packet filtered";
                case 14 -> "Precedence Violation";
                case 15 -> "Precedence Cutoff";
                default -> "Dest Unreachable, Bad Code: " + code;
            };
            case IcmpMessage.SOURCE_QUENCH -> "Source Quench";
            case IcmpMessage.ECHO_REQUEST -> "Echo Request";
            case IcmpMessage.TIME_EXCEEDED -> switch (code) {
                case 0 -> "Time to live exceeded";
                case 1 -> "Frag reassembly time exceeded";
                default -> "Time exceeded, Bad Code: " + code;
            };
            case IcmpMessage.PARAMETER_PROBLEM -> "Parameter problem: pointer = " + Integer.toUnsignedString(info);
            default -> "Bad ICMP type: " + type;
        };
    }

    // ------------------------------------------------------------------ finish

    /** {@code finish}: the statistics; exit 0 when anything came back (and, with -w, enough did). */
    private int finish() {
        long elapsed = curTime < 0 ? 0 : curTime - startTime;
        out.print("\n");
        out.flush();
        StringBuilder sb = new StringBuilder();
        sb.append("--- ").append(hostname).append(" ping statistics ---\n");
        sb.append(ntransmitted).append(" packets transmitted, ");
        sb.append(nreceived).append(" received");
        if (nrepeats > 0) {
            sb.append(", +").append(nrepeats).append(" duplicates");
        }
        if (nchecksum > 0) {
            sb.append(", +").append(nchecksum).append(" corrupted");
        }
        if (nerrors > 0) {
            sb.append(", +").append(nerrors).append(" errors");
        }
        if (ntransmitted > 0) {
            float loss = (float) (((ntransmitted - nreceived) * 100.0) / ntransmitted);
            sb.append(", ").append(CFormat.g(loss)).append("% packet loss");
            long ms = elapsed / 1_000_000_000L * 1000 + (elapsed % 1_000_000_000L + 500_000) / 1_000_000;
            sb.append(", time ").append(ms).append("ms");
        }
        sb.append('\n');
        String comma = "";
        if (nreceived > 0 && timing) {
            long total = nreceived + nrepeats;
            long tmavg = tsum / total;
            long tmvar;
            if (tsum < Integer.MAX_VALUE) {
                tmvar = (long) ((tsum2 - (double) (tsum * tsum) / total) / total);
            } else {
                tmvar = (long) (tsum2 / total) - tmavg * tmavg;
            }
            long tmdev = llsqrt(tmvar);
            sb.append(String.format(Locale.ROOT, "rtt min/avg/max/mdev = %d.%03d/%d.%03d/%d.%03d/%d.%03d ms",
                    tmin / 1000, tmin % 1000, tmavg / 1000, tmavg % 1000, tmax / 1000, tmax % 1000, tmdev / 1000,
                    tmdev % 1000));
            comma = ", ";
        }
        if (pipesize > 1) {
            sb.append(comma).append("pipe ").append(pipesize);
            comma = ", ";
        }
        if (nreceived > 0 && (interval == 0 || flood || adaptive) && ntransmitted > 1) {
            long ipg = (elapsed / 1000) / (ntransmitted - 1);
            sb.append(String.format(Locale.ROOT, "%sipg/ewma %d.%03d/%d.%03d ms", comma, ipg / 1000, ipg % 1000,
                    rtt / 8000, (rtt / 8) % 1000));
        }
        sb.append('\n');
        out.print(sb);
        return nreceived == 0 || (deadline > 0 && nreceived < npackets) ? 1 : 0;
    }

    /** {@code llsqrt}: Newton's integer square root. */
    private static long llsqrt(long a) {
        long prev = Long.MAX_VALUE;
        long x = a;
        if (x > 0) {
            while (x < prev) {
                prev = x;
                x = (x + (a / x)) / 2;
            }
        }
        return x;
    }
}
