package dev.ipsim.shell.vfs;

import dev.ipsim.kernel.Errno;
import dev.ipsim.kernel.KernelException;
import dev.ipsim.kernel.link.LinkSpec;
import dev.ipsim.kernel.link.NetDevice;
import java.util.List;
import java.util.Locale;

/**
 * The attribute files of {@code /sys/class/net/DEV} ({@code net/core/net-sysfs.c}) that the
 * model can answer, with the kernel's formats and errors.
 */
final class SysNetAttributes {

    /** The files, in the order {@code ls} prints them. */
    static final List<String> NAMES = List.of("addr_assign_type", "addr_len", "address", "broadcast", "carrier",
            "carrier_changes", "carrier_down_count", "carrier_up_count", "dev_id", "dev_port", "dormant", "flags",
            "group", "ifalias", "ifindex", "iflink", "link_mode", "mtu", "name_assign_type", "netdev_group",
            "operstate", "proto_down", "tx_queue_len", "type");

    private SysNetAttributes() {
    }

    static boolean writable(String name) {
        return switch (name) {
            case "mtu", "tx_queue_len", "ifalias", "flags", "group", "netdev_group", "carrier", "proto_down" -> true;
            default -> false;
        };
    }

    /** The file's contents, newline included. */
    static String read(NetDevice d, String name) {
        String v = switch (name) {
            case "ifindex" -> Integer.toString(d.ifindex());
            case "iflink" -> Integer.toString(d.iflink());
            case "address" -> d.address().toString();
            case "broadcast" -> d.broadcast().toString();
            case "addr_len" -> "6";
            case "addr_assign_type" -> d.kind() != null && !d.isLoopback() ? "1" : "0";
            case "mtu" -> Integer.toString(d.mtu());
            case "type" -> Integer.toString(d.hardwareType());
            case "tx_queue_len" -> Integer.toUnsignedString(d.txQueueLength());
            case "flags" -> VirtualFs.hex(VirtualFs.displayFlags(d));
            case "operstate" -> d.operState().name().toLowerCase(Locale.ROOT);
            case "carrier" -> {
                if (!d.isUp()) {
                    throw new KernelException(Errno.EINVAL);
                }
                yield d.hasCarrier() ? "1" : "0";
            }
            case "dormant" -> {
                if (!d.isUp()) {
                    throw new KernelException(Errno.EINVAL);
                }
                yield d.isDormant() ? "1" : "0";
            }
            case "carrier_changes" -> Integer.toString(d.carrierChanges());
            case "carrier_up_count" -> Integer.toString(d.carrierUpCount());
            case "carrier_down_count" -> Integer.toString(d.carrierDownCount());
            case "dev_id" -> "0x0";
            case "dev_port" -> "0";
            case "group", "netdev_group" -> Integer.toString(d.group());
            case "ifalias" -> d.alias() == null ? "" : d.alias();
            case "link_mode" -> Integer.toString(d.linkMode().ordinal());
            case "name_assign_type" -> {
                if (d.isLoopback()) {
                    throw new KernelException(Errno.EINVAL);
                }
                yield "3";
            }
            case "proto_down" -> "0";
            default -> throw new KernelException(Errno.ENOENT);
        };
        return v + "\n";
    }

    /** A write to a writable attribute, parsed as the kernel's {@code netdev_store} parses it. */
    static void write(NetDevice d, String name, String data) {
        String t = data.strip();
        LinkSpec spec = new LinkSpec();
        switch (name) {
            case "mtu" -> spec.mtu = parseUnsigned(t);
            case "tx_queue_len" -> spec.txQueueLength = parseUnsigned(t);
            case "group", "netdev_group" -> spec.group = parseUnsigned(t);
            case "ifalias" -> spec.alias = data.endsWith("\n") ? data.substring(0, data.length() - 1) : data;
            default -> throw new KernelException(Errno.EINVAL);
        }
        d.namespace().setLink(d, spec);
    }

    private static int parseUnsigned(String t) {
        try {
            long v = t.startsWith("0x") ? Long.parseLong(t.substring(2), 16) : Long.parseLong(t);
            if (v < 0 || v > 0xFFFF_FFFFL) {
                throw new KernelException(Errno.EINVAL);
            }
            return (int) v;
        } catch (NumberFormatException e) {
            throw new KernelException(Errno.EINVAL);
        }
    }
}
