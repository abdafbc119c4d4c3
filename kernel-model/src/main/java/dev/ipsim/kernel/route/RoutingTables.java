package dev.ipsim.kernel.route;

import dev.ipsim.kernel.addr.Family;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The routing tables of one family in one namespace, by table id. Dumps visit tables in the
 * kernel's hash order: by {@code id & 255}, newest first within a bucket.
 */
public final class RoutingTables {

    private final Family family;
    private final Map<Integer, FibTable> byId = new LinkedHashMap<>();
    /** Tables main and local once they exist: every lookup asks for them (no boxing, no hash). */
    private FibTable main;
    private FibTable local;
    private final Map<Integer, Integer> creationOrder = new LinkedHashMap<>();
    private int created;
    /** {@code rt_genid}: bumped by every change to the tables and by a cache flush. */
    private long generation;

    public RoutingTables(Family family) {
        this.family = family;
    }

    /** The table with this id, created when missing ({@code fib_new_table}). */
    public FibTable table(int id) {
        FibTable t = byId.get(id);
        if (t == null) {
            t = new FibTable(family, id, new Runnable() {
                @Override
                public void run() {
                    flushCache();
                }
            });
            byId.put(id, t);
            if (id == RouteTableId.MAIN) {
                main = t;
            } else if (id == RouteTableId.LOCAL) {
                local = t;
            }
            creationOrder.put(id, created++);
        }
        return t;
    }

    /**
     * {@code rt_cache_flush}: every cached route and nexthop exception is stale from now on
     * (a route was added or deleted, or {@code ip route flush cache}).
     */
    public void flushCache() {
        generation++;
    }

    /** The routing cache generation ({@code rt_genid_ipv4}). */
    public long generation() {
        return generation;
    }

    /** The table with this id, or {@code null} when it was never created. */
    public FibTable tableOrNull(int id) {
        if (id == RouteTableId.MAIN) {
            return main;
        }
        if (id == RouteTableId.LOCAL) {
            return local;
        }
        return byId.get(id);
    }

    /** Every table, in dump order. */
    public List<FibTable> all() {
        List<FibTable> list = new ArrayList<>(byId.values());
        list.sort(new Comparator<FibTable>() {
            @Override
            public int compare(FibTable a, FibTable b) {
                int c = Integer.compare(a.id() & 0xFF, b.id() & 0xFF);
                return c != 0 ? c : Integer.compare(-creationOrder.get(a.id()), -creationOrder.get(b.id()));
            }
        });
        return list;
    }
}
