package dev.ipsim.commands.ip;

import dev.ipsim.commands.output.Printer;
import dev.ipsim.commands.output.Printer.Color;
import dev.ipsim.commands.output.Printer.Kind;
import dev.ipsim.kernel.ipv4.AddressFlags;

/** An address line as {@code print_addrinfo} ({@code ip/ipaddress.c}) prints it. */
final class AddressPrinter {

    /** {@code ifa_flag_data[]}: the flag names in print order. */
    private static final String[] FLAG_NAMES = {"secondary", "temporary", "nodad", "optimistic", "dadfailed", "home",
        "deprecated", "tentative", "permanent", "mngtmpaddr", "noprefixroute", "autojoin", "stable-privacy"};
    private static final int[] FLAG_MASKS = {AddressFlags.SECONDARY, AddressFlags.SECONDARY, AddressFlags.NODAD,
        AddressFlags.OPTIMISTIC, AddressFlags.DADFAILED, AddressFlags.HOMEADDRESS, AddressFlags.DEPRECATED,
        AddressFlags.TENTATIVE, AddressFlags.PERMANENT, AddressFlags.MANAGETEMPADDR, AddressFlags.NOPREFIXROUTE,
        AddressFlags.MCAUTOJOIN, AddressFlags.STABLE_PRIVACY};

    private final IpSession session;
    private final Printer p;
    /** Set while {@code ip -s -s address flush} lists what it deletes: lines start with the device. */
    boolean flushing;

    AddressPrinter(IpSession session, Printer printer) {
        this.session = session;
        this.p = printer;
    }

    private static Color familyColor(int family) {
        return family == IpOptions.AF_INET ? Color.INET : family == IpOptions.AF_INET6 ? Color.INET6 : Color.NONE;
    }

    /**
     * The flag sequence of {@code print_addrinfo} before iproute2 4.13 (commit f73ac674, "ip:
     * change flag names to an array"): one test per flag in this order, {@code dynamic} for a
     * missing {@code permanent} after {@code autojoin}; {@code optimistic} and
     * {@code stable-privacy} had no name and print as {@code flags NN}.
     */
    private static final String[] OLD_FLAG_NAMES = {"secondary", "tentative", "deprecated", "home", "nodad",
        "mngtmpaddr", "noprefixroute", "autojoin", "permanent", "dadfailed"};
    private static final int[] OLD_FLAG_MASKS = {AddressFlags.SECONDARY, AddressFlags.TENTATIVE,
        AddressFlags.DEPRECATED, AddressFlags.HOMEADDRESS, AddressFlags.NODAD, AddressFlags.MANAGETEMPADDR,
        AddressFlags.NOPREFIXROUTE, AddressFlags.MCAUTOJOIN, AddressFlags.PERMANENT, AddressFlags.DADFAILED};

    /** {@code print_ifa_flags}. */
    private void flags(AddressView a) {
        if (!session.userland().ipAddressFlagTable()) {
            oldFlags(a);
            return;
        }
        int flags = a.flags();
        for (int i = 0; i < FLAG_MASKS.length; i++) {
            int mask = FLAG_MASKS[i];
            if (mask == AddressFlags.PERMANENT) {
                if ((flags & mask) == 0) {
                    p.bool(Kind.ANY, "dynamic", "dynamic ", true);
                }
            } else if ((flags & mask) != 0) {
                if (mask == AddressFlags.SECONDARY && a.family() == IpOptions.AF_INET6) {
                    p.bool(Kind.ANY, "temporary", "temporary ", true);
                } else {
                    p.string(Kind.TEXT, null, "%s ", FLAG_NAMES[i]);
                    p.bool(Kind.JSON, FLAG_NAMES[i], null, true);
                }
            }
            flags &= ~mask;
        }
        if (flags != 0) {
            if (p.inJson()) {
                p.string(Kind.JSON, "ifa_flags", null, String.format("%02x", flags));
            } else {
                p.text(String.format("flags %02x ", flags));
            }
        }
    }

    /** The flags as iproute2 before 4.13 prints them (text only: its JSON had no flags). */
    private void oldFlags(AddressView a) {
        int flags = a.flags();
        for (int i = 0; i < OLD_FLAG_MASKS.length; i++) {
            int mask = OLD_FLAG_MASKS[i];
            if (mask == AddressFlags.PERMANENT) {
                if ((flags & mask) == 0) {
                    p.text("dynamic ");
                }
            } else if ((flags & mask) != 0) {
                p.text((mask == AddressFlags.SECONDARY && a.family() == IpOptions.AF_INET6 ? "temporary"
                        : OLD_FLAG_NAMES[i]) + " ");
            }
            flags &= ~mask;
        }
        if (flags != 0) {
            p.text(String.format("flags %02x ", flags));
        }
    }

    /** {@code print_addrinfo}. */
    void print(AddressView a) {
        IpOptions o = session.options();
        boolean brief = o.brief > 0;
        if (!brief) {
            if (o.oneline > 0 || flushing) {
                String dev = a.device().name();
                if (p.inJson()) {
                    p.integer(Kind.JSON, "index", null, a.device().ifindex());
                    p.string(Kind.JSON, "dev", null, dev);
                } else {
                    p.text(a.device().ifindex() + ": " + dev);
                }
            }
            p.string(Kind.ANY, "family", "    %s ", Names.familyName(a.family()));
        }
        Color color = familyColor(a.family());
        p.colorString(Kind.ANY, color, "local", "%s", a.local().toString());
        if (!a.address().equals(a.local())) {
            p.string(Kind.TEXT, null, " %s ", "peer");
            p.colorString(Kind.ANY, color, "address", "%s", a.address().toString());
        }
        p.integer(Kind.ANY, "prefixlen", "/%d ", a.prefixLength());
        if (a.metric() != 0) {
            p.unsigned(Kind.ANY, "metric", "metric %s ", a.metric() & 0xFFFF_FFFFL);
        }
        if (brief) {
            return;
        }
        if (a.broadcast() != null) {
            p.string(Kind.TEXT, null, "%s ", "brd");
            p.colorString(Kind.ANY, color, "broadcast", "%s ", a.broadcast().toString());
        }
        if (a.anycast() != null) {
            p.string(Kind.TEXT, null, "%s ", "any");
            p.colorString(Kind.ANY, color, "anycast", "%s ", a.anycast().toString());
        }
        p.string(Kind.ANY, "scope", "scope %s ", session.names().scope(a.scope()));
        flags(a);
        if (a.label() != null) {
            p.string(Kind.ANY, "label", "%s", a.label());
        }
        p.newline();
        p.text("       valid_lft ");
        if (a.valid() == AddressFlags.INFINITY_LIFE_TIME) {
            p.unsigned(Kind.JSON, "valid_life_time", null, AddressFlags.INFINITY_LIFE_TIME);
            p.text("forever");
        } else {
            p.unsigned(Kind.ANY, "valid_life_time", "%ssec", a.valid());
        }
        p.text(" preferred_lft ");
        if (a.preferred() == AddressFlags.INFINITY_LIFE_TIME) {
            p.unsigned(Kind.JSON, "preferred_life_time", null, AddressFlags.INFINITY_LIFE_TIME);
            p.text("forever");
        } else if ((a.flags() & AddressFlags.DEPRECATED) != 0) {
            p.integer(Kind.ANY, "preferred_life_time", "%dsec", (int) a.preferred());
        } else {
            p.unsigned(Kind.ANY, "preferred_life_time", "%ssec", a.preferred());
        }
        p.string(Kind.TEXT, null, "%s", "\n");
    }
}
