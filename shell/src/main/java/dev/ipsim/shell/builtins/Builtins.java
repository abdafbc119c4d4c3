package dev.ipsim.shell.builtins;

import dev.ipsim.commands.Command;
import dev.ipsim.commands.Invocation;
import dev.ipsim.kernel.Errno;
import dev.ipsim.kernel.time.VirtualClock;
import dev.ipsim.shell.CommandTable;
import dev.ipsim.shell.ShellSession;
import dev.ipsim.shell.vfs.VirtualFs;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The shell's own commands, with the messages bash and coreutils print. They act on the
 * sandbox only: {@code cat} reads the virtual file system, {@code sleep} moves virtual time.
 */
public final class Builtins {

    private Builtins() {
    }

    public static void register(CommandTable table, ShellSession session) {
        table.builtin("echo", Builtins::echo, "print its arguments");
        table.builtin("true", inv -> 0, "do nothing, successfully");
        table.builtin("false", inv -> 1, "do nothing, unsuccessfully");
        table.builtin(":", inv -> 0, "do nothing, successfully");
        table.builtin("exit", inv -> exit(session, inv), "leave the shell");
        table.builtin("sleep", inv -> sleep(session, inv), "wait (virtual time in scripts)");
        table.builtin("cat", inv -> cat(session, inv), "print files of /proc/sys, /sys/class/net, /etc");
        table.builtin("ls", inv -> ls(session, inv), "list a directory of the virtual file system");
        table.builtin("sudo", inv -> sudo(session, inv), "run a command (you are root already)");
        table.builtin("help", inv -> help(session, inv), "list what ipsim understands");
        table.builtin("pwd", inv -> print(inv, session.variables().get("PWD")), "print the working directory");
        table.builtin("hostname", inv -> print(inv, session.hostname()), "print the host name");
        table.builtin("grep", inv -> grep(inv), "print lines that match a pattern");
        table.builtin("export", inv -> export(session, inv), "set shell variables");
    }

    private static int print(Invocation inv, String line) {
        inv.out().print(line + "\n");
        return 0;
    }

    /** bash's {@code echo}: {@code -n}, {@code -e}, {@code -E}, combined as bash accepts them. */
    static int echo(Invocation inv) {
        List<String> args = inv.args();
        boolean newline = true;
        boolean escapes = false;
        int i = 0;
        while (i < args.size() && args.get(i).matches("-[neE]+")) {
            for (char c : args.get(i).substring(1).toCharArray()) {
                if (c == 'n') {
                    newline = false;
                } else if (c == 'e') {
                    escapes = true;
                } else {
                    escapes = false;
                }
            }
            i++;
        }
        StringBuilder sb = new StringBuilder();
        for (int k = i; k < args.size(); k++) {
            if (k > i) {
                sb.append(' ');
            }
            String a = args.get(k);
            if (escapes) {
                int cut = a.indexOf("\\c");
                if (cut >= 0) {
                    sb.append(unescape(a.substring(0, cut)));
                    inv.out().print(sb);
                    return 0;
                }
                a = unescape(a);
            }
            sb.append(a);
        }
        if (newline) {
            sb.append('\n');
        }
        inv.out().print(sb);
        return 0;
    }

    private static String unescape(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 >= s.length()) {
                sb.append(c);
                continue;
            }
            char n = s.charAt(++i);
            switch (n) {
                case 'n' -> sb.append('\n');
                case 't' -> sb.append('\t');
                case 'r' -> sb.append('\r');
                case 'a' -> sb.append('\u0007');
                case 'b' -> sb.append('\b');
                case 'e', 'E' -> sb.append('\u001b');
                case 'f' -> sb.append('\f');
                case 'v' -> sb.append('\u000b');
                case '\\' -> sb.append('\\');
                default -> sb.append('\\').append(n);
            }
        }
        return sb.toString();
    }

    private static int exit(ShellSession session, Invocation inv) {
        int status = session.lastStatus();
        if (!inv.args().isEmpty()) {
            String a = inv.args().get(0);
            try {
                status = (int) (Long.parseLong(a) & 0xFF);
            } catch (NumberFormatException e) {
                session.diagnostic("exit: " + a + ": numeric argument required");
                status = 2;
            }
        }
        session.requestExit(status);
        return status;
    }

    /**
     * coreutils {@code sleep}: the sum of its arguments, each a number with an optional
     * {@code s}, {@code m}, {@code h} or {@code d} suffix. In the sandbox it moves virtual time,
     * so timers (ARP, DAD, captures) run as they would have.
     */
    private static int sleep(ShellSession session, Invocation inv) {
        if (inv.args().isEmpty()) {
            inv.err().print("sleep: missing operand\nTry 'sleep --help' for more information.\n");
            return 1;
        }
        BigDecimal total = BigDecimal.ZERO;
        for (String a : inv.args()) {
            BigDecimal unit = BigDecimal.ONE;
            String n = a;
            if (!a.isEmpty()) {
                char last = a.charAt(a.length() - 1);
                switch (last) {
                    case 's' -> n = a.substring(0, a.length() - 1);
                    case 'm' -> {
                        n = a.substring(0, a.length() - 1);
                        unit = BigDecimal.valueOf(60);
                    }
                    case 'h' -> {
                        n = a.substring(0, a.length() - 1);
                        unit = BigDecimal.valueOf(3600);
                    }
                    case 'd' -> {
                        n = a.substring(0, a.length() - 1);
                        unit = BigDecimal.valueOf(86400);
                    }
                    default -> {
                    }
                }
            }
            try {
                if (n.isEmpty() || n.startsWith("-") || n.startsWith("+")) {
                    throw new NumberFormatException();
                }
                total = total.add(new BigDecimal(n).multiply(unit));
            } catch (NumberFormatException e) {
                inv.err().print("sleep: invalid time interval '" + a + "'\n"
                        + "Try 'sleep --help' for more information.\n");
                return 1;
            }
        }
        long nanos = total.multiply(BigDecimal.valueOf(VirtualClock.NANOS_PER_SECOND)).min(
                BigDecimal.valueOf(Long.MAX_VALUE / 4)).longValue();
        inv.out().flush();
        session.kernel().advance(nanos);
        return 0;
    }

    /** coreutils {@code cat} over the virtual file system; with no files, standard input. */
    private static int cat(ShellSession session, Invocation inv) {
        List<String> files = new ArrayList<>();
        for (String a : inv.args()) {
            if (a.startsWith("-") && a.length() > 1) {
                continue;
            }
            files.add(a);
        }
        if (files.isEmpty()) {
            try {
                inv.out().write(inv.in().readAllBytes());
            } catch (IOException e) {
                return 1;
            }
            return 0;
        }
        int status = 0;
        for (String f : files) {
            try {
                inv.out().print(session.vfs().read(f));
            } catch (VirtualFs.FsException e) {
                inv.out().flush();
                inv.err().print("cat: " + f + ": " + e.errno().text() + "\n");
                status = 1;
            }
        }
        return status;
    }

    /** {@code ls}: one name a line when not at a terminal, columns at one. */
    private static int ls(ShellSession session, Invocation inv) {
        List<String> targets = new ArrayList<>();
        for (String a : inv.args()) {
            if (!a.startsWith("-")) {
                targets.add(a);
            }
        }
        if (targets.isEmpty()) {
            targets.add(".");
        }
        int status = 0;
        boolean many = targets.size() > 1;
        boolean first = true;
        for (String t : targets) {
            VirtualFs vfs = session.vfs();
            if (!vfs.isDirectory(t)) {
                if (vfs.exists(t)) {
                    inv.out().print(t + "\n");
                } else {
                    inv.out().flush();
                    inv.err().print("ls: cannot access '" + t + "': No such file or directory\n");
                    status = 2;
                }
                continue;
            }
            try {
                List<String> names = vfs.list(t);
                if (many) {
                    inv.out().print((first ? "" : "\n") + t + ":\n");
                }
                first = false;
                if (session.stdoutIsTerminal()) {
                    inv.out().print(columns(names));
                } else {
                    for (String n : names) {
                        inv.out().print(n + "\n");
                    }
                }
            } catch (VirtualFs.FsException e) {
                inv.err().print("ls: cannot open directory '" + t + "': " + e.errno().text() + "\n");
                status = 2;
            }
        }
        return status;
    }

    private static String columns(List<String> names) {
        if (names.isEmpty()) {
            return "";
        }
        return String.join("  ", names) + "\n";
    }

    /** {@code sudo CMD}: the sandbox user is root, so it just runs the command. */
    private static int sudo(ShellSession session, Invocation inv) {
        List<String> args = new ArrayList<>(inv.args());
        while (!args.isEmpty() && args.get(0).startsWith("-")) {
            String o = args.remove(0);
            if (o.equals("-u") && !args.isEmpty()) {
                args.remove(0);
            }
        }
        if (args.isEmpty()) {
            inv.err().print("usage: sudo -h | -K | -k | -V\n"
                    + "usage: sudo -v [-ABkNnS] [-g group] [-h host] [-p prompt] [-u user]\n"
                    + "usage: sudo -l [-ABkNnS] [-g group] [-h host] [-p prompt] [-U user] [-u user]\n"
                    + "            [command [arg ...]]\n"
                    + "usage: sudo [-ABbEHkNnPS] [-r role] [-t type] [-C num] [-D directory] [-g\n"
                    + "            group] [-h host] [-p prompt] [-R directory] [-T timeout] [-u user]\n"
                    + "            [VAR=value] [-i | -s] [command [arg ...]]\n"
                    + "usage: sudo -e [-ABkNnS] [-r role] [-t type] [-C num] [-D directory] [-g\n"
                    + "            group] [-h host] [-p prompt] [-R directory] [-T timeout] [-u user]\n"
                    + "            file ...\n");
            return 1;
        }
        Command c = session.commands().lookup(args.get(0));
        if (c == null) {
            inv.err().print("sudo: " + args.get(0) + ": command not found\n");
            return 1;
        }
        return c.run(inv.withArgv(args));
    }

    private static int help(ShellSession session, Invocation inv) {
        StringBuilder sb = new StringBuilder("ipsim: a sandbox of Linux networking tools over a simulated kernel.\n"
                + "Commands:\n");
        for (Map.Entry<String, String> e : session.commands().descriptions().entrySet()) {
            sb.append(String.format("  %-10s %s%n", e.getKey(), e.getValue()));
        }
        sb.append("Shell: ; && || | & > >> < 2> 2>&1, quotes, $? and $VAR, # comments.\n");
        inv.out().print(sb);
        return 0;
    }

    private static int export(ShellSession session, Invocation inv) {
        for (String a : inv.args()) {
            int eq = a.indexOf('=');
            if (eq > 0) {
                session.variables().put(a.substring(0, eq), a.substring(eq + 1));
            }
        }
        return 0;
    }

    /** A small {@code grep}: {@code -v -i -c -n -w -E -F -o}, basic or extended patterns. */
    private static int grep(Invocation inv) {
        boolean invert = false;
        boolean ignoreCase = false;
        boolean count = false;
        boolean number = false;
        boolean word = false;
        boolean fixed = false;
        boolean only = false;
        String pattern = null;
        List<String> files = new ArrayList<>();
        for (String a : inv.args()) {
            if (pattern == null && a.startsWith("-") && a.length() > 1) {
                for (char c : a.substring(1).toCharArray()) {
                    switch (c) {
                        case 'v' -> invert = true;
                        case 'i' -> ignoreCase = true;
                        case 'c' -> count = true;
                        case 'n' -> number = true;
                        case 'w' -> word = true;
                        case 'F' -> fixed = true;
                        case 'o' -> only = true;
                        case 'E' -> {
                        }
                        default -> {
                            inv.err().print("grep: invalid option -- '" + c + "'\n"
                                    + "Usage: grep [OPTION]... PATTERNS [FILE]...\n"
                                    + "Try 'grep --help' for more information.\n");
                            return 2;
                        }
                    }
                }
            } else if (pattern == null) {
                pattern = a;
            } else {
                files.add(a);
            }
        }
        if (pattern == null) {
            inv.err().print("Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n");
            return 2;
        }
        Pattern p;
        try {
            String regex = fixed ? Pattern.quote(pattern) : pattern;
            if (word) {
                regex = "\\b(?:" + regex + ")\\b";
            }
            p = Pattern.compile(regex, ignoreCase ? Pattern.CASE_INSENSITIVE : 0);
        } catch (PatternSyntaxException e) {
            inv.err().print("grep: Invalid regular expression\n");
            return 2;
        }
        String text;
        try {
            text = new String(inv.in().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return 2;
        }
        if (!files.isEmpty()) {
            inv.err().print("grep: " + files.get(0) + ": " + Errno.ENOENT.text() + "\n");
            return 2;
        }
        int matched = 0;
        int lineNo = 0;
        StringBuilder out = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            lineNo++;
            if (line.isEmpty() && lineNo > 1 && text.endsWith("\n") && lineNo == text.split("\n", -1).length) {
                break;
            }
            var m = p.matcher(line);
            boolean found = m.find();
            if (found != invert) {
                matched++;
                if (count) {
                    continue;
                }
                if (only && !invert) {
                    m.reset();
                    while (m.find()) {
                        out.append(number ? lineNo + ":" : "").append(m.group()).append('\n');
                    }
                } else {
                    out.append(number ? lineNo + ":" : "").append(line).append('\n');
                }
            }
        }
        if (count) {
            out.append(matched).append('\n');
        }
        inv.out().print(out);
        return matched > 0 ? 0 : 1;
    }
}
