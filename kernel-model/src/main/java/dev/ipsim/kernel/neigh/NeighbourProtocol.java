package dev.ipsim.kernel.neigh;

import dev.ipsim.kernel.addr.IpAddress;
import dev.ipsim.kernel.link.NetDevice;

/**
 * What a neighbour table needs from its protocol ({@code struct neigh_ops} and the table's
 * hooks): ARP for IPv4, Neighbour Discovery for IPv6. The table runs the state machine; the
 * protocol decides what an entry starts as, what a solicitation looks like and what happens to
 * a packet that cannot be delivered.
 */
public interface NeighbourProtocol {

    /** The key an entry for {@code key} on {@code dev} is stored under (ARP keys loopback entries by 0.0.0.0). */
    IpAddress storedKey(IpAddress key, NetDevice dev);

    /** {@code tbl->constructor}: the initial state, link-layer address and address type of a new entry. */
    void construct(Neighbour neighbour);

    /** {@code ops->solicit}: sends one solicitation; {@code lastQueued} is the newest waiting packet, if any. */
    void solicit(Neighbour neighbour, Outbound lastQueued);

    /** {@code ops->error_report}: a queued packet could not be delivered. */
    void errorReport(Neighbour neighbour, Outbound packet);

    /** {@code tbl->hash}: the 32-bit hash that picks a bucket (its top bits). */
    int hash(IpAddress key, NetDevice dev, int[] hashRandom);

    /** The sysctl directory of a device's parameters, such as {@code net/ipv4/neigh/veth0/}. */
    String parmsPrefix(NetDevice dev);
}
