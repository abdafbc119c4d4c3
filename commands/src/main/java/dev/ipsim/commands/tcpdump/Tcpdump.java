package dev.ipsim.commands.tcpdump;

import dev.ipsim.commands.Command;
import dev.ipsim.commands.Context;
import dev.ipsim.commands.Exit;
import dev.ipsim.commands.Invocation;
import dev.ipsim.commands.cli.GetOpt;
import dev.ipsim.kernel.Errno;
import dev.ipsim.kernel.KernelException;
import dev.ipsim.kernel.NetNamespace;
import dev.ipsim.kernel.capture.CapturedFrame;
import dev.ipsim.kernel.capture.Direction;
import dev.ipsim.kernel.capture.PacketSocket;
import dev.ipsim.kernel.link.DeviceFlags;
import dev.ipsim.kernel.link.NetDevice;
import dev.ipsim.kernel.link.OperState;
import dev.ipsim.kernel.proc.Signal;
import dev.ipsim.kernel.proc.Task;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * tcpdump 4.99.3 with libpcap 1.10.3 ({@code tcpdump.c}): live captures on the simulated
 * kernel's devices through a packet socket, reading and writing capture files, with tcpdump's
 * options, banner, per-packet lines, statistics, errors and exit statuses.
 *
 * <p>A live capture runs until {@code -c} packets, or until SIGINT, SIGTERM or SIGHUP (its
 * {@code cleanup} handler: {@code pcap_breakloop}); it then prints an extra newline if it was
 * interrupted while printing, and its three counts on standard error.
 */
public final class Tcpdump implements Command {

    static final String VERSION = "tcpdump version 4.99.3\nlibpcap version 1.10.3 (with TPACKET_V3)\n"
            + "OpenSSL 3.0.19 27 Jan 2026\n";

    static final String USAGE = """
            Usage: tcpdump [-AbdDefhHIJKlLnNOpqStuUvxX#] [ -B size ] [ -c count ] [--count]
            \t\t[ -C file_size ] [ -E algo:secret ] [ -F file ] [ -G seconds ]
            \t\t[ -i interface ] [ --immediate-mode ] [ -j tstamptype ]
            \t\t[ -M secret ] [ --number ] [ --print ] [ -Q in|out|inout ]
            \t\t[ -r file ] [ -s snaplen ] [ -T type ] [ --version ]
            \t\t[ -V file ] [ -w file ] [ -W filecount ] [ -y datalinktype ]
            \t\t[ --time-stamp-precision precision ] [ --micro ] [ --nano ]
            \t\t[ -z postrotate-command ] [ -Z user ] [ expression ]
            """;

    /** {@code SHORTOPTS} of the Debian build. */
    static final String SHORTOPTS = "aAbB:c:C:dDeE:fF:G:hHi:Ij:JKlLm:M:nNOpqQ:r:s:StT:uUvV:w:W:xXy:Yz:Z:#";

    private static final int OPTION_VERSION = 128;
    private static final int OPTION_TSTAMP_PRECISION = 129;
    private static final int OPTION_IMMEDIATE_MODE = 130;
    private static final int OPTION_PRINT = 131;
    private static final int OPTION_LIST_REMOTE_INTERFACES = 132;
    private static final int OPTION_TSTAMP_MICRO = 133;
    private static final int OPTION_TSTAMP_NANO = 134;
    private static final int OPTION_FP_TYPE = 135;
    private static final int OPTION_COUNT = 136;

    private static final List<GetOpt.LongOption> LONGOPTS = List.of(
            new GetOpt.LongOption("buffer-size", true, 'B'),
            new GetOpt.LongOption("list-interfaces", false, 'D'),
            new GetOpt.LongOption("help", false, 'h'),
            new GetOpt.LongOption("interface", true, 'i'),
            new GetOpt.LongOption("monitor-mode", false, 'I'),
            new GetOpt.LongOption("time-stamp-type", true, 'j'),
            new GetOpt.LongOption("list-time-stamp-types", false, 'J'),
            new GetOpt.LongOption("micro", false, OPTION_TSTAMP_MICRO),
            new GetOpt.LongOption("nano", false, OPTION_TSTAMP_NANO),
            new GetOpt.LongOption("time-stamp-precision", true, OPTION_TSTAMP_PRECISION),
            new GetOpt.LongOption("dont-verify-checksums", false, 'K'),
            new GetOpt.LongOption("list-data-link-types", false, 'L'),
            new GetOpt.LongOption("no-optimize", false, 'O'),
            new GetOpt.LongOption("no-promiscuous-mode", false, 'p'),
            new GetOpt.LongOption("direction", true, 'Q'),
            new GetOpt.LongOption("snapshot-length", true, 's'),
            new GetOpt.LongOption("absolute-tcp-sequence-numbers", false, 'S'),
            new GetOpt.LongOption("packet-buffered", false, 'U'),
            new GetOpt.LongOption("linktype", true, 'y'),
            new GetOpt.LongOption("immediate-mode", false, OPTION_IMMEDIATE_MODE),
            new GetOpt.LongOption("debug-filter-parser", false, 'Y'),
            new GetOpt.LongOption("relinquish-privileges", true, 'Z'),
            new GetOpt.LongOption("count", false, OPTION_COUNT),
            new GetOpt.LongOption("fp-type", false, OPTION_FP_TYPE),
            new GetOpt.LongOption("number", false, '#'),
            new GetOpt.LongOption("print", false, OPTION_PRINT),
            new GetOpt.LongOption("version", false, OPTION_VERSION));

    /** DLT numbers tcpdump prints and reads. */
    static final int DLT_EN10MB = 1;
    static final int DLT_LINUX_SLL = 113;
    static final int DLT_LINUX_SLL2 = 276;

    @Override
    public int run(Invocation inv) {
        Run r = new Run(inv);
        try {
            return r.main();
        } catch (Exit e) {
            inv.out().flush();
            return e.status();
        } finally {
            r.closeAll();
        }
    }

    /** One run of tcpdump: its options and what it has opened. */
    private static final class Run {
        private final Invocation inv;
        private final Context ctx;
        private final PrintStream out;
        private final PrintStream err;
        private final Netdissect nd = new Netdissect();

        private int cnt = -1;
        private String device;
        private String rFile;
        private String wFile;
        private int snaplen;
        private boolean snaplenGiven;
        private boolean lflag;
        private boolean pflag;
        private boolean uflag;
        private boolean immediate;
        private boolean print;
        private boolean countMode;
        private int direction;
        private boolean nano;
        private int dflag;
        private List<String> expression = List.of();

        private PacketSocket socket;
        private OutputStream dumpStream;
        private PcapFile.Writer dumper;
        private int packetsCaptured;

        Run(Invocation inv) {
            this.inv = inv;
            this.ctx = inv.context();
            this.out = inv.out();
            this.err = inv.err();
        }

        /** {@code error()}: the message, then exit status 1. */
        private Exit error(String message) {
            out.flush();
            err.print("tcpdump: " + message + (message.endsWith("\n") ? "" : "\n"));
            err.flush();
            return new Exit(1);
        }

        private void warning(String message) {
            err.print("tcpdump: WARNING: " + message + "\n");
            err.flush();
        }

        private Exit usage() {
            err.print(VERSION + USAGE);
            err.flush();
            return new Exit(1);
        }

        int main() {
            GetOpt g = new GetOpt("tcpdump", SHORTOPTS, LONGOPTS, err);
            for (GetOpt.Option o : g.parse(inv.args())) {
                option(o.option(), o.argument());
            }
            expression = g.operands();
            if (nd.tflag > 5) {
                throw error("only -t, -tt, -ttt, -tttt and -ttttt are supported");
            }
            if (rFile != null) {
                return offline();
            }
            return live();
        }

        private void option(int op, String arg) {
            switch (op) {
                case 'A' -> nd.aflag++;
                case 'c' -> {
                    cnt = atoi(arg);
                    if (cnt <= 0) {
                        throw error("invalid packet count " + arg);
                    }
                }
                case 'B' -> {
                    if (atoi(arg) <= 0) {
                        throw error("invalid packet buffer size " + arg);
                    }
                }
                case 'd' -> dflag++;
                case 'D' -> {
                    listInterfaces();
                    throw new Exit(0);
                }
                case 'e' -> nd.eflag++;
                case 'h' -> {
                    out.print(VERSION + USAGE);
                    out.flush();
                    throw new Exit(0);
                }
                case 'i' -> device = arg;
                case 'l' -> lflag = true;
                case 'n' -> nd.nflag++;
                case 'N', 'b', 'H', 'K', 'O', 'S', 'u', 'f', 'I', 'J', 'L', 'Y', 'a' -> {
                    // accepted; nothing here changes what ipsim's traffic prints
                }
                case 'p' -> pflag = true;
                case 'q' -> {
                    nd.qflag++;
                    nd.suppressDefaultPrint++;
                }
                case 'Q' -> {
                    direction = switch (arg.toLowerCase(java.util.Locale.ROOT)) {
                        case "in" -> 1;
                        case "out" -> 2;
                        case "inout" -> 0;
                        default -> throw error("unknown capture direction `" + arg + "'");
                    };
                }
                case 'r' -> rFile = arg;
                case 's' -> {
                    Long v = strtol(arg);
                    if (v == null || v < 0 || v > PcapFile.MAXIMUM_SNAPLEN) {
                        throw error("invalid snaplen " + arg + " (must be >= 0 and <= " + PcapFile.MAXIMUM_SNAPLEN
                                + ")");
                    }
                    snaplen = v.intValue();
                    snaplenGiven = true;
                }
                case 't' -> nd.tflag++;
                case 'U' -> uflag = true;
                case 'v' -> nd.vflag++;
                case 'w' -> wFile = arg;
                case 'x' -> {
                    nd.xflag++;
                    nd.suppressDefaultPrint++;
                }
                case 'X' -> {
                    nd.bigXflag++;
                    nd.suppressDefaultPrint++;
                }
                case '#' -> nd.packetNumber = true;
                case OPTION_VERSION -> {
                    out.print(VERSION);
                    out.flush();
                    throw new Exit(0);
                }
                case OPTION_IMMEDIATE_MODE -> immediate = true;
                case OPTION_PRINT -> print = true;
                case OPTION_COUNT -> countMode = true;
                case OPTION_TSTAMP_MICRO -> nano = false;
                case OPTION_TSTAMP_NANO -> nano = true;
                case OPTION_TSTAMP_PRECISION -> {
                    if (arg.equals("micro")) {
                        nano = false;
                    } else if (arg.equals("nano")) {
                        nano = true;
                    } else {
                        throw error("unsupported time stamp precision");
                    }
                }
                case OPTION_FP_TYPE -> {
                    out.print("IEEE 754\n");
                    out.flush();
                    throw new Exit(0);
                }
                case 'E', 'M' -> warning("crypto code not compiled in");
                case 'C', 'F', 'G', 'j', 'm', 'T', 'V', 'W', 'y', 'z', 'Z' -> {
                    // options for features ipsim does not model: accepted and ignored
                }
                default -> throw usage();
            }
        }

        /** C's {@code atoi}: leading digits, 0 if none. */
        private static int atoi(String s) {
            String t = s.stripLeading();
            int i = 0;
            boolean neg = false;
            if (i < t.length() && (t.charAt(i) == '-' || t.charAt(i) == '+')) {
                neg = t.charAt(i) == '-';
                i++;
            }
            long v = 0;
            while (i < t.length() && Character.isDigit(t.charAt(i)) && v < Integer.MAX_VALUE) {
                v = v * 10 + (t.charAt(i) - '0');
                i++;
            }
            return (int) Math.min(Integer.MAX_VALUE, neg ? -v : v);
        }

        /** {@code strtol(s, &end, 0)} that must use the whole word. */
        private static Long strtol(String s) {
            String t = s.strip();
            try {
                if (t.matches("[+-]?0[xX][0-9a-fA-F]+")) {
                    boolean neg = t.startsWith("-");
                    long v = Long.parseLong(t.replaceFirst("^[+-]?0[xX]", ""), 16);
                    return neg ? -v : v;
                }
                if (t.matches("[+-]?0[0-7]+")) {
                    return Long.parseLong(t, 8);
                }
                if (t.matches("[+-]?[0-9]+")) {
                    return Long.parseLong(t);
                }
            } catch (NumberFormatException e) {
                return null;
            }
            return null;
        }

        // -------------------------------------------------------------- interfaces

        /** A device as {@code pcap_findalldevs} lists it: name, description, flags as {@code -D} prints them. */
        private record Dev(String name, String description, String flags, long merit) {
        }

        /**
         * {@code pcap_findalldevs}: the namespace's devices (by ifindex), "any", and the
         * pseudo-devices of Debian's libpcap, each inserted after every device at least as good
         * ({@code add_dev}, {@code get_figure_of_merit}): running, up, connected (carrier), not
         * loopback, not "any" come first.
         */
        private List<Dev> findAllDevs() {
            List<Dev> found = new ArrayList<>();
            for (NetDevice d : ctx.netns().devices()) {
                boolean up = d.isUp();
                boolean running = (d.flags() & DeviceFlags.RUNNING) != 0;
                boolean loopback = d.isLoopback();
                boolean disconnected = !loopback && !d.hasCarrier();
                List<String> f = new ArrayList<>();
                if (up) {
                    f.add("Up");
                }
                if (running) {
                    f.add("Running");
                }
                if (loopback) {
                    f.add("Loopback");
                }
                String flags = (f.isEmpty() ? "none" : String.join(", ", f))
                        + (loopback ? "" : disconnected ? ", Disconnected" : ", Connected");
                long merit = (running ? 0 : 0x80000000L) | (up ? 0 : 0x40000000L) | (disconnected ? 0x20000000L : 0)
                        | (loopback ? 0x10000000L : 0);
                found.add(new Dev(d.name(), null, flags, merit));
            }
            found.add(new Dev("any", "Pseudo-device that captures on all interfaces", "Up, Running", 0x08000000L));
            found.add(new Dev("bluetooth-monitor", "Bluetooth Linux Monitor", "Wireless", 0xC0000000L));
            found.add(new Dev("nflog", "Linux netfilter log (NFLOG) interface", "none", 0xC0000000L));
            found.add(new Dev("nfqueue", "Linux netfilter queue (NFQUEUE) interface", "none", 0xC0000000L));
            found.add(new Dev("dbus-system", "D-Bus system bus", "none", 0xC0000000L));
            found.add(new Dev("dbus-session", "D-Bus session bus", "none", 0xC0000000L));
            List<Dev> list = new ArrayList<>();
            for (Dev d : found) {
                int at = 0;
                while (at < list.size() && d.merit() >= list.get(at).merit()) {
                    at++;
                }
                list.add(at, d);
            }
            return list;
        }

        private void listInterfaces() {
            StringBuilder sb = new StringBuilder();
            int i = 1;
            for (Dev d : findAllDevs()) {
                sb.append(i++).append('.').append(d.name());
                if (d.description() != null) {
                    sb.append(" (").append(d.description()).append(')');
                }
                sb.append(" [").append(d.flags()).append("]\n");
            }
            out.print(sb);
            out.flush();
        }

        // -------------------------------------------------------------- live capture

        private int live() {
            if (device == null) {
                device = findAllDevs().get(0).name();
            }
            NetNamespace ns = ctx.netns();
            String name = device;
            NetDevice dev = ns.device(name);
            int dlt = DLT_EN10MB;
            boolean any = false;
            if (dev == null && !name.equals("any")) {
                int devnum = interfaceNumber(name);
                List<Dev> all = findAllDevs();
                if (devnum < 0) {
                    throw error(name + ": No such device exists\n(No such device exists)");
                }
                if (devnum == 0 || devnum > all.size()) {
                    throw error("Invalid adapter index");
                }
                name = all.get(devnum - 1).name();
                dev = ns.device(name);
                if (dev == null && name.equals("any")) {
                    any = true;
                    dlt = DLT_LINUX_SLL;
                } else if (dev == null) {
                    throw error(name + ": That device is not up");
                }
            } else if (dev == null) {
                any = true;
                dlt = DLT_LINUX_SLL2;
                err.print("tcpdump: data link type LINUX_SLL2\n");
                err.flush();
            }
            device = name;
            if (!any && !dev.isUp()) {
                throw error(name + ": That device is not up");
            }
            int snap = snaplenGiven && snaplen != 0 ? snaplen : PcapFile.MAXIMUM_SNAPLEN;
            Filter.Program filter = compile(0);
            openDump(dlt, snap);
            boolean printing = wFile == null || print;
            if (nd.vflag == 0 && wFile == null) {
                err.print("tcpdump: verbose output suppressed, " + ctx.userland().tcpdumpVerboseHint() + "\n");
            } else {
                err.print("tcpdump: ");
            }
            err.print("listening on " + name + ", link-type " + dltName(dlt) + ", " + ctx.userland().tcpdumpSnaplenWords() + " " + snap
                    + " bytes\n");
            err.flush();
            long timeout = (wFile == null || print) && (ctx.stdoutIsTerminal() || lflag) ? 100 : 1000;
            long blockTimeout = immediate ? 0 : timeout * 1_000_000L;
            int linkType = dlt;
            NetDevice lo = ns.loopback();
            java.util.function.Predicate<CapturedFrame> socketFilter = f -> {
                // the filter reads Ethernet offsets: a cooked capture's frame is tested as the
                // Ethernet frame it came from, whose network layer is the same
                byte[] framed = f.frame();
                return filter.test(framed, framed.length);
            };
            if (any) {
                socket = new PacketSocket(ctx.kernel(), ns, socketFilter, snap, blockTimeout);
            } else {
                socket = new PacketSocket(ctx.kernel(), dev, socketFilter, snap, blockTimeout, !pflag);
            }
            Task task = ctx.task();
            if (task != null) {
                task.catchSignal(Signal.INT.number());
                task.catchSignal(Signal.TERM.number());
                task.catchSignal(Signal.PIPE.number());
                if (!task.ignores(Signal.HUP.number())) {
                    task.catchSignal(Signal.HUP.number());
                }
            }
            Timestamps ts = new Timestamps(nd.tflag, zone());
            nd.resolver = resolver();
            int status = 0;
            loop:
            while (true) {
                if (task == null && ctx.wallPaced()) {
                    // at a terminal without processes: poll() at the wall clock's pace, a
                    // slice at a time; Ctrl-C is the SIGINT that ends the loop
                    if (!waitAtTerminal(socket)) {
                        status = -2;
                        break;
                    }
                } else {
                    // never past a replayed Ctrl-C (DEVELOPERS.md), which ends the capture as SIGINT does
                    ctx.kernel().runUntil(task != null ? Long.MAX_VALUE : ctx.interruptAt(),
                            () -> socket.readable() || task != null && pending(task));
                    if (task == null && !socket.readable() && ctx.takeInterrupt()) {
                        status = -2;
                        break;
                    }
                }
                if (task != null && takeStop(task)) {
                    status = -2;
                    break;
                }
                PacketSocket.Packet p;
                while ((p = socket.next()) != null) {
                    // libpcap: an outgoing frame on loopback comes back in; see it once
                    if (p.direction() == Direction.OUT && p.device() == lo) {
                        continue;
                    }
                    if (direction == 1 && p.direction() == Direction.OUT
                            || direction == 2 && p.direction() == Direction.IN) {
                        continue;
                    }
                    byte[] framed = frameFor(linkType, new CapturedFrame(p.timeNanos(), p.device(), p.direction(),
                            p.data()));
                    int length = p.length() + (framed.length - p.data().length);
                    long wall = ctx.kernel().clock().epochNanos() + p.timeNanos();
                    handle(linkType, wall / 1_000_000_000L, wall % 1_000_000_000L / 1000, framed, length,
                            printing, ts, ns);
                    if (cnt > 0 && packetsCaptured >= cnt) {
                        break loop;
                    }
                }
            }
            if (printing && wFile == null) {
                if (status == -2) {
                    out.print("\n");
                }
                out.flush();
            }
            long received = socket.received();
            socket.close();
            socket = null;
            closeDump();
            out.flush();
            err.print(packetsCaptured + " packet" + plural(packetsCaptured) + " captured\n");
            err.print(received + " packet" + plural(received) + " received by filter\n");
            err.print("0 packets dropped by kernel\n");
            err.flush();
            return 0;
        }

        /** Waits in wall time until the socket has packets; false when Ctrl-C came first. */
        private boolean waitAtTerminal(PacketSocket socket) {
            final long slice = 20_000_000L;
            while (!socket.readable()) {
                if (ctx.takeInterrupt()) {
                    return false;
                }
                long passed;
                try {
                    passed = ctx.sleepWall(slice);
                } catch (InterruptedException e) {
                    return false;
                }
                long now = ctx.kernel().clock().nanos();
                ctx.kernel().runUntil(now + Math.min(slice, passed), socket::readable);
            }
            return true;
        }

        private static boolean pending(Task t) {
            return t.hasPending(Signal.INT.number()) || t.hasPending(Signal.TERM.number())
                    || t.hasPending(Signal.HUP.number()) || t.hasPending(Signal.PIPE.number());
        }

        /** The {@code cleanup} handler: any of the signals it catches ends the loop. */
        private static boolean takeStop(Task t) {
            int s = t.takeSignal();
            return s == Signal.INT.number() || s == Signal.TERM.number() || s == Signal.HUP.number()
                    || s == Signal.PIPE.number();
        }

        /** {@code parse_interface_number}: a whole number, or -1. */
        private static int interfaceNumber(String s) {
            if (!s.matches("[0-9]+")) {
                return -1;
            }
            try {
                return Integer.parseInt(s);
            } catch (NumberFormatException e) {
                return Integer.MAX_VALUE;
            }
        }

        /** What the capture presents a frame as: the frame itself, or a Linux cooked header before its payload. */
        /**
         * A cooked (SLL, SLL2) record as an Ethernet frame with the same protocol and payload,
         * for the filter, which reads Ethernet offsets; an Ethernet record as it is.
         */
        private static byte[] asEthernet(int dlt, byte[] data) {
            int header;
            int protoAt;
            if (dlt == DLT_LINUX_SLL2) {
                header = 20;
                protoAt = 0;
            } else if (dlt == DLT_LINUX_SLL) {
                header = 16;
                protoAt = 14;
            } else {
                return data;
            }
            if (data.length < header) {
                return new byte[0];
            }
            byte[] e = new byte[14 + data.length - header];
            e[12] = data[protoAt];
            e[13] = data[protoAt + 1];
            System.arraycopy(data, header, e, 14, data.length - header);
            return e;
        }

        private static byte[] frameFor(int dlt, CapturedFrame f) {
            if (dlt == DLT_EN10MB) {
                return f.frame();
            }
            byte[] frame = f.frame();
            NetDevice d = f.device();
            int pkttype = pktType(f);
            int hatype = d.isLoopback() ? 772 : 1;
            byte[] payload = java.util.Arrays.copyOfRange(frame, Math.min(14, frame.length), frame.length);
            int protocol = frame.length >= 14 ? (frame[12] & 0xFF) << 8 | frame[13] & 0xFF : 0;
            if (dlt == DLT_LINUX_SLL2) {
                byte[] h = new byte[20 + payload.length];
                h[0] = (byte) (protocol >> 8);
                h[1] = (byte) protocol;
                int ifindex = d.ifindex();
                h[4] = (byte) (ifindex >> 24);
                h[5] = (byte) (ifindex >> 16);
                h[6] = (byte) (ifindex >> 8);
                h[7] = (byte) ifindex;
                h[8] = (byte) (hatype >> 8);
                h[9] = (byte) hatype;
                h[10] = (byte) pkttype;
                h[11] = 6;
                System.arraycopy(frame, 6, h, 12, Math.min(6, Math.max(0, frame.length - 6)));
                System.arraycopy(payload, 0, h, 20, payload.length);
                return h;
            }
            byte[] h = new byte[16 + payload.length];
            h[1] = (byte) pkttype;
            h[2] = (byte) (hatype >> 8);
            h[3] = (byte) hatype;
            h[5] = 6;
            System.arraycopy(frame, 6, h, 6, Math.min(6, Math.max(0, frame.length - 6)));
            h[14] = (byte) (protocol >> 8);
            h[15] = (byte) protocol;
            System.arraycopy(payload, 0, h, 16, payload.length);
            return h;
        }

        /** The packet socket's {@code sll_pkttype}: outgoing, or what the destination says of it. */
        private static int pktType(CapturedFrame f) {
            if (f.direction() == Direction.OUT) {
                return 4;
            }
            byte[] fr = f.frame();
            if (fr.length < 6) {
                return 0;
            }
            boolean broadcast = true;
            for (int i = 0; i < 6; i++) {
                if ((fr[i] & 0xFF) != 0xFF) {
                    broadcast = false;
                }
            }
            if (broadcast) {
                return 1;
            }
            if ((fr[0] & 1) != 0) {
                return 2;
            }
            byte[] mine = f.device().address().toBytes();
            for (int i = 0; i < 6; i++) {
                if (fr[i] != mine[i]) {
                    return 3;
                }
            }
            return 0;
        }

        private static String dltName(int dlt) {
            return switch (dlt) {
                case DLT_EN10MB -> "EN10MB (Ethernet)";
                case DLT_LINUX_SLL -> "LINUX_SLL (Linux cooked v1)";
                case DLT_LINUX_SLL2 -> "LINUX_SLL2 (Linux cooked v2)";
                case 0 -> "NULL (BSD loopback)";
                case 101 -> "RAW (Raw IP)";
                case 12 -> "RAW (Raw IP)";
                case 228 -> "IPV4 (Raw IPv4)";
                case 229 -> "IPV6 (Raw IPv6)";
                case 105 -> "IEEE802_11 (802.11)";
                case 127 -> "IEEE802_11_RADIO (802.11 plus radiotap header)";
                default -> null;
            };
        }

        private static String plural(long n) {
            return n == 1 ? "" : "s";
        }

        // -------------------------------------------------------------- files

        private int offline() {
            byte[] data;
            try {
                if (rFile.equals("-")) {
                    data = readAll(inv.in());
                } else {
                    data = ctx.readBinaryFile(rFile);
                }
            } catch (KernelException e) {
                if (e.errno() == dev.ipsim.kernel.Errno.EISDIR) {
                    // fopen takes a directory; pcap_fopen_offline's first fread fails
                    throw error("error reading dump file: " + e.errno().text());
                }
                throw error(rFile + ": " + e.errno().text());
            }
            PcapFile.Reader reader;
            try {
                reader = new PcapFile.Reader(data);
            } catch (PcapFile.PcapException e) {
                throw error(e.getMessage());
            }
            int dlt = reader.linktype();
            String dltName = dltName(dlt);
            err.print("reading from file " + rFile + ", link-type " + (dltName == null ? Integer.toString(dlt) : dltName)
                    + ", snapshot length " + reader.snaplen() + "\n");
            if (dlt == DLT_LINUX_SLL2) {
                err.print("Warning: interface names might be incorrect\n");
            }
            err.flush();
            Filter.Program filter = compile(0);
            boolean printing = wFile == null || print;
            if (printing && dlt != DLT_EN10MB && dlt != DLT_LINUX_SLL && dlt != DLT_LINUX_SLL2) {
                throw error("packet printing is not supported for link type " + (dltName == null ? dlt
                        : dltName.substring(0, dltName.indexOf(' '))) + ": use -w");
            }
            openDump(dlt, reader.snaplen());
            Timestamps ts = new Timestamps(nd.tflag, zone());
            nd.resolver = resolver();
            String failure = null;
            while (true) {
                PcapFile.Record r;
                try {
                    r = reader.next();
                } catch (PcapFile.PcapException e) {
                    failure = e.getMessage();
                    break;
                }
                if (r == null) {
                    break;
                }
                byte[] tested = asEthernet(dlt, r.data());
                if (!filter.test(tested, tested == r.data() ? r.length() : tested.length)) {
                    continue;
                }
                handle(dlt, r.seconds(), r.micros(), r.data(), r.length(), printing, ts, ctx.netns());
                if (cnt > 0 && packetsCaptured >= cnt) {
                    break;
                }
            }
            out.flush();
            closeDump();
            if (failure != null) {
                err.print("tcpdump: pcap_loop: " + failure + "\n");
                err.flush();
                return 1;
            }
            if (countMode) {
                err.print(packetsCaptured + " packet" + plural(packetsCaptured) + "\n");
                err.flush();
            }
            return 0;
        }

        private static byte[] readAll(InputStream in) {
            try {
                return in.readAllBytes();
            } catch (IOException e) {
                return new byte[0];
            }
        }

        /** {@code pcap_dump_open}: creates the file (or uses standard output for {@code -}). */
        private void openDump(int dlt, int snap) {
            if (wFile == null) {
                return;
            }
            OutputStream raw;
            if (wFile.equals("-")) {
                raw = out;
            } else {
                try {
                    raw = ctx.createFile(wFile);
                } catch (KernelException e) {
                    throw error(wFile + ": " + e.errno().text());
                }
            }
            dumpStream = wFile.equals("-") ? raw : new BufferedOutputStream(raw, 4096);
            try {
                dumper = new PcapFile.Writer(dumpStream, snap, dlt);
                if (uflag) {
                    dumpStream.flush();
                }
            } catch (IOException e) {
                throw error(wFile + ": " + e.getMessage());
            }
        }

        private void closeDump() {
            if (dumpStream != null) {
                try {
                    dumpStream.flush();
                } catch (IOException e) {
                    // the file is gone: nothing more to say
                }
                dumpStream = null;
                dumper = null;
            }
        }

        void closeAll() {
            if (socket != null) {
                socket.close();
                socket = null;
            }
            closeDump();
        }

        /** The callback for each packet: dump it, print it, or both. */
        private void handle(int dlt, long sec, long usec, byte[] data, int length, boolean printing,
                            Timestamps ts, NetNamespace ns) {
            packetsCaptured++;
            if (dumper != null) {
                try {
                    dumper.write(sec, usec, data, length);
                    if (uflag) {
                        dumpStream.flush();
                    }
                } catch (IOException e) {
                    throw error(wFile + ": " + e.getMessage());
                }
            }
            if (!printing || countMode) {
                return;
            }
            out.print(prettyPrint(dlt, sec, usec, data, length, ts, ns));
            if (lflag) {
                out.flush();
            }
        }

        /** {@code pretty_print_packet}: number, time stamp, the protocols, hex or ASCII, newline. */
        private String prettyPrint(int dlt, long sec, long usec, byte[] data, int length, Timestamps ts,
                                   NetNamespace ns) {
            nd.out.setLength(0);
            if (nd.packetNumber) {
                nd.printf("%5d  ", packetsCaptured);
            }
            int caplen = data.length;
            if (caplen == 0 || length == 0 || length < caplen) {
                StringBuilder sb = new StringBuilder();
                if (caplen == 0) {
                    sb.append("[Invalid header: caplen==0");
                }
                if (length == 0) {
                    sb.append(sb.length() == 0 ? "[Invalid header:" : ",").append(" len==0");
                } else if (length < caplen) {
                    sb.append(sb.length() == 0 ? "[Invalid header:" : ",").append(" len(").append(length)
                            .append(") < caplen(").append(caplen).append(")");
                }
                nd.print(sb + "]\n");
                return nd.out.toString();
            }
            nd.print(ts.print(sec, usec));
            nd.begin(data, caplen);
            try {
                switch (dlt) {
                    case DLT_LINUX_SLL2 -> Printers.sll2(nd, length, caplen, i -> {
                        NetDevice d = ns.deviceByIndex(i);
                        return d == null ? null : d.name();
                    });
                    case DLT_LINUX_SLL -> Printers.sll(nd, length, caplen);
                    default -> Printers.ether(nd, length, caplen);
                }
            } catch (Netdissect.Truncated t) {
                nd.printTrunc();
                nd.llHdrLen = 0;
            } catch (Netdissect.Invalid i) {
                // the printer said why already
            }
            nd.popAll(caplen);
            int hdrlen = nd.llHdrLen;
            try {
                if (nd.bigXflag > 0) {
                    if (nd.bigXflag > 1) {
                        nd.hexAndAscii("\n\t", 0, caplen);
                    } else if (caplen > hdrlen) {
                        nd.hexAndAscii("\n\t", hdrlen, caplen - hdrlen);
                    }
                } else if (nd.xflag > 0) {
                    if (nd.xflag > 1) {
                        nd.hex("\n\t", 0, caplen);
                    } else if (caplen > hdrlen) {
                        nd.hex("\n\t", hdrlen, caplen - hdrlen);
                    }
                } else if (nd.aflag > 0) {
                    if (nd.aflag > 1) {
                        nd.ascii(0, caplen);
                    } else if (caplen > hdrlen) {
                        nd.ascii(hdrlen, caplen - hdrlen);
                    }
                }
            } catch (Netdissect.Truncated t) {
                nd.printTrunc();
            }
            nd.print("\n");
            return nd.out.toString();
        }

        // -------------------------------------------------------------- filter and names

        private Filter.Program compile(long netmask) {
            String expr = String.join(" ", expression);
            try {
                return Filter.compile(expr, Filter.names(this::etc), netmask);
            } catch (Filter.FilterException e) {
                throw error(e.getMessage());
            }
        }

        private String etc(String name) {
            try {
                return ctx.readFile("/etc/" + name);
            } catch (KernelException e) {
                return null;
            }
        }

        /** {@code gethostbyaddr} over the sandbox's /etc/hosts: the first name of an address's line. */
        private java.util.function.Function<byte[], String> resolver() {
            if (nd.nflag != 0) {
                return a -> null;
            }
            Map<String, String> names = new HashMap<>();
            String hosts = etc("hosts");
            for (String line : hosts == null ? new String[0] : hosts.split("\n")) {
                String l = line.replaceFirst("#.*", "").trim();
                if (l.isEmpty()) {
                    continue;
                }
                String[] f = l.split("\\s+");
                if (f.length < 2) {
                    continue;
                }
                byte[] addr = f[0].matches("[0-9]+(\\.[0-9]+){3}") ? v4(f[0]) : Filter.parse6(f[0]);
                if (addr != null) {
                    names.putIfAbsent(java.util.HexFormat.of().formatHex(addr), f[1]);
                }
            }
            return a -> names.get(java.util.HexFormat.of().formatHex(a));
        }

        private static byte[] v4(String s) {
            String[] p = s.split("\\.");
            byte[] b = new byte[4];
            for (int i = 0; i < 4; i++) {
                int v = Integer.parseInt(p[i]);
                if (v > 255) {
                    return null;
                }
                b[i] = (byte) v;
            }
            return b;
        }

        private static ZoneId zone() {
            return ZoneId.of("UTC");
        }
    }

    /** Nothing at all: for tests that only check a file's bytes. */
    static ByteArrayOutputStream sink() {
        return new ByteArrayOutputStream();
    }
}
