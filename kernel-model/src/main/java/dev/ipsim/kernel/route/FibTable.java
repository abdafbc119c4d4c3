package dev.ipsim.kernel.route;

import dev.ipsim.kernel.addr.Family;
import dev.ipsim.kernel.addr.IpAddress;
import dev.ipsim.kernel.addr.IpPrefix;
import dev.ipsim.kernel.addr.Ipv4Address;
import dev.ipsim.kernel.addr.Ipv6Address;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
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
 */
public final class FibTable {

    private final Family family;
    private final int id;
    private final TreeMap<Slot, List<Route>> slots;
    private int size;
    private final Runnable changed;

    public FibTable(Family family, int id) {
        this(family, id, () -> { });
    }

    /** @param changed told of every insertion and removal ({@code rt_cache_flush}) */
    public FibTable(Family family, int id, Runnable changed) {
        this.family = family;
        this.id = id;
        this.slots = new TreeMap<>(family == Family.INET ? IPV4_ORDER : IPV6_ORDER);
        this.changed = changed;
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

    /** Every TOS slot for a destination, as the kernel's alias list for one prefix. */
    public List<Route> routesFor(IpPrefix destination) {
        List<Route> out = new ArrayList<>();
        IpPrefix net = destination.network();
        for (Map.Entry<Slot, List<Route>> e : slots.subMap(new Slot(net, 255), true, new Slot(net, 0), true)
                .entrySet()) {
            out.addAll(e.getValue());
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
        List<Route> list = slots.computeIfAbsent(slot, s -> new ArrayList<>(1));
        int i = 0;
        while (i < list.size()) {
            int p = list.get(i).priority();
            if (Integer.compareUnsigned(p, route.priority()) > 0
                    || (p == route.priority() && position == Position.BEFORE_EQUAL)) {
                break;
            }
            i++;
        }
        list.add(i, route);
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
        }
        size--;
        changed.run();
        return true;
    }

    /** Removes every route matching {@code filter}; returns how many went. */
    public int removeIf(Predicate<Route> filter) {
        int removed = 0;
        var it = slots.entrySet().iterator();
        while (it.hasNext()) {
            List<Route> list = it.next().getValue();
            int before = list.size();
            list.removeIf(filter);
            removed += before - list.size();
            if (list.isEmpty()) {
                it.remove();
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
