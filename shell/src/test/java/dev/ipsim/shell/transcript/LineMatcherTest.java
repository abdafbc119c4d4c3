package dev.ipsim.shell.transcript;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ipsim.shell.transcript.LineMatcher.Row;
import dev.ipsim.shell.transcript.LineMatcher.Verdict;
import dev.ipsim.shell.transcript.Transcript.Expected;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineMatcherTest {

    private static List<Expected> doc(String... lines) {
        List<Expected> out = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            out.add(new Expected(i + 1, lines[i], null, 0));
        }
        return out;
    }

    private static List<Verdict> verdicts(List<Row> rows) {
        return rows.stream().map(Row::verdict).toList();
    }

    @Test
    void aMacBindsOnceAndMustStayBound() {
        LineMatcher m = new LineMatcher("exact");
        assertEquals(List.of(Verdict.MATCHED), verdicts(m.compare(doc("    link/ether e2:15:95:0a:1f:da brd ff:ff:ff:ff:ff:ff"),
                List.of("    link/ether 02:00:00:00:00:01 brd ff:ff:ff:ff:ff:ff"), -1)));
        // the same document MAC later must be the same simulated MAC
        assertEquals(List.of(Verdict.MISMATCHED), verdicts(m.compare(doc("ARP, Reply 10.1.1.3 is-at e2:15:95:0a:1f:da, length 28"),
                List.of("ARP, Reply 10.1.1.3 is-at 02:00:00:00:00:02, length 28"), -1)));
        // and its link-local address is made from the bound MAC
        assertEquals(List.of(Verdict.MATCHED), verdicts(m.compare(doc("    inet6 fe80::e015:95ff:fe0a:1fda/64 scope link "),
                List.of("    inet6 fe80::ff:fe00:1/64 scope link "), -1)));
        // another document MAC cannot take a simulated MAC already bound
        assertEquals(List.of(Verdict.MISMATCHED), verdicts(m.compare(doc("lladdr b2:2c:f6:e4:74:c5"),
                List.of("lladdr 02:00:00:00:00:01"), -1)));
    }

    @Test
    void broadcastAndZeroMacsAreLiteral() {
        LineMatcher m = new LineMatcher("exact");
        assertEquals(List.of(Verdict.MISMATCHED), verdicts(m.compare(doc("brd ff:ff:ff:ff:ff:ff"),
                List.of("brd 00:00:00:00:00:00"), -1)));
    }

    @Test
    void captureTimestampsKeepTheirSpacing() {
        LineMatcher m = new LineMatcher("exact");
        List<Expected> d = doc("20:20:18.285230 ARP, Request who-has 192.168.2.1 tell 192.168.2.11, length 28",
                "20:20:19.282018 ARP, Request who-has 192.168.2.1 tell 192.168.2.11, length 28");
        assertEquals(List.of(Verdict.MATCHED, Verdict.MATCHED), verdicts(m.compare(d, List.of(
                "09:00:00.000100 ARP, Request who-has 192.168.2.1 tell 192.168.2.11, length 28",
                "09:00:01.020100 ARP, Request who-has 192.168.2.1 tell 192.168.2.11, length 28"), -1)));
        assertEquals(List.of(Verdict.MATCHED, Verdict.MISMATCHED), verdicts(m.compare(d, List.of(
                "09:00:00.000100 ARP, Request who-has 192.168.2.1 tell 192.168.2.11, length 28",
                "09:00:03.000100 ARP, Request who-has 192.168.2.1 tell 192.168.2.11, length 28"), -1)));
    }

    @Test
    void pingFiguresByShapeButCountsExactly() {
        LineMatcher m = new LineMatcher("exact");
        assertEquals(List.of(Verdict.MATCHED, Verdict.MATCHED, Verdict.MISMATCHED), verdicts(m.compare(
                doc("64 bytes from 10.1.1.3: icmp_seq=1 ttl=64 time=0.073 ms",
                        "rtt min/avg/max/mdev = 0.068/0.084/0.201/0.032 ms",
                        "4 packets transmitted, 0 received, +4 errors, 100% packet loss, time 3015ms"),
                List.of("64 bytes from 10.1.1.3: icmp_seq=1 ttl=64 time=1.12 ms",
                        "rtt min/avg/max/mdev = 1.120/1.120/1.120/0.000 ms",
                        "4 packets transmitted, 0 received, +3 errors, 100% packet loss, time 3066ms"), -1)));
    }

    @Test
    void neighbourRowsCompareAsASet() {
        LineMatcher m = new LineMatcher("exact");
        assertEquals(List.of(Verdict.MATCHED, Verdict.MATCHED, Verdict.MATCHED), verdicts(m.compare(
                doc("Address HWtype", "b (incomplete) veth0", "a ether C eth0"),
                List.of("Address HWtype", "a ether C eth0", "b (incomplete) veth0"), 1)));
    }

    @Test
    void trailingBlankLinesAreLayoutUnlessPrinted() {
        LineMatcher m = new LineMatcher("exact");
        assertEquals(List.of(Verdict.MATCHED), verdicts(m.compare(doc("x", ""), List.of("x"), -1)));
        assertEquals(List.of(Verdict.MATCHED, Verdict.MATCHED), verdicts(m.compare(doc("x", ""), List.of("x", ""), -1)));
        assertEquals(List.of(Verdict.MATCHED, Verdict.MISMATCHED), verdicts(m.compare(doc("x"), List.of("x", ""), -1)));
    }

    @Test
    void aDeviationTakesTheRealLineAndMarksTakeWhatIsLeftOut() {
        LineMatcher m = new LineMatcher("exact");
        List<Expected> d = new ArrayList<>(doc("PING x", "3 packets transmitted, time 15356m"));
        d.set(1, new Expected(2, d.get(1).text(), "cut short", 0));
        d.add(new Expected(3, null, "the page lost it", 1));
        List<Row> rows = m.compare(d, List.of("PING x", "3 packets transmitted, time 2041ms", "pipe 3"), -1);
        assertEquals(List.of(Verdict.MATCHED, Verdict.DEVIATION, Verdict.DEVIATION), verdicts(rows));
        assertEquals("pipe 3", rows.get(2).actual());
    }

    @Test
    void collapsedPagesCompareAsTheyRender() {
        LineMatcher m = new LineMatcher("collapsed");
        assertEquals(List.of(Verdict.MATCHED, Verdict.MATCHED), verdicts(m.compare(
                doc("Destination Gateway Genmask", "0.0.0.0 192.168.0.2 0.0.0.0 UG 100 0 0 ens33"),
                List.of("Destination     Gateway         Genmask", "",
                        "0.0.0.0         192.168.0.2     0.0.0.0         UG    100    0        0 ens33"), -1)));
    }
}
