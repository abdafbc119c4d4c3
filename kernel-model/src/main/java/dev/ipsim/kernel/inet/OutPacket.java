package dev.ipsim.kernel.inet;

import dev.ipsim.kernel.neigh.Outbound;
import dev.ipsim.kernel.wire.EtherType;
import dev.ipsim.kernel.wire.Ipv4Packet;

/** An IPv4 datagram on its way out, with its route: what the neighbour layer sends or queues. */
record OutPacket(Ipv4Packet ip, byte[] datagram, Dst route) implements Outbound {

    static OutPacket of(Ipv4Packet ip, Dst route) {
        return new OutPacket(ip, ip.encode(), route);
    }

    @Override
    public int etherType() {
        return EtherType.IPV4;
    }
}
