package dev.ipsim.kernel.neigh;

import dev.ipsim.kernel.addr.IpAddress;
import dev.ipsim.kernel.addr.MacAddress;
import dev.ipsim.kernel.link.NetDevice;
import dev.ipsim.kernel.time.VirtualClock;
import java.util.ArrayDeque;

/**
 * One neighbour cache entry ({@code struct neighbour}): a network address on a device, the
 * link-layer address it resolved to, its NUD state and the packets waiting for it. Its
 * behaviour lives in {@link NeighbourTable}; this is the state, readable by tools.
 */
public final class Neighbour {

    /** {@code NTF_ROUTER}: the neighbour is a router (IPv6), or was added with {@code router}. */
    public static final int FLAG_ROUTER = 0x80;
    /** {@code NTF_EXT_LEARNED}. */
    public static final int FLAG_EXT_LEARNED = 0x10;

    final NeighbourTable table;
    final NetDevice device;
    IpAddress key;
    MacAddress lladdr = MacAddress.ZERO;
    NudState state = NudState.NONE;
    int flags;
    int protocol;
    /** The route type of the key when the entry was made ({@code neigh->type}: unicast, broadcast...). */
    int addressType;
    long updated;
    long confirmed;
    long used;
    int probes;
    /** {@code arp_queue}: made on the first packet queued (most entries never queue one). */
    ArrayDeque<Outbound> queue;
    int queueBytes;
    VirtualClock.Timer timer;
    boolean dead;

    Neighbour(NeighbourTable table, IpAddress key, NetDevice device) {
        this.table = table;
        this.key = key;
        this.device = device;
    }

    public IpAddress key() {
        return key;
    }

    public NetDevice device() {
        return device;
    }

    /** The link-layer address; meaningful only while {@link NudState#isValid()}. */
    public MacAddress lladdr() {
        return lladdr;
    }

    public NudState state() {
        return state;
    }

    public int flags() {
        return flags;
    }

    public boolean isRouter() {
        return (flags & FLAG_ROUTER) != 0;
    }

    public int protocol() {
        return protocol;
    }

    public int addressType() {
        return addressType;
    }

    /** Jiffies when the entry last changed state or address. */
    public long updated() {
        return updated;
    }

    /** Jiffies when reachability was last confirmed. */
    public long confirmed() {
        return confirmed;
    }

    /** Jiffies when the entry was last used to send. */
    public long used() {
        return used;
    }

    /** Solicitations sent in the current round. */
    public int probes() {
        return probes;
    }

    public NeighbourTable table() {
        return table;
    }

    // ---------------------------------------------------------------- for protocol constructors

    /** Sets what a constructor decides: state, link-layer address and address type. */
    public void initialise(NudState initialState, MacAddress address, int type) {
        this.state = initialState;
        if (address != null) {
            this.lladdr = address;
        }
        this.addressType = type;
    }

    @Override
    public String toString() {
        return key + " dev " + device.name() + " " + lladdr + " " + state;
    }
}
