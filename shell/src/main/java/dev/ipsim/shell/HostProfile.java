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
import dev.ipsim.kernel.inet.UdpSocket;
import dev.ipsim.kernel.time.VirtualClock;
import dev.ipsim.kernel.wire.DnsMessage;
import dev.ipsim.kernel.world.UserNetwork;
import dev.ipsim.kernel.world.World;

/**
 * What the machine looks like when the shell starts.
 *
 * <p>{@code --bare}: a fresh network namespace after {@code ip link set lo up}. Otherwise a
 * small VM as a NetworkManager-managed Debian guest of QEMU has it: {@code lo}, and {@code eth0}
 * with a DHCP lease on 10.0.2.15/24 whose prefix and default routes carry metric 100, as the
 * seeds' {@code route -n} output shows, cabled to QEMU's user-mode network (gateway 10.0.2.2,
 * DNS 10.0.2.3, and the Internet behind them: {@link World}).
 */
public final class HostProfile {

    /** The VM's address, gateway and lease. */
    public static final Ipv4Address ETH0_ADDRESS = Ipv4Address.of(10, 0, 2, 15);
    public static final Ipv4Address GATEWAY = UserNetwork.GATEWAY;
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

    /** The default VM, its world made from seed 0. */
    public static World vm(Kernel kernel) {
        return vm(kernel, 0, SystemProfile.DEFAULT);
    }

    /**
     * The VM of a kind of machine: eth0 (with the machine's default qdisc) cabled to QEMU's
     * user-mode network (the gateway, the DNS server and the Internet of {@link World}, made
     * from {@code seed}), up, addressed by DHCP, with its routes. Returns the world.
     */
    public static World vm(Kernel kernel, long seed, SystemProfile profile) {
        NetNamespace ns = kernel.initNamespace();
        loopbackUp(ns);
        long low = kernel.random().nextLong() & 0xFF_FFFFL;
        MacAddress mac = new MacAddress(0x52_54_00_00_00_00L | low);
        kernel.setDefaultQdisc(profile.nicQdisc());
        EthernetNic eth0 = ns.addEthernetNic("eth0", mac, profile.nicQdisc());
        World world = World.create(kernel, seed);
        world.connect(eth0);
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
        // DAD is done within seconds of the link coming up
        kernel.advance(3 * VirtualClock.NANOS_PER_SECOND);
        timeSync(kernel, ns);
        // and the user logs in a couple of minutes after boot
        kernel.advance(UP_FOR_SECONDS * VirtualClock.NANOS_PER_SECOND);
        return world;
    }

    /** How long the VM has been up when the shell starts, after its link came up. */
    static final long UP_FOR_SECONDS = 117;
    /** Debian's NTP pool, systemd-timesyncd's first server. */
    private static final String NTP_SERVER = "0.debian.pool.ntp.org";

    /**
     * systemd-timesyncd at boot: it resolves Debian's NTP pool through the DNS server and asks
     * the first address for the time (nothing out there answers NTP). That traffic is why a VM
     * that has been up a while has the gateway and the DNS server in its ARP cache, as seed
     * 004's {@code arp} shows.
     */
    private static void timeSync(Kernel kernel, NetNamespace ns) {
        UdpSocket dns = ns.stack().ipv4().openUdpSocket();
        Ipv4Address server = null;
        try {
            dns.connect(UserNetwork.NAMESERVER, 53);
            dns.send(DnsMessage.query(kernel.packets().random().nextInt(0x10000),
                    DnsMessage.FLAG_RECURSION_DESIRED, NTP_SERVER, DnsMessage.TYPE_A).encode());
            kernel.runUntil(kernel.clock().nanos() + 5 * VirtualClock.NANOS_PER_SECOND,
                    new java.util.function.BooleanSupplier() {
                        @Override
                        public boolean getAsBoolean() {
                            return dns.readable();
                        }
                    });
            UdpSocket.Received r = dns.receive();
            if (r != null) {
                for (DnsMessage.ResourceRecord rr : DnsMessage.parse(r.payload()).answers()) {
                    if (rr.type() == DnsMessage.TYPE_A) {
                        server = Ipv4Address.ofBytes(rr.data(), 0);
                        break;
                    }
                }
            }
        } catch (RuntimeException e) {
            return; // no network: nothing was learned
        } finally {
            dns.close();
        }
        if (server == null) {
            return;
        }
        UdpSocket ntp = ns.stack().ipv4().openUdpSocket();
        try {
            ntp.connect(server, 123);
            byte[] request = new byte[48];
            request[0] = 0x23; // leap 0, version 4, mode 3 (client)
            ntp.send(request);
            kernel.advance(VirtualClock.NANOS_PER_SECOND);
        } catch (RuntimeException e) {
            // nothing to do: the time stays unsynchronised
        } finally {
            ntp.close();
        }
    }
}
