package dev.ipsim.kernel.inet;

import dev.ipsim.kernel.Scope;
import dev.ipsim.kernel.addr.Ipv4Address;

/**
 * What a route lookup is asked ({@code struct flowi4}): destination, source (0 for "choose
 * one"), the output or input device, TOS, the narrowest route scope acceptable, mark and uid.
 */
public final class Flow {
    public Ipv4Address destination = Ipv4Address.ANY;
    public Ipv4Address source = Ipv4Address.ANY;
    /** {@code flowi4_oif}: 0, or the ifindex output is bound to. */
    public int outputInterface;
    /** {@code flowi4_iif}: for input lookups. */
    public int inputInterface;
    public int tos;
    public int scope = Scope.UNIVERSE;
    public int mark;
    /** -1 for none ({@code INVALID_UID}). */
    public int uid;
    public int protocol;
    /** {@code fl4_sport}, {@code fl4_dport}: for rules that select ports. */
    public int sourcePort;
    public int destinationPort;

    public static Flow output(Ipv4Address destination, Ipv4Address source, int outputInterface) {
        Flow f = new Flow();
        f.destination = destination;
        f.source = source;
        f.outputInterface = outputInterface;
        return f;
    }
}
