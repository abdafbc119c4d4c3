package dev.ipsim.kernel.bridge;

import dev.ipsim.kernel.link.NetDevice;
import dev.ipsim.kernel.time.VirtualClock;

/**
 * A device enslaved to a bridge ({@code struct net_bridge_port}): its STP identity and state,
 * and the per-port switches {@code ip -d link} and {@code bridge -d link} show.
 */
public final class BridgePort {

    /** STP port states ({@code BR_STATE_*}), by number. */
    public enum State {
        DISABLED, LISTENING, LEARNING, FORWARDING, BLOCKING;

        /** The name iproute2 prints ({@code stp_states[]}). */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** {@code BR_PORT_BITS}: the port number's share of a port id. */
    static final int PORT_BITS = 10;
    /** A new port's priority ({@code BR_PORT_DEFAULT_PRIORITY}... 0x20). */
    static final int DEFAULT_PRIORITY = 0x20;

    private final Bridge bridge;
    private final NetDevice device;
    private final int portNumber;
    private int priority = DEFAULT_PRIORITY;
    private int pathCost;
    private State state = State.DISABLED;
    private int portId;
    /** The designated root and bridge ids, as bridge id records (priority and address). */
    BridgeId designatedRoot;
    BridgeId designatedBridge;
    int designatedPort;
    int designatedCost;
    boolean learning = true;
    boolean flood = true;
    boolean multicastFlood = true;
    boolean broadcastFlood = true;
    /** {@code BR_HAIRPIN_MODE}, {@code BR_BPDU_GUARD}, {@code BR_ROOT_BLOCK}, {@code BR_MULTICAST_FAST_LEAVE}. */
    boolean hairpin;
    boolean guard;
    boolean rootBlock;
    boolean fastLeave;
    /** {@code BR_MULTICAST_TO_UNICAST}, {@code BR_NEIGH_SUPPRESS}, {@code BR_VLAN_TUNNEL}, {@code BR_ISOLATED}, {@code BR_PORT_LOCKED}. */
    boolean multicastToUnicast;
    boolean neighSuppress;
    boolean vlanTunnel;
    boolean isolated;
    boolean locked;
    /** {@code forward_delay_timer}, which {@code br_make_forwarding} arms even without STP. */
    VirtualClock.Timer forwardDelayTimer;
    long forwardDelayExpires;

    BridgePort(Bridge bridge, NetDevice device, int portNumber) {
        this.bridge = bridge;
        this.device = device;
        this.portNumber = portNumber;
        this.pathCost = portCost(device);
        this.portId = makePortId();
    }

    /**
     * {@code port_cost}: from the link speed ethtool reports (a veth's or a tap's 10 Gb/s costs
     * 2), else the old guess for a 10 Mb/s link.
     */
    static int portCost(NetDevice dev) {
        Integer speed = dev.ethtoolSpeed();
        if (speed != null) {
            switch (speed) {
                case 10000:
                    return 2;
                case 5000:
                    return 3;
                case 2500:
                case 1000:
                    return 4;
                case 100:
                    return 19;
                case 10:
                    return 100;
                case -1:
                    return 100;
                default:
                    if (speed > 10000) {
                        return 1;
                    }
            }
        }
        return 100;
    }

    /** The cost a port of this link speed starts with, before anyone sets one. */
    public int defaultPathCost() {
        return portCost(device);
    }

    /** {@code br_make_port_id}. */
    int makePortId() {
        return (priority << PORT_BITS) | (portNumber & ((1 << PORT_BITS) - 1));
    }

    public Bridge bridge() {
        return bridge;
    }

    public NetDevice device() {
        return device;
    }

    public int portNumber() {
        return portNumber;
    }

    public int priority() {
        return priority;
    }

    public int pathCost() {
        return pathCost;
    }

    public State state() {
        return state;
    }

    void setState(State s) {
        this.state = s;
    }

    public int portId() {
        return portId;
    }

    void setPortId(int id) {
        this.portId = id;
    }

    public BridgeId designatedRoot() {
        return designatedRoot;
    }

    public BridgeId designatedBridge() {
        return designatedBridge;
    }

    public int designatedPort() {
        return designatedPort;
    }

    public int designatedCost() {
        return designatedCost;
    }

    public boolean learning() {
        return learning;
    }

    public boolean flood() {
        return flood;
    }

    public boolean multicastFlood() {
        return multicastFlood;
    }

    public boolean broadcastFlood() {
        return broadcastFlood;
    }

    public boolean hairpin() {
        return hairpin;
    }

    public boolean guard() {
        return guard;
    }

    public boolean rootBlock() {
        return rootBlock;
    }

    public boolean fastLeave() {
        return fastLeave;
    }

    public boolean multicastToUnicast() {
        return multicastToUnicast;
    }

    public boolean neighSuppress() {
        return neighSuppress;
    }

    public boolean vlanTunnel() {
        return vlanTunnel;
    }

    public boolean isolated() {
        return isolated;
    }

    public boolean locked() {
        return locked;
    }

    /** The port flags {@code IFLA_PROTINFO} carries ({@code br_port_flags_change}'s bits). */
    public enum Flag {
        LEARNING, UNICAST_FLOOD, MCAST_FLOOD, BCAST_FLOOD, HAIRPIN, GUARD, ROOT_BLOCK, FAST_LEAVE,
        MCAST_TO_UNICAST, NEIGH_SUPPRESS, VLAN_TUNNEL, ISOLATED, LOCKED
    }

    public boolean flag(Flag f) {
        return switch (f) {
            case LEARNING -> learning;
            case UNICAST_FLOOD -> flood;
            case MCAST_FLOOD -> multicastFlood;
            case BCAST_FLOOD -> broadcastFlood;
            case HAIRPIN -> hairpin;
            case GUARD -> guard;
            case ROOT_BLOCK -> rootBlock;
            case FAST_LEAVE -> fastLeave;
            case MCAST_TO_UNICAST -> multicastToUnicast;
            case NEIGH_SUPPRESS -> neighSuppress;
            case VLAN_TUNNEL -> vlanTunnel;
            case ISOLATED -> isolated;
            case LOCKED -> locked;
        };
    }

    void setFlag(Flag f, boolean on) {
        switch (f) {
            case LEARNING -> learning = on;
            case UNICAST_FLOOD -> flood = on;
            case MCAST_FLOOD -> multicastFlood = on;
            case BCAST_FLOOD -> broadcastFlood = on;
            case HAIRPIN -> hairpin = on;
            case GUARD -> guard = on;
            case ROOT_BLOCK -> rootBlock = on;
            case FAST_LEAVE -> fastLeave = on;
            case MCAST_TO_UNICAST -> multicastToUnicast = on;
            case NEIGH_SUPPRESS -> neighSuppress = on;
            case VLAN_TUNNEL -> vlanTunnel = on;
            case ISOLATED -> isolated = on;
            case LOCKED -> locked = on;
        }
    }

    void setPriorityValue(int priority) {
        this.priority = priority;
    }

    void setPathCostValue(int cost) {
        this.pathCost = cost;
    }

    /** Jiffies left on the forward-delay timer, 0 when it is not pending ({@code br_timer_value}). */
    public long forwardDelayTimerJiffies(long nowJiffies) {
        if (forwardDelayTimer == null || !forwardDelayTimer.pending()) {
            return 0;
        }
        return Math.max(0, forwardDelayExpires - nowJiffies);
    }
}
