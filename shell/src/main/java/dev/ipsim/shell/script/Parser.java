package dev.ipsim.shell.script;

import java.util.ArrayList;
import java.util.List;

/**
 * A parser for the part of the bash grammar that tutorials use: words with quotes and
 * backslashes, parameter and command substitution (expanded later, at run time), {@code #}
 * comments, lists joined by {@code ;}, {@code &&}, {@code ||}, {@code &} and newlines, {@code !},
 * pipelines ({@code |}, {@code |&}), {@code ( list )} and {@code { list; }} groups, and
 * redirections ({@code > >> >| < <> 2> 2>&1 >&2 &> &>>}).
 *
 * <p>Heads up: bash reads a script a line at a time and runs each complete command before
 * reading on, so the caller feeds it lines and parses again when {@link Incomplete} says a
 * quote, a {@code $(}, or an operator is still open. Error messages and line numbers follow
 * bash 5.2 ({@code parse.y}): a syntax error names the token ({@code `;'}, {@code `newline'})
 * and the line it is on; an end of file inside a quote names the line the quote opened on;
 * an end of file after an operator names the line after the last. A simple command's line is
 * where the token after its first word ends (bash takes it when the parser reduces that word,
 * with one token of look-ahead), which is what {@code foo \}&#x23CE;{@code bar} reports.
 */
public final class Parser {

    /** How a piece of a word expands. */
    public enum SegmentKind {
        /** Taken as written: single quotes, a backslash-escaped character. */
        LITERAL,
        /** Text where {@code $NAME}, {@code ${NAME}} and {@code $?} expand. */
        TEXT,
        /** {@code $(...)} or {@code `...`}: the text is the command. */
        COMMAND,
        /** {@code $((...))}: the text is the expression. */
        ARITHMETIC
    }

    /** A piece of a word; {@code quoted} when inside double quotes or quotes of its own (no splitting). */
    public record Segment(SegmentKind kind, String text, boolean quoted) {
    }

    /** A shell word as written; {@code source} is its text in the script (quotes kept), if known. */
    public record Word(List<Segment> segments, String source) {

        public Word(List<Segment> segments) {
            this(segments, null);
        }

        /** The word as the script wrote it, for messages that quote a command ({@code jobs}). */
        public String text() {
            return source != null ? source : literal();
        }

        /** The word's text with quotes removed and nothing expanded. */
        public String literal() {
            StringBuilder sb = new StringBuilder();
            for (Segment s : segments) {
                sb.append(switch (s.kind()) {
                    case COMMAND -> "$(" + s.text() + ")";
                    case ARITHMETIC -> "$((" + s.text() + "))";
                    default -> s.text();
                });
            }
            return sb.toString();
        }

        /** Whether the word was written without any quoting (reserved words must be). */
        boolean plain() {
            return segments.size() == 1 && segments.get(0).kind() == SegmentKind.TEXT && !segments.get(0).quoted();
        }

        /** {@code NAME=value} before the command name: a variable assignment. */
        public boolean isAssignment() {
            if (segments.isEmpty() || segments.get(0).kind() != SegmentKind.TEXT || segments.get(0).quoted()) {
                return false;
            }
            String first = segments.get(0).text();
            int eq = first.indexOf('=');
            return eq > 0 && first.substring(0, eq).matches("[A-Za-z_][A-Za-z0-9_]*");
        }
    }

    /**
     * A redirection: file descriptor, operator and target word (a file, or a descriptor for
     * {@code >&}); for {@code <<} and {@code <<-}, the here-document read after the line.
     */
    public record Redirect(int fd, String op, Word target, HereDocument document) {
    }

    /** A here-document's text, filled in once the lines after the command are read. */
    public static final class HereDocument {
        private final String delimiter;
        private final boolean stripTabs;
        private final boolean expand;
        private final int line;
        private String text = "";
        private String warning;
        private int warningLine;

        HereDocument(String delimiter, boolean stripTabs, boolean expand, int line) {
            this.delimiter = delimiter;
            this.stripTabs = stripTabs;
            this.expand = expand;
            this.line = line;
        }

        /** The lines, newlines included. */
        public String text() {
            return text;
        }

        /** Whether $, ` and \ work in it (the delimiter was not quoted). */
        public boolean expand() {
            return expand;
        }

        /** bash's warning when the input ended before the delimiter, or {@code null}. */
        public String warning() {
            return warning;
        }

        /** The line bash reports the warning on: the last one read. */
        public int warningLine() {
            return warningLine;
        }
    }

    /** Something a pipeline runs. */
    public sealed interface Command permits SimpleCommand, Group, If, For, While, FunctionDef, Case {
        List<Redirect> redirects();

        int line();
    }

    /** A simple command: its words and redirections, and the line bash reports for it. */
    public record SimpleCommand(List<Word> words, List<Redirect> redirects, int line) implements Command {
    }

    /** {@code ( list )} (a subshell) or {@code { list; }} (the current shell). */
    public record Group(List<AndOr> body, boolean subshell, List<Redirect> redirects, int line) implements Command {
    }

    /** {@code if LIST; then LIST; [elif LIST; then LIST;]... [else LIST;] fi}. */
    public record If(List<List<AndOr>> conditions, List<List<AndOr>> bodies, List<AndOr> otherwise,
                     List<Redirect> redirects, int line) implements Command {
    }

    /** {@code for NAME [in WORDS]; do LIST; done}; {@code words} is {@code null} without {@code in}. */
    public record For(String name, List<Word> words, List<AndOr> body, List<Redirect> redirects, int line)
            implements Command {
    }

    /** {@code while LIST; do LIST; done}, or {@code until} when {@code until}. */
    public record While(List<AndOr> condition, List<AndOr> body, boolean until, List<Redirect> redirects, int line)
            implements Command {
    }

    /** {@code case WORD in PATTERN|PATTERN) LIST ;; ... esac}. */
    public record Case(Word word, List<List<Word>> patterns, List<List<AndOr>> bodies, List<Redirect> redirects,
                       int line) implements Command {
    }

    /** {@code name () compound-command} or {@code function name compound-command}. */
    public record FunctionDef(String name, Command body, List<Redirect> redirects, int line) implements Command {
    }

    /** Commands joined by pipes; {@code stderrToo.get(i)} when command i is joined by {@code |&}. */
    public record Pipeline(List<Command> commands, List<Boolean> stderrToo, boolean negated) {
    }

    /** Pipelines joined by {@code &&} and {@code ||}; {@code operators} holds the joins. */
    public record AndOr(List<Pipeline> pipelines, List<String> operators, boolean background) {
    }

    /** The input ends inside a command: more lines may complete it. */
    public static final class Incomplete extends Exception {
        private final String missing;
        private final int line;

        Incomplete(String missing, int line) {
            super(null, null, false, false);
            this.missing = missing;
            this.line = line;
        }

        /** The quote or parenthesis still open, or {@code null} after an operator or a backslash. */
        public String missing() {
            return missing;
        }

        /** The line the open quote started on. */
        public int line() {
            return line;
        }
    }

    /** A syntax error with bash's message, its line, and the input line bash quotes after it. */
    public static final class SyntaxError extends Exception {
        private final int line;
        private final String offendingLine;

        SyntaxError(String message, int line, String offendingLine) {
            super(message, null, false, false);
            this.line = line;
            this.offendingLine = offendingLine;
        }

        public int line() {
            return line;
        }

        /** The input line bash prints after the message when not interactive, or {@code null} (end-of-file errors). */
        public String offendingLine() {
            return offendingLine;
        }
    }

    // ------------------------------------------------------------------ lexer

    private enum Type { WORD, OP, NEWLINE, EOF }

    private record Token(Type type, String op, Word word, int fd, int startLine, int endLine) {
        String text() {
            return switch (type) {
                case WORD -> word.literal();
                case OP -> op;
                case NEWLINE -> "newline";
                case EOF -> "EOF";
            };
        }
    }

    private final String src;
    private final int firstLine;
    private final boolean eof;
    private int pos;
    private int line;
    private Token peeked;

    private Parser(String src, int firstLine, boolean eof) {
        this.src = src;
        this.firstLine = firstLine;
        this.line = firstLine;
        this.eof = eof;
    }

    /**
     * Parses a piece of script that may still be missing lines.
     *
     * @param src       the text, each line ending in a newline
     * @param firstLine the number of its first line
     * @throws Incomplete  when more lines could complete it
     * @throws SyntaxError on a syntax error
     */
    public static List<AndOr> parse(String src, int firstLine) throws Incomplete, SyntaxError {
        return new Parser(src, firstLine, false).script();
    }

    /**
     * Parses the rest of a script at the end of its input: what would be {@link Incomplete} is
     * a syntax error ("unexpected EOF while looking for matching", "unexpected end of file").
     */
    public static List<AndOr> parseAtEof(String src, int firstLine) throws SyntaxError {
        try {
            return new Parser(src, firstLine, true).script();
        } catch (Incomplete e) {
            throw new IllegalStateException("incomplete at end of input", e);
        }
    }

    /**
     * The text of a {@code $(( ))} as a word to expand: parameters, {@code $( )}, backquotes and
     * nested {@code $(( ))}, as inside double quotes.
     */
    static Word expansionWord(String text) throws SyntaxError {
        return expansionWord(text, false);
    }

    /**
     * A here-document's text as a word to expand: as {@link #expansionWord(String)}, and a
     * backslash quotes {@code $}, {@code `}, {@code \} and a newline.
     */
    static Word documentWord(String text) throws SyntaxError {
        return expansionWord(text, true);
    }

    private static Word expansionWord(String text, boolean backslashes) throws SyntaxError {
        Parser p = new Parser(text, 1, true);
        List<Segment> segs = new ArrayList<>();
        StringBuilder q = new StringBuilder();
        try {
            while (!p.atEnd()) {
                char c = p.src.charAt(p.pos);
                if (backslashes && c == '\\' && "$`\\\n".indexOf(p.at(p.pos + 1)) >= 0 && p.pos + 1 < text.length()) {
                    flush(segs, q, true);
                    if (p.at(p.pos + 1) != '\n') {
                        segs.add(new Segment(SegmentKind.LITERAL, String.valueOf(p.at(p.pos + 1)), true));
                    }
                    p.pos += 2;
                } else if (c == '$' && p.at(p.pos + 1) == '(' && p.at(p.pos + 2) == '(' && p.arithmeticEnd() > 0) {
                    flush(segs, q, true);
                    segs.add(p.arithmetic(true));
                } else if (c == '$' && p.at(p.pos + 1) == '(') {
                    flush(segs, q, true);
                    segs.add(new Segment(SegmentKind.COMMAND, p.substitution(), true));
                } else if (c == '`') {
                    flush(segs, q, true);
                    segs.add(new Segment(SegmentKind.COMMAND, p.backquoted(), true));
                } else {
                    q.append(c);
                    p.pos++;
                }
            }
        } catch (Incomplete e) {
            throw new IllegalStateException("incomplete at end of input", e);
        }
        flush(segs, q, true);
        return new Word(List.copyOf(segs));
    }

    private boolean atEnd() {
        return pos >= src.length();
    }

    private char at(int i) {
        return i < src.length() ? src.charAt(i) : '\0';
    }

    private boolean lookingAt(String s) {
        return src.startsWith(s, pos);
    }

    /** The text of line {@code n} of the input, without its newline. */
    private String lineText(int n) {
        int start = 0;
        for (int l = firstLine; l < n; l++) {
            int nl = src.indexOf('\n', start);
            if (nl < 0) {
                return "";
            }
            start = nl + 1;
        }
        int end = src.indexOf('\n', start);
        return src.substring(start, end < 0 ? src.length() : end);
    }

    private Token peek() throws Incomplete, SyntaxError {
        if (peeked == null) {
            peeked = lex();
        }
        return peeked;
    }

    private Token next() throws Incomplete, SyntaxError {
        Token t = peek();
        peeked = null;
        return t;
    }

    private Incomplete incomplete(String missing, int startLine) throws SyntaxError {
        if (!eof) {
            return new Incomplete(missing, startLine);
        }
        if (missing == null) {
            throw new SyntaxError("syntax error: unexpected end of file", line, null);
        }
        throw new SyntaxError("unexpected EOF while looking for matching `" + missing + "'", startLine, null);
    }

    private SyntaxError unexpected(Token t) throws Incomplete, SyntaxError {
        if (t.type() == Type.EOF) {
            throw incomplete(null, t.startLine());
        }
        return new SyntaxError("syntax error near unexpected token `" + t.text() + "'", t.startLine(),
                lineText(t.startLine()));
    }

    /** A backslash-newline that ends the input asks for another line (unless the input has ended). */
    private void continuation() throws Incomplete, SyntaxError {
        pos += 2;
        line++;
        if (atEnd() && !eof) {
            throw incomplete(null, line);
        }
    }

    private void skipBlanksAndComments() throws Incomplete, SyntaxError {
        while (!atEnd()) {
            char c = src.charAt(pos);
            if (c == ' ' || c == '\t') {
                pos++;
            } else if (c == '\\' && at(pos + 1) == '\n') {
                continuation();
            } else if (c == '#') {
                while (!atEnd() && src.charAt(pos) != '\n') {
                    pos++;
                }
            } else {
                break;
            }
        }
    }

    private static boolean isMeta(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == ';' || c == '|' || c == '&' || c == '<' || c == '>'
                || c == '(' || c == ')';
    }

    private static final String[] OPERATORS = {
        "<<<", "<<-", "&>>", ";;", "&&", "||", "|&", "&>", ">>", ">&", "<&", "<>", ">|", "<<", ";", "&", "|", "(",
        ")", "<", ">"
    };

    /** Here-documents whose text starts after the current line. */
    private final List<HereDocument> pendingDocuments = new ArrayList<>();

    /** Reads the text of the pending here-documents, right after a newline. */
    private void readDocuments() throws Incomplete, SyntaxError {
        for (HereDocument doc : pendingDocuments) {
            StringBuilder text = new StringBuilder();
            while (true) {
                if (atEnd()) {
                    if (!eof) {
                        throw new Incomplete(null, doc.line);
                    }
                    doc.warningLine = line - 1;
                    doc.warning = "warning: here-document at line " + doc.line
                            + " delimited by end-of-file (wanted `" + doc.delimiter + "')";
                    break;
                }
                int nl = src.indexOf('\n', pos);
                String l = nl < 0 ? src.substring(pos) : src.substring(pos, nl);
                pos = nl < 0 ? src.length() : nl + 1;
                line++;
                if (doc.stripTabs) {
                    l = l.replaceFirst("^\t+", "");
                }
                if (l.equals(doc.delimiter)) {
                    break;
                }
                text.append(l).append('\n');
            }
            doc.text = text.toString();
        }
        pendingDocuments.clear();
    }

    private Token lex() throws Incomplete, SyntaxError {
        skipBlanksAndComments();
        int start = line;
        if (atEnd()) {
            return new Token(Type.EOF, null, null, -1, start, start);
        }
        char c = src.charAt(pos);
        if (c == '\n') {
            pos++;
            line++;
            if (!pendingDocuments.isEmpty()) {
                readDocuments();
            }
            return new Token(Type.NEWLINE, null, null, -1, start, start);
        }
        // a redirection's file descriptor: digits right before < or >
        int p = pos;
        while (p < src.length() && Character.isDigit(src.charAt(p))) {
            p++;
        }
        if (p > pos && (at(p) == '<' || at(p) == '>')) {
            int fd = Integer.parseInt(src.substring(pos, Math.min(p, pos + 9)));
            pos = p;
            Token op = lexOperator();
            return new Token(Type.OP, op.op(), null, fd, start, start);
        }
        if (isMeta(c)) {
            return lexOperator();
        }
        Word w = word();
        return new Token(Type.WORD, null, w, -1, start, line);
    }

    private Token lexOperator() {
        for (String op : OPERATORS) {
            if (lookingAt(op)) {
                pos += op.length();
                return new Token(Type.OP, op, null, -1, line, line);
            }
        }
        throw new IllegalStateException("no operator at " + pos);
    }

    private Word word() throws Incomplete, SyntaxError {
        int startPos = pos;
        List<Segment> segs = new ArrayList<>();
        StringBuilder plain = new StringBuilder();
        while (!atEnd() && !isMeta(src.charAt(pos))) {
            char c = src.charAt(pos);
            if (c == '\'') {
                flush(segs, plain, false);
                int startLine = line;
                int end = src.indexOf('\'', pos + 1);
                if (end < 0) {
                    throw incomplete("'", startLine);
                }
                String text = src.substring(pos + 1, end);
                line += count(text, '\n');
                segs.add(new Segment(SegmentKind.LITERAL, text, true));
                pos = end + 1;
            } else if (c == '"') {
                flush(segs, plain, false);
                doubleQuoted(segs);
            } else if (c == '\\') {
                char e = at(pos + 1);
                if (e == '\n') {
                    continuation();
                    continue;
                }
                flush(segs, plain, false);
                if (pos + 1 >= src.length()) {
                    pos++;
                    continue;
                }
                segs.add(new Segment(SegmentKind.LITERAL, String.valueOf(e), true));
                pos += 2;
            } else if (c == '$' && at(pos + 1) == '(' && at(pos + 2) == '(' && arithmeticEnd() > 0) {
                flush(segs, plain, false);
                segs.add(arithmetic(false));
            } else if (c == '$' && at(pos + 1) == '(') {
                flush(segs, plain, false);
                segs.add(new Segment(SegmentKind.COMMAND, substitution(), false));
            } else if (c == '`') {
                flush(segs, plain, false);
                segs.add(new Segment(SegmentKind.COMMAND, backquoted(), false));
            } else if (c == '$' && at(pos + 1) == '{') {
                int close = src.indexOf('}', pos);
                if (close < 0) {
                    throw incomplete("}", line);
                }
                plain.append(src, pos, close + 1);
                pos = close + 1;
            } else {
                plain.append(c);
                pos++;
            }
        }
        flush(segs, plain, false);
        return new Word(List.copyOf(segs), src.substring(startPos, pos).replace("\\\n", ""));
    }

    /** A double-quoted string starting at {@code pos}: {@code \"}, {@code \\}, {@code \$}, {@code \`} escape. */
    private void doubleQuoted(List<Segment> segs) throws Incomplete, SyntaxError {
        int startLine = line;
        pos++;
        StringBuilder q = new StringBuilder();
        boolean any = false;
        while (true) {
            if (atEnd()) {
                throw incomplete("\"", startLine);
            }
            char d = src.charAt(pos);
            if (d == '"') {
                pos++;
                break;
            }
            if (d == '\\') {
                char e = at(pos + 1);
                if (e == '"' || e == '\\' || e == '$' || e == '`') {
                    flush(segs, q, true);
                    segs.add(new Segment(SegmentKind.LITERAL, String.valueOf(e), true));
                    any = true;
                    pos += 2;
                    continue;
                }
                if (e == '\n') {
                    pos += 2;
                    line++;
                    continue;
                }
            }
            if (d == '$' && at(pos + 1) == '(' && at(pos + 2) == '(' && arithmeticEnd() > 0) {
                flush(segs, q, true);
                segs.add(arithmetic(true));
                any = true;
                continue;
            }
            if (d == '$' && at(pos + 1) == '(') {
                flush(segs, q, true);
                segs.add(new Segment(SegmentKind.COMMAND, substitution(), true));
                any = true;
                continue;
            }
            if (d == '`') {
                flush(segs, q, true);
                segs.add(new Segment(SegmentKind.COMMAND, backquoted(), true));
                any = true;
                continue;
            }
            if (d == '\n') {
                line++;
            }
            q.append(d);
            pos++;
        }
        if (q.length() > 0 || !any) {
            segs.add(new Segment(SegmentKind.TEXT, q.toString(), true));
        }
    }

    /**
     * Where the {@code ))} closing a {@code $((} at {@code pos} is, or -1 when the parentheses
     * do not close as {@code ))} (then it is a command substitution of a subshell).
     */
    private int arithmeticEnd() {
        int depth = 0;
        for (int i = pos + 3; i < src.length(); i++) {
            char c = src.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                if (depth > 0) {
                    depth--;
                } else {
                    return at(i + 1) == ')' ? i : -1;
                }
            }
        }
        return -1;
    }

    private Segment arithmetic(boolean quoted) {
        int end = arithmeticEnd();
        String text = src.substring(pos + 3, end);
        line += count(text, '\n');
        pos = end + 2;
        return new Segment(SegmentKind.ARITHMETIC, text, quoted);
    }

    /** {@code $( ... )} starting at {@code pos}; returns the command text. Quotes and nesting are respected. */
    private String substitution() throws Incomplete, SyntaxError {
        int startLine = line;
        pos += 2;
        int begin = pos;
        int depth = 1;
        while (true) {
            if (atEnd()) {
                throw incomplete(")", startLine);
            }
            char c = src.charAt(pos);
            if (c == '\\') {
                if (at(pos + 1) == '\n') {
                    line++;
                }
                pos += 2;
                continue;
            }
            if (c == '\'') {
                int end = src.indexOf('\'', pos + 1);
                if (end < 0) {
                    throw incomplete(")", startLine);
                }
                line += count(src.substring(pos, end), '\n');
                pos = end + 1;
                continue;
            }
            if (c == '"') {
                List<Segment> ignored = new ArrayList<>();
                doubleQuoted(ignored);
                continue;
            }
            if (c == '\n') {
                line++;
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                String text = src.substring(begin, pos);
                pos++;
                return text;
            }
            pos++;
        }
    }

    /** {@code `...`} starting at {@code pos}; returns the command text with {@code \`}, {@code \\}, {@code \$} unescaped. */
    private String backquoted() throws Incomplete, SyntaxError {
        int startLine = line;
        pos++;
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (atEnd()) {
                throw incomplete("`", startLine);
            }
            char c = src.charAt(pos);
            if (c == '`') {
                pos++;
                return sb.toString();
            }
            if (c == '\\' && (at(pos + 1) == '`' || at(pos + 1) == '\\' || at(pos + 1) == '$')) {
                sb.append(at(pos + 1));
                pos += 2;
                continue;
            }
            if (c == '\n') {
                line++;
            }
            sb.append(c);
            pos++;
        }
    }

    private static void flush(List<Segment> segs, StringBuilder text, boolean quoted) {
        if (text.length() > 0) {
            segs.add(new Segment(SegmentKind.TEXT, text.toString(), quoted));
            text.setLength(0);
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

    // ------------------------------------------------------------------ grammar

    private boolean isOp(Token t, String op) {
        return t.type() == Type.OP && t.op().equals(op);
    }

    private boolean isReserved(Token t, String word) {
        return t.type() == Type.WORD && t.word().plain() && t.word().segments().get(0).text().equals(word);
    }

    private List<AndOr> script() throws Incomplete, SyntaxError {
        List<AndOr> out = new ArrayList<>();
        while (true) {
            Token t = peek();
            if (t.type() == Type.EOF) {
                return out;
            }
            if (t.type() == Type.NEWLINE) {
                next();
                continue;
            }
            list(out);
            Token end = next();
            if (end.type() != Type.NEWLINE && end.type() != Type.EOF) {
                throw unexpected(end);
            }
            if (end.type() == Type.EOF) {
                return out;
            }
        }
    }

    /**
     * and-or lists separated by {@code ;} and {@code &}, up to (not including) a newline, the
     * end, or one of {@code closers}: the reserved words (or {@code )}) that end the compound
     * command being read.
     */
    private void list(List<AndOr> out, String... closers) throws Incomplete, SyntaxError {
        while (true) {
            AndOr a = andOr();
            Token t = peek();
            if (isOp(t, "&")) {
                next();
                out.add(new AndOr(a.pipelines(), a.operators(), true));
            } else {
                out.add(a);
                if (!isOp(t, ";")) {
                    return;
                }
                next();
            }
            Token after = peek();
            if (after.type() == Type.NEWLINE || after.type() == Type.EOF || isCloser(after, closers)) {
                return;
            }
        }
    }

    private boolean isCloser(Token t, String... closers) {
        for (String c : closers) {
            if (c.equals(")") ? isOp(t, ")") : isReserved(t, c)) {
                return true;
            }
        }
        return false;
    }

    /** The reserved words that can only continue a compound command, never start one. */
    private static final List<String> CLOSERS = List.of("then", "elif", "else", "fi", "do", "done", "}", "esac");

    /**
     * The lists of a compound command's part, up to (not reading) one of {@code closers}; at
     * least one command, as bash requires.
     */
    private List<AndOr> compoundList(String... closers) throws Incomplete, SyntaxError {
        List<AndOr> body = new ArrayList<>();
        while (true) {
            skipNewlines();
            Token t = peek();
            if (isCloser(t, closers)) {
                if (body.isEmpty()) {
                    throw unexpected(t);
                }
                return body;
            }
            if (t.type() == Type.EOF) {
                throw incomplete(null, t.startLine());
            }
            list(body, closers);
            Token end = peek();
            if (end.type() == Type.NEWLINE) {
                continue;
            }
            if (!isCloser(end, closers)) {
                throw unexpected(end);
            }
        }
    }

    /** Reads the reserved word {@code word}, which must come next. */
    private void expect(String word) throws Incomplete, SyntaxError {
        Token t = next();
        if (!isReserved(t, word)) {
            throw unexpected(t);
        }
    }

    private List<Redirect> trailingRedirects() throws Incomplete, SyntaxError {
        List<Redirect> redirects = new ArrayList<>();
        while (peek().type() == Type.OP && isRedirectOp(peek().op())) {
            redirects.add(redirect(next()));
        }
        Token after = peek();
        if (after.type() == Type.WORD || isOp(after, "(")) {
            throw unexpected(after);
        }
        return List.copyOf(redirects);
    }

    private AndOr andOr() throws Incomplete, SyntaxError {
        List<Pipeline> pipes = new ArrayList<>();
        List<String> ops = new ArrayList<>();
        pipes.add(pipeline());
        while (isOp(peek(), "&&") || isOp(peek(), "||")) {
            ops.add(next().op());
            skipNewlines();
            pipes.add(pipeline());
        }
        return new AndOr(List.copyOf(pipes), List.copyOf(ops), false);
    }

    private void skipNewlines() throws Incomplete, SyntaxError {
        while (peek().type() == Type.NEWLINE) {
            next();
        }
    }

    private Pipeline pipeline() throws Incomplete, SyntaxError {
        boolean negated = false;
        if (isReserved(peek(), "!")) {
            next();
            negated = true;
            Token t = peek();
            if (t.type() == Type.NEWLINE || t.type() == Type.EOF || isOp(t, ";")) {
                // `!` alone negates an empty pipeline: status 1
                return new Pipeline(List.of(), List.of(), true);
            }
        }
        List<Command> cmds = new ArrayList<>();
        List<Boolean> stderrToo = new ArrayList<>();
        cmds.add(command());
        while (isOp(peek(), "|") || isOp(peek(), "|&")) {
            stderrToo.add(next().op().equals("|&"));
            skipNewlines();
            cmds.add(command());
        }
        stderrToo.add(false);
        return new Pipeline(List.copyOf(cmds), List.copyOf(stderrToo), negated);
    }

    private Command command() throws Incomplete, SyntaxError {
        Token t = peek();
        if (isOp(t, "(")) {
            next();
            return group(true, t.startLine());
        }
        if (isReserved(t, "{")) {
            next();
            return group(false, t.startLine());
        }
        if (isReserved(t, "if")) {
            next();
            return ifCommand(t.startLine());
        }
        if (isReserved(t, "case")) {
            next();
            return caseCommand(t.startLine());
        }
        if (isReserved(t, "function")) {
            next();
            Token name = next();
            if (name.type() != Type.WORD) {
                throw unexpected(name);
            }
            if (isOp(peek(), "(")) {
                next();
                Token close = next();
                if (!isOp(close, ")")) {
                    throw unexpected(close);
                }
            }
            return functionBody(name.word().literal(), t.startLine());
        }
        if (isReserved(t, "for")) {
            next();
            return forCommand(t.startLine());
        }
        if (isReserved(t, "while") || isReserved(t, "until")) {
            next();
            List<AndOr> condition = compoundList("do");
            expect("do");
            List<AndOr> body = compoundList("done");
            expect("done");
            return new While(condition, body, isReserved(t, "until"), trailingRedirects(), t.startLine());
        }
        for (String closer : CLOSERS) {
            if (isReserved(t, closer)) {
                throw unexpected(t);
            }
        }
        return simpleCommand();
    }

    private Case caseCommand(int startLine) throws Incomplete, SyntaxError {
        Token word = next();
        if (word.type() != Type.WORD) {
            throw unexpected(word);
        }
        skipNewlines();
        expect("in");
        List<List<Word>> patterns = new ArrayList<>();
        List<List<AndOr>> bodies = new ArrayList<>();
        while (true) {
            skipNewlines();
            Token t = peek();
            if (isReserved(t, "esac")) {
                next();
                break;
            }
            if (t.type() == Type.EOF) {
                throw incomplete(null, t.startLine());
            }
            if (isOp(t, "(")) {
                next();
            }
            List<Word> alternatives = new ArrayList<>();
            while (true) {
                Token p = next();
                if (p.type() != Type.WORD) {
                    throw unexpected(p);
                }
                alternatives.add(p.word());
                Token sep = next();
                if (isOp(sep, ")")) {
                    break;
                }
                if (!isOp(sep, "|")) {
                    throw unexpected(sep);
                }
            }
            List<AndOr> body = new ArrayList<>();
            while (true) {
                skipNewlines();
                Token b = peek();
                if (isOp(b, ";;") || isReserved(b, "esac")) {
                    break;
                }
                if (b.type() == Type.EOF) {
                    throw incomplete(null, b.startLine());
                }
                list(body, "esac");
                Token end = peek();
                if (end.type() != Type.NEWLINE && !isOp(end, ";;") && !isReserved(end, "esac")) {
                    throw unexpected(end);
                }
            }
            patterns.add(List.copyOf(alternatives));
            bodies.add(List.copyOf(body));
            if (isOp(peek(), ";;")) {
                next();
            }
        }
        return new Case(word.word(), List.copyOf(patterns), List.copyOf(bodies), trailingRedirects(), startLine);
    }

    private If ifCommand(int startLine) throws Incomplete, SyntaxError {
        List<List<AndOr>> conditions = new ArrayList<>();
        List<List<AndOr>> bodies = new ArrayList<>();
        List<AndOr> otherwise = null;
        while (true) {
            conditions.add(compoundList("then"));
            expect("then");
            bodies.add(compoundList("elif", "else", "fi"));
            Token t = next();
            if (isReserved(t, "elif")) {
                continue;
            }
            if (isReserved(t, "else")) {
                otherwise = compoundList("fi");
                expect("fi");
            }
            break;
        }
        return new If(List.copyOf(conditions), List.copyOf(bodies), otherwise == null ? List.of() : otherwise,
                trailingRedirects(), startLine);
    }

    private For forCommand(int startLine) throws Incomplete, SyntaxError {
        Token name = next();
        if (name.type() != Type.WORD) {
            throw unexpected(name);
        }
        String var = name.word().literal();
        if (!var.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new SyntaxError("`" + var + "': not a valid identifier", name.startLine(), null);
        }
        List<Word> words = null;
        skipNewlines();
        if (isReserved(peek(), "in")) {
            next();
            words = new ArrayList<>();
            while (peek().type() == Type.WORD) {
                words.add(next().word());
            }
            Token end = next();
            if (!isOp(end, ";") && end.type() != Type.NEWLINE) {
                throw unexpected(end);
            }
        } else if (isOp(peek(), ";")) {
            next();
        }
        skipNewlines();
        expect("do");
        List<AndOr> body = compoundList("done");
        expect("done");
        return new For(var, words == null ? null : List.copyOf(words), body, trailingRedirects(), startLine);
    }

    private Group group(boolean subshell, int startLine) throws Incomplete, SyntaxError {
        List<AndOr> body = compoundList(subshell ? ")" : "}");
        next();
        return new Group(body, subshell, trailingRedirects(), startLine);
    }

    private static boolean isRedirectOp(String op) {
        return switch (op) {
            case ">", ">>", ">|", "<", "<>", ">&", "<&", "&>", "&>>", "<<", "<<-", "<<<" -> true;
            default -> false;
        };
    }

    /** The body of a function: a compound command, after any newlines. */
    private FunctionDef functionBody(String name, int startLine) throws Incomplete, SyntaxError {
        skipNewlines();
        Token t = peek();
        if (!(isOp(t, "(") || isReserved(t, "{") || isReserved(t, "if") || isReserved(t, "for")
                || isReserved(t, "while") || isReserved(t, "until"))) {
            throw unexpected(t);
        }
        return new FunctionDef(name, command(), List.of(), startLine);
    }

    private Command simpleCommand() throws Incomplete, SyntaxError {
        List<Word> words = new ArrayList<>();
        List<Redirect> redirects = new ArrayList<>();
        int cmdLine = -1;
        int tokens = 0;
        while (true) {
            Token t = peek();
            if (tokens == 1 && cmdLine < 0) {
                // the line bash reports: where its look-ahead token after the first one ends
                cmdLine = t.type() == Type.WORD ? t.endLine() : t.startLine();
            }
            if (t.type() == Type.WORD) {
                next();
                words.add(t.word());
                tokens++;
            } else if (t.type() == Type.OP && isRedirectOp(t.op())) {
                next();
                tokens++;
                redirects.add(redirect(t));
            } else if (isOp(t, "(") && words.size() == 1 && redirects.isEmpty()) {
                // `name ( )` starts a function definition
                next();
                Token close = next();
                if (!isOp(close, ")")) {
                    throw unexpected(close);
                }
                return functionBody(words.get(0).literal(), t.startLine());
            } else {
                if (tokens == 0) {
                    throw unexpected(t);
                }
                break;
            }
        }
        if (cmdLine < 0) {
            cmdLine = line;
        }
        return new SimpleCommand(List.copyOf(words), List.copyOf(redirects), cmdLine);
    }

    private Redirect redirect(Token op) throws Incomplete, SyntaxError {
        Token target = next();
        if (target.type() != Type.WORD) {
            throw unexpected(target);
        }
        int fd = op.fd();
        if (fd < 0) {
            fd = op.op().startsWith("<") ? 0 : 1;
        }
        HereDocument doc = null;
        if (op.op().equals("<<") || op.op().equals("<<-")) {
            Word w = target.word();
            boolean quoted = false;
            for (Segment seg : w.segments()) {
                quoted |= seg.quoted() || seg.kind() == SegmentKind.LITERAL;
            }
            doc = new HereDocument(w.literal(), op.op().equals("<<-"), !quoted, op.startLine());
            pendingDocuments.add(doc);
        }
        return new Redirect(fd, op.op(), target.word(), doc);
    }
}
