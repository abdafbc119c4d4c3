package dev.ipsim.shell.script;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ipsim.shell.Main;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every pure-shell case in {@code oracle/bash} run by ipsim the three ways a script runs
 * ({@code ipsim script.sh}, {@code ipsim < script.sh}, {@code ipsim -c "$(cat script.sh)"}) must
 * print what bash 5.2 printed when {@code oracle/record-bash} recorded it: the same standard
 * output, standard error and exit status, byte for byte.
 */
class BashScriptsTest {

    @TempDir
    Path temp;

    static Path root() {
        return Path.of(System.getProperty("ipsim.root", "..")).toAbsolutePath().normalize();
    }

    /** What one run printed. */
    record Run(String stdout, String stderr, int status) {
    }

    @TestFactory
    Stream<DynamicContainer> casesMatchBash() throws IOException {
        Path dir = root().resolve("oracle/bash");
        List<Path> cases;
        try (Stream<Path> s = Files.list(dir)) {
            cases = s.filter(p -> p.toString().endsWith(".sh")).sorted().toList();
        }
        return cases.stream().map(c -> DynamicContainer.dynamicContainer(c.getFileName().toString(),
                recorded(c).entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(),
                        () -> check(c, e.getKey(), e.getValue())))));
    }

    private void check(Path caseFile, String mode, Run expected) throws IOException {
        String script = Files.readString(caseFile, StandardCharsets.UTF_8);
        Path work = Files.createTempDirectory(temp, mode);
        Files.writeString(work.resolve("script.sh"), script);
        Run actual = run(work, mode, script);
        String name = caseFile.getFileName() + " (" + mode + ")";
        assertEquals(expected.stdout(), actual.stdout(), name + ": standard output");
        assertEquals(maskPids(expected.stderr()), maskPids(actual.stderr()), name + ": standard error");
        assertEquals(expected.status(), actual.status(), name + ": exit status");
    }

    /**
     * A job report's process id ({@code script.sh: line 3: 517719 Killed  cmd}, printed with
     * {@code %5d}) is volatile: it becomes {@code PID}.
     */
    static String maskPids(String stderr) {
        return stderr.replaceAll("(?m)^(.*: line \\d+: ) *\\d+ (?=[A-Z])", "$1PID ");
    }

    static Run run(Path work, String mode, String script) {
        List<String> args = new ArrayList<>(List.of("--bare", "--seed", "1"));
        InputStream in = InputStream.nullInputStream();
        switch (mode) {
            case "file" -> args.add("script.sh");
            case "stdin" -> in = new ByteArrayInputStream(script.getBytes(StandardCharsets.UTF_8));
            case "c" -> {
                args.add("-c");
                args.add(script.replaceFirst("\n+$", ""));
            }
            default -> throw new IllegalArgumentException(mode);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Main.Stdio stdio = new Main.Stdio(in, out, err, false, false, false, work, Map.of(), null, false);
        int status = Main.run(args.toArray(String[]::new), stdio);
        return new Run(out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), status);
    }

    /** Parses a recording: "== MODE", "-- stdout", "-- stderr", "-- status N". */
    static Map<String, Run> recorded(Path caseFile) {
        Path out = caseFile.resolveSibling(caseFile.getFileName().toString().replaceFirst("\\.sh$", ".out"));
        List<String> lines;
        try {
            lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("no recording for " + caseFile + ": run oracle/record-bash-all", e);
        }
        Map<String, Run> runs = new LinkedHashMap<>();
        String mode = null;
        StringBuilder stdout = new StringBuilder();
        StringBuilder stderr = new StringBuilder();
        StringBuilder current = null;
        for (String line : lines) {
            if (line.startsWith("# recorded")) {
                continue;
            }
            if (line.startsWith("== ")) {
                mode = line.substring(3);
                stdout = new StringBuilder();
                stderr = new StringBuilder();
                current = null;
            } else if (line.equals("-- stdout")) {
                current = stdout;
            } else if (line.equals("-- stderr")) {
                current = stderr;
            } else if (line.startsWith("-- status ")) {
                runs.put(mode, new Run(stdout.toString(), stderr.toString(),
                        Integer.parseInt(line.substring("-- status ".length()))));
                current = null;
            } else if (line.equals("\\ No newline at end") && current != null) {
                current.setLength(current.length() - 1);
            } else if (current != null) {
                current.append(line).append('\n');
            }
        }
        return runs;
    }
}
