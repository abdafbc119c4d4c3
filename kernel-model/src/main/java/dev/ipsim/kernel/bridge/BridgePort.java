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

    /** Jiffies left on the forward-delay timer, 0 when it is not pending ({@code br_timer_value}). */
    public long forwardDelayTimerJiffies(long nowJiffies) {
        if (forwardDelayTimer == null || !forwardDelayTimer.pending()) {
            return 0;
        }
        return Math.max(0, forwardDelayExpires - nowJiffies);
    }
}
