package dev.ipsim.commands.ip;

import static dev.ipsim.commands.cli.Matching.matches;

import dev.ipsim.commands.Exit;
import dev.ipsim.commands.NetnsNames;
import dev.ipsim.commands.cli.CNumbers;
import dev.ipsim.commands.output.Printer;
import dev.ipsim.commands.output.Printer.Kind;
import dev.ipsim.kernel.KernelException;
import dev.ipsim.kernel.NetNamespace;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code ip netns} ({@code ip/ipnetns.c}, {@code lib/namespace.c}): the names in
 * {@code /run/netns}, the ids the kernel gives namespaces, and running a program in one.
 *
 * <p>A name is a bind mount of a namespace: it keeps the namespace alive. Deleting the last name
 * of a namespace no process is in destroys it, and its devices with it.
 */
final class IpNetns {

    /** {@code NETNS_RUN_DIR} as iproute2 6.1 is built on Debian. */
    static final String RUN_DIR = "/run/netns";

    static final String USAGE = "Usage:\tip netns list\n"
            + "\tip netns add NAME\n"
            + "\tip netns attach NAME PID\n"
            + "\tip netns set NAME NETNSID\n"
            + "\tip [-all] netns delete [NAME]\n"
            + "\tip netns identify [PID]\n"
            + "\tip netns pids NAME\n"
            + "\tip [-all] netns exec [NAME] cmd ...\n"
            + "\tip netns monitor\n"
            + "\tip netns list-id [target-nsid POSITIVE-INT] [nsid POSITIVE-INT]\n"
            + "NETNSID := auto | POSITIVE-INT\n";

    /** {@code NAME_MAX}. */
    private static final int NAME_MAX = 255;

    private IpNetns() {
    }

    private static int usage(IpSession s) {
        s.err().print(USAGE);
        throw new Exit(255);
    }

    private static NetnsNames names(IpSession s) {
        return s.invocation().context().netnsNames();
    }

    /** {@code do_netns}: verbs in first-match order; a bad name is refused before the verb. */
    static int run(IpSession s, List<String> args) {
        boolean all = s.options().all;
        if (args.isEmpty()) {
            return list(s);
        }
        if (!all && args.size() > 1 && invalidName(args.get(1))) {
            s.err().print("Invalid netns name \"" + args.get(1) + "\"\n");
            throw new Exit(255);
        }
        String verb = args.get(0);
        List<String> rest = args.subList(1, args.size());
        if (matches(verb, "list") || matches(verb, "show") || matches(verb, "lst")) {
            return list(s);
        }
        if (matches(verb, "list-id")) {
            return listId(s, rest);
        }
        if (matches(verb, "help")) {
            return usage(s);
        }
        if (matches(verb, "add")) {
            return add(s, rest, true);
        }
        if (matches(verb, "set")) {
            return set(s, rest);
        }
        if (matches(verb, "delete")) {
            return delete(s, rest);
        }
        if (matches(verb, "identify")) {
            return identify(s, rest);
        }
        if (matches(verb, "pids")) {
            return pids(s, rest);
        }
        if (matches(verb, "exec")) {
            return exec(s, rest);
        }
        if (matches(verb, "monitor")) {
            s.err().print("ipsim: ip netns monitor is not simulated yet\n");
            return -1;
        }
        if (matches(verb, "attach")) {
            return add(s, rest, false);
        }
        s.err().print("Command \"" + verb + "\" is unknown, try \"ip netns help\".\n");
        throw new Exit(255);
    }

    /** {@code invalid_name}. */
    private static boolean invalidName(String name) {
        return name.isEmpty() || name.length() > NAME_MAX || name.indexOf('/') >= 0 || name.equals(".")
                || name.equals("..");
    }

    // ------------------------------------------------------------------ names and ids

    /**
     * {@code netns_get_fd}: a name in {@code /run/netns}, or a path to a namespace file
     * ({@code /run/netns/NAME}, {@code /proc/PID/ns/net}); {@code null} when it opens nothing.
     */
    static NetNamespace open(IpSession s, String nameOrPath) {
        if (nameOrPath.indexOf('/') < 0) {
            return names(s).lookup(nameOrPath);
        }
        for (String dir : List.of(RUN_DIR + "/", "/var" + RUN_DIR + "/")) {
            if (nameOrPath.startsWith(dir) && nameOrPath.indexOf('/', dir.length()) < 0) {
                return names(s).lookup(nameOrPath.substring(dir.length()));
            }
        }
        if (nameOrPath.startsWith("/proc/") && nameOrPath.endsWith("/ns/net")) {
            String pid = nameOrPath.substring("/proc/".length(), nameOrPath.length() - "/ns/net".length());
            if (pid.equals("self") || pid.equals("thread-self")) {
                return s.netns();
            }
            if (!pid.isEmpty() && pid.chars().allMatch(Character::isDigit) && pid.length() < 10) {
                return s.invocation().context().netnsOfPid(Long.parseLong(pid));
            }
        }
        return null;
    }

    /**
     * {@code get_name_from_nsid} over {@code netns_map_init}: the first name, in directory
     * order, of a namespace the current one knows by {@code nsid}; {@code null} when none.
     */
    static String nameOfNsid(IpSession s, int nsid) {
        if (nsid < 0) {
            return null;
        }
        for (String name : names(s).names()) {
            NetNamespace ns = names(s).lookup(name);
            if (ns != null && s.netns().nsidOf(ns) == nsid) {
                return name;
            }
        }
        return null;
    }

    /** {@code netns_list}: {@code readdir} order, with the id the current namespace knows each by. */
    private static int list(IpSession s) {
        Printer p = s.printer();
        p.beginJson();
        for (String name : names(s).names()) {
            p.openObject(null);
            p.string(Kind.ANY, "name", "%s", name);
            NetNamespace ns = names(s).lookup(name);
            int id = ns == null ? -1 : s.netns().nsidOf(ns);
            if (id >= 0) {
                p.integer(Kind.ANY, "id", " (id: %d)", id);
            }
            p.string(Kind.TEXT, null, "%s", "\n");
            p.closeObject();
        }
        p.endJson();
        s.flush(p);
        return 0;
    }

    /** {@code netns_list_id}: the ids this namespace (or {@code target-nsid}'s) has given others. */
    private static int listId(IpSession s, List<String> args) {
        int targetNsid = -1;
        int nsid = -1;
        for (int i = 0; i < args.size(); i++) {
            String w = args.get(i);
            String next = i + 1 < args.size() ? args.get(i + 1) : null;
            if (w.equals("target-nsid")) {
                if (targetNsid >= 0) {
                    s.messages().duplicateArgument("target-nsid", w);
                }
                if (next == null) {
                    s.messages().incompleteCommand();
                }
                i++;
                Integer v = CNumbers.getInteger(next, 0);
                if (v == null) {
                    s.messages().invalidArgument("\"target-nsid\" value is invalid", next);
                }
                if (v < 0) {
                    // iproute2 names the word after the value, which is past the end here
                    s.messages().invalidArgument("\"target-nsid\" value should be >= 0", wordAfter(args, i));
                }
                targetNsid = v;
            } else if (w.equals("nsid")) {
                if (nsid >= 0) {
                    s.messages().duplicateArgument("nsid", w);
                }
                if (next == null) {
                    s.messages().incompleteCommand();
                }
                i++;
                Integer v = CNumbers.getInteger(next, 0);
                if (v == null) {
                    s.messages().invalidArgument("\"nsid\" value is invalid", next);
                }
                if (v < 0) {
                    s.messages().invalidArgument("\"nsid\" value should be >= 0", wordAfter(args, i));
                }
                nsid = v;
            } else {
                usage(s);
            }
        }
        NetNamespace here = s.netns();
        NetNamespace target = null;
        if (targetNsid >= 0) {
            target = here.namespaceByNsid(targetNsid);
        }
        Printer p = s.printer();
        if (nsid >= 0) {
            // RTM_GETNSID with NETNSA_NSID: the peer is looked up among this namespace's ids
            NetNamespace peer = here.namespaceByNsid(nsid);
            if (peer == null || (targetNsid >= 0 && target == null)) {
                s.err().print(peer == null ? "Error: Peer netns reference is invalid.\n"
                        : "Error: Target netns reference is invalid.\n");
                return -2;
            }
            p.beginJson(false);
            if (target != null) {
                printNsid(s, p, target.nsidOf(peer), here.nsidOf(peer), true);
            } else {
                printNsid(s, p, here.nsidOf(peer), -1, false);
            }
            p.endJson();
            s.flush(p);
            return 0;
        }
        if (targetNsid >= 0 && target == null) {
            s.err().print("Error: Invalid target network namespace id.\nDump terminated\n");
            throw new Exit(1);
        }
        p.beginJson();
        NetNamespace dumped = target != null ? target : here;
        for (Map.Entry<Integer, NetNamespace> e : dumped.nsids().entrySet()) {
            if (target != null) {
                printNsid(s, p, e.getKey(), here.nsidOf(e.getValue()), true);
            } else {
                printNsid(s, p, e.getKey(), -1, false);
            }
        }
        p.endJson();
        s.flush(p);
        return 0;
    }

    /** iproute2 prints {@code argv[1]} after a value it refuses: the word after it, or "(null)". */
    private static String wordAfter(List<String> args, int valueIndex) {
        return valueIndex + 1 < args.size() ? args.get(valueIndex + 1) : "(null)";
    }

    /** {@code print_nsid} for an {@code RTM_NEWNSID} answer. */
    private static void printNsid(IpSession s, Printer p, int nsid, int current, boolean hasCurrent) {
        p.openObject(null);
        if (nsid < 0) {
            p.string(Kind.TEXT, null, "%s", "nsid unassigned ");
        } else {
            p.integer(Kind.ANY, "nsid", "nsid %d ", nsid);
        }
        if (hasCurrent) {
            if (current < 0) {
                p.string(Kind.TEXT, null, "%s", "current-nsid unassigned ");
            } else {
                p.integer(Kind.ANY, "current-nsid", "current-nsid %d ", current);
            }
        }
        String name = nameOfNsid(s, hasCurrent ? current : nsid);
        if (name != null) {
            p.string(Kind.ANY, "name", "(iproute2 netns name: %s)", name);
        }
        p.string(Kind.TEXT, null, "%s", "\n");
        p.closeObject();
    }

    // ------------------------------------------------------------------ add, attach, set, delete

    /** {@code netns_add}: a new namespace ({@code add}) or a process's ({@code attach}) under a name. */
    private static int add(IpSession s, List<String> args, boolean create) {
        Integer pid = null;
        if (create) {
            if (args.isEmpty()) {
                s.err().print("No netns name specified\n");
                return -1;
            }
        } else {
            if (args.size() < 2) {
                s.err().print("No netns name and PID specified\n");
                return -1;
            }
            pid = CNumbers.getS32(args.get(1), 0);
            if (pid == null || pid == 0) {
                s.err().print("Invalid PID: " + args.get(1) + "\n");
                return -1;
            }
        }
        String name = args.get(0);
        if (names(s).lookup(name) != null) {
            s.err().print("Cannot create namespace file \"" + RUN_DIR + "/" + name + "\": File exists\n");
            return -1;
        }
        NetNamespace ns;
        if (create) {
            ns = s.netns().kernel().createNamespace();
        } else {
            ns = pid < 0 ? null : s.invocation().context().netnsOfPid(pid);
            if (ns == null) {
                // the file was made, the bind mount fails, the file goes again
                s.err().print("Bind /proc/" + pid + "/ns/net -> " + RUN_DIR + "/" + name
                        + " failed: No such file or directory\n");
                return -1;
            }
        }
        names(s).bind(name, ns);
        return 0;
    }

    /** {@code netns_set}: gives the named namespace an id in the current one. */
    private static int set(IpSession s, List<String> args) {
        if (args.isEmpty()) {
            s.err().print("No netns name specified\n");
            return -1;
        }
        if (args.size() < 2) {
            s.err().print("No nsid specified\n");
            return -1;
        }
        String name = args.get(0);
        int nsid;
        if (args.get(1).equals("auto")) {
            nsid = -1;
        } else {
            Integer v = CNumbers.getInteger(args.get(1), 0);
            if (v == null) {
                s.messages().invalidArgument("Invalid \"netnsid\" value", args.get(1));
            }
            if (v < 0) {
                s.messages().invalidArgument("\"netnsid\" value should be >= 0", args.get(1));
            }
            nsid = v;
        }
        NetNamespace ns = open(s, name);
        if (ns == null) {
            s.err().print("Cannot open network namespace \"" + name + "\": No such file or directory\n");
            return -1;
        }
        try {
            s.netns().assignNsidChecked(ns, nsid);
        } catch (KernelException e) {
            s.printKernelError(e);
            return -2;
        }
        return 0;
    }

    /** {@code netns_delete}: unmounts and unlinks the name; the namespace dies with its last reference. */
    private static int delete(IpSession s, List<String> args) {
        if (s.options().all) {
            for (String name : names(s).names()) {
                names(s).unbind(name);
            }
            return 0;
        }
        if (args.isEmpty()) {
            s.err().print("No netns name specified\n");
            return -1;
        }
        String name = args.get(0);
        if (names(s).unbind(name) == null) {
            s.err().print("Cannot remove namespace file \"" + RUN_DIR + "/" + name
                    + "\": No such file or directory\n");
            return -1;
        }
        return 0;
    }

    // ------------------------------------------------------------------ processes

    private static boolean isPid(String s) {
        return s.chars().allMatch(Character::isDigit);
    }

    /** {@code netns_identify}: the names of the namespace a process is in (the last one wins). */
    private static int identify(IpSession s, List<String> args) {
        NetNamespace ns;
        if (args.isEmpty()) {
            ns = s.netns();
        } else if (args.size() > 1) {
            s.err().print("extra arguments specified\n");
            return -1;
        } else {
            String pid = args.get(0);
            if (!isPid(pid)) {
                s.err().print("Specified string '" + pid + "' is not a pid\n");
                return -1;
            }
            ns = pid.isEmpty() || pid.length() > 18 ? null : s.invocation().context().netnsOfPid(Long.parseLong(pid));
            if (ns == null) {
                s.err().print("Cannot open network namespace: No such file or directory\n");
                return -1;
            }
        }
        String found = "";
        for (String name : names(s).names()) {
            if (names(s).lookup(name) == ns) {
                found = name;
            }
        }
        s.out().print(found + "\n");
        return 0;
    }

    /** {@code netns_pids}: the processes in the named namespace. */
    private static int pids(IpSession s, List<String> args) {
        if (args.isEmpty()) {
            s.err().print("No netns name specified\n");
            return -1;
        }
        if (args.size() > 1) {
            s.err().print("extra arguments specified\n");
            return -1;
        }
        NetNamespace ns = names(s).lookup(args.get(0));
        if (ns == null) {
            s.err().print("Cannot open network namespace: No such file or directory\n");
            return -1;
        }
        StringBuilder sb = new StringBuilder();
        for (long pid : s.invocation().context().pids()) {
            if (s.invocation().context().netnsOfPid(pid) == ns) {
                sb.append(pid).append('\n');
            }
        }
        s.out().print(sb);
        return 0;
    }

    /**
     * {@code netns_exec}: runs the program in the named namespace; the status is the program's.
     * With {@code -all} it runs once in every named namespace, each run announced by a
     * {@code netns: NAME} line, and the status is 0.
     */
    private static int exec(IpSession s, List<String> args) {
        boolean all = s.options().all;
        if (args.isEmpty() && !all) {
            s.err().print("No netns name specified\n");
            return -1;
        }
        if ((args.size() < 2 && !all) || (args.isEmpty() && all)) {
            s.err().print("No command specified\n");
            return -1;
        }
        if (all) {
            for (String name : names(s).names()) {
                NetNamespace ns = names(s).lookup(name);
                s.out().print("\nnetns: " + name + "\n");
                s.out().flush();
                if (ns != null) {
                    s.invocation().context().run(new ArrayList<>(args), ns, s.invocation());
                }
            }
            return 0;
        }
        String name = args.get(0);
        NetNamespace ns = open(s, name);
        s.out().flush();
        if (ns == null) {
            s.err().print("Cannot open network namespace \"" + name + "\": No such file or directory\n");
            // cmd_exec returns -1, which netns_exec negates and do_cmd negates again
            throw new Exit(255);
        }
        int status = s.invocation().context().run(new ArrayList<>(args.subList(1, args.size())), ns,
                s.invocation());
        throw new Exit(status);
    }
}
