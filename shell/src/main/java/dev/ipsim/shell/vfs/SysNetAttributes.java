package dev.ipsim.shell.vfs;

import dev.ipsim.kernel.Errno;
import dev.ipsim.kernel.KernelException;
import dev.ipsim.kernel.link.DeviceFlags;
import dev.ipsim.kernel.link.LinkSpec;
import dev.ipsim.kernel.link.LinkStats;
import dev.ipsim.kernel.link.NetDevice;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * The directory {@code /sys/class/net/DEV} ({@code net/core/net-sysfs.c}): its files, with the
 * kernel's formats and errors, and its subdirectories ({@code power}, {@code queues},
 * {@code statistics}, {@code subsystem}), as recorded in {@code oracle/recorded/sysfs-*.out}.
 * Everything a file shows is kept by the model; this class only reads and parses.
 */
final class SysNetAttributes {

    /** The entries of the device directory, in the order {@code ls} prints them. */
    static final List<String> NAMES = List.of("addr_assign_type", "addr_len", "address", "broadcast", "carrier",
            "carrier_changes", "carrier_down_count", "carrier_up_count", "dev_id", "dev_port", "dormant", "duplex",
            "flags", "gro_flush_timeout", "ifalias", "ifindex", "iflink", "link_mode", "mtu", "name_assign_type",
            "napi_defer_hard_irqs", "netdev_group", "operstate", "power", "proto_down", "queues", "speed",
            "statistics", "subsystem", "testing", "threaded", "tx_queue_len", "type", "uevent");

    /** The entries among {@link #NAMES} that are directories. */
    static final List<String> DIRECTORIES = List.of("power", "queues", "statistics", "subsystem");

    /** The files of {@code power}. */
    static final List<String> POWER = List.of("autosuspend_delay_ms", "control", "runtime_active_time",
            "runtime_status", "runtime_suspended_time");
    /** The files of {@code queues/rx-N}. */
    static final List<String> RX_QUEUE = List.of("rps_cpus", "rps_flow_cnt");
    /** The files of {@code queues/tx-N}. */
    static final List<String> TX_QUEUE = List.of("traffic_class", "tx_maxrate", "tx_timeout", "xps_cpus",
            "xps_rxqs");
    /** The files of {@code statistics} ({@code netstat_attrs}), in {@code ls} order. */
    static final List<String> STATISTICS = List.of("collisions", "multicast", "rx_bytes", "rx_compressed",
            "rx_crc_errors", "rx_dropped", "rx_errors", "rx_fifo_errors", "rx_frame_errors", "rx_length_errors",
            "rx_missed_errors", "rx_nohandler", "rx_over_errors", "rx_packets", "tx_aborted_errors", "tx_bytes",
            "tx_carrier_errors", "tx_compressed", "tx_dropped", "tx_errors", "tx_fifo_errors",
            "tx_heartbeat_errors", "tx_packets", "tx_window_errors");

    /** The files of a bridge's {@code bridge} directory ({@code br_sysfs_br.c}), in {@code ls} order. */
    static final List<String> BRIDGE = List.of("ageing_time", "bridge_id", "flush", "forward_delay", "gc_timer",
            "group_addr", "group_fwd_mask", "hash_elasticity", "hash_max", "hello_time", "hello_timer", "max_age",
            "multicast_igmp_version", "multicast_last_member_count", "multicast_last_member_interval",
            "multicast_membership_interval", "multicast_mld_version", "multicast_querier",
            "multicast_querier_interval", "multicast_query_interval", "multicast_query_response_interval",
            "multicast_query_use_ifaddr", "multicast_router", "multicast_snooping", "multicast_startup_query_count",
            "multicast_startup_query_interval", "multicast_stats_enabled", "nf_call_arptables", "nf_call_ip6tables",
            "nf_call_iptables", "no_linklocal_learn", "priority", "root_id", "root_path_cost", "root_port", "stp_state",
            "tcn_timer", "topology_change", "topology_change_detected", "topology_change_timer");

    /** The files of a port's {@code brport} directory ({@code br_sysfs_if.c}), in {@code ls} order. */
    static final List<String> BRPORT = List.of("backup_port", "bpdu_guard", "bridge", "broadcast_flood", "change_ack",
            "config_pending", "designated_bridge", "designated_cost", "designated_port", "designated_root", "flush",
            "forward_delay_timer", "group_fwd_mask", "hairpin_mode", "hold_timer", "isolated", "learning",
            "message_age_timer", "multicast_fast_leave", "multicast_flood", "multicast_router",
            "multicast_to_unicast", "neigh_suppress", "path_cost", "port_id", "port_no", "priority", "proxyarp",
            "proxyarp_wifi", "root_block", "state", "unicast_flood");

    private SysNetAttributes() {
    }

    /**
     * The entries of a device's directory: the fixed ones, a bridge's {@code bridge},
     * {@code brif} and {@code brforward}, a port's {@code brport}, and the {@code master},
     * {@code upper_M} and {@code lower_P} links between a master and its ports.
     */
    static List<String> names(NetDevice d) {
        java.util.TreeSet<String> names = new java.util.TreeSet<>(NAMES);
        if (d instanceof dev.ipsim.kernel.bridge.Bridge) {
            names.addAll(List.of("brforward", "bridge", "brif"));
        }
        if (d instanceof dev.ipsim.kernel.link.Tun) {
            names.addAll(List.of("group", "owner", "tun_flags"));
        }
        if (d.master() != null && d.master().namespace() == d.namespace()) {
            names.add("master");
            names.add("upper_" + d.master().name());
            if (port(d) != null) {
                names.add("brport");
            }
        }
        for (NetDevice lower : lowers(d)) {
            names.add("lower_" + lower.name());
        }
        return List.copyOf(names);
    }

    /** The devices enslaved to {@code d}. */
    static List<NetDevice> lowers(NetDevice d) {
        List<NetDevice> out = new java.util.ArrayList<>();
        if (d.namespace() == null) {
            return out;
        }
        for (NetDevice other : d.namespace().devices()) {
            if (other.master() == d) {
                out.add(other);
            }
        }
        return out;
    }

    /** The bridge port a device is, or {@code null}. */
    static dev.ipsim.kernel.bridge.BridgePort port(NetDevice d) {
        return d.master() instanceof dev.ipsim.kernel.bridge.Bridge b ? b.port(d) : null;
    }

    /** {@code br_show_bridge_id}: the priority and the address, in hex without separators. */
    private static String bridgeId(dev.ipsim.kernel.bridge.BridgeId id) {
        StringBuilder sb = new StringBuilder(String.format("%04x.", id.priority()));
        for (int i = 0; i < 6; i++) {
            sb.append(String.format("%02x", id.address().octet(i)));
        }
        return sb.toString();
    }

    private static long clockT(long jiffies) {
        return jiffies * 100 / dev.ipsim.kernel.time.Jiffies.HZ;
    }

    /** A file of {@code bridge/}: what {@code br_sysfs_br.c} shows. */
    static String readBridge(dev.ipsim.kernel.bridge.Bridge br, String name) {
        String v = switch (name) {
            case "ageing_time" -> Long.toString(clockT(dev.ipsim.kernel.bridge.Bridge.AGEING_TIME));
            case "bridge_id", "root_id" -> bridgeId(br.bridgeId());
            case "flush" -> throw new KernelException(Errno.EACCES);
            case "forward_delay" -> Long.toString(clockT(dev.ipsim.kernel.bridge.Bridge.FORWARD_DELAY));
            case "gc_timer" -> Long.toString(clockT(br.gcTimerJiffies()));
            case "group_addr" -> dev.ipsim.kernel.bridge.Bridge.GROUP_ADDRESS.toString();
            case "group_fwd_mask" -> "0x0";
            case "hash_elasticity" -> "16";
            case "hash_max" -> "4096";
            case "hello_time" -> Long.toString(clockT(dev.ipsim.kernel.bridge.Bridge.HELLO_TIME));
            case "max_age" -> Long.toString(clockT(dev.ipsim.kernel.bridge.Bridge.MAX_AGE));
            case "multicast_igmp_version", "multicast_last_member_count", "multicast_startup_query_count" -> "2";
            case "multicast_last_member_interval" -> "100";
            case "multicast_membership_interval" -> "26000";
            case "multicast_mld_version", "multicast_router", "multicast_snooping" -> "1";
            case "multicast_querier_interval" -> "25500";
            case "multicast_query_interval" -> "12500";
            case "multicast_query_response_interval" -> "1000";
            case "multicast_startup_query_interval" -> "3124";
            case "priority" -> Integer.toString(br.bridgeId().priority());
            case "root_path_cost" -> Integer.toString(br.rootPathCost());
            case "root_port" -> Integer.toString(br.rootPort());
            default -> "0";
        };
        return v + "\n";
    }

    /** A file of {@code brport/}: what {@code br_sysfs_if.c} shows. */
    static String readBrport(dev.ipsim.kernel.bridge.BridgePort p, String name) {
        long now = dev.ipsim.kernel.time.Jiffies.now(p.bridge().namespace().kernel().clock());
        String v = switch (name) {
            case "backup_port" -> "";
            case "broadcast_flood" -> p.broadcastFlood() ? "1" : "0";
            case "designated_bridge" -> bridgeId(p.designatedBridge());
            case "designated_root" -> bridgeId(p.designatedRoot());
            case "designated_cost" -> Integer.toString(p.designatedCost());
            case "designated_port" -> Integer.toString(p.designatedPort());
            case "flush" -> throw new KernelException(Errno.EACCES);
            case "forward_delay_timer" -> Long.toString(clockT(p.forwardDelayTimerJiffies(now)));
            case "group_fwd_mask" -> "0x0";
            case "learning" -> p.learning() ? "1" : "0";
            case "hairpin_mode" -> p.hairpin() ? "1" : "0";
            case "bpdu_guard" -> p.guard() ? "1" : "0";
            case "root_block" -> p.rootBlock() ? "1" : "0";
            case "multicast_fast_leave" -> p.fastLeave() ? "1" : "0";
            case "multicast_to_unicast" -> p.multicastToUnicast() ? "1" : "0";
            case "neigh_suppress" -> p.neighSuppress() ? "1" : "0";
            case "isolated" -> p.isolated() ? "1" : "0";
            case "locked" -> p.locked() ? "1" : "0";
            case "multicast_flood" -> p.multicastFlood() ? "1" : "0";
            case "multicast_router" -> "1";
            case "path_cost" -> Integer.toString(p.pathCost());
            case "port_id" -> "0x" + Integer.toHexString(p.portId());
            case "port_no" -> "0x" + Integer.toHexString(p.portNumber());
            case "priority" -> Integer.toString(p.priority());
            case "state" -> Integer.toString(p.state().ordinal());
            case "unicast_flood" -> p.flood() ? "1" : "0";
            default -> "0";
        };
        return v + "\n";
    }

    /** Whether opening the file for writing succeeds (it has a {@code store} method). */
    static boolean writable(String name) {
        return switch (name) {
            case "mtu", "tx_queue_len", "ifalias", "flags", "netdev_group", "carrier", "proto_down", "threaded",
                 "gro_flush_timeout", "napi_defer_hard_irqs" -> true;
            default -> false;
        };
    }

    /**
     * The names in {@code queues}: one per queue in use ({@code real_num_rx_queues},
     * {@code real_num_tx_queues}), which is one for every simulated device, however many queues
     * it was allocated (a veth has {@code ip -d link}'s numtxqueues 2, but one real queue).
     */
    static List<String> queues(NetDevice d) {
        return List.of("rx-0", "tx-0");
    }

    /** The file's contents, newline included. */
    static String read(NetDevice d, String name) {
        String v = switch (name) {
            case "ifindex" -> Integer.toString(d.ifindex());
            case "iflink" -> Integer.toString(d.iflink());
            case "address" -> d.addressLength() == 0 ? "" : d.address().toString();
            case "broadcast" -> d.addressLength() == 0 ? "" : d.broadcast().toString();
            case "addr_len" -> Integer.toString(d.addressLength());
            // tun.c's tun_attr_group, on tun and tap devices
            case "tun_flags" -> {
                if (!(d instanceof dev.ipsim.kernel.link.Tun tun)) {
                    throw new KernelException(Errno.ENOENT);
                }
                yield "0x" + Integer.toHexString(tun.tunFlags());
            }
            case "owner", "group" -> {
                if (!(d instanceof dev.ipsim.kernel.link.Tun tun)) {
                    throw new KernelException(Errno.ENOENT);
                }
                yield Long.toString(name.equals("owner") ? tun.owner() : tun.ownerGroup());
            }
            case "addr_assign_type" -> Integer.toString(d.addressAssignType());
            case "mtu" -> Integer.toString(d.mtu());
            case "type" -> Integer.toString(d.hardwareType());
            case "tx_queue_len" -> Integer.toUnsignedString(d.txQueueLength());
            case "flags" -> VirtualFs.hex(VirtualFs.displayFlags(d));
            case "operstate" -> d.operState().name().toLowerCase(Locale.ROOT);
            case "carrier" -> {
                requireRunning(d);
                yield d.hasCarrier() ? "1" : "0";
            }
            case "dormant" -> {
                requireRunning(d);
                yield d.isDormant() ? "1" : "0";
            }
            case "testing" -> {
                requireRunning(d);
                yield "0";
            }
            case "speed" -> {
                requireRunning(d);
                yield Integer.toString(ethtoolSpeed(d));
            }
            case "duplex" -> {
                requireRunning(d);
                ethtoolSpeed(d);
                yield "full";
            }
            case "carrier_changes" -> Integer.toString(d.carrierChanges());
            case "carrier_up_count" -> Integer.toString(d.carrierUpCount());
            case "carrier_down_count" -> Integer.toString(d.carrierDownCount());
            case "dev_id" -> "0x0";
            case "dev_port", "proto_down", "threaded" -> "0";
            case "netdev_group" -> Integer.toString(d.group());
            case "gro_flush_timeout" -> Long.toUnsignedString(d.groFlushTimeout());
            case "napi_defer_hard_irqs" -> Integer.toString(d.napiDeferHardIrqs());
            case "ifalias" -> {
                // ifalias_show prints nothing at all for a device without an alias
                if (d.alias() == null || d.alias().isEmpty()) {
                    yield null;
                }
                yield d.alias();
            }
            case "link_mode" -> Integer.toString(d.linkMode().ordinal());
            case "name_assign_type" -> Integer.toString(d.nameAssignType());
            case "uevent" -> "INTERFACE=" + d.name() + "\nIFINDEX=" + d.ifindex();
            default -> throw new KernelException(Errno.ENOENT);
        };
        return v == null ? "" : v + "\n";
    }

    /** The attributes that read only while the device is up ({@code netif_running}). */
    private static void requireRunning(NetDevice d) {
        if (!d.isUp()) {
            throw new KernelException(Errno.EINVAL);
        }
    }

    /**
     * {@code __ethtool_get_link_ksettings}: veth answers 10 Gb/s full duplex (also while its peer
     * is down); loopback and dummy have no {@code get_link_ksettings} and refuse.
     */
    private static int ethtoolSpeed(NetDevice d) {
        Integer speed = d.ethtoolSpeed();
        if (speed == null) {
            throw new KernelException(Errno.EINVAL);
        }
        return speed;
    }

    /** A file of {@code power}: a net device has no runtime power management. */
    static String readPower(String name) {
        return switch (name) {
            case "autosuspend_delay_ms" -> throw new KernelException(Errno.EIO);
            case "control" -> "auto\n";
            case "runtime_status" -> "unsupported\n";
            default -> "0\n";
        };
    }

    /** A file of {@code queues/rx-N} or {@code queues/tx-N}: no CPU maps, limits or timeouts set. */
    static String readQueue(String name) {
        return "0\n";
    }

    /** A counter of {@code statistics}. */
    static String readStatistic(NetDevice d, String name) {
        LinkStats s = d.stats();
        long v = switch (name) {
            case "collisions" -> s.collisions();
            case "multicast" -> s.multicast;
            case "rx_bytes" -> s.rxBytes;
            case "rx_compressed" -> s.rxCompressed();
            case "rx_crc_errors" -> s.rxCrcErrors();
            case "rx_dropped" -> s.rxDropped;
            case "rx_errors" -> s.rxErrors();
            case "rx_fifo_errors" -> s.rxFifoErrors();
            case "rx_frame_errors" -> s.rxFrameErrors();
            case "rx_length_errors" -> s.rxLengthErrors();
            case "rx_missed_errors" -> s.rxMissedErrors();
            case "rx_nohandler" -> s.rxNohandler();
            case "rx_over_errors" -> s.rxOverErrors();
            case "rx_packets" -> s.rxPackets;
            case "tx_aborted_errors" -> s.txAbortedErrors();
            case "tx_bytes" -> s.txBytes;
            case "tx_carrier_errors" -> s.txCarrierErrors();
            case "tx_compressed" -> s.txCompressed();
            case "tx_dropped" -> s.txDropped;
            case "tx_errors" -> s.txErrors();
            case "tx_fifo_errors" -> s.txFifoErrors();
            case "tx_heartbeat_errors" -> s.txHeartbeatErrors();
            case "tx_packets" -> s.txPackets;
            case "tx_window_errors" -> s.txWindowErrors();
            default -> throw new KernelException(Errno.ENOENT);
        };
        return Long.toUnsignedString(v) + "\n";
    }

    /**
     * A write to a writable attribute, as its {@code _store} method takes it: most go through
     * {@code netdev_store} ({@code kstrtoul(buf, 0)}, then the change), with the casts and range
     * checks of each {@code change_*} function.
     */
    static void write(NetDevice d, String name, String data) {
        LinkSpec spec = new LinkSpec();
        switch (name) {
            // dev_set_mtu((int) new_mtu): the range check sees the truncated value
            case "mtu" -> spec.mtu = (int) parseUnsigned(data);
            case "tx_queue_len" -> {
                long v = parseUnsigned(data);
                if (v != (v & 0xFFFF_FFFFL)) {
                    throw new KernelException(Errno.ERANGE);
                }
                spec.txQueueLength = (int) v;
            }
            case "netdev_group" -> spec.group = (int) parseUnsigned(data);
            case "ifalias" -> {
                // not netdev_store: the text as written, one trailing newline dropped; dev_set_alias
                String alias = data.endsWith("\n") ? data.substring(0, data.length() - 1) : data;
                if (alias.getBytes(StandardCharsets.UTF_8).length >= 256) {
                    throw new KernelException(Errno.EINVAL);
                }
                spec.alias = alias;
            }
            // change_flags: dev_change_flags(dev, (unsigned int) new_flags)
            case "flags" -> changeFlags((int) parseUnsigned(data), spec);
            case "gro_flush_timeout" -> {
                d.setGroFlushTimeout(parseUnsigned(data));
                return;
            }
            case "napi_defer_hard_irqs" -> {
                long v = parseUnsigned(data);
                if (Long.compareUnsigned(v, Integer.MAX_VALUE) > 0) {
                    throw new KernelException(Errno.ERANGE);
                }
                d.setNapiDeferHardIrqs((int) v);
                return;
            }
            case "carrier" -> {
                // carrier_store refuses before parsing when the driver has no ndo_change_carrier
                if (!d.supportsCarrierChange()) {
                    throw new KernelException(Errno.ENOTSUP);
                }
                spec.carrier = parseUnsigned(data) != 0;
            }
            // no simulated driver has ndo_change_proto_down or NAPI instances: parsed, then refused
            case "proto_down", "threaded" -> {
                parseUnsigned(data);
                throw new KernelException(Errno.ENOTSUP);
            }
            default -> throw new KernelException(Errno.EINVAL);
        }
        d.namespace().setLink(d, spec);
    }

    /** {@code change_flags}: the new flags as {@code dev_change_flags} takes them. */
    private static void changeFlags(int flags, LinkSpec spec) {
        spec.up = (flags & DeviceFlags.UP) != 0;
        spec.noarp = (flags & DeviceFlags.NOARP) != 0;
        spec.multicast = (flags & DeviceFlags.MULTICAST) != 0;
        spec.dynamic = (flags & DeviceFlags.DYNAMIC) != 0;
        spec.promisc = (flags & DeviceFlags.PROMISC) != 0;
        spec.allmulti = (flags & DeviceFlags.ALLMULTI) != 0;
    }

    /**
     * {@code kstrtoul(buf, 0, &v)} on a 64-bit kernel: an optional {@code +}, then {@code 0x} hex,
     * {@code 0} octal or decimal digits, one trailing newline, nothing else ({@code EINVAL});
     * more than 64 bits is {@code ERANGE}. The value is unsigned.
     */
    static long parseUnsigned(String data) {
        String t = data.startsWith("+") ? data.substring(1) : data;
        int radix = 10;
        int i = 0;
        if (t.length() > 2 && t.charAt(0) == '0' && (t.charAt(1) == 'x' || t.charAt(1) == 'X')
                && Character.digit(t.charAt(2), 16) >= 0) {
            radix = 16;
            i = 2;
        } else if (t.startsWith("0")) {
            radix = 8;
        }
        long v = 0;
        int start = i;
        boolean overflow = false;
        for (; i < t.length(); i++) {
            int digit = t.charAt(i) < 128 ? Character.digit(t.charAt(i), radix) : -1;
            if (digit < 0) {
                break;
            }
            if (Long.compareUnsigned(v, Long.divideUnsigned(-1L - digit, radix)) > 0) {
                overflow = true;
            }
            v = v * radix + digit;
        }
        if (i == start) {
            throw new KernelException(Errno.EINVAL);
        }
        if (overflow) {
            throw new KernelException(Errno.ERANGE);
        }
        if (i < t.length() && t.charAt(i) == '\n') {
            i++;
        }
        if (i != t.length()) {
            throw new KernelException(Errno.EINVAL);
        }
        return v;
    }
}
