package dev.ipsim.kernel.sysctl;

import dev.ipsim.kernel.Errno;
import dev.ipsim.kernel.KernelException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * One network namespace's {@code net.*} sysctls: the files under {@code /proc/sys/net}.
 *
 * <p>The names, modes and defaults come from {@code net.tsv}, recorded from a fresh namespace
 * on a real kernel ({@code oracle/record-sysctls}). Per-device entries are made from the
 * {@code {dev}} templates when a device registers, with values copied from {@code default}
 * as {@code inetdev_init}/{@code ipv6_add_dev} copy them. Paths are relative to
 * {@code /proc/sys} with {@code /} separators.
 */
public final class SysctlTable {

    private static final String DEV = "{dev}";
    private static final List<Template> TEMPLATES = loadTemplates();

    private final TreeMap<String, Entry> entries = new TreeMap<>();
    private final List<Hook> hooks = new ArrayList<>();
    private final List<Hook> validators = new ArrayList<>();
    /** Per-device IPv4 conf entries written explicitly ({@code in_dev->cnf.state}); others follow default. */
    private final java.util.Set<String> explicitlySet = new java.util.HashSet<>();

    public SysctlTable() {
        for (Template t : TEMPLATES) {
            if (!t.path.contains(DEV)) {
                entries.put(t.path, new Entry(t.mode, t.value));
            }
        }
    }

    /** A sysctl file: its mode bits and current contents (without the final newline). */
    public static final class Entry {
        private final int mode;
        private String value;

        Entry(int mode, String value) {
            this.mode = mode;
            this.value = value;
        }

        public int mode() {
            return mode;
        }

        public String value() {
            return value;
        }

        public boolean readable() {
            return (mode & 0444) != 0 && value != null;
        }

        public boolean writable() {
            return (mode & 0222) != 0;
        }
    }

    private record Template(int mode, String path, String value) {
    }

    private record Hook(String suffix, BiConsumer<String, String> action) {
    }

    private static List<Template> loadTemplates() {
        List<Template> out = new ArrayList<>();
        InputStream in = SysctlTable.class.getResourceAsStream("net.tsv");
        if (in == null) {
            throw new IllegalStateException("net.tsv missing from the kernel-model jar");
        }
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t", 3);
                String value = f[2].equals("<unreadable>") ? null : f[2].replace("\\t", "\t").replace("\\n", "\n");
                out.add(new Template(Integer.parseInt(f[0], 8), f[1], value));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** The entry at {@code path}, or {@code null}. */
    public Entry entry(String path) {
        return entries.get(path);
    }

    public boolean exists(String path) {
        return entries.containsKey(path);
    }

    /** Whether {@code path} is a directory of the tree ({@code net}, {@code net/ipv4/conf}, ...). */
    public boolean isDirectory(String path) {
        if (path.isEmpty()) {
            return true;
        }
        String prefix = path + "/";
        String next = entries.ceilingKey(prefix);
        return next != null && next.startsWith(prefix);
    }

    /** The names directly under directory {@code path}, sorted. */
    public List<String> list(String path) {
        String prefix = path.isEmpty() ? "" : path + "/";
        List<String> names = new ArrayList<>();
        for (String key : entries.tailMap(prefix, true).keySet()) {
            if (!key.startsWith(prefix)) {
                break;
            }
            String rest = key.substring(prefix.length());
            int slash = rest.indexOf('/');
            String name = slash < 0 ? rest : rest.substring(0, slash);
            if (names.isEmpty() || !names.get(names.size() - 1).equals(name)) {
                names.add(name);
            }
        }
        return names;
    }

    /** Every entry, sorted by path. */
    public NavigableMap<String, Entry> all() {
        return java.util.Collections.unmodifiableNavigableMap(entries);
    }

    /** The current value, or {@code null} for a missing or unreadable entry. */
    public String read(String path) {
        Entry e = entries.get(path);
        return e == null ? null : e.value;
    }

    public int readInt(String path) {
        String v = read(path);
        if (v == null) {
            throw new IllegalArgumentException("no sysctl " + path);
        }
        return Integer.parseInt(v.trim().split("\\s+")[0]);
    }

    /**
     * Writes a value as a write to the proc file would ({@code proc_dointvec} for numbers):
     * surrounding white space is dropped; a number that does not parse is {@code EINVAL}.
     *
     * @throws KernelException ENOENT for a missing entry, EACCES for a read-only one,
     *         EINVAL for a value the entry cannot take
     */
    public void write(String path, String text) {
        Entry e = entries.get(path);
        if (e == null) {
            throw new KernelException(Errno.ENOENT);
        }
        if (!e.writable()) {
            throw new KernelException(Errno.EACCES);
        }
        String value = normalise(e, text);
        check(path, value);
        for (Hook v : validators) {
            if (path.endsWith(v.suffix)) {
                v.action.accept(path, value);
            }
        }
        String old = e.value;
        e.value = value;
        propagate(path, value);
        if (!value.equals(old)) {
            runHooks(path, value);
        }
    }

    private void runHooks(String path, String value) {
        for (Hook h : List.copyOf(hooks)) {
            if (path.endsWith(h.suffix)) {
                h.action.accept(path, value);
            }
        }
    }

    /**
     * Registers a check run before a write to any path ending in {@code suffix} is accepted;
     * it refuses the value by throwing a {@link KernelException}.
     */
    public void validateWith(String suffix, BiConsumer<String, String> check) {
        validators.add(new Hook(suffix, check));
    }

    private static final String V4CONF = "net/ipv4/conf/";
    private static final String V6CONF = "net/ipv6/conf/";

    /**
     * The kernel's side effects of a conf write ({@code devinet_conf_proc},
     * {@code devinet_sysctl_forward}, {@code addrconf_sysctl_forward}): a device value written
     * by hand stops following {@code default}; {@code default} flows to every device that never
     * set its own; {@code all.forwarding} and {@code ip_forward} are one switch that sets every
     * device.
     */
    private void propagate(String path, String value) {
        if (path.equals("net/ipv4/ip_forward")) {
            ipv4ForwardChange(value);
            return;
        }
        for (String conf : new String[] {V4CONF, V6CONF}) {
            if (!path.startsWith(conf)) {
                continue;
            }
            String rest = path.substring(conf.length());
            int slash = rest.indexOf('/');
            if (slash < 0) {
                return;
            }
            String dev = rest.substring(0, slash);
            String key = rest.substring(slash + 1);
            if (dev.equals("all") && key.equals("forwarding")) {
                if (conf.equals(V4CONF)) {
                    ipv4ForwardChange(value);
                } else {
                    setConfEverywhere(conf, key, value);
                }
            } else if (dev.equals("all") && key.equals("disable_ipv6") && conf.equals(V6CONF)) {
                // addrconf_disable_ipv6: all sets default and every device (hooks see each change)
                for (String d : list("net/ipv6/conf")) {
                    if (!d.equals("all")) {
                        String p = conf + d + "/" + key;
                        boolean changed = !value.equals(read(p));
                        set(p, value);
                        if (changed && !d.equals("default")) {
                            runHooks(p, value);
                        }
                    }
                }
            } else if (conf.equals(V4CONF) && !NO_DEFAULT_COPY.contains(key)) {
                // devinet_conf_proc: the entry is marked as set (cnf.state); a default value is
                // copied to each device that has not set its own (devinet_copy_dflt_conf)
                explicitlySet.add(path);
                if (dev.equals("default")) {
                    for (String d : list("net/ipv4/conf")) {
                        if (!d.equals("all") && !d.equals("default") && !explicitlySet.contains(conf + d + "/" + key)) {
                            set(conf + d + "/" + key, value);
                        }
                    }
                }
            }
        }
    }

    /**
     * IPv4 conf entries whose handler is not {@code devinet_conf_proc}: forwarding
     * ({@code devinet_sysctl_forward}), the read-only mc_forwarding, and the
     * {@code ipv4_doint_and_flush} ones. Writing them marks nothing and copies nothing.
     */
    private static final java.util.Set<String> NO_DEFAULT_COPY = java.util.Set.of("forwarding", "mc_forwarding",
            "disable_xfrm", "disable_policy", "promote_secondaries", "route_localnet",
            "drop_unicast_in_l2_multicast");

    /**
     * {@code ipv4_devconf_setall}: every IPv4 conf entry of the device counts as set, so
     * {@code default} no longer reaches it. The kernel does this when an address is added
     * ({@code rtm_to_ifaddr}).
     */
    public void markIpv4ConfSet(String device) {
        String prefix = V4CONF + device + "/";
        for (String key : entries.subMap(prefix, true, prefix + Character.MAX_VALUE, true).keySet()) {
            explicitlySet.add(key);
        }
    }

    /**
     * {@code inet_forward_change}: every device, default and all; redirects off while routing.
     * Each device's forwarding counts as set from then on ({@code IN_DEV_CONF_SET}).
     */
    private void ipv4ForwardChange(String value) {
        setConfEverywhere(V4CONF, "forwarding", value);
        for (String d : list("net/ipv4/conf")) {
            if (!d.equals("all") && !d.equals("default")) {
                explicitlySet.add(V4CONF + d + "/forwarding");
            }
        }
        set("net/ipv4/ip_forward", value);
        set(V4CONF + "all/accept_redirects", value.equals("0") ? "1" : "0");
    }

    private void setConfEverywhere(String conf, String key, String value) {
        for (String d : list(conf.substring(0, conf.length() - 1))) {
            set(conf + d + "/" + key, value);
        }
    }

    /**
     * {@code devinet_init_net} with {@code net.core.devconf_inherit_init_net} 0: a new namespace
     * starts with {@code init_net}'s IPv4 {@code all} and {@code default} conf (its
     * {@code ip_forward} is {@code all}'s forwarding); IPv6 and everything else start from the
     * compiled-in defaults.
     */
    public void inheritIpv4Conf(SysctlTable init) {
        for (String d : List.of("all", "default")) {
            String prefix = V4CONF + d + "/";
            for (Map.Entry<String, Entry> e : init.entries.subMap(prefix, true, prefix + Character.MAX_VALUE, true)
                    .entrySet()) {
                set(e.getKey(), e.getValue().value);
                if (init.explicitlySet.contains(e.getKey())) {
                    explicitlySet.add(e.getKey());
                }
            }
        }
        set("net/ipv4/ip_forward", read(V4CONF + "all/forwarding"));
    }

    /** Sets a value without running hooks: for the kernel's own bookkeeping. */
    public void set(String path, String value) {
        Entry e = entries.get(path);
        if (e != null) {
            e.value = value;
        }
    }

    /**
     * The range checks of the handlers that have them: {@code ipv4_local_port_range} wants
     * 1..65535, low before high, and low at or above {@code ip_unprivileged_port_start}.
     */
    private void check(String path, String value) {
        if (path.equals("net/ipv4/ip_local_port_range")) {
            String[] v = value.split("\t");
            long low = Long.parseLong(v[0]);
            long high = Long.parseLong(v[1]);
            if (low < 1 || high > 65535 || high < low || low < readInt("net/ipv4/ip_unprivileged_port_start")) {
                throw new KernelException(Errno.EINVAL);
            }
        }
    }

    private static String normalise(Entry e, String text) {
        String current = e.value;
        String trimmed = text.strip();
        if (current == null || !isNumeric(current)) {
            return trimmed;
        }
        String[] parts = trimmed.isEmpty() ? new String[0] : trimmed.split("[ \t\n]+");
        int expected = current.split("\t").length;
        if (parts.length == 0) {
            throw new KernelException(Errno.EINVAL);
        }
        // proc_dointvec reads as many numbers as the entry holds and leaves the rest unread
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            long v;
            try {
                v = Long.parseLong(parts[i].startsWith("+") ? parts[i].substring(1) : parts[i]);
            } catch (NumberFormatException ex) {
                throw new KernelException(Errno.EINVAL);
            }
            if (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE) {
                throw new KernelException(Errno.EINVAL);
            }
            if (i > 0) {
                sb.append('\t');
            }
            sb.append(v);
            if (i + 1 == expected) {
                break;
            }
        }
        if (expected > 1 && parts.length < expected) {
            // proc_dointvec leaves the elements that were not written as they were
            String[] old = current.split("\t");
            for (int i = parts.length; i < expected; i++) {
                sb.append('\t').append(old[i]);
            }
        }
        return sb.toString();
    }

    private static boolean isNumeric(String v) {
        return v.matches("-?\\d+(\t-?\\d+)*");
    }

    /** Registers an action run after a write that changed a path ending in {@code suffix}. */
    public void onWrite(String suffix, BiConsumer<String, String> action) {
        hooks.add(new Hook(suffix, action));
    }

    /**
     * Creates a device's {@code conf} and {@code neigh} entries, copying {@code default}'s
     * values, then applying what differs per device ({@code mtu}, loopback's own settings).
     */
    public void addDevice(String name, boolean loopback, int mtu) {
        for (Template t : TEMPLATES) {
            if (!t.path.contains(DEV)) {
                continue;
            }
            String path = t.path.replace(DEV, name);
            String fromDefault = read(t.path.replace(DEV, "default"));
            String value = fromDefault != null ? fromDefault : t.value;
            entries.put(path, new Entry(t.mode, value));
        }
        set("net/ipv6/conf/" + name + "/mtu", Integer.toString(mtu));
        // the new in_device copies default's conf, its cnf.state bits included
        String dflt = V4CONF + "default/";
        for (String p : List.copyOf(explicitlySet)) {
            if (p.startsWith(dflt)) {
                explicitlySet.add(V4CONF + name + "/" + p.substring(dflt.length()));
            }
        }
        if (loopback) {
            // what devinet and addrconf set for the loopback device only
            set("net/ipv4/conf/" + name + "/disable_policy", "1");
            set("net/ipv4/conf/" + name + "/disable_xfrm", "1");
            set("net/ipv6/conf/" + name + "/accept_dad", "-1");
            set("net/ipv6/conf/" + name + "/use_tempaddr", "-1");
        }
    }

    /**
     * Removes a device's IPv6 entries ({@code net/ipv6/conf/DEV}, {@code net/ipv6/neigh/DEV}):
     * its {@code inet6_dev} is gone (an mtu below 1280).
     */
    public void removeIpv6Device(String name) {
        for (String prefix : List.of(V6CONF + name + "/", "net/ipv6/neigh/" + name + "/")) {
            entries.subMap(prefix, true, prefix + Character.MAX_VALUE, true).clear();
        }
    }

    /** Makes a device's IPv6 entries again from {@code default} ({@code ipv6_add_dev}). */
    public void addIpv6Device(String name, int mtu) {
        for (Template t : TEMPLATES) {
            if (!t.path.contains(DEV) || !(t.path.startsWith(V6CONF) || t.path.startsWith("net/ipv6/neigh/"))) {
                continue;
            }
            String path = t.path.replace(DEV, name);
            String fromDefault = read(t.path.replace(DEV, "default"));
            entries.put(path, new Entry(t.mode, fromDefault != null ? fromDefault : t.value));
        }
        set(V6CONF + name + "/mtu", Integer.toString(mtu));
    }

    public void removeDevice(String name) {
        explicitlySet.removeIf(p -> p.startsWith(V4CONF + name + "/") || p.startsWith(V6CONF + name + "/"));
        for (String prefix : deviceDirectories(name)) {
            entries.subMap(prefix, true, prefix + Character.MAX_VALUE, true).clear();
        }
    }

    public void renameDevice(String oldName, String newName) {
        Map<String, Entry> moved = new TreeMap<>();
        for (String prefix : deviceDirectories(oldName)) {
            var sub = entries.subMap(prefix, true, prefix + Character.MAX_VALUE, true);
            for (var e : sub.entrySet()) {
                String suffix = e.getKey().substring(prefix.length());
                moved.put(prefix.replace("/" + oldName + "/", "/" + newName + "/") + suffix, e.getValue());
            }
            sub.clear();
        }
        entries.putAll(moved);
        java.util.Set<String> renamed = new java.util.HashSet<>();
        for (String p : explicitlySet) {
            String np = p;
            for (String conf : new String[] {V4CONF, V6CONF}) {
                if (p.startsWith(conf + oldName + "/")) {
                    np = conf + newName + p.substring((conf + oldName).length());
                }
            }
            renamed.add(np);
        }
        explicitlySet.clear();
        explicitlySet.addAll(renamed);
    }

    private static List<String> deviceDirectories(String name) {
        return List.of("net/ipv4/conf/" + name + "/", "net/ipv4/neigh/" + name + "/",
                "net/ipv6/conf/" + name + "/", "net/ipv6/neigh/" + name + "/");
    }

    // ---------------------------------------------------------------- typed views

    /** {@code net.ipv4.conf.DEV.KEY} as an int. */
    public int ipv4Conf(String device, String key) {
        return readInt("net/ipv4/conf/" + device + "/" + key);
    }

    /** {@code net.ipv6.conf.DEV.KEY} as an int. */
    public int ipv6Conf(String device, String key) {
        return readInt("net/ipv6/conf/" + device + "/" + key);
    }
}
