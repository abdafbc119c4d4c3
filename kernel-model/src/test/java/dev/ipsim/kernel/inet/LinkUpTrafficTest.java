package dev.ipsim.kernel.inet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ipsim.kernel.capture.CapturedFrame;
import dev.ipsim.kernel.capture.Direction;
import dev.ipsim.kernel.link.NetDevice;
import dev.ipsim.kernel.wire.EthernetFrame;
import dev.ipsim.kernel.wire.Icmpv6Message;
import dev.ipsim.kernel.wire.IpProtocol;
import dev.ipsim.kernel.wire.Ipv6Packet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a veth pair says by itself when it comes up, against a recording from a real kernel:
 * each end sends an MLD report, a DAD probe, the report again, then (DAD done) a report from its
 * link-local address with a router solicitation, and the report once more: 6 frames, 516 bytes,
 * within four seconds; the solicitation is repeated about 4 and then 8 seconds later.
 */
class LinkUpTrafficTest {

    @Test
    void aVethPairComingUpSendsMldDadAndRouterSolicitations() {
        Lab lab = new Lab();
        NetDevice[] pair = lab.vethPair("veth0", "veth1");
        lab.up(pair[1]);
        List<CapturedFrame> frames = lab.capture(pair[0]);
        lab.up(pair[0]);
        assertEquals(0, pair[0].stats().txPackets, "nothing goes out in the same instant");
        lab.sleep(4);
        assertEquals(6, pair[0].stats().txPackets);
        assertEquals(516, pair[0].stats().txBytes);
        assertEquals(6, pair[0].stats().rxPackets);
        assertEquals(516, pair[0].stats().rxBytes);
        assertEquals(0, pair[0].stats().multicast, "veth does not count multicast");
        List<String> sent = new ArrayList<>();
        for (CapturedFrame f : frames) {
            if (f.direction() == Direction.OUT) {
                sent.add(kind(f.frame()));
            }
        }
        // the DAD probe and the repeated report are both randomly delayed: their order varies
        List<String> first = new ArrayList<>(sent.subList(0, 3));
        first.sort(null);
        assertEquals(List.of("dad", "mld from ::", "mld from ::"), first);
        assertEquals("mld from ::", sent.get(0));
        assertEquals(List.of("mld", "rs", "mld"), sent.subList(3, 6));
        lab.sleep(12);
        assertEquals(8, pair[0].stats().txPackets, "two more router solicitations");
        assertEquals(656, pair[0].stats().txBytes);
    }

    @Test
    void carrierComingBackMakesTheConfiguredEndReportItsGroupsAgain() {
        Lab lab = new Lab();
        NetDevice[] pair = lab.vethPair("veth0", "veth1");
        lab.up(pair[0]);
        lab.up(pair[1]);
        lab.sleep(4.5);
        lab.down(pair[1]);
        lab.sleep(2.5);
        assertEquals(6, pair[0].stats().txPackets);
        assertEquals(1, pair[0].stats().txDropped, "the second router solicitation found no carrier");
        List<CapturedFrame> frames = lab.capture(pair[0]);
        lab.up(pair[1]);
        lab.sleep(4);
        List<String> sent = new ArrayList<>();
        for (CapturedFrame f : frames) {
            if (f.direction() == Direction.OUT) {
                sent.add(kind(f.frame()));
            }
        }
        assertEquals(List.of("mld", "mld"), sent, "reports from the link-local address, no DAD probe");
        assertEquals(12, pair[0].stats().rxPackets, "the returning end starts afresh: six more");
    }

    private static String kind(byte[] frame) {
        Ipv6Packet ip = Ipv6Packet.parse(EthernetFrame.parse(frame).payload());
        byte[] icmp = ip.nextHeader() == IpProtocol.HOP_BY_HOP
                ? Arrays.copyOfRange(ip.payload(), 8, ip.payload().length) : ip.payload();
        return switch (Icmpv6Message.parse(icmp).type()) {
            case Icmpv6Message.MLD2_REPORT -> ip.source().isUnspecified() ? "mld from ::" : "mld";
            case Icmpv6Message.NEIGHBOUR_SOLICITATION -> "dad";
            case Icmpv6Message.ROUTER_SOLICITATION -> "rs";
            default -> "?";
        };
    }
}
