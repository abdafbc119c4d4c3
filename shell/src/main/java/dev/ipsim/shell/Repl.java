package dev.ipsim.shell;

import dev.ipsim.shell.script.Interpreter;
import dev.ipsim.shell.script.Parser;
import java.io.IOException;
import java.util.List;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * The interactive shell: JLine for line editing and history, prompt {@code root@ipsim:~# },
 * Ctrl-C abandons the line, Ctrl-D ends the session. Only loaded at a terminal.
 */
final class Repl {

    static final String PROMPT = "root@ipsim:~# ";

    private Repl() {
    }

    static int run(Sandbox sandbox) {
        try (Terminal terminal = TerminalBuilder.builder().system(true).dumb(true).build()) {
            return loop(sandbox, terminal);
        } catch (IOException e) {
            System.err.println("ipsim: cannot open the terminal: " + e.getMessage());
            return 1;
        }
    }

    static int loop(Sandbox sandbox, Terminal terminal) {
        DefaultParser parser = new DefaultParser();
        parser.setEofOnUnclosedQuote(true);
        LineReader reader = LineReaderBuilder.builder().terminal(terminal).parser(parser)
                .variable(LineReader.HISTORY_FILE, java.nio.file.Path.of(System.getProperty("user.home"),
                        ".ipsim_history"))
                .build();
        ShellSession session = new ShellSession(sandbox, ShellSession.Mode.INTERACTIVE, "bash", terminal.output(),
                terminal.output(), true);
        Interpreter interpreter = new Interpreter(session);
        StringBuilder pending = new StringBuilder();
        while (!session.exitRequested()) {
            String line;
            try {
                line = reader.readLine(pending.length() == 0 ? PROMPT : "> ");
            } catch (UserInterruptException e) {
                pending.setLength(0);
                continue;
            } catch (EndOfFileException e) {
                if (pending.length() > 0) {
                    pending.setLength(0);
                    continue;
                }
                terminal.writer().println("exit");
                terminal.flush();
                break;
            }
            pending.append(line).append('\n');
            List<Parser.AndOr> lists;
            try {
                lists = Parser.parse(pending.toString(), 1);
            } catch (Parser.Incomplete e) {
                continue;
            } catch (Parser.SyntaxError e) {
                session.diagnostic(e.getMessage());
                session.setLastStatus(2);
                pending.setLength(0);
                continue;
            }
            pending.setLength(0);
            session.takeInterrupt();
            Terminal.SignalHandler previous = terminal.handle(Terminal.Signal.INT, signal -> session.interrupt());
            try {
                interpreter.run(lists);
            } finally {
                terminal.handle(Terminal.Signal.INT, previous);
            }
            terminal.flush();
        }
        return session.lastStatus();
    }
}
