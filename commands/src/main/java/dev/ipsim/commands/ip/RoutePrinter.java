package dev.ipsim.commands.ip;

import dev.ipsim.commands.output.Printer;
import dev.ipsim.commands.output.Printer.Color;
import dev.ipsim.commands.output.Printer.Kind;
import dev.ipsim.kernel.Scope;
import dev.ipsim.kernel.addr.Family;
import dev.ipsim.kernel.route.NexthopFlags;
import dev.ipsim.kernel.route.Route;
import dev.ipsim.kernel.route.RouteProtocol;
import dev.ipsim.kernel.route.RouteTableId;
import dev.ipsim.kernel.route.RouteType;

/** A route line as {@code print_route} ({@code ip/iproute.c}) prints it. */
final class RoutePrinter {

    private final IpSession session;
    private final Printer p;

    RoutePrinter(IpSession session, Printer printer) {
        this.session = session;
        this.p = printer;
    }

    /**
     * What the listing's filter makes redundant, so {@code print_route} leaves it out: the table
     * when one is named, the device for {@code dev}, the scope, protocol, metric and TOS when
     * they are filtered on, and the gateway and preferred source when a full-length address is.
     */
    static final class Hidden {
        boolean table;
        boolean dev;
        boolean scope;
        boolean protocol;
        boolean metric;
        boolean tos;
        boolean gateway;
        boolean preferredSource;
    }

    /** A route with nothing hidden but the table, as {@code ip route} prints one table. */
    void print(Route r, boolean tableFiltered) {
        Hidden h = new Hidden();
        h.table = tableFiltered;
        print(r, h);
    }

    void print(Route r, Hidden hide) {
        IpOptions o = session.options();
        Names names = session.names();
        boolean v6 = r.family() == Family.INET6;
        Color color = v6 ? Color.INET6 : Color.INET;
        p.openObject(null);
        if (r.type() != RouteType.UNICAST || o.details > 0) {
            p.string(Kind.ANY, "type", "%s ", names.routeType(r.type().number()));
        }
        String dst;
        if (r.destination().length() == 0) {
            dst = "default";
            color = Color.NONE;
        } else if (r.destination().isHost()) {
            dst = r.destination().address().toString();
        } else {
            dst = r.destination().address() + "/" + r.destination().length();
        }
        p.colorString(Kind.ANY, color, "dst", "%s ", dst);
        if (r.tos() != 0 && !hide.tos) {
            p.string(Kind.ANY, "tos", "tos %s ", names.dsfield(r.tos()));
        }
        if (r.gateway() != null && !hide.gateway) {
            if (p.inJson()) {
                p.string(Kind.JSON, "gateway", null, r.gateway().toString());
            } else {
                p.text("via ");
                p.colorString(Kind.TEXT, v6 ? Color.INET6 : Color.INET, null, "%s ", r.gateway().toString());
            }
        }
        if (r.device() != null && !hide.dev) {
            if (p.inJson()) {
                p.string(Kind.JSON, "dev", null, r.device().name());
            } else {
                p.text("dev ");
                p.colorString(Kind.TEXT, Color.IFNAME, null, "%s ", r.device().name());
            }
        }
        int table = r.table();
        if (table != 0 && (table != RouteTableId.MAIN || o.details > 0) && !hide.table) {
            p.string(Kind.ANY, "table", "table %s ", names.table(table));
        }
        if ((r.protocol() != RouteProtocol.BOOT || o.details > 0) && !hide.protocol) {
            p.string(Kind.ANY, "protocol", "proto %s ", names.protocol(r.protocol()));
        }
        int scope = v6 ? Scope.UNIVERSE : r.scope();
        if ((scope != Scope.UNIVERSE || o.details > 0) && !hide.scope) {
            p.string(Kind.ANY, "scope", "scope %s ", names.scope(scope));
        }
        if (r.preferredSource() != null && !hide.preferredSource) {
            if (p.inJson()) {
                p.string(Kind.JSON, "prefsrc", null, r.preferredSource().toString());
            } else {
                p.text("src ");
                p.colorString(Kind.TEXT, v6 ? Color.INET6 : Color.INET, null, "%s ", r.preferredSource().toString());
            }
        }
        if ((v6 || r.priority() != 0) && !hide.metric) {
            p.unsigned(Kind.ANY, "metric", "metric %s ", r.priority() & 0xFFFF_FFFFL);
        }
        flags(r.nexthopFlags());
        if (r.expiresAt() != Route.NEVER) {
            // rta_expires in clock ticks, shown in whole seconds rounded toward zero; a command
            // runs a little after the whole second the script slept to, hence the tick less
            long left = r.expiresAt() - session.netns().kernel().clock().nanos() - 1;
            p.integer(Kind.ANY, "expires", "expires %dsec ", (int) (left / 1_000_000_000L));
        }
        if (v6) {
            pref(p, r.pref());
        }
        p.string(Kind.TEXT, null, "\n", null);
        p.closeObject();
    }

    /** {@code print_rt_pref}: an IPv6 route's router preference, by name where it has one. */
    static void pref(Printer p, int pref) {
        String name = switch (pref) {
            case 0 -> "medium";
            case 1 -> "high";
            case 3 -> "low";
            default -> null;
        };
        if (name != null) {
            p.string(Kind.ANY, "pref", "pref %s", name);
        } else {
            p.unsigned(Kind.ANY, "pref", "%s", pref);
        }
    }

    /** {@code print_rt_flags}. */
    private void flags(int flags) {
        p.openArray(Kind.JSON, p.inJson() ? "flags" : "");
        if ((flags & NexthopFlags.DEAD) != 0) {
            p.string(Kind.ANY, null, "%s ", "dead");
        }
        if ((flags & NexthopFlags.ONLINK) != 0) {
            p.string(Kind.ANY, null, "%s ", "onlink");
        }
        if ((flags & NexthopFlags.PERVASIVE) != 0) {
            p.string(Kind.ANY, null, "%s ", "pervasive");
        }
        if ((flags & NexthopFlags.OFFLOAD) != 0) {
            p.string(Kind.ANY, null, "%s ", "offload");
        }
        if ((flags & NexthopFlags.TRAP) != 0) {
            p.string(Kind.ANY, null, "%s ", "trap");
        }
        if ((flags & NexthopFlags.LINKDOWN) != 0) {
            p.string(Kind.ANY, null, "%s ", "linkdown");
        }
        if ((flags & NexthopFlags.UNRESOLVED) != 0) {
            p.string(Kind.ANY, null, "%s ", "unresolved");
        }
        p.closeArray(Kind.JSON, null);
    }
}
