package dev.ipsim.kernel.world;

import dev.ipsim.kernel.addr.Ipv4Address;
import dev.ipsim.kernel.addr.MacAddress;
import dev.ipsim.kernel.link.NetDevice;
import dev.ipsim.kernel.link.Wire;
import dev.ipsim.kernel.packet.PacketEngine;
import dev.ipsim.kernel.time.VirtualClock;
import dev.ipsim.kernel.wire.ArpPacket;
import dev.ipsim.kernel.wire.EtherType;
import dev.ipsim.kernel.wire.EthernetFrame;
import dev.ipsim.kernel.wire.IcmpMessage;
import dev.ipsim.kernel.wire.IpProtocol;
import dev.ipsim.kernel.wire.Ipv4Packet;
import dev.ipsim.kernel.wire.UdpDatagram;
import dev.ipsim.kernel.wire.WireFormatException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The network a VM's NIC is cabled to, as QEMU's user-mode networking ("slirp") makes it:
 * 10.0.2.0/24, with the gateway at 10.0.2.2 and a DNS server at 10.0.2.3, both answering ARP
 * with QEMU's addresses ({@code 52:55:} followed by the IP address: 52:55:0a:00:02:02), or
 * VirtualBox's (52:54:00:12:35:02) for a machine that ran there, and beyond the gateway the
 * {@link Internet}.
 *
 * <p>Heads up, where this departs from slirp on purpose, to look like a network rather than an
 * emulator: slirp answers every ping with TTL 255 and never lets a TTL run out; here the
 * gateway and the DNS server answer with TTL 64, the gateway counts as the first router, and a
 * datagram whose TTL runs out on the way is answered "time exceeded" by the router where it
 * did. Like slirp, it answers ARP only for its own two addresses, learns the machine's MAC
 * address from its ARP traffic (asking "who-has" when it must send to an address it does not
 * know, holding the datagrams a second for the answer: an answer to a namespace behind the VM,
 * which no NAT stands for, is asked for and never delivered), sends "port unreachable" for UDP to its
 * addresses that nothing serves, and drops fragments and everything else it does not
 * understand (IPv6, TCP) without a word.
 */
public final class UserNetwork implements Wire {

    /** The network, 10.0.2.0/24. */
    public static final Ipv4Address NETWORK = Ipv4Address.of(10, 0, 2, 0);
    public static final int PREFIX_LENGTH = 24;
    /** The gateway, QEMU's "host" address. */
    public static final Ipv4Address GATEWAY = Ipv4Address.of(10, 0, 2, 2);
    /** The DNS server. */
    public static final Ipv4Address NAMESERVER = Ipv4Address.of(10, 0, 2, 3);
    /** The TTL the gateway and the DNS server send with. */
    static final int LAN_TTL = 64;
    /** slirp's ARP table holds this many entries. */
    private static final int ARP_TABLE_SIZE = 16;
    /** Datagrams held for an address whose MAC is being asked, at most. */
    private static final int PENDING_LIMIT = 16;
    /** How long a datagram waits for its destination's MAC address before it is dropped. */
    private static final long HOLD_NANOS = VirtualClock.NANOS_PER_SECOND;
    /** How long the gateway takes to answer ARP. */
    private static final long ARP_DELAY_NANOS = 120_000;
    private static final int DNS_PORT = 53;
    /** Where an ICMP error quotes as much as fits: 576 bytes in all (RFC 1812). */
    private static final int MAX_ERROR_LENGTH = 576;

    private final Hypervisor hypervisor;
    private final PacketEngine packets;
    private final VirtualClock clock;
    private final Internet internet;
    private final DnsServer dns;
    private final SplittableRandom random;
    private final long gatewayRttNanos;
    private final Map<Ipv4Address, MacAddress> arpTable = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Ipv4Address, MacAddress> eldest) {
            return size() > ARP_TABLE_SIZE;
        }
    };
    private final Map<Ipv4Address, Deque<Held>> pending = new LinkedHashMap<>();
    private int identification;

    UserNetwork(Hypervisor hypervisor, PacketEngine packets, Internet internet, DnsServer dns, long seed,
                long gatewayRttNanos) {
        this.hypervisor = hypervisor;
        this.packets = packets;
        this.clock = packets.kernel().clock();
        this.internet = internet;
        this.dns = dns;
        this.random = new SplittableRandom(seed ^ 0x5EED_0F_0E7L);
        this.gatewayRttNanos = gatewayRttNanos;
        this.identification = random.nextInt(0x10000);
    }

    /** Whose user-mode network this is: the MAC addresses its gateway and DNS server answer ARP with. */
    public enum Hypervisor {
        /** QEMU's slirp: 52:55 and the four bytes of the address (52:55:0a:00:02:02). */
        QEMU,
        /** VirtualBox's NAT: 52:54:00:12:35 and the address's last byte (52:54:00:12:35:02), as seed 004 shows. */
        VIRTUALBOX
    }

    /** QEMU's MAC address for one of its own IP addresses: 52:55 and the four bytes of the address. */
    public static MacAddress macOf(Ipv4Address a) {
        return macOf(Hypervisor.QEMU, a);
    }

    /** A hypervisor's MAC address for one of its own IP addresses. */
    public static MacAddress macOf(Hypervisor hypervisor, Ipv4Address a) {
        if (hypervisor == Hypervisor.VIRTUALBOX) {
            return new MacAddress(0x5254_0012_3500L | (a.bits() & 0xFF));
        }
        return new MacAddress(0x5255_0000_0000L | (a.bits() & 0xFFFF_FFFFL));
    }

    private MacAddress mac(Ipv4Address a) {
        return macOf(hypervisor, a);
    }

    /** The gateway's round trip from the machine, jitter aside. */
    public long gatewayRttNanos() {
        return gatewayRttNanos;
    }

    private static boolean onNetwork(Ipv4Address a) {
        return a.masked(PREFIX_LENGTH).equals(NETWORK);
    }

    private static boolean isOwn(Ipv4Address a) {
        return a.equals(GATEWAY) || a.equals(NAMESERVER);
    }

    @Override
    public void carry(NetDevice nic, byte[] frame) {
        EthernetFrame f;
        try {
            f = EthernetFrame.parse(frame);
        } catch (WireFormatException e) {
            return;
        }
        switch (f.etherType()) {
            case EtherType.ARP -> arp(nic, f);
            case EtherType.IPV4 -> {
                // only what is sent to one of its own MAC addresses
                if (f.destination().equals(mac(GATEWAY)) || f.destination().equals(mac(NAMESERVER))) {
                    ip(nic, f.payload());
                }
            }
            default -> {
                // IPv6, LLDP and the rest: not spoken here
            }
        }
    }

    // ------------------------------------------------------------------ ARP

    private void arp(NetDevice nic, EthernetFrame f) {
        ArpPacket arp;
        try {
            arp = ArpPacket.parse(f.payload());
        } catch (WireFormatException e) {
            return;
        }
        if (arp.hardwareType() != ArpPacket.HARDWARE_ETHERNET || arp.protocolType() != EtherType.IPV4) {
            return;
        }
        Ipv4Address sender = arp.senderIp();
        if (!sender.isUnspecified() && !arp.senderMac().isMulticast()) {
            arpTable.put(sender, arp.senderMac());
            flushPending(nic, sender);
        }
        if (arp.operation() == ArpPacket.REQUEST && isOwn(arp.targetIp()) && !sender.equals(arp.targetIp())) {
            MacAddress own = mac(arp.targetIp());
            ArpPacket reply = ArpPacket.of(ArpPacket.REPLY, own, arp.targetIp(), arp.senderMac(), sender);
            byte[] payload = reply.encode();
            byte[] padded = Arrays.copyOf(payload, Math.max(payload.length, 46));
            EthernetFrame out = new EthernetFrame(arp.senderMac(), own, EtherType.ARP, padded);
            packets.arriveFromWire(nic, out.encode(), clock.nanos() + jittered(ARP_DELAY_NANOS));
        }
    }

    /** Asks the machine for the MAC address of one of its addresses. */
    private void whoHas(NetDevice nic, Ipv4Address target, long at) {
        ArpPacket request = ArpPacket.of(ArpPacket.REQUEST, mac(GATEWAY), GATEWAY, MacAddress.ZERO, target);
        byte[] payload = Arrays.copyOf(request.encode(), 46);
        EthernetFrame out = new EthernetFrame(MacAddress.BROADCAST, mac(GATEWAY), EtherType.ARP, payload);
        packets.arriveFromWire(nic, out.encode(), at);
    }

    private void flushPending(NetDevice nic, Ipv4Address address) {
        Deque<Held> queue = pending.remove(address);
        if (queue == null) {
            return;
        }
        MacAddress mac = arpTable.get(address);
        long now = clock.nanos();
        long at = now + ARP_DELAY_NANOS;
        for (Held h : queue) {
            if (h.expires() < now) {
                continue; // held past its second: dropped
            }
            packets.arriveFromWire(nic, new EthernetFrame(mac, mac(GATEWAY), EtherType.IPV4, h.datagram()).encode(),
                    at);
        }
    }

    /** A datagram waiting for its destination's MAC address, until {@code expires}. */
    private record Held(byte[] datagram, long expires) {
    }

    // ------------------------------------------------------------------ IPv4

    private void ip(NetDevice nic, byte[] bytes) {
        Ipv4Packet ip;
        try {
            ip = Ipv4Packet.parse(bytes);
        } catch (WireFormatException e) {
            return;
        }
        if (!ip.checksumValid() || ip.fragmentOffset() != 0 || (ip.flags() & Ipv4Packet.FLAG_MORE_FRAGMENTS) != 0) {
            return; // fragments are not reassembled here
        }
        Ipv4Address dst = ip.destination();
        long now = clock.nanos();
        if (isOwn(dst)) {
            own(nic, ip, now);
            return;
        }
        if (onNetwork(dst) || dst.isMulticast() || dst.isLimitedBroadcast() || ip.source().isUnspecified()) {
            return;
        }
        // the gateway is the first router: it forwards what still has TTL to give
        if (ip.ttl() <= 1) {
            timeExceeded(nic, ip, GATEWAY, LAN_TTL, now + jittered(gatewayRttNanos));
            return;
        }
        Internet.Host host = internet.host(dst);
        if (ip.ttl() <= host.hops()) {
            Internet.Router router = internet.router(dst, ip.ttl());
            if (router.answers()) {
                timeExceeded(nic, ip, router.address(), router.initialTtl() - (ip.ttl() - 1),
                        now + jittered(router.rttNanos()));
            }
            return;
        }
        int replyTtl = host.initialTtl() - host.hops();
        if (ip.protocol() == IpProtocol.ICMP && host.answersPing()) {
            IcmpMessage request = icmp(ip);
            if (request != null && request.type() == IcmpMessage.ECHO_REQUEST) {
                IcmpMessage reply = new IcmpMessage(IcmpMessage.ECHO_REPLY, 0, request.rest(), request.body());
                send(nic, ip.tos(), replyTtl, IpProtocol.ICMP, dst, ip.source(), reply.encode(),
                        now + jittered(host.rttNanos()));
            }
        } else if (ip.protocol() == IpProtocol.UDP && host.answersPing() && Resolvers.isPublicResolver(dst)) {
            dnsQuery(nic, ip, replyTtl, now + jittered(host.rttNanos()));
        }
    }

    /** What is sent to the gateway's or the DNS server's own address. */
    private void own(NetDevice nic, Ipv4Packet ip, long now) {
        long at = now + jittered(gatewayRttNanos);
        switch (ip.protocol()) {
            case IpProtocol.ICMP -> {
                IcmpMessage request = icmp(ip);
                if (request != null && request.type() == IcmpMessage.ECHO_REQUEST) {
                    IcmpMessage reply = new IcmpMessage(IcmpMessage.ECHO_REPLY, 0, request.rest(), request.body());
                    send(nic, ip.tos(), LAN_TTL, IpProtocol.ICMP, ip.destination(), ip.source(), reply.encode(), at);
                }
            }
            case IpProtocol.UDP -> {
                UdpDatagram udp = udp(ip);
                if (udp == null) {
                    return;
                }
                if (ip.destination().equals(NAMESERVER) && udp.destinationPort() == DNS_PORT) {
                    dnsQuery(nic, ip, LAN_TTL, at);
                } else {
                    unreachable(nic, ip, ip.destination(), IcmpMessage.PORT_UNREACH, at);
                }
            }
            default -> {
                // TCP and the rest: no service here
            }
        }
    }

    private void dnsQuery(NetDevice nic, Ipv4Packet ip, int ttl, long at) {
        UdpDatagram udp = udp(ip);
        if (udp == null || udp.destinationPort() != DNS_PORT) {
            return;
        }
        DnsServer.Answer answer = dns.answer(udp.payload(), clock.nanos());
        if (answer == null) {
            return;
        }
        byte[] reply = new UdpDatagram(DNS_PORT, udp.sourcePort(), answer.message()).encode(ip.destination(),
                ip.source());
        send(nic, 0, ttl, IpProtocol.UDP, ip.destination(), ip.source(), reply, at + answer.delayNanos());
    }

    private static IcmpMessage icmp(Ipv4Packet ip) {
        if (!IcmpMessage.checksumValid(ip.payload())) {
            return null;
        }
        try {
            return IcmpMessage.parse(ip.payload());
        } catch (WireFormatException e) {
            return null;
        }
    }

    private static UdpDatagram udp(Ipv4Packet ip) {
        try {
            return UdpDatagram.parse(ip.payload());
        } catch (WireFormatException e) {
            return null;
        }
    }

    /** "Time exceeded in transit" from a router, quoting what fits. */
    private void timeExceeded(NetDevice nic, Ipv4Packet offending, Ipv4Address router, int ttl, long at) {
        error(nic, offending, router, IcmpMessage.TIME_EXCEEDED, 0, ttl, at);
    }

    private void unreachable(NetDevice nic, Ipv4Packet offending, Ipv4Address from, int code, long at) {
        error(nic, offending, from, IcmpMessage.DEST_UNREACH, code, LAN_TTL, at);
    }

    private void error(NetDevice nic, Ipv4Packet offending, Ipv4Address from, int type, int code, int ttl, long at) {
        if (offending.protocol() == IpProtocol.ICMP) {
            IcmpMessage inner = icmp(offending);
            if (inner == null || inner.isError()) {
                return; // never an error about an error
            }
        }
        byte[] whole = offending.encode();
        int room = MAX_ERROR_LENGTH - Ipv4Packet.MIN_HEADER_LENGTH - IcmpMessage.HEADER_LENGTH;
        byte[] quote = Arrays.copyOf(whole, Math.min(whole.length, room));
        IcmpMessage error = new IcmpMessage(type, code, 0, quote);
        int tos = (offending.tos() & 0x1E) | 0xC0;
        send(nic, tos, ttl, IpProtocol.ICMP, from, offending.source(), error.encode(), at);
    }

    /** A datagram to the machine: to its MAC address if known, else held while the gateway asks. */
    private void send(NetDevice nic, int tos, int ttl, int protocol, Ipv4Address from, Ipv4Address to,
                      byte[] payload, long at) {
        identification = (identification + 1) & 0xFFFF;
        byte[] datagram = Ipv4Packet.of(tos, identification, 0, Math.max(ttl, 1), protocol, from, to, payload)
                .encode();
        MacAddress mac = arpTable.get(to);
        if (mac != null) {
            packets.arriveFromWire(nic, new EthernetFrame(mac, mac(GATEWAY), EtherType.IPV4, datagram).encode(), at);
            return;
        }
        // if_encap: ask who has the address (whatever network it is on) and hold the datagram
        // for a second; only the machine's own addresses will ever be answered
        Deque<Held> queue = pending.computeIfAbsent(to, a -> new ArrayDeque<>());
        if (queue.size() < PENDING_LIMIT) {
            queue.addLast(new Held(datagram, at + HOLD_NANOS));
        }
        if (pending.size() > PENDING_LIMIT) {
            pending.remove(pending.keySet().iterator().next());
        }
        whoHas(nic, to, at);
    }

    /** A delay with the jitter of a real path: a few percent either way, never below 90%. */
    private long jittered(long nanos) {
        double f = 1 + 0.04 * random.nextGaussian();
        return (long) (nanos * Math.max(0.9, f)) + random.nextLong(20_000);
    }

    /** The public resolvers, which answer DNS queries as the DNS server at 10.0.2.3 does. */
    static final class Resolvers {
        private static final List<Ipv4Address> PUBLIC = new ArrayList<>();

        static {
            for (String s : new String[] {"1.1.1.1", "1.0.0.1", "8.8.8.8", "8.8.4.4", "9.9.9.9",
                "149.112.112.112", "208.67.222.222", "114.114.114.114", "223.5.5.5", "223.6.6.6",
                "119.29.29.29"}) {
                PUBLIC.add(Ipv4Address.parse(s));
            }
        }

        private Resolvers() {
        }

        static boolean isPublicResolver(Ipv4Address a) {
            return PUBLIC.contains(a);
        }
    }
}
