package dev.ipsim.commands.ip;

import dev.ipsim.commands.Command;
import dev.ipsim.commands.Invocation;
import dev.ipsim.kernel.NetNamespace;
import dev.ipsim.kernel.ipv4.AddressFlags;
import dev.ipsim.kernel.link.DeviceFlags;
import dev.ipsim.kernel.link.NetDevice;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * BusyBox's {@code ip} applet, the {@code ip} of containers built on BusyBox: its listing of
 * links and addresses ({@code print_linkinfo}, {@code print_addrinfo} and
 * {@code ipaddr_list_or_flush} in {@code networking/libiproute/ipaddress.c}), which prints
 * what iproute2 printed before 3.x: no mode, group or link-netnsid; {@code @ifN} and
 * {@code M-DOWN} when the peer's index names no device in this namespace ({@code ll_map.c}
 * knows only the namespace's own links), {@code qlen} only when nonzero. Changes (add, set,
 * delete) send the kernel the same requests as iproute2's, so they run through {@link Ip}.
 *
 * <p>Heads up: whether a build prints {@code state} depends on its C library, not on BusyBox:
 * the operstate is printed under {@code #ifdef IFF_DORMANT}, which musl's and uClibc's
 * {@code <net/if.h>} define and glibc's does not (Debian's {@code busybox} prints none, as
 * recorded in {@code busybox-ip-link}).
 */
public final class BusyBoxIp implements Command {

    private static final int[] FLAG_MASKS = {DeviceFlags.LOOPBACK, DeviceFlags.BROADCAST, DeviceFlags.POINTOPOINT,
        DeviceFlags.MULTICAST, DeviceFlags.NOARP, DeviceFlags.UP, DeviceFlags.LOWER_UP};
    private static final String[] FLAG_LABELS = {"LOOPBACK", "BROADCAST", "POINTOPOINT", "MULTICAST", "NOARP", "UP",
        "LOWER_UP"};
    private static final String[] OPER_STATES = {"UNKNOWN", "NOTPRESENT", "DOWN", "LOWERLAYERDOWN", "TESTING",
        "DORMANT", "UP"};
    /** {@code ifa_flags} is eight bits; the rest travel in {@code IFA_FLAGS}, which BusyBox ignores. */
    private static final int IFA_F_SECONDARY = 0x01;
    private static final int IFA_F_DADFAILED = 0x08;
    private static final int IFA_F_DEPRECATED = 0x20;
    private static final int IFA_F_TENTATIVE = 0x40;
    private static final int IFA_F_PERMANENT = 0x80;

    private final boolean printsOperstate;

    /** @param printsOperstate whether the build's C library defines {@code IFF_DORMANT} (musl, uClibc) */
    public BusyBoxIp(boolean printsOperstate) {
        this.printsOperstate = printsOperstate;
    }

    @Override
    public int run(Invocation inv) {
        List<String> args = new ArrayList<>(inv.args());
        boolean oneline = false;
        int family = IpOptions.AF_UNSPEC;
        // ip_parse_common_args: options before the object
        while (!args.isEmpty() && args.get(0).startsWith("-") && args.get(0).length() > 1) {
            String opt = args.remove(0);
            switch (opt) {
                case "-o", "-oneline" -> oneline = true;
                case "-4" -> family = IpOptions.AF_INET;
                case "-6" -> family = IpOptions.AF_INET6;
                case "-0" -> family = IpOptions.AF_PACKET;
                default -> {
                    return new Ip().run(inv); // other options: the same requests as iproute2's
                }
            }
        }
        if (args.isEmpty()) {
            return new Ip().run(inv);
        }
        String object = args.remove(0);
        String verb = args.isEmpty() ? "show" : args.get(0);
        boolean listing = prefixOf(verb, "show") || prefixOf(verb, "list") || prefixOf(verb, "lst");
        if (prefixOf(object, "link") && listing) {
            return list(inv, args.isEmpty() ? args : args.subList(1, args.size()), IpOptions.AF_PACKET, oneline);
        }
        if (prefixOf(object, "address") && listing) {
            return list(inv, args.isEmpty() ? args : args.subList(1, args.size()), family, oneline);
        }
        return new Ip().run(inv);
    }

    private static boolean prefixOf(String word, String keyword) {
        return !word.isEmpty() && keyword.startsWith(word);
    }

    /** {@code ipaddr_list_or_flush} without flush: every link of the namespace, then its addresses. */
    private int list(Invocation inv, List<String> argv, int family, boolean oneline) {
        PrintStream out = inv.out();
        NetNamespace ns = inv.context().netns();
        IpSession session = IpSession.of(inv, new IpOptions(), ns);
        Names names = session.names();
        boolean up = false;
        String label = null;
        String filterDev = null;
        for (int i = 0; i < argv.size(); i++) {
            String a = argv.get(i);
            if (a.equals("up")) {
                up = true;
            } else if (a.equals("label") && i + 1 < argv.size()) {
                label = argv.get(++i);
            } else {
                if (a.equals("dev") && i + 1 < argv.size()) {
                    a = argv.get(++i);
                }
                filterDev = a;
            }
        }
        int ifindex = 0;
        if (filterDev != null) {
            NetDevice d = ns.device(filterDev);
            if (d == null) {
                out.flush();
                inv.err().print("ip: can't find device '" + filterDev + "'\n");
                return 2;
            }
            ifindex = d.ifindex();
        }
        long now = ns.kernel().clock().seconds();
        char sl = oneline ? '\\' : '\n';
        for (NetDevice dev : ns.devices()) {
            List<AddressView> addrs = IpAddress.addresses(dev, now);
            if (family != IpOptions.AF_UNSPEC && family != IpOptions.AF_PACKET) {
                boolean any = false;
                for (AddressView a : addrs) {
                    any |= a.family() == family;
                }
                if (!any) {
                    continue;
                }
            }
            if (!(oneline && family != IpOptions.AF_PACKET)) {
                linkInfo(out, ns, dev, ifindex, up, label, family, sl);
            }
            if (family != IpOptions.AF_PACKET) {
                for (AddressView a : addrs) {
                    if (family != IpOptions.AF_UNSPEC && a.family() != family) {
                        continue;
                    }
                    addrInfo(out, names, a, ifindex, label, oneline, sl);
                }
            }
        }
        return 0;
    }

    /** {@code print_linkinfo}. */
    private void linkInfo(PrintStream out, NetNamespace ns, NetDevice dev, int ifindex, boolean up, String label,
                          int family, char sl) {
        if (ifindex != 0 && dev.ifindex() != ifindex || up && (dev.flags() & DeviceFlags.UP) == 0) {
            return;
        }
        if (label != null && (family == IpOptions.AF_UNSPEC || family == IpOptions.AF_PACKET)
                && !Glob.matches(label, dev.name())) {
            return;
        }
        StringBuilder b = new StringBuilder();
        b.append(dev.ifindex()).append(": ").append(dev.name());
        boolean mdown = false;
        NetDevice link = dev.linkDevice();
        // the kernel sends IFLA_LINK when iflink is not the device's own index, and always
        // beside a link netnsid
        if (dev.iflink() != dev.ifindex() || link != null && link.namespace() != dev.namespace()) {
            int iflink = dev.iflink();
            if (iflink == 0) {
                b.append("@NONE: ");
            } else {
                // ll_map.c remembers the links of this namespace's dump only
                NetDevice byIndex = ns.deviceByIndex(iflink);
                b.append('@').append(byIndex != null ? byIndex.name() : "if" + iflink).append(": ");
                mdown = byIndex == null || (byIndex.flags() & DeviceFlags.UP) == 0;
            }
        } else {
            b.append(": ");
        }
        flags(b, dev.flags(), mdown);
        b.append("mtu ").append(dev.mtu()).append(' ');
        b.append("qdisc ").append(dev.qdisc()).append(' ');
        if (dev.master() != null) {
            b.append("master ").append(dev.master().name()).append(' ');
        }
        if (printsOperstate) {
            b.append("state ").append(OPER_STATES[dev.operState().ordinal()]).append(' ');
        }
        if (dev.txQueueLength() != 0) {
            b.append("qlen ").append(dev.txQueueLength()); // print_queuelen: SIOCGIFTXQLEN
        }
        if (family == IpOptions.AF_UNSPEC || family == IpOptions.AF_PACKET) {
            b.append(sl).append("    link/").append(new Names(false).linkType(dev.hardwareType())).append(' ');
            b.append(dev.address());
            b.append((dev.flags() & DeviceFlags.POINTOPOINT) != 0 ? " peer " : " brd ");
            b.append(dev.broadcast());
        }
        b.append('\n');
        out.print(b);
    }

    /** {@code print_link_flags}: seven names, the rest in hex, {@code M-DOWN} last. */
    private static void flags(StringBuilder b, int flags, boolean mdown) {
        b.append('<');
        if ((flags & DeviceFlags.UP) != 0 && (flags & DeviceFlags.RUNNING) == 0) {
            b.append("NO-CARRIER,");
        }
        flags &= ~DeviceFlags.RUNNING;
        // print_flags_separated
        boolean separator = false;
        for (int i = 0; i < FLAG_MASKS.length; i++) {
            if ((flags & FLAG_MASKS[i]) != 0) {
                b.append(separator ? "," : "").append(FLAG_LABELS[i]);
                separator = true;
                flags &= ~FLAG_MASKS[i];
            }
        }
        if (flags != 0) {
            b.append(Integer.toHexString(flags));
        }
        if (mdown) {
            b.append(",M-DOWN");
        }
        b.append("> ");
    }

    /** {@code print_addrinfo}. */
    private static void addrInfo(PrintStream out, Names names, AddressView a, int ifindex, String label,
                                 boolean oneline, char sl) {
        if (ifindex != 0 && a.device().ifindex() != ifindex) {
            return;
        }
        if (label != null && !Glob.matches(label, a.label() != null ? a.label() : a.device().name())) {
            return;
        }
        StringBuilder b = new StringBuilder();
        if (oneline) {
            b.append(a.device().ifindex()).append(": ").append(a.device().name());
        }
        b.append(a.family() == IpOptions.AF_INET ? "    inet " : "    inet6 ");
        b.append(a.local());
        if (a.address() == null || a.address().equals(a.local())) {
            b.append('/').append(a.prefixLength()).append(' ');
        } else {
            b.append(" peer ").append(a.address()).append('/').append(a.prefixLength()).append(' ');
        }
        if (a.broadcast() != null) {
            b.append("brd ").append(a.broadcast()).append(' ');
        }
        if (a.anycast() != null) {
            b.append("any ").append(a.anycast()).append(' ');
        }
        b.append("scope ").append(names.scope(a.scope())).append(' ');
        int flags = a.flags() & 0xFF;
        if ((flags & IFA_F_SECONDARY) != 0) {
            flags &= ~IFA_F_SECONDARY;
            b.append("secondary ");
        }
        if ((flags & IFA_F_TENTATIVE) != 0) {
            flags &= ~IFA_F_TENTATIVE;
            b.append("tentative ");
        }
        if ((flags & IFA_F_DADFAILED) != 0) {
            flags &= ~IFA_F_DADFAILED;
            b.append("dadfailed ");
        }
        if ((flags & IFA_F_DEPRECATED) != 0) {
            flags &= ~IFA_F_DEPRECATED;
            b.append("deprecated ");
        }
        if ((flags & IFA_F_PERMANENT) == 0) {
            b.append("dynamic ");
        } else {
            flags &= ~IFA_F_PERMANENT;
        }
        if (flags != 0) {
            b.append(String.format("flags %02x ", flags));
        }
        if (a.label() != null) {
            b.append(a.label());
        }
        b.append(sl);
        b.append("       valid_lft ").append(lifetime(a.valid()))
                .append(" preferred_lft ").append(lifetime(a.preferred()));
        b.append('\n');
        out.print(b);
    }

    private static String lifetime(long seconds) {
        return seconds == AddressFlags.INFINITY_LIFE_TIME ? "forever" : (int) seconds + "sec";
    }
}
