package dev.ipsim.shell;

import dev.ipsim.commands.ip.Ip;
import dev.ipsim.kernel.NetNamespace;
import dev.ipsim.kernel.link.NetDevice;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What Tab offers for the word under the cursor, from the tools' grammars and the lab's state:
 * command names for a command's first word; for {@code ip} its options, objects, verbs and
 * their keywords, device names of the namespace the command would run in ({@code ip -n NS},
 * {@code ip netns exec NS ...}), namespace names, link kinds, tables and states after the
 * keyword that takes them; sysctl keys one level at a time; options and devices of ping,
 * tcpdump, arp, route, bridge and ovs-vsctl. Everything else is a file name (the sandbox's
 * {@code /proc/sys}, {@code /sys/class/net}, {@code /etc}, the user's own), as readline does.
 *
 * <p>No JLine here: {@link Repl} turns the answer into JLine's candidates, and tests ask this
 * class directly.
 */
public final class Completion {

    /** A candidate: its text, and whether completing it ends the word (a space follows). */
    public record Candidate(String value, boolean complete) {
    }

    /** Means: complete a file name. */
    static final List<Candidate> FILES = null;

    private static final Set<String> SEPARATORS = Set.of(";", "|", "||", "&&", "&", "|&", "(", "{", "!", "then",
            "do", "else", "elif", "sudo", "time");

    private static final List<String> IP_OPTIONS = List.of("-4", "-6", "-brief", "-color", "-details", "-family",
            "-help", "-human", "-json", "-netns", "-oneline", "-pretty", "-resolve", "-statistics", "-timestamp",
            "-all", "-batch", "-force", "-Version");

    private static final List<String> LINK_KINDS = List.of("bridge", "dummy", "ifb", "veth");
    private static final List<String> TABLES = List.of("all", "default", "local", "main");
    private static final List<String> NUD = List.of("delay", "failed", "incomplete", "noarp", "none", "permanent",
            "probe", "reachable", "stale");
    private static final List<String> SCOPES = List.of("global", "host", "link", "nowhere", "site");
    private static final List<String> PROTOS = List.of("boot", "dhcp", "kernel", "ra", "redirect", "static");

    /** {@code ip OBJECT}'s verbs, in the order of its usage text. */
    private static final Map<String, List<String>> IP_VERBS = Map.of(
            "link", List.of("add", "delete", "set", "show", "change", "replace", "help"),
            "address", List.of("add", "change", "replace", "delete", "show", "flush", "save", "restore",
                    "showdump", "help"),
            "route", List.of("list", "show", "flush", "get", "add", "del", "change", "append", "replace",
                    "prepend", "test", "save", "restore", "showdump", "help"),
            "neighbour", List.of("add", "del", "change", "replace", "show", "flush", "get", "help"),
            "rule", List.of("list", "show", "add", "del", "flush", "save", "restore", "help"),
            "netns", List.of("list", "add", "attach", "set", "delete", "identify", "pids", "exec", "monitor",
                    "list-id", "help"),
            "maddress", List.of("show", "add", "del", "help"));

    /** The keywords each verb takes ({@code OBJECT VERB}, or {@code OBJECT *} for any other verb). */
    private static final Map<String, List<String>> IP_KEYWORDS = Map.ofEntries(
            Map.entry("link add", List.of("link", "name", "type", "txqueuelen", "address", "broadcast", "mtu",
                    "index", "numtxqueues", "numrxqueues", "netns", "group", "master", "up", "peer")),
            Map.entry("link set", List.of("dev", "up", "down", "name", "mtu", "address", "broadcast", "netns",
                    "master", "nomaster", "alias", "group", "txqueuelen", "arp", "multicast", "allmulticast",
                    "promisc", "type")),
            Map.entry("link *", List.of("dev", "up", "group", "master", "type", "vrf")),
            Map.entry("address add", List.of("dev", "local", "peer", "broadcast", "label", "scope",
                    "valid_lft", "preferred_lft", "noprefixroute", "nodad", "home", "autojoin")),
            Map.entry("address *", List.of("dev", "scope", "to", "label", "up", "primary", "secondary",
                    "dynamic", "permanent", "tentative", "master", "type")),
            Map.entry("route add", List.of("via", "dev", "src", "table", "proto", "scope", "metric",
                    "onlink", "default", "unreachable", "blackhole", "prohibit", "local", "broadcast")),
            Map.entry("route get", List.of("from", "iif", "oif", "dev", "mark", "tos", "connected", "vrf",
                    "uid", "ipproto", "sport", "dport")),
            Map.entry("route *", List.of("table", "dev", "via", "src", "proto", "scope", "type", "root",
                    "match", "exact", "cache")),
            Map.entry("neighbour add", List.of("lladdr", "dev", "nud", "router", "proxy", "extern_learn")),
            Map.entry("neighbour *", List.of("dev", "nud", "proxy", "to", "unused", "router")),
            Map.entry("rule add", List.of("from", "to", "iif", "oif", "table", "lookup", "priority", "pref",
                    "fwmark", "tos", "goto", "nop", "unreachable", "prohibit", "blackhole", "not")),
            Map.entry("rule *", List.of("from", "to", "iif", "oif", "table", "lookup", "priority", "pref")));

    private static final List<String> PING_OPTIONS = List.of("-4", "-6", "-a", "-A", "-b", "-c", "-D", "-f", "-h",
            "-i", "-I", "-l", "-L", "-n", "-q", "-Q", "-r", "-R", "-s", "-t", "-v", "-V", "-w", "-W");
    /** tcpdump 4.99's flags, as its usage text lists them. */
    private static final List<String> TCPDUMP_OPTIONS = List.of("-A", "-b", "-c", "-C", "-d", "-D", "-e", "-F",
            "-G", "-h", "-H", "-i", "-I", "-j", "-J", "-K", "-l", "-L", "-n", "-N", "-p", "-Q", "-q", "-r", "-S", "-s",
            "-t", "-T", "-u", "-U", "-v", "-V", "-w", "-W", "-x", "-X", "-y", "-Z", "--count", "--help",
            "--immediate-mode", "--interface", "--list-interfaces", "--number", "--print", "--version");
    private static final List<String> ARP_OPTIONS = List.of("-a", "-d", "-D", "-e", "-f", "-H", "-i", "-n", "-s",
            "-v", "--all", "--delete", "--device", "--help", "--numeric", "--set", "--verbose", "--version");
    private static final List<String> ROUTE_WORDS = List.of("add", "del", "-n", "-e", "-ee", "-net", "-host",
            "-A", "-C", "-F", "-v", "--help", "--version", "netmask", "gw", "metric", "dev", "reject", "default");
    private static final List<String> BRIDGE_OBJECTS = List.of("link", "fdb", "mdb", "vlan", "vni", "monitor",
            "help");
    private static final List<String> OVS_VERBS = List.of("add-br", "del-br", "list-br", "br-exists",
            "add-port", "del-port", "list-ports", "list-ifaces", "port-to-br", "iface-to-br", "show", "init",
            "list", "find", "get", "set", "clear", "remove", "--version", "--help");
    private static final List<String> IFCONFIG_OPTIONS = List.of("-a", "-s", "-v", "--help", "--version");
    private static final List<String> IFCONFIG_WORDS = List.of("up", "down", "netmask", "broadcast", "mtu",
            "txqueuelen", "hw", "arp", "-arp", "promisc", "-promisc", "allmulti", "-allmulti", "multicast");
    private static final List<String> NETSTAT_OPTIONS = List.of("-r", "-i", "-n", "-e", "-a", "-C", "-F", "-V",
            "--route", "--interfaces", "--numeric", "--extend", "--all", "--cache", "--fib", "--help", "--version");
    private static final List<String> SYSCTL_OPTIONS = List.of("-a", "-A", "-b", "-e", "-n", "-N", "-p", "-q",
            "-r", "-w", "-X", "--all", "--binary", "--help", "--ignore", "--load", "--names", "--pattern",
            "--quiet", "--system", "--values", "--version", "--write");

    private final ShellSession session;

    public Completion(ShellSession session) {
        this.session = session;
    }

    /**
     * The candidates for the last word of {@code line} (the text before the cursor), filtered by
     * the word typed so far; {@code null} for file names.
     */
    public List<Candidate> complete(String line) {
        List<String> words = words(line);
        String word = words.remove(words.size() - 1);
        // the words of the simple command the cursor is in
        int start = 0;
        for (int i = 0; i < words.size(); i++) {
            if (SEPARATORS.contains(words.get(i))) {
                start = i + 1;
            }
        }
        List<String> command = words.subList(start, words.size());
        List<Candidate> all = candidates(new ArrayList<>(command), word, session.netns());
        if (all == null) {
            return null;
        }
        List<Candidate> matching = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (Candidate c : all) {
            if (c.value().startsWith(word) && seen.add(c.value())) {
                matching.add(c);
            }
        }
        return matching;
    }

    private List<Candidate> candidates(List<String> command, String word, NetNamespace ns) {
        if (command.isEmpty()) {
            return word.contains("/") ? FILES : words(session.commands().descriptions().keySet());
        }
        String name = command.get(0);
        int slash = name.lastIndexOf('/');
        if (slash >= 0 && session.commands().isProgram(name)) {
            name = name.substring(slash + 1);
        }
        List<String> args = command.subList(1, command.size());
        String previous = args.isEmpty() ? null : args.get(args.size() - 1);
        return switch (name) {
            case "ip" -> ip(args, word, ns);
            case "ping" -> "-I".equals(previous) ? devices(ns)
                    : word.startsWith("-") ? words(PING_OPTIONS) : List.of();
            case "tcpdump" -> "-i".equals(previous) || "--interface".equals(previous) ? withAny(devices(ns))
                    : "-r".equals(previous) || "-w".equals(previous) ? FILES : words(TCPDUMP_OPTIONS);
            case "arp" -> "-i".equals(previous) || "--device".equals(previous) ? devices(ns) : words(ARP_OPTIONS);
            case "route" -> "dev".equals(previous) ? devices(ns) : words(ROUTE_WORDS);
            case "ifconfig" -> ifconfig(args, word, ns);
            case "netstat" -> words(NETSTAT_OPTIONS);
            case "bridge" -> bridge(args, ns);
            case "ovs-vsctl" -> ovs(args);
            case "sysctl" -> word.startsWith("-") ? words(SYSCTL_OPTIONS) : sysctlKeys(word, ns);
            case "lab" -> args.isEmpty() ? words(List.of("show", "check", "help"))
                    : args.get(0).equals("show") ? words(List.of("--dot", "--svg", "--ascii")) : FILES;
            case "help", "type", "which", "command" -> words(session.commands().descriptions().keySet());
            default -> FILES;
        };
    }

    /** {@code ifconfig [-a] [-s] [-v] [IFACE [ARGS...]]}. */
    private List<Candidate> ifconfig(List<String> args, String word, NetNamespace ns) {
        int i = 0;
        while (i < args.size() && args.get(i).startsWith("-")) {
            i++;
        }
        if (i == args.size()) {
            return word.startsWith("-") ? words(IFCONFIG_OPTIONS) : devices(ns);
        }
        String previous = args.get(args.size() - 1);
        return previous.equals("hw") ? words(List.of("ether")) : words(IFCONFIG_WORDS);
    }

    /** {@code ip [OPTIONS] OBJECT VERB ...}. */
    private List<Candidate> ip(List<String> args, String word, NetNamespace ns) {
        int i = 0;
        while (i < args.size() && args.get(i).startsWith("-")) {
            String opt = args.get(i);
            if (matchesOption(opt, "-netns", 2) || opt.equals("-n")) {
                if (i + 1 >= args.size()) {
                    return netnsNames();
                }
                NetNamespace named = session.netnsNames().lookup(args.get(i + 1));
                ns = named != null ? named : ns;
                i++;
            } else if (matchesOption(opt, "-family", 2) || opt.equals("-f")) {
                if (i + 1 >= args.size()) {
                    return words(List.of("inet", "inet6", "link", "bridge", "mpls"));
                }
                i++;
            }
            i++;
        }
        if (i == args.size()) {
            return word.startsWith("-") ? words(IP_OPTIONS) : words(Ip.objectNames());
        }
        String object = objectOf(args.get(i));
        List<String> rest = args.subList(i + 1, args.size());
        if (object == null) {
            return List.of();
        }
        List<String> verbs = IP_VERBS.getOrDefault(object, List.of("show", "help"));
        if (rest.isEmpty()) {
            return words(verbs);
        }
        String verb = first(verbs, rest.get(0));
        List<String> after = rest.subList(1, rest.size());
        String previous = after.isEmpty() ? null : after.get(after.size() - 1);
        if (object.equals("netns")) {
            return netns(verb, after, ns, word);
        }
        if (previous != null) {
            List<Candidate> value = value(object, previous, ns);
            if (value != null) {
                return value;
            }
        }
        List<String> keywords = IP_KEYWORDS.get(object + " " + verb);
        if (keywords == null) {
            keywords = IP_KEYWORDS.getOrDefault(object + " *", List.of());
        }
        List<Candidate> out = new ArrayList<>(words(keywords));
        if (object.equals("link") && !verb.equals("add") || object.equals("address") && !verb.equals("add")) {
            // a device name may stand alone where the grammar takes "dev NAME"
            out.addAll(devices(ns));
        }
        return out;
    }

    /** The candidates for the value after {@code keyword}, or {@code null} when it is not a valued keyword. */
    private List<Candidate> value(String object, String keyword, NetNamespace ns) {
        switch (keyword) {
            case "dev", "master", "oif", "iif", "link":
                return devices(ns);
            case "netns":
                return netnsNames();
            case "type":
                return object.equals("link") ? words(LINK_KINDS) : words(List.of("unicast", "local", "broadcast",
                        "multicast", "unreachable", "blackhole", "prohibit", "throw", "nat"));
            case "table", "lookup":
                return words(TABLES);
            case "nud":
                return words(NUD);
            case "scope":
                return words(SCOPES);
            case "proto":
                return words(PROTOS);
            case "name", "address", "mtu", "broadcast", "brd", "via", "src", "from", "to", "lladdr", "label",
                 "metric", "priority", "pref", "txqueuelen", "alias", "group", "index", "fwmark", "tos",
                 "valid_lft", "preferred_lft", "peer", "local":
                return List.of();
            default:
                return null;
        }
    }

    private List<Candidate> netns(String verb, List<String> after, NetNamespace ns, String word) {
        switch (verb) {
            case "delete", "set", "pids", "identify", "attach":
                return after.isEmpty() ? netnsNames() : List.of();
            case "exec":
                if (after.isEmpty()) {
                    return netnsNames();
                }
                NetNamespace target = session.netnsNames().lookup(after.get(0));
                return candidates(new ArrayList<>(after.subList(1, after.size())), word,
                        target != null ? target : ns);
            default:
                return List.of();
        }
    }

    private List<Candidate> bridge(List<String> args, NetNamespace ns) {
        int i = 0;
        while (i < args.size() && args.get(i).startsWith("-")) {
            i++;
        }
        if (i == args.size()) {
            return words(BRIDGE_OBJECTS);
        }
        if (i + 1 == args.size()) {
            return words(List.of("show", "add", "del", "set", "help"));
        }
        String previous = args.get(args.size() - 1);
        return previous.equals("dev") || previous.equals("br") || previous.equals("master") ? devices(ns)
                : words(List.of("dev", "br", "master", "vlan", "self", "permanent", "static"));
    }

    private List<Candidate> ovs(List<String> args) {
        if (args.isEmpty()) {
            return words(OVS_VERBS);
        }
        String verb = args.get(0);
        if (args.size() == 1 && List.of("del-br", "add-port", "del-port", "list-ports", "list-ifaces",
                "br-exists").contains(verb)) {
            List<Candidate> bridges = new ArrayList<>();
            for (var bridge : session.kernel().openVswitch().database().bridges) {
                bridges.add(new Candidate(bridge.name, true));
            }
            return bridges;
        }
        if (args.size() == 1 && List.of("list", "find", "get", "set", "clear", "remove").contains(verb)) {
            return words(List.of("Bridge", "Port", "Interface"));
        }
        return verb.equals("add-port") && args.size() == 2 ? devices(session.kernel().initNamespace()) : List.of();
    }

    /** sysctl keys, one level at a time: {@code net.ipv4.} lists what is under net.ipv4. */
    private List<Candidate> sysctlKeys(String word, NetNamespace ns) {
        String typed = word.replace('/', '.');
        int dot = typed.lastIndexOf('.');
        String dir = dot < 0 ? "" : typed.substring(0, dot);
        List<Candidate> out = new ArrayList<>();
        var table = ns.sysctls();
        String dirPath = dir.replace('.', '/');
        if (!dir.isEmpty() && !table.isDirectory(dirPath)) {
            return out;
        }
        for (String name : table.list(dirPath)) {
            String path = dirPath.isEmpty() ? name : dirPath + "/" + name;
            String key = (dir.isEmpty() ? "" : dir + ".") + name;
            if (word.contains("/")) {
                key = key.replace('.', '/');
            }
            boolean directory = table.isDirectory(path);
            out.add(new Candidate(directory ? key + (word.contains("/") ? "/" : ".") : key, !directory));
        }
        return out;
    }

    private static String objectOf(String word) {
        for (String name : Ip.objectNames()) {
            if (name.startsWith(word)) {
                return switch (name) {
                    case "neighbor", "neighbour" -> "neighbour";
                    default -> name;
                };
            }
        }
        return null;
    }

    /** iproute2's first-match: the first name of the table that starts with {@code word}. */
    private static String first(List<String> names, String word) {
        for (String name : names) {
            if (name.startsWith(word)) {
                return name;
            }
        }
        return word;
    }

    /** iproute2's {@code matches()} for an option: a prefix of {@code name}, at least {@code min} long. */
    private static boolean matchesOption(String opt, String name, int min) {
        return opt.length() >= min && name.startsWith(opt);
    }

    private List<Candidate> devices(NetNamespace ns) {
        List<Candidate> out = new ArrayList<>();
        for (NetDevice d : ns.devices()) {
            out.add(new Candidate(d.name(), true));
        }
        return out;
    }

    private static List<Candidate> withAny(List<Candidate> devices) {
        List<Candidate> out = new ArrayList<>(devices);
        out.add(new Candidate("any", true));
        return out;
    }

    private List<Candidate> netnsNames() {
        return words(session.netnsNames().names());
    }

    private static List<Candidate> words(Iterable<String> names) {
        List<Candidate> out = new ArrayList<>();
        for (String n : names) {
            out.add(new Candidate(n, true));
        }
        return out;
    }

    /**
     * The line split into words as the shell would (quotes and backslashes kept out of the
     * words, operators as words of their own); the last word is the one being typed, empty
     * after a blank.
     */
    static List<String> words(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    cur.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (c == '\\' && i + 1 < line.length()) {
                cur.append(line.charAt(++i));
                inWord = true;
            } else if (c == ' ' || c == '\t' || c == '\n') {
                if (inWord) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    inWord = false;
                }
            } else if (c == ';' || c == '|' || c == '&' || c == '(' || c == ')') {
                if (inWord) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    inWord = false;
                }
                String op = String.valueOf(c);
                if (i + 1 < line.length() && (c == '|' || c == '&') && (line.charAt(i + 1) == c
                        || c == '|' && line.charAt(i + 1) == '&')) {
                    op += line.charAt(++i);
                }
                out.add(op);
            } else {
                cur.append(c);
                inWord = true;
            }
        }
        out.add(cur.toString());
        return out;
    }

    private static final Set<String> COMMAND_BEFORE = Set.of(";", "|", "||", "&&", "&", "|&", "(", "{", "!", "then",
            "do", "else", "elif", "if", "while", "until", "sudo", "time");

    /**
     * Where the line names a command the shell does not know: {start, end} offsets of each such
     * word, for the highlighter to show in red. A word still being typed at the end of the line
     * is not marked while some command starts with it; words with expansions or quotes are not
     * judged.
     */
    public List<int[]> unknownCommands(String line) {
        List<int[]> out = new ArrayList<>();
        boolean commandPosition = true;
        int i = 0;
        int n = line.length();
        while (i < n) {
            char c = line.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n') {
                i++;
                continue;
            }
            if (c == '#' && commandPosition) {
                break;
            }
            if (c == ';' || c == '|' || c == '&' || c == '(' || c == ')') {
                commandPosition = c != ')';
                i++;
                continue;
            }
            int start = i;
            boolean plain = true;
            char quote = 0;
            while (i < n) {
                char d = line.charAt(i);
                if (quote != 0) {
                    if (d == quote) {
                        quote = 0;
                    }
                } else if (d == '\'' || d == '"') {
                    quote = d;
                    plain = false;
                } else if (d == '\\') {
                    plain = false;
                    i++;
                } else if (d == ' ' || d == '\t' || d == '\n' || d == ';' || d == '|' || d == '&' || d == '('
                        || d == ')') {
                    break;
                } else if (d == '$' || d == '`' || d == '*' || d == '?' || d == '[' || d == '<' || d == '>') {
                    plain = false;
                }
                i++;
            }
            String word = line.substring(start, Math.min(i, n));
            if (!commandPosition) {
                continue;
            }
            if (word.matches("[A-Za-z_][A-Za-z0-9_]*=.*")) {
                // an assignment: the command, if any, comes next
                continue;
            }
            commandPosition = COMMAND_BEFORE.contains(word);
            if (!plain || known(word)) {
                continue;
            }
            boolean typing = i >= n;
            if (typing && session.commands().descriptions().keySet().stream().anyMatch(k -> k.startsWith(word))) {
                continue;
            }
            out.add(new int[] {start, i});
        }
        return out;
    }

    private boolean known(String word) {
        return session.commands().lookup(word) != null || session.functions().containsKey(word)
                || dev.ipsim.shell.builtins.Builtins.isKeyword(word);
    }
}
