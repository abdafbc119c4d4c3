package dev.ipsim.kernel.link;

/**
 * {@code rx_handler}: what a device enslaved to a switch (a bridge port, an Open vSwitch
 * port) hands its received frames to instead of its own protocol stack. The capture taps have
 * seen the frame already, as {@code ptype_all} handlers do.
 */
@FunctionalInterface
public interface RxHandler {

    /**
     * Takes a frame received on {@code dev}. Returns {@code true} when the handler consumed it
     * ({@code RX_HANDLER_CONSUMED}), {@code false} when the device's own stack gets it
     * ({@code RX_HANDLER_PASS}).
     */
    boolean handleFrame(NetDevice dev, byte[] frame);
}
