package dev.ipsim.commands.ip;

import static dev.ipsim.commands.cli.Matching.matches;

import dev.ipsim.commands.Exit;
import dev.ipsim.commands.output.Printer;
import dev.ipsim.commands.output.Printer.Color;
import dev.ipsim.commands.output.Printer.Kind;
import dev.ipsim.commands.proc.ProcNet;
import dev.ipsim.kernel.KernelException;
import dev.ipsim.kernel.addr.Ipv4Address;
import dev.ipsim.kernel.addr.Ipv6Address;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ip maddress} ({@code ip/ipmaddr.c}): lists the multicast memberships the kernel shows
 * in {@code /proc/net/dev_mcast}, {@code igmp} and {@code igmp6} (read in the namespace
 * {@code ip} runs in, as iproute2 reads them), merged by ifindex; adds and removes a user's
 * link-layer multicast addresses with {@code SIOCADDMULTI}/{@code SIOCDELMULTI}.
 */
final class IpMaddr {

    static final String USAGE = "Usage: ip maddr [ add | del ] MULTIADDR dev STRING\n"
            + "       ip maddr show [ dev STRING ]\n";

    private IpMaddr() {
    }

    /** {@code do_multiaddr}. */
    static int run(IpSession s, List<String> args) {
        if (args.isEmpty()) {
            return list(s, args);
        }
        String verb = args.get(0);
        List<String> rest = args.subList(1, args.size());
        if (matches(verb, "add")) {
            return modify(s, rest, true);
        }
        if (matches(verb, "delete")) {
            return modify(s, rest, false);
        }
        if (matches(verb, "list") || matches(verb, "show") || matches(verb, "lst")) {
            return list(s, rest);
        }
        if (matches(verb, "help")) {
            usage(s);
        }
        s.err().print("Command \"" + verb + "\" is unknown, try \"ip maddr help\".\n");
        throw new Exit(255);
    }

    private static void usage(IpSession s) {
        s.err().print(USAGE);
        throw new Exit(255);
    }

    /** {@code struct ma_info}: one membership as a proc file line gives it. */
    private record Entry(int index, String name, int family, String address, int users, boolean isStatic) {
    }

    /** {@code multiaddr_list}. */
    private static int list(IpSession s, List<String> args) {
        String dev = null;
        for (int i = 0; i < args.size(); i++) {
            String w = args.get(i);
            if (w.equals("dev")) {
                i++;
                if (i >= args.size()) {
                    s.messages().incompleteCommand();
                }
                w = args.get(i);
            } else if (matches(w, "help")) {
                usage(s);
            }
            if (dev != null) {
                s.messages().duplicateOrGarbage("dev", w);
            }
            dev = w;
        }
        int family = s.options().family;
        List<Entry> entries = new ArrayList<>();
        if (family == IpOptions.AF_UNSPEC || family == IpOptions.AF_PACKET) {
            readDevMcast(s, dev, entries);
        }
        if (family == IpOptions.AF_UNSPEC || family == IpOptions.AF_INET) {
            readIgmp(s, dev, entries);
        }
        if (family == IpOptions.AF_UNSPEC || family == IpOptions.AF_INET6) {
            readIgmp6(s, dev, entries);
        }
        print(s, entries);
        return 0;
    }

    /** {@code maddr_ins}: after every entry of a lower or equal index. */
    private static void insert(List<Entry> list, Entry e) {
        int i = 0;
        while (i < list.size() && list.get(i).index() <= e.index()) {
            i++;
        }
        list.add(i, e);
    }

    private static String proc(IpSession s, String file) {
        return ProcNet.read(s.netns(), file);
    }

    private static void readDevMcast(IpSession s, String dev, List<Entry> out) {
        for (String line : lines(proc(s, "dev_mcast"))) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 5 || (dev != null && !dev.equals(f[1]))) {
                continue;
            }
            String hex = f[4];
            StringBuilder mac = new StringBuilder();
            for (int i = 0; i + 1 < hex.length(); i += 2) {
                if (mac.length() > 0) {
                    mac.append(':');
                }
                mac.append(hex, i, i + 2);
            }
            insert(out, new Entry(Integer.parseInt(f[0]), f[1], IpOptions.AF_PACKET, mac.toString(),
                    Integer.parseInt(f[2]), !f[3].equals("0")));
        }
    }

    private static void readIgmp(IpSession s, String dev, List<Entry> out) {
        List<String> lines = lines(proc(s, "igmp"));
        int index = 0;
        String name = "";
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            if (!line.startsWith("\t")) {
                String[] f = line.trim().split("\\s+");
                index = Integer.parseInt(f[0]);
                name = f[1].endsWith(":") ? f[1].substring(0, f[1].length() - 1) : f[1];
                continue;
            }
            if (dev != null && !dev.equals(name)) {
                continue;
            }
            String[] f = line.trim().split("\\s+");
            // the group's hex is the little-endian word of its network-order bytes
            long v = Long.parseLong(f[0], 16);
            byte[] b = {(byte) v, (byte) (v >> 8), (byte) (v >> 16), (byte) (v >> 24)};
            insert(out, new Entry(index, name, IpOptions.AF_INET, Ipv4Address.ofBytes(b, 0).toString(),
                    Integer.parseInt(f[1]), false));
        }
    }

    private static void readIgmp6(IpSession s, String dev, List<Entry> out) {
        for (String line : lines(proc(s, "igmp6"))) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 4 || (dev != null && !dev.equals(f[1]))) {
                continue;
            }
            byte[] b = new byte[16];
            for (int i = 0; i < 16; i++) {
                b[i] = (byte) Integer.parseInt(f[2].substring(2 * i, 2 * i + 2), 16);
            }
            insert(out, new Entry(Integer.parseInt(f[0]), f[1], IpOptions.AF_INET6,
                    Ipv6Address.ofBytes(b, 0).toString(), Integer.parseInt(f[3]), false));
        }
    }

    private static List<String> lines(String text) {
        return text.isEmpty() ? List.of() : List.of(text.split("\n"));
    }

    /** {@code print_mlist} and {@code print_maddr}. */
    private static void print(IpSession s, List<Entry> entries) {
        Printer p = s.printer();
        boolean oneline = s.options().oneline > 0;
        p.beginJson();
        int current = 0;
        for (Entry e : entries) {
            if (e.index() != current || oneline) {
                if (current != 0) {
                    p.closeArray(Kind.JSON, null);
                    p.closeObject();
                }
                p.openObject(null);
                p.unsigned(Kind.ANY, "ifindex", "%s:", e.index());
                p.colorString(Kind.ANY, Color.IFNAME, "ifname", "\t%s", e.name());
                p.newline();
                current = e.index();
                p.openArray(Kind.JSON, "maddr");
            }
            p.text("\t");
            p.openObject(null);
            if (e.family() == IpOptions.AF_PACKET) {
                p.text("link  ");
                p.colorString(Kind.ANY, Color.MAC, "link", "%s", e.address());
            } else {
                p.string(Kind.ANY, "family", "%-5s ", e.family() == IpOptions.AF_INET ? "inet" : "inet6");
                p.colorString(Kind.ANY, e.family() == IpOptions.AF_INET ? Color.INET : Color.INET6, "address", "%s",
                        e.address());
            }
            if (e.users() != 1) {
                p.unsigned(Kind.ANY, "users", " users %s", e.users());
            }
            if (e.isStatic()) {
                p.string(Kind.ANY, "features", " %s", "static");
            }
            p.text("\n");
            p.closeObject();
        }
        if (current != 0) {
            p.closeArray(Kind.JSON, null);
            p.closeObject();
        }
        p.endJson();
        s.flush(p);
    }

    /** {@code multiaddr_modify}: the ioctl ends the program, 0 or 1. */
    private static int modify(IpSession s, List<String> args, boolean add) {
        String dev = null;
        byte[] address = null;
        for (int i = 0; i < args.size(); i++) {
            String w = args.get(i);
            if (w.equals("dev")) {
                i++;
                if (i >= args.size()) {
                    s.messages().incompleteCommand();
                }
                w = args.get(i);
                if (dev != null) {
                    s.messages().duplicateArgument("dev", w);
                }
                if (w.isEmpty() || w.length() >= 16 || w.chars().anyMatch(c -> c == '/' || Character.isWhitespace(c))) {
                    s.messages().invalidArgument("\"dev\" not a valid ifname", w);
                }
                dev = w;
            } else {
                if (matches(w, "address")) {
                    i++;
                    if (i >= args.size()) {
                        s.messages().incompleteCommand();
                    }
                    w = args.get(i);
                }
                if (matches(w, "help")) {
                    usage(s);
                }
                if (address != null && address.length > 0 && address[0] != 0) {
                    s.messages().duplicateArgument("address", w);
                }
                byte[] a = IpLink.lladdr(s, w);
                if (a == null) {
                    throw new Exit(1);
                }
                if (a.length != 6) {
                    s.err().print("Error: Invalid address length " + a.length + " - must be 6 bytes\n");
                    throw new Exit(1);
                }
                address = a;
            }
        }
        if (dev == null) {
            s.err().print("Not enough information: \"dev\" is required.\n");
            throw new Exit(255);
        }
        try {
            s.netns().changeMulticast(dev, address == null ? new byte[6] : address, add);
        } catch (KernelException e) {
            s.err().print("ioctl: " + e.errno().text() + "\n");
            throw new Exit(1);
        }
        throw new Exit(0);
    }
}
