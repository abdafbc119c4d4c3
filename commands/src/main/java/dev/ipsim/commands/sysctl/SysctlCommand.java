package dev.ipsim.commands.sysctl;

import dev.ipsim.commands.Command;
import dev.ipsim.commands.Invocation;
import dev.ipsim.kernel.KernelException;
import dev.ipsim.kernel.sysctl.SysctlTable;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * procps-ng {@code sysctl} 4.0.2 ({@code src/sysctl.c}) over the namespace's
 * {@code /proc/sys/net}: {@code ReadSetting}, {@code DisplayAll}, {@code WriteSetting} and the
 * command-line parsing of {@code main}, with {@code getopt_long}'s argument permutation.
 */
public final class SysctlCommand implements Command {

    static final String USAGE = """

            Usage:
             sysctl [options] [variable[=value] ...]

            Options:
              -a, --all            display all variables
              -A                   alias of -a
              -X                   alias of -a
                  --deprecated     include deprecated parameters to listing
                  --dry-run        Print the key and values but do not write
              -b, --binary         print value without new line
              -e, --ignore         ignore unknown variables errors
              -N, --names          print variable names without values
              -n, --values         print only values of the given variable(s)
              -p, --load[=<file>]  read values from file
              -f                   alias of -p
                  --system         read values from all system directories
              -r, --pattern <expression>
                                   select setting that match expression
              -q, --quiet          do not echo variable set
              -w, --write          enable writing a value to variable
              -o                   does nothing
              -x                   does nothing
              -d                   alias of -h

             -h, --help     display this help and exit
             -V, --version  output version information and exit

            For more details see sysctl(8).
            """;

    private static final String VERSION = "sysctl from procps-ng 4.0.2\n";
    private static final String PROC_PATH = "/proc/sys/";
    private static final String DEFAULT_PRELOAD = "/etc/sysctl.conf";
    /** Keys {@code -a} leaves out unless {@code --deprecated} is given. */
    private static final List<String> DEPRECATED = List.of("base_reachable_time", "retrans_time");

    private static final List<String> LONG_OPTIONS = List.of("all", "deprecated", "dry-run", "binary", "ignore",
            "names", "values", "load", "quiet", "write", "system", "pattern", "help", "version");

    /** One run: the options and streams {@code ReadSetting}/{@code WriteSetting} consult. */
    private static final class Run {
        final PrintStream out;
        final PrintStream err;
        final SysctlTable table;
        boolean printName = true;
        boolean printNewline = true;
        boolean ignoreError;
        boolean nameOnly;
        boolean quiet;
        boolean ignoreDeprecated = true;
        boolean dryRun;
        Pattern pattern;

        Run(Invocation inv) {
            out = inv.out();
            err = inv.err();
            table = inv.context().netns().sysctls();
        }
    }

    @Override
    public int run(Invocation inv) {
        Run r = new Run(inv);
        List<String> args = inv.args();
        if (args.isEmpty()) {
            return usage(r, r.err);
        }
        boolean write = false;
        boolean all = false;
        boolean preload = false;
        boolean system = false;
        String preloadFile = null;
        List<String> operands = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--")) {
                operands.addAll(args.subList(i + 1, args.size()));
                break;
            }
            if (!a.startsWith("-") || a.equals("-")) {
                operands.add(a);
                continue;
            }
            if (a.startsWith("--")) {
                String name = a.substring(2);
                String value = null;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                }
                String match = longOption(name);
                if (match == null) {
                    r.err.print("sysctl: unrecognized option '" + a + "'\n");
                    return usage(r, r.out);
                }
                switch (match) {
                    case "all" -> all = true;
                    case "deprecated" -> r.ignoreDeprecated = false;
                    case "dry-run" -> r.dryRun = true;
                    case "binary" -> {
                        r.printNewline = false;
                        r.printName = false;
                    }
                    case "ignore" -> r.ignoreError = true;
                    case "names" -> r.nameOnly = true;
                    case "values" -> r.printName = false;
                    case "load" -> {
                        preload = true;
                        preloadFile = value;
                    }
                    case "quiet" -> r.quiet = true;
                    case "write" -> write = true;
                    case "system" -> {
                        r.ignoreError = true;
                        system = true;
                    }
                    case "pattern" -> {
                        if (value == null) {
                            if (i + 1 >= args.size()) {
                                r.err.print("sysctl: option '--pattern' requires an argument\n");
                                return usage(r, r.out);
                            }
                            value = args.get(++i);
                        }
                        r.pattern = compile(value);
                    }
                    case "help" -> {
                        return usage(r, r.out);
                    }
                    case "version" -> {
                        r.out.print(VERSION);
                        return 0;
                    }
                    default -> throw new IllegalStateException(match);
                }
                continue;
            }
            for (int k = 1; k < a.length(); k++) {
                char c = a.charAt(k);
                switch (c) {
                    case 'b' -> {
                        r.printNewline = false;
                        r.printName = false;
                    }
                    case 'n' -> r.printName = false;
                    case 'e' -> r.ignoreError = true;
                    case 'N' -> r.nameOnly = true;
                    case 'w' -> write = true;
                    case 'f', 'p' -> {
                        preload = true;
                        // p:: takes its argument only when attached
                        if (c == 'p' && k + 1 < a.length()) {
                            preloadFile = a.substring(k + 1);
                            k = a.length();
                        }
                    }
                    case 'q' -> r.quiet = true;
                    case 'o', 'x' -> {
                    }
                    case 'a', 'A', 'X' -> all = true;
                    case 'r' -> {
                        String value;
                        if (k + 1 < a.length()) {
                            value = a.substring(k + 1);
                        } else if (i + 1 < args.size()) {
                            value = args.get(++i);
                        } else {
                            r.err.print("sysctl: option requires an argument -- 'r'\n");
                            return usage(r, r.out);
                        }
                        r.pattern = compile(value);
                        k = a.length();
                    }
                    case 'V' -> {
                        r.out.print(VERSION);
                        return 0;
                    }
                    case 'd', 'h' -> {
                        return usage(r, r.out);
                    }
                    default -> {
                        r.err.print("sysctl: invalid option -- '" + c + "'\n");
                        return usage(r, r.out);
                    }
                }
            }
        }
        if (all) {
            return displayAll(r, "");
        }
        if (preload) {
            int rc = 0;
            List<String[]> settings = new ArrayList<>();
            if (preloadFile == null) {
                if (operands.isEmpty()) {
                    rc |= preload(inv, r, DEFAULT_PRELOAD, settings);
                }
            } else {
                rc |= preload(inv, r, preloadFile, settings);
            }
            for (String f : operands) {
                rc |= preload(inv, r, f, settings);
            }
            for (String[] s : settings) {
                rc |= writeSetting(r, s[0], s[1]);
            }
            return rc;
        }
        if (system) {
            // no sysctl.d directory and no /etc/sysctl.conf exist in the sandbox
            if (operands.isEmpty()) {
                return 0;
            }
        }
        if (operands.isEmpty()) {
            r.err.print("sysctl: no variables specified\nTry `sysctl --help' for more information.\n");
            return 1;
        }
        if (r.nameOnly && r.quiet) {
            r.err.print("sysctl: options -N and -q cannot coexist\nTry `sysctl --help' for more information.\n");
            return 1;
        }
        int rc = 0;
        for (String a : operands) {
            if (write || a.indexOf('=') >= 0) {
                String[] s = parseSettingLine(r, "command line", 0, a);
                rc |= s == null ? 1 : writeSetting(r, s[0], s[1]);
            } else {
                rc += readSetting(r, a);
            }
        }
        return rc;
    }

    private static String longOption(String name) {
        String match = null;
        for (String o : LONG_OPTIONS) {
            if (o.equals(name)) {
                return o;
            }
            if (!name.isEmpty() && o.startsWith(name)) {
                if (match != null) {
                    return null;
                }
                match = o;
            }
        }
        return match;
    }

    /** {@code regcomp(REG_EXTENDED)}; a pattern that does not compile matches nothing. */
    private static Pattern compile(String regex) {
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            return Pattern.compile("(?!)");
        }
    }

    private static boolean patternMatches(Run r, String name) {
        return r.pattern == null || r.pattern.matcher(name).find();
    }

    /** {@code Usage()}: exit 1 to standard error, 0 to standard output. */
    private static int usage(Run r, PrintStream to) {
        to.print(USAGE);
        return to == r.err ? 1 : 0;
    }

    /**
     * {@code slashdot}: swaps the separators after the first one found, unless the key already
     * uses {@code replacement}; warns (once) about a separator followed by another.
     */
    private static String slashdot(Run r, String key, char old, char replacement) {
        int first = indexOfSeparator(key, 0);
        if (first < 0 || key.charAt(first) == replacement) {
            return key;
        }
        StringBuilder sb = new StringBuilder(key);
        boolean warned = false;
        for (int p = first; p >= 0; p = indexOfSeparator(key, p + 1)) {
            char c = key.charAt(p);
            if (!warned && p + 1 < key.length() && (key.charAt(p + 1) == '/' || key.charAt(p + 1) == '.')) {
                r.err.print("sysctl: separators should not be repeated: " + sb.substring(p) + "\n");
                warned = true;
            }
            if (c == old) {
                sb.setCharAt(p, replacement);
            } else if (c == replacement) {
                sb.setCharAt(p, old);
            }
        }
        return sb.toString();
    }

    private static int indexOfSeparator(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            if (s.charAt(i) == '/' || s.charAt(i) == '.') {
                return i;
            }
        }
        return -1;
    }

    /**
     * {@code is_proc_path}: the path, resolved, must lie below /proc/sys ("." and ".." in a key
     * lead to /proc/sys itself or above it). Warnings flush standard output first, as the
     * recordings show.
     */
    private static boolean isProcPath(Run r, String tmpname) {
        java.util.ArrayDeque<String> parts = new java.util.ArrayDeque<>();
        boolean outside = false;
        for (String part : tmpname.substring(PROC_PATH.length()).split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (parts.pollLast() == null) {
                    outside = true;
                }
            } else {
                parts.addLast(part);
            }
        }
        if (outside || parts.isEmpty()) {
            r.out.flush();
            r.err.print("sysctl: Path is not under " + PROC_PATH + ": " + tmpname + "\n");
            return false;
        }
        return true;
    }

    /** A path under /proc/sys as the kernel resolves it: empty components vanish. */
    private static String resolve(String relative) {
        StringBuilder sb = new StringBuilder();
        for (String part : relative.split("/")) {
            if (part.isEmpty()) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append('/');
            }
            sb.append(part);
        }
        return sb.toString();
    }

    /** {@code ReadSetting}. */
    private static int readSetting(Run r, String name) {
        if (name.isEmpty()) {
            r.err.print("sysctl: \"\" is an unknown key\n");
            return -1;
        }
        String tmpname = PROC_PATH + slashdot(r, name, '.', '/');
        if (!isProcPath(r, tmpname)) {
            return -1;
        }
        String outname = slashdot(r, name, '/', '.');
        String path = resolve(tmpname.substring(PROC_PATH.length()));
        SysctlTable.Entry e = r.table.entry(path);
        boolean dir = e == null && r.table.isDirectory(path) && (path.equals("net") || path.startsWith("net/"));
        if (e == null && !dir) {
            if (!r.ignoreError) {
                r.out.flush();
                r.err.print("sysctl: cannot stat " + tmpname + ": No such file or directory\n");
                return 1;
            }
            return 0;
        }
        if (dir) {
            return displayAll(r, path);
        }
        if ((e.mode() & 0400) == 0) {
            return 0;
        }
        if (!patternMatches(r, outname)) {
            return 0;
        }
        if (r.nameOnly) {
            r.out.print(outname + "\n");
            return 0;
        }
        if (!e.readable()) {
            // a file that fails reads with EIO (stable_secret before it is set): no message
            return 1;
        }
        String value = e.value();
        if (r.printName) {
            r.out.print(outname + " = " + value + "\n");
        } else {
            r.out.print(r.printNewline ? value + "\n" : value);
        }
        return 0;
    }

    /** {@code DisplayAll}: the tree under {@code path}, depth first, entries in name order. */
    private static int displayAll(Run r, String path) {
        int rc = 0;
        List<String> names = path.isEmpty() ? List.of("net") : r.table.list(path);
        for (String n : names) {
            if (r.ignoreDeprecated && DEPRECATED.contains(n)) {
                continue;
            }
            String child = path.isEmpty() ? n : path + "/" + n;
            if (r.table.entry(child) == null) {
                rc |= displayAll(r, child);
            } else {
                rc |= readSetting(r, child);
            }
        }
        return rc;
    }

    /** {@code parse_setting_line}: {@code key=value}, trimmed; a leading '-' ignores failures. */
    private static String[] parseSettingLine(Run r, String source, int line, String text) {
        String key = text.stripLeading();
        if (key.length() < 2 || key.startsWith("#") || key.startsWith(";")) {
            return null;
        }
        if (r.pattern != null && !patternMatches(r, key)) {
            return null;
        }
        int eq = key.indexOf('=');
        if (eq < 0) {
            if (key.startsWith("-")) {
                return null; // a glob exclusion: nothing to write
            }
            r.err.print("sysctl: " + source + "(" + line + "): invalid syntax, continuing...\n");
            return null;
        }
        String value = key.substring(eq + 1).strip();
        key = key.substring(0, eq).stripTrailing();
        if (key.startsWith("-")) {
            key = key.substring(1);
        }
        return new String[] {key, value};
    }

    /** {@code WriteSetting}. */
    private static int writeSetting(Run r, String key, String value) {
        String tmpname = PROC_PATH + slashdot(r, key, '.', '/');
        if (!isProcPath(r, tmpname)) {
            return 1;
        }
        String path = resolve(tmpname.substring(PROC_PATH.length()));
        SysctlTable.Entry e = r.table.entry(path);
        boolean dir = e == null && r.table.isDirectory(path) && path.startsWith("net");
        if (e == null && !dir) {
            if (!r.ignoreError) {
                r.out.flush();
                r.err.print("sysctl: cannot stat " + tmpname + ": No such file or directory\n");
                return 1;
            }
            return 0;
        }
        String dotted = slashdot(r, tmpname.substring(PROC_PATH.length()), '/', '.');
        if (dir || !e.writable()) {
            // 4.0.2 reports a read-only key with whatever errno was left behind, and carries on
            r.err.print("sysctl: setting key \"" + dotted + "\": Invalid argument\n");
            return 0;
        }
        if (!r.dryRun) {
            try {
                r.table.write(path, value + "\n");
            } catch (KernelException ex) {
                r.err.print("sysctl: setting key \"" + dotted + "\": " + ex.errno().text() + "\n");
                return 1;
            }
        }
        if (!r.quiet || r.dryRun) {
            if (r.nameOnly) {
                r.out.print(dotted + "\n");
            } else if (r.printName) {
                r.out.print(dotted + " = " + value + "\n");
            } else {
                r.out.print(r.printNewline ? value + "\n" : value);
            }
        }
        return 0;
    }

    /** {@code Preload}: the settings of a file, queued for writing. */
    private static int preload(Invocation inv, Run r, String file, List<String[]> settings) {
        String text;
        try {
            text = inv.context().readFile(file);
        } catch (KernelException e) {
            r.err.print("sysctl: cannot open \"" + file + "\": " + e.errno().text() + "\n");
            return 1;
        }
        int n = 0;
        for (String line : text.split("\n", -1)) {
            n++;
            if (line.length() + 1 < 2) {
                continue;
            }
            String[] s = parseSettingLine(r, file, n, line);
            if (s != null) {
                settings.add(s);
            }
        }
        return 0;
    }

}
