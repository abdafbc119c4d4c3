package dev.ipsim.commands.ip;

import dev.ipsim.commands.cli.CNumbers;
import java.math.BigInteger;
import java.util.Map;
import java.util.TreeMap;

/**
 * iproute2's number/name tables ({@code lib/rt_names.c}, {@code ip/rtm_map.c},
 * {@code lib/ll_types.c}), with the entries of a stock {@code /etc/iproute2}.
 */
public final class Names {

    private static final Map<Integer, String> PROTOCOLS = new TreeMap<>(Map.ofEntries(
            Map.entry(0, "unspec"), Map.entry(1, "redirect"), Map.entry(2, "kernel"), Map.entry(3, "boot"),
            Map.entry(4, "static"), Map.entry(8, "gated"), Map.entry(9, "ra"), Map.entry(10, "mrt"),
            Map.entry(11, "zebra"), Map.entry(12, "bird"), Map.entry(13, "dnrouted"), Map.entry(14, "xorp"),
            Map.entry(15, "ntk"), Map.entry(16, "dhcp"), Map.entry(18, "keepalived"), Map.entry(42, "babel"),
            Map.entry(99, "openr"), Map.entry(186, "bgp"), Map.entry(187, "isis"), Map.entry(188, "ospf"),
            Map.entry(189, "rip"), Map.entry(192, "eigrp")));

    private static final Map<Integer, String> SCOPES = new TreeMap<>(Map.of(
            0, "global", 255, "nowhere", 254, "host", 253, "link", 200, "site"));

    private static final Map<Integer, String> TABLES = new TreeMap<>(Map.of(
            255, "local", 254, "main", 253, "default", 0, "unspec"));

    /** {@code /etc/iproute2/rt_dsfield} as iproute2 6.1 ships it (entry 0 is "default"). */
    private static final Map<Integer, String> DSFIELDS = new TreeMap<>(Map.ofEntries(
            Map.entry(0x00, "default"), Map.entry(0x28, "AF11"), Map.entry(0x30, "AF12"), Map.entry(0x38, "AF13"),
            Map.entry(0x48, "AF21"), Map.entry(0x50, "AF22"), Map.entry(0x58, "AF23"), Map.entry(0x68, "AF31"),
            Map.entry(0x70, "AF32"), Map.entry(0x78, "AF33"), Map.entry(0x88, "AF41"), Map.entry(0x90, "AF42"),
            Map.entry(0x98, "AF43"), Map.entry(0x20, "CS1"), Map.entry(0x40, "CS2"), Map.entry(0x60, "CS3"),
            Map.entry(0x80, "CS4"), Map.entry(0xA0, "CS5"), Map.entry(0xC0, "CS6"), Map.entry(0xE0, "CS7"),
            Map.entry(0xB8, "EF")));

    /** {@code /etc/iproute2/rt_realms}: only "cosmos" is not commented out. */
    private static final Map<Integer, String> REALMS = Map.of(0, "cosmos");

    private static final String[] ROUTE_TYPES = {"none", "unicast", "local", "broadcast", "anycast", "multicast",
        "blackhole", "unreachable", "prohibit", "throw", "nat", "xresolve"};

    private final boolean numeric;

    public Names(boolean numeric) {
        this.numeric = numeric;
    }

    /** {@code rtnl_rtprot_n2a}. */
    public String protocol(int id) {
        String n = numeric ? null : PROTOCOLS.get(id);
        return n != null ? n : Integer.toUnsignedString(id);
    }

    /** {@code rtnl_rtscope_n2a}. */
    public String scope(int id) {
        String n = numeric ? null : SCOPES.get(id);
        return n != null ? n : Integer.toString(id);
    }

    /** {@code rtnl_rttable_n2a}. */
    public String table(int id) {
        String n = numeric ? null : TABLES.get(id);
        return n != null ? n : Integer.toUnsignedString(id);
    }

    /** {@code rtnl_dsfield_n2a}: a name from {@code rt_dsfield}, else {@code 0x%02x}. */
    public String dsfield(int id) {
        if (id < 0 || id >= 256) {
            return Integer.toString(id);
        }
        String n = numeric ? null : DSFIELDS.get(id);
        return n != null ? n : String.format("0x%02x", id);
    }

    /** {@code rtnl_dsfield_a2n}: a name, or a hexadecimal number up to 0xff; {@code null} otherwise. */
    public static Integer dsfieldNumber(String arg) {
        for (Map.Entry<Integer, String> e : DSFIELDS.entrySet()) {
            if (e.getValue().equals(arg)) {
                return e.getKey();
            }
        }
        CNumbers.Parsed p = CNumbers.strtoul(arg, 16);
        if (arg.isEmpty() || !p.consumedAll(arg) || p.value().compareTo(BigInteger.valueOf(255)) > 0) {
            return null;
        }
        return p.value().intValue();
    }

    /** {@code rtnl_rtrealm_n2a}. */
    public String realm(int id) {
        String n = numeric || id < 0 || id >= 256 ? null : REALMS.get(id);
        return n != null ? n : Integer.toString(id);
    }

    /** {@code get_rt_realms_or_raw}: {@code [SRC/]DST} by name or number, else a raw number; {@code null} if neither. */
    public static Long realmsNumber(String arg) {
        int slash = arg.indexOf('/');
        long realms = 0;
        boolean ok = true;
        String dst = arg;
        if (slash >= 0) {
            Integer src = realmNumber(arg.substring(0, slash));
            if (src == null) {
                ok = false;
            } else {
                realms = (long) src << 16;
                dst = arg.substring(slash + 1);
            }
        }
        if (ok && !dst.isEmpty()) {
            Integer d = realmNumber(dst);
            if (d == null) {
                ok = false;
            } else {
                realms |= d;
            }
        }
        if (ok) {
            return realms;
        }
        return CNumbers.getUnsigned(arg, 0);
    }

    private static Integer realmNumber(String arg) {
        for (Map.Entry<Integer, String> e : REALMS.entrySet()) {
            if (e.getValue().equals(arg)) {
                return e.getKey();
            }
        }
        return smallNumber(arg, 255);
    }

    /** {@code inet_proto_n2a}: the protocol's name from {@code /etc/protocols}, else {@code ipproto-N}. */
    public String ipProtocol(int number) {
        String n = numeric ? null : dev.ipsim.commands.net.Protocols.name(number);
        return n != null ? n : "ipproto-" + number;
    }

    /** {@code inet_proto_a2n}: a decimal number up to 255 or a name; -1 for neither. */
    public static int ipProtocolNumber(String arg) {
        Integer n = CNumbers.getU8(arg, 10);
        if (n != null) {
            return n;
        }
        return dev.ipsim.commands.net.Protocols.number(arg);
    }

    /** {@code rtnl_group_n2a}: group 0 is "default". */
    public String group(int id) {
        return !numeric && id == 0 ? "default" : Integer.toString(id);
    }

    /** {@code rtnl_rtntype_n2a}. */
    public String routeType(int id) {
        if (numeric || id < 0 || id >= ROUTE_TYPES.length) {
            return Integer.toString(id);
        }
        return ROUTE_TYPES[id];
    }

    /** {@code ll_type_n2a} for the types the model has; {@code -N} prints the number in brackets. */
    public String linkType(int arphrd) {
        if (numeric) {
            return "[" + arphrd + "]";
        }
        return switch (arphrd) {
            case 1 -> "ether";
            case 772 -> "loopback";
            case 0xFFFE -> "none";
            case 0xFFFF -> "void";
            default -> "[" + arphrd + "]";
        };
    }

    /** {@code rtnl_rtscope_a2n}: a name or a number up to 255, else {@code null}. */
    public static Integer scopeNumber(String arg) {
        for (Map.Entry<Integer, String> e : SCOPES.entrySet()) {
            if (e.getValue().equals(arg)) {
                return e.getKey();
            }
        }
        return smallNumber(arg, 255);
    }

    /** {@code rtnl_rtprot_a2n}. */
    public static Integer protocolNumber(String arg) {
        for (Map.Entry<Integer, String> e : PROTOCOLS.entrySet()) {
            if (e.getValue().equals(arg)) {
                return e.getKey();
            }
        }
        return smallNumber(arg, 255);
    }

    /** {@code rtnl_rttable_a2n}: a name or any 32-bit number. */
    public static Long tableNumber(String arg) {
        for (Map.Entry<Integer, String> e : TABLES.entrySet()) {
            if (e.getValue().equals(arg)) {
                return (long) e.getKey();
            }
        }
        CNumbers.Parsed p = CNumbers.strtoul(arg, 0);
        if (!p.consumedAll(arg) || p.value().compareTo(BigInteger.valueOf(0xFFFF_FFFFL)) > 0) {
            return null;
        }
        return p.value().longValue();
    }

    /** {@code rtnl_group_a2n}: "default" or a number. */
    public static Integer groupNumber(String arg) {
        if (arg.equals("default")) {
            return 0;
        }
        // "int i = strtol(...)": the long is cut to an int, and a negative result is refused
        CNumbers.Parsed p = CNumbers.strtol(arg, 0);
        int i = (int) p.value().longValue();
        if (!p.consumedAll(arg) || i < 0) {
            return null;
        }
        return i;
    }

    /** {@code rtnl_rtntype_a2n}. */
    public static Integer routeTypeNumber(String arg) {
        for (int i = 1; i < ROUTE_TYPES.length; i++) {
            if (ROUTE_TYPES[i].equals(arg)) {
                return i;
            }
        }
        CNumbers.Parsed p = CNumbers.strtoul(arg, 0);
        if (!p.consumedAll(arg) || p.value().compareTo(BigInteger.valueOf(255)) > 0) {
            return null;
        }
        return p.value().intValue();
    }

    private static Integer smallNumber(String arg, int max) {
        CNumbers.Parsed p = CNumbers.strtoul(arg, 0);
        if (!p.consumedAll(arg) || p.value().compareTo(BigInteger.valueOf(max)) > 0) {
            return null;
        }
        return p.value().intValue();
    }

    /** {@code family_name}. */
    public static String familyName(int family) {
        return switch (family) {
            case IpOptions.AF_INET -> "inet";
            case IpOptions.AF_INET6 -> "inet6";
            case IpOptions.AF_PACKET -> "link";
            case IpOptions.AF_MPLS -> "mpls";
            case IpOptions.AF_BRIDGE -> "bridge";
            default -> "???";
        };
    }

    /** {@code read_family}: a family name to its number, else {@code AF_UNSPEC}. */
    public static int readFamily(String name) {
        return switch (name) {
            case "inet" -> IpOptions.AF_INET;
            case "inet6" -> IpOptions.AF_INET6;
            case "link" -> IpOptions.AF_PACKET;
            case "ipx" -> 4;
            case "dnet" -> 12;
            case "mpls" -> IpOptions.AF_MPLS;
            case "bridge" -> IpOptions.AF_BRIDGE;
            default -> IpOptions.AF_UNSPEC;
        };
    }
}
