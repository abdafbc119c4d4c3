package dev.ipsim.shell.transcript;

import dev.ipsim.kernel.Kernel;
import dev.ipsim.kernel.NetNamespace;
import dev.ipsim.kernel.world.World;
import dev.ipsim.kernel.world.UserNetwork;
import dev.ipsim.kernel.link.NetDevice;
import dev.ipsim.kernel.link.EthernetNic;
import dev.ipsim.kernel.addr.Ipv4Address;
import dev.ipsim.kernel.addr.MacAddress;
import dev.ipsim.kernel.time.VirtualClock;
import dev.ipsim.shell.Main;
import dev.ipsim.shell.Sandbox;
import dev.ipsim.shell.ShellSession;
import dev.ipsim.shell.SystemProfile;
import dev.ipsim.shell.script.Interpreter;
import dev.ipsim.shell.script.Parser;
import dev.ipsim.shell.transcript.LineMatcher.Row;
import dev.ipsim.shell.transcript.LineMatcher.Verdict;
import dev.ipsim.shell.transcript.Transcript.Expected;
import dev.ipsim.shell.transcript.Transcript.Machine;
import dev.ipsim.shell.transcript.Transcript.Setting;
import dev.ipsim.shell.transcript.Transcript.Step;
import dev.ipsim.shell.vfs.VirtualFs;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Replays a transcript: for each machine, a fresh lab of the transcript's profile, its hidden
 * setup, then the document's commands one by one as a person types them at a terminal, each
 * compared with the lines the document shows after it ({@link LineMatcher}).
 *
 * <p>Heads up: three things a document records without saying so are replayed as the author
 * did them.
 * <ul>
 * <li>Time passes between commands: a person takes a few seconds to type the next one
 *     ({@code pace}, 3 s unless the header says otherwise, plus up to a second more, to the
 *     microsecond, as no one types in whole ticks), so an address added a moment ago is no
 *     longer {@code tentative} by the next command, as in the documents, and a command starts at
 *     a random point of the kernel's tick, as on a real machine.</li>
 * <li>{@code ^C} in the document is Ctrl-C: it comes half a second after the command printed
 *     the lines the document shows before it (or when {@code #| interrupt: Ns} says), and the
 *     terminal echoes it.</li>
 * <li>A {@code tcpdump} in the document ran in a second terminal while the command before it
 *     ran, and its output was pasted after that command: the replay starts the capture in a
 *     second shell at a terminal of its own (a task of the machine's) before the command it
 *     watched, stops it with Ctrl-C (SIGINT) after that command and a pause, and compares
 *     what it printed up to then. What a capture prints after Ctrl-C is shown only when the
 *     document shows {@code ^C}. The replay's shell runs as the machine's shell process
 *     ({@link Main#asShellProcess}), so its jobs run while the foreground command waits.</li>
 * </ul>
 */
public final class Replayer {

    /** Half a second: how long a person takes to press Ctrl-C after the output they waited for. */
    private static final long REACTION_NANOS = 500 * VirtualClock.NANOS_PER_MILLI;
    /** A command still running after ten minutes of virtual time is stopped and reported. */
    private static final long RUNAWAY_NANOS = 600 * VirtualClock.NANOS_PER_SECOND;
    /** How long a machine set up for a transcript has been up before its first command. */
    private static final long UPTIME_NANOS = 60 * VirtualClock.NANOS_PER_SECOND;
    private static final long DEFAULT_PACE_NANOS = 3 * VirtualClock.NANOS_PER_SECOND;

    /** What one step of the document came to. */
    public record StepResult(Step step, int machine, List<Row> rows, List<String> pending, String note,
                             List<String> actual) {
    }

    /** What a whole transcript came to. */
    public record FileResult(Transcript transcript, List<StepResult> steps, List<String> errors) {

        public int count(Verdict v) {
            int n = 0;
            for (StepResult s : steps) {
                if (s.step().directive("hidden") != null) {
                    continue;
                }
                if (v == Verdict.PENDING && !s.pending().isEmpty()) {
                    n++; // the command line
                } else if (s.pending().isEmpty()) {
                    if (v == Verdict.DEVIATION && s.step().deviation() != null) {
                        n++;
                    } else if (v == Verdict.MATCHED && s.step().deviation() == null) {
                        n++;
                    }
                }
                for (Row r : s.rows()) {
                    if (r.verdict() == v) {
                        n++;
                    }
                }
            }
            return n;
        }

        /** The document's lines: commands and output, each counted once. */
        public int lines() {
            return count(Verdict.MATCHED) + count(Verdict.MISMATCHED) + count(Verdict.DEVIATION)
                    + count(Verdict.PENDING);
        }

        public boolean failed() {
            return !errors.isEmpty() || count(Verdict.MISMATCHED) > 0;
        }

        public boolean pending() {
            return count(Verdict.PENDING) > 0;
        }
    }

    /** Up to a second more than the pace, to the microsecond. */
    private static final long TYPING_JITTER_MICROS = 1_000_000L;

    private final long seed;
    private final String profileOverride;

    public Replayer(long seed) {
        this(seed, null);
    }

    /**
     * @param seed    the seed of every lab (each machine of a transcript gets its own from it)
     * @param profile a profile to replay every transcript on instead of the one it names, or {@code null}
     */
    public Replayer(long seed, String profile) {
        this.seed = seed;
        this.profileOverride = profile;
    }

    public FileResult replay(Transcript t) {
        List<StepResult> results = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        LineMatcher matcher = new LineMatcher(t.whitespace());
        long pace = parseDuration(t.header().getOrDefault("pace", "3s"), DEFAULT_PACE_NANOS);
        for (int mi = 0; mi < t.machines().size(); mi++) {
            Machine m = t.machines().get(mi);
            matcher.resetBindings();
            try {
                new Run(t, m, mi, matcher, pace, results, errors).run();
            } catch (SetupException e) {
                errors.add(t.path() + ":" + e.line + ": " + e.getMessage());
            }
        }
        return new FileResult(t, results, errors);
    }

    private static final class SetupException extends Exception {
        final int line;

        SetupException(int line, String message) {
            super(message);
            this.line = line;
        }
    }

    /** The terminal the session writes to: everything, in order, and the lines of the running command. */
    private static final class Terminal extends OutputStream {
        private final StringBuilder all = new StringBuilder();
        private int commandStart;
        /** After this many lines of the running command, {@code onLines} runs once. */
        private int watchLines = -1;
        private Runnable onLines;

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            all.append(new String(b, off, len, StandardCharsets.UTF_8));
            if (watchLines >= 0 && newlines() >= watchLines) {
                watchLines = -1;
                onLines.run();
            }
        }

        void startCommand() {
            commandStart = all.length();
        }

        void afterLines(int n, Runnable action) {
            watchLines = n;
            onLines = action;
            if (n == 0) {
                watchLines = -1;
                action.run();
            }
        }

        void stopWatching() {
            watchLines = -1;
        }

        private int newlines() {
            int n = 0;
            for (int i = commandStart; i < all.length(); i++) {
                if (all.charAt(i) == '\n') {
                    n++;
                }
            }
            return n;
        }

        void echo(String s) {
            all.append(s);
        }

        boolean atLineStart() {
            return all.length() == commandStart || all.charAt(all.length() - 1) == '\n';
        }

        /** The running command's output as lines. */
        List<String> commandLines() {
            return lines(all.substring(commandStart));
        }
    }

    static List<String> lines(String text) {
        if (text.isEmpty()) {
            return List.of();
        }
        String t = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        return List.of(t.split("\n", -1));
    }

    /** One machine of a transcript, replayed. */
    private final class Run {
        private final Transcript t;
        private final Machine m;
        private final int index;
        private final LineMatcher matcher;
        private final long pace;
        private final List<StepResult> results;
        private final List<String> errors;
        private Sandbox sandbox;
        private ShellSession session;
        private Interpreter interpreter;
        private final Terminal terminal = new Terminal();
        /** Live captures to start before a step, by step index. */
        private final Map<Integer, List<Capture>> startBefore = new HashMap<>();
        /** Live captures to stop after a step, by step index. */
        private final Map<Integer, List<Capture>> stopAfter = new HashMap<>();
        /** What each capture step's capture printed, once stopped. */
        private final Map<Integer, Capture> captures = new HashMap<>();
        /** The delay after which each step was interrupted, for re-runs. */
        private final Map<Integer, Long> interruptDelays = new HashMap<>();
        private int captureCount;
        /** The person at the keyboard: how long each command takes to type. */
        private java.util.SplittableRandom typist;

        Run(Transcript t, Machine m, int index, LineMatcher matcher, long pace, List<StepResult> results,
            List<String> errors) {
            this.t = t;
            this.m = m;
            this.index = index;
            this.matcher = matcher;
            this.pace = pace;
            this.results = results;
            this.errors = errors;
        }

        void run() throws SetupException {
            List<String> setupNeeds = setupMissing();
            if (!setupNeeds.isEmpty()) {
                // the machine cannot be built yet: everything on it waits for the features
                for (Step s : m.steps()) {
                    if (s.directive("hidden") == null) {
                        results.add(pendingResult(s, setupNeeds));
                    }
                }
                return;
            }
            session = new ShellSession(sandbox(), ShellSession.Mode.INTERACTIVE, "bash",
                    InputStream.nullInputStream(), terminal, terminal, true);
            interpreter = new Interpreter(session);
            SetupException[] failed = {null};
            Main.asShellProcess(session, () -> {
                try {
                    setUp();
                    steps();
                } catch (SetupException e) {
                    failed[0] = e;
                }
                return null;
            });
            if (failed[0] != null) {
                throw failed[0];
            }
        }

        private void steps() {
            planCaptures();
            List<Step> steps = m.steps();
            for (int i = 0; i < steps.size(); i++) {
                Step s = steps.get(i);
                if (s.directive("hidden") != null) {
                    if (!missing(s).isEmpty()) {
                        results.add(new StepResult(s, index, List.of(), missing(s), "hidden", List.of()));
                        continue;
                    }
                    kernel().advance(typing());
                    startCaptures(i);
                    runQuietly(s.command(), delayFor(s, i));
                    stopCaptures(i);
                    results.add(new StepResult(s, index, List.of(), List.of(), "hidden", List.of()));
                    continue;
                }
                List<String> missing = missing(s);
                if (!missing.isEmpty()) {
                    results.add(pendingResult(s, missing));
                    continue;
                }
                kernel().advance(typing() + parseDuration(s.directive("wait"), 0));
                startCaptures(i);
                StepResult r;
                if (isCapture(s)) {
                    r = captureStep(s, i);
                } else {
                    r = commandStep(s, i);
                }
                stopCaptures(i);
                results.add(r);
            }
        }

        private Kernel kernel() {
            return sandbox.kernel();
        }

        /** The time a person takes to type the next command. */
        private long typing() {
            return pace + typist.nextLong(TYPING_JITTER_MICROS) * 1000L;
        }

        // -------------------------------------------------------------- the machine

        /** Features the machine's setup needs, from its {@code #| requires:}. */
        private List<String> setupMissing() {
            List<String> out = new ArrayList<>();
            for (Setting s : m.settings()) {
                if (s.key().equals("requires")) {
                    for (String f : s.value().split("[,\\s]+")) {
                        if (!f.isEmpty() && !Features.available(f)) {
                            out.add(f);
                        }
                    }
                }
            }
            return out;
        }

        /** The machine, booted with its profile and its setup settings (NICs, DNS, host name). */
        private Sandbox sandbox() throws SetupException {
            if (sandbox == null) {
                boot();
            }
            return sandbox;
        }

        private void boot() throws SetupException {
            String profileName = t.profile();
            for (Setting s : m.settings()) {
                if (s.key().equals("profile")) {
                    profileName = s.value();
                }
            }
            if (profileOverride != null) {
                profileName = profileOverride;
            }
            SystemProfile profile = SystemProfile.named(profileName);
            if (profile == null) {
                throw new SetupException(m.line(), "no profile named \"" + profileName + "\"");
            }
            long machineSeed = seed + 7919L * index;
            typist = new java.util.SplittableRandom(machineSeed ^ 0x7479_7069_7374L);
            sandbox = Main.boot(true, machineSeed, null, profile);
            NetNamespace ns = kernel().initNamespace();
            for (Setting s : m.settings()) {
                String[] v = s.value().split("\\s+");
                switch (s.key()) {
                    case "profile", "requires" -> {
                    }
                    case "hostname" -> sandbox.setHostname(s.value());
                    case "nic" -> {
                        MacAddress mac = v.length > 1 ? MacAddress.parse(v[1]) : null;
                        if (v.length > 1 && mac == null) {
                            throw new SetupException(s.line(), "nic: \"" + v[1] + "\" is not a MAC address");
                        }
                        if (mac == null) {
                            mac = new MacAddress(0x52_54_00_00_00_00L | (kernel().random().nextLong() & 0xFF_FFFFL));
                        }
                        ns.addEthernetNic(v[0], mac, profile.nicQdisc());
                    }
                    case "world" -> {
                        // the NIC's cable leads to a hypervisor's user-mode network and the Internet
                        NetDevice nic = ns.device(v[0]);
                        if (!(nic instanceof EthernetNic ethernet)) {
                            throw new SetupException(s.line(), "world: no NIC named \"" + v[0] + "\"");
                        }
                        UserNetwork.Hypervisor hypervisor = UserNetwork.Hypervisor.QEMU;
                        if (v.length > 1) {
                            try {
                                hypervisor = UserNetwork.Hypervisor.valueOf(v[1].toUpperCase(java.util.Locale.ROOT));
                            } catch (IllegalArgumentException e) {
                                throw new SetupException(s.line(), "world: \"" + v[1]
                                        + "\" is not qemu or virtualbox");
                            }
                        }
                        World world = World.create(kernel(), machineSeed, hypervisor);
                        world.connect(ethernet);
                        sandbox.setWorld(world);
                    }
                    case "dns" -> {
                        List<Ipv4Address> addresses = new ArrayList<>();
                        for (int k = 1; k < v.length; k++) {
                            Ipv4Address a = Ipv4Address.parse(v[k]);
                            if (a == null) {
                                throw new SetupException(s.line(), "dns: \"" + v[k] + "\" is not an IPv4 address");
                            }
                            addresses.add(a);
                        }
                        sandbox.addDnsRecords(v[0], addresses);
                    }
                    default -> throw new SetupException(s.line(), "unknown setup setting \"" + s.key() + "\"");
                }
            }
        }

        /** The setup's shell lines, then the machine's uptime before the document's first command. */
        private void setUp() throws SetupException {
            for (String line : m.setup()) {
                terminal.startCommand();
                execute(line);
                if (session.lastStatus() != 0) {
                    throw new SetupException(m.line(), "setup line failed (status " + session.lastStatus() + "): "
                            + line + "\n" + String.join("\n", terminal.commandLines()));
                }
            }
            kernel().advance(UPTIME_NANOS);
        }

        /** Runs a command line as the interactive shell would. */
        private void execute(String line) {
            List<Parser.AndOr> lists;
            try {
                lists = Parser.parse(line + "\n", 1);
            } catch (Parser.Incomplete e) {
                session.err().print("bash: syntax error: unexpected end of file\n");
                session.setLastStatus(2);
                return;
            } catch (Parser.SyntaxError e) {
                session.syntaxError(e.getMessage(), e.line(), null);
                session.setLastStatus(2);
                return;
            }
            try {
                interpreter.run(lists);
            } catch (RuntimeException e) {
                session.err().print("ipsim: internal error: " + e + "\n");
                session.setLastStatus(70);
            }
            session.clearDiscard();
            flush();
        }

        private void flush() {
            try {
                session.stdoutSink().flush();
                session.stderrSink().flush();
            } catch (java.io.IOException e) {
                // the terminal is in memory
            }
        }

        /**
         * Before step {@code i}: starts the live captures that watch it first, and arms the
         * Ctrl-C of those whose last watched command it is ({@code #| stop-after} counts from
         * its start, so the capture can end while it still runs).
         */
        private void startCaptures(int i) {
            for (Capture c : startBefore.getOrDefault(i, List.of())) {
                c.start();
            }
            for (Capture c : stopAfter.getOrDefault(i, List.of())) {
                c.startedAt = kernel().clock().nanos();
                if (c.stopAfter >= 0) {
                    c.armStop(c.startedAt + c.stopAfter);
                }
            }
        }

        /** After step {@code i}: stops the live captures whose last watched command it was. */
        private void stopCaptures(int i) {
            for (Capture c : stopAfter.getOrDefault(i, List.of())) {
                c.stop(c.stopAfter);
            }
        }

        /** Runs a command whose output the document does not show, interrupting it after {@code delay}. */
        private void runQuietly(String command, long delay) {
            terminal.startCommand();
            long start = kernel().clock().nanos();
            session.scheduleInterrupt(start + (delay > 0 ? delay : RUNAWAY_NANOS), () -> terminal.echo("^C"));
            execute(command);
            session.scheduleInterrupt(Long.MAX_VALUE, null);
        }

        // -------------------------------------------------------------- steps

        private List<String> missing(Step s) {
            Set<String> need = new LinkedHashSet<>(s.requires());
            need.addAll(Features.neededBy(command(s)));
            for (String w : s.directives("watches")) {
                if (!w.matches("\\d+(\\s+hidden)?|rerun(\\s+\\d+)?")) {
                    need.addAll(Features.neededBy(w));
                }
            }
            List<String> out = new ArrayList<>();
            for (String f : need) {
                if (!Features.known(f)) {
                    errors.add(t.path() + ":" + s.line() + ": unknown feature \"" + f + "\" (known: "
                            + String.join(", ", Features.KNOWN) + ")");
                } else if (!Features.available(f)) {
                    out.add(f);
                }
            }
            return out;
        }

        private StepResult pendingResult(Step s, List<String> missing) {
            List<Row> rows = new ArrayList<>();
            List<Expected> expected = new ArrayList<>(s.expected());
            while (!expected.isEmpty() && !expected.get(expected.size() - 1).isMark()
                    && expected.get(expected.size() - 1).text().isBlank()) {
                expected.remove(expected.size() - 1); // layout, as when compared
            }
            for (Expected e : expected) {
                if (e.isMark()) {
                    for (int k = 0; k < (e.omitted() == Transcript.EXCERPT ? 1 : e.omitted()); k++) {
                        rows.add(new Row(Verdict.DEVIATION, e, null, e.deviation()));
                    }
                } else if (e.deviation() != null) {
                    rows.add(new Row(Verdict.DEVIATION, e, null, e.deviation()));
                } else {
                    rows.add(new Row(Verdict.PENDING, e, null, null));
                }
            }
            return new StepResult(s, index, rows, missing, null, List.of());
        }

        private String command(Step s) {
            String runs = s.directive("runs");
            return runs != null ? runs : s.command();
        }

        /** How long after its start the step is interrupted: {@code #| interrupt}, or 0 for none given. */
        private long delayFor(Step s, int i) {
            Long known = interruptDelays.get(i);
            if (known != null) {
                return known;
            }
            return parseDuration(s.directive("interrupt"), 0);
        }

        private StepResult commandStep(Step s, int i) {
            terminal.startCommand();
            long start = kernel().clock().nanos();
            boolean[] interrupted = {false};
            Runnable echo = () -> {
                interrupted[0] = true;
                interruptDelays.put(i, kernel().clock().nanos() - start);
                terminal.echo("^C");
            };
            long delay = parseDuration(s.directive("interrupt"), 0);
            int beforeCtrlC = linesBeforeCtrlC(s);
            if (delay > 0) {
                session.scheduleInterrupt(start + delay, echo);
            } else if (beforeCtrlC >= 0) {
                session.scheduleInterrupt(start + RUNAWAY_NANOS, echo);
                terminal.afterLines(beforeCtrlC, () -> session.scheduleInterrupt(
                        kernel().clock().nanos() + REACTION_NANOS, echo));
            } else {
                session.scheduleInterrupt(start + RUNAWAY_NANOS, echo);
            }
            NetNamespace shellNs = session.netns();
            String inNetns = s.directive("netns");
            if (inNetns != null) {
                NetNamespace ns = sandbox.lookup(inNetns);
                if (inNetns.matches("%[0-9]+")) {
                    // a namespace nothing names (a container's): the one a job's process is in
                    var job = session.jobs().job(Integer.parseInt(inNetns.substring(1)) - 1);
                    ns = job == null ? null : session.netnsOfPid(job.pid());
                }
                if (ns == null) {
                    errors.add(t.path() + ":" + s.line() + ": netns: no namespace named \"" + inNetns
                            + "\" (nor a job %N of the setup)");
                } else {
                    session.setNetns(ns); // the author's shell was inside it (a container's)
                }
            }
            String userland = s.directive("userland");
            if (userland == null) {
                execute(command(s));
            } else if (userland.equals("busybox")) {
                // the container's ip is a link to its BusyBox, built against musl or uClibc
                session.commands().withProgram("ip", new dev.ipsim.commands.busybox.BusyBox(true).ip(),
                        () -> execute(command(s)));
            } else {
                errors.add(t.path() + ":" + s.line() + ": userland: \"" + userland + "\" is not busybox");
            }
            session.setNetns(shellNs);
            terminal.stopWatching();
            session.scheduleInterrupt(Long.MAX_VALUE, null);
            if (interrupted[0] && !terminal.atLineStart()) {
                terminal.echo("\n"); // bash moves to a new line for its prompt
            }
            List<String> actual = terminal.commandLines();
            String note = null;
            if (interrupted[0] && beforeCtrlC < 0 && delay == 0) {
                note = "still running after " + RUNAWAY_NANOS / VirtualClock.NANOS_PER_SECOND
                        + " s of virtual time: interrupted";
            }
            if (s.directive("unshown") != null) {
                return new StepResult(s, index, List.of(), List.of(), "output not in the document: "
                        + s.directive("unshown"), actual);
            }
            List<Row> rows = matcher.compare(s.expected(), actual, firstRow(command(s)));
            return new StepResult(s, index, rows, List.of(), note, actual);
        }

        /** The number of document lines before its {@code ^C}, or -1 when it shows none. */
        private int linesBeforeCtrlC(Step s) {
            int n = 0;
            for (Expected e : s.expected()) {
                if (e.isMark()) {
                    continue;
                }
                if (e.deviation() == null && e.text().startsWith("^C")) {
                    return n;
                }
                n++;
            }
            return -1;
        }

        // -------------------------------------------------------------- captures

        private boolean isCapture(Step s) {
            List<String> words = List.of(command(s).strip().split("\\s+"));
            return words.contains("tcpdump") && !command(s).strip().endsWith("&");
        }

        /** Which steps each capture watches, and when live captures start and stop. */
        private void planCaptures() {
            List<Step> steps = m.steps();
            for (int i = 0; i < steps.size(); i++) {
                Step s = steps.get(i);
                if (!isCapture(s) || s.directive("hidden") != null) {
                    continue;
                }
                String w = s.directive("watches");
                if (w != null && !w.matches("\\d+(\\s+hidden)?")) {
                    continue; // a re-run, or a command the document does not print: at the step itself
                }
                int count = w == null ? 1 : Integer.parseInt(w.split("\\s+")[0]);
                List<Integer> watched = w != null && w.endsWith("hidden")
                        ? previousHidden(i, count) : previousCommands(i, count);
                if (watched.isEmpty()) {
                    continue;
                }
                Capture c = new Capture(s, i);
                c.stopAfter = parseDuration(s.directive("stop-after"), -1);
                startBefore.computeIfAbsent(watched.get(0), k -> new ArrayList<>()).add(c);
                stopAfter.computeIfAbsent(watched.get(watched.size() - 1), k -> new ArrayList<>()).add(c);
                captures.put(i, c);
            }
        }

        /** The {@code count} commands before step {@code i} that are not captures, in order. */
        private List<Integer> previousCommands(int i, int count) {
            List<Integer> out = new ArrayList<>();
            for (int k = i - 1; k >= 0 && out.size() < count; k--) {
                Step p = m.steps().get(k);
                if (!isCapture(p)) {
                    out.add(0, k);
                }
            }
            return out;
        }

        /**
         * The {@code count} hidden commands before step {@code i}, in order: commands the author
         * ran while a capture watched, though the document printed another run's output.
         */
        private List<Integer> previousHidden(int i, int count) {
            List<Integer> out = new ArrayList<>();
            for (int k = i - 1; k >= 0 && out.size() < count; k--) {
                Step p = m.steps().get(k);
                if (p.directive("hidden") != null && !isCapture(p)) {
                    out.add(0, k);
                }
            }
            return out;
        }

        private StepResult captureStep(Step s, int i) {
            Capture c = captures.get(i);
            if (c == null) {
                c = new Capture(s, i);
                String w = s.directive("watches");
                c.start();
                kernel().advance(typing());
                c.startedAt = kernel().clock().nanos(); // what it watches starts now
                if (w != null && w.startsWith("rerun")) {
                    String[] parts = w.split("\\s+");
                    int count = parts.length > 1 ? Integer.parseInt(parts[1]) : 1;
                    List<Integer> watched = previousCommands(i, count);
                    long pause = parseDuration(s.directive("pause"), pace);
                    for (int k = 0; k < watched.size(); k++) {
                        if (k > 0) {
                            kernel().advance(pause);
                        }
                        c.startedAt = kernel().clock().nanos();
                        Step again = m.steps().get(watched.get(k));
                        runQuietly(command(again), delayFor(again, watched.get(k)));
                    }
                } else if (w != null) {
                    runQuietly(w, parseDuration(s.directive("interrupt"), 0));
                }
                c.stop(parseDuration(s.directive("stop-after"), -1));
            }
            terminal.startCommand();
            if (!c.started) {
                return new StepResult(s, index, matcher.compare(s.expected(), List.of(), -1), List.of(),
                        "nothing ran for this capture to watch", List.of());
            }
            List<String> actual = new ArrayList<>(c.shown);
            if (linesBeforeCtrlC(s) >= 0) {
                actual.add("^C" + (c.afterStop.isEmpty() ? "" : c.afterStop.get(0)));
                actual.addAll(c.afterStop.subList(Math.min(1, c.afterStop.size()), c.afterStop.size()));
            }
            String note = linesBeforeCtrlC(s) < 0 && !c.afterStop.isEmpty()
                    ? c.afterStop.size() + " line(s) printed after Ctrl-C are not in the document" : null;
            List<Row> rows = matcher.compare(s.expected(), actual, -1);
            return new StepResult(s, index, rows, List.of(), note, actual);
        }

        /**
         * A capture running in the author's second terminal: a second shell on the same machine,
         * at a terminal of its own (so tcpdump's output is line-buffered and its packet socket
         * wakes it every 100 ms, as at the author's), running the command as its foreground job.
         */
        private final class Capture {
            final Step step;
            long stopAfter = -1;
            long startedAt;
            boolean started;
            List<String> shown = List.of();
            List<String> afterStop = List.of();
            private final StringBuffer screen = new StringBuffer();
            private dev.ipsim.kernel.proc.Task task;
            private ShellSession second;
            /** The screen when Ctrl-C was pressed; {@code null} before. */
            private String before;
            private dev.ipsim.kernel.time.VirtualClock.Timer pressAt;

            Capture(Step step, int i) {
                this.step = step;
            }

            void start() {
                started = true;
                startedAt = kernel().clock().nanos();
                terminal.startCommand();
                OutputStream tty = new OutputStream() {
                    @Override
                    public void write(int b) {
                        write(new byte[] {(byte) b}, 0, 1);
                    }

                    @Override
                    public void write(byte[] b, int off, int len) {
                        screen.append(new String(b, off, len, StandardCharsets.UTF_8));
                    }
                };
                second = new ShellSession(sandbox, ShellSession.Mode.INTERACTIVE, "bash",
                        InputStream.nullInputStream(), tty, tty, true);
                second.setNetns(session.netns());
                String line = command(step);
                var scheduler = kernel().scheduler();
                task = scheduler.spawn(scheduler.nextPid(), "bash", t -> {
                    second.setTask(t);
                    try {
                        new Interpreter(second).run(Parser.parse(line + "\n", 1));
                    } catch (Parser.Incomplete | Parser.SyntaxError e) {
                        return 2;
                    }
                    return second.lastStatus();
                });
                // the second terminal's command starts, and waits for packets, before the next
                // one is typed here
                scheduler.await(Long.MAX_VALUE, () -> scheduler.idle(task)
                        && (second.foregroundTask() == null || scheduler.idle(second.foregroundTask())));
            }

            /**
             * Ctrl-C in the capture's terminal at {@code at}, even while the command it watched
             * still runs (the person stopped the capture, not the ping).
             */
            void armStop(long at) {
                pressAt = kernel().clock().schedule(at, this::press);
            }

            /** Ctrl-C: what the capture printed before it is what was pasted. */
            private void press() {
                if (before != null) {
                    return;
                }
                before = screen.toString();
                // the terminal's foreground job: the program the second shell runs
                dev.ipsim.kernel.proc.Task foreground = second.foregroundTask();
                kernel().scheduler().signal(foreground != null ? foreground : task,
                        dev.ipsim.kernel.proc.Signal.INT.number());
            }

            /**
             * Ctrl-C in the capture's terminal: a pause after what it watched, or {@code after}
             * since the last command it watched started ({@code #| stop-after}); then waits
             * for the capture to end.
             */
            void stop(long after) {
                if (before == null) {
                    if (after >= 0) {
                        long target = startedAt + after;
                        if (target > kernel().clock().nanos()) {
                            kernel().advance(target - kernel().clock().nanos());
                        }
                    } else {
                        kernel().advance(pace);
                    }
                }
                if (pressAt != null) {
                    pressAt.cancel();
                }
                press();
                terminal.startCommand();
                var scheduler = kernel().scheduler();
                scheduler.await(Long.MAX_VALUE,
                        () -> task.state() == dev.ipsim.kernel.proc.Task.State.EXITED);
                String all = screen.toString();
                shown = lines(before);
                afterStop = lines(all.substring(before.length()));
            }
        }

        // -------------------------------------------------------------- helpers

        /** For a neighbour table listing, the index of its first row; -1 for any other command. */
        private int firstRow(String command) {
            List<String> w = new ArrayList<>(List.of(command.strip().split("\\s+")));
            if (!w.isEmpty() && w.get(0).equals("sudo")) {
                w.remove(0);
            }
            if (w.isEmpty()) {
                return -1;
            }
            if (w.get(0).equals("arp")) {
                for (String a : w) {
                    if (a.matches("-[a-zA-Z]*[dsfD].*") || a.startsWith("--delete") || a.startsWith("--set")) {
                        return -1;
                    }
                }
                return w.contains("-a") ? 0 : 1;
            }
            if (w.get(0).equals("ip")) {
                int k = 1;
                while (k < w.size() && w.get(k).startsWith("-")) {
                    k++;
                }
                if (k < w.size() && "neighbour".startsWith(w.get(k)) || k < w.size() && "neighbor".startsWith(w.get(k))) {
                    String verb = k + 1 < w.size() ? w.get(k + 1) : "show";
                    if ("show".startsWith(verb) || "list".startsWith(verb) || verb.equals("lst")) {
                        return 0;
                    }
                }
            }
            return -1;
        }
    }

    /** {@code 3s}, {@code 500ms}, {@code 2.5s}, {@code 1m}; {@code fallback} when absent. */
    static long parseDuration(String text, long fallback) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        String s = text.strip();
        double factor;
        if (s.endsWith("ms")) {
            factor = VirtualClock.NANOS_PER_MILLI;
            s = s.substring(0, s.length() - 2);
        } else if (s.endsWith("s")) {
            factor = VirtualClock.NANOS_PER_SECOND;
            s = s.substring(0, s.length() - 1);
        } else if (s.endsWith("m")) {
            factor = 60.0 * VirtualClock.NANOS_PER_SECOND;
            s = s.substring(0, s.length() - 1);
        } else {
            factor = VirtualClock.NANOS_PER_SECOND;
        }
        return (long) (Double.parseDouble(s.strip()) * factor);
    }
}
