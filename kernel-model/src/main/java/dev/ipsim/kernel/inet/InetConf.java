package dev.ipsim.kernel.inet;

import dev.ipsim.kernel.NetNamespace;
import dev.ipsim.kernel.link.NetDevice;
import dev.ipsim.kernel.sysctl.SysctlTable;

/**
 * How a device's {@code net.ipv4.conf} settings combine with {@code all}, key by key, as the
 * kernel's {@code IN_DEV_*} macros combine them: some are on when either is on
 * ({@code IN_DEV_ORCONF}), some take the larger value ({@code IN_DEV_MAXCONF}), and
 * {@code forwarding} is the device's own.
 */
final class InetConf {

    private final NetNamespace ns;

    InetConf(NetNamespace ns) {
        this.ns = ns;
    }

    private int get(String device, String key) {
        return ns.sysctls().ipv4ConfInt(device, key, 0);
    }

    /** {@code IN_DEV_ORCONF}. */
    private boolean or(NetDevice dev, String key) {
        return get("all", key) != 0 || get(dev.name(), key) != 0;
    }

    /** {@code IN_DEV_MAXCONF}. */
    private int max(NetDevice dev, String key) {
        return Math.max(get("all", key), get(dev.name(), key));
    }

    boolean acceptLocal(NetDevice dev) {
        return or(dev, "accept_local");
    }

    /** 0 off, 1 strict, 2 loose (RFC 3704). */
    int rpFilter(NetDevice dev) {
        return max(dev, "rp_filter");
    }

    int arpIgnore(NetDevice dev) {
        return max(dev, "arp_ignore");
    }

    int arpAnnounce(NetDevice dev) {
        return max(dev, "arp_announce");
    }

    int arpAccept(NetDevice dev) {
        return max(dev, "arp_accept");
    }

    /** {@code IN_DEV_ANDCONF}: both {@code all} and the device must evict on carrier loss. */
    boolean arpEvictNocarrier(NetDevice dev) {
        return get("all", "arp_evict_nocarrier") != 0 && get(dev.name(), "arp_evict_nocarrier") != 0;
    }

    boolean arpFilter(NetDevice dev) {
        return or(dev, "arp_filter");
    }

    boolean proxyArp(NetDevice dev) {
        return or(dev, "proxy_arp");
    }

    boolean routeLocalnet(NetDevice dev) {
        return or(dev, "route_localnet");
    }

    boolean ignoreRoutesWithLinkdown(NetDevice dev) {
        return or(dev, "ignore_routes_with_linkdown");
    }

    boolean sendRedirects(NetDevice dev) {
        return or(dev, "send_redirects");
    }

    /** {@code IN_DEV_SHARED_MEDIA}. */
    boolean sharedMedia(NetDevice dev) {
        return or(dev, "shared_media");
    }

    /** {@code IN_DEV_SEC_REDIRECTS}. */
    boolean secureRedirects(NetDevice dev) {
        return or(dev, "secure_redirects");
    }

    /**
     * {@code IN_DEV_RX_REDIRECTS}: a router accepts redirects only when {@code all} and the
     * device both say so, a host when either does.
     */
    boolean acceptRedirects(NetDevice dev) {
        if (forwarding(dev)) {
            return get("all", "accept_redirects") != 0 && get(dev.name(), "accept_redirects") != 0;
        }
        return or(dev, "accept_redirects");
    }

    /** {@code IN_DEV_FORWARD}: the device's own value. */
    boolean forwarding(NetDevice dev) {
        return get(dev.name(), "forwarding") != 0;
    }

    /** A namespace-wide {@code net.ipv4.KEY} as an integer. */
    int global(String key) {
        // the keys are literals: found by identity among those asked before, entry kept
        for (int i = 0; i < globalCount; i++) {
            if (globalKeys[i] == key) {
                return globalEntries[i].intValue(0);
            }
        }
        SysctlTable.Entry e = ns.sysctls().ipv4Entry(key);
        if (e != null && globalCount < globalKeys.length) {
            globalKeys[globalCount] = key;
            globalEntries[globalCount++] = e;
        }
        return e == null ? 0 : e.intValue(0);
    }

    private final String[] globalKeys = new String[8];
    private final SysctlTable.Entry[] globalEntries = new SysctlTable.Entry[8];
    private int globalCount;

    /** A namespace-wide {@code net.ipv4.KEY} with two numbers (as {@code ping_group_range}). */
    int[] globalPair(String key) {
        String v = ns.sysctls().read("net/ipv4/" + key);
        String[] f = v == null ? new String[] {"0", "0"} : splitWhitespace(v.trim());
        return new int[] {Integer.parseInt(f[0]), Integer.parseInt(f[1])};
    }

    /** {@code text.split("\\s+")} of a trimmed text, without a regular expression (a first bind reads it). */
    static String[] splitWhitespace(String text) {
        java.util.List<String> out = new java.util.ArrayList<>(2);
        int start = 0;
        int i = 0;
        while (i < text.length()) {
            if (space(text.charAt(i))) {
                out.add(text.substring(start, i));
                while (i < text.length() && space(text.charAt(i))) {
                    i++;
                }
                start = i;
            } else {
                i++;
            }
        }
        out.add(text.substring(start));
        return out.toArray(new String[0]);
    }

    private static boolean space(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
    }
}
