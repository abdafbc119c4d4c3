package dev.ipsim.shell.builtins;

import dev.ipsim.commands.Command;
import dev.ipsim.commands.Invocation;
import dev.ipsim.shell.CommandTable;
import dev.ipsim.shell.CommandTable.WriteErrors;
import dev.ipsim.shell.ShellSession;
import dev.ipsim.shell.vfs.VirtualFs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The shell's own commands and the few programs of a Debian system that scripts lean on,
 * with the messages bash and GNU coreutils print. They act on the sandbox only: {@code cat}
 * and {@code ls} see the virtual file system, {@code sleep} moves virtual time.
 */
public final class Builtins {

    private Builtins() {
    }

    public static void register(CommandTable table, ShellSession session) {
        // bash built-ins (echo, true, false and pwd are programs in /usr/bin as well)
        table.builtin("echo", new Builtin(session, "echo"), "print its arguments (-n, -e, -E)");
        table.builtin("printf", new Builtin(session, "printf"), "print its arguments by a format");
        table.builtin("true", new Builtin(session, "true"), "do nothing, successfully");
        table.builtin("false", new Builtin(session, "false"), "do nothing, unsuccessfully");
        table.builtin(":", new Builtin(session, ":"), "do nothing, successfully");
        table.builtin("exit", new Builtin(session, "exit"), "leave the shell, with a status");
        table.builtin("cd", new Builtin(session, "cd"), "change the working directory");
        table.builtin("pwd", new Builtin(session, "pwd"), "print the working directory");
        table.builtin("export", new Builtin(session, "export"), "set shell variables");
        table.builtin("unset", new Builtin(session, "unset"), "remove shell variables");
        table.builtin("help", new Builtin(session, "help"), "list what ipsim understands");
        table.builtin("test", new Builtin(session, "test"), "check files, strings and numbers");
        table.builtin("source", new Builtin(session, "source"), "run a file's commands in this shell");
        table.builtin("save", new Builtin(session, "save"), "write the lab to FILE as a script that rebuilds it");
        table.builtin(".", new Builtin(session, "."), "run a file's commands in this shell (source)");
        table.builtin("return", new Builtin(session, "return"), "leave a shell function, with a status");
        table.builtin("local", new Builtin(session, "local"), "make a variable the function's own");
        table.builtin("set", new Builtin(session, "set"), "set shell options (-o pipefail)");
        table.builtin("read", new Builtin(session, "read"), "read a line into variables (-r)");
        table.builtin("shift", new Builtin(session, "shift"), "drop the first arguments ($1...)");
        table.builtin("[", new Builtin(session, "["), "check files, strings and numbers (test)");
        table.builtin("break", new Builtin(session, "break"), "leave a for, while or until loop");
        table.builtin("continue", new Builtin(session, "continue"), "go on with the next round of a loop");
        JobBuiltins.register(table, session);
        table.program("echo", new Builtin(session, "echo"), WriteErrors.COREUTILS, "print its arguments (-n, -e, -E)",
                CommandTable.BIN);
        table.program("true", new Builtin(session, "true"), WriteErrors.COREUTILS, "do nothing, successfully",
                CommandTable.BIN);
        table.program("false", new Builtin(session, "false"), WriteErrors.COREUTILS, "do nothing, unsuccessfully",
                CommandTable.BIN);
        table.program("pwd", new Builtin(session, "pwd"), WriteErrors.COREUTILS, "print the working directory",
                CommandTable.BIN);

        // programs
        table.program("sleep", new Builtin(session, "sleep"), WriteErrors.COREUTILS,
                "wait (at a terminal in real time; in a script only virtual time passes)", CommandTable.BIN);
        table.program("cat", new Builtin(session, "cat"), WriteErrors.COREUTILS,
                "print files (/proc/sys/net, /sys/class/net, /etc, your own)", CommandTable.BIN);
        table.program("ls", new Builtin(session, "ls"), WriteErrors.COREUTILS,
                "list directories of the sandbox's file system", CommandTable.BIN);
        table.program("grep", new Builtin(session, "grep"), WriteErrors.COREUTILS, "print lines that match a pattern",
                CommandTable.BIN);
        table.program("head", new Builtin(session, "head"), WriteErrors.COREUTILS,
                "print the first lines", CommandTable.BIN);
        table.program("tail", new Builtin(session, "tail"), WriteErrors.COREUTILS,
                "print the last lines", CommandTable.BIN);
        table.program("wc", new Builtin(session, "wc"), WriteErrors.COREUTILS,
                "count lines, words and bytes", CommandTable.BIN);
        table.program("sort", new Builtin(session, "sort"), WriteErrors.COREUTILS, "sort lines",
                CommandTable.BIN);
        table.program("uniq", new Builtin(session, "uniq"), WriteErrors.COREUTILS,
                "drop repeated lines", CommandTable.BIN);
        table.program("seq", new Builtin(session, "seq"), WriteErrors.COREUTILS,
                "print a sequence of numbers", CommandTable.BIN);
        table.program("cut", new Builtin(session, "cut"), WriteErrors.COREUTILS,
                "print selected fields (-d -f) or characters (-c) of lines", CommandTable.BIN);
        table.program("sed", new Builtin(session, "sed"), WriteErrors.COREUTILS,
                "edit lines by a script (s/RE/TEXT/, d, p; -n -e -E -i)", CommandTable.BIN);
        table.program("awk", new Builtin(session, "awk"), WriteErrors.COREUTILS,
                "scan lines for patterns and print fields (mawk 1.3.4)", CommandTable.BIN);
        table.program("mawk", new Builtin(session, "mawk"), WriteErrors.COREUTILS,
                "scan lines for patterns and print fields (mawk 1.3.4)", CommandTable.BIN);
        table.program("unshare", new Builtin(session, "unshare"), WriteErrors.COREUTILS,
                "run a program in a new network namespace (util-linux 2.38; -n)", CommandTable.BIN);
        table.program("nsenter", new Builtin(session, "nsenter"), WriteErrors.COREUTILS,
                "run a program in another process's network namespace (util-linux 2.38; -t PID -n)",
                CommandTable.BIN);
        table.program("timeout", new Builtin(session, "timeout"), WriteErrors.COREUTILS,
                "run a command with a time limit (-s SIGNAL)", CommandTable.BIN);
        table.program("mkdir", new Builtin(session, "mkdir"), WriteErrors.COREUTILS,
                "make directories (-p: with their parents, no matter if they exist; -m MODE)", CommandTable.BIN);
        table.program("rm", new Builtin(session, "rm"), WriteErrors.COREUTILS,
                "remove files (-f: no matter if missing)", CommandTable.BIN);
        // a script keeps no history; the REPL puts its own history in place
        table.builtin("history", new Builtin(session, "history"),
                "list the commands typed so far (-c forgets them)");
        table.builtin("type", new Builtin(session, "type"), "say what a name is: built-in, keyword or program");
        table.builtin("command", new Builtin(session, "command"), "run a command (-v: say where it is)");
        table.program("which", new Builtin(session, "which"), WriteErrors.SILENT, "find programs on the PATH",
                CommandTable.BIN);
        table.program("whoami", new Builtin(session, "whoami"), WriteErrors.COREUTILS, "print the user name",
                CommandTable.BIN);
        table.program("clear", new Builtin(session, "clear"), WriteErrors.SILENT, "clear the terminal screen",
                CommandTable.BIN);
        table.program("hostname", new Builtin(session, "hostname"), WriteErrors.SILENT, "print the host name",
                CommandTable.BIN);
        table.program("sudo", new Builtin(session, "sudo"), WriteErrors.SILENT,
                "run a command as root (you are root already)", CommandTable.BIN);
    }

    /**
     * A built-in by name: one class and a switch rather than a lambda per built-in, since
     * every lambda call site costs a bootstrap of method handles (about 0.25 ms) when first
     * reached, and every shell registers them all at its start.
     */
    private static final class Builtin implements Command {
        private final ShellSession session;
        private final String name;

        Builtin(ShellSession session, String name) {
            this.session = session;
            this.name = name;
        }

        @Override
        public int run(Invocation inv) {
            switch (name) {
                case "echo":
                    return Echo.run(inv);
                case "printf":
                    return Printf.run(session, inv);
                case "true":
                    return 0;
                case "false":
                    return 1;
                case ":":
                    return 0;
                case "exit":
                    return exit(session, inv);
                case "cd":
                    return cd(session, inv);
                case "pwd":
                    return pwd(session, inv);
                case "export":
                    return export(session, inv);
                case "unset":
                    return unset(session, inv);
                case "help":
                    return help(session, inv);
                case "test":
                    return Test.run(session, inv);
                case "source":
                    return source(session, inv);
                case "save":
                    return save(session, inv);
                case ".":
                    return source(session, inv);
                case "return":
                    return functionReturn(session, inv);
                case "local":
                    return local(session, inv);
                case "set":
                    return set(session, inv);
                case "read":
                    return ReadSeq.read(session, inv);
                case "shift":
                    return shift(session, inv);
                case "[":
                    return Test.run(session, inv);
                case "break":
                    return loopControl(session, inv, false);
                case "continue":
                    return loopControl(session, inv, true);
                case "sleep":
                    return Sleep.run(session, inv);
                case "cat":
                    return Cat.run(session, inv);
                case "ls":
                    return Ls.run(session, inv);
                case "grep":
                    return Grep.run(session, inv);
                case "head":
                    return TextTools.head(session, inv);
                case "tail":
                    return TextTools.tail(session, inv);
                case "wc":
                    return TextTools.wc(session, inv);
                case "sort":
                    return TextTools.sort(session, inv);
                case "uniq":
                    return TextTools.uniq(session, inv);
                case "seq":
                    return ReadSeq.seq(session, inv);
                case "cut":
                    return Cut.run(session, inv);
                case "sed":
                    return Sed.run(session, inv);
                case "awk":
                    return Awk.run(session, inv);
                case "mawk":
                    return Awk.run(session, inv);
                case "unshare":
                    return Namespaces.unshare(session, inv);
                case "nsenter":
                    return Namespaces.nsenter(session, inv);
                case "timeout":
                    return Timeout.run(session, inv);
                case "mkdir":
                    return mkdir(session, inv);
                case "rm":
                    return rm(session, inv);
                case "history":
                    return 0;
                case "type":
                    return type(session, inv);
                case "command":
                    return command(session, inv);
                case "which":
                    return which(session, inv);
                case "whoami":
                    return print(inv, "root");
                case "clear":
                    return clear(session, inv);
                case "hostname":
                    return hostname(session, inv);
                case "sudo":
                    return sudo(session, inv);
                default:
                    throw new IllegalStateException(name);
            }
        }
    }

    // ------------------------------------------------------------------ bash built-ins

    /**
     * GNU coreutils 9.1 {@code rm}: removes the files named; {@code -f} says nothing of missing
     * ones and needs no operand; {@code -r} removes directories and what they hold.
     */
    private static int rm(ShellSession session, Invocation inv) {
        boolean force = false;
        boolean recursive = false;
        List<String> files = new ArrayList<>();
        boolean options = true;
        for (String a : inv.args()) {
            if (options && a.equals("--")) {
                options = false;
            } else if (options && a.startsWith("-") && a.length() > 1) {
                for (char c : a.substring(1).toCharArray()) {
                    if (c == 'f') {
                        force = true;
                    } else if (c == 'r' || c == 'R') {
                        recursive = true;
                    } else if (c != 'v' && c != 'i' && c != 'r' && c != 'R' && c != 'd') {
                        inv.err().print("rm: invalid option -- '" + c + "'\nTry 'rm --help' for more information.\n");
                        return 1;
                    }
                }
            } else {
                files.add(a);
            }
        }
        if (files.isEmpty()) {
            if (force) {
                return 0;
            }
            inv.err().print("rm: missing operand\nTry 'rm --help' for more information.\n");
            return 1;
        }
        int status = 0;
        for (String f : files) {
            try {
                if (recursive) {
                    session.vfs().deleteRecursively(f);
                } else {
                    session.vfs().delete(f);
                }
            } catch (VirtualFs.FsException e) {
                if (force && e.errno() == dev.ipsim.kernel.Errno.ENOENT) {
                    continue;
                }
                String why = e.errno() == dev.ipsim.kernel.Errno.EISDIR ? "Is a directory" : e.errno().text();
                // quoteaf: a file name in shell quotes ('...'), not the locale's
                inv.err().print("rm: cannot remove '" + f.replace("'", "'\\''") + "': " + why + "\n");
                status = 1;
            }
        }
        return status;
    }

    /** coreutils' {@code mkdir [-p] [-m MODE] DIR...} (the mode is taken and not kept). */
    private static int mkdir(ShellSession session, Invocation inv) {
        boolean parents = false;
        List<String> dirs = new ArrayList<>();
        List<String> args = inv.args();
        boolean options = true;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (options && a.equals("--")) {
                options = false;
            } else if (options && a.startsWith("-") && a.length() > 1 && !a.startsWith("--")) {
                for (int k = 1; k < a.length(); k++) {
                    char c = a.charAt(k);
                    if (c == 'p') {
                        parents = true;
                    } else if (c == 'v') {
                        continue;
                    } else if (c == 'm') {
                        String mode = k + 1 < a.length() ? a.substring(k + 1) : i + 1 < args.size() ? args.get(++i) : null;
                        if (mode == null) {
                            inv.err().print("mkdir: option requires an argument -- 'm'\n"
                                    + "Try 'mkdir --help' for more information.\n");
                            return 1;
                        }
                        if (!mode.matches("[0-7]{1,4}|([ugoa]*[-+=][rwxXst]*,?)+")) {
                            inv.err().print("mkdir: invalid mode " + Quote.locale(mode) + "\n");
                            return 1;
                        }
                        break;
                    } else {
                        inv.err().print("mkdir: invalid option -- '" + c + "'\n"
                                + "Try 'mkdir --help' for more information.\n");
                        return 1;
                    }
                }
            } else if (options && a.equals("--parents")) {
                parents = true;
            } else {
                dirs.add(a);
            }
        }
        if (dirs.isEmpty()) {
            inv.err().print("mkdir: missing operand\nTry 'mkdir --help' for more information.\n");
            return 1;
        }
        int status = 0;
        for (String d : dirs) {
            List<String> chain = new ArrayList<>();
            if (parents) {
                String p = d;
                while (p.contains("/") && p.lastIndexOf('/') > 0) {
                    p = p.substring(0, p.lastIndexOf('/'));
                    chain.add(0, p);
                }
            }
            chain.add(d);
            for (int k = 0; k < chain.size(); k++) {
                boolean last = k == chain.size() - 1;
                try {
                    session.vfs().mkdir(chain.get(k));
                } catch (VirtualFs.FsException e) {
                    if (e.errno() == dev.ipsim.kernel.Errno.EEXIST && (parents || !last)) {
                        continue;
                    }
                    if (!last && e.errno() == dev.ipsim.kernel.Errno.EACCES) {
                        continue;
                    }
                    inv.err().print("mkdir: cannot create directory " + Quote.locale(d) + ": " + e.errno().text() + "\n");
                    status = 1;
                    break;
                }
            }
        }
        return status;
    }

    /**
     * bash's {@code exit}: at a terminal it says {@code exit} first; a bad number ends the shell
     * with status 2; more than one argument is refused and the rest of the line is dropped.
     */
    private static int exit(ShellSession session, Invocation inv) {
        if (session.interactive() && !session.inSubshell()) {
            inv.err().print("exit\n");
        }
        List<String> args = inv.args();
        int status = session.lastStatus();
        if (!args.isEmpty()) {
            String a = args.get(0);
            if (a.equals("--")) {
                args = args.subList(1, args.size());
                a = args.isEmpty() ? null : args.get(0);
            }
            if (a != null) {
                Long n = legalNumber(a);
                if (n == null) {
                    session.diagnostic(inv.err(), "exit: " + a + ": numeric argument required");
                    session.requestExit(2);
                    return 2;
                }
                if (args.size() > 1) {
                    session.diagnostic(inv.err(), "exit: too many arguments");
                    session.discard();
                    return 1;
                }
                status = (int) (n & 0xFF);
            }
        }
        session.requestExit(status);
        return status;
    }

    /** {@code save FILE}: ipsim's own; the lab as a script ({@link dev.ipsim.shell.LabScript}). */
    private static int save(ShellSession session, Invocation inv) {
        if (inv.args().size() != 1 || inv.args().get(0).isEmpty()) {
            session.diagnostic(inv.err(), "save: usage: save FILE");
            return 2;
        }
        String file = inv.args().get(0);
        String text = dev.ipsim.shell.LabScript.of(session.sandbox());
        try {
            session.vfs().replace(file, text);
        } catch (VirtualFs.FsException e) {
            session.diagnostic(inv.err(), "save: " + file + ": " + e.errno().text());
            return 1;
        }
        session.sandbox().markSaved(text);
        return 0;
    }

    /** {@code source FILE [ARGS]} and {@code . FILE [ARGS]}: bash's {@code source_builtin}. */
    private static int source(ShellSession session, Invocation inv) {
        String self = inv.argv().get(0);
        List<String> args = inv.args();
        if (!args.isEmpty() && args.get(0).equals("--")) {
            args = args.subList(1, args.size());
        }
        if (args.isEmpty()) {
            session.diagnostic(inv.err(), self + ": filename argument required");
            inv.err().print(self + ": usage: " + self + " filename [arguments]\n");
            return 2;
        }
        String name = args.get(0);
        String text;
        try {
            if (session.vfs().isDirectory(name)) {
                session.diagnostic(inv.err(), self + ": " + name + ": is a directory");
                return 1;
            }
            text = session.vfs().read(name);
        } catch (dev.ipsim.shell.vfs.VirtualFs.FsException e) {
            session.diagnostic(inv.err(), name + ": " + e.errno().text());
            return 1;
        }
        if (text.indexOf('\0') >= 0 && dev.ipsim.shell.Main.binary(text.getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
            session.diagnostic(inv.err(), self + ": cannot execute binary file: " + name);
            return 126;
        }
        return dev.ipsim.shell.script.ScriptRunner.source(session, name, text, args.subList(1, args.size()));
    }

    private static int functionReturn(ShellSession session, Invocation inv) {
        if (session.functionDepth() == 0 && session.sourceDepth() == 0) {
            session.diagnostic(inv.err(), "return: can only `return' from a function or sourced script");
            return 2;
        }
        int status = session.lastStatus();
        if (!inv.args().isEmpty()) {
            Long n = legalNumber(inv.args().get(0));
            if (n == null) {
                session.diagnostic(inv.err(), "return: " + inv.args().get(0) + ": numeric argument required");
                status = 2;
            } else {
                status = (int) (n & 0xFF);
            }
        }
        session.requestReturn(status);
        return status;
    }

    private static int local(ShellSession session, Invocation inv) {
        if (session.functionDepth() == 0) {
            session.diagnostic(inv.err(), "local: can only be used in a function");
            return 1;
        }
        for (String a : inv.args()) {
            int eq = a.indexOf('=');
            String name = eq < 0 ? a : a.substring(0, eq);
            session.makeLocal(name);
            if (eq > 0) {
                session.variables().put(name, a.substring(eq + 1));
            } else {
                session.variables().remove(name);
            }
        }
        return 0;
    }

    /** {@code set -o pipefail} and {@code set +o pipefail}; other options are not simulated. */
    private static int set(ShellSession session, Invocation inv) {
        List<String> args = inv.args();
        for (int k = 0; k < args.size(); k++) {
            String a = args.get(k);
            if ((a.equals("-o") || a.equals("+o")) && k + 1 < args.size()) {
                String name = args.get(++k);
                if (name.equals("pipefail")) {
                    session.setPipefail(a.equals("-o"));
                    continue;
                }
                session.diagnostic(inv.err(), "set: " + name + ": invalid option name");
                return 1;
            }
            inv.err().print("ipsim: set " + a + " is not simulated yet\n");
            return 2;
        }
        return 0;
    }

    private static int shift(ShellSession session, Invocation inv) {
        int n = 1;
        if (!inv.args().isEmpty()) {
            Long v = legalNumber(inv.args().get(0));
            if (v == null) {
                session.diagnostic(inv.err(), "shift: " + inv.args().get(0) + ": numeric argument required");
                return 1;
            }
            if (v < 0) {
                session.diagnostic(inv.err(), "shift: " + inv.args().get(0) + ": shift count out of range");
                return 1;
            }
            n = (int) Math.min(v, Integer.MAX_VALUE);
        }
        List<String> args = session.positional();
        if (n > args.size()) {
            return 1;
        }
        session.setPositional(args.subList(n, args.size()));
        return 0;
    }

    /** {@code break [N]} and {@code continue [N]}. */
    private static int loopControl(ShellSession session, Invocation inv, boolean continueAfter) {
        String name = inv.argv().get(0);
        int levels = 1;
        if (!inv.args().isEmpty()) {
            String a = inv.args().get(0);
            Long n = legalNumber(a);
            if (n == null) {
                session.diagnostic(inv.err(), name + ": " + a + ": numeric argument required");
                session.requestExit(128);
                return 128;
            }
            if (n < 1) {
                // bash leaves every loop it is in (breaking = loop_level)
                session.diagnostic(inv.err(), name + ": " + a + ": loop count out of range");
                session.requestBreak(session.loopDepth(), false);
                return 1;
            }
            levels = (int) Math.min(n, Integer.MAX_VALUE);
        }
        if (session.loopDepth() == 0) {
            session.diagnostic(inv.err(), name + ": only meaningful in a `for', `while', or `until' loop");
            return 0;
        }
        session.requestBreak(levels, continueAfter);
        return 0;
    }

    /** bash's {@code legal_number}: optional blanks, a sign, decimal digits, no overflow. */
    static Long legalNumber(String s) {
        String t = s.strip();
        if (t.isEmpty()) {
            return null;
        }
        try {
            return Long.parseLong(t.startsWith("+") ? t.substring(1) : t);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static int cd(ShellSession session, Invocation inv) {
        List<String> args = new ArrayList<>(inv.args());
        while (!args.isEmpty() && args.get(0).startsWith("-") && !args.get(0).equals("-")) {
            String o = args.remove(0);
            if (o.equals("--")) {
                break;
            }
            if (!o.matches("-[LPe@]+")) {
                session.diagnostic(inv.err(), "cd: " + o.substring(0, 2) + ": invalid option");
                inv.err().print("cd: usage: cd [-L|[-P [-e]] [-@]] [dir]\n");
                return 2;
            }
        }
        if (args.size() > 1) {
            session.diagnostic(inv.err(), "cd: too many arguments");
            return 1;
        }
        Map<String, String> vars = session.variables();
        String target;
        boolean print = false;
        if (args.isEmpty()) {
            target = vars.get("HOME");
            if (target == null) {
                session.diagnostic(inv.err(), "cd: HOME not set");
                return 1;
            }
        } else if (args.get(0).equals("-")) {
            target = vars.get("OLDPWD");
            if (target == null) {
                session.diagnostic(inv.err(), "cd: OLDPWD not set");
                return 1;
            }
            print = true;
        } else {
            target = args.get(0);
        }
        if (target.isEmpty()) {
            return 0;
        }
        VirtualFs vfs = session.vfs();
        String before = vfs.cwd();
        try {
            vfs.cd(target);
        } catch (VirtualFs.FsException e) {
            session.diagnostic(inv.err(), "cd: " + target + ": " + e.errno().text());
            return 1;
        }
        vars.put("OLDPWD", before);
        vars.put("PWD", vfs.cwd());
        if (print) {
            inv.out().print(vfs.cwd() + "\n");
        }
        return 0;
    }

    private static int pwd(ShellSession session, Invocation inv) {
        for (String a : inv.args()) {
            if (a.equals("--")) {
                break;
            }
            if (a.startsWith("-") && a.length() > 1 && !a.matches("-[LP]+")) {
                session.diagnostic(inv.err(), "pwd: " + a.substring(0, 2) + ": invalid option");
                inv.err().print("pwd: usage: pwd [-LP]\n");
                return 2;
            }
        }
        inv.out().print(session.vfs().cwd() + "\n");
        return 0;
    }

    private static int export(ShellSession session, Invocation inv) {
        for (String a : inv.args()) {
            if (a.startsWith("-") && !a.matches("-[fnp]+")) {
                session.diagnostic(inv.err(), "export: " + a.substring(0, Math.min(2, a.length())) + ": invalid option");
                inv.err().print("export: usage: export [-fn] [name[=value] ...] or export -p\n");
                return 2;
            }
        }
        if (inv.args().isEmpty() || inv.args().equals(List.of("-p"))) {
            StringBuilder sb = new StringBuilder();
            for (Map.Entry<String, String> e : new TreeMap<>(session.variables()).entrySet()) {
                sb.append("declare -x ").append(e.getKey()).append("=\"").append(e.getValue()).append("\"\n");
            }
            inv.out().print(sb);
            return 0;
        }
        int status = 0;
        for (String a : inv.args()) {
            if (a.startsWith("-")) {
                continue;
            }
            int eq = a.indexOf('=');
            String name = eq < 0 ? a : a.substring(0, eq);
            if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                session.diagnostic(inv.err(), "export: `" + a + "': not a valid identifier");
                status = 1;
                continue;
            }
            if (eq > 0) {
                session.variables().put(name, a.substring(eq + 1));
            }
        }
        return status;
    }

    private static int unset(ShellSession session, Invocation inv) {
        for (String a : inv.args()) {
            if (!a.startsWith("-")) {
                session.variables().remove(a);
            }
        }
        return 0;
    }

    /** {@code help}: everything ipsim understands; {@code help NAME}: one line about NAME. */
    private static int help(ShellSession session, Invocation inv) {
        Map<String, String> all = session.commands().descriptions();
        if (!inv.args().isEmpty()) {
            int status = 1;
            StringBuilder sb = new StringBuilder();
            for (String a : inv.args()) {
                String d = all.get(a);
                if (d != null) {
                    sb.append(a).append(": ").append(d).append('\n');
                    status = 0;
                }
            }
            if (status != 0) {
                String a = inv.args().get(inv.args().size() - 1);
                session.diagnostic(inv.err(), "help: no help topics match `" + a + "'.  Try `help help' or `man -k "
                        + a + "' or `info " + a + "'.");
                return 1;
            }
            inv.out().print(sb);
            return 0;
        }
        StringBuilder sb = new StringBuilder();
        sb.append("ipsim: the networking tools of a Linux machine, over a simulated kernel.\n");
        sb.append("These commands are understood.  Type `help NAME' to find out more about `NAME'.\n\n");
        for (Map.Entry<String, String> e : all.entrySet()) {
            sb.append(String.format(" %-10s %s%n", e.getKey(), e.getValue()));
        }
        sb.append("\nThe shell: ; && || | |& & ! ( ) { } > >> < 2> 2>&1 &> >&2, 'quotes' \"quotes\" \\,\n");
        sb.append(" $VAR ${VAR} ${VAR:-default} $? $(command) `command` $((1+2)), * ? [..] globs,\n");
        sb.append(" # comments, NAME=value, if, for, while, until, case, functions, <<EOF here-documents.\n");
        sb.append("Files: /proc/sys/net, /sys/class/net, /etc, /run/netns, /dev/null and /tmp (in memory)\n");
        sb.append(" are the simulated machine's; /root (the start directory) holds the directory ipsim\n");
        sb.append(" was started in, and nothing above it is reachable.\n");
        inv.out().print(sb);
        return 0;
    }

    // ------------------------------------------------------------------ small programs

    private static int print(Invocation inv, String line) {
        inv.out().print(line + "\n");
        return 0;
    }

    /** The reserved words, as {@code type} reports them. */
    private static final List<String> KEYWORDS = List.of("!", "{", "}", "if", "then", "elif", "else", "fi", "for",
            "in", "do", "done", "while", "until", "case", "esac", "function", "select", "time", "[[", "]]", "coproc");

    /** Whether {@code word} is one of bash's reserved words. */
    public static boolean isKeyword(String word) {
        return KEYWORDS.contains(word);
    }

    /** The first directory of $PATH holding the program, as a path, or {@code null}. */
    public static String onPath(ShellSession session, String name) {
        if (name.contains("/")) {
            return session.commands().isProgram(name) ? name : null;
        }
        for (String dir : session.variables().getOrDefault("PATH", "").split(":")) {
            String path = (dir.isEmpty() ? "." : dir) + "/" + name;
            if (session.commands().isProgram(path)) {
                return path;
            }
        }
        return null;
    }

    /** {@code which}: Debian's shell script; programs only, status 1 if one is missing. */
    private static int which(ShellSession session, Invocation inv) {
        int status = 0;
        StringBuilder sb = new StringBuilder();
        for (String a : inv.args()) {
            if (a.startsWith("-")) {
                continue;
            }
            String path = onPath(session, a);
            if (path == null) {
                status = 1;
            } else {
                sb.append(path).append('\n');
            }
        }
        inv.out().print(sb);
        return status;
    }

    /** bash's {@code type [-t] NAME...}. */
    private static int type(ShellSession session, Invocation inv) {
        boolean terse = false;
        int status = 0;
        for (String a : inv.args()) {
            if (a.equals("-t")) {
                terse = true;
                continue;
            }
            String kind;
            String text;
            String path;
            if (KEYWORDS.contains(a)) {
                kind = "keyword";
                text = a + " is a shell keyword";
            } else if (session.commands().isBuiltin(a)) {
                kind = "builtin";
                text = a + " is a shell builtin";
            } else if ((path = onPath(session, a)) != null) {
                kind = "file";
                text = session.hashed(a) ? a + " is hashed (" + path + ")" : a + " is " + path;
            } else {
                if (!terse) {
                    session.diagnostic(inv.err(), "type: " + a + ": not found");
                }
                status = 1;
                continue;
            }
            inv.out().print((terse ? kind : text) + "\n");
        }
        return status;
    }

    /** bash's {@code command}: {@code -v NAME} says where NAME is; otherwise runs NAME, skipping functions. */
    private static int command(ShellSession session, Invocation inv) {
        List<String> args = inv.args();
        if (!args.isEmpty() && (args.get(0).equals("-v") || args.get(0).equals("-V"))) {
            // the status is 0 when any name was found
            boolean any = false;
            for (String a : args.subList(1, args.size())) {
                String path;
                if (KEYWORDS.contains(a) || session.commands().isBuiltin(a)) {
                    inv.out().print(a + "\n");
                    any = true;
                } else if ((path = onPath(session, a)) != null) {
                    inv.out().print(path + "\n");
                    any = true;
                }
            }
            return any ? 0 : 1;
        }
        if (args.isEmpty()) {
            return 0;
        }
        Command c = session.commands().lookup(args.get(0));
        if (c == null) {
            session.diagnostic(inv.err(), args.get(0) + ": command not found");
            return 127;
        }
        return c.run(inv.withArgv(args));
    }

    /** ncurses' {@code clear}: the terminal's clear-screen sequence, scrollback included. */
    private static int clear(ShellSession session, Invocation inv) {
        String term = session.variables().get("TERM");
        if (term == null) {
            inv.err().print("TERM environment variable not set.\n");
            return 1;
        }
        if (term.isEmpty() || term.equals("dumb")) {
            inv.err().print("'" + term + "': " + (term.isEmpty() ? "unknown terminal type." : "I need something more "
                    + "specific.") + "\n");
            return 1;
        }
        inv.out().print("\u001b[H\u001b[2J\u001b[3J");
        return 0;
    }

    private static int hostname(ShellSession session, Invocation inv) {
        for (String a : inv.args()) {
            if (!a.equals("-s") && !a.equals("-f") && !a.equals("--short") && !a.equals("--fqdn")) {
                inv.err().print("hostname: invalid option -- '" + (a.length() > 1 ? a.charAt(1) : a) + "'\n");
                return 255;
            }
        }
        inv.out().print(session.hostname() + "\n");
        return 0;
    }

    /** {@code sudo CMD}: the sandbox user is root already, so it runs the program. */
    private static int sudo(ShellSession session, Invocation inv) {
        List<String> args = new ArrayList<>(inv.args());
        while (!args.isEmpty() && args.get(0).startsWith("-")) {
            String o = args.remove(0);
            if (o.equals("--")) {
                break;
            }
            if ((o.equals("-u") || o.equals("-g")) && !args.isEmpty()) {
                args.remove(0);
            }
        }
        while (!args.isEmpty() && args.get(0).matches("[A-Za-z_][A-Za-z0-9_]*=.*")) {
            args.remove(0);
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
        // sudo runs programs, never the shell's built-ins: look the name up on the PATH
        String name = args.get(0);
        String path = onPath(session, name);
        Command c = path == null ? null : session.commands().lookup(path);
        if (c == null) {
            inv.err().print("sudo: " + name + ": command not found\n");
            return 1;
        }
        return c.run(inv.withArgv(args));
    }
}
