package dev.ipsim.commands.nettools;

import dev.ipsim.commands.Exit;
import dev.ipsim.commands.Invocation;
import dev.ipsim.kernel.Errno;
import dev.ipsim.kernel.KernelException;
import dev.ipsim.kernel.NetNamespace;
import dev.ipsim.kernel.addr.Ipv4Address;
import dev.ipsim.kernel.addr.MacAddress;
import dev.ipsim.kernel.link.DeviceFlags;
import dev.ipsim.kernel.link.LinkSpec;
import dev.ipsim.kernel.link.NetDevice;
import java.io.PrintStream;
import java.util.List;

/**
 * {@code ifconfig IFACE ARGS...}: {@code ifconfig.c}'s argument loop, each word one ioctl on
 * the model ({@code SIOCSIFFLAGS} through {@code NetNamespace.setLink}, {@code SIOCSIFADDR},
 * {@code SIOCSIFNETMASK} and {@code SIOCSIFBRDADDR} through {@code Ipv4}'s
 * {@code devinet_ioctl} operations). The status is {@code goterr}: 1 for a failed ioctl, -1
 * (255) once a flag could not be read.
 */
final class IfconfigSet {

    private final Invocation inv;
    private final PrintStream err;
    private final NetNamespace ns;
    private final String name;
    private final List<String> args;
    private int goterr;

    IfconfigSet(Invocation inv, NetNamespace ns, String name, List<String> args) {
        this.inv = inv;
        this.err = inv.err();
        this.ns = ns;
        this.name = name;
        this.args = args;
    }

    int run() {
        int i = 0;
        boolean inet6 = false;
        if (args.get(0).equals("inet") || args.get(0).equals("inet6")) {
            inet6 = args.get(0).equals("inet6");
            i++;
        }
        Ipv4Address pendingMask = null;
        boolean didNetmask = false;
        while (i < args.size()) {
            String a = args.get(i);
            switch (a) {
                case "arp" -> flag(DeviceFlags.NOARP, false);
                case "-arp" -> flag(DeviceFlags.NOARP, true);
                case "promisc" -> flag(DeviceFlags.PROMISC, true);
                case "-promisc" -> flag(DeviceFlags.PROMISC, false);
                case "multicast" -> flag(DeviceFlags.MULTICAST, true);
                case "-multicast" -> flag(DeviceFlags.MULTICAST, false);
                case "allmulti" -> flag(DeviceFlags.ALLMULTI, true);
                case "-allmulti" -> flag(DeviceFlags.ALLMULTI, false);
                case "trailers" -> flag(DeviceFlags.NOTRAILERS, false);
                case "-trailers" -> flag(DeviceFlags.NOTRAILERS, true);
                case "dynamic" -> flag(DeviceFlags.DYNAMIC, true);
                case "-dynamic" -> flag(DeviceFlags.DYNAMIC, false);
                case "up" -> flag(DeviceFlags.UP | DeviceFlags.RUNNING, true);
                case "down" -> flag(DeviceFlags.UP, false);
                case "mtu" -> {
                    String v = operand(args, ++i);
                    LinkSpec spec = new LinkSpec();
                    spec.mtu = atoi(v);
                    ioctl("SIOCSIFMTU", () -> ns.setLink(device(), spec));
                }
                case "txqueuelen" -> {
                    String v = operand(args, ++i);
                    LinkSpec spec = new LinkSpec();
                    spec.txQueueLength = (int) strtoul(v);
                    ioctl("SIOCSIFTXQLEN", () -> ns.setLink(device(), spec));
                }
                case "netmask" -> {
                    String v = operand(args, ++i);
                    if (didNetmask) {
                        IfconfigCommand.usage(inv.out(), err, 3);
                    }
                    RouteCommand.Resolved r = RouteCommand.resolve(inv, v, false);
                    if (r == null) {
                        goterr = 1;
                        break;
                    }
                    didNetmask = true;
                    ioctl("SIOCSIFNETMASK", () -> ns.ipv4().ioctlSetNetmask(device(), name, r.address()));
                }
                case "broadcast" -> {
                    if (i + 1 < args.size()) {
                        String v = args.get(++i);
                        RouteCommand.Resolved r = RouteCommand.resolve(inv, v, false);
                        if (r == null) {
                            goterr = 1;
                            break;
                        }
                        ioctl("SIOCSIFBRDADDR", () -> ns.ipv4().ioctlSetBroadcast(device(), name, r.address()));
                    }
                    flag(DeviceFlags.BROADCAST, true);
                }
                case "hw" -> {
                    String type = operand(args, ++i);
                    if (!type.equals("ether")) {
                        IfconfigCommand.usage(inv.out(), err, 3);
                    }
                    String v = operand(args, ++i);
                    MacAddress mac = MacAddress.parse(v);
                    if (mac == null) {
                        err.print(v + ": invalid ether address.\n");
                        goterr = 1;
                        break;
                    }
                    LinkSpec spec = new LinkSpec();
                    spec.address = mac;
                    try {
                        ns.setLink(device(), spec);
                    } catch (KernelException e) {
                        err.print("SIOCSIFHWADDR: " + e.errno().text()
                                + (e.errno() == Errno.EBUSY ? " - you may need to down the interface" : "") + "\n");
                        goterr = 1;
                    }
                }
                case "add", "del" -> {
                    String v = operand(args, ++i);
                    if (v.indexOf(':') < 0) {
                        // IPv4 add/del make alias labels (get_nmbc_parent, set_ifstate)
                        err.print("ifconfig: `" + a + "' of an IPv4 address is not supported by this simulation\n");
                        throw new Exit(1);
                    }
                    inet6AddOrDelete(a.equals("add"), v);
                }
                case "tunnel", "dstaddr", "pointopoint", "pointtopoint", "-pointopoint",
                        "-pointtopoint", "-broadcast", "media", "port", "mem_start", "io_addr", "irq", "name",
                        "keepalive", "outfill" -> {
                    // not modelled: say so rather than pretend the ioctl happened
                    err.print("ifconfig: `" + a + "' is not supported by this simulation\n");
                    throw new Exit(1);
                }
                default -> {
                    if (inet6) {
                        if (parse6(a) == null) {
                            err.print(a + ": Resolver Error 0 (no error)\n");
                        } else {
                            err.print("Don't know how to set addresses for family 10.\n");
                            throw new Exit(1);
                        }
                        err.print("ifconfig: `--help' gives usage information.\n");
                        throw new Exit(1);
                    }
                    String host = a;
                    int slash = host.indexOf('/');
                    if (slash >= 0) {
                        Integer prefix = strtoulStrict(host.substring(slash + 1));
                        if (prefix == null) {
                            IfconfigCommand.usage(inv.out(), err, 3);
                        }
                        if (didNetmask) {
                            IfconfigCommand.usage(inv.out(), err, 3);
                        }
                        // htonl(~(0xffffffffU >> prefix)), the shift taken modulo 32 as x86 does
                        pendingMask = new Ipv4Address(~(0xFFFF_FFFF >>> (prefix & 31)));
                        host = host.substring(0, slash);
                    }
                    RouteCommand.Resolved r = RouteCommand.resolve(inv, host, false);
                    if (r == null) {
                        err.print("ifconfig: `--help' gives usage information.\n");
                        throw new Exit(1);
                    }
                    ioctl("SIOCSIFADDR", () -> ns.ipv4().ioctlSetAddress(device(), name, r.address()));
                    boolean bringUp = true;
                    if (name.indexOf(':') >= 0) {
                        bringUp = !name.endsWith("-") && !r.address().isUnspecified();
                    }
                    if (bringUp) {
                        flag(DeviceFlags.UP | DeviceFlags.RUNNING, true);
                    }
                }
            }
            i++;
        }
        if (pendingMask != null) {
            Ipv4Address mask = pendingMask;
            ioctl("SIOCSIFNETMASK", () -> ns.ipv4().ioctlSetNetmask(device(), name, mask));
        }
        return goterr & 0xFF;
    }

    /**
     * {@code add}/{@code del} of an IPv6 address: {@code SIOCSIFADDR}/{@code SIOCDIFADDR} on an
     * inet6 socket ({@code addrconf_add_ifaddr}: permanent, infinite lifetimes, a prefix route;
     * {@code addrconf_del_ifaddr}: the address with that prefix length). No prefix length is 128.
     */
    private void inet6AddOrDelete(boolean add, String text) {
        String host = text;
        long prefix = 128;
        int slash = text.indexOf('/');
        if (slash >= 0) {
            prefix = atol(text.substring(slash + 1));
            if (prefix < 0 || prefix > 128) {
                IfconfigCommand.usage(inv.out(), err, 3);
            }
            host = text.substring(0, slash);
        }
        dev.ipsim.kernel.addr.Ipv6Address address = parse6(host);
        if (address == null) {
            err.print(host + ": Resolver Error 0 (no error)\n");
            goterr = 1;
            return;
        }
        NetDevice dev;
        try {
            dev = device();
        } catch (KernelException e) {
            err.print("SIOGIFINDEX: " + e.errno().text() + "\n");
            goterr = 1;
            return;
        }
        int plen = (int) prefix;
        if (add) {
            var req = new dev.ipsim.kernel.ipv6.Ipv6.AddressRequest();
            req.local = address;
            req.prefixLength = plen;
            ioctl("SIOCSIFADDR", () -> ns.ipv6().newAddress(dev, req, false, true));
        } else {
            ioctl("SIOCDIFADDR", () -> ns.ipv6().deleteAddress(dev, address, plen));
        }
    }

    private static dev.ipsim.kernel.addr.Ipv6Address parse6(String text) {
        try {
            return dev.ipsim.kernel.addr.Ipv6Address.parse(text);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** {@code atol}. */
    private static long atol(String s) {
        int k = 0;
        boolean neg = false;
        if (k < s.length() && (s.charAt(k) == '-' || s.charAt(k) == '+')) {
            neg = s.charAt(k) == '-';
            k++;
        }
        long v = 0;
        while (k < s.length() && Character.isDigit(s.charAt(k)) && v < Integer.MAX_VALUE) {
            v = v * 10 + (s.charAt(k++) - '0');
        }
        return neg ? -v : v;
    }

    private String operand(List<String> a, int i) {
        if (i >= a.size()) {
            IfconfigCommand.usage(inv.out(), err, 3);
        }
        return a.get(i);
    }

    /** {@code dev_ioctl} strips an alias suffix: {@code eth0:1} is {@code eth0}. */
    private NetDevice device() {
        int colon = name.indexOf(':');
        NetDevice dev = ns.device(colon < 0 ? name : name.substring(0, colon));
        if (dev == null) {
            throw new KernelException(Errno.ENODEV);
        }
        return dev;
    }

    private void ioctl(String what, Runnable call) {
        try {
            call.run();
        } catch (KernelException e) {
            err.print(what + ": " + e.errno().text() + "\n");
            goterr |= 1;
        }
    }

    /**
     * {@code set_flag}/{@code clr_flag}: {@code SIOCGIFFLAGS}, then {@code SIOCSIFFLAGS} with the
     * bits changed; {@code dev_change_flags} takes UP, PROMISC and ALLMULTI as requests and
     * keeps of the rest only the bits a user may set.
     */
    private void flag(int bits, boolean set) {
        NetDevice dev;
        try {
            dev = device();
        } catch (KernelException e) {
            err.print(name + ": ERROR while getting interface flags: " + e.errno().text() + "\n");
            goterr |= -1;
            return;
        }
        if (name.indexOf(':') >= 0) {
            aliasFlags(dev, bits, set);
            return;
        }
        int before = dev.flags();
        int after = set ? before | bits : before & ~bits;
        LinkSpec spec = new LinkSpec();
        if (((before ^ after) & DeviceFlags.UP) != 0) {
            spec.up = (after & DeviceFlags.UP) != 0;
        }
        if (((before ^ after) & DeviceFlags.PROMISC) != 0) {
            spec.promisc = (after & DeviceFlags.PROMISC) != 0;
        }
        if (((before ^ after) & DeviceFlags.ALLMULTI) != 0) {
            spec.allmulti = (after & DeviceFlags.ALLMULTI) != 0;
        }
        if (((before ^ after) & DeviceFlags.NOARP) != 0) {
            spec.noarp = (after & DeviceFlags.NOARP) != 0;
        }
        if (((before ^ after) & DeviceFlags.MULTICAST) != 0) {
            spec.multicast = (after & DeviceFlags.MULTICAST) != 0;
        }
        if (((before ^ after) & DeviceFlags.DYNAMIC) != 0) {
            spec.dynamic = (after & DeviceFlags.DYNAMIC) != 0;
        }
        if (spec.isEmpty()) {
            return;
        }
        try {
            ns.setLink(dev, spec);
        } catch (KernelException e) {
            err.print("SIOCSIFFLAGS: " + e.errno().text() + "\n");
            goterr |= -1;
        }
    }

    /**
     * {@code devinet_ioctl(SIOCSIFFLAGS)} on an alias label: taking it down deletes its address;
     * nothing else changes.
     */
    private void aliasFlags(NetDevice dev, int bits, boolean set) {
        boolean up = (dev.flags() & DeviceFlags.UP) != 0;
        if ((bits & DeviceFlags.UP) != 0) {
            up = set;
        }
        boolean found = false;
        for (var a : dev.ipv4().addresses()) {
            if (a.label().equals(name)) {
                found = true;
                break;
            }
        }
        if (!found) {
            err.print("SIOCSIFFLAGS: " + Errno.EADDRNOTAVAIL.text() + "\n");
            goterr |= -1;
            return;
        }
        if (!up) {
            var m = new dev.ipsim.kernel.ipv4.Ipv4.AddressMatch();
            m.label = name;
            ns.ipv4().deleteAddress(dev, m);
        }
    }

    /** {@code atoi}. */
    private static int atoi(String s) {
        int k = 0;
        while (k < s.length() && Character.isWhitespace(s.charAt(k))) {
            k++;
        }
        boolean neg = false;
        if (k < s.length() && (s.charAt(k) == '-' || s.charAt(k) == '+')) {
            neg = s.charAt(k) == '-';
            k++;
        }
        long v = 0;
        while (k < s.length() && Character.isDigit(s.charAt(k))) {
            v = v * 10 + (s.charAt(k++) - '0');
            if (v > 0xFFFF_FFFFL) {
                v = 0xFFFF_FFFFL;
            }
        }
        return (int) (neg ? -v : v);
    }

    /** {@code strtoul(s, NULL, 0)}: decimal, 0x hex or 0 octal, as far as digits go. */
    private static long strtoul(String s) {
        Long v = parseBase0(s.trim(), false);
        return v == null ? 0 : v;
    }

    /** {@code strtoul(s, &end, 0)} with {@code *end == '\0'} required; {@code null} otherwise. */
    private static Integer strtoulStrict(String s) {
        Long v = parseBase0(s, true);
        return v == null ? null : (int) (long) v;
    }

    private static Long parseBase0(String s, boolean strict) {
        int radix = 10;
        int k = 0;
        if (s.startsWith("0x") || s.startsWith("0X")) {
            radix = 16;
            k = 2;
        } else if (s.startsWith("0") && s.length() > 1) {
            radix = 8;
            k = 1;
        }
        long v = 0;
        int start = k;
        while (k < s.length() && Character.digit(s.charAt(k), radix) >= 0) {
            v = v * radix + Character.digit(s.charAt(k++), radix);
            if (v > 0xFFFF_FFFFL) {
                v = 0xFFFF_FFFFL;
            }
        }
        if (strict && (k != s.length() || (k == start && radix != 8 && !s.equals("0")))) {
            return s.isEmpty() ? 0L : null;
        }
        return v;
    }
}
