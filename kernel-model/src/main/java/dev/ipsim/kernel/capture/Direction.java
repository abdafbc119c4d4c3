package dev.ipsim.kernel.capture;

/** Which way a captured frame went through its device (a packet socket's {@code PACKET_OUTGOING} or not). */
public enum Direction {
    /** Received by the device. */
    IN,
    /** Sent by the device. */
    OUT
}
