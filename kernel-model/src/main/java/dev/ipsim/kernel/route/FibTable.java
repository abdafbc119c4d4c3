package dev.ipsim.kernel.route;

import dev.ipsim.kernel.addr.Family;
import dev.ipsim.kernel.addr.IpAddress;
import dev.ipsim.kernel.addr.IpPrefix;
import dev.ipsim.kernel.addr.Ipv4Address;
import dev.ipsim.kernel.addr.Ipv6Address;
import dev.ipsim.kernel.link.NetDevice;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * One routing table of one address family.
 *
 * <p>Heads up: the order routes are listed in is the kernel's walk order, and users see it.
 * IPv4 ({@code fib_trie}): by destination key as an unsigned number, longer prefixes first
 * for equal keys, then TOS descending, then metric ascending. IPv6 ({@code ip6_fib}): a
 * post-order walk of the radix tree, so a prefix comes after every prefix it contains (the
 * default route last), zero bits before one bits; then metric ascending. Routes with equal
 * sort keys keep the position their insertion flags gave them (append, prepend).
 *
 * <p>Beside the sorted slots, three indexes keep lookups and device events from walking the
 * whole table, as the kernel's trie and {@code fib_info} hashes do: the slots of each prefix
 * (for longest-prefix match, one hash probe per prefix length in use), the routes through
 * each device ({@code fib_info_devhash}), and the routes by preferred source
 * ({@code fib_info_laddrhash}).
 */
public final class FibTable {

    private final Family family;
    private final int id;
    private final TreeMap<Slot, List<Route>> slots;
    /** Per destination prefix (host bits clear), its slots' lists in TOS-descending order. */
    private final HashMap<IpPrefix, List<List<Route>>> byPrefix = new HashMap<>();
    /**
     * IPv4: {@link #byPrefix} again, as open addressing on (length, network bits) in a
     * {@code long[]}: a lookup's probe reads one array slot, allocates nothing and follows no
     * pointer until it hits. 0 marks a free slot (keys carry a bit above the 40 they use).
     */
    private long[] v4Keys;
    private Object[] v4Values;
    private int v4Size;
    /** How many slots there are of each prefix length. */
    private final int[] slotsOfLength;
    /** Bit n: some slot has prefix length n (IPv4: lengths 0..32). */
    private long ipv4Lengths;
    /** An IPv4 table of this many slots keeps {@link #lengthsBy16}. */
    private static final int FILTER_MIN_SLOTS = 256;
    /**
     * IPv4, large tables only: per /16 of the address space, bit n set when a slot of prefix
     * length n lies in it or covers it, so that a lookup probes a handful of lengths, not every
     * length in use. Removals leave their bits (a probe then finds nothing); the filter is made
     * again once removals outnumber the slots.
     */
    private long[] lengthsBy16;
    private int removedSinceFilter;
    /** Small lists, not sets: a device has a handful of routes, and a list costs 40 bytes, not 300. */
    private final Map<NetDevice, List<Route>> byDevice = new IdentityHashMap<>();
    private final Map<IpAddress, List<Route>> byPreferredSource = new HashMap<>();
    private int size;
    /** How many routes have a protocol other than {@code kernel}. */
    private int notByKernel;
    private final Runnable changed;

    public FibTable(Family family, int id) {
        this(family, id, () -> { });
    }

    /** @param changed told of every insertion and removal ({@code rt_cache_flush}) */
    public FibTable(Family family, int id, Runnable changed) {
        this.family = family;
        this.id = id;
        this.slots = new TreeMap<>(family == Family.INET ? IPV4_ORDER : IPV6_ORDER);
        this.slotsOfLength = new int[family == Family.INET ? 33 : 129];
        this.changed = changed;
    }

    private void index(Route r) {
        if (r.protocol() != RouteProtocol.KERNEL) {
            notByKernel++;
        }
        if (r.device() != null) {
            byDevice.computeIfAbsent(r.device(), d -> new ArrayList<>(2)).add(r);
        }
        if (r.preferredSource() != null) {
            byPreferredSource.computeIfAbsent(r.preferredSource(), a -> new ArrayList<>(2)).add(r);
        }
    }

    private void unindex(Route r) {
        if (r.protocol() != RouteProtocol.KERNEL) {
            notByKernel--;
        }
        if (r.device() != null) {
            unindex(byDevice, r.device(), r);
        }
        if (r.preferredSource() != null) {
            unindex(byPreferredSource, r.preferredSource(), r);
        }
    }

    private static <K> void unindex(Map<K, List<Route>> index, K key, Route r) {
        List<Route> list = index.get(key);
        if (list != null) {
            // from the end: the newest routes are the likeliest to go
            for (int i = list.size() - 1; i >= 0; i--) {
                if (list.get(i) == r) {
                    list.remove(i);
                    break;
                }
            }
            if (list.isEmpty()) {
                index.remove(key);
            }
        }
    }

    /** A slot list was made: the prefix index learns of it, in its TOS order. */
    private void slotAdded(Slot slot, List<Route> list) {
        List<List<Route>> lists = byPrefix.get(slot.prefix);
        if (lists == null) {
            lists = new ArrayList<>(1);
            byPrefix.put(slot.prefix, lists);
        }
        int i = 0;
        while (i < lists.size() && lists.get(i).get(0).tos() > slot.tos) {
            i++;
        }
        lists.add(i, list);
        if (family == Family.INET) {
            v4Put(v4Key(slot.prefix), lists);
        }
        if (slotsOfLength[slot.prefix.length()]++ == 0 && family == Family.INET) {
            ipv4Lengths |= 1L << slot.prefix.length();
        }
        if (lengthsBy16 != null) {
            mark(slot.prefix);
        } else if (family == Family.INET && slots.size() >= FILTER_MIN_SLOTS) {
            buildFilter();
        }
    }

    private void buildFilter() {
        lengthsBy16 = new long[1 << 16];
        removedSinceFilter = 0;
        for (Slot s : slots.keySet()) {
            mark(s.prefix);
        }
    }

    private void mark(IpPrefix prefix) {
        int bits = ((Ipv4Address) prefix.address()).bits();
        int length = prefix.length();
        int first = bits >>> 16;
        int count = length >= 16 ? 1 : 1 << (16 - length);
        first &= ~(count - 1);
        for (int i = first; i < first + count; i++) {
            lengthsBy16[i] |= 1L << length;
        }
    }

    /** A slot list became empty and went. */
    private void slotRemoved(Slot slot, List<Route> list) {
        List<List<Route>> lists = byPrefix.get(slot.prefix);
        if (lists != null) {
            lists.removeIf(l -> l == list);
            if (lists.isEmpty()) {
                byPrefix.remove(slot.prefix);
                if (family == Family.INET) {
                    v4Remove(v4Key(slot.prefix));
                }
            } else {
                refresh(slot.prefix);
            }
        }
        if (--slotsOfLength[slot.prefix.length()] == 0 && family == Family.INET) {
            ipv4Lengths &= ~(1L << slot.prefix.length());
        }
        if (lengthsBy16 != null && ++removedSinceFilter > slots.size()) {
            if (slots.size() >= FILTER_MIN_SLOTS) {
                buildFilter();
            } else {
                lengthsBy16 = null;
            }
        }
    }

    private static long v4Key(IpPrefix prefix) {
        return v4Key(((Ipv4Address) prefix.address()).bits(), prefix.length());
    }

    private static long v4Key(int bits, int length) {
        return 1L << 40 | (long) length << 32 | (bits & 0xFFFF_FFFFL);
    }

    private static int v4Home(long key, int mask) {
        return (int) ((key * 0x9E37_79B9_7F4A_7C15L) >>> 40) & mask;
    }

    /**
     * The probe's value for a prefix's slot lists: the route itself when the prefix holds just
     * one (the common case, one pointer fewer to follow per level), else the lists.
     */
    private static Object probeValue(List<List<Route>> lists) {
        return lists.size() == 1 && lists.get(0).size() == 1 ? lists.get(0).get(0) : lists;
    }

    /** The routes of {@code prefix} changed in place: its probe value follows. */
    private void refresh(IpPrefix prefix) {
        if (family == Family.INET) {
            List<List<Route>> lists = byPrefix.get(prefix);
            if (lists != null) {
                v4Put(v4Key(prefix), lists);
            }
        }
    }

    private void v4Put(long key, List<List<Route>> lists) {
        v4Store(key, probeValue(lists));
    }

    private void v4Store(long key, Object value) {
        if (v4Keys == null || (v4Size + 1) * 2 > v4Keys.length) {
            long[] oldKeys = v4Keys;
            Object[] oldValues = v4Values;
            v4Keys = new long[oldKeys == null ? 16 : oldKeys.length * 2];
            v4Values = new Object[v4Keys.length];
            v4Size = 0;
            for (int i = 0; oldKeys != null && i < oldKeys.length; i++) {
                if (oldKeys[i] != 0) {
                    v4Store(oldKeys[i], oldValues[i]);
                }
            }
        }
        int mask = v4Keys.length - 1;
        int i = v4Home(key, mask);
        while (v4Keys[i] != 0) {
            if (v4Keys[i] == key) {
                v4Values[i] = value;
                return;
            }
            i = (i + 1) & mask;
        }
        v4Keys[i] = key;
        v4Values[i] = value;
        v4Size++;
    }

    private Object v4Get(long key) {
        long[] keys = v4Keys;
        if (keys == null) {
            return null;
        }
        int mask = keys.length - 1;
        for (int i = v4Home(key, mask); keys[i] != 0; i = (i + 1) & mask) {
            if (keys[i] == key) {
                return v4Values[i];
            }
        }
        return null;
    }

    /** Removes a key, shifting back the entries after it that may not stay past the hole. */
    private void v4Remove(long key) {
        if (v4Keys == null) {
            return;
        }
        int mask = v4Keys.length - 1;
        int i = v4Home(key, mask);
        while (v4Keys[i] != key) {
            if (v4Keys[i] == 0) {
                return;
            }
            i = (i + 1) & mask;
        }
        v4Keys[i] = 0;
        v4Values[i] = null;
        v4Size--;
        for (int j = (i + 1) & mask; v4Keys[j] != 0; j = (j + 1) & mask) {
            int home = v4Home(v4Keys[j], mask);
            // the entry at j may move to the hole at i unless its home lies in (i, j]
            boolean stays = i <= j ? home > i && home <= j : home > i || home <= j;
            if (!stays) {
                v4Keys[i] = v4Keys[j];
                v4Values[i] = v4Values[j];
                v4Keys[j] = 0;
                v4Values[j] = null;
                i = j;
            }
        }
    }

    /**
     * IPv4's lookup probe at the prefix {@code bits/length} (host bits already clear): the
     * prefix's only {@link Route}, or its slots as a {@code List<List<Route>>} in TOS-descending
     * order, or {@code null}; a view not to be kept across a change.
     */
    public Object probe(int bits, int length) {
        return v4Get(v4Key(bits, length));
    }

    /**
     * The prefix lengths a lookup of {@code destination} must try, longest first: bit n set
     * when the table may hold a slot of length n containing it.
     */
    public long ipv4PrefixLengths(Ipv4Address destination) {
        return ipv4PrefixLengths(destination.bits());
    }

    /** {@link #ipv4PrefixLengths(Ipv4Address)} of an address's bits. */
    public long ipv4PrefixLengths(int destination) {
        long[] filter = lengthsBy16;
        return filter == null ? ipv4Lengths : ipv4Lengths & filter[destination >>> 16];
    }

    /** The routes through {@code dev}, in no particular order. */
    public List<Route> routesThrough(NetDevice dev) {
        List<Route> list = byDevice.get(dev);
        return list == null ? List.of() : new ArrayList<>(list);
    }

    /** Removes the routes through {@code dev} matching {@code filter}; returns how many went. */
    public int removeIf(NetDevice dev, Predicate<Route> filter) {
        return removeAll(routesThrough(dev), filter);
    }

    /** Removes the routes with preferred source {@code a} ({@code fib_sync_down_addr}). */
    public int removeWithPreferredSource(IpAddress a) {
        List<Route> list = byPreferredSource.get(a);
        return list == null ? 0 : removeAll(new ArrayList<>(list), r -> true);
    }

    private int removeAll(List<Route> candidates, Predicate<Route> filter) {
        int removed = 0;
        for (Route r : candidates) {
            if (!filter.test(r)) {
                continue;
            }
            Slot slot = new Slot(r.destination(), r.tos());
            List<Route> list = slots.get(slot);
            if (list != null && list.remove(r)) {
                if (list.isEmpty()) {
                    slots.remove(slot);
                    slotRemoved(slot, list);
                } else {
                    refresh(slot.prefix);
                }
                unindex(r);
                removed++;
            }
        }
        size -= removed;
        if (removed > 0) {
            changed.run();
        }
        return removed;
    }

    public Family family() {
        return family;
    }

    public int id() {
        return id;
    }

    public int size() {
        return size;
    }

    /** Whether some route was not made by the kernel itself (its protocol is not {@code kernel}). */
    public boolean hasRoutesNotByKernel() {
        return notByKernel > 0;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** Every route, in the kernel's dump order. */
    public List<Route> routes() {
        List<Route> all = new ArrayList<>(size);
        for (List<Route> list : slots.values()) {
            all.addAll(list);
        }
        return all;
    }

    /** The routes for exactly this destination and TOS, in order (metric ascending). */
    public List<Route> routesAt(IpPrefix destination, int tos) {
        List<Route> list = slots.get(new Slot(destination.network(), tos));
        return list == null ? List.of() : Collections.unmodifiableList(list);
    }

    /**
     * The routes for exactly this destination and TOS through {@code dev}, in order: through
     * the device's index when that is the shorter way (a prefix every device has a route to,
     * as IPv6's {@code fe80::/64}, holds one route per device).
     */
    public List<Route> routesAt(IpPrefix destination, int tos, NetDevice dev) {
        List<Route> through = byDevice.get(dev);
        IpPrefix net = destination.network();
        List<Route> slot = slots.get(new Slot(net, tos));
        if (through == null || slot == null) {
            return List.of();
        }
        if (through.size() < slot.size()) {
            List<Route> found = new ArrayList<>(1);
            for (Route r : through) {
                if (r.tos() == tos && r.destination().network().equals(net)) {
                    found.add(r);
                }
            }
            if (found.size() <= 1) {
                return found;
            }
        }
        List<Route> out = new ArrayList<>();
        for (Route r : slot) {
            if (r.device() == dev) {
                out.add(r);
            }
        }
        return out;
    }

    /** Every TOS slot for a destination, as the kernel's alias list for one prefix. */
    public List<Route> routesFor(IpPrefix destination) {
        List<List<Route>> lists = byPrefix.get(destination.network());
        if (lists == null) {
            return List.of();
        }
        if (lists.size() == 1) {
            return new ArrayList<>(lists.get(0));
        }
        List<Route> out = new ArrayList<>();
        for (List<Route> l : lists) {
            out.addAll(l);
        }
        return out;
    }

    /**
     * The routes for a prefix whose host bits are already clear, as {@link #routesFor}, or
     * {@code null}: the lookup's fast path, a view that must not be kept across a change.
     */
    public List<List<Route>> slotsAt(IpPrefix network) {
        return byPrefix.get(network);
    }

    /** Where a new route goes among the routes of its slot. */
    public enum Position {
        /** Before routes with the same metric ({@code ip route prepend}, {@code add}). */
        BEFORE_EQUAL,
        /** After routes with the same metric ({@code NLM_F_APPEND}: kernel routes, {@code append}). */
        AFTER_EQUAL
    }

    /** Inserts a route at the position the flags call for. */
    public void insert(Route route, Position position) {
        Slot slot = new Slot(route.destination(), route.tos());
        List<Route> list = slots.get(slot);
        if (list == null) {
            list = new ArrayList<>(1);
            slots.put(slot, list);
            slotAdded(slot, list);
        }
        // the list is in metric order: the first route of a greater metric (or of an equal
        // one, before equals), by binary search (fe80::/64 holds a route per device)
        int low = 0;
        int high = list.size();
        while (low < high) {
            int mid = (low + high) >>> 1;
            int c = Integer.compareUnsigned(list.get(mid).priority(), route.priority());
            if (c > 0 || (c == 0 && position == Position.BEFORE_EQUAL)) {
                high = mid;
            } else {
                low = mid + 1;
            }
        }
        list.add(low, route);
        refresh(slot.prefix);
        index(route);
        size++;
        changed.run();
    }

    /** Replaces {@code old} by {@code replacement} in place. */
    public void replace(Route old, Route replacement) {
        List<Route> list = slots.get(new Slot(old.destination(), old.tos()));
        int i = list == null ? -1 : list.indexOf(old);
        if (i < 0) {
            throw new IllegalStateException("route not in table: " + old);
        }
        if (replacement.priority() == old.priority() && replacement.tos() == old.tos()) {
            list.set(i, replacement);
            refresh(old.destination());
            unindex(old);
            index(replacement);
            changed.run();
        } else {
            remove(old);
            insert(replacement, Position.BEFORE_EQUAL);
        }
    }

    public boolean remove(Route route) {
        Slot slot = new Slot(route.destination(), route.tos());
        List<Route> list = slots.get(slot);
        if (list == null || !list.remove(route)) {
            return false;
        }
        if (list.isEmpty()) {
            slots.remove(slot);
            slotRemoved(slot, list);
        } else {
            refresh(slot.prefix);
        }
        unindex(route);
        size--;
        changed.run();
        return true;
    }

    /** Removes every route matching {@code filter}; returns how many went. */
    public int removeIf(Predicate<Route> filter) {
        int removed = 0;
        var it = slots.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Slot, List<Route>> e = it.next();
            List<Route> list = e.getValue();
            int before = list.size();
            list.removeIf(r -> {
                if (filter.test(r)) {
                    unindex(r);
                    return true;
                }
                return false;
            });
            removed += before - list.size();
            if (list.isEmpty()) {
                it.remove();
                slotRemoved(e.getKey(), list);
            } else if (list.size() != before) {
                refresh(e.getKey().prefix);
            }
        }
        size -= removed;
        if (removed > 0) {
            changed.run();
        }
        return removed;
    }

    /**
     * The routes whose prefix contains {@code address}, longest prefix first, each prefix's
     * routes in table order: the candidates a lookup tries in turn.
     */
    public List<Route> matching(IpAddress address) {
        List<Route> out = new ArrayList<>();
        for (int len = address.bitLength(); len >= 0; len--) {
            IpPrefix p = new IpPrefix(address.masked(len), len);
            out.addAll(routesFor(p));
        }
        return out;
    }

    /** A destination prefix and TOS: the unit the kernel keeps a sorted alias list for. */
    private record Slot(IpPrefix prefix, int tos) {
    }

    private static final Comparator<Slot> IPV4_ORDER = (a, b) -> {
        Ipv4Address ka = (Ipv4Address) a.prefix.address();
        Ipv4Address kb = (Ipv4Address) b.prefix.address();
        int c = ka.compareTo(kb);
        if (c != 0) {
            return c;
        }
        c = Integer.compare(b.prefix.length(), a.prefix.length());
        if (c != 0) {
            return c;
        }
        return Integer.compare(b.tos, a.tos);
    };

    private static final Comparator<Slot> IPV6_ORDER = (a, b) -> {
        int c = postOrder((Ipv6Address) a.prefix.address(), a.prefix.length(),
                (Ipv6Address) b.prefix.address(), b.prefix.length());
        if (c != 0) {
            return c;
        }
        return Integer.compare(b.tos, a.tos);
    };

    /** Radix-tree post-order: diverging prefixes by the first differing bit, descendants first. */
    static int postOrder(Ipv6Address a, int lenA, Ipv6Address b, int lenB) {
        int common = Math.min(lenA, lenB);
        for (int i = 0; i < common; i++) {
            boolean ba = a.bit(i);
            boolean bb = b.bit(i);
            if (ba != bb) {
                return ba ? 1 : -1;
            }
        }
        return Integer.compare(lenB, lenA);
    }
}
