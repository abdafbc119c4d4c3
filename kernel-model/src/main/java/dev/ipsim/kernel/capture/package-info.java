/**
 * Capture taps: observers on devices that see frames in both directions, as packet sockets do.
 * Devices do not know about them; the packet engine calls them on the way out (before the
 * driver) and on the way in (before the protocol handlers). tcpdump subscribes here.
 */
package dev.ipsim.kernel.capture;
