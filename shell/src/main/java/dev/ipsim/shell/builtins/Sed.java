package dev.ipsim.shell.builtins;

import dev.ipsim.commands.Invocation;
import dev.ipsim.shell.ShellSession;
import dev.ipsim.shell.vfs.VirtualFs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * GNU sed 4.9's everyday part: {@code -n -e -E/-r -i -s}, addresses (a line number, {@code $},
 * {@code /RE/}, ranges, {@code !}), and the commands {@code s} (flags {@code g p I N}, {@code &}
 * and {@code \1}..{@code \9}), {@code d p q Q = y a i c n}, and blocks in braces, over files or
 * standard input, with sed's messages for a script it cannot read.
 */
final class Sed {

    private Sed() {
    }

    /** A script error: sed's text after "sed: -e expression #N, char M: ". */
    private static final class ScriptError extends Exception {
        final int at;

        ScriptError(int at, String message) {
            super(message);
            this.at = at;
        }
    }

    private sealed interface Address permits Line, Last, Regex {
    }

    private record Line(long n) implements Address {
    }

    private record Last() implements Address {
    }

    private record Regex(Pattern p) implements Address {
    }

    private static final class Cmd {
        Address a1;
        Address a2;
        boolean negate;
        char name;
        Pattern regex;
        String replacement;
        boolean global;
        boolean print;
        int occurrence = 1;
        String text;
        int exit;
        String from;
        String to;
        List<Cmd> block;
        // a range's state
        boolean inRange;
        long rangeEnd = -1;
    }

    private static final class Parser {
        final String s;
        final boolean extended;
        int i;

        Parser(String s, boolean extended) {
            this.s = s;
            this.extended = extended;
        }

        List<Cmd> commands(boolean inBlock) throws ScriptError {
            List<Cmd> out = new ArrayList<>();
            while (true) {
                skip(" \t\n;");
                if (i >= s.length()) {
                    if (inBlock) {
                        throw new ScriptError(i, "unmatched `{'");
                    }
                    return out;
                }
                if (s.charAt(i) == '}') {
                    if (!inBlock) {
                        throw new ScriptError(i + 1, "unexpected `}'");
                    }
                    i++;
                    return out;
                }
                out.add(command());
            }
        }

        void skip(String chars) {
            while (i < s.length() && chars.indexOf(s.charAt(i)) >= 0) {
                i++;
            }
        }

        Address address() throws ScriptError {
            if (i >= s.length()) {
                return null;
            }
            char c = s.charAt(i);
            if (Character.isDigit(c)) {
                int start = i;
                while (i < s.length() && Character.isDigit(s.charAt(i))) {
                    i++;
                }
                return new Line(Long.parseLong(s.substring(start, i)));
            }
            if (c == '$') {
                i++;
                return new Last();
            }
            if (c == '/' || c == '\\') {
                char delim = '/';
                if (c == '\\') {
                    i++;
                    delim = s.charAt(i);
                }
                i++;
                String re = delimited(delim, "unterminated address regex");
                boolean ci = false;
                if (i < s.length() && (s.charAt(i) == 'I')) {
                    ci = true;
                    i++;
                }
                return new Regex(compile(re, ci));
            }
            return null;
        }

        Pattern compile(String re, boolean ci) throws ScriptError {
            try {
                return Pattern.compile(PosixRegex.toJava(re, extended), ci ? Pattern.CASE_INSENSITIVE : 0);
            } catch (PatternSyntaxException e) {
                throw new ScriptError(i, "Invalid regular expression");
            }
        }

        String delimited(char delim, String unterminated) throws ScriptError {
            StringBuilder sb = new StringBuilder();
            while (i < s.length()) {
                char c = s.charAt(i);
                if (c == '\\' && i + 1 < s.length()) {
                    char n = s.charAt(i + 1);
                    if (n == delim) {
                        sb.append(delim);
                    } else if (n == 'n') {
                        sb.append('\n');
                    } else {
                        sb.append(c).append(n);
                    }
                    i += 2;
                    continue;
                }
                if (c == delim) {
                    i++;
                    return sb.toString();
                }
                if (c == '\n') {
                    break;
                }
                sb.append(c);
                i++;
            }
            throw new ScriptError(s.length(), unterminated);
        }

        Cmd command() throws ScriptError {
            Cmd c = new Cmd();
            c.a1 = address();
            if (c.a1 != null && i < s.length() && s.charAt(i) == ',') {
                i++;
                c.a2 = address();
                if (c.a2 == null) {
                    throw new ScriptError(i, "unexpected `,'");
                }
            }
            skip(" \t");
            if (i < s.length() && s.charAt(i) == '!') {
                c.negate = true;
                i++;
                skip(" \t");
            }
            if (i >= s.length()) {
                throw new ScriptError(i, "missing command");
            }
            c.name = s.charAt(i++);
            switch (c.name) {
                case 's' -> {
                    if (i >= s.length()) {
                        throw new ScriptError(i, "unterminated `s' command");
                    }
                    char delim = s.charAt(i++);
                    String re = delimited(delim, "unterminated `s' command");
                    c.replacement = delimited(delim, "unterminated `s' command");
                    boolean ci = false;
                    while (i < s.length() && "gpIi0123456789".indexOf(s.charAt(i)) >= 0) {
                        char f = s.charAt(i);
                        if (f == 'g') {
                            c.global = true;
                            i++;
                        } else if (f == 'p') {
                            c.print = true;
                            i++;
                        } else if (f == 'I' || f == 'i') {
                            ci = true;
                            i++;
                        } else {
                            int start = i;
                            while (i < s.length() && Character.isDigit(s.charAt(i))) {
                                i++;
                            }
                            c.occurrence = Integer.parseInt(s.substring(start, i));
                            if (c.occurrence == 0) {
                                throw new ScriptError(i, "number option to `s' command may not be zero");
                            }
                        }
                    }
                    c.regex = compile(re, ci);
                    end();
                }
                case 'y' -> {
                    char delim = s.charAt(i++);
                    c.from = delimited(delim, "unterminated `y' command");
                    c.to = delimited(delim, "unterminated `y' command");
                    if (c.from.length() != c.to.length()) {
                        throw new ScriptError(i, "strings for `y' command are different lengths");
                    }
                    end();
                }
                case 'd', 'p', '=', 'n', 'D', 'P', 'N', 'g', 'G', 'h', 'H', 'x' -> end();
                case 'q', 'Q' -> {
                    skip(" \t");
                    int start = i;
                    while (i < s.length() && Character.isDigit(s.charAt(i))) {
                        i++;
                    }
                    c.exit = start == i ? 0 : Integer.parseInt(s.substring(start, i));
                    end();
                }
                case 'a', 'i', 'c' -> {
                    if (i < s.length() && s.charAt(i) == '\\') {
                        i++;
                        if (i < s.length() && s.charAt(i) == '\n') {
                            i++;
                        }
                    }
                    skip(" \t");
                    int nl = s.indexOf('\n', i);
                    int stop = nl < 0 ? s.length() : nl;
                    String text = s.substring(i, stop);
                    if (text.isEmpty()) {
                        throw new ScriptError(i, "expected \\ after `a', `c' or `i'");
                    }
                    c.text = text.replace("\\t", "\t");
                    i = stop;
                }
                case '{' -> c.block = commands(true);
                case '#' -> {
                    int nl = s.indexOf('\n', i);
                    i = nl < 0 ? s.length() : nl;
                }
                default -> throw new ScriptError(i, "unknown command: `" + c.name + "'");
            }
            return c;
        }

        void end() throws ScriptError {
            skip(" \t");
            if (i < s.length() && ";\n}#".indexOf(s.charAt(i)) < 0) {
                throw new ScriptError(i + 1, "extra characters after command");
            }
        }
    }

    /** The run's state over all its input. */
    private static final class Run {
        final List<String> lines;
        int next;
        long lineNo;
        final StringBuilder out = new StringBuilder();
        final boolean quiet;
        String hold = "";
        boolean quit;
        int exit;
        boolean lastHadNewline;

        Run(List<String> lines, boolean quiet) {
            this.lines = lines;
            this.quiet = quiet;
        }

        boolean last() {
            return next >= lines.size();
        }
    }

    static int run(ShellSession session, Invocation inv) {
        GnuOptions.Result r = new GnuOptions("sed", "ne:Erisuz")
                .longOption("quiet", 'n').longOption("silent", 'n').longOption("expression", 'e', true)
                .longOption("regexp-extended", 'E').longOption("in-place", 'i').longOption("separate", 's')
                .longOption("debug", 'D').longOption("posix", 'P').longOption("null-data", 'z')
                .parse(inv.args());
        if (r.error() != null) {
            inv.err().print(r.error() + usage());
            return 1;
        }
        boolean extended = r.has('E') || r.has('r');
        List<String> scripts = new ArrayList<>();
        for (GnuOptions.Option o : r.options()) {
            if (o.key() == 'e') {
                scripts.add(o.value());
            }
        }
        List<String> operands = new ArrayList<>(r.operands());
        if (scripts.isEmpty()) {
            if (operands.isEmpty()) {
                inv.err().print(usage());
                return 1;
            }
            scripts.add(operands.remove(0));
        }
        List<Cmd> program = new ArrayList<>();
        for (int k = 0; k < scripts.size(); k++) {
            Parser p = new Parser(scripts.get(k), extended);
            try {
                program.addAll(p.commands(false));
            } catch (ScriptError e) {
                inv.err().print("sed: -e expression #" + (k + 1) + ", char " + e.at + ": " + e.getMessage() + "\n");
                return 1;
            }
        }
        boolean inPlace = r.has('i');
        List<String> files = operands.isEmpty() ? List.of("-") : operands;
        if (inPlace && operands.isEmpty()) {
            inv.err().print("sed: no input files\n");
            return 1;
        }
        int status = 0;
        List<String> all = new ArrayList<>();
        boolean endsWithNewline = true;
        for (String f : files) {
            String text;
            if (f.equals("-")) {
                try {
                    text = new String(inv.in().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    text = "";
                }
            } else {
                try {
                    text = session.vfs().read(f);
                } catch (VirtualFs.FsException e) {
                    inv.err().print("sed: can't read " + f + ": " + e.errno().text() + "\n");
                    status = 2;
                    continue;
                }
            }
            if (inPlace) {
                Run run = execute(program, split(text), r.has('n'), !text.isEmpty() && !text.endsWith("\n"));
                try {
                    session.vfs().replace(f, run.out.toString());
                } catch (VirtualFs.FsException e) {
                    inv.err().print("sed: couldn't edit " + f + ": " + e.errno().text() + "\n");
                    status = 4;
                }
                if (run.quit) {
                    return run.exit;
                }
                continue;
            }
            all.addAll(split(text));
            endsWithNewline = text.isEmpty() || text.endsWith("\n");
        }
        if (inPlace) {
            return status;
        }
        Run run = execute(program, all, r.has('n'), !endsWithNewline);
        inv.out().print(run.out);
        return run.quit ? run.exit : status;
    }

    private static List<String> split(String text) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int nl = text.indexOf('\n', start);
            lines.add(text.substring(start, nl < 0 ? text.length() : nl));
            start = nl < 0 ? text.length() : nl + 1;
        }
        return lines;
    }

    private static Run execute(List<Cmd> program, List<String> lines, boolean quiet, boolean noFinalNewline) {
        Run run = new Run(lines, quiet);
        while (!run.quit && run.next < lines.size()) {
            String space = lines.get(run.next++);
            run.lineNo++;
            Cycle cy = new Cycle(space);
            runCommands(program, run, cy);
            if (!cy.deleted && !quiet && !cy.quietQuit) {
                emit(run, cy.space, noFinalNewline);
            }
            if (cy.append.length() > 0) {
                run.out.append(cy.append);
            }
        }
        return run;
    }

    private static void emit(Run run, String text, boolean noFinalNewline) {
        run.out.append(text);
        if (!(noFinalNewline && run.last())) {
            run.out.append('\n');
        }
    }

    private static final class Cycle {
        String space;
        boolean deleted;
        boolean quietQuit;
        final StringBuilder append = new StringBuilder();

        Cycle(String space) {
            this.space = space;
        }
    }

    private static boolean matches(Address a, Run run, String space) {
        if (a instanceof Line l) {
            return run.lineNo == l.n();
        }
        if (a instanceof Last) {
            return run.last();
        }
        return ((Regex) a).p().matcher(space).find();
    }

    private static boolean selected(Cmd c, Run run, String space) {
        boolean sel;
        if (c.a1 == null) {
            sel = true;
        } else if (c.a2 == null) {
            sel = matches(c.a1, run, space);
        } else if (c.inRange) {
            if (c.a2 instanceof Line l) {
                sel = true;
                if (run.lineNo >= l.n()) {
                    c.inRange = false;
                }
                if (run.lineNo > l.n()) {
                    sel = true;
                    c.inRange = false;
                }
            } else {
                sel = true;
                if (matches(c.a2, run, space)) {
                    c.inRange = false;
                }
            }
        } else if (matches(c.a1, run, space)) {
            sel = true;
            c.inRange = !(c.a2 instanceof Line l && l.n() <= run.lineNo) && !(c.a2 instanceof Last && run.last());
        } else {
            sel = false;
        }
        return sel != c.negate;
    }

    /** Runs the commands; returns false when the cycle ends early (d, q, n at the end). */
    private static boolean runCommands(List<Cmd> program, Run run, Cycle cy) {
        for (Cmd c : program) {
            if (!selected(c, run, cy.space)) {
                continue;
            }
            switch (c.name) {
                case '{' -> {
                    if (!runCommands(c.block, run, cy)) {
                        return false;
                    }
                }
                case 's' -> {
                    String replaced = substitute(c, cy.space);
                    if (replaced != null) {
                        cy.space = replaced;
                        if (c.print) {
                            run.out.append(cy.space).append('\n');
                        }
                    }
                }
                case 'y' -> {
                    StringBuilder sb = new StringBuilder(cy.space);
                    for (int k = 0; k < sb.length(); k++) {
                        int idx = c.from.indexOf(sb.charAt(k));
                        if (idx >= 0) {
                            sb.setCharAt(k, c.to.charAt(idx));
                        }
                    }
                    cy.space = sb.toString();
                }
                case 'd' -> {
                    cy.deleted = true;
                    return false;
                }
                case 'p' -> run.out.append(cy.space).append('\n');
                case 'P' -> {
                    int nl = cy.space.indexOf('\n');
                    run.out.append(nl < 0 ? cy.space : cy.space.substring(0, nl)).append('\n');
                }
                case '=' -> run.out.append(run.lineNo).append('\n');
                case 'q' -> {
                    run.quit = true;
                    run.exit = c.exit;
                    return false;
                }
                case 'Q' -> {
                    run.quit = true;
                    run.exit = c.exit;
                    cy.quietQuit = true;
                    return false;
                }
                case 'a' -> cy.append.append(c.text).append('\n');
                case 'i' -> run.out.append(c.text).append('\n');
                case 'c' -> {
                    if (c.a2 == null || !c.inRange) {
                        run.out.append(c.text).append('\n');
                    }
                    cy.deleted = true;
                    return false;
                }
                case 'n' -> {
                    if (run.next >= run.lines.size()) {
                        return true;
                    }
                    if (!run.quiet) {
                        run.out.append(cy.space).append('\n');
                    }
                    cy.space = run.lines.get(run.next++);
                    run.lineNo++;
                }
                case 'N' -> {
                    if (run.next >= run.lines.size()) {
                        return true;
                    }
                    cy.space = cy.space + "\n" + run.lines.get(run.next++);
                    run.lineNo++;
                }
                case 'h' -> run.hold = cy.space;
                case 'H' -> run.hold = run.hold + "\n" + cy.space;
                case 'g' -> cy.space = run.hold;
                case 'G' -> cy.space = cy.space + "\n" + run.hold;
                case 'x' -> {
                    String t = run.hold;
                    run.hold = cy.space;
                    cy.space = t;
                }
                default -> {
                }
            }
        }
        return true;
    }

    private static String substitute(Cmd c, String space) {
        Matcher m = c.regex.matcher(space);
        StringBuilder sb = new StringBuilder();
        int last = 0;
        int count = 0;
        boolean any = false;
        int from = 0;
        int prevEnd = -1;
        while (from <= space.length() && m.find(from)) {
            if (m.start() == m.end() && m.start() == prevEnd) {
                // no empty match right after a match
                if (m.start() < space.length()) {
                    from = m.start() + 1;
                    continue;
                }
                break;
            }
            prevEnd = m.end();
            count++;
            if (count >= c.occurrence) {
                sb.append(space, last, m.start());
                sb.append(expand(c.replacement, m));
                last = m.end();
                any = true;
                if (!c.global) {
                    break;
                }
            }
            if (m.end() == m.start()) {
                if (m.end() < space.length() && count >= c.occurrence) {
                    sb.append(space.charAt(m.end()));
                    last = m.end() + 1;
                }
                from = m.end() + 1;
            } else {
                from = m.end();
            }
        }
        if (!any) {
            return null;
        }
        if (last < space.length()) {
            sb.append(space, last, space.length());
        }
        return sb.toString();
    }

    private static String expand(String replacement, Matcher m) {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < replacement.length(); k++) {
            char ch = replacement.charAt(k);
            if (ch == '\\' && k + 1 < replacement.length()) {
                char n = replacement.charAt(++k);
                if (Character.isDigit(n)) {
                    int g = n - '0';
                    if (g <= m.groupCount() && m.group(g) != null) {
                        sb.append(m.group(g));
                    }
                } else if (n == 'n') {
                    sb.append('\n');
                } else if (n == 't') {
                    sb.append('\t');
                } else {
                    sb.append(n);
                }
            } else if (ch == '&') {
                sb.append(m.group());
            } else {
                sb.append(ch);
            }
        }
        return sb.toString();
    }

    private static String usage() {
        return "Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...\n\n"
                + "  -n, --quiet, --silent\n"
                + "                 suppress automatic printing of pattern space\n"
                + "      --debug\n"
                + "                 annotate program execution\n"
                + "  -e script, --expression=script\n"
                + "                 add the script to the commands to be executed\n"
                + "  -f script-file, --file=script-file\n"
                + "                 add the contents of script-file to the commands to be executed\n"
                + "  --follow-symlinks\n"
                + "                 follow symlinks when processing in place\n"
                + "  -i[SUFFIX], --in-place[=SUFFIX]\n"
                + "                 edit files in place (makes backup if SUFFIX supplied)\n"
                + "  -l N, --line-length=N\n"
                + "                 specify the desired line-wrap length for the `l' command\n"
                + "  --posix\n"
                + "                 disable all GNU extensions.\n"
                + "  -E, -r, --regexp-extended\n"
                + "                 use extended regular expressions in the script\n"
                + "                 (for portability use POSIX -E).\n"
                + "  -s, --separate\n"
                + "                 consider files as separate rather than as a single\n"
                + "                 continuous long stream.\n"
                + "      --sandbox\n"
                + "                 operate in sandbox mode (disable e/r/w commands).\n"
                + "  -u, --unbuffered\n"
                + "                 load minimal amounts of data from the input files and flush\n"
                + "                 the output buffers more often\n"
                + "  -z, --null-data\n"
                + "                 separate lines by NUL characters\n"
                + "      --help     display this help and exit\n"
                + "      --version  output version information and exit\n\n"
                + "If no -e, --expression, -f, or --file option is given, then the first\n"
                + "non-option argument is taken as the sed script to interpret.  All\n"
                + "remaining arguments are names of input files; if no input files are\n"
                + "specified, then the standard input is read.\n\n"
                + "GNU sed home page: <https://www.gnu.org/software/sed/>.\n"
                + "General help using GNU software: <https://www.gnu.org/gethelp/>.\n";
    }
}
