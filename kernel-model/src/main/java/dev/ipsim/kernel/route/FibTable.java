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
 * whole table, as the kernel's trie and {@code fib_info} hashes do: IPv4's prefixes (for
 * longest-prefix match, one hash probe per prefix length in use), the routes through
 * each device ({@code fib_info_devhash}), and the routes by preferred source
 * ({@code fib_info_laddrhash}).
 *
 * <p>A slot, and an index entry, holding one route holds the {@link Route} itself, and an
 * {@code ArrayList<Route>} only from two routes on: most hold one, and a list costs 50 bytes.
 */
public final class FibTable {

    private final Family family;
    private final int id;
    /** Each value a {@link Route} or an {@code ArrayList<Route>} of two or more, metric ascending. */
    private final TreeMap<Slot, Object> slots;
    /**
     * IPv4: each prefix's routes (see {@link #probe}), as open addressing on (length, network bits) in a
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
    private long[][] lengthsBy16;
    /**
     * The lengths shorter than 16 by /8 (bit n of entry i: a slot of length n below 8 covers
     * /8 number i, or one of length 8..15 lies in it), so that {@link #lengthsBy16} has a
     * 256-entry chunk only for the /8s holding a slot of length 16 or more: a table of 20,000
     * host routes in one /8 keeps 2 KiB, not 512.
     */
    private long[] lengthsBy8;
    private int removedSinceFilter;
    /** A route or a small list, not sets: a device has a handful of routes. */
    private final Map<NetDevice, Object> byDevice = new IdentityHashMap<>();
    private final Map<IpAddress, Object> byPreferredSource = new HashMap<>();
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
        dev.ipsim.kernel.LookupEpoch.bump();
        if (r.protocol() != RouteProtocol.KERNEL) {
            notByKernel++;
        }
        if (r.device() != null) {
            byDevice.put(r.device(), indexAdded(byDevice.get(r.device()), r));
        }
        if (r.preferredSource() != null) {
            byPreferredSource.put(r.preferredSource(), indexAdded(byPreferredSource.get(r.preferredSource()), r));
        }
    }

    /**
     * An index value ({@link #byDevice}, {@link #byPreferredSource}) with {@code r} appended:
     * the route alone, or a {@code Route[]} of exactly two or more (24 bytes for two, where a
     * list took 48).
     */
    private static Object indexAdded(Object v, Route r) {
        if (v == null) {
            return r;
        }
        if (v instanceof Route one) {
            return new Route[] {one, r};
        }
        Route[] old = (Route[]) v;
        Route[] now = java.util.Arrays.copyOf(old, old.length + 1);
        now[old.length] = r;
        return now;
    }

    /** An index value's routes: a view, not to be kept across a change. */
    private static List<Route> indexList(Object v) {
        return v == null ? List.of() : v instanceof Route r ? List.of(r) : java.util.Arrays.asList((Route[]) v);
    }

    /** How many routes a slot or index value holds. */
    private static int count(Object v) {
        return v == null ? 0 : v instanceof Route ? 1 : ((List<?>) v).size();
    }

    /** A slot or index value as a list: a view of it, not to be kept across a change. */
    @SuppressWarnings("unchecked")
    private static List<Route> asList(Object v) {
        return v == null ? List.of() : v instanceof Route r ? List.of(r) : (List<Route>) v;
    }

    @SuppressWarnings("unchecked")
    private static Route get(Object v, int i) {
        return v instanceof Route r ? r : ((List<Route>) v).get(i);
    }

    /** {@code v} with {@code r} inserted at {@code index}. */
    @SuppressWarnings("unchecked")
    private static Object added(Object v, int index, Route r) {
        if (v == null) {
            return r;
        }
        ArrayList<Route> list;
        if (v instanceof Route one) {
            list = new ArrayList<>(2);
            list.add(one);
        } else {
            list = (ArrayList<Route>) v;
        }
        list.add(index, r);
        return list;
    }

    /** {@code v} without its route at {@code index}: {@code null} when none is left. */
    @SuppressWarnings("unchecked")
    private static Object removedAt(Object v, int index) {
        if (v instanceof Route) {
            return null;
        }
        ArrayList<Route> list = (ArrayList<Route>) v;
        list.remove(index);
        return list.size() == 1 ? list.get(0) : list;
    }

    /** The position of a route equal to {@code r} in {@code v}, or -1. */
    private static int indexOf(Object v, Route r) {
        if (v == null) {
            return -1;
        }
        if (v instanceof Route one) {
            return one.equals(r) ? 0 : -1;
        }
        return ((List<?>) v).indexOf(r);
    }

    private void unindex(Route r) {
        dev.ipsim.kernel.LookupEpoch.bump();
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

    private static <K> void unindex(Map<K, Object> index, K key, Route r) {
        Object v = index.get(key);
        if (v == r) {
            index.remove(key);
            return;
        }
        if (!(v instanceof Route[] all)) {
            return;
        }
        // from the end: the newest routes are the likeliest to go
        for (int i = all.length - 1; i >= 0; i--) {
            if (all[i] == r) {
                if (all.length == 2) {
                    index.put(key, all[1 - i]);
                } else {
                    Route[] rest = new Route[all.length - 1];
                    System.arraycopy(all, 0, rest, 0, i);
                    System.arraycopy(all, i + 1, rest, i, all.length - i - 1);
                    index.put(key, rest);
                }
                return;
            }
        }
    }

    /** A slot was made (its routes are in {@link #slots} already). */
    private void slotAdded(Slot slot) {
        refresh(slot.prefix);
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
        lengthsBy16 = new long[256][];
        lengthsBy8 = new long[256];
        removedSinceFilter = 0;
        for (Slot s : slots.keySet()) {
            mark(s.prefix);
        }
    }

    private void mark(IpPrefix prefix) {
        int bits = ((Ipv4Address) prefix.address()).bits();
        int length = prefix.length();
        if (length < 16) {
            int first = bits >>> 24;
            int count = length >= 8 ? 1 : 1 << (8 - length);
            first &= ~(count - 1);
            for (int i = first; i < first + count; i++) {
                lengthsBy8[i] |= 1L << length;
            }
            return;
        }
        long[] chunk = lengthsBy16[bits >>> 24];
        if (chunk == null) {
            chunk = lengthsBy16[bits >>> 24] = new long[256];
        }
        chunk[(bits >>> 16) & 255] |= 1L << length;
    }

    /** A slot became empty and went. */
    private void slotRemoved(Slot slot) {
        refresh(slot.prefix);
        if (--slotsOfLength[slot.prefix.length()] == 0 && family == Family.INET) {
            ipv4Lengths &= ~(1L << slot.prefix.length());
        }
        if (lengthsBy16 != null && ++removedSinceFilter > slots.size()) {
            if (slots.size() >= FILTER_MIN_SLOTS) {
                buildFilter();
            } else {
                lengthsBy16 = null;
                lengthsBy8 = null;
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

    /** The slots of one prefix, TOS descending (the slots' order puts them side by side). */
    private java.util.NavigableMap<Slot, Object> slotsOf(IpPrefix network) {
        return slots.subMap(new Slot(network, Integer.MAX_VALUE), true, new Slot(network, Integer.MIN_VALUE), true);
    }

    /**
     * The routes of {@code prefix} changed: IPv4's probe value follows. It is the prefix's one
     * slot's value (the route itself when it is alone: one pointer fewer to follow per length),
     * or, for a prefix with slots of several TOS, a {@code Route[]} of all their routes in order.
     */
    private void refresh(IpPrefix prefix) {
        if (family != Family.INET) {
            return;
        }
        long key = v4Key(prefix);
        var of = slotsOf(prefix);
        int n = of.size();
        if (n == 0) {
            v4Remove(key);
        } else if (n == 1) {
            v4Store(key, of.firstEntry().getValue());
        } else {
            List<Route> all = new ArrayList<>();
            for (Object v : of.values()) {
                all.addAll(asList(v));
            }
            v4Store(key, all.toArray(new Route[0]));
        }
    }

    private void v4Store(long key, Object value) {
        // at most three quarters full (linear probing: about 2.5 probes a hit then)
        if (v4Keys == null || (v4Size + 1) * 4 > v4Keys.length * 3) {
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
     * prefix's only {@link Route}; or the routes of its one slot as a {@code List<Route>}; or,
     * with slots of several TOS, all its routes as a {@code Route[]}, TOS descending, each
     * slot's in order; or {@code null}. A view not to be kept across a change.
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
        long[][] filter = lengthsBy16;
        if (filter == null) {
            return ipv4Lengths;
        }
        long[] chunk = filter[destination >>> 24];
        long lengths = lengthsBy8[destination >>> 24];
        return ipv4Lengths & (chunk == null ? lengths : lengths | chunk[(destination >>> 16) & 255]);
    }

    /** The routes through {@code dev}, in no particular order. */
    public List<Route> routesThrough(NetDevice dev) {
        return new ArrayList<>(indexList(byDevice.get(dev)));
    }

    /** Removes the routes through {@code dev} matching {@code filter}; returns how many went. */
    public int removeIf(NetDevice dev, Predicate<Route> filter) {
        return removeAll(routesThrough(dev), filter);
    }

    /** Removes the routes with preferred source {@code a} ({@code fib_sync_down_addr}). */
    public int removeWithPreferredSource(IpAddress a) {
        Object v = byPreferredSource.get(a);
        return v == null ? 0 : removeAll(new ArrayList<>(indexList(v)), r -> true);
    }

    private int removeAll(List<Route> candidates, Predicate<Route> filter) {
        int removed = 0;
        for (Route r : candidates) {
            if (!filter.test(r)) {
                continue;
            }
            if (removeFromSlot(r)) {
                unindex(r);
                removed++;
            }
        }
        size -= removed;
        if (removed > 0) {
            dev.ipsim.kernel.LookupEpoch.bump();
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
        for (Object v : slots.values()) {
            if (v instanceof Route r) {
                all.add(r);
            } else {
                all.addAll(asList(v));
            }
        }
        return all;
    }

    /** The routes for exactly this destination and TOS, in order (metric ascending). */
    public List<Route> routesAt(IpPrefix destination, int tos) {
        Object v = slots.get(new Slot(destination.network(), tos));
        return v instanceof List<?> ? Collections.unmodifiableList(asList(v)) : asList(v);
    }

    /**
     * The routes for exactly this destination and TOS through {@code dev}, in order: through
     * the device's index when that is the shorter way (a prefix every device has a route to,
     * as IPv6's {@code fe80::/64}, holds one route per device).
     */
    public List<Route> routesAt(IpPrefix destination, int tos, NetDevice dev) {
        List<Route> through = indexList(byDevice.get(dev));
        IpPrefix net = destination.network();
        List<Route> slot = asList(slots.get(new Slot(net, tos)));
        if (through.isEmpty() || slot.isEmpty()) {
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
        IpPrefix network = destination.network();
        if (slotsOfLength[network.length()] == 0) {
            return List.of();
        }
        List<Route> out = new ArrayList<>();
        for (Object v : slotsOf(network).values()) {
            out.addAll(asList(v));
        }
        return out;
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
        Object v = slots.get(slot);
        // the slot is in metric order: the first route of a greater metric (or of an equal
        // one, before equals), by binary search (fe80::/64 holds a route per device)
        int low = 0;
        int high = count(v);
        while (low < high) {
            int mid = (low + high) >>> 1;
            int c = Integer.compareUnsigned(get(v, mid).priority(), route.priority());
            if (c > 0 || (c == 0 && position == Position.BEFORE_EQUAL)) {
                high = mid;
            } else {
                low = mid + 1;
            }
        }
        Object now = added(v, low, route);
        if (v == null) {
            slots.put(slot, now);
            slotAdded(slot);
        } else {
            if (now != v) {
                slots.put(slot, now);
            }
            refresh(slot.prefix);
        }
        index(route);
        size++;
        dev.ipsim.kernel.LookupEpoch.bump();
        changed.run();
    }

    /** Replaces {@code old} by {@code replacement} in place. */
    public void replace(Route old, Route replacement) {
        Slot slot = new Slot(old.destination(), old.tos());
        Object v = slots.get(slot);
        int i = indexOf(v, old);
        if (i < 0) {
            throw new IllegalStateException("route not in table: " + old);
        }
        if (replacement.priority() == old.priority() && replacement.tos() == old.tos()) {
            if (v instanceof Route) {
                slots.put(slot, replacement);
            } else {
                asList(v).set(i, replacement);
            }
            refresh(old.destination());
            unindex(old);
            index(replacement);
            dev.ipsim.kernel.LookupEpoch.bump();
        changed.run();
        } else {
            remove(old);
            insert(replacement, Position.BEFORE_EQUAL);
        }
    }

    /** Takes a route equal to {@code route} out of its slot; whether there was one. */
    private boolean removeFromSlot(Route route) {
        Slot slot = new Slot(route.destination(), route.tos());
        Object v = slots.get(slot);
        int i = indexOf(v, route);
        if (i < 0) {
            return false;
        }
        Object rest = removedAt(v, i);
        if (rest == null) {
            slots.remove(slot);
            slotRemoved(slot);
        } else {
            if (rest != v) {
                slots.put(slot, rest);
            }
            refresh(slot.prefix);
        }
        return true;
    }

    public boolean remove(Route route) {
        if (!removeFromSlot(route)) {
            return false;
        }
        unindex(route);
        size--;
        dev.ipsim.kernel.LookupEpoch.bump();
        changed.run();
        return true;
    }

    /** Removes every route matching {@code filter}; returns how many went. */
    public int removeIf(Predicate<Route> filter) {
        int removed = 0;
        var it = slots.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Slot, Object> e = it.next();
            Object v = e.getValue();
            int left;
            if (v instanceof Route r) {
                left = 1;
                if (filter.test(r)) {
                    unindex(r);
                    left = 0;
                    removed++;
                }
            } else {
                List<Route> list = asList(v);
                int before = list.size();
                list.removeIf(r -> {
                    if (filter.test(r)) {
                        unindex(r);
                        return true;
                    }
                    return false;
                });
                left = list.size();
                removed += before - left;
                if (left == 1) {
                    e.setValue(list.get(0));
                }
                if (left == before) {
                    continue;
                }
            }
            if (left == 0) {
                it.remove();
                slotRemoved(e.getKey());
            } else if (left != 1 || !(v instanceof Route)) {
                refresh(e.getKey().prefix);
            }
        }
        size -= removed;
        if (removed > 0) {
            dev.ipsim.kernel.LookupEpoch.bump();
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
            if (slotsOfLength[len] == 0) {
                continue;
            }
            IpPrefix p = new IpPrefix(address.masked(len), len);
            out.addAll(routesFor(p));
        }
        return out;
    }

    /** A destination prefix and TOS: the unit the kernel keeps a sorted alias list for. */
    private record Slot(IpPrefix prefix, int tos) {
    }

    private static final Comparator<Slot> IPV4_ORDER = new Comparator<Slot>() {
        @Override
        public int compare(Slot a, Slot b) {
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
        }
    };

    private static final Comparator<Slot> IPV6_ORDER = new Comparator<Slot>() {
        @Override
        public int compare(Slot a, Slot b) {
            int c = postOrder((Ipv6Address) a.prefix.address(), a.prefix.length(),
                    (Ipv6Address) b.prefix.address(), b.prefix.length());
            if (c != 0) {
                return c;
            }
            return Integer.compare(b.tos, a.tos);
        }
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
