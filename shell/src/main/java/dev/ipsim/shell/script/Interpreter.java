package dev.ipsim.shell.script;

import dev.ipsim.commands.Command;
import dev.ipsim.commands.Invocation;
import dev.ipsim.shell.ShellSession;
import dev.ipsim.shell.StdioBuffer;
import dev.ipsim.shell.vfs.VirtualFs;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs parsed shell lists in a session, as bash would: expansion, redirections, pipelines,
 * {@code &&}/{@code ||}, exit statuses and bash's own diagnostics.
 */
public final class Interpreter {

    private final ShellSession session;

    public Interpreter(ShellSession session) {
        this.session = session;
    }

    /**
     * Runs a whole script text. Returns the exit status of the last command (or the status
     * {@code exit} gave).
     */
    public int runScript(String text) {
        String[] lines = text.split("\n", -1);
        int lineNo = 0;
        StringBuilder pending = new StringBuilder();
        int pendingStart = 1;
        while (lineNo < lines.length && !session.exitRequested()) {
            String line = lines[lineNo++];
            if (lineNo == lines.length && line.isEmpty()) {
                break;
            }
            if (pending.length() == 0) {
                pendingStart = lineNo;
            }
            pending.append(line).append('\n');
            List<Parser.AndOr> lists;
            try {
                lists = Parser.parse(pending.toString(), pendingStart);
            } catch (Parser.Incomplete e) {
                continue;
            } catch (Parser.SyntaxError e) {
                session.setLine(e.line());
                session.diagnostic(e.getMessage());
                session.setLastStatus(2);
                pending.setLength(0);
                continue;
            }
            pending.setLength(0);
            run(lists);
        }
        if (pending.length() > 0 && !session.exitRequested()) {
            session.setLine(lineNo);
            session.diagnostic("unexpected EOF while looking for matching `" + unmatched(pending.toString()) + "'");
            session.setLastStatus(2);
        }
        return session.lastStatus();
    }

    /**
     * Runs one line of a script whose first line is numbered {@code lineNo} (for diagnostics).
     * Returns the status of its last command.
     */
    public int runLine(String text, int lineNo) {
        try {
            run(Parser.parse(text + "\n", lineNo));
        } catch (Parser.Incomplete e) {
            session.setLine(lineNo);
            session.diagnostic("unexpected EOF while looking for matching `" + unmatched(text) + "'");
            session.setLastStatus(2);
        } catch (Parser.SyntaxError e) {
            session.setLine(e.line());
            session.diagnostic(e.getMessage());
            session.setLastStatus(2);
        }
        return session.lastStatus();
    }

    private static String unmatched(String s) {
        boolean single = false;
        boolean dbl = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && !single) {
                i++;
            } else if (c == '\'' && !dbl) {
                single = !single;
            } else if (c == '"' && !single) {
                dbl = !dbl;
            }
        }
        return single ? "'" : "\"";
    }

    /** Runs parsed lists; stops when {@code exit} ran. */
    public void run(List<Parser.AndOr> lists) {
        for (Parser.AndOr list : lists) {
            if (session.exitRequested()) {
                return;
            }
            runAndOr(list);
        }
    }

    private void runAndOr(Parser.AndOr list) {
        if (list.background()) {
            Parser.SimpleCommand first = list.pipelines().get(0).commands().get(0);
            session.setLine(first.line());
            session.diagnostic("background jobs (&) are not simulated yet");
            session.setLastStatus(1);
            return;
        }
        int status = runPipeline(list.pipelines().get(0));
        for (int i = 0; i < list.operators().size() && !session.exitRequested(); i++) {
            String op = list.operators().get(i);
            if ((op.equals("&&") && status == 0) || (op.equals("||") && status != 0)) {
                status = runPipeline(list.pipelines().get(i + 1));
            }
        }
    }

    private int runPipeline(Parser.Pipeline pipeline) {
        List<Parser.SimpleCommand> cmds = pipeline.commands();
        byte[] input = null;
        int status = 0;
        for (int i = 0; i < cmds.size(); i++) {
            boolean last = i == cmds.size() - 1;
            ByteArrayOutputStream pipe = last ? null : new ByteArrayOutputStream();
            status = runSimple(cmds.get(i), input, pipe);
            input = pipe == null ? null : pipe.toByteArray();
            if (session.exitRequested() && cmds.size() == 1) {
                break;
            }
        }
        if (pipeline.negated()) {
            status = status == 0 ? 1 : 0;
        }
        session.setLastStatus(status);
        return status;
    }

    /** Where a command's stdout or stderr goes. */
    private static final class Target {
        VirtualFs.Writer file;
        String fileName;
        ByteArrayOutputStream captured;
        int dupOf = -1;
    }

    private int runSimple(Parser.SimpleCommand cmd, byte[] pipedInput, ByteArrayOutputStream pipeOut) {
        session.setLine(cmd.line());
        List<String> argv = new ArrayList<>();
        List<String[]> assignments = new ArrayList<>();
        boolean commandSeen = false;
        for (Parser.Word w : cmd.words()) {
            String lit = w.literal();
            if (!commandSeen && !w.segments().isEmpty() && !w.segments().get(0).quoted()
                    && lit.matches("[A-Za-z_][A-Za-z0-9_]*=.*")) {
                int eq = lit.indexOf('=');
                assignments.add(new String[] {lit.substring(0, eq), String.join(" ", expand(w, true))});
                continue;
            }
            commandSeen = true;
            argv.addAll(expand(w, false));
        }
        if (argv.isEmpty()) {
            for (String[] a : assignments) {
                session.variables().put(a[0], a[1]);
            }
        }

        // redirections, in order
        Target out = new Target();
        Target err = new Target();
        InputStream in = pipedInput != null ? new ByteArrayInputStream(pipedInput) : InputStream.nullInputStream();
        if (pipeOut != null) {
            out.captured = pipeOut;
        }
        for (Parser.Redirect r : cmd.redirects()) {
            String target = String.join(" ", expand(r.target(), true));
            if (r.op().equals("<")) {
                try {
                    in = new ByteArrayInputStream(session.vfs().read(target).getBytes(StandardCharsets.UTF_8));
                } catch (VirtualFs.FsException e) {
                    session.diagnostic(target + ": " + e.errno().text());
                    return 1;
                }
                continue;
            }
            if (r.op().equals(">&") && target.matches("[0-9]+")) {
                Target t = r.fd() == 2 ? err : out;
                int fd = Integer.parseInt(target);
                Target from = fd == 2 ? err : out;
                t.file = from.file;
                t.fileName = from.fileName;
                t.captured = from.captured;
                t.dupOf = from.file == null && from.captured == null ? fd : from.dupOf;
                continue;
            }
            VirtualFs.Writer w;
            try {
                w = session.vfs().openForWrite(target, r.op().endsWith(">>"));
            } catch (VirtualFs.FsException e) {
                session.diagnostic(target + ": " + e.errno().text());
                return 1;
            }
            if (r.op().startsWith("&") || (r.op().equals(">&"))) {
                set(out, w, target);
                set(err, w, target);
            } else if (r.fd() == 2) {
                set(err, w, target);
            } else {
                set(out, w, target);
            }
        }
        if (argv.isEmpty()) {
            flushFiles(out, err, null);
            return 0;
        }
        for (String[] a : assignments) {
            session.variables().put(a[0], a[1]);
        }
        Command c = session.commands().lookup(argv.get(0));
        if (c == null) {
            session.diagnostic(argv.get(0) + ": command not found");
            return 127;
        }
        PrintStream outStream = stream(out, true);
        PrintStream errStream = stream(err, false);
        int status;
        try {
            status = c.run(new Invocation(argv, session, outStream, errStream, in));
        } catch (RuntimeException e) {
            outStream.flush();
            errStream.print("ipsim: internal error in " + argv.get(0) + ": " + e + "\n");
            status = 70;
        }
        outStream.flush();
        errStream.flush();
        String writeError = flushFiles(out, err, argv.get(0));
        if (writeError != null) {
            session.diagnostic(argv.get(0) + ": write error: " + writeError);
            status = 1;
        }
        return status;
    }

    private static void set(Target t, VirtualFs.Writer w, String name) {
        t.file = w;
        t.fileName = name;
        t.captured = new ByteArrayOutputStream();
        t.dupOf = -1;
    }

    private PrintStream stream(Target t, boolean stdout) {
        OutputStream sink;
        if (t.captured != null) {
            sink = t.captured;
        } else {
            boolean toErr = t.dupOf == 2 || (!stdout && t.dupOf != 1);
            OutputStream base = toErr ? session.stderrSink() : session.stdoutSink();
            if (toErr) {
                sink = base;
                return new PrintStream(new FlushingStream(base), true, StandardCharsets.UTF_8);
            }
            sink = new StdioBuffer(base, session.stdoutIsTerminal());
        }
        return new PrintStream(sink, false, StandardCharsets.UTF_8);
    }

    /** Writes what went to files; returns a write error's text, or {@code null}. */
    private static String flushFiles(Target out, Target err, String command) {
        String error = null;
        for (Target t : new Target[] {out, err}) {
            if (t.file != null && t.captured != null) {
                byte[] data = t.captured.toByteArray();
                t.captured.reset();
                if (data.length == 0 && command != null) {
                    continue;
                }
                try {
                    if (data.length > 0) {
                        t.file.write(new String(data, StandardCharsets.UTF_8));
                    }
                } catch (VirtualFs.FsException e) {
                    error = e.errno().text();
                }
            }
            if (out.file == err.file) {
                break;
            }
        }
        return error;
    }

    /** Passes writes straight through, flushing each (standard error is unbuffered). */
    private static final class FlushingStream extends OutputStream {
        private final OutputStream sink;

        FlushingStream(OutputStream sink) {
            this.sink = sink;
        }

        @Override
        public void write(int b) throws java.io.IOException {
            sink.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws java.io.IOException {
            sink.write(b, off, len);
            sink.flush();
        }

        @Override
        public void flush() throws java.io.IOException {
            sink.flush();
        }
    }

    // ------------------------------------------------------------------ expansion

    /**
     * Expands a word: parameters ({@code $?}, {@code $VAR}, {@code ${VAR}}, {@code $$}),
     * a leading {@code ~}; unquoted expansion results split on white space.
     */
    List<String> expand(Parser.Word w, boolean noSplit) {
        List<String> fields = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean haveField = false;
        List<Parser.Segment> segs = w.segments();
        for (int si = 0; si < segs.size(); si++) {
            Parser.Segment s = segs.get(si);
            String text = s.text();
            if (si == 0 && !s.quoted() && (text.equals("~") || text.startsWith("~/"))) {
                text = session.variables().getOrDefault("HOME", "/root") + text.substring(1);
            }
            if (!s.expands()) {
                cur.append(text);
                haveField = true;
                continue;
            }
            int i = 0;
            while (i < text.length()) {
                char c = text.charAt(i);
                if (c == '\u0000' && i + 1 < text.length()) {
                    cur.append(text.charAt(i + 1));
                    haveField = true;
                    i += 2;
                    continue;
                }
                if (c != '$' || i + 1 >= text.length()) {
                    cur.append(c);
                    haveField = true;
                    i++;
                    continue;
                }
                char n = text.charAt(i + 1);
                String value;
                int end;
                if (n == '?') {
                    value = Integer.toString(session.lastStatus());
                    end = i + 2;
                } else if (n == '$') {
                    value = "4242";
                    end = i + 2;
                } else if (n == '{') {
                    int close = text.indexOf('}', i);
                    if (close < 0) {
                        cur.append(c);
                        i++;
                        continue;
                    }
                    String name = text.substring(i + 2, close);
                    value = name.equals("?") ? Integer.toString(session.lastStatus())
                            : session.variables().getOrDefault(name, "");
                    end = close + 1;
                } else if (Character.isLetter(n) || n == '_') {
                    int k = i + 1;
                    while (k < text.length() && (Character.isLetterOrDigit(text.charAt(k)) || text.charAt(k) == '_')) {
                        k++;
                    }
                    value = session.variables().getOrDefault(text.substring(i + 1, k), "");
                    end = k;
                } else if (Character.isDigit(n)) {
                    value = n == '0' ? "bash" : "";
                    end = i + 2;
                } else {
                    cur.append(c);
                    haveField = true;
                    i++;
                    continue;
                }
                if (s.quoted() || noSplit) {
                    cur.append(value);
                    haveField = true;
                } else {
                    String[] parts = value.split("[ \t\n]+", -1);
                    for (int p = 0; p < parts.length; p++) {
                        if (p > 0) {
                            if (haveField || cur.length() > 0) {
                                fields.add(cur.toString());
                            }
                            cur.setLength(0);
                            haveField = false;
                        }
                        if (!parts[p].isEmpty()) {
                            cur.append(parts[p]);
                            haveField = true;
                        }
                    }
                }
                i = end;
            }
            if (s.quoted()) {
                haveField = true;
            }
        }
        if (haveField || cur.length() > 0) {
            fields.add(cur.toString());
        }
        return fields;
    }
}
