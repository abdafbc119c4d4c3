package dev.ipsim.shell.script;

import java.util.ArrayList;
import java.util.List;

/**
 * A parser for the part of the bash grammar that tutorials use: words with quotes and
 * backslashes, {@code $?}/{@code $VAR} expansion (done later, at run time), {@code #} comments,
 * lists joined by {@code ;}, {@code &&}, {@code ||} and newlines, {@code &} for background,
 * pipelines, and redirections ({@code > >> < 2> 2>> 2>&1 >&2 &>}).
 *
 * <p>Words keep their quoting as {@link Word} segments so that expansion can tell quoted text
 * from unquoted text. A line that ends inside quotes or after an operator is incomplete: the
 * caller reads another line and parses again.
 */
public final class Parser {

    /** A piece of a word: literal text, or text from quotes where {@code $} still expands. */
    public record Segment(String text, boolean quoted, boolean expands) {
    }

    /** A shell word as written. */
    public record Word(List<Segment> segments) {
        /** The word's text with quotes removed and nothing expanded. */
        public String literal() {
            StringBuilder sb = new StringBuilder();
            for (Segment s : segments) {
                sb.append(s.text());
            }
            return sb.toString();
        }
    }

    /** A redirection: file descriptor, operator and target word (or fd for duplication). */
    public record Redirect(int fd, String op, Word target) {
    }

    /** A simple command: its words and redirections, and the line it starts on. */
    public record SimpleCommand(List<Word> words, List<Redirect> redirects, int line) {
    }

    /** Commands joined by pipes. */
    public record Pipeline(List<SimpleCommand> commands, boolean negated) {
    }

    /** Pipelines joined by {@code &&} and {@code ||}; {@code operators} holds the joins. */
    public record AndOr(List<Pipeline> pipelines, List<String> operators, boolean background) {
    }

    /** Thrown when the input ends before the command does (open quote, trailing operator). */
    public static final class Incomplete extends Exception {
        public Incomplete() {
            super(null, null, false, false);
        }
    }

    /** Thrown on a syntax error, with bash's message. */
    public static final class SyntaxError extends Exception {
        private final int line;

        public SyntaxError(String message, int line) {
            super(message, null, false, false);
            this.line = line;
        }

        public int line() {
            return line;
        }
    }

    private final String src;
    private int pos;
    private int line;

    private Parser(String src, int firstLine) {
        this.src = src;
        this.line = firstLine;
    }

    /**
     * Parses a complete piece of script.
     *
     * @param firstLine the line number of the first line (for error messages)
     */
    public static List<AndOr> parse(String src, int firstLine) throws Incomplete, SyntaxError {
        return new Parser(src, firstLine).script();
    }

    private boolean atEnd() {
        return pos >= src.length();
    }

    private char peek() {
        return src.charAt(pos);
    }

    private boolean lookingAt(String s) {
        return src.startsWith(s, pos);
    }

    private void skipBlanks() {
        while (!atEnd()) {
            char c = peek();
            if (c == ' ' || c == '\t' || c == '\r') {
                pos++;
            } else if (c == '\\' && pos + 1 < src.length() && src.charAt(pos + 1) == '\n') {
                pos += 2;
                line++;
            } else if (c == '#') {
                while (!atEnd() && peek() != '\n') {
                    pos++;
                }
            } else {
                break;
            }
        }
    }

    private List<AndOr> script() throws Incomplete, SyntaxError {
        List<AndOr> out = new ArrayList<>();
        while (true) {
            skipBlanks();
            if (atEnd()) {
                return out;
            }
            char c = peek();
            if (c == '\n') {
                pos++;
                line++;
                continue;
            }
            if (c == ';') {
                throw new SyntaxError("syntax error near unexpected token `" + (lookingAt(";;") ? ";;" : ";") + "'",
                        line);
            }
            if (c == '&' || c == '|') {
                String tok = lookingAt("&&") ? "&&" : lookingAt("||") ? "||" : String.valueOf(c);
                throw new SyntaxError("syntax error near unexpected token `" + tok + "'", line);
            }
            AndOr list = andOr();
            out.add(list);
            skipBlanks();
            if (atEnd()) {
                return out;
            }
            c = peek();
            if (c == ';' || c == '\n') {
                if (c == '\n') {
                    line++;
                }
                pos++;
            } else if (c == '&' && !list.background()) {
                pos++;
            }
        }
    }

    private AndOr andOr() throws Incomplete, SyntaxError {
        List<Pipeline> pipes = new ArrayList<>();
        List<String> ops = new ArrayList<>();
        pipes.add(pipeline());
        while (true) {
            skipBlanks();
            if (lookingAt("&&") || lookingAt("||")) {
                ops.add(src.substring(pos, pos + 2));
                pos += 2;
                skipNewlines();
                if (atEnd()) {
                    throw new Incomplete();
                }
                pipes.add(pipeline());
            } else {
                break;
            }
        }
        boolean background = false;
        if (!atEnd() && peek() == '&' && !lookingAt("&&") && !lookingAt("&>")) {
            pos++;
            background = true;
        }
        return new AndOr(pipes, ops, background);
    }

    private void skipNewlines() {
        while (true) {
            skipBlanks();
            if (!atEnd() && peek() == '\n') {
                pos++;
                line++;
            } else {
                return;
            }
        }
    }

    private Pipeline pipeline() throws Incomplete, SyntaxError {
        skipBlanks();
        boolean negated = false;
        if (lookingAt("! ") || lookingAt("!\t")) {
            negated = true;
            pos++;
        }
        List<SimpleCommand> cmds = new ArrayList<>();
        cmds.add(simpleCommand());
        while (true) {
            skipBlanks();
            if (!atEnd() && peek() == '|' && !lookingAt("||")) {
                pos++;
                skipNewlines();
                if (atEnd()) {
                    throw new Incomplete();
                }
                cmds.add(simpleCommand());
            } else {
                break;
            }
        }
        return new Pipeline(cmds, negated);
    }

    private SimpleCommand simpleCommand() throws Incomplete, SyntaxError {
        List<Word> words = new ArrayList<>();
        List<Redirect> redirects = new ArrayList<>();
        int startLine = line;
        while (true) {
            skipBlanks();
            if (atEnd()) {
                break;
            }
            char c = peek();
            if (c == '\n' || c == ';' || c == '|' || (c == '&' && !lookingAt("&>"))) {
                break;
            }
            Redirect r = redirect();
            if (r != null) {
                redirects.add(r);
                continue;
            }
            words.add(word());
        }
        if (words.isEmpty() && redirects.isEmpty()) {
            String tok = atEnd() ? "newline" : lookingAt("&&") ? "&&" : lookingAt("||") ? "||"
                    : String.valueOf(peek()) .equals("\n") ? "newline" : String.valueOf(peek());
            throw new SyntaxError("syntax error near unexpected token `" + tok + "'", line);
        }
        return new SimpleCommand(words, redirects, startLine);
    }

    private Redirect redirect() throws Incomplete, SyntaxError {
        int save = pos;
        int fd = -1;
        if (Character.isDigit(peek())) {
            int p = pos;
            while (p < src.length() && Character.isDigit(src.charAt(p))) {
                p++;
            }
            if (p < src.length() && (src.charAt(p) == '>' || src.charAt(p) == '<')) {
                fd = Integer.parseInt(src.substring(pos, p));
                pos = p;
            }
        }
        String op;
        if (lookingAt("&>>")) {
            op = "&>>";
        } else if (lookingAt("&>")) {
            op = "&>";
        } else if (lookingAt(">>")) {
            op = ">>";
        } else if (lookingAt(">&")) {
            op = ">&";
        } else if (lookingAt(">|")) {
            op = ">";
            pos++;
        } else if (lookingAt(">")) {
            op = ">";
        } else if (lookingAt("<")) {
            op = "<";
        } else {
            pos = save;
            return null;
        }
        pos += op.length();
        if (fd < 0) {
            fd = op.startsWith("<") ? 0 : 1;
        }
        skipBlanks();
        if (atEnd() || peek() == '\n' || peek() == ';' || peek() == '|' || peek() == '&') {
            String tok = atEnd() || peek() == '\n' ? "newline" : String.valueOf(peek());
            throw new SyntaxError("syntax error near unexpected token `" + tok + "'", line);
        }
        return new Redirect(fd, op, word());
    }

    private static boolean isWordBreak(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == ';' || c == '|' || c == '&' || c == '<' || c == '>'
                || c == '\r';
    }

    private Word word() throws Incomplete {
        List<Segment> segs = new ArrayList<>();
        StringBuilder plain = new StringBuilder();
        while (!atEnd() && !isWordBreak(peek())) {
            char c = peek();
            if (c == '\'') {
                flush(segs, plain);
                int end = src.indexOf('\'', pos + 1);
                if (end < 0) {
                    throw new Incomplete();
                }
                String text = src.substring(pos + 1, end);
                line += count(text, '\n');
                segs.add(new Segment(text, true, false));
                pos = end + 1;
            } else if (c == '"') {
                flush(segs, plain);
                pos++;
                StringBuilder q = new StringBuilder();
                while (true) {
                    if (atEnd()) {
                        throw new Incomplete();
                    }
                    char d = peek();
                    if (d == '"') {
                        pos++;
                        break;
                    }
                    if (d == '\\' && pos + 1 < src.length()) {
                        char e = src.charAt(pos + 1);
                        if (e == '"' || e == '\\' || e == '$' || e == '`') {
                            q.append('\u0000').append(e);
                            pos += 2;
                            continue;
                        }
                        if (e == '\n') {
                            pos += 2;
                            line++;
                            continue;
                        }
                    }
                    if (d == '\n') {
                        line++;
                    }
                    q.append(d);
                    pos++;
                }
                segs.add(new Segment(q.toString(), true, true));
            } else if (c == '\\') {
                if (pos + 1 >= src.length()) {
                    pos++;
                    continue;
                }
                char e = src.charAt(pos + 1);
                if (e == '\n') {
                    pos += 2;
                    line++;
                    continue;
                }
                flush(segs, plain);
                segs.add(new Segment(String.valueOf(e), true, false));
                pos += 2;
            } else {
                plain.append(c);
                pos++;
            }
        }
        flush(segs, plain);
        return new Word(segs);
    }

    private static void flush(List<Segment> segs, StringBuilder plain) {
        if (plain.length() > 0) {
            segs.add(new Segment(plain.toString(), false, true));
            plain.setLength(0);
        }
    }

    private static int count(String s, char c) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == c) {
                n++;
            }
        }
        return n;
    }
}
