package dev.ipsim.kernel.sysctl;

import dev.ipsim.kernel.Errno;
import dev.ipsim.kernel.KernelException;
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

    /** The four per-device directories, in this order: {@code GROUPS[g]/DEV/KEY}. */
    private static final String[] GROUPS = NetSysctls.GROUPS;
    private static final int V4_CONF = 0;
    private static final int V6_CONF = 2;
    private static final int V6_NEIGH = 3;
    /** Per group: the keys of a device directory, sorted, with their modes and compiled-in values. */
    private static final String[][] KEYS = NetSysctls.DEVICE_KEYS;
    private static final int[][] MODES = NetSysctls.DEVICE_MODES;
    private static final String[][] TEMPLATE_VALUES = NetSysctls.DEVICE_VALUES;
    private static final List<Map<String, Integer>> KEY_INDEX = new ArrayList<>();

    static {
        for (int g = 0; g < GROUPS.length; g++) {
            Map<String, Integer> index = new java.util.HashMap<>();
            for (int i = 0; i < KEYS[g].length; i++) {
                index.put(KEYS[g][i], i);
            }
            KEY_INDEX.add(index);
        }
        if (KEYS[V4_CONF].length > Long.SIZE) {
            throw new IllegalStateException("more IPv4 conf keys than bits in a long");
        }
    }

    /** Everything that is not a device's own directory ({@code all}, {@code default} included). */
    private final TreeMap<String, Entry> entries = new TreeMap<>();
    /**
     * The devices' directories. A device's values start as the very array of {@code default}'s
     * values it was made from, shared with every device made since (copy on write): ten
     * thousand veths cost ten thousand small objects, not a million map entries.
     */
    private final Map<String, DeviceConf> devices = new java.util.HashMap<>();
    /** Per group: the values a new device starts with, or {@code null} once default changed. */
    private final String[][] initial = new String[GROUPS.length][];
    /** {@link #initial} of {@code net/ipv6/conf} with a device's mtu applied, per mtu. */
    private final Map<Integer, String[]> initialIpv6ByMtu = new java.util.HashMap<>();
    private final List<Hook> hooks = new ArrayList<>();
    private final List<Hook> validators = new ArrayList<>();
    /** {@code all}'s and {@code default}'s IPv4 conf entries written explicitly ({@code cnf.state}). */
    private final java.util.Set<String> explicitlySet = new java.util.HashSet<>();

    /**
     * {@link #entries} under a fixed directory by their last name: the packet path reads
     * {@code net.ipv4.conf.all.*} and {@code net.ipv4.*} without building a path (entries are
     * made once and only their values change, so the map never goes stale).
     */
    @SuppressWarnings("unchecked")
    private final Map<String, Entry>[] byName = new Map[SHORTCUT_DIRS.length];
    private static final String[] SHORTCUT_DIRS = {"net/ipv4/conf/all/", "net/ipv4/conf/default/",
        "net/ipv6/conf/all/", "net/ipv6/conf/default/", "net/ipv4/"};
    /** The index in {@link #SHORTCUT_DIRS} of {@code net/ipv4/}. */
    private static final int IPV4_DIR = 4;

    private Entry entryByName(int dir, String name) {
        Map<String, Entry> m = byName[dir];
        if (m == null) {
            m = new java.util.HashMap<>();
            byName[dir] = m;
        }
        Entry e = m.get(name);
        if (e == null) {
            e = entries.get(SHORTCUT_DIRS[dir] + name);
            if (e != null) {
                m.put(name, e);
            }
        }
        return e;
    }

    /**
     * The entry of {@code net.ipv4.KEY}, or {@code null}: entries are made once and only their
     * values change, so a caller may keep it and read {@link Entry#intValue(int)} per packet.
     */
    public Entry ipv4Entry(String key) {
        return entryByName(IPV4_DIR, key);
    }

    /** {@code net.ipv4.KEY} as an int, or {@code fallback} when there is no such entry. */
    public int ipv4Int(String key, int fallback) {
        Entry e = entryByName(IPV4_DIR, key);
        return e == null || e.value == null ? fallback : e.intValue();
    }

    /**
     * {@code net.ipv4.conf.DEV.KEY} as an int, or {@code fallback} when there is no such value:
     * {@link #confValue} without building a path or parsing a value twice.
     */
    public int ipv4ConfInt(String device, String key, int fallback) {
        if (device.equals("all") || device.equals("default")) {
            Entry e = entryByName(device.equals("all") ? 0 : 1, key);
            return e == null || e.value == null ? fallback : e.intValue();
        }
        String v = confValue(false, device, key);
        if (v == null) {
            return fallback;
        }
        if (v.length() == 1) {
            char c = v.charAt(0);
            if (c >= '0' && c <= '9') {
                return c - '0';
            }
        }
        return firstInt(v);
    }

    public SysctlTable() {
        // the sorted paths copied in linear time (TreeMap.putAll of a sorted map compares
        // nothing), then each given an entry of its own
        entries.putAll(NamespacePaths.SORTED);
        for (Map.Entry<String, Entry> e : entries.entrySet()) {
            Entry t = e.getValue();
            e.setValue(new Entry(t.mode, t.value));
        }
    }

    /**
     * A namespace's own entries (not a device's directory: devices make theirs when they
     * register, {@link #addDevice}) with their recorded modes and values, never handed out.
     */
    private static final class NamespacePaths {
        static final TreeMap<String, Entry> SORTED = new TreeMap<>();

        static {
            for (int i = 0; i < NetSysctls.PATHS.length; i++) {
                SORTED.put(NetSysctls.PATHS[i], new Entry(NetSysctls.MODES[i], NetSysctls.VALUES[i]));
            }
        }
    }

    /** One device's directories: values per group ({@code null}: no such directory). */
    private static final class DeviceConf {
        /**
         * The four groups' values ({@link #GROUPS} order), as fields rather than a
         * {@code String[][]}: 24 bytes less a device.
         */
        private String[] v4Conf;
        private String[] v4Neigh;
        private String[] v6Conf;
        private String[] v6Neigh;
        /** Bit g: group g's array is shared with others and must be copied before a write. */
        int shared;
        /** Bit i: IPv4 conf key i was set ({@code in_dev->cnf.state}), so default no longer reaches it. */
        long ipv4Set;

        String[] group(int g) {
            return switch (g) {
                case 0 -> v4Conf;
                case 1 -> v4Neigh;
                case 2 -> v6Conf;
                case 3 -> v6Neigh;
                default -> throw new ArrayIndexOutOfBoundsException(g);
            };
        }

        void set(int g, String[] array) {
            switch (g) {
                case 0 -> v4Conf = array;
                case 1 -> v4Neigh = array;
                case 2 -> v6Conf = array;
                case 3 -> v6Neigh = array;
                default -> throw new ArrayIndexOutOfBoundsException(g);
            }
        }

        void put(int group, int key, String value) {
            if ((shared & (1 << group)) != 0) {
                set(group, group(group).clone());
                shared &= ~(1 << group);
            }
            group(group)[key] = value;
        }

        void share(int group, String[] array) {
            set(group, array);
            shared |= 1 << group;
        }
    }

    /** A parsed device path: group, device and key index ({@code key} -1 for the directory). */
    private record DevicePath(int group, DeviceConf conf, String device, int key) {
    }

    /** The device entry {@code path} names, or {@code null} when it is not one. */
    private DevicePath devicePath(String path) {
        for (int g = 0; g < GROUPS.length; g++) {
            String group = GROUPS[g];
            if (path.length() > group.length() + 1 && path.startsWith(group) && path.charAt(group.length()) == '/') {
                int start = group.length() + 1;
                int slash = path.indexOf('/', start);
                String dev = slash < 0 ? path.substring(start) : path.substring(start, slash);
                DeviceConf conf = devices.get(dev);
                if (conf == null || conf.group(g) == null || dev.equals("all") || dev.equals("default")) {
                    return null;
                }
                if (slash < 0) {
                    return new DevicePath(g, conf, dev, -1);
                }
                Integer key = KEY_INDEX.get(g).get(path.substring(slash + 1));
                return key == null ? null : new DevicePath(g, conf, dev, key);
            }
        }
        return null;
    }

    /** The values a new device's {@code group} directory starts with: default's, else the template's. */
    private String[] initialValues(int group) {
        String[] v = initial[group];
        if (v == null) {
            v = new String[KEYS[group].length];
            String prefix = GROUPS[group] + "/default/";
            for (int i = 0; i < v.length; i++) {
                Entry d = entries.get(prefix + KEYS[group][i]);
                String fromDefault = d == null ? null : d.value;
                v[i] = fromDefault != null ? fromDefault : TEMPLATE_VALUES[group][i];
            }
            initial[group] = v;
        }
        return v;
    }

    private String[] initialIpv6Conf(int mtu) {
        String[] v = initialIpv6ByMtu.get(mtu);
        if (v == null) {
            v = initialValues(V6_CONF).clone();
            v[KEY_INDEX.get(V6_CONF).get("mtu")] = Integer.toString(mtu);
            initialIpv6ByMtu.put(mtu, v);
        }
        return v;
    }

    /** A write to a {@code default} directory: devices made from now on start from new values. */
    private void defaultChanged(String path) {
        if (path.contains("/default/")) {
            java.util.Arrays.fill(initial, null);
            initialIpv6ByMtu.clear();
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

        /** {@link #intValue()}, or {@code fallback} while the entry has no value. */
        public int intValue(int fallback) {
            return value == null ? fallback : intValue();
        }

        /** The first number of the value ({@link #firstInt}), parsed once per value written. */
        int intValue() {
            String v = value;
            if (v != parsedFrom) {
                parsedInt = firstInt(v);
                parsedFrom = v;
            }
            return parsedInt;
        }

        private String parsedFrom;
        private int parsedInt;

        public boolean readable() {
            return (mode & 0444) != 0 && value != null;
        }

        public boolean writable() {
            return (mode & 0222) != 0;
        }
    }

    private record Hook(String suffix, BiConsumer<String, String> action) {
    }

    /** The entry at {@code path}, or {@code null}. */
    public Entry entry(String path) {
        Entry e = entries.get(path);
        if (e != null) {
            return e;
        }
        DevicePath d = devicePath(path);
        if (d == null || d.key < 0) {
            return null;
        }
        return new Entry(MODES[d.group][d.key], d.conf.group(d.group)[d.key]);
    }

    public boolean exists(String path) {
        return entry(path) != null;
    }

    private boolean anyDevice(int group) {
        for (DeviceConf c : devices.values()) {
            if (c.group(group) != null) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code path} is a directory of the tree ({@code net}, {@code net/ipv4/conf}, ...). */
    public boolean isDirectory(String path) {
        if (path.isEmpty()) {
            return true;
        }
        String prefix = path + "/";
        String next = entries.ceilingKey(prefix);
        if (next != null && next.startsWith(prefix)) {
            return true;
        }
        DevicePath d = devicePath(path);
        if (d != null) {
            return d.key < 0;
        }
        for (int g = 0; g < GROUPS.length; g++) {
            if ((GROUPS[g] + "/").startsWith(prefix) && anyDevice(g)) {
                return true;
            }
        }
        return false;
    }

    /** The names directly under directory {@code path}, sorted. */
    public List<String> list(String path) {
        String prefix = path.isEmpty() ? "" : path + "/";
        // sorted as the paths under each name sort: a directory's name as if followed by '/'
        TreeMap<String, String> names = new TreeMap<>();
        for (String key : entries.tailMap(prefix, true).keySet()) {
            if (!key.startsWith(prefix)) {
                break;
            }
            String rest = key.substring(prefix.length());
            int slash = rest.indexOf('/');
            String name = slash < 0 ? rest : rest.substring(0, slash);
            names.put(slash < 0 ? name : name + "/", name);
        }
        DevicePath d = devicePath(path);
        if (d != null && d.key < 0) {
            for (String key : KEYS[d.group]) {
                names.put(key, key);
            }
        }
        for (int g = 0; g < GROUPS.length; g++) {
            String group = GROUPS[g] + "/";
            if (group.equals(prefix)) {
                for (Map.Entry<String, DeviceConf> e : devices.entrySet()) {
                    String dev = e.getKey();
                    if (e.getValue().group(g) != null && !dev.equals("all") && !dev.equals("default")) {
                        names.put(dev + "/", dev);
                    }
                }
            } else if (group.startsWith(prefix) && anyDevice(g)) {
                String name = group.substring(prefix.length(), group.indexOf('/', prefix.length()));
                names.put(name + "/", name);
            }
        }
        return new ArrayList<>(names.values());
    }

    /** Every entry, sorted by path. */
    public NavigableMap<String, Entry> all() {
        TreeMap<String, Entry> all = new TreeMap<>(entries);
        for (Map.Entry<String, DeviceConf> d : devices.entrySet()) {
            for (int g = 0; g < GROUPS.length; g++) {
                String[] values = d.getValue().group(g);
                for (int i = 0; values != null && i < values.length; i++) {
                    all.put(GROUPS[g] + "/" + d.getKey() + "/" + KEYS[g][i], new Entry(MODES[g][i], values[i]));
                }
            }
        }
        return java.util.Collections.unmodifiableNavigableMap(all);
    }

    /** The current value, or {@code null} for a missing or unreadable entry. */
    public String read(String path) {
        Entry e = entries.get(path);
        if (e != null) {
            return e.value;
        }
        DevicePath d = devicePath(path);
        return d == null || d.key < 0 ? null : d.conf.group(d.group)[d.key];
    }

    public int readInt(String path) {
        String v = read(path);
        if (v == null) {
            throw new IllegalArgumentException("no sysctl " + path);
        }
        // the first of the white-space separated numbers
        return firstInt(v);
    }

    /**
     * Writes a value as a write to the proc file would ({@code proc_dointvec} for numbers):
     * surrounding white space is dropped; a number that does not parse is {@code EINVAL}.
     *
     * @throws KernelException ENOENT for a missing entry, EACCES for a read-only one,
     *         EINVAL for a value the entry cannot take
     */
    public void write(String path, String text) {
        Entry e = entry(path);
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
        set(path, value);
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
                markSet(path);
                if (dev.equals("default")) {
                    for (String d : list("net/ipv4/conf")) {
                        if (!d.equals("all") && !d.equals("default") && !isSet(conf + d + "/" + key)) {
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
        DeviceConf c = devices.get(device);
        if (c != null && c.group(V4_CONF) != null) {
            c.ipv4Set = KEYS[V4_CONF].length == Long.SIZE ? -1L : (1L << KEYS[V4_CONF].length) - 1;
        }
    }

    /** Marks an IPv4 conf entry as set ({@code IN_DEV_CONF_SET}). */
    private void markSet(String path) {
        DevicePath d = devicePath(path);
        if (d != null && d.group == V4_CONF && d.key >= 0) {
            d.conf.ipv4Set |= 1L << d.key;
        } else {
            explicitlySet.add(path);
        }
    }

    private boolean isSet(String path) {
        DevicePath d = devicePath(path);
        if (d != null && d.group == V4_CONF && d.key >= 0) {
            return (d.conf.ipv4Set & (1L << d.key)) != 0;
        }
        return explicitlySet.contains(path);
    }

    /**
     * {@code inet_forward_change}: every device, default and all; redirects off while routing.
     * Each device's forwarding counts as set from then on ({@code IN_DEV_CONF_SET}).
     */
    private void ipv4ForwardChange(String value) {
        setConfEverywhere(V4CONF, "forwarding", value);
        for (String d : list("net/ipv4/conf")) {
            if (!d.equals("all") && !d.equals("default")) {
                markSet(V4CONF + d + "/forwarding");
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
        dev.ipsim.kernel.LookupEpoch.bump();
        Entry e = entries.get(path);
        if (e != null) {
            e.value = value;
            defaultChanged(path);
            return;
        }
        DevicePath d = devicePath(path);
        if (d != null && d.key >= 0 && !java.util.Objects.equals(d.conf.group(d.group)[d.key], value)) {
            d.conf.put(d.group, d.key, value);
        }
    }

    /**
     * The range checks of the handlers that have them: {@code ipv4_local_port_range} wants
     * 1..65535, low before high, and low at or above {@code ip_unprivileged_port_start}.
     */
    private void check(String path, String value) {
        if (path.equals("net/ipv4/ip_default_ttl")) {
            // proc_dointvec_minmax between ip_ttl_min and ip_ttl_max
            long ttl = Long.parseLong(value);
            if (ttl < 1 || ttl > 255) {
                throw new KernelException(Errno.EINVAL);
            }
        }
        if (path.matches("net/ipv[46]/neigh/[^/]+/[a-z_]+_ms") && value.startsWith("-")) {
            // do_proc_dointvec_ms_jiffies_conv: a negative count of milliseconds is a huge
            // unsigned one, more jiffies than an int holds
            throw new KernelException(Errno.EINVAL);
        }
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
        dev.ipsim.kernel.LookupEpoch.bump();
        DeviceConf c = new DeviceConf();
        for (int g = 0; g < GROUPS.length; g++) {
            c.share(g, g == V6_CONF ? initialIpv6Conf(mtu) : initialValues(g));
        }
        // the new in_device copies default's conf, its cnf.state bits included
        for (int i = 0; i < KEYS[V4_CONF].length; i++) {
            if (explicitlySet.contains(V4CONF + "default/" + KEYS[V4_CONF][i])) {
                c.ipv4Set |= 1L << i;
            }
        }
        devices.put(name, c);
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
        DeviceConf c = devices.get(name);
        if (c != null) {
            c.set(V6_CONF, null);
            c.set(V6_NEIGH, null);
        }
    }

    /** Makes a device's IPv6 entries again from {@code default} ({@code ipv6_add_dev}). */
    public void addIpv6Device(String name, int mtu) {
        DeviceConf c = devices.computeIfAbsent(name, n -> new DeviceConf());
        c.share(V6_CONF, initialIpv6Conf(mtu));
        c.share(V6_NEIGH, initialValues(V6_NEIGH));
    }

    public void removeDevice(String name) {
        dev.ipsim.kernel.LookupEpoch.bump();
        devices.remove(name);
    }

    public void renameDevice(String oldName, String newName) {
        dev.ipsim.kernel.LookupEpoch.bump();
        DeviceConf c = devices.remove(oldName);
        if (c != null) {
            devices.put(newName, c);
        }
    }

    // ---------------------------------------------------------------- typed views

    /**
     * The text of {@code net/ipv4/conf/DEVICE/KEY} (or {@code net/ipv6/conf/...}), or
     * {@code null}: what the packet path reads per packet, without building the path.
     */
    public String confValue(boolean ipv6, String device, String key) {
        int group = ipv6 ? V6_CONF : V4_CONF;
        if (device.equals("all") || device.equals("default")) {
            Entry e = entries.get(GROUPS[group] + "/" + device + "/" + key);
            return e == null ? null : e.value;
        }
        DeviceConf c = devices.get(device);
        Integer k = KEY_INDEX.get(group).get(key);
        if (c == null || k == null || c.group(group) == null) {
            return read(GROUPS[group] + "/" + device + "/" + key);
        }
        return c.group(group)[k];
    }

    /** {@code net.ipv4.conf.DEV.KEY} as an int. */
    public int ipv4Conf(String device, String key) {
        String v = confValue(false, device, key);
        return v == null ? readInt("net/ipv4/conf/" + device + "/" + key) : firstInt(v);
    }

    private static int firstInt(String v) {
        String t = v.trim();
        int end = 0;
        while (end < t.length() && " \t\n\u000B\f\r".indexOf(t.charAt(end)) < 0) {
            end++;
        }
        return Integer.parseInt(end == t.length() ? t : t.substring(0, end));
    }

    /** {@code net.ipv6.conf.DEV.KEY} as an int. */
    public int ipv6Conf(String device, String key) {
        String v = confValue(true, device, key);
        return v == null ? readInt("net/ipv6/conf/" + device + "/" + key) : firstInt(v);
    }
}
