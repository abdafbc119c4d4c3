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
import org.jline.reader.EndOfFileException;
import org.jline.reader.History;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import org.jline.terminal.Terminal.Signal;
import org.jline.terminal.Terminal.SignalHandler;
import org.jline.terminal.TerminalBuilder;
import org.jline.terminal.impl.DumbTerminal;
import org.jline.utils.InfoCmp;
import org.jline.utils.NonBlockingReader;

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
    private final LineReader reader;
    private final ShellSession session;
    private final Interpreter interpreter;
    private volatile Thread running;

    private Repl(Sandbox sandbox, Terminal terminal, Main.Stdio stdio) {
        this.sandbox = sandbox;
        this.terminal = terminal;
        DefaultParser parser = new DefaultParser();
        parser.setEofOnUnclosedQuote(false);
        parser.setEofOnEscapedNewLine(false);
        LineReaderBuilder b = LineReaderBuilder.builder().terminal(terminal).parser(parser)
                .variable(LineReader.SECONDARY_PROMPT_PATTERN, PS2)
                .variable(LineReader.HISTORY_SIZE, 1000)
                .variable(LineReader.HISTORY_FILE_SIZE, 2000)
                .variable(LineReader.DISABLE_HISTORY, true)
                .option(LineReader.Option.HISTORY_TIMESTAMPED, false)
                .option(LineReader.Option.HISTORY_IGNORE_SPACE, true)
                .option(LineReader.Option.HISTORY_IGNORE_DUPS, true)
                .option(LineReader.Option.INSERT_TAB, true)
                .option(LineReader.Option.AUTO_FRESH_LINE, false);
        if (stdio.historyFile() != null) {
            b.variable(LineReader.HISTORY_FILE, stdio.historyFile());
        }
        this.reader = b.build();
        OutputStream commandOut = stdio.out();
        OutputStream shellErr = stdio.system() ? stdio.err() : terminal.output();
        this.session = new ShellSession(sandbox, ShellSession.Mode.INTERACTIVE, "bash", new TerminalInput(),
                commandOut, shellErr, stdio.outTty());
        this.session.setWallClock(ShellSession.WallClock.SYSTEM);
        this.interpreter = new Interpreter(session);
    }

    /** Opens the process's terminal (or a dumb one over test streams) and runs the shell. */
    static int run(Sandbox sandbox, Main.Stdio stdio) {
        Terminal terminal;
        try {
            terminal = open(stdio);
        } catch (IOException | RuntimeException e) {
            Main.write(stdio.err(), "ipsim: cannot open the terminal: " + e.getMessage() + "\n");
            return 1;
        }
        try (terminal) {
            return new Repl(sandbox, terminal, stdio).loop();
        } catch (IOException e) {
            return 1;
        }
    }

    /** Runs the shell on a given terminal; for tests, with a wall clock of their own. */
    static int run(Sandbox sandbox, Terminal terminal, Main.Stdio stdio, ShellSession.WallClock clock) {
        Repl repl = new Repl(sandbox, terminal, stdio);
        repl.session.setWallClock(clock);
        return repl.loop();
    }

    private static Terminal open(Main.Stdio stdio) throws IOException {
        if (!stdio.system()) {
            return new DumbTerminal("ipsim", Terminal.TYPE_DUMB, stdio.in(), stdio.err(), StandardCharsets.UTF_8);
        }
        // JNI only: never the exec provider (it starts stty) and never a terminal type JLine
        // would have to ask infocmp about
        return TerminalBuilder.builder().system(true).dumb(true).jni(true).exec(false).jna(false).jansi(false)
                .ffm(false).systemOutput(TerminalBuilder.SystemOutput.SysErr).type(terminalType(stdio))
                .nativeSignals(true).build();
    }

    /** $TERM if JLine carries its capabilities, otherwise the nearest one it carries. */
    static String terminalType(Main.Stdio stdio) {
        String term = stdio.env().getOrDefault("TERM", "xterm");
        if (term.isEmpty() || term.equals("dumb")) {
            return "dumb";
        }
        if (InfoCmp.getLoadedInfoCmp(term) != null) {
            return term;
        }
        boolean colors256 = term.contains("256");
        if (term.startsWith("screen") || term.startsWith("tmux")) {
            return colors256 ? "screen-256color" : "screen";
        }
        return colors256 ? "xterm-256color" : "xterm";
    }

    /** {@code \w}: the working directory, with the home directory as {@code ~}. */
    String prompt() {
        String cwd = session.vfs().cwd();
        String home = session.variables().getOrDefault("HOME", VirtualFs.HOME);
        String shown = cwd.equals(home) ? "~" : cwd.startsWith(home + "/") ? "~" + cwd.substring(home.length())
                : cwd;
        return "root@" + sandbox.hostname() + ":" + shown + "# ";
    }

    private int loop() {
        terminal.handle(Signal.INT, signal -> {
            Thread t = running;
            if (t != null) {
                t.interrupt();
            }
        });
        terminal.handle(Signal.QUIT, SignalHandler.SIG_IGN);
        terminal.handle(Signal.TSTP, SignalHandler.SIG_IGN);
        PrintStream screen = new PrintStream(session.stderrSink(), true, StandardCharsets.UTF_8);
        StringBuilder pending = new StringBuilder();
        // after end of input inside a quote, bash's next read ends the shell
        boolean quoteEof = false;
        while (!session.exitRequested()) {
            String line;
            try {
                line = reader.readLine(pending.length() == 0 ? prompt() : PS2);
            } catch (UserInterruptException e) {
                // readline has echoed ^C; bash starts a new line and $? becomes 130
                screen.print("^C\n");
                pending.setLength(0);
                session.setLastStatus(Interpreter.INTERRUPTED);
                continue;
            } catch (EndOfFileException e) {
                if (quoteEof) {
                    screen.print("\nexit\n");
                    session.requestExit(2);
                    break;
                }
                if (pending.length() == 0) {
                    screen.print("\nexit\n");
                    break;
                }
                screen.print("\n");
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

    /** Adds a complete command to the history, as one entry (bash's cmdhist). */
    private void remember(StringBuilder command) {
        String text = command.toString().stripTrailing();
        if (text.isEmpty() || text.startsWith(" ")) {
            return;
        }
        History history = reader.getHistory();
        if (history.size() > 0 && history.get(history.last()).equals(text)) {
            return;
        }
        history.add(text);
    }

    private void execute(List<Parser.AndOr> lists) {
        session.syncWallClock();
        session.setTerminalColumns(terminal.getWidth());
        running = Thread.currentThread();
        try {
            interpreter.run(lists);
        } finally {
            running = null;
            boolean interrupted = Thread.interrupted();
            session.clearDiscard();
            if (interrupted || session.lastStatus() == Interpreter.INTERRUPTED) {
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
     * Standard input of a command run at the terminal: the terminal itself, in its normal
     * (cooked) mode, until Ctrl-D; Ctrl-C ends the read.
     */
    private final class TerminalInput extends InputStream {
        @Override
        public int read() throws IOException {
            NonBlockingReader r = terminal.reader();
            while (true) {
                int c = r.read(100);
                if (c == NonBlockingReader.READ_EXPIRED) {
                    if (Thread.currentThread().isInterrupted()) {
                        return -1;
                    }
                    continue;
                }
                if (c == 4 || c < 0) {
                    return -1;
                }
                return c;
            }
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
            byte[] bytes = String.valueOf((char) c).getBytes(StandardCharsets.UTF_8);
            int n = Math.min(len, bytes.length);
            System.arraycopy(bytes, 0, b, off, n);
            return n;
        }
    }
}
