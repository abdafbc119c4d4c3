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
 * A small GNU {@code grep}: {@code -v -i -c -n -w -x -o -q -s -h -H -E -F -e PATTERN}, basic
 * regular expressions (translated to Java's) or extended ones, over standard input or the
 * sandbox's files (names before the lines when there are several).
 */
final class Grep {

    private static final String USAGE = "Usage: grep [OPTION]... PATTERNS [FILE]...\n"
            + "Try 'grep --help' for more information.\n";

    private Grep() {
    }

    static int run(ShellSession session, Invocation inv) {
        GnuOptions.Result r = new GnuOptions("grep", "vicnwxoqsEFGhHe:")
                .longOption("invert-match", 'v').longOption("ignore-case", 'i').longOption("count", 'c')
                .longOption("line-number", 'n').longOption("word-regexp", 'w').longOption("line-regexp", 'x')
                .longOption("only-matching", 'o').longOption("quiet", 'q').longOption("silent", 'q')
                .longOption("no-messages", 's').longOption("extended-regexp", 'E').longOption("fixed-strings", 'F')
                .longOption("basic-regexp", 'G').longOption("regexp", 'e', true)
                .longOption("no-filename", 'h').longOption("with-filename", 'H')
                .parse(inv.args());
        if (r.error() != null) {
            inv.err().print(r.error() + USAGE);
            return 2;
        }
        boolean invert = r.has('v');
        boolean count = r.has('c');
        boolean number = r.has('n');
        boolean only = r.has('o');
        boolean quiet = r.has('q');
        boolean fixed = false;
        boolean extended = false;
        List<String> patterns = new ArrayList<>();
        for (GnuOptions.Option o : r.options()) {
            switch (o.key()) {
                case 'E' -> {
                    extended = true;
                    fixed = false;
                }
                case 'F' -> fixed = true;
                case 'G' -> {
                    extended = false;
                    fixed = false;
                }
                case 'e' -> patterns.add(o.value());
                default -> {
                }
            }
        }
        List<String> operands = new ArrayList<>(r.operands());
        if (patterns.isEmpty()) {
            if (operands.isEmpty()) {
                inv.err().print(USAGE);
                return 2;
            }
            patterns.add(operands.remove(0));
        }
        StringBuilder alternatives = new StringBuilder();
        for (String p : String.join("\n", patterns).split("\n", -1)) {
            if (alternatives.length() > 0) {
                alternatives.append('|');
            }
            String regex = fixed ? Pattern.quote(p) : extended ? p : basicToJava(p);
            if (r.has('w')) {
                regex = "(?<![\\w])(?:" + regex + ")(?![\\w])";
            }
            if (r.has('x')) {
                regex = "^(?:" + regex + ")$";
            }
            alternatives.append("(?:").append(regex).append(')');
        }
        Pattern pattern;
        try {
            pattern = Pattern.compile(alternatives.toString(), r.has('i') ? Pattern.CASE_INSENSITIVE : 0);
        } catch (PatternSyntaxException e) {
            inv.err().print("grep: Invalid regular expression\n");
            return 2;
        }
        List<String> files = operands.isEmpty() ? List.of("-") : operands;
        boolean names = files.size() > 1 && !r.has('h') || r.has('H');
        int matchedFiles = 0;
        boolean trouble = false;
        for (String file : files) {
            java.io.InputStream in;
            if (file.equals("-")) {
                in = inv.in();
            } else {
                try {
                    in = new java.io.ByteArrayInputStream(session.vfs().read(file).getBytes(StandardCharsets.UTF_8));
                } catch (VirtualFs.FsException e) {
                    if (!r.has('s')) {
                        inv.out().flush();
                        inv.err().print("grep: " + file + ": " + e.errno().text() + "\n");
                    }
                    trouble = true;
                    continue;
                }
            }
            String label = names ? (file.equals("-") ? "(standard input)" : file) : null;
            int matched = search(inv, in, pattern, label, invert, count, number, only, quiet);
            if (matched < 0) {
                return 2;
            }
            if (matched > 0) {
                matchedFiles++;
                if (quiet) {
                    return 0;
                }
            }
        }
        if (trouble && !quiet) {
            return 2;
        }
        return matchedFiles > 0 ? 0 : trouble ? 2 : 1;
    }

    /** One input, line by line, each match out as soon as it is found; the number of lines matched. */
    private static int search(Invocation inv, java.io.InputStream in, Pattern pattern, String label, boolean invert,
                              boolean count, boolean number, boolean only, boolean quiet) {
        java.io.BufferedReader reader = new java.io.BufferedReader(
                new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
        int matched = 0;
        int lineNo = 0;
        String name = label == null ? "" : label + ":";
        StringBuilder out = new StringBuilder();
        while (true) {
            String line;
            try {
                line = reader.readLine();
            } catch (IOException e) {
                return -1;
            }
            if (line == null) {
                break;
            }
            lineNo++;
            Matcher m = pattern.matcher(line);
            boolean found = m.find();
            if (found == invert) {
                continue;
            }
            matched++;
            if (quiet) {
                return matched;
            }
            if (count) {
                continue;
            }
            String prefix = name + (number ? lineNo + ":" : "");
            if (only && !invert) {
                m.reset();
                while (m.find()) {
                    if (!m.group().isEmpty()) {
                        out.append(prefix).append(m.group()).append('\n');
                    }
                }
            } else {
                out.append(prefix).append(line).append('\n');
            }
            inv.out().print(out);
            out.setLength(0);
        }
        if (count) {
            inv.out().print(name + matched + "\n");
        }
        return matched;
    }

    /** POSIX basic regular expression to Java: {@code \( \) \{ \} \| \+ \?} are the operators. */
    static String basicToJava(String bre) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < bre.length(); i++) {
            char c = bre.charAt(i);
            if (c == '\\' && i + 1 < bre.length()) {
                char n = bre.charAt(++i);
                switch (n) {
                    case '(', ')', '{', '}', '|', '+', '?' -> sb.append(n);
                    default -> sb.append('\\').append(n);
                }
            } else if ("(){}|+?".indexOf(c) >= 0) {
                sb.append('\\').append(c);
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
