package dev.ipsim.shell.builtins;

import dev.ipsim.commands.Invocation;
import dev.ipsim.kernel.NetNamespace;
import dev.ipsim.shell.ShellSession;
import java.util.List;

/**
 * util-linux 2.38's {@code unshare} and {@code nsenter}, for the network namespace: a program
 * run in a new namespace that nothing names (as a container runtime makes them: no file in
 * {@code /run/netns}, so {@code ip} on the other side of a veth shows {@code link-netnsid N}),
 * and a program run in the namespace of a process or of a file. The namespace lives while a
 * process is in it: {@code unshare -n sleep infinity &} keeps one, and its process id reaches
 * it ({@code nsenter -t PID -n}, {@code ip link set DEV netns PID}, {@code ip netns attach}).
 * Both exec the program: it keeps their process id. Recorded in {@code netns-unnamed}.
 */
final class Namespaces {

    private Namespaces() {
    }

    /** {@code unshare [-n|--net] [-f|--fork] PROGRAM [ARGS]}. */
    static int unshare(ShellSession session, Invocation inv) {
        List<String> args = inv.args();
        boolean net = false;
        int i = 0;
        for (; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--")) {
                i++;
                break;
            }
            if (!a.startsWith("-") || a.equals("-")) {
                break;
            }
            if (a.startsWith("--")) {
                switch (a) {
                    case "--net" -> net = true;
                    case "--fork" -> {
                    }
                    default -> {
                        return usage(inv, "unshare", "unrecognized option '" + a + "'");
                    }
                }
                continue;
            }
            for (int k = 1; k < a.length(); k++) {
                char c = a.charAt(k);
                if (c == 'n') {
                    net = true;
                } else if (c != 'f') {
                    if ("muipUCTrc".indexOf(c) >= 0) {
                        inv.err().print("unshare: ipsim simulates network namespaces only (-n)\n");
                        return 1;
                    }
                    return usage(inv, "unshare", "invalid option -- '" + c + "'");
                }
            }
        }
        List<String> command = args.subList(i, args.size());
        if (command.isEmpty()) {
            inv.err().print("unshare: ipsim runs no nested shell: give a program to run\n");
            return 1;
        }
        NetNamespace ns = session.netns();
        if (net) {
            ns = session.kernel().createNamespace(); // unshare(CLONE_NEWNET): lo alone, down
        }
        return exec(session, inv, "unshare", command, ns);
    }

    /** {@code nsenter [-t PID] [-n[FILE]|--net[=FILE]] PROGRAM [ARGS]}. */
    static int nsenter(ShellSession session, Invocation inv) {
        List<String> args = inv.args();
        String target = null;
        boolean net = false;
        String netFile = null;
        int i = 0;
        for (; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--")) {
                i++;
                break;
            }
            if (!a.startsWith("-") || a.equals("-")) {
                break;
            }
            if (a.startsWith("--")) {
                String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
                String value = a.contains("=") ? a.substring(a.indexOf('=') + 1) : null;
                switch (name) {
                    case "--net" -> {
                        net = true;
                        netFile = value;
                    }
                    case "--target" -> {
                        if (value == null) {
                            if (i + 1 >= args.size()) {
                                return usage(inv, "nsenter", "option '--target' requires an argument");
                            }
                            value = args.get(++i);
                        }
                        target = value;
                    }
                    default -> {
                        return usage(inv, "nsenter", "unrecognized option '" + a + "'");
                    }
                }
                continue;
            }
            char c = a.charAt(1);
            if (c == 'n') {
                net = true;
                netFile = a.length() > 2 ? a.substring(2) : null;
            } else if (c == 't') {
                if (a.length() > 2) {
                    target = a.substring(2);
                } else if (i + 1 < args.size()) {
                    target = args.get(++i);
                } else {
                    return usage(inv, "nsenter", "option requires an argument -- 't'");
                }
            } else if ("amuipUCTSGrwFZ".indexOf(c) >= 0) {
                inv.err().print("nsenter: ipsim simulates network namespaces only (-n)\n");
                return 1;
            } else {
                return usage(inv, "nsenter", "invalid option -- '" + c + "'");
            }
        }
        Long pid = null;
        if (target != null) {
            pid = target.matches("[0-9]{1,9}") ? Long.parseLong(target) : null;
            if (pid == null || pid == 0) {
                inv.err().print("nsenter: failed to parse pid: '" + target + "'\n");
                return 1;
            }
        }
        NetNamespace ns = session.netns();
        if (net) {
            String file = netFile != null ? netFile : pid != null ? "/proc/" + pid + "/ns/net" : null;
            if (file == null) {
                inv.err().print("nsenter: neither filename nor target pid supplied for ns/net\n");
                return 1;
            }
            ns = namespaceFile(session, file);
            if (ns == null) {
                inv.err().print("nsenter: cannot open " + file + ": No such file or directory\n");
                return 1;
            }
        }
        List<String> command = args.subList(i, args.size());
        if (command.isEmpty()) {
            inv.err().print("nsenter: ipsim runs no nested shell: give a program to run\n");
            return 1;
        }
        return exec(session, inv, "nsenter", command, ns);
    }

    /** A namespace file: {@code /proc/PID/ns/net} or a name's bind mount in {@code /run/netns}. */
    private static NetNamespace namespaceFile(ShellSession session, String file) {
        java.util.regex.Matcher proc = java.util.regex.Pattern.compile("/proc/([0-9]{1,9})/ns/net").matcher(file);
        if (proc.matches()) {
            return session.netnsOfPid(Long.parseLong(proc.group(1)));
        }
        if (file.startsWith("/run/netns/") && file.indexOf('/', "/run/netns/".length()) < 0) {
            return session.netnsNames().lookup(file.substring("/run/netns/".length()));
        }
        return null;
    }

    /** {@code execvp} in the namespace (the program keeps the process id), or 127 when missing. */
    private static int exec(ShellSession session, Invocation inv, String tool, List<String> command,
                            NetNamespace ns) {
        if (Builtins.onPath(session, command.get(0)) == null) {
            inv.err().print(tool + ": failed to execute " + command.get(0) + ": No such file or directory\n");
            return 127;
        }
        ns.hold(); // this process is in it from now on
        try {
            return session.run(List.copyOf(command), ns, inv);
        } finally {
            ns.release();
        }
    }

    private static int usage(Invocation inv, String tool, String message) {
        inv.err().print(tool + ": " + message + "\nTry '" + tool + " --help' for more information.\n");
        return 1;
    }
}
