package dev.ipsim.kernel.inet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipsim.kernel.Errno;
import dev.ipsim.kernel.KernelException;
import dev.ipsim.kernel.addr.Ipv4Address;
import dev.ipsim.kernel.capture.CapturedFrame;
import dev.ipsim.kernel.capture.Direction;
import dev.ipsim.kernel.link.LinkSpec;
import dev.ipsim.kernel.link.NetDevice;
import dev.ipsim.kernel.neigh.Neighbour;
import dev.ipsim.kernel.neigh.NudState;
import dev.ipsim.kernel.wire.ArpPacket;
import dev.ipsim.kernel.wire.EtherType;
import dev.ipsim.kernel.wire.EthernetFrame;
import dev.ipsim.kernel.wire.IcmpMessage;
import dev.ipsim.kernel.wire.Ipv4Packet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** End-to-end packet paths on a veth pair in one namespace, as the seeds run them. */
class PacketPathTest {

    private static byte[] echo(int seq) {
        return IcmpMessage.echoRequest(0x1234, seq, new byte[56]).encode();
    }

    @Test
    void unansweredArpFailsAfterThreeProbesAndReportsHostUnreachableOverLoopback() {
        Lab lab = new Lab();
        NetDevice[] pair = lab.vethPair("veth0", "veth1");
        lab.address(pair[0], "192.168.2.11/24");
        lab.up(pair[0]);
        lab.up(pair[1]);
        lab.sleep(3);
        List<CapturedFrame> onVeth1 = lab.capture(pair[1]);
        List<CapturedFrame> onLo = lab.capture(lab.ns.loopback());
        IcmpSocket s = lab.ipv4().openRawIcmpSocket();
        s.setReceiveErrors(true);
        s.sendTo(echo(1), Ipv4Address.parse("192.168.2.1"));
        Neighbour n = lab.ipv4().neighbours().lookup(Ipv4Address.parse("192.168.2.1"), pair[0]);
        assertEquals(NudState.INCOMPLETE, n.state());
        lab.sleep(2.9);
        assertEquals(NudState.INCOMPLETE, n.state());
        assertEquals(3, arpRequests(onVeth1), "a probe a second");
        lab.sleep(0.2);
        assertEquals(NudState.FAILED, n.state());
        assertEquals(3, arpRequests(onVeth1));
        // the error came back over lo, to the socket's error queue
        assertEquals(2, onLo.size(), "out and in on lo");
        Ipv4Packet error = Ipv4Packet.parse(EthernetFrame.parse(onLo.get(0).frame()).payload());
        assertEquals(Ipv4Address.parse("192.168.2.11"), error.source());
        assertEquals(Ipv4Address.parse("192.168.2.11"), error.destination());
        assertEquals(112, error.totalLength());
        assertTrue(s.readable());
        assertNotNull(s.takeError());
        IcmpSocket.ExtendedError e = s.receiveError();
        assertEquals(IcmpMessage.HOST_UNREACH, e.code());
        assertEquals(Ipv4Address.parse("192.168.2.1"), e.target());
        assertEquals(112, lab.ns.loopback().stats().rxBytes);
    }

    private static long arpRequests(List<CapturedFrame> frames) {
        return frames.stream().filter(f -> EthernetFrame.etherTypeOf(f.frame()) == EtherType.ARP)
                .map(f -> ArpPacket.parse(EthernetFrame.parse(f.frame()).payload()))
                .filter(a -> a.operation() == ArpPacket.REQUEST).count();
    }

    @Test
    void bothEndsAddressedNeedAcceptLocalOnTheReceivingEnd() {
        Lab lab = new Lab();
        NetDevice[] pair = lab.vethPair("veth0", "veth1");
        lab.address(pair[0], "192.168.2.11/24");
        lab.address(pair[1], "192.168.2.1/24");
        lab.up(pair[0]);
        lab.up(pair[1]);
        lab.sleep(3);
        IcmpSocket s = lab.ipv4().openRawIcmpSocket();
        s.bindToDevice("veth0");
        s.sendTo(echo(1), Ipv4Address.parse("192.168.2.1"));
        lab.sleep(0.1);
        assertNull(s.receive(), "the request's sender is local: no ARP answer");
        assertNull(lab.ipv4().neighbours().lookup(Ipv4Address.parse("192.168.2.11"), pair[1]));
        lab.sleep(4);
        // bound to veth0, the socket sees the quoted request of the local error, never the error itself
        IcmpSocket.Received quoted = s.receive();
        assertEquals(IcmpMessage.DEST_UNREACH, IcmpMessage.parse(Ipv4Packet.parse(quoted.datagram()).payload()).type());
        assertNull(s.receiveError());

        lab.sysctl("net/ipv4/conf/veth1/accept_local", "1");
        lab.ipv4().neighbours().delete(Ipv4Address.parse("192.168.2.1"), pair[0]);
        List<CapturedFrame> onLo = lab.capture(lab.ns.loopback());
        s.sendTo(echo(2), Ipv4Address.parse("192.168.2.1"));
        IcmpSocket.Received r = s.receive();
        assertNotNull(r, "the reply came back at once, over lo");
        Ipv4Packet reply = Ipv4Packet.parse(r.datagram());
        assertEquals(IcmpMessage.ECHO_REPLY, IcmpMessage.parse(reply.payload()).type());
        assertEquals(64, reply.ttl());
        assertEquals(Direction.OUT, onLo.get(0).direction());
        assertEquals(NudState.REACHABLE,
                lab.ipv4().neighbours().lookup(Ipv4Address.parse("192.168.2.1"), pair[0]).state());
        assertEquals(NudState.STALE,
                lab.ipv4().neighbours().lookup(Ipv4Address.parse("192.168.2.11"), pair[1]).state());
    }

    @Test
    void aFrameTooBigForTheVethPeerIsDroppedAndOnlyARecverrSocketHearsOfIt() {
        Lab lab = new Lab();
        NetDevice[] pair = lab.vethPair("veth0", "veth1");
        lab.address(pair[0], "10.1.1.2/24");
        LinkSpec small = new LinkSpec();
        small.mtu = 1000;
        lab.ns.setLink(pair[1], small);
        lab.up(pair[0]);
        lab.up(pair[1]);
        lab.ipv4().neighbours().add(Ipv4Address.parse("10.1.1.3"), pair[0], Lab.mac("02:00:00:00:00:03"),
                NudState.PERMANENT, false, 0, true, true, false);
        long dropped = pair[0].stats().txDropped;
        byte[] big = IcmpMessage.echoRequest(0x1234, 1, new byte[1200]).encode();
        IcmpSocket quiet = lab.ipv4().openRawIcmpSocket();
        quiet.sendTo(big, Ipv4Address.parse("10.1.1.3"));
        IcmpSocket recverr = lab.ipv4().openRawIcmpSocket();
        recverr.setReceiveErrors(true);
        KernelException e = assertThrows(KernelException.class,
                () -> recverr.sendTo(big, Ipv4Address.parse("10.1.1.3")));
        assertEquals(Errno.ENOBUFS, e.errno());
        assertEquals(dropped + 2, pair[0].stats().txDropped);
        assertEquals(2, pair[1].stats().rxDropped, "the peer counts what it could not take");
        recverr.sendTo(echo(2), Ipv4Address.parse("10.1.1.3"));
        assertEquals(dropped + 2, pair[0].stats().txDropped, "what fits goes through");
    }
}
