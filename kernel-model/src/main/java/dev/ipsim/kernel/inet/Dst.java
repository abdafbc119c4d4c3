package dev.ipsim.kernel.inet;

import dev.ipsim.kernel.Errno;
import dev.ipsim.kernel.addr.Ipv4Address;
import dev.ipsim.kernel.link.NetDevice;
import dev.ipsim.kernel.route.Route;
import dev.ipsim.kernel.route.RouteType;

/**
 * The result of a route lookup ({@code struct rtable}), as opposed to a routing table row
 * ({@link Route}): where a packet goes and how.
 *
 * @param type        the route type (unicast, local, broadcast, multicast, unreachable)
 * @param device      the device it leaves by; loopback for local delivery
 * @param gateway     the next hop, or {@code null} when the destination is on the link
 * @param source      the source address the lookup chose ({@code fl4->saddr}), for output routes
 * @param flags       {@link RouteFlags}
 * @param iif         {@code rt_iif}: for output routes the device the lookup was bound to or the
 *                    local address's device; 0 for input routes
 * @param input       whether this is an input route ({@code rt_is_input_route})
 * @param error       for an unreachable input route, the error {@code ip_error} reports
 * @param tableId     the table the lookup ended in (local routes report main: the tables are merged)
 * @param fibRoute    the table row that matched, if one did
 * @param expiresAt   when what a nexthop exception gave it (a redirected gateway) expires, in
 *                    virtual nanoseconds; 0 for never
 */
public record Dst(RouteType type, NetDevice device, Ipv4Address gateway, Ipv4Address source, int flags, int iif,
                  boolean input, Errno error, int tableId, Route fibRoute, long expiresAt) {

    public Dst(RouteType type, NetDevice device, Ipv4Address gateway, Ipv4Address source, int flags, int iif,
               boolean input, Errno error, int tableId, Route fibRoute) {
        this(type, device, gateway, source, flags, iif, input, error, tableId, fibRoute, 0);
    }

    public boolean isLocal() {
        return (flags & RouteFlags.LOCAL) != 0;
    }

    /** The address the neighbour layer resolves for a packet to {@code destination}. */
    public Ipv4Address nextHop(Ipv4Address destination) {
        return gateway != null ? gateway : destination;
    }
}
