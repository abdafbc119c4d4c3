package dev.ipsim.shell.transcript;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipsim.shell.transcript.Transcript.Step;
import java.util.List;
import org.junit.jupiter.api.Test;

class TranscriptParserTest {

    private static List<Step> steps(String text) throws TranscriptParser.FormatException {
        return TranscriptParser.parse("t.md", text).machines().get(0).steps();
    }

    @Test
    void documentsOwnPromptsStartCommands() {
        assertEquals("sudo ip link", Prompt.parse("dev@debian:~$ sudo ip link").command());
        assertEquals("route", Prompt.parse("[root@localhost vagrant]# route").command());
        assertEquals("ping 10.70.2.11", Prompt.parse("[root@debian:~# ping 10.70.2.11").command());
        assertEquals("arp", Prompt.parse("# arp").command());
        assertEquals("ip link delete veth0", Prompt.parse("$ ip link delete veth0").command());
        assertEquals("", Prompt.parse("root@ubuntu:~#").command());
        assertNull(Prompt.parse("64 bytes from 10.1.1.3: icmp_seq=1 ttl=64 time=0.073 ms"));
        assertNull(Prompt.parse("#| deviation: x"));
        assertNull(Prompt.parse("## a comment"));
    }

    @Test
    void aBarePasteIsOneSession() throws Exception {
        List<Step> s = steps("$ echo a\na\n$ true\n");
        assertEquals(2, s.size());
        assertEquals("a", s.get(0).expected().get(0).text());
        assertTrue(s.get(1).expected().isEmpty());
    }

    @Test
    void proseOutsideFencesIsNotCompared() throws Exception {
        List<Step> s = steps("---\nprofile: debian-8\n---\nSome prose.\n\n```console\n$ echo a\na\n```\nMore prose.\n");
        assertEquals(1, s.size());
        assertEquals(1, s.get(0).expected().size());
    }

    @Test
    void aListingIsCommandsWithoutOutputAndHashLinesAreComments() throws Exception {
        List<Step> s = steps("```sh\n# make the pair\nip link add a type veth peer name b\n ip link set a up\n```\n");
        assertEquals(List.of("ip link add a type veth peer name b", "ip link set a up"),
                s.stream().map(Step::command).toList());
        assertEquals("", s.get(0).prompt());
    }

    @Test
    void deviationsMarkTheNextLinesOrTheCommand() throws Exception {
        List<Step> s = steps("```\n#| deviation: typed otherwise\n#| runs: true\n$ true x\n"
                + "#| deviation 2: another run\nA\nB\nC\n```\n");
        assertEquals("typed otherwise", s.get(0).deviation());
        assertEquals("true", s.get(0).directive("runs"));
        assertEquals("another run", s.get(0).expected().get(0).deviation());
        assertEquals("another run", s.get(0).expected().get(1).deviation());
        assertNull(s.get(0).expected().get(2).deviation());
    }

    @Test
    void wrappedLinesAreJoinedAndIndentedBlocksUnindented() throws Exception {
        List<Step> s = steps("```\n#| indent: 4\n    $ tcpdump\n    #| wrapped: the page wraps it\n    1 IP a \n"
                + "    > b: ICMP\n    \n```\n");
        assertEquals("tcpdump", s.get(0).command());
        assertEquals("1 IP a > b: ICMP", s.get(0).expected().get(0).text());
        assertEquals("", s.get(0).expected().get(1).text());
    }

    @Test
    void setupBlocksStartMachines() throws Exception {
        Transcript t = TranscriptParser.parse("t.md", "```setup\n#| nic: eth0\nip link set eth0 up\n```\n"
                + "```\n$ true\n```\n```setup\n#| profile: centos-7\n```\n```\n$ false\n```\n");
        assertEquals(2, t.machines().size());
        assertEquals(List.of("ip link set eth0 up"), t.machines().get(0).setup());
        assertEquals("centos-7", t.machines().get(1).settings().get(0).value());
        assertEquals("false", t.machines().get(1).steps().get(0).command());
    }

    @Test
    void mistakesAreReportedWithTheirLine() {
        TranscriptParser.FormatException e = assertThrows(TranscriptParser.FormatException.class,
                () -> steps("```\nno prompt here\n```\n"));
        assertEquals("t.md:2: output before any command (a prompt such as \"$ \" starts one)", e.getMessage());
        e = assertThrows(TranscriptParser.FormatException.class, () -> steps("```\n$ true\n#| frobnicate: 1\n```\n"));
        assertEquals("t.md:3: unknown directive \"frobnicate\"", e.getMessage());
        e = assertThrows(TranscriptParser.FormatException.class, () -> steps("```\n$ true\n"));
        assertTrue(e.getMessage().contains("block not closed"));
    }
}
