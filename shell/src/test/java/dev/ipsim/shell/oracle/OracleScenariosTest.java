package dev.ipsim.shell.oracle;

import static org.junit.jupiter.api.Assertions.fail;

import dev.ipsim.shell.Main;
import dev.ipsim.shell.Sandbox;
import dev.ipsim.shell.script.ScenarioRunner;
import dev.ipsim.shell.transcript.Features;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every scenario in {@code oracle/scenarios} replayed in a bare sandbox must print what the real
 * kernel printed when it was recorded ({@code oracle/recorded}), volatile fields aside. A scenario
 * with a {@code # requires: FEATURE} line is skipped while ipsim does not simulate the feature.
 */
class OracleScenariosTest {

    static Path root() {
        return Path.of(System.getProperty("ipsim.root", "..")).toAbsolutePath().normalize();
    }

    @TestFactory
    Stream<DynamicTest> scenariosMatchTheRealKernel() throws IOException {
        Path scenarios = root().resolve("oracle/scenarios");
        List<Path> files;
        try (Stream<Path> s = Files.list(scenarios)) {
            files = s.filter(p -> p.toString().endsWith(".scenario")).sorted().toList();
        }
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> check(f)));
    }

    static void check(Path scenarioFile) throws IOException {
        String name = scenarioFile.getFileName().toString().replaceFirst("\\.scenario$", "");
        String scenario = Files.readString(scenarioFile, StandardCharsets.UTF_8);
        // a scenario of a feature ipsim does not simulate yet waits for it (reported as skipped)
        List<String> missing = Features.missingFor(scenario);
        Assumptions.assumeTrue(missing.isEmpty(), () -> "pending: " + String.join(", ", missing));
        String recorded = Files.readString(root().resolve("oracle/recorded/" + name + ".out"), StandardCharsets.UTF_8);
        if (recorded.startsWith("# recorded")) {
            recorded = recorded.substring(recorded.indexOf('\n') + 1);
        }
        Sandbox sandbox = Main.boot(true, 42, null);
        String actual = ScenarioRunner.run(sandbox, scenario);
        String expected = Volatile.normalise(recorded, scenario);
        String got = Volatile.normalise(actual, scenario);
        if (!expected.equals(got)) {
            fail("ipsim differs from the real kernel in " + name + " (- real, + ipsim):\n"
                    + LineDiff.diff(expected, got));
        }
    }
}
