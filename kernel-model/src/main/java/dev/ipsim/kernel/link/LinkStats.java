package dev.ipsim.kernel.link;

/** A device's {@code rtnl_link_stats64} counters, counted as the kernel counts them. */
public final class LinkStats {
    public long rxPackets;
    public long txPackets;
    public long rxBytes;
    public long txBytes;
    public long rxErrors;
    public long txErrors;
    public long rxDropped;
    public long txDropped;
    public long multicast;
    public long collisions;
    public long rxLengthErrors;
    public long rxOverErrors;
    public long rxCrcErrors;
    public long rxFrameErrors;
    public long rxFifoErrors;
    public long rxMissedErrors;
    public long txAbortedErrors;
    public long txCarrierErrors;
    public long txFifoErrors;
    public long txHeartbeatErrors;
    public long txWindowErrors;
    public long rxCompressed;
    public long txCompressed;
    public long rxNohandler;
    public long rxOtherhostDropped;

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
