package dev.ipsim.kernel.bridge;

import dev.ipsim.kernel.addr.MacAddress;

/**
 * One forwarding database entry ({@code struct net_bridge_fdb_entry}): where a MAC address was
 * last seen, or that it is one of the bridge's own ({@code local}: a port's or the bridge's
 * address, delivered up rather than forwarded).
 */
public final class FdbEntry {

    private final MacAddress address;
    /** The port the address is behind; {@code null} for the bridge device's own address. */
    private BridgePort port;
    /** {@code BR_FDB_LOCAL}: the address belongs to this host. */
    private boolean local;
    /** {@code BR_FDB_STATIC}: never ages (local entries are static too). */
    private boolean isStatic;
    /** {@code BR_FDB_ADDED_BY_USER}: set by {@code bridge fdb add}. */
    boolean addedByUser;
    /** {@code updated}: the jiffy the address was last seen as a source (or set). */
    long updated;
    /** {@code used}: the jiffy a frame was last forwarded to it. */
    long used;

    FdbEntry(MacAddress address, BridgePort port, boolean local, boolean isStatic, long now) {
        this.address = address;
        this.port = port;
        this.local = local;
        this.isStatic = isStatic;
        this.updated = now;
        this.used = now;
    }

    public MacAddress address() {
        return address;
    }

    public BridgePort port() {
        return port;
    }

    void setPort(BridgePort port) {
        this.port = port;
    }

    public boolean isLocal() {
        return local;
    }

    void setKind(boolean local, boolean isStatic) {
        this.local = local;
        this.isStatic = isStatic;
    }

    public boolean isAddedByUser() {
        return addedByUser;
    }

    public boolean isStatic() {
        return isStatic;
    }

    public long updatedJiffies() {
        return updated;
    }

    public long usedJiffies() {
        return used;
    }
}
