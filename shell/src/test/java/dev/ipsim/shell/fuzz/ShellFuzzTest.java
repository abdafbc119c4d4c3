package dev.ipsim.shell.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fuzz test at CI's size: generated, mutated and garbage command lines never make the
 * shell throw, print a Java exception, hang, or break the model's invariants. The seed and
 * the size can be set ({@code -Dipsim.fuzz.seed=N -Dipsim.fuzz.lines=N}) to replay a finding of
 * the long run ({@code .ci/fuzz}).
 */
class ShellFuzzTest {

    @TempDir
    Path dir;

    @Test
    void generatedLinesNeverCrashTheShellNorBreakTheModel() {
        long seed = Long.getLong("ipsim.fuzz.seed", 20261121L);
        long lines = Long.getLong("ipsim.fuzz.lines", 10_000L);
        FuzzRunner.Report report = new FuzzRunner(seed, dir, 30_000).run(lines, null);
        assertTrue(report.findings().isEmpty(), () -> report.summary() + "\n"
                + report.findings().stream().map(Object::toString).collect(Collectors.joining("\n")));
    }
}
