package dev.ipsim.shell.vfs;

import dev.ipsim.kernel.Errno;
import dev.ipsim.kernel.KernelException;
import dev.ipsim.kernel.link.DeviceFlags;
import dev.ipsim.kernel.link.LinkSpec;
import dev.ipsim.kernel.link.LinkStats;
import dev.ipsim.kernel.link.NetDevice;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The directory {@code /sys/class/net/DEV} ({@code net/core/net-sysfs.c}): its files, with the
 * kernel's formats and errors, and its subdirectories ({@code power}, {@code queues},
 * {@code statistics}, {@code subsystem}), as recorded in {@code oracle/recorded/sysfs-*.out}.
 */
final class SysNetAttributes {

    /** The entries of the device directory, in the order {@code ls} prints them. */
    static final List<String> NAMES = List.of("addr_assign_type", "addr_len", "address", "broadcast", "carrier",
            "carrier_changes", "carrier_down_count", "carrier_up_count", "dev_id", "dev_port", "dormant", "duplex",
            "flags", "gro_flush_timeout", "ifalias", "ifindex", "iflink", "link_mode", "mtu", "name_assign_type",
            "napi_defer_hard_irqs", "netdev_group", "operstate", "power", "proto_down", "queues", "speed",
            "statistics", "subsystem", "testing", "threaded", "tx_queue_len", "type", "uevent");

    /** The entries that are directories. */
    static final List<String> DIRECTORIES = List.of("power", "queues", "statistics", "subsystem");

    static final List<String> POWER = List.of("autosuspend_delay_ms", "control", "runtime_active_time",
            "runtime_status", "runtime_suspended_time");
    static final List<String> RX_QUEUE = List.of("rps_cpus", "rps_flow_cnt");
    static final List<String> TX_QUEUE = List.of("traffic_class", "tx_maxrate", "tx_timeout", "xps_cpus",
            "xps_rxqs");
    static final List<String> STATISTICS = List.of("collisions", "multicast", "rx_bytes", "rx_compressed",
            "rx_crc_errors", "rx_dropped", "rx_errors", "rx_fifo_errors", "rx_frame_errors", "rx_length_errors",
            "rx_missed_errors", "rx_nohandler", "rx_over_errors", "rx_packets", "tx_aborted_errors", "tx_bytes",
            "tx_carrier_errors", "tx_compressed", "tx_dropped", "tx_errors", "tx_fifo_errors",
            "tx_heartbeat_errors", "tx_packets", "tx_window_errors");

    /** Values the kernel only stores for the user ({@code gro_flush_timeout}, {@code napi_defer_hard_irqs}). */
    private final Map<NetDevice, Map<String, String>> stored = new HashMap<>();

    /** Whether opening the file for writing succeeds (it has a {@code store} method). */
    static boolean writable(String name) {
        return switch (name) {
            case "mtu", "tx_queue_len", "ifalias", "flags", "netdev_group", "carrier", "proto_down", "threaded",
                 "gro_flush_timeout", "napi_defer_hard_irqs" -> true;
            default -> false;
        };
    }

    /**
     * The names in {@code queues}: one per <em>real</em> queue, which is one each for loopback
     * and veth (a veth has {@code numtxqueues 2} but {@code real_num_tx_queues} 1).
     */
    static List<String> queues(NetDevice d) {
        return List.of("rx-0", "tx-0");
    }

    /** The file's contents, newline included. */
    String read(NetDevice d, String name) {
        String v = switch (name) {
            case "ifindex" -> Integer.toString(d.ifindex());
            case "iflink" -> Integer.toString(d.iflink());
            case "address" -> d.address().toString();
            case "broadcast" -> d.broadcast().toString();
            case "addr_len" -> "6";
            case "addr_assign_type" -> d.isLoopback() ? "0" : "1";
            case "mtu" -> Integer.toString(d.mtu());
            case "type" -> Integer.toString(d.hardwareType());
            case "tx_queue_len" -> Integer.toUnsignedString(d.txQueueLength());
            case "flags" -> VirtualFs.hex(VirtualFs.displayFlags(d));
            case "operstate" -> d.operState().name().toLowerCase(Locale.ROOT);
            case "carrier" -> {
                requireUp(d);
                yield d.hasCarrier() ? "1" : "0";
            }
            case "dormant" -> {
                requireUp(d);
                yield d.isDormant() ? "1" : "0";
            }
            case "testing" -> {
                requireUp(d);
                yield "0";
            }
            case "duplex" -> {
                // ethtool link settings: veth reports 10000/full while up; loopback has none
                if (d.isLoopback() || !d.isOperational()) {
                    throw new KernelException(Errno.EINVAL);
                }
                yield "full";
            }
            case "speed" -> {
                if (d.isLoopback() || !d.isOperational()) {
                    throw new KernelException(Errno.EINVAL);
                }
                yield "10000";
            }
            case "carrier_changes" -> Integer.toString(d.carrierChanges());
            case "carrier_up_count" -> Integer.toString(d.carrierUpCount());
            case "carrier_down_count" -> Integer.toString(d.carrierDownCount());
            case "dev_id" -> "0x0";
            case "dev_port", "proto_down", "threaded" -> "0";
            case "gro_flush_timeout", "napi_defer_hard_irqs" -> stored.getOrDefault(d, Map.of()).getOrDefault(name,
                    "0");
            case "netdev_group" -> Integer.toString(d.group());
            case "ifalias" -> {
                if (d.alias() == null || d.alias().isEmpty()) {
                    yield null;
                }
                yield d.alias();
            }
            case "link_mode" -> Integer.toString(d.linkMode().ordinal());
            case "name_assign_type" -> d.isLoopback() ? "2" : "3";
            case "uevent" -> "INTERFACE=" + d.name() + "\nIFINDEX=" + d.ifindex();
            default -> throw new KernelException(Errno.ENOENT);
        };
        return v == null ? "" : v + "\n";
    }

    private static void requireUp(NetDevice d) {
        if (!d.isUp()) {
            throw new KernelException(Errno.EINVAL);
        }
    }

    /** A file of {@code power}. */
    static String readPower(String name) {
        return switch (name) {
            case "autosuspend_delay_ms" -> throw new KernelException(Errno.EIO);
            case "control" -> "auto\n";
            case "runtime_status" -> "unsupported\n";
            default -> "0\n";
        };
    }

    /** A counter of {@code statistics}. */
    static String readStatistic(NetDevice d, String name) {
        LinkStats s = d.stats();
        long v = switch (name) {
            case "collisions" -> s.collisions;
            case "multicast" -> s.multicast;
            case "rx_bytes" -> s.rxBytes;
            case "rx_compressed" -> s.rxCompressed;
            case "rx_crc_errors" -> s.rxCrcErrors;
            case "rx_dropped" -> s.rxDropped;
            case "rx_errors" -> s.rxErrors;
            case "rx_fifo_errors" -> s.rxFifoErrors;
            case "rx_frame_errors" -> s.rxFrameErrors;
            case "rx_length_errors" -> s.rxLengthErrors;
            case "rx_missed_errors" -> s.rxMissedErrors;
            case "rx_nohandler" -> s.rxNohandler;
            case "rx_over_errors" -> s.rxOverErrors;
            case "rx_packets" -> s.rxPackets;
            case "tx_aborted_errors" -> s.txAbortedErrors;
            case "tx_bytes" -> s.txBytes;
            case "tx_carrier_errors" -> s.txCarrierErrors;
            case "tx_compressed" -> s.txCompressed;
            case "tx_dropped" -> s.txDropped;
            case "tx_errors" -> s.txErrors;
            case "tx_fifo_errors" -> s.txFifoErrors;
            case "tx_heartbeat_errors" -> s.txHeartbeatErrors;
            case "tx_packets" -> s.txPackets;
            case "tx_window_errors" -> s.txWindowErrors;
            default -> throw new KernelException(Errno.ENOENT);
        };
        return Long.toUnsignedString(v) + "\n";
    }

    /** A write to a writable attribute, parsed as the kernel's {@code netdev_store} parses it. */
    void write(NetDevice d, String name, String data) {
        LinkSpec spec = new LinkSpec();
        switch (name) {
            case "mtu" -> spec.mtu = (int) parseUnsigned(data);
            case "tx_queue_len" -> spec.txQueueLength = (int) parseUnsigned(data);
            case "netdev_group" -> spec.group = (int) parseUnsigned(data);
            case "ifalias" -> {
                String alias = data.endsWith("\n") ? data.substring(0, data.length() - 1) : data;
                if (alias.length() >= 256) {
                    throw new KernelException(Errno.EINVAL);
                }
                spec.alias = alias;
            }
            case "flags" -> {
                int flags = (int) parseUnsigned(data);
                spec.up = (flags & DeviceFlags.UP) != 0;
                spec.noarp = (flags & DeviceFlags.NOARP) != 0;
                spec.promisc = (flags & DeviceFlags.PROMISC) != 0;
                spec.allmulti = (flags & DeviceFlags.ALLMULTI) != 0;
                spec.multicast = (flags & DeviceFlags.MULTICAST) != 0;
                spec.dynamic = (flags & DeviceFlags.DYNAMIC) != 0;
            }
            case "gro_flush_timeout", "napi_defer_hard_irqs" -> {
                long v = parseUnsigned(data);
                stored.computeIfAbsent(d, k -> new HashMap<>()).put(name, Long.toString(v));
                return;
            }
            // veth and loopback have no ndo_change_carrier, ndo_change_proto_down or NAPI threads
            default -> throw new KernelException(Errno.ENOTSUP);
        }
        d.namespace().setLink(d, spec);
    }

    /** {@code kstrtoul(buf, 0, ...)}: decimal, {@code 0x} hex or {@code 0} octal, one trailing newline. */
    static long parseUnsigned(String data) {
        String t = data.endsWith("\n") ? data.substring(0, data.length() - 1) : data;
        if (t.startsWith("+")) {
            t = t.substring(1);
        }
        try {
            long v;
            if (t.startsWith("0x") || t.startsWith("0X")) {
                v = Long.parseLong(t.substring(2), 16);
            } else if (t.length() > 1 && t.startsWith("0")) {
                v = Long.parseLong(t.substring(1), 8);
            } else {
                v = Long.parseLong(t);
            }
            if (v < 0 || v > 0xFFFF_FFFFL || t.isEmpty() || !Character.isLetterOrDigit(t.charAt(0))) {
                throw new KernelException(Errno.EINVAL);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new KernelException(Errno.EINVAL);
        }
    }
}
