package dev.ipsim.kernel.packet;

/** What a received frame is to the device that got it ({@code skb->pkt_type}, set by {@code eth_type_trans}). */
public enum PacketType {
    /** Addressed to this device. */
    HOST,
    /** To the broadcast address. */
    BROADCAST,
    /** To a multicast address. */
    MULTICAST,
    /** To another station (seen only because the medium delivered it). */
    OTHERHOST
}
