package dev.ipsim.kernel.link;

import dev.ipsim.kernel.addr.MacAddress;

/**
 * The attributes of a link request ({@code RTM_NEWLINK}/{@code RTM_SETLINK}): each is
 * {@code null} when the request does not carry it.
 */
public final class LinkSpec {
    public String name;
    public Integer index;
    public Integer mtu;
    public MacAddress address;
    public MacAddress broadcast;
    public Integer txQueueLength;
    public Integer group;
    public String alias;
    /** The IFF_UP bit requested, or {@code null} when the request leaves it alone. */
    public Boolean up;
    public Boolean promisc;
    public Boolean allmulti;
    public Boolean noarp;
    public Boolean multicast;
    public Boolean dynamic;
    public Boolean carrier;
    public LinkMode linkMode;
    /** The master to enslave to; see {@link #nomaster}. */
    public NetDevice master;
    /** Release from the current master. */
    public boolean nomaster;
    /** The IPv6 address generation mode ({@code addrgenmode}), by {@code IN6_ADDR_GEN_MODE_*} number. */
    public Integer addrGenMode;
    /** {@code IFLA_OPERSTATE}: an operstate transition the user asks for ({@code state}). */
    public OperState operState;
    /** {@code IFLA_GSO_MAX_SIZE}. */
    public Long gsoMaxSize;
    /** {@code IFLA_GSO_MAX_SEGS}. */
    public Long gsoMaxSegs;
    /** {@code IFLA_GRO_MAX_SIZE}. */
    public Long groMaxSize;
    /** {@code IFLA_PROTO_DOWN} (or a protodown reason). */
    public Boolean protoDown;
    /** {@code IFLA_VFINFO_LIST}: virtual-function settings, which no simulated device has. */
    public boolean virtualFunctions;

    /**
     * {@code IFLA_NET_NS_FD}/{@code IFLA_NET_NS_PID}: the namespace to move the device to (or,
     * when creating, to create it in); {@link #index} is then {@code IFLA_NEW_IFINDEX}.
     */
    public dev.ipsim.kernel.NetNamespace netns;

    /** Whether the request changes nothing but what it names. */
    public boolean isEmpty() {
        return name == null && index == null && mtu == null && address == null && broadcast == null
                && txQueueLength == null && group == null && alias == null && up == null && promisc == null
                && allmulti == null && noarp == null && multicast == null && dynamic == null && carrier == null
                && linkMode == null && master == null && !nomaster && addrGenMode == null && operState == null
                && gsoMaxSize == null && gsoMaxSegs == null && groMaxSize == null && protoDown == null
                && !virtualFunctions && netns == null;
    }
}
