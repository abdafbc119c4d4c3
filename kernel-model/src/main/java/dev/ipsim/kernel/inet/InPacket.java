package dev.ipsim.kernel.inet;

import dev.ipsim.kernel.link.NetDevice;
import dev.ipsim.kernel.packet.PacketType;
import dev.ipsim.kernel.wire.Ipv4Packet;

/**
 * A received IPv4 datagram with what the kernel keeps beside it in the {@code sk_buff}: the
 * device it came in on, its link-layer type, and its route.
 */
record InPacket(NetDevice device, PacketType packetType, Ipv4Packet ip, byte[] bytes, Dst route) {

    /** {@code inet_iif}: the route's {@code rt_iif} when set, else the receiving device. */
    int inputInterface() {
        return route != null && route.iif() != 0 ? route.iif() : device.ifindex();
    }
}
