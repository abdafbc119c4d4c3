package dev.ipsim.shell.transcript;

import dev.ipsim.shell.transcript.LineMatcher.Row;
import dev.ipsim.shell.transcript.LineMatcher.Verdict;
import dev.ipsim.shell.transcript.Replayer.FileResult;
import dev.ipsim.shell.transcript.Replayer.StepResult;
import dev.ipsim.shell.transcript.Transcript.Expected;
import dev.ipsim.shell.transcript.Transcript.Step;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * {@code ipsim replay [-v] [--write-actual] [--color=WHEN] [--seed N] FILE|DIR...}: replays
 * transcripts and reports, per file, the document's lines that the simulation matched, those it
 * did not (as a scrut-style diff: {@code file:line}, the command, {@code -} the document's line,
 * {@code +} the simulation's), the known deviations and the lines pending a feature ipsim does
 * not simulate yet; then {@code N passed, M failed}. The status is 1 when a line mismatched.
 * {@code --write-actual} writes {@code FILE.actual} next to each transcript: the transcript
 * with the simulation's output in place of the document's, to accept after review.
 */
public final class ReplayCommand {

    static final String USAGE = """
            Usage: ipsim replay [-v] [--write-actual] [--color=auto|always|never] [--seed N] [--profile NAME]
                                FILE|DIR...
              -v              also list known deviations and pending lines
              --profile NAME  replay on this kind of machine instead of the one each transcript names
              --write-actual  write FILE.actual: the transcript with the simulation's output
              --color=WHEN    colour the diff (auto: when standard output is a terminal)
              --seed N        the seed of the labs (MACs, ids; 1 unless given)
            A directory means every *.md transcript in it (README.md aside).
            """;

    private static final String RED = "\033[31m";
    private static final String GREEN = "\033[32m";
    private static final String YELLOW = "\033[33m";
    private static final String BOLD = "\033[1m";
    private static final String DIM = "\033[2m";
    private static final String RESET = "\033[0m";

    private final PrintStream out;
    private final PrintStream err;
    private boolean color;
    private boolean verbose;

    private ReplayCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** Runs {@code ipsim replay} with the words after {@code replay}; returns the exit status. */
    public static int run(List<String> args, PrintStream out, PrintStream err, boolean outTty, Path cwd) {
        return new ReplayCommand(out, err).main(args, outTty, cwd);
    }

    private int main(List<String> args, boolean outTty, Path cwd) {
        boolean write = false;
        String when = "auto";
        long seed = 1;
        String profile = null;
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "-v", "--verbose" -> verbose = true;
                case "--write-actual" -> write = true;
                case "-h", "--help" -> {
                    out.print(USAGE);
                    return 0;
                }
                case "--profile" -> {
                    if (i + 1 >= args.size()) {
                        return usage("--profile: option requires an argument");
                    }
                    profile = args.get(++i);
                    if (dev.ipsim.shell.SystemProfile.named(profile) == null) {
                        return usage("--profile: " + profile + ": no such profile");
                    }
                }
                case "--seed" -> {
                    if (i + 1 >= args.size()) {
                        return usage("--seed: option requires an argument");
                    }
                    try {
                        seed = Long.parseLong(args.get(++i));
                    } catch (NumberFormatException e) {
                        return usage("--seed: " + args.get(i) + ": not a number");
                    }
                }
                default -> {
                    if (a.startsWith("--color=")) {
                        when = a.substring("--color=".length());
                    } else if (a.startsWith("-") && a.length() > 1) {
                        return usage(a + ": invalid option");
                    } else if (!collect(cwd.resolve(a), a, files)) {
                        return 2;
                    }
                }
            }
        }
        if (files.isEmpty()) {
            return usage("no transcript given");
        }
        color = when.equals("always") || when.equals("auto") && outTty;
        int passed = 0;
        int failed = 0;
        int pending = 0;
        Replayer replayer = new Replayer(seed, profile);
        for (Path f : files) {
            Transcript t;
            try {
                t = TranscriptParser.parse(display(cwd, f), Files.readString(f, StandardCharsets.UTF_8));
            } catch (IOException e) {
                err.print("ipsim replay: " + f + ": " + e.getMessage() + "\n");
                failed++;
                continue;
            } catch (TranscriptParser.FormatException e) {
                err.print("ipsim replay: " + e.getMessage() + "\n");
                failed++;
                continue;
            }
            FileResult r = replayer.replay(t);
            report(r);
            if (write) {
                try {
                    Path target = f.resolveSibling(f.getFileName() + ".actual");
                    Files.writeString(target, actual(Files.readString(f, StandardCharsets.UTF_8), r),
                            StandardCharsets.UTF_8);
                    out.print("wrote " + display(cwd, target) + "\n");
                } catch (IOException e) {
                    err.print("ipsim replay: " + e.getMessage() + "\n");
                }
            }
            if (r.failed()) {
                failed++;
            } else if (r.pending()) {
                pending++;
            } else {
                passed++;
            }
        }
        out.print(paint(BOLD, passed + " passed, " + failed + " failed" + (pending > 0 ? ", " + pending
                + " pending" : "")) + "\n");
        out.flush();
        return failed > 0 ? 1 : 0;
    }

    /** A file as the report names it: relative to where ipsim runs when it is below it. */
    private static String display(Path cwd, Path f) {
        Path abs = f.toAbsolutePath().normalize();
        Path rel = cwd.toAbsolutePath().normalize().relativize(abs);
        return rel.startsWith("..") ? abs.toString() : rel.toString();
    }

    private int usage(String message) {
        err.print("ipsim replay: " + message + "\n" + USAGE);
        return 2;
    }

    private boolean collect(Path p, String name, List<Path> files) {
        if (Files.isDirectory(p)) {
            try (Stream<Path> s = Files.list(p)) {
                s.filter(f -> f.getFileName().toString().endsWith(".md")
                                && !f.getFileName().toString().equalsIgnoreCase("README.md"))
                        .sorted().forEach(files::add);
            } catch (IOException e) {
                err.print("ipsim replay: " + name + ": " + e.getMessage() + "\n");
                return false;
            }
            return true;
        }
        if (!Files.isRegularFile(p)) {
            err.print("ipsim replay: " + name + ": No such file or directory\n");
            return false;
        }
        files.add(p);
        return true;
    }

    // ------------------------------------------------------------------ the report

    private void report(FileResult r) {
        String path = r.transcript().path();
        for (String e : r.errors()) {
            out.print(paint(RED, e) + "\n");
        }
        for (StepResult s : r.steps()) {
            boolean bad = s.rows().stream().anyMatch(x -> x.verdict() == Verdict.MISMATCHED);
            boolean show = bad || verbose && (!s.pending().isEmpty() || s.note() != null
                    || s.rows().stream().anyMatch(x -> x.verdict() == Verdict.DEVIATION)
                    || s.step().deviation() != null);
            if (!show) {
                continue;
            }
            Step step = s.step();
            out.print(paint(BOLD, path + ":" + step.line() + ": " + (step.prompt().isEmpty() ? "$ " : step.prompt())
                    + step.command()) + "\n");
            if (step.deviation() != null) {
                out.print(paint(YELLOW, "  ~ the command: " + step.deviation()
                        + (step.directive("runs") != null ? " (runs: " + step.directive("runs") + ")" : "")) + "\n");
            }
            if (!s.pending().isEmpty()) {
                out.print(paint(YELLOW, "  … pending: " + String.join(", ", s.pending())) + "\n");
            }
            if (s.note() != null) {
                out.print(paint(DIM, "  (" + s.note() + ")") + "\n");
            }
            for (Row row : s.rows()) {
                switch (row.verdict()) {
                    case MATCHED -> {
                        if (bad) {
                            out.print(paint(DIM, "  " + row.expected().text()) + "\n");
                        }
                    }
                    case MISMATCHED -> {
                        if (row.expected() != null) {
                            out.print(paint(RED, "- " + row.expected().text()) + "\n");
                        }
                        if (row.actual() != null) {
                            out.print(paint(GREEN, "+ " + row.actual()) + "\n");
                        }
                        if (row.note() != null) {
                            out.print(paint(DIM, "  (" + row.note() + ")") + "\n");
                        }
                    }
                    case DEVIATION -> {
                        if (verbose) {
                            Expected e = row.expected();
                            if (e != null && !e.isMark()) {
                                out.print(paint(YELLOW, "~ " + e.text()) + "\n");
                            }
                            if (row.actual() != null) {
                                out.print(paint(YELLOW, "~+" + row.actual()) + "\n");
                            }
                            out.print(paint(DIM, "  (known deviation: " + row.note() + ")") + "\n");
                        }
                    }
                    case PENDING -> {
                        if (verbose) {
                            out.print(paint(DIM, "… " + row.expected().text()) + "\n");
                        }
                    }
                    default -> {
                    }
                }
            }
        }
        int matched = r.count(Verdict.MATCHED);
        int mismatched = r.count(Verdict.MISMATCHED);
        int deviations = r.count(Verdict.DEVIATION);
        int pendingLines = r.count(Verdict.PENDING);
        int lines = r.lines();
        TreeSet<String> features = new TreeSet<>();
        int unshown = 0;
        int hidden = 0;
        for (StepResult s : r.steps()) {
            features.addAll(s.pending());
            if (s.note() != null && s.note().startsWith("output not in the document")) {
                unshown++;
            }
            if (s.step().directive("hidden") != null) {
                hidden++;
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append(path).append(": ").append(lines).append(" lines: ");
        sb.append(paint(GREEN, matched + " matched")).append(", ");
        sb.append(mismatched > 0 ? paint(RED, mismatched + " mismatched") : "0 mismatched").append(", ");
        sb.append(paint(YELLOW, deviations + " known deviation" + (deviations == 1 ? "" : "s")
                + String.format(Locale.ROOT, " (%.1f%%)", lines == 0 ? 0.0 : 100.0 * deviations / lines)));
        if (pendingLines > 0) {
            sb.append(", ").append(paint(YELLOW, pendingLines + " pending (" + String.join(", ", features) + ")"));
        }
        if (unshown > 0) {
            sb.append("; ").append(unshown).append(" command(s) whose output the document does not show");
        }
        if (hidden > 0) {
            sb.append("; ").append(hidden).append(" hidden command(s)");
        }
        String wrapped = r.transcript().header().get("wrapped-lines");
        if (wrapped != null) {
            sb.append("; ").append(wrapped).append(" line(s) the page wrapped, joined");
        }
        out.print(sb + "\n");
    }

    private String paint(String code, String text) {
        return color ? code + text + RESET : text;
    }

    // ------------------------------------------------------------------ --write-actual

    /** The transcript with each replayed command's output in place of the document's lines. */
    static String actual(String source, FileResult r) {
        String[] lines = source.replace("\r\n", "\n").split("\n", -1);
        boolean[] drop = new boolean[lines.length + 2];
        List<List<String>> insertAfter = new ArrayList<>();
        for (int i = 0; i <= lines.length + 1; i++) {
            insertAfter.add(null);
        }
        for (StepResult s : r.steps()) {
            Step step = s.step();
            if (step.directive("hidden") != null || !s.pending().isEmpty() || step.directive("unshown") != null
                    || step.prompt().isEmpty() && s.actual().isEmpty()) {
                continue;
            }
            int commandEnd = step.line() + (int) step.command().chars().filter(c -> c == '\n').count();
            int end = commandEnd;
            for (Expected e : step.expected()) {
                end = Math.max(end, e.line());
            }
            for (int l = commandEnd + 1; l <= end; l++) {
                drop[l] = true;
            }
            insertAfter.set(commandEnd, s.actual());
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= lines.length; i++) {
            if (!drop[i]) {
                sb.append(lines[i - 1]);
                if (i < lines.length) {
                    sb.append('\n');
                }
            }
            List<String> add = insertAfter.get(i);
            if (add != null) {
                for (String a : add) {
                    sb.append(a).append('\n');
                }
            }
        }
        return sb.toString();
    }
}
