package dev.ipsim.commands.ip;

import dev.ipsim.commands.cli.CNumbers;
import dev.ipsim.kernel.addr.IpAddress;
import dev.ipsim.kernel.addr.IpPrefix;
import dev.ipsim.kernel.addr.Ipv4Address;
import dev.ipsim.kernel.addr.Ipv6Address;
import java.io.PrintStream;
import dev.ipsim.commands.Exit;

/**
 * iproute2's {@code inet_prefix}: an address or prefix as {@code get_addr_1}/{@code get_prefix_1}
 * parse it. IPv4 uses iproute2's own parser ({@code 10.1} is 10.1.0.0, octets in any C base);
 * "default", "any" and "all" are the unspecified address with bit length -2.
 */
public record InetArg(int family, IpAddress address, int bitlen, boolean prefixLengthSpecified) {

    /** {@code bitlen == -2}: "default"/"any"/"all". */
    public boolean isAny() {
        return bitlen == -2 || (address == null);
    }

    /** The prefix; "default"/"any"/"all" without a family is IPv4's 0.0.0.0/0, as the kernel takes it. */
    public IpPrefix prefix() {
        IpAddress a = address != null ? address : Ipv4Address.ANY;
        return new IpPrefix(a, Math.max(bitlen, 0));
    }

    private static Ipv4Address parseIpv4(String s) {
        int value = 0;
        int cp = 0;
        int i;
        for (i = 0; i < 4; i++) {
            String rest = s.substring(cp);
            CNumbers.Parsed p = CNumbers.strtoul(rest, 0);
            if (p.end() == 0) {
                return null;
            }
            if (p.value().compareTo(java.math.BigInteger.valueOf(255)) > 0 || p.range()) {
                return null;
            }
            value |= p.value().intValue() << (24 - 8 * i);
            int end = cp + p.end();
            if (end == s.length()) {
                break;
            }
            if (i == 3 || s.charAt(end) != '.') {
                return null;
            }
            cp = end + 1;
        }
        return new Ipv4Address(value);
    }

    /** {@code get_addr_1}: {@code null} on failure. */
    public static InetArg parseAddress(String name, int family) {
        if (name.equals("default")) {
            if (family == IpOptions.AF_MPLS) {
                return null;
            }
            return new InetArg(family, unspecified(family), -2, true);
        }
        if (name.equals("all") || name.equals("any")) {
            if (family == IpOptions.AF_MPLS) {
                return null;
            }
            return new InetArg(family, unspecified(family), -2, false);
        }
        if (name.indexOf(':') >= 0) {
            if (family != IpOptions.AF_UNSPEC && family != IpOptions.AF_INET6) {
                return null;
            }
            Ipv6Address a = Ipv6Address.parse(name);
            return a == null ? null : new InetArg(IpOptions.AF_INET6, a, -1, false);
        }
        if (family != IpOptions.AF_UNSPEC && family != IpOptions.AF_INET) {
            return null;
        }
        Ipv4Address a = parseIpv4(name);
        return a == null ? null : new InetArg(IpOptions.AF_INET, a, -1, false);
    }

    private static IpAddress unspecified(int family) {
        return family == IpOptions.AF_INET6 ? Ipv6Address.ANY : family == IpOptions.AF_INET ? Ipv4Address.ANY : null;
    }

    /** {@code get_prefix_1}: {@code null} on failure. */
    public static InetArg parsePrefix(String arg, int family) {
        int slash = arg.indexOf('/');
        InetArg a = parseAddress(slash >= 0 ? arg.substring(0, slash) : arg, family);
        if (a == null) {
            return null;
        }
        int bitlen = a.family == IpOptions.AF_INET6 ? 128 : a.family == IpOptions.AF_INET ? 32 : 0;
        boolean specified = a.prefixLengthSpecified;
        if (slash >= 0) {
            if (a.bitlen == -2) {
                return null;
            }
            Integer plen = netmask(arg.substring(slash + 1));
            if (plen == null || plen > bitlen) {
                return null;
            }
            bitlen = plen;
            specified = true;
        } else if (a.bitlen == -2) {
            bitlen = 0;
        }
        return new InetArg(a.family, a.address, bitlen, specified);
    }

    /** {@code get_netmask}: a length, or a dotted-quad mask without holes. */
    private static Integer netmask(String s) {
        Long v = CNumbers.getUnsigned(s, 0);
        if (v != null) {
            return v > Integer.MAX_VALUE ? Integer.MAX_VALUE : v.intValue();
        }
        InetArg mask = parseAddress(s, IpOptions.AF_INET);
        if (mask != null && mask.family == IpOptions.AF_INET && mask.address != null) {
            int len = ((Ipv4Address) mask.address).maskLength();
            if (len >= 0) {
                return len;
            }
        }
        return null;
    }

    private static String verbose(int family) {
        return family == IpOptions.AF_UNSPEC ? "any valid" : Names.familyName(family);
    }

    /** {@code get_prefix}: prints and exits 1 on failure. */
    public static InetArg prefixOrExit(String arg, int family, PrintStream err) {
        if (family == IpOptions.AF_PACKET) {
            err.print("Error: \"" + arg + "\" may be inet prefix, but it is not allowed in this context.\n");
            throw new Exit(1);
        }
        InetArg a = parsePrefix(arg, family);
        if (a == null) {
            err.print("Error: " + verbose(family) + " prefix is expected rather than \"" + arg + "\".\n");
            throw new Exit(1);
        }
        return a;
    }

    /** {@code get_addr}: prints and exits 1 on failure. */
    public static InetArg addressOrExit(String arg, int family, PrintStream err) {
        InetArg a = parseAddress(arg, family);
        if (a == null) {
            err.print("Error: " + verbose(family) + " address is expected rather than \"" + arg + "\".\n");
            throw new Exit(1);
        }
        return a;
    }
}
