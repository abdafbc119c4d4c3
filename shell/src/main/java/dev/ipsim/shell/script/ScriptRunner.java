package dev.ipsim.shell.script;

import dev.ipsim.shell.ShellSession;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Runs a script as a non-interactive bash does: a line at a time, each complete command as
 * soon as it is read; a syntax error ends the script with status 2 (after bash's two-line
 * message); the end of input inside a quote or after an operator is a syntax error too.
 */
public final class ScriptRunner {

    /** Lines of a script, without their newlines; {@code null} at the end. */
    @FunctionalInterface
    public interface LineSource {
        String next() throws IOException;
    }

    private ScriptRunner() {
    }

    /** The lines of a text; a last line without a newline counts. */
    public static LineSource lines(String text) {
        return new LineSource() {
            private int pos;

            @Override
            public String next() {
                if (pos >= text.length()) {
                    return null;
                }
                int nl = text.indexOf('\n', pos);
                String line = nl < 0 ? text.substring(pos) : text.substring(pos, nl);
                pos = nl < 0 ? text.length() : nl + 1;
                return line;
            }
        };
    }

    /**
     * The lines of a stream, read a byte at a time as bash reads a pipe, so that what a command
     * reads from standard input is the rest of the script.
     */
    public static LineSource lines(InputStream in) {
        return new LineSource() {
            @Override
            public String next() throws IOException {
                ByteArrayOutputStream line = new ByteArrayOutputStream();
                while (true) {
                    int b = in.read();
                    if (b < 0) {
                        return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
                    }
                    if (b == '\n') {
                        return line.toString(StandardCharsets.UTF_8);
                    }
                    line.write(b);
                }
            }
        };
    }

    /** Runs the script; returns the shell's exit status. */
    public static int run(Interpreter interpreter, LineSource source) {
        ShellSession session = interpreter.session();
        StringBuilder pending = new StringBuilder();
        int lineNo = 0;
        int startLine = 1;
        while (!session.exitRequested()) {
            // shell_getc: before each line bash reports jobs that changed and forgets the dead
            session.jobs().notifyAndCleanup(session.err(), session.errorPrefix());
            String line;
            try {
                line = source.next();
            } catch (IOException e) {
                line = null;
            }
            if (line == null) {
                if (pending.length() > 0) {
                    try {
                        interpreter.run(Parser.parseAtEof(pending.toString(), startLine));
                    } catch (Parser.SyntaxError e) {
                        return syntaxError(session, e);
                    }
                }
                break;
            }
            if (line.indexOf('\0') >= 0) {
                // bash's shell_getc drops NUL bytes from its input
                line = line.replace("\0", "");
            }
            lineNo++;
            if (pending.length() == 0) {
                startLine = lineNo;
            }
            pending.append(line).append('\n');
            try {
                var lists = Parser.parse(pending.toString(), startLine);
                pending.setLength(0);
                interpreter.run(lists);
            } catch (Parser.Incomplete e) {
                continue;
            } catch (Parser.SyntaxError e) {
                return syntaxError(session, e);
            }
            if (session.discarding()) {
                session.clearDiscard();
                if (session.mode() == ShellSession.Mode.COMMAND) {
                    // bash -c gives up the whole string after `exit 1 2`
                    return session.lastStatus();
                }
            }
        }
        return session.lastStatus();
    }

    /**
     * {@code source FILE [ARGS]}: FILE's commands run in this shell, a line at a time; a
     * syntax error ends FILE (status 2) but not the shell, {@code return} ends it with a status.
     */
    public static int source(ShellSession session, String name, String text, java.util.List<String> args) {
        ShellSession.SavedSource saved = session.enterSource(name, args);
        Interpreter interpreter = new Interpreter(session);
        LineSource source = lines(text);
        StringBuilder pending = new StringBuilder();
        int lineNo = 0;
        int startLine = 1;
        session.setLastStatus(0);
        try {
            while (!session.exitRequested() && !session.returning()) {
                String line;
                try {
                    line = source.next();
                } catch (IOException e) {
                    line = null;
                }
                if (line == null) {
                    if (pending.length() > 0) {
                        interpreter.run(Parser.parseAtEof(pending.toString(), startLine));
                    }
                    break;
                }
                line = line.replace("\0", "");
                lineNo++;
                if (pending.length() == 0) {
                    startLine = lineNo;
                }
                pending.append(line).append('\n');
                try {
                    var lists = Parser.parse(pending.toString(), startLine);
                    pending.setLength(0);
                    interpreter.run(lists);
                } catch (Parser.Incomplete e) {
                    continue;
                }
                session.clearDiscard();
            }
            return session.lastStatus();
        } catch (Parser.SyntaxError e) {
            session.syntaxError(e.getMessage(), e.line(), e.offendingLine());
            session.setLastStatus(2);
            return 2;
        } finally {
            int status = session.lastStatus();
            session.leaveSource(saved);
            session.setLastStatus(status);
        }
    }

    private static int syntaxError(ShellSession session, Parser.SyntaxError e) {
        session.syntaxError(e.getMessage(), e.line(), e.offendingLine());
        session.requestExit(2);
        return 2;
    }
}
