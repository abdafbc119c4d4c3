package dev.ipsim.kernel.link;

/** A device's {@code rtnl_link_stats64} counters, counted as the kernel counts them. */
public final class LinkStats {
    public long rxPackets;
    public long txPackets;
    public long rxBytes;
    public long txBytes;
    public long rxDropped;
    public long txDropped;
    public long multicast;

    /**
     * The counters that stay 0 on nearly every device (hardware errors no modelled driver has,
     * and the rare drops), kept in an array made on the first count: a device costs 18 longs
     * less. Indexed by the constants below.
     */
    private long[] rare;
    private static final int RX_ERRORS = 0;
    private static final int TX_ERRORS = 1;
    private static final int COLLISIONS = 2;
    private static final int RX_LENGTH_ERRORS = 3;
    private static final int RX_OVER_ERRORS = 4;
    private static final int RX_CRC_ERRORS = 5;
    private static final int RX_FRAME_ERRORS = 6;
    private static final int RX_FIFO_ERRORS = 7;
    private static final int RX_MISSED_ERRORS = 8;
    private static final int TX_ABORTED_ERRORS = 9;
    private static final int TX_CARRIER_ERRORS = 10;
    private static final int TX_FIFO_ERRORS = 11;
    private static final int TX_HEARTBEAT_ERRORS = 12;
    private static final int TX_WINDOW_ERRORS = 13;
    private static final int RX_COMPRESSED = 14;
    private static final int TX_COMPRESSED = 15;
    private static final int RX_NOHANDLER = 16;
    private static final int RX_OTHERHOST_DROPPED = 17;

    private void countRare(int which) {
        if (rare == null) {
            rare = new long[18];
        }
        rare[which]++;
    }

    /** {@code rx_length_errors}: a frame too short for its header. */
    public void countRxLengthError() {
        countRare(RX_LENGTH_ERRORS);
    }

    /** {@code rx_nohandler}: a frame of a protocol nothing handles. */
    public void countRxNohandler() {
        countRare(RX_NOHANDLER);
    }

    /** {@code rx_otherhost_dropped}: a frame for another host's address. */
    public void countRxOtherhostDropped() {
        countRare(RX_OTHERHOST_DROPPED);
    }

    public long rxErrors() {
        return rare == null ? 0 : rare[RX_ERRORS];
    }

    public long txErrors() {
        return rare == null ? 0 : rare[TX_ERRORS];
    }

    public long collisions() {
        return rare == null ? 0 : rare[COLLISIONS];
    }

    public long rxLengthErrors() {
        return rare == null ? 0 : rare[RX_LENGTH_ERRORS];
    }

    public long rxOverErrors() {
        return rare == null ? 0 : rare[RX_OVER_ERRORS];
    }

    public long rxCrcErrors() {
        return rare == null ? 0 : rare[RX_CRC_ERRORS];
    }

    public long rxFrameErrors() {
        return rare == null ? 0 : rare[RX_FRAME_ERRORS];
    }

    public long rxFifoErrors() {
        return rare == null ? 0 : rare[RX_FIFO_ERRORS];
    }

    public long rxMissedErrors() {
        return rare == null ? 0 : rare[RX_MISSED_ERRORS];
    }

    public long txAbortedErrors() {
        return rare == null ? 0 : rare[TX_ABORTED_ERRORS];
    }

    public long txCarrierErrors() {
        return rare == null ? 0 : rare[TX_CARRIER_ERRORS];
    }

    public long txFifoErrors() {
        return rare == null ? 0 : rare[TX_FIFO_ERRORS];
    }

    public long txHeartbeatErrors() {
        return rare == null ? 0 : rare[TX_HEARTBEAT_ERRORS];
    }

    public long txWindowErrors() {
        return rare == null ? 0 : rare[TX_WINDOW_ERRORS];
    }

    public long rxCompressed() {
        return rare == null ? 0 : rare[RX_COMPRESSED];
    }

    public long txCompressed() {
        return rare == null ? 0 : rare[TX_COMPRESSED];
    }

    public long rxNohandler() {
        return rare == null ? 0 : rare[RX_NOHANDLER];
    }

    public long rxOtherhostDropped() {
        return rare == null ? 0 : rare[RX_OTHERHOST_DROPPED];
    }

    /** Counts one frame handed to the stack. */
    public void countRx(int bytes, boolean multicastFrame) {
        rxPackets++;
        rxBytes += bytes;
        if (multicastFrame) {
            multicast++;
        }
    }

    /** Counts one frame sent. */
    public void countTx(int bytes) {
        txPackets++;
        txBytes += bytes;
    }
}
