package dev.ipsim.commands.ip;

import dev.ipsim.commands.output.Printer;
import dev.ipsim.commands.output.Printer.Color;
import dev.ipsim.commands.output.Printer.Kind;
import dev.ipsim.kernel.link.DeviceFlags;
import dev.ipsim.kernel.link.LinkStats;
import dev.ipsim.kernel.link.NetDevice;
import dev.ipsim.kernel.link.OperState;
import dev.ipsim.kernel.ipv6.Inet6Device;

/**
 * A link as {@code ip link}/{@code ip addr} print it ({@code print_linkinfo} in
 * {@code ip/ipaddress.c}). The order of the calls below is the output format.
 */
public final class LinkPrinter {

    private static final String[] FLAG_NAMES = {"LOOPBACK", "BROADCAST", "POINTOPOINT", "MULTICAST", "NOARP",
        "ALLMULTI", "PROMISC", "MASTER", "SLAVE", "DEBUG", "DYNAMIC", "AUTOMEDIA", "PORTSEL", "NOTRAILERS", "UP",
        "LOWER_UP", "DORMANT", "ECHO"};
    private static final int[] FLAG_BITS = {DeviceFlags.LOOPBACK, DeviceFlags.BROADCAST, DeviceFlags.POINTOPOINT,
        DeviceFlags.MULTICAST, DeviceFlags.NOARP, DeviceFlags.ALLMULTI, DeviceFlags.PROMISC, DeviceFlags.MASTER,
        DeviceFlags.SLAVE, DeviceFlags.DEBUG, DeviceFlags.DYNAMIC, DeviceFlags.AUTOMEDIA, DeviceFlags.PORTSEL,
        DeviceFlags.NOTRAILERS, DeviceFlags.UP, DeviceFlags.LOWER_UP, DeviceFlags.DORMANT, DeviceFlags.ECHO};

    private final IpSession session;
    private final Printer p;
    private final boolean doLink;
    private final Names names;
    /**
     * Set when the links come from an {@code AF_INET6} link dump ({@code ip -6 addr} without a
     * device): {@code inet6_fill_ifinfo} sends no qdisc, master or group, and the queue length
     * is what iproute2 asks for separately.
     */
    boolean inet6Dump;

    public LinkPrinter(IpSession session, Printer printer, boolean doLink) {
        this.session = session;
        this.p = printer;
        this.doLink = doLink;
        this.names = session.names();
    }

    /** {@code print_link_flags}. */
    public void flags(int flags, boolean mdown) {
        p.openArray(Kind.ANY, p.inJson() ? "flags" : "<");
        if ((flags & DeviceFlags.UP) != 0 && (flags & DeviceFlags.RUNNING) == 0) {
            p.string(Kind.ANY, null, flags != 0 ? "%s," : "%s", "NO-CARRIER");
        }
        flags &= ~DeviceFlags.RUNNING;
        for (int i = 0; i < FLAG_BITS.length; i++) {
            if ((flags & FLAG_BITS[i]) != 0) {
                flags &= ~FLAG_BITS[i];
                p.string(Kind.ANY, null, flags != 0 ? "%s," : "%s", FLAG_NAMES[i]);
            }
        }
        if (flags != 0) {
            p.hex(Kind.ANY, null, "%x", flags);
        }
        if (mdown) {
            p.string(Kind.ANY, null, ",%s", "M-DOWN");
        }
        p.closeArray(Kind.ANY, "> ");
    }

    /** Whether the kernel sends {@code IFLA_LINK_NETNSID}: the paired device lives elsewhere. */
    private static boolean linkElsewhere(NetDevice dev) {
        NetDevice link = dev.linkDevice();
        return link != null && link.namespace() != dev.namespace();
    }

    /** {@code print_name_and_link}: prints the name, returns whether M-DOWN applies. */
    public boolean nameAndLink(String fmt, NetDevice dev) {
        String name = dev.name();
        boolean mflag = false;
        // the kernel sends IFLA_LINK when iflink differs from the device's own index, and always
        // with a link netnsid (nla_put_iflink's force)
        if (dev.iflink() != dev.ifindex() || linkElsewhere(dev)) {
            int iflink = dev.iflink();
            if (iflink != 0) {
                if (linkElsewhere(dev)) {
                    if (p.inJson()) {
                        p.integer(Kind.JSON, "link_index", null, iflink);
                    } else {
                        name = name + "@if" + iflink;
                    }
                } else {
                    // ll_index_to_name/ll_index_to_flags look in the current namespace's cache
                    NetDevice byIndex = session.netns().deviceByIndex(iflink);
                    String linkName = byIndex != null ? byIndex.name() : "if" + iflink;
                    if (p.inJson()) {
                        p.string(Kind.JSON, "link", null, linkName);
                    } else {
                        name = name + "@" + linkName;
                    }
                    mflag = byIndex == null || (byIndex.flags() & DeviceFlags.UP) == 0;
                }
            } else if (p.inJson()) {
                p.nullValue(Kind.JSON, "link", null, null);
            } else {
                name = name + "@NONE";
            }
        }
        p.colorString(Kind.ANY, Color.IFNAME, "ifname", fmt, name);
        return mflag;
    }

    private static final String[] OPER_STATES = {"UNKNOWN", "NOTPRESENT", "DOWN", "LOWERLAYERDOWN", "TESTING",
        "DORMANT", "UP"};

    private static Color operColor(OperState s) {
        return s == OperState.UP ? Color.OPERSTATE_UP : s == OperState.DOWN ? Color.OPERSTATE_DOWN : Color.NONE;
    }

    /** {@code print_operstate}. */
    void operState(OperState state) {
        String name = OPER_STATES[state.ordinal()];
        if (session.options().brief > 0) {
            p.colorString(Kind.ANY, operColor(state), "operstate", "%-14s ", name);
        } else if (p.inJson()) {
            p.string(Kind.JSON, "operstate", null, name);
        } else {
            p.text("state ");
            p.colorString(Kind.TEXT, operColor(state), null, "%s ", name);
        }
    }

    /** {@code print_linkinfo_brief}. {@code packetFamily} is {@code filter.family == AF_PACKET}. */
    void brief(NetDevice dev, boolean packetFamily) {
        boolean mflag = nameAndLink("%-16s ", dev);
        operState(dev.operState());
        if (packetFamily) {
            if (dev.addressLength() > 0) {
                p.colorString(Kind.ANY, Color.MAC, "address", "%s ", dev.address().toString());
            }
            flags(dev.flags(), mflag);
            p.string(Kind.TEXT, null, "%s", "\n");
        }
    }

    /** {@code print_linkinfo} (not brief). */
    void full(NetDevice dev, boolean showLinkLine) {
        IpOptions o = session.options();
        p.integer(Kind.ANY, "ifindex", "%d: ", dev.ifindex());
        boolean mflag = nameAndLink("%s: ", dev);
        flags(dev.flags(), mflag);
        p.integer(Kind.ANY, "mtu", "mtu %d ", dev.mtu());
        if (!inet6Dump) {
            p.string(Kind.ANY, "qdisc", "qdisc %s ", dev.qdisc());
        }
        if (dev.master() != null && !inet6Dump) {
            p.string(Kind.ANY, "master", "master %s ", dev.master().name());
        }
        operState(dev.operState());
        if (doLink) {
            switch (dev.linkMode()) {
                case DEFAULT -> p.string(Kind.ANY, "linkmode", "mode %s ", "DEFAULT");
                case DORMANT -> p.string(Kind.ANY, "linkmode", "mode %s ", "DORMANT");
                default -> p.integer(Kind.ANY, "linkmode_index", "mode %d ", dev.linkMode().ordinal());
            }
        }
        if (!inet6Dump) {
            p.string(Kind.ANY, "group", "group %s ", names.group(dev.group()));
        }
        if (dev.txQueueLength() != 0) {
            p.integer(Kind.ANY, "txqlen", "qlen %d", dev.txQueueLength());
        }
        if (showLinkLine) {
            p.newline();
            p.string(Kind.ANY, "link_type", "    link/%s ", names.linkType(dev.hardwareType()));
            // IFLA_ADDRESS and IFLA_BROADCAST are sent only for a device with addresses (addr_len)
            if (dev.addressLength() > 0) {
                p.colorString(Kind.ANY, Color.MAC, "address", "%s", dev.address().toString());
                if ((dev.flags() & DeviceFlags.POINTOPOINT) != 0) {
                    p.text(" peer ");
                    p.bool(Kind.JSON, "link_pointtopoint", null, true);
                } else {
                    p.text(" brd ");
                }
                p.colorString(Kind.ANY, Color.MAC, "broadcast", "%s", dev.broadcast().toString());
            }
        }
        if (linkElsewhere(dev)) {
            // the dump gave the link's namespace an id here (rtnl_fill_link_netnsid)
            int id = session.netns().linkNetnsid(dev);
            if (p.inJson()) {
                p.integer(Kind.JSON, "link_netnsid", null, id);
            } else {
                String nsName = IpNetns.nameOfNsid(session, id);
                if (nsName != null) {
                    p.string(Kind.TEXT, null, " link-netns %s", nsName);
                } else {
                    p.integer(Kind.TEXT, null, " link-netnsid %d", id);
                }
            }
        }
        if (o.details > 0) {
            details(dev);
        }
        if ((doLink || o.details > 0) && dev.alias() != null) {
            p.string(Kind.TEXT, null, "%s    ", p.lineSeparator());
            p.string(Kind.ANY, "ifalias", "alias %s", dev.alias());
        }
        if (doLink && o.stats > 0) {
            p.newline();
            stats(dev);
        }
        p.string(Kind.TEXT, null, "%s", "\n");
    }

    private void details(NetDevice dev) {
        p.unsigned(Kind.ANY, "promiscuity", " promiscuity %s ", dev.promiscuity());
        p.unsigned(Kind.ANY, "allmulti", " allmulti %s ", dev.allmultiCount());
        p.unsigned(Kind.ANY, "min_mtu", "minmtu %s ", dev.minMtu());
        p.unsigned(Kind.ANY, "max_mtu", "maxmtu %s ", dev.maxMtu());
        // print_linktype: the kind and its options, then the slave kind and its options
        dev.ipsim.kernel.bridge.BridgePort port = dev.master() instanceof dev.ipsim.kernel.bridge.Bridge br
                ? br.port(dev) : null;
        // IFLA_INFO_SLAVE_KIND is the master's kind; iproute2 knows options for bridge_slave only
        String slaveKind = port != null ? "bridge" : dev.master() != null ? dev.master().kind() : null;
        if (dev.kind() != null || slaveKind != null) {
            p.openObject("linkinfo");
            if (dev.kind() != null) {
                p.newline();
                p.string(Kind.ANY, "info_kind", "    %s ", dev.kind());
                if (dev instanceof dev.ipsim.kernel.bridge.Bridge br) {
                    p.openObject("info_data");
                    BridgeDetails.bridge(p, br);
                    p.closeObject();
                } else if (dev instanceof dev.ipsim.kernel.link.Tun tun) {
                    p.openObject("info_data");
                    tunDetails(tun);
                    p.closeObject();
                }
            }
            if (slaveKind != null) {
                p.newline();
                p.string(Kind.ANY, "info_slave_kind", "    %s_slave ", slaveKind);
                if (port != null) {
                    p.openObject("info_slave_data");
                    BridgeDetails.port(p, port);
                    p.closeObject();
                }
            }
            p.closeObject();
        }
        if (doLink && dev.ipv6().isPresent()) {
            int mode = dev.ipv6().addrGenMode();
            p.string(Kind.ANY, "inet6_addr_gen_mode", "addrgenmode %s ", mode < Inet6Device.ADDR_GEN_MODES.length
                    ? Inet6Device.ADDR_GEN_MODES[mode] : String.format("%#04x", mode));
        }
        p.unsigned(Kind.ANY, "num_tx_queues", "numtxqueues %s ", dev.txQueues());
        p.unsigned(Kind.ANY, "num_rx_queues", "numrxqueues %s ", dev.rxQueues());
        p.unsigned(Kind.ANY, "gso_max_size", "gso_max_size %s ", dev.gsoMaxSize());
        p.unsigned(Kind.ANY, "gso_max_segs", "gso_max_segs %s ", dev.gsoMaxSegs());
        p.unsigned(Kind.ANY, "tso_max_size", "tso_max_size %s ", dev.tsoMaxSize());
        p.unsigned(Kind.ANY, "tso_max_segs", "tso_max_segs %s ", dev.tsoMaxSegs());
        p.unsigned(Kind.ANY, "gro_max_size", "gro_max_size %s ", dev.groMaxSize());
    }

    /** {@code tun_print_opt}, from what {@code tun_fill_info} sends. */
    private void tunDetails(dev.ipsim.kernel.link.Tun tun) {
        int f = tun.tunFlags();
        p.string(Kind.ANY, "type", "type %s ", tun.isTap() ? "tap" : "tun");
        onOff("pi", "pi %s ", (f & dev.ipsim.kernel.link.Tun.IFF_NO_PI) == 0);
        onOff("vnet_hdr", "vnet_hdr %s ", (f & dev.ipsim.kernel.link.Tun.IFF_VNET_HDR) != 0);
        if ((f & dev.ipsim.kernel.link.Tun.IFF_MULTI_QUEUE) != 0) {
            p.bool(Kind.ANY, "multi_queue", "multi_queue ", true);
            p.unsigned(Kind.ANY, "numqueues", "numqueues %s ", tun.attached());
            p.unsigned(Kind.ANY, "numdisabled", "numdisabled %s ", 0);
        } else {
            p.bool(Kind.JSON, "multi_queue", null, false);
        }
        onOff("persist", "persist %s ", tun.isPersistent());
        // print_owner, print_group: the name getpwuid/getgrgid give, else the number
        if (tun.owner() != -1) {
            String name = IpTuntap.nameOf(session, tun.owner(), "/etc/passwd");
            if (name != null) {
                p.string(Kind.ANY, "user", "user %s ", name);
            } else {
                p.unsigned(Kind.ANY, "user", "user %s ", tun.owner());
            }
        }
        if (tun.ownerGroup() != -1) {
            String name = IpTuntap.nameOf(session, tun.ownerGroup(), "/etc/group");
            if (name != null) {
                p.string(Kind.ANY, "group", "group %s ", name);
            } else {
                p.unsigned(Kind.ANY, "group", "group %s ", tun.ownerGroup());
            }
        }
    }

    /** {@code print_on_off}: a JSON boolean, "on"/"off" in text. */
    private void onOff(String key, String fmt, boolean on) {
        if (p.inJson()) {
            p.bool(Kind.JSON, key, null, on);
        } else {
            p.string(Kind.TEXT, null, fmt, on ? "on" : "off");
        }
    }

    private static int digits(long v) {
        int len = 1;
        long x = v;
        while (Long.compareUnsigned(x, 9) > 0) {
            len++;
            x = Long.divideUnsigned(x, 10);
        }
        return len;
    }

    private static void size(int[] cols, long... values) {
        for (int i = 0; i < values.length; i++) {
            int len = digits(values[i]);
            if (len > cols[i]) {
                cols[i] = len;
            }
        }
    }

    /**
     * {@code print_num}: the count as is, or with {@code -h} scaled by 1000 (1024 with
     * {@code -iec}, which adds an {@code i}) to the largest prefix it reaches, with as many
     * decimals (up to two) as keep it to three digits.
     */
    private void num(StringBuilder sb, int width, long count) {
        IpOptions o = session.options();
        long base = o.iec > 0 ? 1024 : 1000;
        if (o.humanReadable == 0 || Long.compareUnsigned(count, base) < 0) {
            sb.append(String.format("%" + width + "s ", Long.toUnsignedString(count)));
            return;
        }
        String prefixes = "kMGTPE";
        int prefix = 0;
        long powi = 1;
        while (true) {
            powi *= base;
            if (Long.compareUnsigned(Long.divideUnsigned(count, base), powi) < 0) {
                break;
            }
            if (prefix + 1 >= prefixes.length()) {
                break;
            }
            prefix++;
        }
        int precision = 2;
        long powj = 1;
        for (; precision > 0; precision--) {
            powj *= 10;
            if (Long.compareUnsigned(Long.divideUnsigned(count, powi), powj) < 0) {
                break;
            }
        }
        double value = (count >= 0 ? (double) count : (double) (count >>> 1) * 2.0) / powi;
        String text = String.format(java.util.Locale.ROOT, "%." + precision + "f%c%s", value,
                prefixes.charAt(prefix), o.iec > 0 ? "i" : "");
        sb.append(String.format("%" + width + "s ", text));
    }

    /** {@code print_stats64} with {@code stats64}. */
    void stats(NetDevice dev) {
        LinkStats s = dev.stats();
        int showStats = session.options().stats;
        long carrierChanges = dev.carrierChanges();
        if (p.inJson()) {
            p.openObject("stats64");
            p.openObject("rx");
            p.unsigned(Kind.JSON, "bytes", null, s.rxBytes);
            p.unsigned(Kind.JSON, "packets", null, s.rxPackets);
            p.unsigned(Kind.JSON, "errors", null, s.rxErrors());
            p.unsigned(Kind.JSON, "dropped", null, s.rxDropped);
            p.unsigned(Kind.JSON, "over_errors", null, s.rxOverErrors());
            p.unsigned(Kind.JSON, "multicast", null, s.multicast);
            if (s.rxCompressed() != 0) {
                p.unsigned(Kind.JSON, "compressed", null, s.rxCompressed());
            }
            if (showStats > 1) {
                p.unsigned(Kind.JSON, "length_errors", null, s.rxLengthErrors());
                p.unsigned(Kind.JSON, "crc_errors", null, s.rxCrcErrors());
                p.unsigned(Kind.JSON, "frame_errors", null, s.rxFrameErrors());
                p.unsigned(Kind.JSON, "fifo_errors", null, s.rxFifoErrors());
                p.unsigned(Kind.JSON, "missed_errors", null, s.rxMissedErrors());
                if (s.rxNohandler() != 0) {
                    p.unsigned(Kind.JSON, "nohandler", null, s.rxNohandler());
                }
                if (s.rxOtherhostDropped() != 0) {
                    p.unsigned(Kind.JSON, "otherhost", null, s.rxOtherhostDropped());
                }
            }
            p.closeObject();
            p.openObject("tx");
            p.unsigned(Kind.JSON, "bytes", null, s.txBytes);
            p.unsigned(Kind.JSON, "packets", null, s.txPackets);
            p.unsigned(Kind.JSON, "errors", null, s.txErrors());
            p.unsigned(Kind.JSON, "dropped", null, s.txDropped);
            p.unsigned(Kind.JSON, "carrier_errors", null, s.txCarrierErrors());
            p.unsigned(Kind.JSON, "collisions", null, s.collisions());
            if (s.txCompressed() != 0) {
                p.unsigned(Kind.JSON, "compressed", null, s.txCompressed());
            }
            if (showStats > 1) {
                p.unsigned(Kind.JSON, "aborted_errors", null, s.txAbortedErrors());
                p.unsigned(Kind.JSON, "fifo_errors", null, s.txFifoErrors());
                p.unsigned(Kind.JSON, "window_errors", null, s.txWindowErrors());
                p.unsigned(Kind.JSON, "heartbeat_errors", null, s.txHeartbeatErrors());
                p.unsigned(Kind.JSON, "carrier_changes", null, carrierChanges);
            }
            p.closeObject();
            p.closeObject();
            return;
        }
        String sl = p.lineSeparator();
        int[] cols = {"*X errors:".length(), "packets".length(), "errors".length(), "dropped".length(),
            "heartbt".length(), "overrun".length(), "compressed".length(), "otherhost".length()};
        if (session.options().humanReadable == 0) {
            size(cols, s.rxBytes, s.rxPackets, s.rxErrors(), s.rxDropped, s.rxMissedErrors(), s.multicast,
                    s.rxCompressed(), 0);
            if (showStats > 1) {
                size(cols, 0, s.rxLengthErrors(), s.rxCrcErrors(), s.rxFrameErrors(), s.rxFifoErrors(), s.rxOverErrors(),
                        s.rxNohandler(), s.rxOtherhostDropped());
            }
            size(cols, s.txBytes, s.txPackets, s.txErrors(), s.txDropped, s.txCarrierErrors(), s.collisions(),
                    s.txCompressed(), 0);
            if (showStats > 1) {
                size(cols, 0, 0, s.txAbortedErrors(), s.txFifoErrors(), s.txWindowErrors(), s.txHeartbeatErrors(),
                        carrierChanges, 0);
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("    RX: %" + (cols[0] - 4) + "s %" + cols[1] + "s %" + cols[2] + "s %" + cols[3]
                + "s %" + cols[4] + "s %" + cols[5] + "s %" + cols[6] + "s%s", "bytes", "packets", "errors",
                "dropped", "missed", "mcast", s.rxCompressed() != 0 ? "compressed" : "", sl));
        sb.append("    ");
        num(sb, cols[0], s.rxBytes);
        num(sb, cols[1], s.rxPackets);
        num(sb, cols[2], s.rxErrors());
        num(sb, cols[3], s.rxDropped);
        num(sb, cols[4], s.rxMissedErrors());
        num(sb, cols[5], s.multicast);
        if (s.rxCompressed() != 0) {
            num(sb, cols[6], s.rxCompressed());
        }
        if (showStats > 1) {
            sb.append(sl);
            sb.append(String.format("    RX errors:%" + pad(cols[0] - 10) + "s %" + cols[1] + "s %" + cols[2]
                    + "s %" + cols[3] + "s %" + cols[4] + "s %" + cols[5] + "s%" + pad(s.rxNohandler() != 0 ? cols[6] + 1
                    : 0) + "s%" + pad(s.rxOtherhostDropped() != 0 ? cols[7] + 1 : 0) + "s%s", "", "length", "crc",
                    "frame", "fifo", "overrun", s.rxNohandler() != 0 ? " nohandler" : "",
                    s.rxOtherhostDropped() != 0 ? " otherhost" : "", sl));
            sb.append(" ".repeat(cols[0] + 5));
            num(sb, cols[1], s.rxLengthErrors());
            num(sb, cols[2], s.rxCrcErrors());
            num(sb, cols[3], s.rxFrameErrors());
            num(sb, cols[4], s.rxFifoErrors());
            num(sb, cols[5], s.rxOverErrors());
            if (s.rxNohandler() != 0) {
                num(sb, cols[6], s.rxNohandler());
            }
            if (s.rxOtherhostDropped() != 0) {
                num(sb, cols[7], s.rxOtherhostDropped());
            }
        }
        sb.append(sl);
        sb.append(String.format("    TX: %" + (cols[0] - 4) + "s %" + cols[1] + "s %" + cols[2] + "s %" + cols[3]
                + "s %" + cols[4] + "s %" + cols[5] + "s %" + cols[6] + "s%s", "bytes", "packets", "errors",
                "dropped", "carrier", "collsns", s.txCompressed() != 0 ? "compressed" : "", sl));
        sb.append("    ");
        num(sb, cols[0], s.txBytes);
        num(sb, cols[1], s.txPackets);
        num(sb, cols[2], s.txErrors());
        num(sb, cols[3], s.txDropped);
        num(sb, cols[4], s.txCarrierErrors());
        num(sb, cols[5], s.collisions());
        if (s.txCompressed() != 0) {
            num(sb, cols[6], s.txCompressed());
        }
        if (showStats > 1) {
            sb.append(sl);
            sb.append(String.format("    TX errors:%" + pad(cols[0] - 10) + "s %" + cols[1] + "s %" + cols[2]
                    + "s %" + cols[3] + "s %" + cols[4] + "s %" + cols[5] + "s%s", "", "aborted", "fifo", "window",
                    "heartbt", "transns", sl));
            sb.append(" ".repeat(cols[0] + 5));
            num(sb, cols[1], s.txAbortedErrors());
            num(sb, cols[2], s.txFifoErrors());
            num(sb, cols[3], s.txWindowErrors());
            num(sb, cols[4], s.txHeartbeatErrors());
            num(sb, cols[5], carrierChanges);
        }
        p.text(sb.toString());
    }

    /** A printf width that may be zero or negative (C treats a negative width as left-justify). */
    private static String pad(int width) {
        return width == 0 ? "" : Integer.toString(width);
    }
}
