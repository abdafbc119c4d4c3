package dev.ipsim.kernel.capture;

/**
 * Sees every frame a device sends or receives, in the order the kernel handles them (smoltcp's
 * {@code Tracer}, gVisor's {@code sniffer}). A tap observes; it cannot change or drop a frame.
 */
@FunctionalInterface
public interface CaptureTap {

    void capture(CapturedFrame frame);

    /** What {@code subscribe} returns: the way to remove the tap again. */
    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
