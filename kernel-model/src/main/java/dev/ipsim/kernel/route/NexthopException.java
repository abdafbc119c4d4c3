package dev.ipsim.kernel.route;

import dev.ipsim.kernel.addr.IpAddress;

/**
 * A nexthop exception ({@code struct fib_nh_exception}): what the kernel learned about one
 * destination reached through a route's nexthop, here from an ICMP redirect: a better gateway,
 * until {@code expires}.
 *
 * <p>Heads up: an exception outlives a flush of the routing cache. The flush only makes it
 * stale ({@code fnhe_genid}); the next lookup to its destination finds it, forgets the gateway
 * and the expiry, and binds to it again, so that {@code ip route show cache} then lists the
 * destination with the route's own gateway and nothing more.
 */
public final class NexthopException {

    private final IpAddress destination;
    private IpAddress gateway;
    private long expiresAt;
    private long generation;
    private boolean bound;

    NexthopException(IpAddress destination, long generation) {
        this.destination = destination;
        this.generation = generation;
    }

    public IpAddress destination() {
        return destination;
    }

    /** The gateway a redirect gave, or {@code null}. */
    public IpAddress gateway() {
        return gateway;
    }

    /** When it expires, in virtual nanoseconds; 0 for never. */
    public long expiresAt() {
        return expiresAt;
    }

    /** The routing cache generation it belongs to ({@code fnhe_genid}). */
    public long generation() {
        return generation;
    }

    /** Whether a lookup has bound a route to it ({@code fnhe_rth_output}): only those are dumped. */
    public boolean bound() {
        return bound;
    }

    /** {@code update_or_create_fnhe} for a redirect: the new gateway, until {@code expiresAt}. */
    public void redirect(IpAddress newGateway, long expires, long currentGeneration) {
        this.gateway = newGateway;
        this.expiresAt = expires;
        this.generation = currentGeneration;
    }

    /**
     * {@code rt_bind_exception}: a lookup uses the exception; a stale one forgets what it knew
     * first.
     */
    public void bind(long currentGeneration) {
        if (generation != currentGeneration) {
            generation = currentGeneration;
            gateway = null;
            expiresAt = 0;
        }
        bound = true;
    }

    /** Whether it has expired at {@code now}. */
    public boolean expired(long now) {
        return expiresAt != 0 && now > expiresAt;
    }
}
