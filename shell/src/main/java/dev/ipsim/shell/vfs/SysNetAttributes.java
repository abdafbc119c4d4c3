package dev.ipsim.shell.vfs;

import dev.ipsim.kernel.Errno;
import dev.ipsim.kernel.KernelException;
import dev.ipsim.kernel.link.DeviceFlags;
import dev.ipsim.kernel.link.LinkSpec;
import dev.ipsim.kernel.link.LinkStats;
import dev.ipsim.kernel.link.NetDevice;
import dev.ipsim.kernel.link.Veth;
import java.util.List;
import java.util.Locale;

/**
 * The entries of {@code /sys/class/net/DEV} ({@code net/core/net-sysfs.c}) with the kernel's
 * formats and errors: the attribute files, and the {@code statistics} directory.
 */
final class SysNetAttributes {

    /** What {@code ls} shows in a device's directory, in its order. */
    static final List<String> NAMES = List.of("addr_assign_type", "addr_len", "address", "broadcast", "carrier",
            "carrier_changes", "carrier_down_count", "carrier_up_count", "dev_id", "dev_port", "dormant", "duplex",
            "flags", "gro_flush_timeout", "ifalias", "ifindex", "iflink", "link_mode", "mtu", "name_assign_type",
            "napi_defer_hard_irqs", "netdev_group", "operstate", "power", "proto_down", "queues", "speed",
            "statistics", "subsystem", "testing", "threaded", "tx_queue_len", "type", "uevent");

    /** The sub-directories among {@link #NAMES}. */
    static final List<String> DIRECTORIES = List.of("power", "queues", "statistics", "subsystem");

    /** The files of {@code statistics/} ({@code netstat_attrs}), in {@code ls} order. */
    static final List<String> STATISTICS = List.of("collisions", "multicast", "rx_bytes", "rx_compressed",
            "rx_crc_errors", "rx_dropped", "rx_errors", "rx_fifo_errors", "rx_frame_errors", "rx_length_errors",
            "rx_missed_errors", "rx_nohandler", "rx_over_errors", "rx_packets", "tx_aborted_errors", "tx_bytes",
            "tx_carrier_errors", "tx_compressed", "tx_dropped", "tx_errors", "tx_fifo_errors",
            "tx_heartbeat_errors", "tx_packets", "tx_window_errors");

    private SysNetAttributes() {
    }

    static boolean writable(String name) {
        return switch (name) {
            case "mtu", "tx_queue_len", "ifalias", "flags", "netdev_group", "carrier", "proto_down",
                    "gro_flush_timeout", "napi_defer_hard_irqs", "threaded" -> true;
            default -> false;
        };
    }

    /** The file's contents. */
    static String read(NetDevice d, String name) {
        String v = switch (name) {
            case "ifindex" -> Integer.toString(d.ifindex());
            case "iflink" -> Integer.toString(d.iflink());
            case "address" -> d.address().toString();
            case "broadcast" -> d.broadcast().toString();
            case "addr_len" -> "6";
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
            case "dev_port" -> "0";
            case "netdev_group" -> Integer.toString(d.group());
            case "gro_flush_timeout", "napi_defer_hard_irqs", "proto_down", "threaded" -> "0";
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

    /** {@code statistics/NAME}. */
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

    /** The attributes that read only while the device is up ({@code netif_running}). */
    private static void requireRunning(NetDevice d) {
        if (!d.isUp()) {
            throw new KernelException(Errno.EINVAL);
        }
    }

    /** {@code __ethtool_get_link_ksettings}: veth answers 10 Gb/s; devices without ethtool ops refuse. */
    private static int ethtoolSpeed(NetDevice d) {
        if (d instanceof Veth) {
            return 10000;
        }
        throw new KernelException(Errno.EINVAL);
    }

    /** A write, parsed as the kernel's {@code netdev_store} parses it ({@code kstrtoul}, base 0). */
    static void write(NetDevice d, String name, String data) {
        LinkSpec spec = new LinkSpec();
        switch (name) {
            case "mtu" -> spec.mtu = (int) parseUnsigned(data);
            case "tx_queue_len" -> spec.txQueueLength = (int) parseUnsigned(data);
            case "netdev_group" -> spec.group = (int) parseUnsigned(data);
            case "ifalias" -> spec.alias = data.endsWith("\n") ? data.substring(0, data.length() - 1) : data;
            case "flags" -> changeFlags(d, parseUnsigned(data), spec);
            case "gro_flush_timeout", "napi_defer_hard_irqs" -> {
                parseUnsigned(data);
                return;
            }
            // dev_change_carrier; no simulated driver has ndo_change_proto_down or NAPI threads
            case "carrier" -> spec.carrier = parseUnsigned(data) != 0;
            case "proto_down", "threaded" -> {
                parseUnsigned(data);
                throw new KernelException(Errno.ENOTSUP);
            }
            default -> throw new KernelException(Errno.EINVAL);
        }
        d.namespace().setLink(d, spec);
    }

    /** {@code change_flags}: the new flags as {@code dev_change_flags} takes them. */
    private static void changeFlags(NetDevice d, long flags, LinkSpec spec) {
        int f = (int) flags;
        spec.up = (f & DeviceFlags.UP) != 0;
        spec.noarp = (f & DeviceFlags.NOARP) != 0;
        spec.multicast = (f & DeviceFlags.MULTICAST) != 0;
        spec.dynamic = (f & DeviceFlags.DYNAMIC) != 0;
        spec.promisc = (f & DeviceFlags.PROMISC) != 0;
        spec.allmulti = (f & DeviceFlags.ALLMULTI) != 0;
    }

    /** {@code kstrtoul(buf, 0)}: a C number, a final newline allowed, nothing else. */
    private static long parseUnsigned(String data) {
        String t = data.endsWith("\n") ? data.substring(0, data.length() - 1) : data;
        try {
            long v;
            if (t.startsWith("0x") || t.startsWith("0X")) {
                v = Long.parseLong(t.substring(2), 16);
            } else if (t.length() > 1 && t.startsWith("0")) {
                v = Long.parseLong(t.substring(1), 8);
            } else {
                v = Long.parseLong(t);
            }
            if (v < 0 || t.startsWith("+") || t.startsWith("-")) {
                throw new KernelException(Errno.EINVAL);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new KernelException(Errno.EINVAL);
        }
    }
}
