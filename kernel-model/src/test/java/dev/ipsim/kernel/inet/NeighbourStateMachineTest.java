package dev.ipsim.kernel.inet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ipsim.kernel.KernelException;
import dev.ipsim.kernel.addr.Ipv4Address;
import dev.ipsim.kernel.addr.MacAddress;
import dev.ipsim.kernel.ipv4.Ipv4;
import dev.ipsim.kernel.capture.CapturedFrame;
import dev.ipsim.kernel.capture.Direction;
import dev.ipsim.kernel.link.NetDevice;
import dev.ipsim.kernel.neigh.Neighbour;
import dev.ipsim.kernel.neigh.NeighbourTable;
import dev.ipsim.kernel.neigh.NudState;
import dev.ipsim.kernel.wire.ArpPacket;
import dev.ipsim.kernel.wire.EtherType;
import dev.ipsim.kernel.wire.EthernetFrame;
import dev.ipsim.kernel.wire.IcmpMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * The NUD state machine on the virtual clock, case by case: each case sets a pair up (the
 * peer answering ARP or not), sends, and checks the state of 10.1.1.3 on veth0 at given
 * times, and how many ARP requests went out by then.
 */
class NeighbourStateMachineTest {

    private static final Ipv4Address PEER = Ipv4Address.parse("10.1.1.3");

    /** One expectation: at {@code seconds} after the first send, the entry is {@code state}. */
    record At(double seconds, NudState state, int requests) {
    }

    /** A case: whether the peer answers, sysctls to set, sends at given times, expectations. */
    record Case(String name, boolean peerAnswers, List<String> sysctls, List<Double> sends, List<At> expect) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("unanswered: INCOMPLETE for three probes a second apart, then FAILED", false, List.of(),
                        List.of(0.0), List.of(new At(0, NudState.INCOMPLETE, 1), new At(1.1, NudState.INCOMPLETE, 2),
                                new At(2.1, NudState.INCOMPLETE, 3), new At(3.0, NudState.INCOMPLETE, 3),
                                new At(3.2, NudState.FAILED, 3), new At(30, NudState.FAILED, 3))),
                new Case("a packet for a FAILED entry starts over", false, List.of(), List.of(0.0, 4.0),
                        List.of(new At(4.0, NudState.INCOMPLETE, 4), new At(7.2, NudState.FAILED, 6))),
                new Case("mcast_solicit 1: one probe, FAILED a second later", false,
                        List.of("net/ipv4/neigh/veth0/mcast_solicit=1"), List.of(0.0),
                        List.of(new At(0.9, NudState.INCOMPLETE, 1), new At(1.1, NudState.FAILED, 1))),
                new Case("retrans_time_ms 250: four probes a second", false,
                        List.of("net/ipv4/neigh/veth0/retrans_time_ms=250"), List.of(0.0),
                        List.of(new At(0.6, NudState.INCOMPLETE, 3), new At(0.9, NudState.FAILED, 3))),
                new Case("answered: REACHABLE at once, STALE within 45 s", true, List.of(), List.of(0.0),
                        List.of(new At(0, NudState.REACHABLE, 1), new At(14, NudState.REACHABLE, 1),
                                new At(46, NudState.STALE, 1))),
                new Case("used while STALE: DELAY, then PROBE by unicast, answered: REACHABLE", true, List.of(),
                        List.of(0.0, 50.0), List.of(new At(50, NudState.DELAY, 1),
                                new At(54.9, NudState.DELAY, 1), new At(56, NudState.REACHABLE, 2))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void runs(Case c) {
        Lab lab = new Lab();
        NetDevice[] pair = lab.vethPair("veth0", "veth1");
        lab.address(pair[0], "10.1.1.2/24");
        if (c.peerAnswers()) {
            lab.address(pair[1], "10.1.1.3/24");
            lab.sysctl("net/ipv4/conf/veth1/accept_local", "1");
        }
        lab.up(pair[0]);
        lab.up(pair[1]);
        for (String s : c.sysctls()) {
            String[] kv = s.split("=");
            lab.sysctl(kv[0], kv[1]);
        }
        lab.sleep(4);
        List<CapturedFrame> out = lab.capture(pair[0]);
        IcmpSocket socket = lab.ipv4().openRawIcmpSocket();
        socket.bindToDevice("veth0");
        long start = lab.kernel.clock().nanos();
        List<Double> sends = new ArrayList<>(c.sends());
        int seq = 1;
        for (At at : c.expect()) {
            long target = start + (long) (at.seconds() * 1e9);
            while (!sends.isEmpty() && start + (long) (sends.get(0) * 1e9) <= target) {
                lab.kernel.advance(Math.max(0, start + (long) (sends.remove(0) * 1e9) - lab.kernel.clock().nanos()));
                socket.sendTo(IcmpMessage.echoRequest(7, seq++, new byte[56]).encode(), PEER);
            }
            lab.kernel.advance(Math.max(0, target - lab.kernel.clock().nanos()));
            Neighbour n = lab.ipv4().neighbours().lookup(PEER, pair[0]);
            assertNotNull(n, "an entry by " + at.seconds() + " s");
            assertEquals(at.state(), n.state(), "state at " + at.seconds() + " s");
            assertEquals(at.requests(), arpRequests(out), "ARP requests sent by " + at.seconds() + " s");
        }
    }

    private static int arpRequests(List<CapturedFrame> frames) {
        int n = 0;
        for (CapturedFrame f : frames) {
            if (f.direction() == Direction.OUT && EthernetFrame.etherTypeOf(f.frame()) == EtherType.ARP
                    && ArpPacket.parse(EthernetFrame.parse(f.frame()).payload()).operation() == ArpPacket.REQUEST) {
                n++;
            }
        }
        return n;
    }

    @Test
    void probesAreAsFarApartAsTheTimerWheelMakesThem() {
        Lab lab = new Lab();
        NetDevice[] pair = lab.vethPair("veth0", "veth1");
        lab.address(pair[0], "10.1.1.2/24");
        lab.up(pair[0]);
        lab.up(pair[1]);
        lab.sleep(4);
        List<CapturedFrame> out = lab.capture(pair[0]);
        lab.ipv4().openRawIcmpSocket().sendTo(IcmpMessage.echoRequest(7, 1, new byte[56]).encode(), PEER);
        lab.sleep(4);
        List<Long> times = new ArrayList<>();
        for (CapturedFrame f : out) {
            if (f.direction() == Direction.OUT && EthernetFrame.etherTypeOf(f.frame()) == EtherType.ARP) {
                times.add(f.timeNanos());
            }
        }
        assertEquals(3, times.size());
        for (int i = 1; i < times.size(); i++) {
            long gap = times.get(i) - times.get(i - 1);
            // a 250-tick timer lands in an 8-tick bucket: 251 to 258 ticks of 4 ms
            assertEquals(true, gap >= 1_004_000_000L && gap <= 1_032_000_000L, "gap " + gap);
        }
    }

    @Test
    void aProbedEntryWhosePeerLeftFailsAfterThreeUnicastProbes() {
        Lab lab = new Lab();
        NetDevice[] pair = lab.vethPair("veth0", "veth1");
        lab.address(pair[0], "10.1.1.2/24");
        lab.address(pair[1], "10.1.1.3/24");
        lab.sysctl("net/ipv4/conf/veth1/accept_local", "1");
        lab.up(pair[0]);
        lab.up(pair[1]);
        lab.sleep(4);
        IcmpSocket s = lab.ipv4().openRawIcmpSocket();
        s.bindToDevice("veth0");
        s.sendTo(IcmpMessage.echoRequest(7, 1, new byte[56]).encode(), PEER);
        lab.sleep(50);
        Ipv4.AddressMatch m = new Ipv4.AddressMatch();
        m.local = PEER;
        lab.ns.ipv4().deleteAddress(pair[1], m);
        List<CapturedFrame> out = lab.capture(pair[0]);
        s.sendTo(IcmpMessage.echoRequest(7, 2, new byte[56]).encode(), PEER);
        Neighbour n = lab.ipv4().neighbours().lookup(PEER, pair[0]);
        assertEquals(NudState.DELAY, n.state());
        lab.sleep(5.5);
        assertEquals(NudState.PROBE, n.state());
        lab.sleep(3);
        assertEquals(NudState.FAILED, n.state());
        List<MacAddress> destinations = new ArrayList<>();
        for (CapturedFrame f : out) {
            if (f.direction() == Direction.OUT && EthernetFrame.etherTypeOf(f.frame()) == EtherType.ARP) {
                destinations.add(EthernetFrame.destinationOf(f.frame()));
            }
        }
        assertEquals(List.of(pair[1].address(), pair[1].address(), pair[1].address()), destinations,
                "three probes, unicast to the address last known");
    }

    @Test
    void administrativeEntriesDoNotLearnFromTheWire() {
        Lab lab = new Lab();
        NetDevice[] pair = lab.vethPair("veth0", "veth1");
        lab.address(pair[0], "10.1.1.2/24");
        lab.address(pair[1], "10.1.1.3/24");
        lab.sysctl("net/ipv4/conf/veth1/accept_local", "1");
        lab.up(pair[0]);
        lab.up(pair[1]);
        NeighbourTable arp = lab.ipv4().neighbours();
        MacAddress fake = MacAddress.parse("02:00:00:00:00:33");
        arp.add(PEER, pair[0], fake, NudState.PERMANENT, false, 0, true, true, false);
        lab.ipv4().openRawIcmpSocket().sendTo(IcmpMessage.echoRequest(7, 1, new byte[56]).encode(), PEER);
        lab.sleep(60);
        Neighbour n = arp.lookup(PEER, pair[0]);
        assertEquals(NudState.PERMANENT, n.state());
        assertEquals(fake, n.lladdr());
        assertThrows(KernelException.class,
                () -> arp.add(PEER, pair[0], fake, NudState.PERMANENT, false, 0, true, true, false));
        KernelException noAddress = assertThrows(KernelException.class, () -> arp.add(
                Ipv4Address.parse("10.1.1.8"), pair[0], null, NudState.PERMANENT, false, 0, true, true, false));
        assertEquals("No link layer address given", noAddress.extack().orElseThrow());
    }

    @Test
    void aSmallQueueDropsTheOldestWaitingPackets() {
        Lab lab = new Lab();
        NetDevice[] pair = lab.vethPair("veth0", "veth1");
        lab.address(pair[0], "10.1.1.2/24");
        lab.up(pair[0]);
        lab.up(pair[1]);
        lab.sysctl("net/ipv4/neigh/veth0/unres_qlen_bytes", "2000");
        lab.sleep(4);
        IcmpSocket s = lab.ipv4().openRawIcmpSocket();
        s.setReceiveErrors(true);
        for (int seq = 1; seq <= 5; seq++) {
            s.sendTo(IcmpMessage.echoRequest(7, seq, new byte[56]).encode(), PEER);
        }
        lab.sleep(4);
        List<Integer> reported = new ArrayList<>();
        IcmpSocket.ExtendedError e;
        while ((e = s.receiveError()) != null) {
            reported.add(IcmpMessage.parse(e.payload()).sequence());
        }
        assertEquals(List.of(4, 5), reported, "two fit in 2000 bytes; the first three were dropped unreported");
    }
}
