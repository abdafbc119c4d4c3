package dev.ipsim.commands.ip;

import static dev.ipsim.commands.cli.Matching.matches;

import dev.ipsim.commands.Exit;
import dev.ipsim.commands.output.Printer;
import dev.ipsim.commands.output.Printer.Kind;
import dev.ipsim.kernel.KernelException;
import dev.ipsim.kernel.link.NetDevice;
import dev.ipsim.kernel.link.Tun;
import java.util.List;

/**
 * {@code ip tuntap} ({@code ip/iptuntap.c}): makes and removes persistent tun and tap devices
 * through {@code /dev/net/tun}'s ioctls, and lists them from a link dump filtered by kind
 * {@code tun} with their {@code tun_flags}, {@code owner} and {@code group} from sysfs.
 */
final class IpTuntap {

    static final String USAGE = """
            Usage: ip tuntap { add | del | show | list | lst | help } [ dev PHYS_DEV ]
                   [ mode { tun | tap } ] [ user USER ] [ group GROUP ]
                   [ one_queue ] [ pi ] [ vnet_hdr ] [ multi_queue ] [ name NAME ]

            Where: USER  := { STRING | NUMBER }
                   GROUP := { STRING | NUMBER }
            """;

    /** {@code TUN_TYPE_MASK}. */
    private static final int TUN_TYPE_MASK = 0x000f;

    private IpTuntap() {
    }

    /** {@code do_iptuntap}. */
    static int run(IpSession s, List<String> args) {
        if (args.isEmpty()) {
            return show(s);
        }
        String verb = args.get(0);
        List<String> rest = args.subList(1, args.size());
        if (matches(verb, "add")) {
            return add(s, rest);
        }
        if (matches(verb, "delete")) {
            return delete(s, rest);
        }
        if (matches(verb, "show") || matches(verb, "lst") || matches(verb, "list")) {
            return show(s);
        }
        if (matches(verb, "help")) {
            usage(s);
        }
        s.err().print("Command \"" + verb + "\" is unknown, try \"ip tuntap help\".\n");
        throw new Exit(255);
    }

    private static void usage(IpSession s) {
        s.err().print(USAGE);
        throw new Exit(255);
    }

    /** The {@code struct ifreq} and the owner the arguments ask for. */
    private static final class Request {
        String name = "";
        int flags = Tun.IFF_NO_PI;
        long uid = -1;
        long gid = -1;
    }

    /** {@code parse_args}; {@code null} when no mode was given (after saying so). */
    private static Request parse(IpSession s, List<String> args, boolean owners) {
        Request r = new Request();
        for (int i = 0; i < args.size(); i++) {
            String w = args.get(i);
            if (matches(w, "mode")) {
                String m = next(s, args, ++i);
                if (matches(m, "tun")) {
                    if ((r.flags & Tun.IFF_TAP) != 0) {
                        s.messages().fail("You managed to ask for more than one tunnel mode.\n", 255);
                    }
                    r.flags |= Tun.IFF_TUN;
                } else if (matches(m, "tap")) {
                    if ((r.flags & Tun.IFF_TUN) != 0) {
                        s.messages().fail("You managed to ask for more than one tunnel mode.\n", 255);
                    }
                    r.flags |= Tun.IFF_TAP;
                } else {
                    s.messages().fail("Unknown tunnel mode \"" + m + "\"\n", 255);
                }
            } else if (owners && matches(w, "user")) {
                r.uid = id(s, next(s, args, ++i), "/etc/passwd", "user");
            } else if (owners && matches(w, "group")) {
                r.gid = id(s, next(s, args, ++i), "/etc/group", "group");
            } else if (matches(w, "pi")) {
                r.flags &= ~Tun.IFF_NO_PI;
            } else if (matches(w, "one_queue")) {
                r.flags |= Tun.IFF_ONE_QUEUE;
            } else if (matches(w, "vnet_hdr")) {
                r.flags |= Tun.IFF_VNET_HDR;
            } else if (matches(w, "multi_queue")) {
                r.flags |= Tun.IFF_MULTI_QUEUE;
            } else if (matches(w, "dev")) {
                String v = next(s, args, ++i);
                if (!validIfname(v)) {
                    s.messages().invalidArgument("\"dev\" not a valid ifname", v);
                }
                r.name = v;
            } else {
                String v = w;
                if (matches(w, "name")) {
                    v = next(s, args, ++i);
                } else if (matches(w, "help")) {
                    usage(s);
                }
                if (!r.name.isEmpty()) {
                    s.messages().duplicateOrGarbage("name", v);
                }
                if (!validIfname(v)) {
                    s.messages().invalidArgument("\"name\" not a valid ifname", v);
                }
                r.name = v;
            }
        }
        if ((r.flags & TUN_TYPE_MASK) == 0) {
            s.err().print("You failed to specify a tunnel mode\n");
            return null;
        }
        return r;
    }

    private static String next(IpSession s, List<String> args, int i) {
        if (i >= args.size()) {
            s.messages().incompleteCommand();
        }
        return args.get(i);
    }

    /** {@code check_ifname}. */
    private static boolean validIfname(String name) {
        return !name.isEmpty() && name.length() < 16
                && name.chars().noneMatch(c -> c == '/' || Character.isWhitespace(c));
    }

    /** A number as {@code strtol} reads it whole, else the name looked up in the database file. */
    private static long id(IpSession s, String v, String database, String what) {
        if (v.matches("[+-]?\\d+")) {
            return Long.parseLong(v) & 0xFFFF_FFFFL;
        }
        try {
            for (String line : s.invocation().context().readFile(database).split("\n")) {
                String[] f = line.split(":", -1);
                if (f.length > 2 && f[0].equals(v)) {
                    return Long.parseLong(f[2]);
                }
            }
        } catch (KernelException | NumberFormatException e) {
            // no such database, or a line that is not one: no such name
        }
        s.err().print("invalid " + what + " \"" + v + "\"\n");
        throw new Exit(255);
    }

    /** {@code getpwuid}/{@code getgrgid}: the name the database file gives the id, or {@code null}. */
    static String nameOf(IpSession s, long id, String database) {
        try {
            for (String line : s.invocation().context().readFile(database).split("\n")) {
                String[] f = line.split(":", -1);
                if (f.length > 2 && f[2].equals(Long.toString(id))) {
                    return f[0];
                }
            }
        } catch (KernelException e) {
            // no database: no name
        }
        return null;
    }

    /** {@code do_add} ({@code tap_add_ioctl}): TUNSETIFF exclusively, the owner, persist, close. */
    private static int add(IpSession s, List<String> args) {
        Request r = parse(s, args, true);
        if (r == null) {
            return -1;
        }
        Tun tun;
        try {
            tun = s.netns().tunSetIff(r.name, r.flags | Tun.IFF_TUN_EXCL);
        } catch (KernelException e) {
            s.err().print("ioctl(TUNSETIFF): " + e.errno().text() + "\n");
            return -1;
        }
        if (r.uid != -1) {
            tun.setOwner(r.uid);
        }
        if (r.gid != -1) {
            tun.setOwnerGroup(r.gid);
        }
        tun.setPersistent(true);
        s.netns().tunClose(tun);
        return 0;
    }

    /** {@code do_del} ({@code tap_del_ioctl}): TUNSETIFF, persist off, close. */
    private static int delete(IpSession s, List<String> args) {
        Request r = parse(s, args, false);
        if (r == null) {
            return -1;
        }
        Tun tun;
        try {
            tun = s.netns().tunSetIff(r.name, r.flags);
        } catch (KernelException e) {
            s.err().print("ioctl(TUNSETIFF): " + e.errno().text() + "\n");
            return -1;
        }
        tun.setPersistent(false);
        s.netns().tunClose(tun);
        return 0;
    }

    /** {@code do_show}: every device of kind {@code tun}, by ifindex ({@code print_tuntap}). */
    private static int show(IpSession s) {
        Printer p = s.printer();
        p.beginJson();
        for (NetDevice d : s.netns().devices()) {
            if (!(d instanceof Tun tun)) {
                continue;
            }
            p.openObject(null);
            p.colorString(Kind.ANY, Printer.Color.IFNAME, "ifname", "%s:", tun.name());
            flags(p, tun.tunFlags());
            if (tun.owner() != -1) {
                p.unsigned(Kind.ANY, "user", " user %s", tun.owner());
            }
            if (tun.ownerGroup() != -1) {
                p.unsigned(Kind.ANY, "group", " group %s", tun.ownerGroup());
            }
            if (s.options().details > 0) {
                // show_processes: no process of the sandbox holds /dev/net/tun open
                p.string(Kind.TEXT, null, "%s\tAttached to processes:", p.lineSeparator());
                p.openArray(Kind.JSON, "processes");
                p.closeArray(Kind.JSON, null);
            }
            p.closeObject();
            p.string(Kind.TEXT, null, "%s", "\n");
        }
        p.endJson();
        s.flush(p);
        return 0;
    }

    /** {@code print_flags}: IFF_NO_PI and IFF_NOFILTER are one bit, so "filter" goes with "pi". */
    private static void flags(Printer p, int flags) {
        p.openArray(Kind.JSON, "flags");
        if ((flags & Tun.IFF_TUN) != 0) {
            p.string(Kind.ANY, null, " %s", "tun");
        }
        if ((flags & Tun.IFF_TAP) != 0) {
            p.string(Kind.ANY, null, " %s", "tap");
        }
        if ((flags & Tun.IFF_NO_PI) == 0) {
            p.string(Kind.ANY, null, " %s", "pi");
        }
        if ((flags & Tun.IFF_ONE_QUEUE) != 0) {
            p.string(Kind.ANY, null, " %s", "one_queue");
        }
        if ((flags & Tun.IFF_MULTI_QUEUE) != 0) {
            p.string(Kind.ANY, null, " %s", "multi_queue");
        }
        if ((flags & Tun.IFF_VNET_HDR) != 0) {
            p.string(Kind.ANY, null, " %s", "vnet_hdr");
        }
        if ((flags & Tun.IFF_PERSIST) != 0) {
            p.string(Kind.ANY, null, " %s", "persist");
        }
        if ((flags & Tun.IFF_NO_PI) == 0) {
            p.string(Kind.ANY, null, " %s", "filter");
        }
        int rest = flags & ~(Tun.IFF_TUN | Tun.IFF_TAP | Tun.IFF_NO_PI | Tun.IFF_ONE_QUEUE | Tun.IFF_MULTI_QUEUE
                | Tun.IFF_VNET_HDR | Tun.IFF_PERSIST);
        if (rest != 0) {
            p.hex(Kind.ANY, null, " %#x", rest);
        }
        p.closeArray(Kind.JSON, null);
    }
}
