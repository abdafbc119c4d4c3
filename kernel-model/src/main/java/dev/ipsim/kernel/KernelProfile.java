package dev.ipsim.kernel;

import dev.ipsim.kernel.time.TimerWheel;
import java.util.Map;

/**
 * The kernel version a machine runs, as the rules the model applies differently for it. Only
 * differences that change what a user can see are here; each names the kernel change it stands
 * for. {@link #CURRENT} is the oracle's kernel, the truth every recording comes from.
 *
 * @param release                   {@code uname -r} of the kernel it stands for
 * @param timerWheel                how timers are rounded to ticks (the wheel was rewritten in 4.8)
 * @param localSourceMartian        whether a packet from one of this namespace's own addresses is
 *                                  refused on input with {@code rp_filter} off unless
 *                                  {@code accept_local} is on. Linux 3.6 ("ipv4: Elide
 *                                  fib_validate_source() completely when possible") skipped
 *                                  source validation altogether with {@code rp_filter} off, so a
 *                                  veth pair in one namespace answered its own ARP; 3.18 ("ipv4:
 *                                  Restore accept_local behaviour in fib_validate_source()")
 *                                  checks local sources again, and every kernel since does
 * @param localRouteInputDevice     whether traffic to a local address, looped back over
 *                                  {@code lo}, is seen by sockets as arriving on the device the
 *                                  address is on ({@code rt_iif} from the FIB result, 4.14's "net:
 *                                  ipv4: set orig_oif based on fib result for local traffic"), so
 *                                  a socket bound to that device hears replies to itself
 * @param sysctlDefaults            {@code net.*} defaults of a fresh namespace that differ from the
 *                                  oracle kernel's, as {@code /proc/sys} paths
 */
public record KernelProfile(String release, TimerWheel timerWheel, boolean localSourceMartian,
                            boolean localRouteInputDevice, Map<String, String> sysctlDefaults) {

    /** The oracle's kernel. */
    public static final KernelProfile CURRENT = new KernelProfile("6.18.44", TimerWheel.NON_CASCADING, true, true,
            Map.of());

    /**
     * Before Linux 4.9 ("ipv6: add rfc7559 router solicitation backoff") a device sent three
     * router solicitations four seconds apart and stopped; since, it goes on, backing off.
     */
    public static final Map<String, String> BEFORE_RS_BACKOFF = Map.of(
            "net/ipv6/conf/all/router_solicitations", "3",
            "net/ipv6/conf/default/router_solicitations", "3",
            "net/ipv6/conf/all/router_solicitation_max_interval", "4",
            "net/ipv6/conf/default/router_solicitation_max_interval", "4");
}
