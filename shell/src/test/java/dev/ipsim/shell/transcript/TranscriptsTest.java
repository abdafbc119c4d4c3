package dev.ipsim.shell.transcript;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * CI replays every transcript in {@code transcripts/} as {@code ipsim replay} does: a line the
 * simulation does not match (known deviations and lines pending a feature aside) fails it, with
 * the replay's diff as the message.
 */
class TranscriptsTest {

    static Path root() {
        return Path.of(System.getProperty("ipsim.root", "..")).toAbsolutePath().normalize();
    }

    @TestFactory
    Stream<DynamicTest> everyTranscriptReplays() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(root().resolve("transcripts"))) {
            files = s.filter(p -> p.toString().endsWith(".md") && !p.getFileName().toString().equals("README.md"))
                    .sorted().toList();
        }
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> check(f)));
    }

    /**
     * Issue 6's bar: the seed transcripts' annotated deviations (lines the documents show that
     * no run prints: another run's paste, a line the page cut) stay under 2% of their lines.
     */
    @org.junit.jupiter.api.Test
    void deviationsStayUnderTwoPercent() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(root().resolve("transcripts"))) {
            files = s.filter(p -> p.getFileName().toString().matches("\\d{3}-.*\\.md")).sorted().toList();
        }
        Replayer replayer = new Replayer(1); // ipsim replay's seed
        int lines = 0;
        int deviations = 0;
        for (Path f : files) {
            Replayer.FileResult r = replayer.replay(TranscriptParser.parse(f.toString(),
                    Files.readString(f, StandardCharsets.UTF_8)));
            lines += r.lines();
            deviations += r.count(LineMatcher.Verdict.DEVIATION);
        }
        org.junit.jupiter.api.Assertions.assertTrue(deviations * 50 < lines,
                deviations + " deviations of " + lines + " lines: 2% or more");
    }

    private static void check(Path file) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ReplayCommand.run(List.of(root().relativize(file).toString()),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                false, root());
        String report = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
        System.out.print(report.lines().filter(l -> l.startsWith(root().relativize(file).toString() + ": "))
                .map(l -> l + "\n").reduce("", String::concat));
        if (status != 0) {
            fail("the transcript does not replay:\n" + report);
        }
    }
}
