package dev.ipsim.commands.ip;

import static dev.ipsim.commands.cli.Matching.matches;

import dev.ipsim.commands.Exit;
import dev.ipsim.commands.output.Printer;
import dev.ipsim.commands.output.Printer.Color;
import dev.ipsim.commands.output.Printer.Kind;
import dev.ipsim.kernel.NetNamespace;
import dev.ipsim.kernel.link.NetDevice;
import dev.ipsim.kernel.sysctl.SysctlTable;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ip netconf} ({@code ip/ipnetconf.c}): each device's (and {@code all}'s and
 * {@code default}'s) forwarding configuration as the kernel's netconf dump reports it
 * ({@code inet_netconf_fill_devconf}, {@code inet6_netconf_fill_devconf}), from the
 * namespace's sysctls: IPv4 first, then IPv6, devices in ifindex order.
 */
final class IpNetconf {

    private static final String[] RP_FILTER = {"off", "strict", "loose"};

    private IpNetconf() {
    }

    /** {@code do_ipnetconf}. */
    static int run(IpSession s, List<String> args) {
        if (args.isEmpty()) {
            return show(s, args);
        }
        String verb = args.get(0);
        if (matches(verb, "show") || matches(verb, "lst") || matches(verb, "list")) {
            return show(s, args.subList(1, args.size()));
        }
        if (matches(verb, "help")) {
            s.err().print("Usage: ip netconf show [ dev STRING ]\n");
            throw new Exit(255);
        }
        s.err().print("Command \"" + verb + "\" is unknown, try \"ip netconf help\".\n");
        throw new Exit(255);
    }

    /** One netconf message: a family's configuration of one device, or of all or default. */
    private record Conf(boolean inet6, String conf) {
    }

    /** {@code do_show}: a dump, filtered by family and device here as iproute2 filters it. */
    private static int show(IpSession s, List<String> args) {
        NetDevice only = null;
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("dev")) {
                i++;
                if (i >= args.size()) {
                    s.messages().incompleteCommand();
                }
                only = s.device(args.get(i));
                if (only == null) {
                    s.err().print("Device \"" + args.get(i) + "\" does not exist.\n");
                    return -1;
                }
            }
        }
        int family = s.options().family;
        NetNamespace ns = s.netns();
        List<Conf> dump = new ArrayList<>();
        for (boolean inet6 : new boolean[] {false, true}) {
            if (family == IpOptions.AF_INET && inet6 || family == IpOptions.AF_INET6 && !inet6) {
                continue;
            }
            for (NetDevice d : ns.devices()) {
                if ((only == null || d == only) && (inet6 ? d.ipv6().isPresent() : d.ipv4() != null)) {
                    dump.add(new Conf(inet6, d.name()));
                }
            }
            if (only == null) {
                dump.add(new Conf(inet6, "all"));
                dump.add(new Conf(inet6, "default"));
            }
        }
        Printer p = s.printer();
        p.beginJson();
        SysctlTable sysctls = ns.sysctls();
        for (Conf c : dump) {
            p.openObject(null);
            p.string(Kind.ANY, "family", "%s ", c.inet6() ? "inet6" : "inet");
            p.colorString(Kind.ANY, Color.IFNAME, "interface", "%s ", c.conf());
            if (c.inet6()) {
                onOff(p, "forwarding", sysctls.ipv6Conf(c.conf(), "forwarding"));
                onOff(p, "mc_forwarding", sysctls.ipv6Conf(c.conf(), "mc_forwarding"));
                onOff(p, "proxy_neigh", sysctls.ipv6Conf(c.conf(), "proxy_ndp"));
                onOff(p, "ignore_routes_with_linkdown", sysctls.ipv6Conf(c.conf(), "ignore_routes_with_linkdown"));
            } else {
                onOff(p, "forwarding", sysctls.ipv4Conf(c.conf(), "forwarding"));
                int rp = sysctls.ipv4Conf(c.conf(), "rp_filter");
                if (rp >= 0 && rp < RP_FILTER.length) {
                    p.string(Kind.ANY, "rp_filter", "rp_filter %s ", RP_FILTER[rp]);
                } else {
                    p.unsigned(Kind.ANY, "rp_filter", "rp_filter %s ", rp & 0xFFFF_FFFFL);
                }
                onOff(p, "mc_forwarding", sysctls.ipv4Conf(c.conf(), "mc_forwarding"));
                onOff(p, "proxy_neigh", sysctls.ipv4Conf(c.conf(), "proxy_arp"));
                onOff(p, "ignore_routes_with_linkdown", sysctls.ipv4Conf(c.conf(), "ignore_routes_with_linkdown"));
            }
            p.closeObject();
            p.string(Kind.TEXT, null, "\n", null);
            s.write(p);
        }
        p.endJson();
        s.flush(p);
        return 0;
    }

    /** {@code print_on_off}: a JSON boolean, "on"/"off" in text. */
    private static void onOff(Printer p, String key, int value) {
        if (p.inJson()) {
            p.bool(Kind.JSON, key, null, value != 0);
        } else {
            p.string(Kind.TEXT, null, key + " %s ", value != 0 ? "on" : "off");
        }
    }
}
