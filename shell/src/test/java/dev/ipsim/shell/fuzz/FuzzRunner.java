package dev.ipsim.shell.fuzz;

import dev.ipsim.shell.Main;
import dev.ipsim.shell.Sandbox;
import dev.ipsim.shell.ShellSession;
import dev.ipsim.shell.script.Interpreter;
import dev.ipsim.shell.script.ScriptRunner;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Feeds generated command lines ({@link CommandLines}) to the shell in script mode, one at a
 * time, on a lab that lives for a few hundred lines (then a fresh one, bare or a VM), and
 * checks after each line: nothing thrown, no Java exception's text or "internal error" in what
 * was printed (unless the line itself said it), the line finished within the watchdog's time,
 * and the model's invariants ({@link ModelInvariants}) hold. Deterministic under a seed: a
 * finding names the lines since the lab was fresh, which replay it.
 *
 * <p>{@code main} is the long run: {@code .ci/fuzz [LINES] [SEED]}.
 */
public final class FuzzRunner {

    /** One kind of failure, with the first lab's lines that showed it and how often it came. */
    public record Finding(String key, long index, List<String> episode, String detail, int[] count) {
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder();
            sb.append(key).append(" (x").append(count[0]).append(", first at line ").append(index).append(")\n");
            sb.append("  ").append(detail.replace("\n", "\n  ")).append('\n');
            sb.append("  lines since the lab was fresh:\n");
            for (String l : episode) {
                sb.append("    ").append(printable(l)).append('\n');
            }
            return sb.toString();
        }
    }

    /** What a run did. */
    public record Report(long seed, long lines, long millis, List<Finding> findings, long resets) {
        public String summary() {
            return String.format("fuzz: seed %d, %d lines in %.1f s (%d labs), %d kinds of finding", seed, lines,
                    millis / 1000.0, resets, findings.size());
        }
    }

    private static final int EPISODE_LINES_SHOWN = 600;
    private static final long PROGRESS_EVERY = 50_000;
    private static final long VIRTUAL_DEADLINE_NANOS = 600L * 1_000_000_000L;

    private final long seed;
    private final Path workDir;
    private final long watchdogMillis;
    private final SplittableRandom random;
    private final CommandLines generator;
    private final Map<String, Finding> findings = new LinkedHashMap<>();
    private final Capture capture = new Capture();
    private final List<String> episode = new ArrayList<>();
    private ExecutorService executor = newExecutor();
    private Sandbox sandbox;
    private ShellSession session;
    private Interpreter interpreter;
    private int labLinesLeft;
    private long resets;

    FuzzRunner(long seed, Path workDir, long watchdogMillis) {
        this.seed = seed;
        this.workDir = workDir;
        this.watchdogMillis = watchdogMillis;
        this.random = new SplittableRandom(seed ^ 0x5DEECE66DL);
        this.generator = new CommandLines(seed);
    }

    /** The stack trace of the last internal error a command hit on the fuzz thread. */
    private volatile String lastInternalError;

    /** Where a new kind of finding is printed the moment it is found (null: only in the report). */
    private PrintStream live;

    Report run(long lines, PrintStream progress) {
        long start = System.nanoTime();
        live = progress;
        Interpreter.internalErrorObserver = e -> lastInternalError = stackTrace(e);
        try {
            for (long i = 1; i <= lines; i++) {
                step(i, generator.next());
                if (progress != null && i % PROGRESS_EVERY == 0) {
                    Runtime rt = Runtime.getRuntime();
                    progress.printf("fuzz: %d lines, %.0f s, %d kinds of finding, heap %d MB in use%n", i,
                            (System.nanoTime() - start) / 1e9, findings.size(),
                            (rt.totalMemory() - rt.freeMemory()) >> 20);
                    progress.flush();
                }
            }
        } finally {
            executor.shutdownNow();
            Interpreter.internalErrorObserver = null;
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        return new Report(seed, lines, millis, List.copyOf(findings.values()), resets);
    }

    private void step(long index, String line) {
        if (sandbox == null || labLinesLeft-- <= 0) {
            freshLab();
        }
        if (session.exitRequested()) {
            freshSession();
        }
        episode.add(line);
        capture.reset();
        lastInternalError = null;
        ctrlCEvery(session, sandbox);
        ShellSession s = session;
        Interpreter in = interpreter;
        Future<?> result = executor.submit(() -> ScriptRunner.run(in, ScriptRunner.lines(line)));
        try {
            result.get(watchdogMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            result.cancel(true);
            executor.shutdownNow();
            executor = newExecutor();
            report("hang: no answer within " + watchdogMillis + " ms", index, "the line was still running");
            sandbox = null;
            return;
        } catch (ExecutionException e) {
            Throwable t = e.getCause();
            report("thrown: " + t.getClass().getName() + " at " + firstOwnFrame(t), index, stackTrace(t));
            sandbox = null;
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        s.scheduleInterrupt(Long.MAX_VALUE, null);
        String printed = capture.text();
        for (String marker : new String[] {"internal error", "Exception", "\tat ", "java.lang.", "dev.ipsim."}) {
            int at = printed.indexOf(marker);
            if (at >= 0 && !line.contains(marker)) {
                int lineStart = printed.lastIndexOf('\n', at) + 1;
                int lineEnd = printed.indexOf('\n', at);
                String shown = printed.substring(lineStart, lineEnd < 0 ? printed.length() : lineEnd);
                report("printed: " + normalise(shown), index,
                        lastInternalError != null ? shown + "\n" + lastInternalError : shown);
                sandbox = null;
                return;
            }
        }
        List<String> broken = ModelInvariants.check(sandbox);
        if (!broken.isEmpty()) {
            report("invariant: " + normalise(broken.get(0)), index, String.join("\n", broken));
            sandbox = null;
        }
    }

    /**
     * A Ctrl-C well after anything a line should wait for, and again as long after each one
     * taken: the shell runs here without a process of its own, so {@code a & b &} runs its
     * jobs in the foreground one after the other, and each capture needs its own.
     */
    static void ctrlCEvery(ShellSession session, Sandbox sandbox) {
        Runnable[] again = new Runnable[1];
        again[0] = () -> session.scheduleInterrupt(sandbox.kernel().clock().nanos() + VIRTUAL_DEADLINE_NANOS, again[0]);
        again[0].run();
    }

    private void report(String key, long index, String detail) {
        Finding f = findings.get(key);
        if (f != null) {
            f.count()[0]++;
            return;
        }
        int from = Math.max(0, episode.size() - EPISODE_LINES_SHOWN);
        Finding found = new Finding(key, index, List.copyOf(episode.subList(from, episode.size())), detail,
                new int[] {1});
        findings.put(key, found);
        if (live != null) {
            // as it is found, so a run that stalls or runs out of memory later still tells it
            live.println("fuzz: new finding at line " + index + ": " + found);
            live.flush();
        }
    }

    private void freshLab() {
        resets++;
        cleanWorkDir();
        boolean bare = random.nextInt(3) == 0;
        long labSeed = random.nextLong();
        sandbox = Main.boot(bare, labSeed, workDir);
        labLinesLeft = 50 + random.nextInt(500);
        episode.clear();
        episode.add("# lab: " + (bare ? "--bare" : "VM") + " --seed " + labSeed);
        freshSession();
    }

    private void freshSession() {
        session = new ShellSession(sandbox, ShellSession.Mode.FILE, "fuzz", InputStream.nullInputStream(), capture,
                capture, false);
        interpreter = new Interpreter(session);
    }

    private void cleanWorkDir() {
        try (Stream<Path> paths = Files.walk(workDir)) {
            paths.sorted(Comparator.reverseOrder()).filter(p -> !p.equals(workDir)).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ExecutorService newExecutor() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(null, r, "fuzz-shell", 64L << 20);
            t.setDaemon(true);
            return t;
        });
    }

    private static String firstOwnFrame(Throwable t) {
        for (StackTraceElement e : t.getStackTrace()) {
            if (e.getClassName().startsWith("dev.ipsim")) {
                return e.getClassName() + "." + e.getMethodName() + ":" + e.getLineNumber();
            }
        }
        return t.getStackTrace().length > 0 ? t.getStackTrace()[0].toString() : "?";
    }

    private static String stackTrace(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        String s = w.toString();
        return s.length() > 4000 ? s.substring(0, 4000) + "..." : s;
    }

    /** A finding's key: digits and names that vary from case to case taken out. */
    private static String normalise(String s) {
        String t = s.replaceAll("\"[^\"]*\"", "\"...\"").replaceAll("[0-9]+", "N");
        return t.length() > 160 ? t.substring(0, 160) : t;
    }

    static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        int n = Math.min(s.length(), 300);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\x%02x", (int) c));
            } else {
                sb.append(c);
            }
        }
        if (s.length() > n) {
            sb.append("... (").append(s.length()).append(" characters)");
        }
        return sb.toString();
    }

    /** Both of the shell's output streams, as one text, reset for each line. */
    private static final class Capture extends ByteArrayOutputStream {
        private static final int KEEP = 1 << 20;

        String text() {
            return toString(StandardCharsets.UTF_8);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            if (count < KEEP) {
                super.write(b, off, Math.min(len, KEEP));
            }
        }

        @Override
        public synchronized void write(int b) {
            if (count < KEEP) {
                super.write(b);
            }
        }
    }

    /**
     * {@code .ci/fuzz replay FILE [--bare]}: a finding's lines (as the report prints them, one
     * a line, {@code \xNN} for control characters) run one by one on one lab, each timed.
     */
    static void replay(Path file, boolean bare) throws IOException {
        List<String> lines = Files.readAllLines(file);
        long seed = 1;
        if (!lines.isEmpty() && lines.get(0).startsWith("# lab: ")) {
            // the header a finding prints: "# lab: --bare|VM --seed N"
            String[] words = lines.get(0).split(" ");
            bare = words[2].equals("--bare");
            seed = Long.parseLong(words[4]);
            lines = lines.subList(1, lines.size());
        }
        Sandbox sandbox = Main.boot(bare, seed, Files.createTempDirectory("ipsim-fuzz"));
        ShellSession session = null;
        for (String raw : lines) {
            String line = java.util.regex.Pattern.compile("\\\\x([0-9a-f]{2})").matcher(raw)
                    .replaceAll(m -> java.util.regex.Matcher.quoteReplacement(
                            String.valueOf((char) Integer.parseInt(m.group(1), 16))));
            if (session == null || session.exitRequested()) {
                session = new ShellSession(sandbox, ShellSession.Mode.FILE, "fuzz", InputStream.nullInputStream(),
                        System.out, System.out, false);
            }
            // as the run does: a Ctrl-C well after anything a line should wait for
            ctrlCEvery(session, sandbox);
            long start = System.nanoTime();
            System.out.println(">>> " + printable(line));
            ScriptRunner.run(new Interpreter(session), ScriptRunner.lines(line));
            System.out.printf("<<< %.3f s%n", (System.nanoTime() - start) / 1e9);
            System.out.flush();
        }
    }

    /** {@code .ci/fuzz [LINES] [SEED]}: the long run; exit status 1 when anything was found. */
    public static void main(String[] args) throws IOException {
        if (args.length >= 2 && args[0].equals("replay")) {
            replay(Path.of(args[1]), args.length > 2 && args[2].equals("--bare"));
            return;
        }
        long lines = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : System.nanoTime();
        Path dir = Files.createTempDirectory("ipsim-fuzz");
        FuzzRunner runner = new FuzzRunner(seed, dir, 20_000);
        PrintStream out = System.out;
        out.printf("fuzz: seed %d, %d lines, lab directory %s%n", seed, lines, dir);
        Report report = runner.run(lines, out);
        out.println(report.summary());
        for (Finding f : report.findings()) {
            out.println(f);
        }
        out.flush();
        runner.cleanWorkDir();
        Files.deleteIfExists(dir);
        System.exit(report.findings().isEmpty() ? 0 : 1);
    }
}
