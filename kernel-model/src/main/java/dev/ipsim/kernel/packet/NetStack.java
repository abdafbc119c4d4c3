package dev.ipsim.kernel.packet;

import dev.ipsim.kernel.NetNamespace;
import dev.ipsim.kernel.NetdevEvent;
import dev.ipsim.kernel.NetdevListener;
import dev.ipsim.kernel.addr.MacAddress;
import dev.ipsim.kernel.inet.Ipv4Stack;
import dev.ipsim.kernel.inet6.Ipv6Stack;
import dev.ipsim.kernel.link.NetDevice;
import dev.ipsim.kernel.neigh.NeighbourTable;
import dev.ipsim.kernel.wire.EtherType;
import dev.ipsim.kernel.wire.EthernetFrame;
import dev.ipsim.kernel.wire.WireFormatException;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A namespace's packet path: what frames received on its devices are handed to
 * ({@code __netif_receive_skb}'s protocol demultiplexing), and the protocol stacks that send.
 */
public final class NetStack implements NetdevListener {

    private final Ipv4Stack ipv4;
    private final Ipv6Stack ipv6;

    public NetStack(NetNamespace ns) {
        SplittableRandom random = ns.kernel().packets().random().split();
        this.ipv4 = new Ipv4Stack(ns, random.split());
        this.ipv6 = new Ipv6Stack(ns, random.split());
    }

    public Ipv4Stack ipv4() {
        return ipv4;
    }

    public Ipv6Stack ipv6() {
        return ipv6;
    }

    /** The neighbour caches in the order a dump visits them: ARP, then IPv6 ND. */
    public List<NeighbourTable> neighbourTables() {
        return List.of(ipv4.neighbours(), ipv6.neighbours());
    }

    /** {@code eth_type_trans}: what the frame is to the device. */
    static PacketType classify(NetDevice dev, MacAddress destination) {
        if (destination.equals(dev.address())) {
            return PacketType.HOST;
        }
        if (destination.isMulticast()) {
            return destination.equals(dev.broadcast()) ? PacketType.BROADCAST : PacketType.MULTICAST;
        }
        return PacketType.OTHERHOST;
    }

    /** A frame received on {@code dev}, handed to the protocol its type names. */
    void receive(NetDevice dev, byte[] frame, Object route) {
        EthernetFrame f;
        try {
            f = EthernetFrame.parse(frame);
        } catch (WireFormatException e) {
            dev.stats().countRxLengthError();
            return;
        }
        PacketType type = classify(dev, f.destination());
        switch (f.etherType()) {
            case EtherType.IPV4 -> ipv4.receive(dev, type, f.payload(), route);
            case EtherType.ARP -> ipv4.receiveArp(dev, type, f.payload());
            case EtherType.IPV6 -> ipv6.receive(dev, type, f.payload());
            default -> dev.stats().countRxNohandler();
        }
    }

    @Override
    public void onNetdevEvent(NetdevEvent event, NetDevice dev) {
        ipv4.onNetdevEvent(event, dev);
        ipv6.onNetdevEvent(event, dev);
    }
}
