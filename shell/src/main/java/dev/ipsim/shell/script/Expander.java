package dev.ipsim.shell.script;

import dev.ipsim.shell.ShellSession;
import dev.ipsim.shell.vfs.VirtualFs;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * bash's word expansions, in bash's order: tilde, parameters ({@code $?}, {@code $NAME},
 * {@code ${NAME}}, {@code ${NAME:-word}}, {@code ${#NAME}}), command substitution, field
 * splitting of unquoted results on blanks, then pathname expansion ({@code * ? [...]}) over
 * the sandbox's file system; quote removal happens as the parser keeps quoted text apart.
 */
final class Expander {

    private final ShellSession session;
    private final UnaryOperator<String> substitution;

    /**
     * @param substitution runs the text of a {@code $( )} and returns its output, trailing
     *                     newlines removed
     */
    Expander(ShellSession session, UnaryOperator<String> substitution) {
        this.session = session;
        this.substitution = substitution;
    }

    /** One field under construction: its text and which characters may act as glob patterns. */
    private static final class Field {
        final StringBuilder text = new StringBuilder();
        final BitSet pattern = new BitSet();
        boolean exists;

        void append(String s, boolean globbable) {
            for (int i = 0; i < s.length(); i++) {
                if (globbable) {
                    pattern.set(text.length());
                }
                text.append(s.charAt(i));
            }
            // an empty unquoted piece makes no field; quotes mark the field themselves
            exists |= !s.isEmpty();
        }
    }

    /** Expands a word into fields (none, one or many), brace expansion first. */
    List<String> expand(Parser.Word w) {
        List<Parser.Word> words = braces(w);
        if (words.size() == 1) {
            return expandOne(w);
        }
        List<String> out = new ArrayList<>();
        for (Parser.Word each : words) {
            out.addAll(expandOne(each));
        }
        return out;
    }

    // ------------------------------------------------------------------ brace expansion

    /** Sequence expressions, compiled when first needed: a start without them needs no Pattern. */
    private static final class Sequences {
        static final Pattern NUMBERS = Pattern.compile("(-?[0-9]+)\\.\\.(-?[0-9]+)(?:\\.\\.(-?[0-9]+))?");
        static final Pattern LETTERS = Pattern.compile("([A-Za-z])\\.\\.([A-Za-z])(?:\\.\\.(-?[0-9]+))?");
    }

    /**
     * bash's brace expansion on the unquoted text of a word: {@code {a,b}} and {@code {1..5}},
     * {@code {a..e}}, {@code {01..10..2}}, nested, with what surrounds them repeated.
     */
    static List<Parser.Word> braces(Parser.Word w) {
        List<Parser.Segment> segs = w.segments();
        for (int si = 0; si < segs.size(); si++) {
            Parser.Segment seg = segs.get(si);
            if (seg.kind() != Parser.SegmentKind.TEXT || seg.quoted()) {
                continue;
            }
            String text = seg.text();
            for (int open = text.indexOf('{'); open >= 0; open = text.indexOf('{', open + 1)) {
                if (open > 0 && text.charAt(open - 1) == '$') {
                    continue;
                }
                int close = matchingBrace(text, open);
                if (close < 0) {
                    break;
                }
                List<String> alternatives = alternatives(text.substring(open + 1, close));
                if (alternatives == null) {
                    continue;
                }
                List<Parser.Word> out = new ArrayList<>();
                for (String alt : alternatives) {
                    List<Parser.Segment> copy = new ArrayList<>(segs.subList(0, si));
                    copy.add(new Parser.Segment(Parser.SegmentKind.TEXT,
                            text.substring(0, open) + alt + text.substring(close + 1), false));
                    copy.addAll(segs.subList(si + 1, segs.size()));
                    out.addAll(braces(new Parser.Word(copy)));
                }
                return out;
            }
        }
        return List.of(w);
    }

    private static int matchingBrace(String text, int open) {
        int depth = 0;
        for (int i = open; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    /** The parts of a brace's inside, or {@code null} when it is no brace expression. */
    private static List<String> alternatives(String inside) {
        java.util.regex.Matcher m = Sequences.NUMBERS.matcher(inside);
        if (m.matches()) {
            long from = Long.parseLong(m.group(1));
            long to = Long.parseLong(m.group(2));
            long step = m.group(3) == null ? 1 : Math.abs(Long.parseLong(m.group(3)));
            if (step == 0) {
                step = 1;
            }
            int width = 0;
            if (m.group(1).matches("-?0[0-9]+") || m.group(2).matches("-?0[0-9]+")) {
                width = Math.max(m.group(1).length(), m.group(2).length());
            }
            List<String> out = new ArrayList<>();
            for (long v = from; from <= to ? v <= to : v >= to; v += from <= to ? step : -step) {
                String s = Long.toString(Math.abs(v));
                while (s.length() < width - (v < 0 ? 1 : 0)) {
                    s = "0" + s;
                }
                out.add(v < 0 ? "-" + s : s);
                if (out.size() > 100_000) {
                    break;
                }
            }
            return out;
        }
        m = Sequences.LETTERS.matcher(inside);
        if (m.matches()) {
            char from = m.group(1).charAt(0);
            char to = m.group(2).charAt(0);
            int step = m.group(3) == null ? 1 : Math.max(1, Math.abs(Integer.parseInt(m.group(3))));
            List<String> out = new ArrayList<>();
            for (int c = from; from <= to ? c <= to : c >= to; c += from <= to ? step : -step) {
                out.add(String.valueOf((char) c));
            }
            return out;
        }
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < inside.length(); i++) {
            char c = inside.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(inside.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(inside.substring(start));
        return parts.size() < 2 ? null : parts;
    }

    /** Expands a word without brace expansion. */
    private List<String> expandOne(Parser.Word w) {
        // "$@" is one field per argument: none at all when there are none
        if (w.segments().size() == 1 && w.segments().get(0).quoted()
                && w.segments().get(0).kind() == Parser.SegmentKind.TEXT
                && (w.segments().get(0).text().equals("$@") || w.segments().get(0).text().equals("${@}"))) {
            return session.positional();
        }
        List<Field> fields = new ArrayList<>();
        Field cur = new Field();
        List<Parser.Segment> segs = w.segments();
        for (int si = 0; si < segs.size(); si++) {
            Parser.Segment s = segs.get(si);
            switch (s.kind()) {
                case LITERAL -> cur.append(s.text(), false);
                case COMMAND -> cur = splice(fields, cur, substitution.apply(s.text()), s.quoted());
                case ARITHMETIC -> cur = splice(fields, cur, arithmetic(s.text()), s.quoted());
                case TEXT -> {
                    String text = s.text();
                    if (si == 0 && !s.quoted()) {
                        text = tilde(text);
                    }
                    cur = expandText(fields, cur, text, s.quoted());
                }
            }
            if (s.quoted()) {
                cur.exists = true;
            }
        }
        if (cur.exists || cur.text.length() > 0) {
            fields.add(cur);
        }
        List<String> out = new ArrayList<>();
        for (Field f : fields) {
            out.addAll(glob(f));
        }
        return out;
    }

    /** Whether {@code text} matches a {@code case} pattern (quoted characters match themselves). */
    boolean matches(String text, Parser.Word pattern) {
        List<Field> fields = new ArrayList<>();
        Field f = new Field();
        for (Parser.Segment s : pattern.segments()) {
            switch (s.kind()) {
                case LITERAL -> f.append(s.text(), false);
                case COMMAND -> f.append(substitution.apply(s.text()), !s.quoted());
                case ARITHMETIC -> f.append(arithmetic(s.text()), !s.quoted());
                case TEXT -> {
                    // expanded without splitting; what was not quoted keeps its pattern characters
                    Field part = expandText(fields, new Field(), s.text(), s.quoted());
                    f.append(part.text.toString(), false);
                    for (int i = 0; i < part.text.length(); i++) {
                        if (part.pattern.get(i) && !s.quoted()) {
                            f.pattern.set(f.text.length() - part.text.length() + i);
                        }
                    }
                }
            }
        }
        try {
            return Pattern.compile(toRegex(f.text.toString(), f.pattern), Pattern.DOTALL).matcher(text).matches();
        } catch (java.util.regex.PatternSyntaxException e) {
            return text.equals(f.text.toString());
        }
    }

    /** The value of {@code NAME=value}: expanded without splitting or globbing. */
    String assignmentValue(Parser.Word w) {
        StringBuilder sb = new StringBuilder();
        for (Parser.Segment s : w.segments()) {
            switch (s.kind()) {
                case LITERAL -> sb.append(s.text());
                case COMMAND -> sb.append(substitution.apply(s.text()));
                case ARITHMETIC -> sb.append(arithmetic(s.text()));
                case TEXT -> {
                    List<Field> fields = new ArrayList<>();
                    Field f = expandText(fields, new Field(), s.text(), true);
                    sb.append(f.text);
                }
            }
        }
        return sb.toString();
    }

    /** Thrown when an expansion fails: bash reports it and abandons the command. */
    static final class ExpansionError extends RuntimeException {
        ExpansionError(String message) {
            super(message, null, false, false);
        }
    }

    /** {@code $(( ))}: parameters expanded in the text first, then evaluated. */
    private String arithmetic(String text) {
        String expanded;
        try {
            expanded = assignmentValue(Parser.expansionWord(text));
        } catch (Parser.SyntaxError e) {
            throw new ExpansionError(e.getMessage());
        }
        try {
            return Long.toString(Arithmetic.evaluate(expanded, session.variables()));
        } catch (Arithmetic.ArithmeticError e) {
            throw new ExpansionError(e.getMessage());
        }
    }

    private String tilde(String text) {
        if (text.equals("~") || text.startsWith("~/")) {
            return session.variables().getOrDefault("HOME", VirtualFs.HOME) + text.substring(1);
        }
        return text;
    }

    private Field expandText(List<Field> fields, Field cur, String text, boolean quoted) {
        int i = 0;
        StringBuilder lit = new StringBuilder();
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c != '$' || i + 1 >= text.length()) {
                lit.append(c);
                i++;
                continue;
            }
            char n = text.charAt(i + 1);
            String value;
            int end;
            if (n == '{') {
                int close = text.indexOf('}', i);
                if (close < 0) {
                    lit.append(c);
                    i++;
                    continue;
                }
                value = braced(text.substring(i + 2, close));
                end = close + 1;
            } else if (Character.isLetter(n) || n == '_') {
                int k = i + 1;
                while (k < text.length() && (Character.isLetterOrDigit(text.charAt(k)) || text.charAt(k) == '_')) {
                    k++;
                }
                value = variable(text.substring(i + 1, k));
                end = k;
            } else if ("?$#!0123456789@*-".indexOf(n) >= 0) {
                value = special(n);
                end = i + 2;
            } else {
                lit.append(c);
                i++;
                continue;
            }
            cur.append(lit.toString(), !quoted);
            lit.setLength(0);
            cur = splice(fields, cur, value, quoted);
            i = end;
        }
        if (lit.length() > 0) {
            cur.append(lit.toString(), !quoted);
        }
        return cur;
    }

    /** Adds an expansion's value: as is when quoted, else split on blanks into fields. */
    private static Field splice(List<Field> fields, Field cur, String value, boolean quoted) {
        if (quoted) {
            cur.append(value, false);
            return cur;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n') {
                if (cur.exists || cur.text.length() > 0) {
                    fields.add(cur);
                    cur = new Field();
                }
            } else {
                cur.append(String.valueOf(c), true);
            }
        }
        return cur;
    }

    private String variable(String name) {
        return switch (name) {
            case "LINENO" -> Integer.toString(session.line());
            case "UID", "EUID" -> "0";
            case "BASH" -> "/usr/bin/bash";
            case "BASH_VERSION" -> "5.2.15(1)-release";
            case "RANDOM" -> Integer.toString(session.kernel().random().nextInt(32768));
            case "SECONDS" -> Long.toString(session.kernel().clock().seconds() - session.startSeconds());
            default -> session.variables().getOrDefault(name, "");
        };
    }

    private String special(char c) {
        List<String> args = session.positional();
        return switch (c) {
            case '?' -> Integer.toString(session.lastStatus());
            case '$' -> Integer.toString(session.shellPid());
            case '!' -> session.jobs().lastAsyncPid() < 0 ? "" : Integer.toString(session.jobs().lastAsyncPid());
            case '#' -> Integer.toString(args.size());
            case '0' -> session.scriptName();
            case '-' -> session.interactive() ? "himBHs" : "hB";
            case '@', '*' -> String.join(" ", args);
            default -> {
                if (Character.isDigit(c)) {
                    int n = c - '0';
                    yield n >= 1 && n <= args.size() ? args.get(n - 1) : "";
                }
                yield "";
            }
        };
    }

    /** {@code ${...}}: NAME, #NAME, NAME:-w, NAME-w, NAME:=w, NAME=w, NAME:+w, NAME+w. */
    private String braced(String inner) {
        if (inner.startsWith("#") && inner.length() > 1) {
            return Integer.toString(braced(inner.substring(1)).length());
        }
        if (inner.length() == 1 && ("?$#!@*-".indexOf(inner.charAt(0)) >= 0 || Character.isDigit(inner.charAt(0)))) {
            return special(inner.charAt(0));
        }
        if (inner.matches("[0-9]+")) {
            int n = Integer.parseInt(inner.length() > 9 ? "999999999" : inner);
            return n >= 1 && n <= session.positional().size() ? session.positional().get(n - 1) : "";
        }
        int k = 0;
        while (k < inner.length() && (Character.isLetterOrDigit(inner.charAt(k)) || inner.charAt(k) == '_')) {
            k++;
        }
        String name = inner.substring(0, k);
        String rest = inner.substring(k);
        boolean set;
        String value;
        if (k == 0 && !inner.isEmpty() && "?$!#@*-".indexOf(inner.charAt(0)) >= 0) {
            // a special parameter with an operator: ${!:+yes}, ${?:-0}
            char c = inner.charAt(0);
            rest = inner.substring(1);
            set = c != '!' || session.jobs().lastAsyncPid() >= 0;
            value = set ? special(c) : "";
        } else {
            set = session.variables().containsKey(name) || isDynamic(name);
            value = set ? variable(name) : "";
        }
        if (rest.isEmpty()) {
            return value;
        }
        if (rest.startsWith("#") || rest.startsWith("%")) {
            boolean longest = rest.startsWith("##") || rest.startsWith("%%");
            Pattern p = globPattern(operand(rest.substring(longest ? 2 : 1)));
            return rest.startsWith("#") ? removePrefix(value, p, longest) : removeSuffix(value, p, longest);
        }
        if (rest.startsWith("/")) {
            boolean all = rest.startsWith("//");
            String body = rest.substring(all ? 2 : 1);
            int slash = -1;
            for (int i = 0; i < body.length(); i++) {
                if (body.charAt(i) == '\\') {
                    i++;
                } else if (body.charAt(i) == '/') {
                    slash = i;
                    break;
                }
            }
            String pattern = operand(slash < 0 ? body : body.substring(0, slash));
            String replacement = slash < 0 ? "" : operand(body.substring(slash + 1));
            return replace(value, globPattern(pattern), replacement, all);
        }
        boolean colon = rest.startsWith(":");
        if (colon && rest.length() > 1 && "-=+?".indexOf(rest.charAt(1)) < 0) {
            return substring(value, rest.substring(1));
        }
        String op = colon ? rest.substring(1, Math.min(2, rest.length())) : rest.substring(0, 1);
        String word = operand(rest.substring(colon ? 2 : 1));
        boolean unset = !set || (colon && value.isEmpty());
        return switch (op) {
            case "-" -> unset ? word : value;
            case "=" -> {
                if (unset) {
                    session.variables().put(name, word);
                    yield word;
                }
                yield value;
            }
            case "+" -> unset ? "" : word;
            default -> value;
        };
    }

    /** The word after an operator in {@code ${...}}: expanded, not split. */
    private String operand(String word) {
        return expandText(new ArrayList<>(), new Field(), word, true).text.toString();
    }

    /** A glob from the text of a {@code ${...}} operand; a backslash makes the next character plain. */
    private static Pattern globPattern(String glob) {
        StringBuilder text = new StringBuilder();
        BitSet mask = new BitSet();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '\\' && i + 1 < glob.length()) {
                text.append(glob.charAt(++i));
            } else {
                mask.set(text.length());
                text.append(c);
            }
        }
        try {
            return Pattern.compile(toRegex(text.toString(), mask), Pattern.DOTALL);
        } catch (java.util.regex.PatternSyntaxException e) {
            return Pattern.compile(Pattern.quote(text.toString()));
        }
    }

    private static String removePrefix(String value, Pattern p, boolean longest) {
        for (int i = longest ? value.length() : 0; longest ? i >= 0 : i <= value.length(); i += longest ? -1 : 1) {
            if (p.matcher(value.substring(0, i)).matches()) {
                return value.substring(i);
            }
        }
        return value;
    }

    private static String removeSuffix(String value, Pattern p, boolean longest) {
        for (int i = longest ? 0 : value.length(); longest ? i <= value.length() : i >= 0; i += longest ? 1 : -1) {
            if (p.matcher(value.substring(i)).matches()) {
                return value.substring(0, i);
            }
        }
        return value;
    }

    /** {@code ${VAR/pat/rep}}: the longest match at the leftmost place; every one with {@code //}. */
    private static String replace(String value, Pattern p, String replacement, boolean all) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        boolean done = false;
        while (i <= value.length()) {
            int end = -1;
            if (!done) {
                for (int j = value.length(); j > i; j--) {
                    if (p.matcher(value.substring(i, j)).matches()) {
                        end = j;
                        break;
                    }
                }
            }
            if (end > 0) {
                sb.append(replacement);
                i = end;
                done = !all;
                continue;
            }
            if (i < value.length()) {
                sb.append(value.charAt(i));
            }
            i++;
        }
        return sb.toString();
    }

    /** {@code ${VAR:offset}} and {@code ${VAR:offset:length}}, negative values counting from the end. */
    private String substring(String value, String spec) {
        String[] parts = spec.split(":", 2);
        long offset;
        long length;
        try {
            offset = Arithmetic.evaluate(parts[0], session.variables());
            length = parts.length > 1 ? Arithmetic.evaluate(parts[1], session.variables()) : Long.MAX_VALUE;
        } catch (Arithmetic.ArithmeticError e) {
            throw new ExpansionError(e.getMessage());
        }
        int n = value.length();
        int from = (int) (offset < 0 ? Math.max(0, n + offset) : Math.min(n, offset));
        if (length < 0) {
            int to = (int) (n + length);
            if (to < from) {
                throw new ExpansionError(parts[1].strip() + ": substring expression < 0");
            }
            return value.substring(from, to);
        }
        return value.substring(from, (int) Math.min(n, from + Math.min(length, Integer.MAX_VALUE)));
    }

    private static boolean isDynamic(String name) {
        return switch (name) {
            case "LINENO", "UID", "EUID", "BASH", "BASH_VERSION", "RANDOM", "SECONDS" -> true;
            default -> false;
        };
    }

    // ------------------------------------------------------------------ pathname expansion

    private List<String> glob(Field f) {
        String text = f.text.toString();
        boolean hasPattern = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (f.pattern.get(i) && (c == '*' || c == '?' || c == '[')) {
                hasPattern = true;
                break;
            }
        }
        if (!hasPattern) {
            return List.of(text);
        }
        List<String> parts = new ArrayList<>();
        List<BitSet> masks = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == '/') {
                parts.add(text.substring(start, i));
                masks.add(f.pattern.get(start, Math.max(start, i)));
                start = i + 1;
            }
        }
        List<String> matches = new ArrayList<>();
        boolean absolute = text.startsWith("/");
        walk(absolute ? "/" : "", parts, masks, absolute ? 1 : 0, matches);
        if (matches.isEmpty()) {
            return List.of(text);
        }
        matches.sort(null);
        return matches;
    }

    private void walk(String prefix, List<String> parts, List<BitSet> masks, int index, List<String> out) {
        if (index == parts.size()) {
            out.add(prefix.endsWith("/") && prefix.length() > 1 ? prefix.substring(0, prefix.length() - 1) : prefix);
            return;
        }
        String part = parts.get(index);
        BitSet mask = masks.get(index);
        boolean last = index == parts.size() - 1;
        String dir = prefix.isEmpty() ? "." : prefix;
        if (!isPattern(part, mask)) {
            String next = prefix + part;
            if (last ? session.vfs().exists(next) : session.vfs().isDirectory(next) || part.isEmpty()) {
                walk(last ? next : next + "/", parts, masks, index + 1, out);
            }
            return;
        }
        List<String> names;
        try {
            names = session.vfs().list(dir);
        } catch (VirtualFs.FsException e) {
            return;
        }
        Pattern p;
        try {
            p = Pattern.compile(toRegex(part, mask));
        } catch (java.util.regex.PatternSyntaxException e) {
            // a bracket expression Java cannot take: it matches nothing, the word stays as written
            return;
        }
        for (String name : names) {
            if (name.startsWith(".") && !part.startsWith(".")) {
                continue;
            }
            if (p.matcher(name).matches()) {
                String next = prefix + name;
                if (!last && !session.vfs().isDirectory(next)) {
                    continue;
                }
                walk(last ? next : next + "/", parts, masks, index + 1, out);
            }
        }
    }

    private static boolean isPattern(String part, BitSet mask) {
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            if (mask.get(i) && (c == '*' || c == '?' || c == '[')) {
                return true;
            }
        }
        return false;
    }

    private static String toRegex(String part, BitSet mask) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            if (!mask.get(i)) {
                sb.append(Pattern.quote(String.valueOf(c)));
            } else if (c == '*') {
                sb.append(".*");
            } else if (c == '?') {
                sb.append('.');
            } else if (c == '[') {
                int close = part.indexOf(']', i + 2);
                if (close < 0) {
                    sb.append("\\[");
                    continue;
                }
                String set = part.substring(i + 1, close);
                if (set.startsWith("!") || set.startsWith("^")) {
                    set = "^" + set.substring(1);
                }
                sb.append('[').append(set.replace("\\", "\\\\").replace("[", "\\[")).append(']');
                i = close;
            } else {
                sb.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return sb.toString();
    }
}
