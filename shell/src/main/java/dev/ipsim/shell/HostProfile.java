package dev.ipsim.shell;

import dev.ipsim.kernel.Kernel;
import dev.ipsim.kernel.NetNamespace;
import dev.ipsim.kernel.Scope;
import dev.ipsim.kernel.addr.IpPrefix;
import dev.ipsim.kernel.addr.Ipv4Address;
import dev.ipsim.kernel.addr.Ipv6Address;
import dev.ipsim.kernel.addr.MacAddress;
import dev.ipsim.kernel.ipv4.AddressFlags;
import dev.ipsim.kernel.ipv4.Ipv4;
import dev.ipsim.kernel.link.EthernetNic;
import dev.ipsim.kernel.link.LinkSpec;
import dev.ipsim.kernel.route.Route;
import dev.ipsim.kernel.route.RouteProtocol;
import dev.ipsim.kernel.route.RouteType;

/**
 * What the machine looks like when the shell starts.
 *
 * <p>{@code --bare}: a fresh network namespace after {@code ip link set lo up}. Otherwise a
 * small VM as a NetworkManager-managed Debian guest has it: {@code lo}, and {@code eth0} with a
 * DHCP lease on 10.0.2.15/24 whose prefix and default routes carry metric 100, as the seeds'
 * {@code route -n} output shows.
 */
public final class HostProfile {

    /** The VM's address, gateway and lease. */
    public static final Ipv4Address ETH0_ADDRESS = Ipv4Address.of(10, 0, 2, 15);
    public static final Ipv4Address GATEWAY = Ipv4Address.of(10, 0, 2, 2);
    public static final int LEASE_SECONDS = 86400;
    public static final int NM_ROUTE_METRIC = 100;

    private HostProfile() {
    }

    /** Brings the loopback device up, as every profile starts. */
    public static void loopbackUp(NetNamespace ns) {
        LinkSpec up = new LinkSpec();
        up.up = true;
        ns.setLink(ns.loopback(), up);
    }

    /** What the distribution's {@code sysctl.d} sets at boot. */
    public static void applySysctls(NetNamespace ns, SystemProfile profile) {
        for (java.util.Map.Entry<String, String> e : profile.sysctls().entrySet()) {
            ns.sysctls().write(e.getKey(), e.getValue());
        }
    }

    /** The default VM: eth0 cabled, up, addressed by DHCP, with its routes. */
    public static void vm(Kernel kernel) {
        vm(kernel, SystemProfile.DEFAULT);
    }

    /** The VM of a kind of machine: its NIC gets the machine's default qdisc. */
    public static void vm(Kernel kernel, SystemProfile profile) {
        NetNamespace ns = kernel.initNamespace();
        loopbackUp(ns);
        long low = kernel.random().nextLong() & 0xFF_FFFFL;
        MacAddress mac = new MacAddress(0x52_54_00_00_00_00L | low);
        EthernetNic eth0 = ns.addEthernetNic("eth0", mac, profile.nicQdisc());
        // NetworkManager configures the link-local address itself, with addr_gen_mode none
        eth0.ipv6().setAddrGenMode(1);
        LinkSpec up = new LinkSpec();
        up.up = true;
        ns.setLink(eth0, up);

        Ipv4.AddressRequest r = new Ipv4.AddressRequest();
        r.local = ETH0_ADDRESS;
        r.prefixLength = 24;
        r.broadcast = ETH0_ADDRESS.broadcast(24);
        r.flags = AddressFlags.NOPREFIXROUTE;
        r.validLifetime = LEASE_SECONDS;
        r.preferredLifetime = LEASE_SECONDS;
        ns.ipv4().addAddress(eth0, r, false, true);
        ns.ipv4().addRoute(Route.builder(RouteType.UNICAST, new IpPrefix(ETH0_ADDRESS.masked(24), 24))
                .protocol(RouteProtocol.KERNEL).scope(Scope.LINK).preferredSource(ETH0_ADDRESS)
                .priority(NM_ROUTE_METRIC).device(eth0).build(), Ipv4.RouteAddMode.APPEND);
        ns.ipv4().addRoute(Route.builder(RouteType.UNICAST, new IpPrefix(Ipv4Address.ANY, 0))
                .protocol(RouteProtocol.DHCP).scope(Scope.UNIVERSE).preferredSource(ETH0_ADDRESS).gateway(GATEWAY)
                .priority(NM_ROUTE_METRIC).device(eth0).build(), Ipv4.RouteAddMode.APPEND);
        Ipv6Address ll = Ipv6Address.linkLocal(Ipv6Address.eui64(mac));
        ns.ipv6().addAddress(eth0, ll, null, 64, AddressFlags.NOPREFIXROUTE, AddressFlags.INFINITY_LIFE_TIME,
                AddressFlags.INFINITY_LIFE_TIME, 0, true);
        ns.ipv6().addKernelRoute(Route.builder(RouteType.UNICAST, new IpPrefix(ll.masked(64), 64))
                .protocol(RouteProtocol.KERNEL).priority(1024).device(eth0).table(254).build());
        // the VM has been up a while: DAD is long done
        kernel.advance(3 * dev.ipsim.kernel.time.VirtualClock.NANOS_PER_SECOND);
    }
}
