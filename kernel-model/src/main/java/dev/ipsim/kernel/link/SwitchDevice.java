package dev.ipsim.kernel.link;

/**
 * A device whose transmit function switches the frame out of ports rather than onto a wire:
 * a bridge's own device ({@code br_dev_xmit}), an Open vSwitch internal port.
 */
public interface SwitchDevice {

    /** The driver's {@code ndo_start_xmit}, after the device has counted the frame. */
    void switchFrame(byte[] frame);
}
