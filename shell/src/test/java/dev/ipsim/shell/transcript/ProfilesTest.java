package dev.ipsim.shell.transcript;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipsim.shell.transcript.LineMatcher.Row;
import dev.ipsim.shell.transcript.LineMatcher.Verdict;
import dev.ipsim.shell.transcript.Replayer.FileResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The profile decides what the kernel does and what the tools print: seed 000 replays on the
 * Debian it was written on, and on today's machine it differs exactly where the oracle says
 * today's kernel and ping differ (no errors heard by {@code ping -I}, {@code pipe 4}, a veth
 * pair that does not answer its own ARP without {@code accept_local}).
 */
class ProfilesTest {

    private static List<String> mismatches(String profile) throws Exception {
        Path file = TranscriptsTest.root().resolve("transcripts/000-veth.md");
        Transcript t = TranscriptParser.parse("000-veth.md", Files.readString(file, StandardCharsets.UTF_8));
        FileResult r = new Replayer(1, profile).replay(t);
        List<String> out = new ArrayList<>();
        for (Replayer.StepResult s : r.steps()) {
            for (Row row : s.rows()) {
                if (row.verdict() == Verdict.MISMATCHED) {
                    out.add((row.expected() == null ? "+" + row.actual() : "-" + row.expected().text()));
                }
            }
        }
        return out;
    }

    @Test
    void seed000MatchesOnItsOwnMachine() throws Exception {
        assertEquals(List.of(), mismatches(null));
    }

    @Test
    void onTodaysMachineSeed000DiffersWhereTheKernelAndPingChanged() throws Exception {
        List<String> m = mismatches("default");
        assertTrue(m.contains("-pipe 3"), m.toString());
        assertTrue(m.contains("-64 bytes from 192.168.2.1: icmp_seq=1 ttl=64 time=0.032 ms"), m.toString());
        assertTrue(m.contains("-From 192.168.2.11 icmp_seq=1 Destination Host Unreachable"), m.toString());
        assertTrue(m.contains("-1 packets transmitted, 0 received, +1 errors, 100% packet loss, time 0ms"),
                m.toString());
    }
}
