package dev.ipsim.kernel.capture;

import dev.ipsim.kernel.link.NetDevice;

/** One frame as a packet socket on its device sees it: when, which way, and its bytes. */
public record CapturedFrame(long timeNanos, NetDevice device, Direction direction, byte[] frame) {
}
