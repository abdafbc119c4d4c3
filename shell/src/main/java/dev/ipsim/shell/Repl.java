package dev.ipsim.shell;

import dev.ipsim.shell.script.Interpreter;
import dev.ipsim.shell.script.Parser;
import dev.ipsim.shell.vfs.VirtualFs;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jline.reader.Candidate;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.reader.impl.LineReaderImpl;
import org.jline.reader.impl.history.DefaultHistory;
import org.jline.terminal.Terminal;
import org.jline.terminal.Terminal.Signal;
import org.jline.terminal.Terminal.SignalHandler;
import org.jline.terminal.TerminalBuilder;
import org.jline.terminal.impl.DumbTerminal;
import org.jline.utils.InfoCmp;

/**
 * The interactive shell, as bash 5.2 with readline behaves at a terminal: prompt
 * {@code root@ipsim:~# } (the working directory as {@code \w} shows it), {@code > } while a
 * quote or an operator is open, line editing and history (kept in {@code ~/.ipsim_history}),
 * Ctrl-C abandons the line or interrupts the running command, Ctrl-D on an empty line says
 * {@code exit} and leaves. The prompt and the editor write to standard error, as bash's
 * readline does; commands write to standard output.
 *
 * <p>Only this class touches JLine, and only {@link Main} at a terminal calls it, so scripts
 * never load the line editor.
 */
final class Repl {

    static final String PS2 = "> ";

    private final Sandbox sandbox;
    private final Terminal terminal;
    /** SIGINT was ignored when the JVM started: Ctrl-C at the prompt is read as a key. */
    private final boolean keyInterrupts;
    private final LineReader reader;
    private final ShellSession session;
    private final Interpreter interpreter;
    private final Completion completion;
    private volatile Thread running;
    /** {@code $$}'s process: the first terminal's shell is 4242, an attached one takes the next pid. */
    private int pid = ShellSession.PID;
    /** The shell's process: the machine's scheduler runs it, its jobs and the clock. */
    private final dev.ipsim.kernel.proc.Scheduler scheduler;
    /** The reader is showing a prompt: output from jobs goes above it ({@link AboveLine}). */
    private volatile boolean reading;
    private final TerminalInput commandInput;
    /** The running command's input has ended (Ctrl-D or Ctrl-C at its input). */
    private boolean commandInputEnded;
    /** Ctrl-C came while the command read the terminal: the reader has ended the line already. */
    private boolean interruptedAtInput;

    private Repl(Sandbox sandbox, Terminal terminal, Main.Stdio stdio) {
        this(sandbox, terminal, newReader(terminal, stdio), stdio);
    }

    /**
     * The line reader, as readline is set up for bash: everything that does not depend on the
     * machine, so that it can be made on a thread of its own while the machine boots
     * ({@link Prepared}).
     */
    private static BashLineReader newReader(Terminal terminal, Main.Stdio stdio) {
        DefaultParser parser = new DefaultParser();
        parser.setEofOnUnclosedQuote(false);
        parser.setEofOnEscapedNewLine(false);
        BashLineReader r = new BashLineReader(terminal);
        r.setParser(parser);
        // a recalled command of several lines shows without prompts on its later lines, as in bash
        r.setVariable(LineReader.SECONDARY_PROMPT_PATTERN, "");
        r.setVariable(LineReader.HISTORY_SIZE, 1000);
        r.setVariable(LineReader.HISTORY_FILE_SIZE, 2000);
        // the shell adds whole commands itself, once complete (bash's cmdhist)
        r.setVariable(LineReader.DISABLE_HISTORY, true);
        r.unsetOpt(LineReader.Option.HISTORY_TIMESTAMPED);
        r.setOpt(LineReader.Option.HISTORY_IGNORE_SPACE);
        r.setOpt(LineReader.Option.HISTORY_IGNORE_DUPS);
        r.unsetOpt(LineReader.Option.INSERT_TAB);
        r.unsetOpt(LineReader.Option.AUTO_MENU);
        r.unsetOpt(LineReader.Option.MENU_COMPLETE);
        r.unsetOpt(LineReader.Option.AUTO_GROUP);
        r.unsetOpt(LineReader.Option.GROUP);
        r.unsetOpt(LineReader.Option.LIST_ROWS_FIRST);
        r.unsetOpt(LineReader.Option.CASE_INSENSITIVE);
        r.setOpt(LineReader.Option.LIST_AMBIGUOUS);
        r.setOpt(LineReader.Option.AUTO_LIST);
        r.unsetOpt(LineReader.Option.AUTO_FRESH_LINE);
        if (stdio.historyFile() != null) {
            r.setVariable(LineReader.HISTORY_FILE, stdio.historyFile());
        }
        // readline's Up/Down and Ctrl-P/Ctrl-N go through history, even in a command of several
        // lines (JLine's default would move within the lines first)
        org.jline.keymap.KeyMap<org.jline.reader.Binding> emacs = r.getKeyMaps().get(LineReader.EMACS);
        for (String up : new String[] {"\u001b[A", "\u001bOA", "\u0010"}) {
            emacs.bind(new org.jline.reader.Reference(LineReader.UP_HISTORY), up);
        }
        for (String down : new String[] {"\u001b[B", "\u001bOB", "\u000e"}) {
            emacs.bind(new org.jline.reader.Reference(LineReader.DOWN_HISTORY), down);
        }
        DefaultHistory history = new DefaultHistory();
        r.setHistory(history);
        history.attach(r);
        return r;
    }

    private Repl(Sandbox sandbox, Terminal terminal, BashLineReader r, Main.Stdio stdio) {
        this.sandbox = sandbox;
        this.terminal = terminal;
        this.scheduler = sandbox.kernel().scheduler();
        // readline's completion, fed by the tools' grammars (Completion): a unique match is
        // completed, an ambiguous one up to the common prefix, and Tab again lists the choices
        r.setCompleter((rd, line, candidates) -> scheduler.exclusive(() -> {
            complete(rd, line, candidates);
            return null;
        }));
        // a command the shell does not know shows in red while it is typed (not with --color=never)
        r.setHighlighter(sandbox.color() == dev.ipsim.commands.ColorWhen.NEVER
                ? (reader, buffer) -> new org.jline.utils.AttributedString(buffer) : new org.jline.reader.Highlighter() {
            @Override
            public org.jline.utils.AttributedString highlight(LineReader reader, String buffer) {
                org.jline.utils.AttributedStringBuilder sb = new org.jline.utils.AttributedStringBuilder();
                int at = 0;
                // the ^C that Ctrl-C leaves on the line is the terminal's, not part of a command
                String text = reader instanceof BashLineReader b && b.showingInterrupt && buffer.endsWith("^C")
                        ? buffer.substring(0, buffer.length() - 2) : buffer;
                for (int[] span : scheduler.exclusive(() -> completion.unknownCommands(text))) {
                    sb.append(buffer, at, span[0]);
                    sb.styled(org.jline.utils.AttributedStyle.DEFAULT.foreground(org.jline.utils.AttributedStyle.RED),
                            buffer.substring(span[0], span[1]));
                    at = span[1];
                }
                sb.append(buffer, at, buffer.length());
                return sb.toAttributedString();
            }
        });
        this.keyInterrupts = stdio.system() && sigintIgnored;
        if (keyInterrupts) {
            // no SIGINT reaches the JVM: Ctrl-C is a key at the prompt (the tty's interrupt
            // character is off while the reader reads) and does what the signal would
            r.getWidgets().put(INTERRUPT_KEY, () -> {
                terminal.raise(Signal.INT);
                return true;
            });
            r.getKeyMaps().get(LineReader.EMACS).bind(new org.jline.reader.Reference(INTERRUPT_KEY), "\003");
        }
        this.reader = r;
        // what jobs print while the user types shows above the prompt, as JLine's printAbove does
        OutputStream commandOut = new AboveLine(stdio.out());
        OutputStream shellErr = new AboveLine(stdio.system() ? stdio.err() : terminal.output());
        this.commandInput = new TerminalInput();
        this.session = new ShellSession(sandbox, ShellSession.Mode.INTERACTIVE, "bash", commandInput,
                commandOut, shellErr, stdio.outTty());
        this.session.setWallClock(ShellSession.WallClock.SYSTEM);
        Main.inherit(session, stdio);
        session.commands().builtin("history", this::history, "list the commands typed so far (-c forgets them)");
        this.interpreter = new Interpreter(session);
        this.completion = new Completion(session);
    }

    /**
     * The terminal and its line reader, made on a thread of their own while the machine boots
     * on the caller's: JLine's start (its native library, the terminal's capabilities, logging,
     * and some 150 widgets, each a method handle to link) is the longer part of the wait for
     * the first prompt, and these machines have two CPUs.
     */
    static final class Prepared {
        private final Thread thread;
        private Terminal terminal;
        private BashLineReader reader;
        /** Opening the terminal failed (reported as such), or making the reader did. */
        private Exception openFailure;
        private RuntimeException readerFailure;

        private Prepared(Main.Stdio stdio) {
            this.thread = new Thread(new Runnable() {
                @Override
                public void run() {
                    try {
                        terminal = open(stdio);
                    } catch (IOException | RuntimeException e) {
                        openFailure = e;
                        return;
                    }
                    try {
                        reader = newReader(terminal, stdio);
                    } catch (RuntimeException e) {
                        readerFailure = e;
                    }
                }
            }, "ipsim-terminal");
            thread.setDaemon(true);
        }

        /** Starts opening the terminal of {@code stdio}. */
        static Prepared start(Main.Stdio stdio) {
            Prepared p = new Prepared(stdio);
            p.thread.start();
            return p;
        }

        private void await() {
            boolean interrupted = false;
            while (true) {
                try {
                    thread.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        /** Closes the terminal unused (ipsim leaves before its shell starts). */
        void discard() {
            await();
            if (terminal != null) {
                try {
                    terminal.close();
                } catch (IOException e) {
                    // nothing to do: the process is leaving
                }
            }
        }
    }

    /** Opens the process's terminal (or a dumb one over test streams) and runs the shell. */
    static int run(Sandbox sandbox, Main.Stdio stdio) {
        return run(sandbox, stdio, Prepared.start(stdio));
    }

    /** Runs the shell on the terminal {@code prepared} opened (or failed to). */
    static int run(Sandbox sandbox, Main.Stdio stdio, Prepared prepared) {
        prepared.await();
        Terminal terminal = prepared.terminal;
        if (prepared.openFailure != null) {
            Main.write(stdio.err(), "ipsim: cannot open the terminal: " + prepared.openFailure.getMessage() + "\n");
            return 1;
        }
        Attach.Server[] server = {null};
        if (stdio.system()) {
            // the first interactive ipsim lets others attach (./ipsim attach); off the startup path
            Thread listen = new Thread(() -> {
                try {
                    server[0] = Attach.Server.listen(sandbox, Attach.socketPath(stdio.env()));
                } catch (IOException | RuntimeException e) {
                    // no second terminal then
                }
            }, "ipsim-listen");
            listen.setDaemon(true);
            listen.start();
        }
        try (terminal) {
            if (prepared.readerFailure != null) {
                throw prepared.readerFailure;
            }
            return new Repl(sandbox, terminal, prepared.reader, stdio).loop();
        } catch (IOException e) {
            return 1;
        } finally {
            if (server[0] != null) {
                try {
                    server[0].close();
                } catch (IOException e) {
                    // the socket file stays; the next ipsim finds it stale
                }
            }
        }
    }

    /**
     * An attached terminal's shell ({@link Attach}): a line discipline over the socket's bytes
     * (echo, Ctrl-C, Ctrl-Z as a tty's), and an interactive shell on it as a new process of the
     * machine, until it exits or the terminal goes away.
     */
    static int serveAttached(Sandbox sandbox, InputStream in, OutputStream out, String term, int columns, int lines)
            throws IOException {
        Main.Stdio probe = new Main.Stdio(in, out, out, true, true, true, sandbox.workingDirectory(),
                java.util.Map.of("TERM", term), null, false);
        String type = terminalType(probe);
        try (Terminal t = new org.jline.terminal.impl.ExternalTerminal("ipsim-attach", type, in, out,
                StandardCharsets.UTF_8)) {
            if (columns > 0 && lines > 0) {
                t.setSize(new org.jline.terminal.Size(columns, lines));
            }
            Main.Stdio stdio = new Main.Stdio(in, t.output(), t.output(), true, true, true, sandbox.workingDirectory(),
                    java.util.Map.of("TERM", term), null, false);
            var scheduler = sandbox.kernel().scheduler();
            Repl repl = scheduler.exclusive(() -> new Repl(sandbox, t, stdio));
            repl.pid = scheduler.nextPid();
            return repl.loop();
        }
    }

    /**
     * {@code ipsim attach} at a terminal: the tty raw (no echo, no line editing, no signals from
     * Ctrl-C or Ctrl-Z, no output processing: the attached shell's line discipline does all
     * that), keys to the socket, the screen from it; the tty as it was afterwards.
     */
    static int attachClient(java.nio.channels.SocketChannel sc, Main.Stdio stdio) throws IOException {
        try (Terminal t = TerminalBuilder.builder().system(true).jni(true).exec(false).jna(false).jansi(false)
                .ffm(false).dumb(true).type(terminalType(stdio)).nativeSignals(true)
                .signalHandler(SignalHandler.SIG_IGN).build()) {
            org.jline.terminal.Attributes saved = t.enterRawMode();
            org.jline.terminal.Attributes raw = t.getAttributes();
            raw.setLocalFlag(org.jline.terminal.Attributes.LocalFlag.ISIG, false);
            raw.setOutputFlag(org.jline.terminal.Attributes.OutputFlag.OPOST, false);
            t.setAttributes(raw);
            try {
                OutputStream up = Attach.output(sc);
                up.write(Attach.header(stdio.env().get("TERM"), t.getWidth(), t.getHeight()));
                Thread keys = new Thread(() -> Attach.copy(t.input(), up), "ipsim-keys");
                keys.setDaemon(true);
                keys.start();
                Attach.copy(Attach.input(sc), stdio.out());
            } finally {
                t.setAttributes(saved);
            }
        }
        return 0;
    }

    /** Runs the shell on a given terminal; for tests, with a wall clock of their own. */
    static int run(Sandbox sandbox, Terminal terminal, Main.Stdio stdio, ShellSession.WallClock clock) {
        Repl repl = new Repl(sandbox, terminal, stdio);
        repl.session.setWallClock(clock);
        return repl.loop();
    }

    /**
     * The JVM started with SIGINT ignored (ipsim run from a script's {@code cmd &}): it never
     * handles SIGINT then, and Ctrl-C at the prompt comes to the reader as a key instead.
     */
    private static volatile boolean sigintIgnored;

    /**
     * Whether SIGINT was ignored when the JVM started: HotSpot then installs no handler for it and
     * answers SIG_IGN. Otherwise the handler there before goes back at once.
     */
    static boolean sigintIgnoredAtStart() {
        try {
            sun.misc.Signal intr = new sun.misc.Signal("INT");
            sun.misc.SignalHandler before = sun.misc.Signal.handle(intr, signal -> { });
            if (before == sun.misc.SignalHandler.SIG_IGN) {
                return true;
            }
            sun.misc.Signal.handle(intr, before);
        } catch (IllegalArgumentException | LinkageError e) {
            // no signals to ask about (-Xrs): the terminal's SIGINT is as it is
        }
        return false;
    }

    /** The reader's widget for Ctrl-C as a key. */
    private static final String INTERRUPT_KEY = "ipsim-interrupt";

    /** Reads a line at the prompt; with {@link #keyInterrupts}, Ctrl-C comes as a key. */
    private String readPrompt(String prompt) {
        if (!keyInterrupts) {
            return reader.readLine(prompt);
        }
        org.jline.terminal.Attributes before = terminal.getAttributes();
        org.jline.terminal.Attributes keys = new org.jline.terminal.Attributes(before);
        keys.setControlChar(org.jline.terminal.Attributes.ControlChar.VINTR, 0);
        terminal.setAttributes(keys);
        try {
            return reader.readLine(prompt);
        } finally {
            org.jline.terminal.Attributes after = terminal.getAttributes();
            after.setControlChar(org.jline.terminal.Attributes.ControlChar.VINTR,
                    before.getControlChar(org.jline.terminal.Attributes.ControlChar.VINTR));
            terminal.setAttributes(after);
        }
    }

    private static Terminal open(Main.Stdio stdio) throws IOException {
        if (!stdio.system()) {
            // over plain streams (tests, the launcher's training run). JLine's dumb terminal
            // would take the end of input for a signal character if ISIG were on, so Ctrl-C
            // (byte 3) is turned into SIGINT here, as a tty would.
            InterruptingInput in = new InterruptingInput(stdio.in());
            InfoCmp.setLoadedInfoCmp(Terminal.TYPE_DUMB, InfoCmp.getDefaultInfoCmp(Terminal.TYPE_DUMB));
            DumbTerminal t = new DumbTerminal("ipsim", Terminal.TYPE_DUMB, in, stdio.err(), StandardCharsets.UTF_8);
            in.terminal = t;
            return t;
        }
        sigintIgnored = sigintIgnoredAtStart();
        // JNI only: never the exec provider (it starts stty) and never a terminal type JLine
        // would have to ask infocmp about
        Terminal t = TerminalBuilder.builder().system(true).dumb(true).jni(true).exec(false).jna(false)
                .jansi(false).ffm(false).systemOutput(TerminalBuilder.SystemOutput.SysErr).type(terminalType(stdio))
                .nativeSignals(true).build();
        if (t.getWidth() <= 0 && !Terminal.TYPE_DUMB.equals(t.getType())) {
            // a terminal that does not say its size (a serial line, a bare pty): readline takes 80x24
            t.setSize(new org.jline.terminal.Size(80, 24));
        }
        return t;
    }

    /**
     * $TERM if JLine carries its capabilities, otherwise the nearest one it carries; marked as
     * loaded, because JLine asks the host's {@code infocmp} program about any type that is not.
     */
    static String terminalType(Main.Stdio stdio) {
        String term = stdio.env().getOrDefault("TERM", "xterm");
        String type;
        String caps = null;
        if (term.isEmpty() || term.equals("dumb")) {
            type = "dumb";
        } else if ((caps = defaultCaps(term)) != null) {
            type = term;
        } else {
            boolean colors256 = term.contains("256");
            if (term.startsWith("screen") || term.startsWith("tmux")) {
                type = colors256 ? "screen-256color" : "screen";
            } else {
                type = colors256 ? "xterm-256color" : "xterm";
            }
        }
        InfoCmp.setLoadedInfoCmp(type, caps != null ? caps : defaultCaps(type));
        return type;
    }

    /** The terminal types JLine carries capabilities for, each in {@code org/jline/utils/TYPE.caps}. */
    static final java.util.Set<String> CARRIED_TYPES = java.util.Set.of("dumb", "dumb-color", "ansi", "xterm",
            "xterm-256color", "windows", "windows-256color", "windows-conemu", "windows-vtp", "screen",
            "screen-256color", "rxvt-unicode", "rxvt-unicode-256color", "rxvt-basic", "rxvt");

    /**
     * {@code InfoCmp.getDefaultInfoCmp(type)}: the text of JLine's capabilities file, its lines
     * ended by {@code \n}. JLine reads it a character at a time through a reader of its own
     * (some 10 ms of a start, twice); this reads the bytes at once. Another type goes to JLine.
     */
    static String defaultCaps(String type) {
        if (!CARRIED_TYPES.contains(type)) {
            return InfoCmp.getDefaultInfoCmp(type);
        }
        try (InputStream in = InfoCmp.class.getResourceAsStream(type + ".caps")) {
            if (in == null) {
                return InfoCmp.getDefaultInfoCmp(type);
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            // BufferedReader.lines() joined with "\n", and a last "\n"
            text = text.replace("\r\n", "\n").replace('\r', '\n');
            return text.endsWith("\n") ? text : text + "\n";
        } catch (IOException e) {
            return InfoCmp.getDefaultInfoCmp(type);
        }
    }

    /** {@code \w}: the working directory, with the home directory as {@code ~}. */
    String prompt() {
        String cwd = session.vfs().cwd();
        String home = session.variables().getOrDefault("HOME", VirtualFs.HOME);
        String shown = cwd.equals(home) ? "~" : cwd.startsWith(home + "/") ? "~" + cwd.substring(home.length())
                : cwd;
        return "root@" + sandbox.hostname() + ":" + shown + "# ";
    }

    private boolean warnedUnsaved;

    /**
     * Leaving with a lab that changed since it was saved or loaded (or since boot) is stopped
     * once with a word about it, as bash stops once for stopped jobs; the next exit leaves.
     */
    private boolean warnUnsaved(PrintStream screen) {
        if (warnedUnsaved) {
            return false;
        }
        warnedUnsaved = true;
        if (!sandbox.unsaved()) {
            return false;
        }
        screen.print("ipsim: the lab has changes that are not saved (save FILE keeps them); exit again to leave\n");
        return true;
    }

    /**
     * The shell runs as the machine's process {@code $$} under the scheduler, with virtual time
     * kept with the wall clock; its jobs run meanwhile, at the prompt too.
     */
    private int loop() {
        dev.ipsim.kernel.proc.Task shell = scheduler.attach(pid, "bash");
        session.setTask(shell);
        session.setShellPid(pid);
        // an interactive bash catches SIGINT and ignores SIGTERM, SIGQUIT and the job-control
        // stops; its children get the defaults back
        shell.catchSignal(dev.ipsim.kernel.proc.Signal.INT.number());
        for (dev.ipsim.kernel.proc.Signal sig : new dev.ipsim.kernel.proc.Signal[] {dev.ipsim.kernel.proc.Signal.TERM,
                dev.ipsim.kernel.proc.Signal.QUIT, dev.ipsim.kernel.proc.Signal.TSTP, dev.ipsim.kernel.proc.Signal.TTIN,
                dev.ipsim.kernel.proc.Signal.TTOU}) {
            shell.ignoreSignal(sig.number());
        }
        ShellSession.WallClock wall = session.wallClock();
        scheduler.pace(new dev.ipsim.kernel.proc.Scheduler.Pacer() {
            @Override
            public long target() {
                return session.wallTarget();
            }

            @Override
            public void pause(long virtualNanos) throws InterruptedException {
                long ahead = virtualNanos - target();
                // a slice at most: the wall clock may be a test's, moved by hand
                wall.sleep(Math.max(1_000_000L, Math.min(ahead, 50_000_000L)));
            }
        });
        try {
            return loopPaced();
        } finally {
            scheduler.stopPacing();
            scheduler.detach();
            above.shutdown();
        }
    }

    private int loopPaced() {
        terminal.handle(Signal.INT, signal -> {
            // a line discipline of JLine's (an attached terminal) has written ^C to the
            // terminal's writer: it goes out first, as a tty's echo does
            terminal.writer().flush();
            // the terminal's foreground process group: the job, or the shell itself
            dev.ipsim.kernel.proc.Task fg = session.foregroundTask();
            if (fg != null) {
                scheduler.signal(fg, dev.ipsim.kernel.proc.Signal.INT.number());
                return;
            }
            Thread t = running;
            if (t != null) {
                t.interrupt();
            }
        });
        terminal.handle(Signal.QUIT, SignalHandler.SIG_IGN);
        terminal.handle(Signal.TSTP, signal -> {
            terminal.writer().flush();
            dev.ipsim.kernel.proc.Task fg = session.foregroundTask();
            if (fg != null) {
                scheduler.signal(fg, dev.ipsim.kernel.proc.Signal.TSTP.number());
            }
        });
        PrintStream screen = new PrintStream(session.stderrSink(), true, StandardCharsets.UTF_8);
        StringBuilder pending = new StringBuilder();
        // after end of input inside a quote, bash's next read ends the shell
        boolean quoteEof = false;
        while (true) {
            if (session.exitRequested()) {
                if (warnUnsaved(screen)) {
                    session.cancelExit();
                    continue;
                }
                break;
            }
            String line;
            try {
                if (pending.length() == 0) {
                    // bash reports the jobs that finished or stopped before each prompt
                    session.jobs().notifyAndCleanup(session.err(), session.errorPrefix());
                }
                String prompt = pending.length() == 0 ? prompt() : PS2;
                // from here on, what jobs print goes above the prompt (before the reader shows
                // it, JLine prints it straight, and the prompt comes after)
                reading = true;
                try {
                    line = scheduler.outside(() -> readPrompt(prompt));
                } finally {
                    reading = false;
                    // a Ctrl-C at the prompt was the reader's: the shell has no signal to take
                    Thread.interrupted();
                    while (session.task().takeSignal() != 0) {
                        // dropped
                    }
                }
            } catch (UserInterruptException e) {
                // readline has echoed ^C and started a new line; $? becomes 130
                if (!newlineAfterInput()) {
                    screen.print("^C\n");
                }
                pending.setLength(0);
                session.setLastStatus(Interpreter.INTERRUPTED);
                continue;
            } catch (EndOfFileException e) {
                // readline ends the line at end of input (JLine does on a terminal with a size)
                if (!newlineAfterInput()) {
                    screen.print("\n");
                }
                if (quoteEof) {
                    screen.print("exit\n");
                    session.requestExit(2);
                    break;
                }
                if (pending.length() == 0) {
                    screen.print("exit\n");
                    if (warnUnsaved(screen)) {
                        continue;
                    }
                    break;
                }
                try {
                    Parser.parseAtEof(pending.toString(), 1);
                } catch (Parser.SyntaxError error) {
                    session.syntaxError(error.getMessage(), error.line(), error.offendingLine());
                    if (error.getMessage().startsWith("unexpected EOF")) {
                        quoteEof = true;
                        pending.setLength(0);
                        pending.append('\n');
                        continue;
                    }
                }
                // an operator left open at the end of input: bash gives up and leaves
                screen.print("exit\n");
                session.requestExit(2);
                break;
            }
            if (quoteEof) {
                break;
            }
            HistoryExpansion.Result expansion = HistoryExpansion.expand(line, historyLines());
            if (expansion.error() != null) {
                session.diagnostic(expansion.error());
                pending.setLength(0);
                continue;
            }
            if (expansion.expanded()) {
                // bash shows the command it is about to run
                line = expansion.line();
                screen.print(line + "\n");
            }
            boolean blank = line.isBlank() && pending.length() == 0;
            pending.append(line).append('\n');
            List<Parser.AndOr> lists;
            try {
                lists = Parser.parse(pending.toString(), 1);
            } catch (Parser.Incomplete e) {
                continue;
            } catch (Parser.SyntaxError e) {
                remember(pending);
                session.syntaxError(e.getMessage(), e.line(), null);
                session.setLastStatus(2);
                pending.setLength(0);
                continue;
            }
            if (!blank) {
                remember(pending);
            }
            pending.setLength(0);
            execute(lists);
        }
        try {
            reader.getHistory().save();
        } catch (IOException e) {
            // history is a convenience: losing it is not worth a message
        }
        return session.lastStatus();
    }

    /** Completion candidates for the word under the cursor. */
    private void complete(LineReader reader, org.jline.reader.ParsedLine line, List<Candidate> candidates) {
        String word = line.word().substring(0, Math.min(line.wordCursor(), line.word().length()));
        List<Completion.Candidate> fromGrammar = completion.complete(line.line().substring(0, line.cursor()));
        if (fromGrammar != null) {
            for (Completion.Candidate c : fromGrammar) {
                candidates.add(new Candidate(c.value(), c.value(), null, null, null, null, c.complete()));
            }
            return;
        }
        int slash = word.lastIndexOf('/');
        String dir = slash < 0 ? "" : word.substring(0, slash + 1);
        String prefix = word.substring(slash + 1);
        VirtualFs vfs = session.vfs();
        List<String> names;
        try {
            names = vfs.list(dir.isEmpty() ? "." : dir);
        } catch (VirtualFs.FsException e) {
            return;
        }
        for (String name : names) {
            if (!name.startsWith(prefix) || name.startsWith(".") && !prefix.startsWith(".")) {
                continue;
            }
            boolean isDir = vfs.isDirectory(dir + name);
            // a directory completes with its slash and no space, a file with a space
            candidates.add(new Candidate(dir + name + (isDir ? "/" : ""), name + (isDir ? "/" : ""), null, null,
                    null, null, !isDir));
        }
    }

    /** bash's {@code history [N]} and {@code history -c}: numbered entries, newest last. */
    private int history(dev.ipsim.commands.Invocation inv) {
        org.jline.reader.History h = reader.getHistory();
        List<String> args = inv.args();
        if (!args.isEmpty() && args.get(0).equals("-c")) {
            try {
                h.purge();
            } catch (IOException e) {
                // an unwritable history file: the list in memory is empty all the same
            }
            return 0;
        }
        int count = h.size();
        if (!args.isEmpty()) {
            try {
                count = Math.min(count, Integer.parseInt(args.get(0)));
            } catch (NumberFormatException e) {
                session.diagnostic(inv.err(), "history: " + args.get(0) + ": numeric argument required");
                return 1;
            }
        }
        StringBuilder sb = new StringBuilder();
        int number = 1;
        for (org.jline.reader.History.Entry e : h) {
            if (number > h.size() - count) {
                sb.append(String.format("%5d  %s%n", number, e.line()));
            }
            number++;
        }
        inv.out().print(sb);
        return 0;
    }

    /** The history, oldest first. */
    private List<String> historyLines() {
        List<String> lines = new java.util.ArrayList<>();
        for (org.jline.reader.History.Entry e : reader.getHistory()) {
            lines.add(e.line());
        }
        return lines;
    }

    /** Whether JLine moved to a new line when it finished reading (a dumb terminal has no size). */
    private boolean newlineAfterInput() {
        return terminal.getWidth() > 0 || terminal.getHeight() > 0;
    }

    /** Adds a complete command to the history, as one entry (bash's cmdhist). */
    private void remember(StringBuilder command) {
        String text = command.toString().stripTrailing();
        if (text.isEmpty() || text.startsWith(" ")) {
            return;
        }
        // JLine's own adding is switched off (it would add each line of a command on its own)
        reader.setVariable(LineReader.DISABLE_HISTORY, false);
        try {
            reader.getHistory().add(text);
        } finally {
            reader.setVariable(LineReader.DISABLE_HISTORY, true);
        }
    }

    private void execute(List<Parser.AndOr> lists) {
        session.setTerminalColumns(terminal.getWidth());
        running = Thread.currentThread();
        commandInput.clear();
        commandInputEnded = false;
        interruptedAtInput = false;
        try {
            interpreter.run(lists);
        } catch (RuntimeException e) {
            // never a stack trace, and the session goes on
            session.err().print("ipsim: internal error: " + e + "\n");
            session.setLastStatus(70);
        } finally {
            running = null;
            boolean interrupted = Thread.interrupted();
            // a Ctrl-C the shell took itself (a built-in was running): the line is over
            while (session.task().takeSignal() != 0) {
                interrupted = true;
            }
            session.clearDiscard();
            if ((interrupted || session.lastStatus() == Interpreter.INTERRUPTED) && !interruptedAtInput) {
                // the terminal echoed ^C; bash moves to a new line for the prompt
                try {
                    session.stderrSink().write('\n');
                    session.stderrSink().flush();
                } catch (IOException e) {
                    // the terminal is gone
                }
            }
            terminal.flush();
        }
    }

    /**
     * The terminal as a job's output reaches it: straight through while a command runs; while
     * the reader shows a prompt, each complete line goes above the prompt and the line being
     * typed (JLine's {@code printAbove}), so a background capture prints its packets as they
     * come without garbling what the user types.
     */
    private final java.util.concurrent.ExecutorService above = java.util.concurrent.Executors.newSingleThreadExecutor(
            r -> {
                Thread t = new Thread(r, "ipsim-above");
                t.setDaemon(true);
                return t;
            });

    /** Lines were handed to {@link #above} that it may not have printed yet. */
    private volatile boolean queuedAbove;

    private final class AboveLine extends OutputStream {
        private final OutputStream direct;
        private final java.io.ByteArrayOutputStream partial = new java.io.ByteArrayOutputStream();

        AboveLine(OutputStream direct) {
            this.direct = direct;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            if (!reading) {
                drain();
                direct.write(b, off, len);
                return;
            }
            for (int i = off; i < off + len; i++) {
                if (b[i] == '\n') {
                    String text = partial.toString(StandardCharsets.UTF_8);
                    partial.reset();
                    // printed from a thread of its own: the job holds the CPU, and the reader may
                    // be waiting for it (completion) while holding its own lock
                    queuedAbove = true;
                    above.execute(() -> reader.printAbove(text));
                } else {
                    partial.write(b[i]);
                }
            }
        }

        private void drain() throws IOException {
            if (queuedAbove) {
                queuedAbove = false;
                awaitAbove();
            }
            if (partial.size() > 0) {
                partial.writeTo(direct);
                partial.reset();
            }
        }

        private void awaitAbove() {
            try {
                // what went above the prompt comes first
                above.submit(() -> { }).get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.util.concurrent.ExecutionException e) {
                // nothing was printed: nothing to wait for
            }
        }

        @Override
        public synchronized void flush() throws IOException {
            if (!reading) {
                drain();
            }
            direct.flush();
        }
    }

    /** Input that raises SIGINT on the terminal for each Ctrl-C byte, instead of passing it on. */
    static final class InterruptingInput extends java.io.FilterInputStream {
        volatile Terminal terminal;

        InterruptingInput(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int c = super.read();
            while ((c == 3 || c == 26) && terminal != null) {
                terminal.raise(c == 3 ? Signal.INT : Signal.TSTP);
                try {
                    // let the reader take the interrupt before it is handed the next byte
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                c = super.read();
            }
            return c;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            int c = read();
            if (c < 0) {
                return -1;
            }
            b[off] = (byte) c;
            return 1;
        }
    }

    /** readline's look: Ctrl-C shows {@code ^C} after the text before the line ends. */
    private static final class BashLineReader extends LineReaderImpl {
        BashLineReader(Terminal terminal) {
            super(terminal, "ipsim", new java.util.HashMap<>());
            // JLine's own ! expansion also strips every backslash from the line: the shell does
            // bash's expansion itself (HistoryExpansion)
            setOpt(LineReader.Option.DISABLE_EVENT_EXPANSION);
        }

        /** Whether Ctrl-C interrupted the read that is ending. */
        private boolean interrupted;
        /** The line is being shown for the last time, with {@code ^C} after it. */
        boolean showingInterrupt;

        @Override
        public String readLine(String prompt, String rightPrompt, org.jline.reader.MaskingCallback mask,
                               String buffer) {
            interrupted = false;
            return super.readLine(prompt, rightPrompt, mask, buffer);
        }

        @Override
        public org.jline.reader.Binding readBinding(org.jline.keymap.KeyMap<org.jline.reader.Binding> keys,
                                                    org.jline.keymap.KeyMap<org.jline.reader.Binding> local) {
            try {
                return super.readBinding(keys, local);
            } catch (java.io.IOError e) {
                // JLine's Ctrl-C handler interrupts the reading thread
                interrupted |= e.getCause() instanceof java.io.InterruptedIOException;
                throw e;
            }
        }

        /**
         * readline's Ctrl-R: the prompt becomes {@code (reverse-i-search)`TERM': } with the newest
         * command containing TERM in the buffer; Ctrl-R again looks further back, Backspace
         * shortens the term, Ctrl-G gives the search up, any other key ends it with the command
         * found and then acts as usual (Enter runs it).
         */
        @Override
        protected boolean doSearchHistory(boolean backward) {
            if (!backward) {
                return super.doSearchHistory(false);
            }
            org.jline.utils.AttributedString saved = prompt;
            String original = buf.toString();
            StringBuilder term = new StringBuilder();
            int newest = history.index() - 1;
            // the match: a history line and where the term starts in it; readline looks at every
            // occurrence, the rightmost first, before going to an older line
            int foundLine = -1;
            int foundAt = -1;
            boolean failed = false;
            while (true) {
                prompt = new org.jline.utils.AttributedString((failed ? "(failed reverse-i-search)`"
                        : "(reverse-i-search)`") + term + "': ");
                redisplay();
                int c = readCharacter();
                boolean printable = c >= 32 && c != 127 && Character.isDefined(c);
                if (c == 18 || printable || c == 127 || c == 8) {
                    int fromLine;
                    int fromPos;
                    if (c == 18) {
                        fromLine = foundLine >= 0 ? foundLine : newest;
                        fromPos = foundLine >= 0 ? foundAt - 1 : Integer.MAX_VALUE;
                    } else {
                        if (printable) {
                            term.appendCodePoint(c);
                        } else if (term.length() > 0) {
                            term.setLength(term.length() - 1);
                        }
                        fromLine = printable && foundLine >= 0 ? foundLine : newest;
                        fromPos = printable && foundLine >= 0 ? foundAt : Integer.MAX_VALUE;
                    }
                    int[] match = term.length() == 0 ? null : search(term.toString(), fromLine, fromPos);
                    failed = term.length() > 0 && match == null;
                    if (match != null) {
                        foundLine = match[0];
                        foundAt = match[1];
                        buf.clear();
                        buf.write(history.get(foundLine));
                        buf.cursor(foundAt);
                    }
                    continue;
                }
                prompt = saved;
                if (c == 7) {
                    buf.clear();
                    buf.write(original);
                    redisplay();
                    return true;
                }
                if (foundLine >= 0) {
                    history.moveTo(foundLine);
                }
                redisplay();
                if (c >= 0) {
                    runMacro(new String(Character.toChars(c)));
                }
                return true;
            }
        }

        /** The newest occurrence of {@code term} at or before ({@code line}, {@code pos}), going back. */
        private int[] search(String term, int line, int pos) {
            for (int i = line; i >= history.first() && i >= 0; i--) {
                String text = history.get(i);
                int from = i == line ? Math.min(pos, text.length()) : text.length();
                if (from < 0) {
                    continue;
                }
                int at = text.lastIndexOf(term, from);
                if (at >= 0) {
                    return new int[] {i, at};
                }
            }
            return null;
        }

        @Override
        protected void cleanup() {
            if (interrupted || state == State.INTERRUPT) {
                buf.cursor(buf.length());
                buf.write("^C");
                showingInterrupt = true;
            }
            try {
                super.cleanup();
            } finally {
                showingInterrupt = false;
            }
        }
    }

    /**
     * Standard input of a command run at the terminal: lines as the terminal's line discipline
     * would deliver them (typed text echoed and editable, Enter hands the line over, Ctrl-D on
     * an empty line is the end, Ctrl-C interrupts the command). It reads through a line
     * reader of its own, so nothing typed is lost to the shell's reader.
     */
    private final class TerminalInput extends InputStream {
        private BashLineReader lines;
        private byte[] pendingBytes = new byte[0];
        private int offset;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (offset >= pendingBytes.length) {
                if (commandInputEnded) {
                    return -1;
                }
                if (lines == null) {
                    lines = new BashLineReader(terminal);
                    lines.setVariable(LineReader.DISABLE_HISTORY, true);
                }
                String line;
                try {
                    // the rest of the machine runs while the program waits for the terminal
                    line = scheduler.outside(() -> lines.readLine(""));
                } catch (EndOfFileException e) {
                    // a tty shows nothing for Ctrl-D; JLine has started a new line: go back up
                    if (newlineAfterInput()) {
                        terminal.puts(InfoCmp.Capability.cursor_up);
                        terminal.flush();
                    }
                    commandInputEnded = true;
                    return -1;
                } catch (UserInterruptException e) {
                    // the reader has shown ^C and ended the line: the command is interrupted
                    commandInputEnded = true;
                    interruptedAtInput = true;
                    Thread.currentThread().interrupt();
                    return -1;
                }
                pendingBytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
                offset = 0;
            }
            int n = Math.min(len, pendingBytes.length - offset);
            System.arraycopy(pendingBytes, offset, b, off, n);
            offset += n;
            return n;
        }

        /** A new command starts with nothing read ahead. */
        void clear() {
            pendingBytes = new byte[0];
            offset = 0;
        }
    }
}
