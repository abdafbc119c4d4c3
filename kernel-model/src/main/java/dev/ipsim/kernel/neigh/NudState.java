package dev.ipsim.kernel.neigh;

/**
 * Neighbour Unreachability Detection states ({@code NUD_*}, RFC 4861 7.3.2 as Linux extends
 * it), declared in the order {@code ip neigh} prints them. Each is one bit of the kernel's
 * {@code nud_state}; the groups the kernel tests ({@code NUD_VALID}, {@code NUD_CONNECTED},
 * {@code NUD_IN_TIMER}) are methods.
 */
public enum NudState {
    /** No state yet: just created, or emptied by an administrative update. Not shown. */
    NONE(0x00),
    /** Resolution under way: solicitations are being sent and packets wait in the queue. */
    INCOMPLETE(0x01),
    /** Confirmed recently; packets go out directly until the reachable time runs out. */
    REACHABLE(0x02),
    /** The address may be out of date; it is still used, and the next use starts verification. */
    STALE(0x04),
    /** Used while stale: waiting a short while for a confirmation before probing. */
    DELAY(0x08),
    /** Verifying with unicast solicitations. */
    PROBE(0x10),
    /** Resolution failed; the next packet starts it again. */
    FAILED(0x20),
    /** No resolution needed (loopback, NOARP devices, broadcast and multicast destinations). */
    NOARP(0x40),
    /** Set by the administrator; never changes by itself. */
    PERMANENT(0x80);

    private final int bit;

    NudState(int bit) {
        this.bit = bit;
    }

    /** The {@code NUD_*} bit. */
    public int bit() {
        return bit;
    }

    /** The state with this bit, or {@code null}. */
    public static NudState ofBit(int bit) {
        for (NudState s : values()) {
            if (s.bit == bit) {
                return s;
            }
        }
        return null;
    }

    /** {@code NUD_VALID}: the entry holds a link-layer address that may be used. */
    public boolean isValid() {
        return this == PERMANENT || this == NOARP || this == REACHABLE || this == PROBE || this == STALE
                || this == DELAY;
    }

    /** {@code NUD_CONNECTED}: packets go out without any check. */
    public boolean isConnected() {
        return this == PERMANENT || this == NOARP || this == REACHABLE;
    }

    /** {@code NUD_IN_TIMER}: the state runs a timer. */
    public boolean inTimer() {
        return this == INCOMPLETE || this == REACHABLE || this == DELAY || this == PROBE;
    }
}
