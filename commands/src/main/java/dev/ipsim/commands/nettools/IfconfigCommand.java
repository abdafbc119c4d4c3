package dev.ipsim.commands.nettools;

import dev.ipsim.commands.Command;
import dev.ipsim.commands.Exit;
import dev.ipsim.commands.Invocation;
import dev.ipsim.commands.proc.ProcNet;
import dev.ipsim.kernel.NetNamespace;
import dev.ipsim.kernel.addr.Ipv4Address;
import dev.ipsim.kernel.addr.Ipv6Address;
import dev.ipsim.kernel.ipv4.InetIfAddr;
import dev.ipsim.kernel.link.DeviceFlags;
import dev.ipsim.kernel.link.LinkStats;
import dev.ipsim.kernel.link.NetDevice;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * net-tools {@code ifconfig} 2.10 ({@code ifconfig.c}, {@code lib/interface.c}): the devices
 * as the old ioctls report them ({@code SIOCGIFFLAGS}, {@code SIOCGIFADDR} for the first
 * address labelled with the name, {@code SIOCGIFHWADDR}...), their counters from
 * {@code /proc/net/dev} and IPv6 addresses from {@code /proc/net/if_inet6}; and the settings
 * the same ioctls change ({@link IfconfigSet}).
 */
public final class IfconfigCommand implements Command {

    static final String VERSION = "net-tools 2.10\n";

    /** {@code if_print}'s header for {@code -s}, as Debian's net-tools 2.10 prints it. */
    static final String SHORT_HEADER =
            "Iface      MTU    RX-OK RX-ERR RX-DRP RX-OVR    TX-OK TX-ERR TX-DRP TX-OVR Flg\n";

    static final String USAGE = """
            Usage:
              ifconfig [-a] [-v] [-s] <interface> [[<AF>] <address>]
              [add <address>[/<prefixlen>]]
              [del <address>[/<prefixlen>]]
              [[-]broadcast [<address>]]  [[-]pointopoint [<address>]]
              [netmask <address>]  [dstaddr <address>]  [tunnel <address>]
              [outfill <NN>] [keepalive <NN>]
              [hw <HW> <address>]  [mtu <NN>]
              [[-]trailers]  [[-]arp]  [[-]allmulti]
              [multicast]  [[-]promisc]
              [mem_start <NN>]  [io_addr <NN>]  [irq <NN>]  [media <type>]
              [txqueuelen <NN>]
              [name <newname>]
              [[-]dynamic]
              [up|down] ...

              <HW>=Hardware Type.
              List of possible hardware types:
            """;

    static final String USAGE_AF = """
              <AF>=Address family. Default: inet
              List of possible address families:
            """;

    /** {@code print_hwlist(0)}: every hardware type, to standard error. */
    static final String HW_LIST = """
                loop (Local Loopback) slip (Serial Line IP) cslip (VJ Serial Line IP)\s
                slip6 (6-bit Serial Line IP) cslip6 (VJ 6-bit Serial Line IP) adaptive (Adaptive Serial Line IP)\s
                ash (Ash) ether (Ethernet) ax25 (AMPR AX.25)\s
                netrom (AMPR NET/ROM) rose (AMPR ROSE) tunnel (IPIP Tunnel)\s
                ppp (Point-to-Point Protocol) hdlc ((Cisco)-HDLC) lapb (LAPB)\s
                arcnet (ARCnet) dlci (Frame Relay DLCI) frad (Frame Relay Access Device)\s
                sit (IPv6-in-IPv4) fddi (Fiber Distributed Data Interface) hippi (HIPPI)\s
                irda (IrLAP) ec (Econet) x25 (generic X.25)\s
                eui64 (Generic EUI-64)\s
            """;

    /** {@code print_aflist(0)}: every address family, to standard error. */
    static final String AF_LIST = """
                unix (UNIX Domain) inet (DARPA Internet) inet6 (IPv6)\s
                ax25 (AMPR AX.25) netrom (AMPR NET/ROM) rose (AMPR ROSE)\s
                ipx (Novell IPX) ddp (Appletalk DDP) ec (Econet)\s
                ash (Ash) x25 (CCITT X.25)\s
            """;

    @Override
    public int run(Invocation inv) {
        try {
            return main(inv);
        } catch (Exit e) {
            return e.status();
        } finally {
            inv.out().flush();
        }
    }

    private static int main(Invocation inv) {
        PrintStream out = inv.out();
        PrintStream err = inv.err();
        List<String> args = inv.args();
        boolean all = false;
        boolean shortForm = false;
        int i = 0;
        while (i < args.size() && args.get(i).startsWith("-")) {
            String a = args.get(i);
            switch (a) {
                case "-a" -> all = true;
                case "-s" -> shortForm = true;
                case "-v" -> {
                }
                case "-V", "-version", "--version" -> {
                    out.print(VERSION);
                    throw new Exit(0);
                }
                case "-?", "-h", "-help", "--help" -> usage(out, err, 0);
                default -> {
                    err.print("ifconfig: option `" + a + "' not recognised.\n");
                    err.print("ifconfig: `--help' gives usage information.\n");
                    throw new Exit(1);
                }
            }
            i++;
        }
        NetNamespace ns = inv.context().netns();
        Lister lister = new Lister(ns, out, err, shortForm);
        if (i == args.size()) {
            return lister.printAll(all) < 0 ? 1 : 0;
        }
        String name = args.get(i);
        if (name.length() >= 16) {
            err.print("Warning: truncating interface name " + name + " length " + name.length() + " to 15\n");
            name = name.substring(0, 15);
        }
        if (i + 1 == args.size()) {
            return lister.printOne(name) < 0 ? 1 : 0;
        }
        return new IfconfigSet(inv, ns, name, args.subList(i + 1, args.size())).run();
    }

    /** {@code usage(rc)}: the text to stdout (stderr when {@code rc} is not 0), the lists to stderr. */
    static void usage(PrintStream out, PrintStream err, int rc) {
        PrintStream fp = rc != 0 ? err : out;
        fp.print(USAGE);
        err.print(HW_LIST);
        fp.print(USAGE_AF);
        err.print(AF_LIST);
        throw new Exit(rc);
    }

    /** {@code lib/interface.c}: the interface list and its printers. */
    static final class Lister {
        private final NetNamespace ns;
        private final PrintStream out;
        private final PrintStream err;
        private final boolean shortForm;
        private final List<String[]> inet6;
        private final String header;

        Lister(NetNamespace ns, PrintStream out, PrintStream err, boolean shortForm) {
            this(ns, out, err, shortForm, SHORT_HEADER);
        }

        /** A lister whose short form has {@code header} (netstat's differs from ifconfig's). */
        Lister(NetNamespace ns, PrintStream out, PrintStream err, boolean shortForm, String header) {
            this.header = header;
            this.ns = ns;
            this.out = out;
            this.err = err;
            this.shortForm = shortForm;
            this.inet6 = readInet6(ns);
        }

        /** {@code for_all_interfaces(do_if_print)}: the list sorted by {@code nstrcmp}. */
        int printAll(boolean all) {
            if (shortForm) {
                out.print(header);
            }
            int res = 0;
            for (String name : interfaceNames()) {
                Fetched f = fetch(name);
                if (f == null) {
                    res = -1;
                    continue;
                }
                if ((f.flags & DeviceFlags.UP) != 0 || all) {
                    print(f);
                }
            }
            return res;
        }

        int printOne(String name) {
            if (shortForm) {
                out.print(header);
            }
            Fetched f = fetch(name);
            if (f == null) {
                return -1;
            }
            print(f);
            return 0;
        }

        /**
         * {@code if_readlist}: the names {@code /proc/net/dev} lists and those
         * {@code SIOCGIFCONF} adds (every IPv4 address's label), sorted as {@code if_cache_add}
         * keeps them.
         */
        private List<String> interfaceNames() {
            List<String> names = new ArrayList<>();
            for (NetDevice d : ns.devices()) {
                add(names, d.name());
            }
            for (NetDevice d : ns.devices()) {
                for (InetIfAddr a : d.ipv4().addresses()) {
                    add(names, a.label());
                }
            }
            return names;
        }

        private static void add(List<String> names, String name) {
            int at = names.size();
            while (at > 0) {
                int n = nstrcmp(names.get(at - 1), name);
                if (n == 0) {
                    return;
                }
                if (n < 0) {
                    break;
                }
                at--;
            }
            names.add(at, name);
        }

        /** What {@code if_fetch} learns of one interface, or {@code null} after its message. */
        private Fetched fetch(String name) {
            int colon = name.indexOf(':');
            NetDevice dev = ns.device(colon < 0 ? name : name.substring(0, colon));
            if (dev == null) {
                err.print(name + ": error fetching interface information: Device not found\n");
                return null;
            }
            Fetched f = new Fetched();
            f.name = name;
            f.dev = dev;
            f.flags = (short) (dev.flags() & 0xFFFF);
            for (InetIfAddr a : dev.ipv4().addresses()) {
                if (a.label().equals(name)) {
                    f.addr = a;
                    break;
                }
            }
            f.stats = colon < 0;
            return f;
        }

        private void print(Fetched f) {
            if (shortForm) {
                printShort(f);
            } else {
                printLong(f);
            }
        }

        /** {@code ife_print_short}. */
        private void printShort(Fetched f) {
            StringBuilder sb = new StringBuilder();
            String n = f.name.length() > 15 ? f.name.substring(0, 15) : f.name;
            sb.append(String.format("%-15s %5d ", n, f.dev.mtu()));
            if (f.stats) {
                LinkStats s = f.dev.stats();
                sb.append(String.format("%8d %6d %6d %-6d ", s.rxPackets,
                        s.rxErrors() + s.rxCrcErrors() + s.rxLengthErrors() + s.rxOverErrors() + s.rxFrameErrors(),
                        s.rxDropped + s.rxMissedErrors(), s.rxFifoErrors()));
                sb.append(String.format("%8d %6d %6d %6d ", s.txPackets, s.txErrors(), s.txDropped,
                        s.txFifoErrors()));
            } else {
                sb.append(String.format("%-56s", "     - no statistics available -"));
            }
            int fl = f.flags;
            if (fl == 0) {
                sb.append("[NO FLAGS]");
            }
            flag(sb, fl, DeviceFlags.ALLMULTI, "A");
            flag(sb, fl, DeviceFlags.BROADCAST, "B");
            flag(sb, fl, DeviceFlags.DEBUG, "D");
            flag(sb, fl, DeviceFlags.LOOPBACK, "L");
            flag(sb, fl, DeviceFlags.MULTICAST, "M");
            flag(sb, fl, DeviceFlags.DYNAMIC, "d");
            flag(sb, fl, DeviceFlags.PROMISC, "P");
            flag(sb, fl, DeviceFlags.NOTRAILERS, "N");
            flag(sb, fl, DeviceFlags.NOARP, "O");
            flag(sb, fl, DeviceFlags.POINTOPOINT, "P"); // Debian's 2.10 prints P, as for PROMISC
            flag(sb, fl, DeviceFlags.SLAVE, "s");
            flag(sb, fl, DeviceFlags.MASTER, "m");
            flag(sb, fl, DeviceFlags.RUNNING, "R");
            flag(sb, fl, DeviceFlags.UP, "U");
            sb.append('\n');
            out.print(sb);
        }

        private static void flag(StringBuilder sb, int flags, int bit, String text) {
            if ((flags & bit) != 0) {
                sb.append(text);
            }
        }

        /** {@code ife_print_long}. */
        private void printLong(Fetched f) {
            StringBuilder sb = new StringBuilder();
            int fl = f.flags;
            StringBuilder flags = new StringBuilder("flags=" + fl + "<");
            if (fl == 0) {
                flags.append('>');
            }
            word(flags, fl, DeviceFlags.UP, "UP,");
            word(flags, fl, DeviceFlags.BROADCAST, "BROADCAST,");
            word(flags, fl, DeviceFlags.DEBUG, "DEBUG,");
            word(flags, fl, DeviceFlags.LOOPBACK, "LOOPBACK,");
            word(flags, fl, DeviceFlags.POINTOPOINT, "POINTOPOINT,");
            word(flags, fl, DeviceFlags.NOTRAILERS, "NOTRAILERS,");
            word(flags, fl, DeviceFlags.RUNNING, "RUNNING,");
            word(flags, fl, DeviceFlags.NOARP, "NOARP,");
            word(flags, fl, DeviceFlags.PROMISC, "PROMISC,");
            word(flags, fl, DeviceFlags.ALLMULTI, "ALLMULTI,");
            word(flags, fl, DeviceFlags.SLAVE, "SLAVE,");
            word(flags, fl, DeviceFlags.MASTER, "MASTER,");
            word(flags, fl, DeviceFlags.MULTICAST, "MULTICAST,");
            word(flags, fl, DeviceFlags.DYNAMIC, "DYNAMIC,");
            int last = flags.length() - 1;
            if (flags.charAt(last) == ',') {
                flags.setCharAt(last, '>');
            } else {
                flags.setLength(last);
            }
            sb.append(f.name).append(": ").append(flags).append("  mtu ").append(f.dev.mtu()).append('\n');
            if (f.addr != null) {
                InetIfAddr a = f.addr;
                sb.append("        inet ").append(a.local()).append("  netmask ").append(a.mask());
                if ((fl & DeviceFlags.BROADCAST) != 0) {
                    sb.append("  broadcast ").append(orAny(a.broadcast()));
                }
                if ((fl & DeviceFlags.POINTOPOINT) != 0) {
                    sb.append("  destination ").append(orAny(a.address()));
                }
                sb.append('\n');
            }
            for (String[] line : inet6) {
                if (line[5].equals(f.name)) {
                    appendInet6(sb, line);
                }
            }
            appendHardware(sb, f.dev);
            if (f.stats) {
                LinkStats s = f.dev.stats();
                sb.append("        RX packets ").append(Long.toUnsignedString(s.rxPackets)).append("  bytes ")
                        .append(Long.toUnsignedString(s.rxBytes)).append(" (").append(unit(s.rxBytes)).append(")\n");
                if (s.rxCompressed() > 0) {
                    sb.append("        RX compressed ").append(s.rxCompressed()).append('\n');
                }
                sb.append("        RX errors ").append(s.rxErrors()).append("  dropped ")
                        .append(s.rxDropped + s.rxMissedErrors()).append("  overruns ").append(s.rxFifoErrors())
                        .append("  frame ")
                        .append(s.rxLengthErrors() + s.rxOverErrors() + s.rxCrcErrors() + s.rxFrameErrors())
                        .append('\n');
                sb.append("        TX packets ").append(Long.toUnsignedString(s.txPackets)).append("  bytes ")
                        .append(Long.toUnsignedString(s.txBytes)).append(" (").append(unit(s.txBytes)).append(")\n");
                if (s.txCompressed() > 0) {
                    sb.append("        TX compressed ").append(s.txCompressed()).append('\n');
                }
                sb.append("        TX errors ").append(s.txErrors()).append("  dropped ").append(s.txDropped)
                        .append(" overruns ").append(s.txFifoErrors()).append("  carrier ")
                        .append(s.txCarrierErrors() + s.txAbortedErrors() + s.txWindowErrors()
                                + s.txHeartbeatErrors())
                        .append("  collisions ").append(s.collisions()).append('\n');
            }
            sb.append('\n');
            out.print(sb);
        }

        private static String orAny(Ipv4Address a) {
            return a == null ? "0.0.0.0" : a.toString();
        }

        private static void word(StringBuilder sb, int flags, int bit, String text) {
            if ((flags & bit) != 0) {
                sb.append(text);
            }
        }

        /** One {@code /proc/net/if_inet6} line: address, scope words. */
        private static void appendInet6(StringBuilder sb, String[] line) {
            byte[] b = new byte[16];
            for (int k = 0; k < 16; k++) {
                b[k] = (byte) Integer.parseInt(line[0].substring(2 * k, 2 * k + 2), 16);
            }
            int plen = Integer.parseInt(line[2], 16);
            int scope = Integer.parseInt(line[3], 16);
            sb.append("        inet6 ").append(Ipv6Address.ofBytes(b, 0)).append("  prefixlen ").append(plen)
                    .append("  scopeid 0x").append(Integer.toHexString(scope));
            StringBuilder words = new StringBuilder("<");
            if ((scope & 0x80) != 0) {
                words.append("compat,");
                scope -= 0x80;
            }
            if (scope == 0) {
                words.append("global,");
            }
            if ((scope & 0x20) != 0) {
                words.append("link,");
            }
            if ((scope & 0x40) != 0) {
                words.append("site,");
            }
            if ((scope & 0x10) != 0) {
                words.append("host,");
            }
            int last = words.length() - 1;
            if (words.charAt(last) == ',') {
                words.setCharAt(last, '>');
            } else {
                words.setLength(last);
            }
            sb.append(words).append('\n');
        }

        /** The hardware line: {@code hw->name}, the address, {@code txqueuelen} and the title. */
        private static void appendHardware(StringBuilder sb, NetDevice dev) {
            int type = dev.hardwareType();
            sb.append("        ");
            String title;
            if (type == 1) {
                sb.append("ether ").append(dev.address());
                title = "Ethernet";
            } else if (type == 772) {
                sb.append("loop");
                title = "Local Loopback";
            } else {
                // unspec_hwtype prints the 16 bytes of a struct sockaddr's worth of sa_data
                sb.append("unspec ");
                byte[] hw = new byte[16];
                if (dev.addressLength() == 6) {
                    dev.address().writeTo(hw, 0);
                }
                for (int k = 0; k < 16; k++) {
                    if (k > 0) {
                        sb.append('-');
                    }
                    sb.append(String.format("%02X", hw[k] & 0xFF));
                }
                title = "UNSPEC";
            }
            sb.append("  txqueuelen ").append(dev.txQueueLength()).append("  (").append(title).append(")\n");
        }

        private static List<String[]> readInet6(NetNamespace ns) {
            List<String[]> lines = new ArrayList<>();
            for (String line : ProcNet.read(ns, "if_inet6").split("\n")) {
                String[] fields = line.trim().split("\\s+");
                if (fields.length == 6) {
                    lines.add(fields);
                }
            }
            return lines;
        }
    }

    /** {@code ife_unit}: "6.3 KiB" (tenths truncated). */
    static String unit(long value) {
        String text = "B";
        long shortVal = value * 10;
        if (Long.compareUnsigned(value, 1152921504606846976L) > 0) {
            shortVal = Long.divideUnsigned(value, 115292150460684697L);
            text = "EiB";
        } else if (value > 1125899906842624L) {
            shortVal /= 1125899906842624L;
            text = "PiB";
        } else if (value > 1099511627776L) {
            shortVal /= 1099511627776L;
            text = "TiB";
        } else if (value > 1073741824L) {
            shortVal /= 1073741824L;
            text = "GiB";
        } else if (value > 1048576) {
            shortVal /= 1048576;
            text = "MiB";
        } else if (value > 1024) {
            shortVal /= 1024;
            text = "KiB";
        }
        return Long.divideUnsigned(shortVal, 10) + "." + Long.remainderUnsigned(shortVal, 10) + " " + text;
    }

    /** {@code nstrcmp}: names compared with their trailing numbers (and alias numbers) as numbers. */
    static int nstrcmp(String a, String b) {
        String aAlias = null;
        String bAlias = null;
        int ca = aliasColon(a);
        if (ca >= 0) {
            aAlias = a.substring(ca + 1);
            a = a.substring(0, ca);
        }
        int cb = aliasColon(b);
        if (cb >= 0) {
            bAlias = b.substring(cb + 1);
            b = b.substring(0, cb);
        }
        int ai = rindexNondigit(a);
        int bi = rindexNondigit(b);
        int res = strncmp(a, b, Math.min(ai, bi));
        if (res != 0) {
            return res;
        }
        if (ai != bi) {
            return ai > bi ? 1 : -1;
        }
        long av = atoi(a.substring(ai));
        long bv = atoi(b.substring(bi));
        if (av != bv) {
            return av < bv ? -1 : 1;
        }
        res = a.compareTo(b);
        if (res != 0) {
            return res;
        }
        long aa = aAlias == null ? -1 : atoi(aAlias);
        long ba = bAlias == null ? -1 : atoi(bAlias);
        return Long.compare(aa, ba);
    }

    /** {@code cutalias}: the colon before a trailing run of digits, or -1. */
    private static int aliasColon(String name) {
        boolean digit = false;
        for (int pos = name.length(); pos > 0; pos--) {
            char c = name.charAt(pos - 1);
            if (c == ':' && digit) {
                return pos - 1;
            }
            if (!Character.isDigit(c)) {
                break;
            }
            digit = true;
        }
        return -1;
    }

    private static int rindexNondigit(String name) {
        for (int pos = name.length(); pos > 0; pos--) {
            if (!Character.isDigit(name.charAt(pos - 1))) {
                return pos;
            }
        }
        return 0;
    }

    private static int strncmp(String a, String b, int n) {
        for (int k = 0; k < n; k++) {
            int ca = k < a.length() ? a.charAt(k) : 0;
            int cb = k < b.length() ? b.charAt(k) : 0;
            if (ca != cb) {
                return ca - cb;
            }
            if (ca == 0) {
                return 0;
            }
        }
        return 0;
    }

    private static long atoi(String s) {
        long v = 0;
        for (int k = 0; k < s.length() && Character.isDigit(s.charAt(k)); k++) {
            v = v * 10 + (s.charAt(k) - '0');
            if (v > Integer.MAX_VALUE) {
                return Integer.MAX_VALUE;
            }
        }
        return v;
    }

    /** One interface as {@code if_fetch} fills {@code struct interface}. */
    private static final class Fetched {
        String name;
        NetDevice dev;
        int flags;
        InetIfAddr addr;
        boolean stats;
    }
}
