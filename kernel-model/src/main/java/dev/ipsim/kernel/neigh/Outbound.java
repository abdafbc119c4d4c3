package dev.ipsim.kernel.neigh;

/**
 * A network-layer packet on its way out through a neighbour: sent once the link-layer address
 * is known, or queued while it is being resolved. The protocol that made it knows what to do
 * when resolution fails ({@link NeighbourProtocol#errorReport}).
 */
public interface Outbound {

    /** The network-layer bytes (an IPv4 or IPv6 datagram). */
    byte[] datagram();

    /** The Ethernet type to send it with. */
    int etherType();

    /** What the kernel's routing decided for it ({@code skb_dst}); loopback keeps it with the frame. */
    Object route();

    /** {@code skb->truesize}: what it costs in the neighbour's queue ({@code unres_qlen_bytes}). */
    default int truesize() {
        int length = datagram().length + 14;
        return 768 + (length > 384 ? (length + 1023) / 1024 * 1024 : 0);
    }
}
