package dev.ipsim.shell.oracle;

import dev.ipsim.shell.Main;
import dev.ipsim.shell.Sandbox;
import dev.ipsim.shell.script.ScenarioRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The quick loop behind {@code oracle/compare}: replays the named scenarios (all when none is
 * named) as {@link OracleScenariosTest} does and prints each one's diff, or {@code ok}. With
 * {@code --print} it prints what ipsim printed instead.
 */
public final class Compare {

    private Compare() {
    }

    public static void main(String[] args) throws IOException {
        Path root = OracleScenariosTest.root();
        boolean print = false;
        List<String> names = new ArrayList<>();
        for (String a : args) {
            if (a.equals("--print")) {
                print = true;
            } else {
                names.add(a.replaceFirst("\\.scenario$", "").replaceFirst("^.*/", ""));
            }
        }
        if (names.isEmpty()) {
            try (Stream<Path> s = Files.list(root.resolve("oracle/scenarios"))) {
                s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".scenario")).sorted()
                        .forEach(n -> names.add(n.replaceFirst("\\.scenario$", "")));
            }
        }
        int failed = 0;
        for (String name : names) {
            String scenario = Files.readString(root.resolve("oracle/scenarios/" + name + ".scenario"),
                    StandardCharsets.UTF_8);
            List<String> missing = dev.ipsim.shell.transcript.Features.missingFor(scenario);
            if (!missing.isEmpty() && !print) {
                System.out.println(name + ": pending (" + String.join(", ", missing) + ")");
                continue;
            }
            Sandbox sandbox = Main.boot(true, 42, null);
            String actual = ScenarioRunner.run(sandbox, scenario);
            if (print) {
                System.out.print(actual);
                continue;
            }
            Path rec = root.resolve("oracle/recorded/" + name + ".out");
            if (!Files.exists(rec)) {
                System.out.println(name + ": not recorded");
                failed++;
                continue;
            }
            String recorded = Files.readString(rec, StandardCharsets.UTF_8);
            if (recorded.startsWith("# recorded")) {
                recorded = recorded.substring(recorded.indexOf('\n') + 1);
            }
            String expected = Volatile.normalise(recorded, scenario);
            String got = Volatile.normalise(actual, scenario);
            if (expected.equals(got)) {
                System.out.println(name + ": ok");
            } else {
                failed++;
                System.out.println(name + ": differs (- real, + ipsim)");
                System.out.print(LineDiff.diff(expected, got));
            }
        }
        System.exit(failed == 0 ? 0 : 1);
    }
}
