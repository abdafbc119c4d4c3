package dev.ipsim.commands.proc;

import dev.ipsim.kernel.NetNamespace;
import dev.ipsim.kernel.addr.Ipv4Address;
import dev.ipsim.kernel.addr.Ipv6Address;
import dev.ipsim.kernel.addr.MacAddress;
import dev.ipsim.kernel.ipv6.Inet6IfAddr;
import dev.ipsim.kernel.link.LinkStats;
import dev.ipsim.kernel.link.NetDevice;
import dev.ipsim.kernel.mcast.MulticastLists;
import dev.ipsim.kernel.neigh.Neighbour;
import dev.ipsim.kernel.neigh.NudState;
import dev.ipsim.kernel.route.FibTable;
import dev.ipsim.kernel.route.Route;
import dev.ipsim.kernel.route.RouteTableId;
import dev.ipsim.kernel.route.RouteType;
import dev.ipsim.kernel.sysctl.SysctlTable;
import java.util.List;
import java.util.Locale;

/**
 * The text files of {@code /proc/net} a reader's namespace shows ({@code seq_file} show
 * functions of the kernel), rendered from the model: {@code arp} ({@code arp_seq_show}),
 * {@code route} ({@code fib_route_seq_show}), {@code dev} ({@code dev_seq_show}),
 * {@code if_inet6} ({@code if6_seq_show}), {@code dev_mcast} ({@code dev_mc_seq_show}),
 * {@code igmp} ({@code igmp_mc_seq_show}) and {@code igmp6} ({@code igmp6_mc_seq_show}).
 * {@code ip maddr} reads the last three, as iproute2 does.
 */
public final class ProcNet {

    /** The files this class renders, in {@code ls} order. */
    public static final List<String> FILES = List.of("arp", "dev", "dev_mcast", "if_inet6", "igmp", "igmp6", "route");

    private ProcNet() {
    }

    /** The file's text, or {@code null} when it is not one of {@link #FILES}. */
    public static String read(NetNamespace ns, String name) {
        return switch (name) {
            case "arp" -> arp(ns);
            case "route" -> route(ns);
            case "dev" -> dev(ns);
            case "if_inet6" -> ifInet6(ns);
            case "dev_mcast" -> devMcast(ns);
            case "igmp" -> igmp(ns);
            case "igmp6" -> igmp6(ns);
            default -> null;
        };
    }

    // ------------------------------------------------------------------ arp

    private static final int ATF_COM = 0x02;
    private static final int ATF_PERM = 0x04;

    /**
     * {@code arp_seq_show}: every entry but those whose state is NOARP alone (or none), in the
     * table's dump order; the hardware address as {@code dev->addr_len} bytes.
     */
    static String arp(NetNamespace ns) {
        StringBuilder sb = new StringBuilder(
                "IP address       HW type     Flags       HW address            Mask     Device\n");
        for (Neighbour n : ns.stack().ipv4().neighbours().entries()) {
            if ((n.state().bit() & ~NudState.NOARP.bit()) == 0) {
                continue;
            }
            NetDevice dev = n.device();
            int flags = n.state() == NudState.PERMANENT ? ATF_PERM | ATF_COM
                    : (n.state().bit() & VALID) != 0 ? ATF_COM : 0;
            MacAddress ha = n.lladdr() == null ? MacAddress.ZERO : n.lladdr();
            String hw = dev.addressLength() == 0 ? "" : ha.toString();
            sb.append(String.format("%-16s 0x%-10x0x%-10x%-17s     %-8s %s\n", n.key().toString(),
                    dev.hardwareType(), flags, hw, "*", dev.name()));
        }
        return sb.toString();
    }

    /** {@code NUD_VALID}. */
    private static final int VALID = NudState.PERMANENT.bit() | NudState.NOARP.bit() | NudState.REACHABLE.bit()
            | NudState.PROBE.bit() | NudState.STALE.bit() | NudState.DELAY.bit();

    // ------------------------------------------------------------------ route

    private static final int RTF_UP = 0x0001;
    private static final int RTF_GATEWAY = 0x0002;
    private static final int RTF_HOST = 0x0004;
    private static final int RTF_REJECT = 0x0200;
    /** {@code seq_setwidth(seq, 127)}: every line is padded to 127 characters. */
    private static final int ROUTE_WIDTH = 127;

    /**
     * {@code fib_route_seq_show}: the main table's routes in trie order, less broadcast and
     * multicast ones; addresses as the hex of their network-order words read on a
     * little-endian machine.
     */
    static String route(NetNamespace ns) {
        StringBuilder sb = new StringBuilder();
        pad(sb, "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT");
        FibTable main = ns.ipv4().tables().tableOrNull(RouteTableId.MAIN);
        if (main != null) {
            for (Route r : main.routes()) {
                if (r.type() == RouteType.BROADCAST || r.type() == RouteType.MULTICAST) {
                    continue;
                }
                int plen = r.destination().length();
                int flags = RTF_UP;
                if (r.type() == RouteType.UNREACHABLE || r.type() == RouteType.PROHIBIT) {
                    flags |= RTF_REJECT;
                }
                if (r.gateway() != null) {
                    flags |= RTF_GATEWAY;
                }
                if (plen == 32) {
                    flags |= RTF_HOST;
                }
                Ipv4Address gw = r.gateway() == null ? Ipv4Address.ANY : (Ipv4Address) r.gateway();
                pad(sb, String.format("%s\t%08X\t%08X\t%04X\t0\t0\t%d\t%08X\t%d\t%d\t%d",
                        r.device() == null ? "*" : r.device().name(),
                        littleEndian((Ipv4Address) r.destination().address()), littleEndian(gw), flags,
                        r.priority(), littleEndian(Ipv4Address.netmask(plen)), 0, 0, 0));
            }
        }
        return sb.toString();
    }

    private static void pad(StringBuilder sb, String line) {
        sb.append(line);
        sb.append(" ".repeat(Math.max(0, ROUTE_WIDTH - line.length())));
        sb.append('\n');
    }

    private static int littleEndian(Ipv4Address a) {
        byte[] b = new byte[4];
        a.writeTo(b, 0);
        return (b[0] & 0xFF) | (b[1] & 0xFF) << 8 | (b[2] & 0xFF) << 16 | (b[3] & 0xFF) << 24;
    }

    // ------------------------------------------------------------------ dev

    /** {@code dev_seq_show}: every device's counters, by ifindex. */
    static String dev(NetNamespace ns) {
        StringBuilder sb = new StringBuilder("Inter-|   Receive                                                |  Transmit\n"
                + " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo"
                + " colls carrier compressed\n");
        for (NetDevice d : ns.devices()) {
            LinkStats s = d.stats();
            sb.append(String.format("%6s: %7d %7d %4d %4d %4d %5d %10d %9d %8d %7d %4d %4d %4d %5d %7d %10d\n",
                    d.name(), s.rxBytes, s.rxPackets, s.rxErrors(), s.rxDropped + s.rxMissedErrors(), s.rxFifoErrors(),
                    s.rxLengthErrors() + s.rxOverErrors() + s.rxCrcErrors() + s.rxFrameErrors(), s.rxCompressed(),
                    s.multicast, s.txBytes, s.txPackets, s.txErrors(), s.txDropped, s.txFifoErrors(), s.collisions(),
                    s.txCarrierErrors() + s.txAbortedErrors() + s.txWindowErrors() + s.txHeartbeatErrors(),
                    s.txCompressed()));
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------ if_inet6

    /**
     * {@code if6_seq_show}: each IPv6 address with its device's index, prefix length, address
     * scope ({@code IFA_HOST} 0x10, {@code IFA_LINK} 0x20, {@code IFA_SITE} 0x40, global 0) and
     * the low byte of its flags. The kernel lists them in the order of a hash salted per
     * namespace; here device by device.
     */
    static String ifInet6(NetNamespace ns) {
        StringBuilder sb = new StringBuilder();
        for (NetDevice d : ns.devices()) {
            if (!d.ipv6().isPresent()) {
                continue;
            }
            for (Inet6IfAddr a : d.ipv6().addresses()) {
                sb.append(String.format("%s %02x %02x %02x %02x %8s\n", hex(a.address()), d.ifindex(),
                        a.prefixLength(), addressScope(a.scope()), a.flags() & 0xFF, d.name()));
            }
        }
        return sb.toString();
    }

    /** {@code ipv6_addr_scope}'s {@code IFA_*} value for a route scope ({@code rt_scope}'s inverse). */
    private static int addressScope(int rtScope) {
        return switch (rtScope) {
            case 254 -> 0x10;
            case 253 -> 0x20;
            case 200 -> 0x40;
            default -> 0;
        };
    }

    private static String hex(Ipv6Address a) {
        byte[] b = new byte[16];
        a.writeTo(b, 0);
        StringBuilder sb = new StringBuilder(32);
        for (byte x : b) {
            sb.append(String.format("%02x", x & 0xFF));
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------ multicast

    /** {@code dev_mc_seq_show}: each device's link-layer multicast list, users and whether a user added it. */
    static String devMcast(NetNamespace ns) {
        StringBuilder sb = new StringBuilder();
        for (NetDevice d : ns.devices()) {
            for (MacAddress m : d.multicastAddresses()) {
                sb.append(String.format("%-4d %-15s %-5d %-5d %s\n", d.ifindex(), d.name(), d.multicastUsers(m),
                        d.isGlobalMulticast(m) ? 1 : 0, m.toString().replace(":", "")));
            }
        }
        return sb.toString();
    }

    /**
     * {@code igmp_mc_seq_show}: the devices with IPv4 groups, each with its count and the IGMP
     * version its querier is taken to speak ({@code force_igmp_version}), then its groups (the
     * newest first) as little-endian hex, users, no timer (IGMPv3 reports by the interface
     * timer) and no reporter.
     */
    static String igmp(NetNamespace ns) {
        StringBuilder sb = new StringBuilder("Idx\tDevice    : Count Querier\tGroup    Users Timer\tReporter\n");
        MulticastLists lists = ns.multicast();
        for (NetDevice d : ns.devices()) {
            List<MulticastLists.Membership> groups = lists.ipv4Groups(d);
            if (groups.isEmpty()) {
                continue;
            }
            sb.append(String.format("%d\t%-10s: %5d %7s\n", d.ifindex(), d.name(), groups.size(), querier(ns, d)));
            for (MulticastLists.Membership m : groups) {
                sb.append(String.format("\t\t\t\t%08X %5d %d:%08X\t\t%d\n", littleEndian((Ipv4Address) m.group()),
                        m.users(), 0, 0, 0));
            }
        }
        return sb.toString();
    }

    /** {@code IGMP_V1_SEEN}/{@code IGMP_V2_SEEN} by {@code force_igmp_version}, else V3. */
    private static String querier(NetNamespace ns, NetDevice d) {
        int all = forced(ns.sysctls(), "all");
        int dev = forced(ns.sysctls(), d.name());
        if (all == 1 || dev == 1) {
            return "V1";
        }
        if (all == 2 || dev == 2) {
            return "V2";
        }
        return "V3";
    }

    private static int forced(SysctlTable sysctls, String conf) {
        SysctlTable.Entry e = sysctls.entry("net/ipv4/conf/" + conf + "/force_igmp_version");
        if (e == null) {
            return 0;
        }
        try {
            return Integer.parseInt(e.value().strip());
        } catch (NumberFormatException ex) {
            return 0;
        }
    }

    private static final int MAF_LOADED = 0x04;
    private static final int MAF_NOREPORT = 0x08;

    /**
     * {@code igmp6_mc_seq_show}: every device's IPv6 groups (the newest first) with users and
     * flags; MLDv2 reports by the interface timer, so no group's timer runs.
     */
    static String igmp6(NetNamespace ns) {
        StringBuilder sb = new StringBuilder();
        MulticastLists lists = ns.multicast();
        for (NetDevice d : ns.devices()) {
            for (MulticastLists.Membership m : lists.ipv6Groups(d)) {
                int flags = (m.loaded() ? MAF_LOADED : 0) | (m.noReport() ? MAF_NOREPORT : 0);
                sb.append(String.format(Locale.ROOT, "%-4d %-15s %s %5d %08X %d\n", d.ifindex(), d.name(),
                        hex((Ipv6Address) m.group()), m.users(), flags, 0));
            }
        }
        return sb.toString();
    }
}
