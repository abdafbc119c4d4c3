package dev.ipsim.shell.script;

import dev.ipsim.commands.Command;
import dev.ipsim.commands.Context;
import dev.ipsim.commands.Invocation;
import dev.ipsim.commands.NetnsNames;
import dev.ipsim.kernel.Kernel;
import dev.ipsim.kernel.NetNamespace;
import dev.ipsim.kernel.proc.Killed;
import dev.ipsim.kernel.proc.Scheduler;
import dev.ipsim.kernel.proc.Signal;
import dev.ipsim.kernel.proc.Task;
import dev.ipsim.shell.CommandTable;
import dev.ipsim.shell.ShellSession;
import dev.ipsim.shell.StdioBuffer;
import dev.ipsim.shell.vfs.VirtualFs;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs parsed shell lists in a session, as bash would: expansion, redirections, pipelines,
 * {@code &&}/{@code ||}, subshells, exit statuses and bash's own diagnostics.
 *
 * <p>Pipelines run their commands one after the other, each reading what the one before
 * wrote; every element of a pipeline of two or more, a {@code ( )} group and a {@code $( )}
 * run in a subshell, so {@code exit} and assignments there do not reach the shell.
 */
public final class Interpreter {

    /** Status of a command bash could not find. */
    public static final int NOT_FOUND = 127;
    /** Status of a command that was interrupted by Ctrl-C (128 + SIGINT). */
    public static final int INTERRUPTED = 130;

    private final ShellSession session;
    private final Expander expander;
    /**
     * The text of the pipeline being run at the top level, which a program started in it
     * belongs to as a job ({@code [1]+  Stopped  sleep 10}); {@code null} between pipelines.
     */
    private String jobText;
    /** Inside a {@code $( )} or a pipeline's command but the last: a killed job goes unreported. */
    private int unreported;
    /** A {@code ( )} of one simple command: bash's subshell execs it, the job is the subshell. */
    private boolean subshellText;

    /** Told of every internal error a command hits (the fuzz test keeps their stack traces). */
    public static volatile java.util.function.Consumer<RuntimeException> internalErrorObserver;

    public Interpreter(ShellSession session) {
        this.session = session;
        this.expander = new Expander(session, new java.util.function.UnaryOperator<String>() {
            @Override
            public String apply(String text) {
                return substitute(text);
            }
        });
    }

    public ShellSession session() {
        return session;
    }

    /**
     * Runs one line of a script whose first line is numbered {@code lineNo} (for diagnostics),
     * as a script line: a syntax error is reported with the line quoted. Returns whether the
     * line parsed (a non-interactive bash stops at a syntax error).
     */
    public boolean runLine(String text, int lineNo) {
        List<Parser.AndOr> lists;
        try {
            lists = Parser.parseAtEof(text + "\n", lineNo);
        } catch (Parser.SyntaxError e) {
            session.syntaxError(e.getMessage(), e.line(), e.offendingLine());
            session.setLastStatus(2);
            return false;
        }
        run(lists);
        session.clearDiscard();
        return true;
    }

    /** Whether Ctrl-C ended the line being run: the loops it ended return 130. */
    private boolean sigint;

    /** Runs parsed lists; stops when {@code exit} ran or the line is discarded. */
    public void run(List<Parser.AndOr> lists) {
        sigint = false;
        for (Parser.AndOr list : lists) {
            if (session.exitRequested() || session.discarding()) {
                break;
            }
            runAndOr(list, Io.of(session));
        }
    }

    private void runLists(List<Parser.AndOr> lists, Io io) {
        for (Parser.AndOr list : lists) {
            if (stopped()) {
                return;
            }
            runAndOr(list, io);
        }
    }

    /** Whether the lists still to run are skipped: exit, a discarded line, break or continue. */
    private boolean stopped() {
        return session.exitRequested() || session.discarding() || session.breaking() > 0 || session.returning();
    }

    private void runAndOr(Parser.AndOr list, Io io) {
        if (list.background()) {
            background(list, io);
            return;
        }
        List<String> texts = CommandText.pipelines(list);
        String outer = jobText;
        try {
            boolean inherit = outer != null && (session.interactive() || subshellText);
            subshellText = false;
            jobText = inherit ? outer : texts.get(0);
            int status = runPipeline(list.pipelines().get(0), io);
            for (int i = 0; i < list.operators().size(); i++) {
                if (stopped()) {
                    return;
                }
                String op = list.operators().get(i);
                if ((op.equals("&&") && status == 0) || (op.equals("||") && status != 0)) {
                    jobText = inherit ? outer : texts.get(i + 1);
                    status = runPipeline(list.pipelines().get(i + 1), io);
                }
            }
        } finally {
            jobText = outer;
        }
    }

    /**
     * {@code list &}: a copy of the shell runs the list as a job of its own, a task that gets
     * the CPU whenever the shell waits; the shell goes on at once with status 0. Outside an
     * interactive shell the job ignores SIGINT and SIGQUIT and reads /dev/null; at a terminal
     * bash says the job's number and process id ({@code [1] 4243}).
     */
    private void background(Parser.AndOr list, Io io) {
        Parser.AndOr job = new Parser.AndOr(list.pipelines(), list.operators(), false);
        Scheduler scheduler = session.kernel().scheduler();
        if (session.task() == null) {
            // no processes here (a test driving the interpreter by hand): run it through
            runAndOr(job, io);
            session.setLastStatus(0);
            return;
        }
        ShellSession child = session.fork(InputStream.nullInputStream());
        // a lone program is what the forked shell execs: the job's process is the program
        // itself ($! is tcpdump's pid, kill %1 reaches it)
        child.setExecsDirectly(job.pipelines().size() == 1 && job.pipelines().get(0).commands().size() == 1
                && job.pipelines().get(0).commands().get(0) instanceof Parser.SimpleCommand);
        Interpreter sub = new Interpreter(child);
        Io childIo = new Io(io.input(), io.out(), io.err(), child);
        boolean interactive = session.interactive();
        Task t = scheduler.spawn(scheduler.nextPid(), CommandText.of(job), task -> {
            child.setTask(task);
            defaultSignals(task);
            if (!interactive) {
                task.ignoreSignal(Signal.INT.number());
                task.ignoreSignal(Signal.QUIT.number());
            }
            sub.runAndOr(job, childIo);
            return child.lastStatus();
        });
        child.setTask(t); // the process exists from the fork on (in its parent's namespace until it moves)
        int index = session.jobs().add(t, CommandText.of(job), true);
        if (interactive) {
            session.err().print("[" + (index + 1) + "] " + t.pid() + "\n");
            session.err().flush();
        }
        session.setLastStatus(0);
    }

    private int runPipeline(Parser.Pipeline pipeline, Io io) {
        List<Parser.Command> cmds = pipeline.commands();
        int status = 0;
        if (cmds.size() == 1) {
            status = runCommand(cmds.get(0), io);
        } else if (cmds.size() > 1) {
            byte[] input = null;
            int failed = 0;
            for (int i = 0; i < cmds.size(); i++) {
                boolean last = i == cmds.size() - 1;
                Pipe pipe = last ? null : new Pipe();
                Io element = io;
                if (input != null) {
                    element = element.withIn(new ByteArrayInputStream(input));
                }
                if (pipe != null) {
                    element = element.withOut(pipe);
                    if (pipeline.stderrToo().get(i)) {
                        element = element.withErr(pipe);
                    }
                }
                ShellSession.Saved saved = session.enterSubshell();
                int one;
                if (!last) {
                    unreported++;
                }
                try {
                    one = runCommand(cmds.get(i), element);
                } finally {
                    if (!last) {
                        unreported--;
                    }
                    session.leaveSubshell(saved);
                }
                status = one;
                if (session.pipefail() && one != 0) {
                    failed = one;
                }
                input = pipe == null ? null : pipe.bytes();
            }
            if (session.pipefail()) {
                status = failed;
            }
        }
        if (pipeline.negated()) {
            status = status == 0 ? 1 : 0;
        }
        if (session.exitRequested() || session.discarding()) {
            return session.lastStatus();
        }
        session.setLastStatus(status);
        return status;
    }

    private int runCommand(Parser.Command command, Io io) {
        if (command instanceof Parser.SimpleCommand simple) {
            return runSimple(simple, io);
        }
        if (command instanceof Parser.FunctionDef def) {
            session.functions().put(def.name(), def);
            session.defineFunctionSource(def.name());
            return 0;
        }
        if (!(command instanceof Parser.Group group)) {
            session.setLine(command.line());
            Io redirected = redirect(command.redirects(), io);
            if (redirected == null) {
                return 1;
            }
            try {
                if (command instanceof Parser.If c) {
                    return runIf(c, redirected);
                }
                if (command instanceof Parser.For c) {
                    return runFor(c, redirected);
                }
                if (command instanceof Parser.Case c) {
                    return runCase(c, redirected);
                }
                return runWhile((Parser.While) command, redirected);
            } finally {
                redirected.closeFiles();
            }
        }
        session.setLine(group.line());
        Io redirected = redirect(group.redirects(), io);
        if (redirected == null) {
            return 1;
        }
        try {
            if (!group.subshell()) {
                runLists(group.body(), redirected);
                return session.lastStatus();
            }
            ShellSession.Saved saved = session.enterSubshell();
            subshellText = oneSimpleCommand(group.body());
            try {
                runLists(group.body(), redirected);
                return session.lastStatus();
            } finally {
                session.leaveSubshell(saved);
            }
        } finally {
            redirected.closeFiles();
        }
    }

    private static boolean oneSimpleCommand(List<Parser.AndOr> body) {
        return body.size() == 1 && !body.get(0).background() && body.get(0).pipelines().size() == 1
                && body.get(0).pipelines().get(0).commands().size() == 1
                && body.get(0).pipelines().get(0).commands().get(0) instanceof Parser.SimpleCommand;
    }

    private int runIf(Parser.If c, Io io) {
        for (int i = 0; i < c.conditions().size(); i++) {
            runLists(c.conditions().get(i), io);
            if (stopped()) {
                return session.lastStatus();
            }
            if (session.lastStatus() == 0) {
                runLists(c.bodies().get(i), io);
                return session.lastStatus();
            }
        }
        if (!c.otherwise().isEmpty()) {
            runLists(c.otherwise(), io);
            return session.lastStatus();
        }
        return 0;
    }

    private int runCase(Parser.Case c, Io io) {
        String word = expander.assignmentValue(c.word());
        for (int i = 0; i < c.patterns().size(); i++) {
            for (Parser.Word pattern : c.patterns().get(i)) {
                if (expander.matches(word, pattern)) {
                    if (c.bodies().get(i).isEmpty()) {
                        return 0;
                    }
                    runLists(c.bodies().get(i), io);
                    return session.lastStatus();
                }
            }
        }
        return 0;
    }

    private int runFor(Parser.For c, Io io) {
        List<String> values = new ArrayList<>();
        if (c.words() == null) {
            // `for NAME` goes through the arguments, as `for NAME in "$@"` does
            values.addAll(session.positional());
        } else {
            for (Parser.Word w : c.words()) {
                values.addAll(expander.expand(w));
            }
        }
        int status = 0;
        session.enterLoop();
        try {
            for (String v : values) {
                session.variables().put(c.name(), v);
                runLists(c.body(), io);
                status = session.lastStatus();
                if (endOfRound()) {
                    break;
                }
            }
        } finally {
            session.leaveLoop();
        }
        return sigint ? INTERRUPTED : status;
    }

    private int runWhile(Parser.While c, Io io) {
        int status = 0;
        session.enterLoop();
        try {
            while (true) {
                runLists(c.condition(), io);
                if (stopped()) {
                    if (endOfRound()) {
                        break;
                    }
                    continue;
                }
                if ((session.lastStatus() == 0) == c.until()) {
                    break;
                }
                runLists(c.body(), io);
                status = session.lastStatus();
                if (endOfRound()) {
                    break;
                }
            }
        } finally {
            session.leaveLoop();
        }
        return sigint ? INTERRUPTED : status;
    }

    /**
     * After a round of a loop: whether the loop ends (exit, a discarded line, a {@code break}
     * for it or an outer loop); a {@code continue} meant for this loop is taken here.
     */
    private boolean endOfRound() {
        if (Thread.interrupted()) {
            // Ctrl-C between two commands of a loop (one of assignments and built-ins alone)
            sigint = true;
            session.setLastStatus(INTERRUPTED);
            session.discard();
        }
        if (session.exitRequested() || session.discarding()) {
            return true;
        }
        if (session.breaking() == 0) {
            return false;
        }
        boolean continueHere = session.continuing() && session.breaking() == 1;
        session.consumeBreak();
        return !continueHere;
    }

    /** {@code $( ... )}: runs the text in a subshell and returns what it printed. */
    private String substitute(String text) {
        List<Parser.AndOr> lists;
        try {
            lists = Parser.parseAtEof(text + "\n", session.line());
        } catch (Parser.SyntaxError e) {
            session.syntaxError(e.getMessage(), e.line(), e.offendingLine());
            session.setLastStatus(2);
            return "";
        }
        Pipe captured = new Pipe();
        ShellSession.Saved saved = session.enterSubshell();
        int status;
        unreported++;
        try {
            runLists(lists, Io.of(session).withOut(captured));
            status = session.lastStatus();
        } finally {
            unreported--;
            session.leaveSubshell(saved);
        }
        session.setLastStatus(status);
        String out = new String(captured.bytes(), StandardCharsets.UTF_8);
        int end = out.length();
        while (end > 0 && out.charAt(end - 1) == '\n') {
            end--;
        }
        return out.substring(0, end);
    }

    private int runSimple(Parser.SimpleCommand cmd, Io io) {
        session.setLine(cmd.line());
        try {
            return runExpanded(cmd, io);
        } catch (Expander.ExpansionError e) {
            // bash reports a failed expansion and abandons the command (status 1)
            session.diagnostic(io.errStream(), e.getMessage());
            return 1;
        }
    }

    private int runExpanded(Parser.SimpleCommand cmd, Io io) {
        List<String> argv = new ArrayList<>();
        List<String[]> assignments = new ArrayList<>();
        int statusBefore = session.lastStatus();
        boolean substituted = false;
        for (Parser.Word w : cmd.words()) {
            if (argv.isEmpty() && w.isAssignment()) {
                String lit = w.segments().get(0).text();
                int eq = lit.indexOf('=');
                List<Parser.Segment> value = new ArrayList<>(w.segments());
                value.set(0, new Parser.Segment(Parser.SegmentKind.TEXT, lit.substring(eq + 1), false));
                Parser.Word valueWord = new Parser.Word(value);
                assignments.add(new String[] {lit.substring(0, eq), expander.assignmentValue(valueWord)});
                substituted |= hasSubstitution(w);
                continue;
            }
            argv.addAll(expander.expand(w));
            substituted |= hasSubstitution(w);
        }
        if (argv.isEmpty()) {
            for (String[] a : assignments) {
                session.variables().put(a[0], a[1]);
            }
            Io redirected = redirect(cmd.redirects(), io);
            if (redirected == null) {
                return 1;
            }
            redirected.closeFiles();
            // an assignment alone has the status of its last command substitution
            return substituted ? session.lastStatus() : 0;
        }
        session.setLastStatus(statusBefore);

        Io redirected = redirect(cmd.redirects(), io);
        if (redirected == null) {
            return 1;
        }
        String name = argv.get(0);
        // VAR=value cmd: the variable holds for this command only
        java.util.Map<String, String> before = new java.util.LinkedHashMap<>();
        for (String[] a : assignments) {
            before.putIfAbsent(a[0], session.variables().get(a[0]));
            session.variables().put(a[0], a[1]);
        }
        try {
            Parser.FunctionDef function = session.functions().get(name);
            if (function != null) {
                return call(function, argv, redirected);
            }
            CommandTable.Entry entry = session.commands().entry(name);
            if (entry == null) {
                PrintStream err = redirected.errStream();
                if (name.contains("/")) {
                    session.diagnostic(err, name + ": No such file or directory");
                } else {
                    session.diagnostic(err, quoteForMessage(name) + ": command not found");
                }
                return NOT_FOUND;
            }
            if (!entry.builtin() && !name.contains("/")) {
                session.hash(name);
            }
            return invoke(entry, argv, redirected);
        } finally {
            for (java.util.Map.Entry<String, String> e : before.entrySet()) {
                if (e.getValue() == null) {
                    session.variables().remove(e.getKey());
                } else {
                    session.variables().put(e.getKey(), e.getValue());
                }
            }
            redirected.closeFiles();
        }
    }

    /** Runs a shell function with its arguments as $1...; {@code return} ends it early. */
    private int call(Parser.FunctionDef function, List<String> argv, Io io) {
        if (session.functionDepth() >= 1000) {
            session.diagnostic(io.errStream(), argv.get(0) + ": maximum function nesting level exceeded (1000)");
            return 1;
        }
        List<String> saved = session.enterFunction(argv.subList(1, argv.size()));
        String source = session.enterFunctionSource(function.name());
        try {
            runCommand(function.body(), io);
            return session.lastStatus();
        } finally {
            int status = session.lastStatus();
            session.leaveFunctionSource(source);
            session.leaveFunction(saved);
            session.setLastStatus(status);
        }
    }

    private static boolean hasSubstitution(Parser.Word w) {
        for (Parser.Segment s : w.segments()) {
            if (s.kind() == Parser.SegmentKind.COMMAND) {
                return true;
            }
        }
        return false;
    }

    /** bash quotes a command name with unprintable characters as {@code $'...'} in messages. */
    static String quoteForMessage(String name) {
        boolean plain = true;
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) < 0x20 || name.charAt(i) == 0x7f) {
                plain = false;
                break;
            }
        }
        if (plain) {
            return name;
        }
        StringBuilder sb = new StringBuilder("$'");
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            switch (c) {
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                case '\u001b' -> sb.append("\\E");
                case '\'' -> sb.append("\\'");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format("\\%03o", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('\'').toString();
    }

    private int invoke(CommandTable.Entry entry, List<String> argv, Io io) {
        PrintStream out = io.outStream(session);
        PrintStream err = io.errStream();
        int status;
        if (!entry.builtin() && session.task() != null && !session.execsDirectly()) {
            status = runProgram(argv, io, out, err);
        } else {
            status = runHere(entry, argv, io, out, err);
        }
        out.flush();
        err.flush();
        return afterCommand(entry, argv, io, err, status);
    }

    /**
     * A program runs as a process of its own, as bash forks one: a child task with its own
     * signal dispositions (what tcpdump or ping catch ends with them), that the shell waits for
     * in the foreground. Its job ends, or stops (Ctrl-Z), and the shell goes on.
     */
    private int runProgram(List<String> argv, Io io, PrintStream out, PrintStream err) {
        Scheduler scheduler = session.kernel().scheduler();
        InputStream in = io.in(session);
        ShellSession child = session.forkForeground(in);
        CommandTable.Entry entry = child.commands().entry(argv.get(0));
        String text = jobText != null ? jobText : String.join(" ", argv);
        java.util.function.ToIntFunction<Task> body = new java.util.function.ToIntFunction<Task>() {
            @Override
            public int applyAsInt(Task task) {
                child.setTask(task);
                defaultSignals(task);
                try {
                    return runHere(entry, argv, io, out, err, child);
                } finally {
                    out.flush();
                    err.flush();
                }
            }
        };
        int pid = scheduler.nextPid();
        int[] index = {-1};
        Task t = null;
        if (!session.interactive()) {
            // no job control: nothing stops the program and lets the shell go on, so it runs
            // on the shell's thread (vfork) while the shell waits
            t = scheduler.runInline(pid, argv.get(0), body, new java.util.function.Consumer<Task>() {
                @Override
                public void accept(Task task) {
                    index[0] = session.jobs().add(task, text, false);
                }
            });
        }
        if (t == null) {
            t = scheduler.spawn(pid, argv.get(0), body);
            index[0] = session.jobs().add(t, text, false);
        }
        int status = session.foreground(index[0]);
        if (unreported > 0 && !session.interactive()) {
            session.jobs().markNotified(index[0]);
        }
        if (session.interactive() && t.state() == Task.State.EXITED && t.termSignal() == Signal.INT.number()) {
            // Ctrl-C killed the program: an interactive bash gives up the rest of the line too
            session.setLastStatus(status);
            session.discard();
        }
        return status;
    }

    /**
     * An interactive shell ignores the terminal's job-control signals and SIGTERM, and catches
     * SIGINT; the programs it forks get the default actions back ({@code restore_original_signals}).
     */
    private void defaultSignals(Task task) {
        if (session.interactive()) {
            for (Signal s : new Signal[] {Signal.INT, Signal.QUIT, Signal.TERM, Signal.TSTP, Signal.TTIN,
                    Signal.TTOU}) {
                task.defaultSignal(s.number());
            }
        }
    }

    private int runHere(CommandTable.Entry entry, List<String> argv, Io io, PrintStream out, PrintStream err) {
        return runHere(entry, argv, io, out, err, session);
    }

    private int runHere(CommandTable.Entry entry, List<String> argv, Io io, PrintStream out, PrintStream err,
                        ShellSession in) {
        Context context = io.out() == null && in.stdoutIsTerminal() ? in : new Redirected(in);
        int status;
        try {
            status = entry.command().run(new Invocation(argv, context, out, err, io.in(in)));
        } catch (Killed k) {
            // the process ends here; what it wrote so far still goes out
            out.flush();
            err.flush();
            throw k;
        } catch (RuntimeException e) {
            // never a stack trace: say what went wrong, as a crashed tool would
            java.util.function.Consumer<RuntimeException> observer = internalErrorObserver;
            if (observer != null) {
                observer.accept(e);
            }
            out.flush();
            err.print(argv.get(0) + ": internal error: " + e + "\n");
            status = 70;
        }
        return status;
    }

    private int afterCommand(CommandTable.Entry entry, List<String> argv, Io io, PrintStream err, int status) {
        if (!entry.builtin() && session.task() != null) {
            // wait_for: after a program bash reports the jobs that changed and forgets the dead
            session.jobs().notifyAndCleanup(session.err(), session.errorPrefix());
        }
        if (Thread.interrupted()) {
            // killed by Ctrl-C (a command that takes SIGINT itself, as ping does, took the
            // interrupt and returned its own status): bash gives up the rest of the line
            status = INTERRUPTED;
            sigint = true;
            session.setLastStatus(status);
            session.discard();
        }
        String writeError = io.writeError();
        if (writeError != null) {
            switch (entry.writeErrors()) {
                case BUILTIN -> session.diagnostic(err, argv.get(0) + ": write error: " + writeError);
                case COREUTILS -> err.print(argv.get(0) + ": write error: " + writeError + "\n");
                case SILENT -> {
                }
            }
            if (entry.writeErrors() != CommandTable.WriteErrors.SILENT) {
                status = 1;
            }
        }
        return status;
    }

    // ------------------------------------------------------------------ redirections

    /** Applies redirections in order; prints bash's message and returns {@code null} on failure. */
    private Io redirect(List<Parser.Redirect> redirects, Io io) {
        Io cur = io;
        for (Parser.Redirect r : redirects) {
            String op = r.op();
            if (op.equals("<<") || op.equals("<<-") || op.equals("<<<")) {
                String data;
                if (op.equals("<<<")) {
                    data = String.join(" ", expander.expand(r.target())) + "\n";
                } else {
                    Parser.HereDocument doc = r.document();
                    if (doc.warning() != null) {
                        int line = session.line();
                        session.setLine(doc.warningLine());
                        session.diagnostic(cur.errStream(), doc.warning());
                        session.setLine(line);
                    }
                    data = doc.text();
                    if (doc.expand()) {
                        try {
                            data = expander.assignmentValue(Parser.documentWord(data));
                        } catch (Parser.SyntaxError e) {
                            session.diagnostic(cur.errStream(), e.getMessage());
                            return null;
                        }
                    }
                }
                if (r.fd() == 0) {
                    cur = cur.withIn(new ByteArrayInputStream(data.getBytes(StandardCharsets.UTF_8)));
                }
                continue;
            }
            String target;
            List<String> fields = expander.expand(r.target());
            if (fields.size() != 1) {
                session.diagnostic(cur.errStream(), r.target().literal() + ": ambiguous redirect");
                cur.closeFiles();
                return null;
            }
            target = fields.get(0);
            if ((op.equals(">&") || op.equals("<&")) && target.matches("[0-9]+|-")) {
                if (target.equals("-")) {
                    cur = cur.closed(r.fd());
                    continue;
                }
                int from = Integer.parseInt(target.length() > 9 ? "999999999" : target);
                // only 0, 1 and 2 are open in the sandbox's shell
                if (from > 2) {
                    session.diagnostic(cur.errStream(), target + ": Bad file descriptor");
                    cur.closeFiles();
                    return null;
                }
                if (r.fd() > 2) {
                    continue;
                }
                cur = cur.dup(r.fd(), from);
                continue;
            }
            if (op.equals("<")) {
                try {
                    byte[] data = session.vfs().readBytes(target);
                    if (r.fd() == 0) {
                        cur = cur.withIn(new VirtualFs.FileInput(data, session.vfs().size(target)));
                    }
                } catch (VirtualFs.FsException e) {
                    session.diagnostic(cur.errStream(), target + ": " + e.errno().text());
                    cur.closeFiles();
                    return null;
                }
                continue;
            }
            if (op.equals("<>") && r.fd() == 0) {
                continue;
            }
            Sink sink;
            if (target.equals("/dev/stdout")) {
                sink = cur.sinkFor(1);
            } else if (target.equals("/dev/stderr")) {
                sink = cur.sinkFor(2);
            } else {
                try {
                    sink = new FileSink(session.vfs().openForWrite(target, op.endsWith(">>")));
                } catch (VirtualFs.FsException e) {
                    session.diagnostic(cur.errStream(), target + ": " + e.errno().text());
                    cur.closeFiles();
                    return null;
                }
            }
            if (op.startsWith("&") || (op.equals(">&") && r.fd() == 1)) {
                cur = cur.withOut(sink).withErr(sink);
            } else if (r.fd() == 1) {
                cur = cur.withOut(sink);
            } else if (r.fd() == 2) {
                cur = cur.withErr(sink);
            }
        }
        return cur;
    }

    /** Where a command's output goes when it is not the shell's own stream. */
    interface Sink {
        OutputStream stream();

        /** The first write error, or {@code null}. */
        default String error() {
            return null;
        }

        default void close() {
        }
    }

    /** A pipe to the next command of a pipeline (or a {@code $( )}). */
    static final class Pipe implements Sink {
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

        @Override
        public OutputStream stream() {
            return buffer;
        }

        byte[] bytes() {
            return buffer.toByteArray();
        }
    }

    /** A file opened by a redirection: each write reaches the file as one {@code write()}. */
    static final class FileSink implements Sink {
        private final VirtualFs.Writer writer;
        private String error;
        private final OutputStream stream = new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                if (len == 0) {
                    return;
                }
                try {
                    writer.write(java.util.Arrays.copyOfRange(b, off, off + len));
                } catch (VirtualFs.FsException e) {
                    if (error == null) {
                        error = e.errno().text();
                    }
                }
            }
        };

        FileSink(VirtualFs.Writer writer) {
            this.writer = writer;
        }

        @Override
        public OutputStream stream() {
            return stream;
        }

        @Override
        public String error() {
            return error;
        }
    }

    /** Nowhere: a closed descriptor ({@code >&-}). Writes fail with EBADF. */
    static final class ClosedSink implements Sink {
        private String error;

        @Override
        public OutputStream stream() {
            return new OutputStream() {
                @Override
                public void write(int b) {
                    error = "Bad file descriptor";
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    if (len > 0) {
                        error = "Bad file descriptor";
                    }
                }
            };
        }

        @Override
        public String error() {
            return error;
        }
    }

    /**
     * A command's standard streams: {@code null} for out/err means the shell's own, which
     * buffers and flushes as C stdio does on that kind of file.
     */
    record Io(InputStream input, Sink out, Sink err, ShellSession session) {

        static Io of(ShellSession session) {
            return new Io(null, null, null, session);
        }

        Io withIn(InputStream in) {
            return new Io(in, out, err, session);
        }

        Io withOut(Sink s) {
            return new Io(input, s, err, session);
        }

        Io withErr(Sink s) {
            return new Io(input, out, s, session);
        }

        Io closed(int fd) {
            return fd == 1 ? withOut(new ClosedSink()) : fd == 2 ? withErr(new ClosedSink()) : this;
        }

        /** {@code fd>&from}; standard input as a target stands for the terminal, i.e. standard output. */
        Io dup(int fd, int from) {
            if (fd == 0) {
                return this;
            }
            Sink s = sinkFor(from == 0 ? 1 : from);
            return fd == 1 ? withOut(s) : withErr(s);
        }

        /** The sink for descriptor 1 or 2 as it is now. */
        Sink sinkFor(int fd) {
            Sink s = fd == 1 ? out : err;
            if (s != null) {
                return s;
            }
            return new ShellStream(fd == 1 ? session.stdoutSink() : session.stderrSink(), fd);
        }

        InputStream in(ShellSession session) {
            return input != null ? input : session.stdinSource();
        }

        PrintStream outStream(ShellSession session) {
            if (out == null) {
                return new PrintStream(new StdioBuffer(session.stdoutSink(), session.stdoutIsTerminal()), false,
                        StandardCharsets.UTF_8);
            }
            if (out instanceof ShellStream ss && ss.fd() == 2) {
                return new PrintStream(new Unbuffered(ss.stream()), true, StandardCharsets.UTF_8);
            }
            return new PrintStream(new StdioBuffer(out.stream(), false), false, StandardCharsets.UTF_8);
        }

        PrintStream errStream() {
            OutputStream base = err == null ? session.stderrSink() : err.stream();
            return new PrintStream(new Unbuffered(base), true, StandardCharsets.UTF_8);
        }

        String writeError() {
            if (out != null && out.error() != null) {
                return out.error();
            }
            return null;
        }

        void closeFiles() {
            if (out != null) {
                out.close();
            }
            if (err != null) {
                err.close();
            }
        }
    }

    /** The shell's own stdout or stderr, named as a sink (for {@code >&2}, {@code /dev/stderr}). */
    record ShellStream(OutputStream stream, int fd) implements Sink {
    }

    /** Passes writes straight through, flushing each (standard error is unbuffered). */
    static final class Unbuffered extends OutputStream {
        private final OutputStream sink;

        Unbuffered(OutputStream sink) {
            this.sink = sink;
        }

        @Override
        public void write(int b) throws IOException {
            sink.write(b);
            sink.flush();
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            sink.write(b, off, len);
            sink.flush();
        }

        @Override
        public void flush() throws IOException {
            sink.flush();
        }
    }

    /** The session as a command whose standard output is not the terminal sees it. */
    private static final class Redirected extends dev.ipsim.commands.ForwardingContext {
        Redirected(ShellSession session) {
            super(session);
        }

        @Override
        public boolean stdoutIsTerminal() {
            return false;
        }
    }
}
