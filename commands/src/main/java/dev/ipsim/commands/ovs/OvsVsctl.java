package dev.ipsim.commands.ovs;

import dev.ipsim.commands.Command;
import dev.ipsim.commands.Exit;
import dev.ipsim.commands.Invocation;
import dev.ipsim.kernel.ovs.OpenVswitch;
import dev.ipsim.kernel.ovs.OvsDatabase;
import dev.ipsim.kernel.ovs.OvsUuid;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code ovs-vsctl} from Open vSwitch 3.1 ({@code utilities/ovs-vsctl.c},
 * {@code lib/db-ctl-base.c}): bridge and port commands over the configuration database, in one
 * transaction per invocation (commands separated by {@code --}); a command that fails leaves
 * the database as it was and prints nothing else. After committing it waits for
 * ovs-vswitchd, and reports the interfaces it could not set up.
 *
 * <p>The generic database commands ({@code get}, {@code set}, {@code list}...) and the
 * controller, manager, SSL, bond and fake-bridge commands are not simulated; they say so.
 */
public final class OvsVsctl implements Command {

    private static final String PROGRAM = "ovs-vsctl";

    /** {@code name, min args, max args, options it takes}. */
    private record Syntax(String name, int min, int max, Set<String> options) {
    }

    private static final int MANY = Integer.MAX_VALUE;

    /** Every command ovs-vsctl 3.1 knows, with its argument counts and options. */
    private static final Map<String, Syntax> COMMANDS = new LinkedHashMap<>();

    static {
        for (Syntax s : List.of(
                new Syntax("init", 0, 0, Set.of()),
                new Syntax("add-br", 1, 3, Set.of("--may-exist")),
                new Syntax("del-br", 1, 1, Set.of("--if-exists")),
                new Syntax("list-br", 0, 0, Set.of("--real", "--fake")),
                new Syntax("br-exists", 1, 1, Set.of()),
                new Syntax("br-to-vlan", 1, 1, Set.of()),
                new Syntax("br-to-parent", 1, 1, Set.of()),
                new Syntax("br-set-external-id", 2, 3, Set.of()),
                new Syntax("br-get-external-id", 1, 2, Set.of()),
                new Syntax("list-ports", 1, 1, Set.of()),
                new Syntax("add-port", 2, MANY, Set.of("--may-exist")),
                new Syntax("del-port", 1, 2, Set.of("--if-exists", "--with-iface")),
                new Syntax("port-to-br", 1, 1, Set.of()),
                new Syntax("add-bond", 4, MANY, Set.of("--may-exist", "--fake-iface")),
                new Syntax("add-bond-iface", 2, 2, Set.of("--may-exist")),
                new Syntax("del-bond-iface", 1, 2, Set.of("--if-exists")),
                new Syntax("list-ifaces", 1, 1, Set.of()),
                new Syntax("iface-to-br", 1, 1, Set.of()),
                new Syntax("get-controller", 1, 1, Set.of()),
                new Syntax("del-controller", 1, 1, Set.of()),
                new Syntax("set-controller", 1, MANY, Set.of()),
                new Syntax("get-fail-mode", 1, 1, Set.of()),
                new Syntax("del-fail-mode", 1, 1, Set.of()),
                new Syntax("set-fail-mode", 2, 2, Set.of()),
                new Syntax("get-manager", 0, 0, Set.of()),
                new Syntax("del-manager", 0, 0, Set.of()),
                new Syntax("set-manager", 1, MANY, Set.of()),
                new Syntax("get-ssl", 0, 0, Set.of()),
                new Syntax("del-ssl", 0, 0, Set.of()),
                new Syntax("set-ssl", 3, 3, Set.of("--bootstrap")),
                new Syntax("add-aa-mapping", 3, 3, Set.of()),
                new Syntax("del-aa-mapping", 3, 3, Set.of()),
                new Syntax("get-aa-mapping", 1, 1, Set.of()),
                new Syntax("emer-reset", 0, 0, Set.of()),
                new Syntax("add-zone-tp", 3, MANY, Set.of("--may-exist")),
                new Syntax("del-zone-tp", 2, 2, Set.of("--if-exists")),
                new Syntax("list-zone-tp", 1, 1, Set.of()),
                new Syntax("list-dp-cap", 1, 1, Set.of()),
                new Syntax("comment", 0, MANY, Set.of()),
                new Syntax("get", 2, MANY, Set.of("--if-exists", "--id")),
                new Syntax("list", 1, MANY, Set.of("--if-exists", "--columns")),
                new Syntax("find", 1, MANY, Set.of("--columns")),
                new Syntax("set", 3, MANY, Set.of("--if-exists")),
                new Syntax("add", 4, MANY, Set.of("--if-exists")),
                new Syntax("remove", 4, MANY, Set.of("--if-exists")),
                new Syntax("clear", 3, MANY, Set.of("--if-exists")),
                new Syntax("create", 2, MANY, Set.of("--id")),
                new Syntax("destroy", 1, MANY, Set.of("--if-exists", "--all")),
                new Syntax("wait-until", 2, MANY, Set.of()),
                new Syntax("show", 0, 0, Set.of()))) {
            COMMANDS.put(s.name(), s);
        }
    }

    /** The commands this model carries out; the others say they are not simulated. */
    private static final Set<String> SIMULATED = Set.of("init", "add-br", "del-br", "list-br", "br-exists",
            "list-ports", "add-port", "del-port", "port-to-br", "list-ifaces", "iface-to-br", "comment", "show");

    /** The options {@code ovs-vsctl} takes before its commands (no argument / with one). */
    private static final Set<String> GLOBAL_FLAGS = Set.of("--no-wait", "--no-syslog", "--dry-run", "--oneline",
            "--retry", "--leader-only", "--no-leader-only", "--shuffle-remotes", "--no-shuffle-remotes");
    private static final Set<String> GLOBAL_WITH_ARG = Set.of("--db", "--timeout", "--format", "--data");

    /** A command ovs-vsctl fails with ({@code ctl_fatal}): message, status 1. */
    private static final class Fatal extends RuntimeException {
        Fatal(String message) {
            super(message, null, false, false);
        }
    }

    private record Parsed(Syntax syntax, Map<String, String> options, List<String> args) {
    }

    @Override
    public int run(Invocation inv) {
        PrintStream err = inv.err();
        try {
            return main(inv);
        } catch (Fatal f) {
            err.print(PROGRAM + ": " + f.getMessage() + "\n");
            return 1;
        } catch (Exit e) {
            return e.status();
        } finally {
            inv.out().flush();
        }
    }

    private static int main(Invocation inv) {
        List<String> argv = inv.args();
        boolean wait = true;
        Map<String, String> firstLocal = new LinkedHashMap<>();
        int i = 0;
        for (; i < argv.size(); i++) {
            String a = argv.get(i);
            if (a.equals("--") || !a.startsWith("-") || a.equals("-")) {
                break;
            }
            String key = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
            String value = a.contains("=") ? a.substring(a.indexOf('=') + 1) : null;
            if (a.equals("-V") || a.equals("--version")) {
                inv.out().print(PROGRAM + " (Open vSwitch) " + OpenVswitch.VERSION + "\nDB Schema "
                        + OpenVswitch.DB_SCHEMA + "\n");
                throw new Exit(0);
            } else if (a.equals("-h") || a.equals("--help")) {
                inv.err().print("ipsim: ovs-vsctl --help is not simulated yet\n");
                throw new Exit(1);
            } else if (key.equals("--no-wait")) {
                wait = false;
            } else if (GLOBAL_FLAGS.contains(key)) {
                // accepted, and of no consequence here
            } else if (GLOBAL_WITH_ARG.contains(key) || a.equals("-t")) {
                if (value == null) {
                    i++;
                    if (i >= argv.size()) {
                        inv.err().print(PROGRAM + ": option '" + key + "' requires an argument\n");
                        throw new Exit(1);
                    }
                    value = argv.get(i);
                }
                if (key.equals("--timeout") || a.equals("-t")) {
                    Long t = parseUnsigned(value);
                    if (t == null || t == 0) {
                        throw new Fatal("value " + value + " on -t or --timeout is invalid");
                    }
                }
            } else if (a.startsWith("-v") || key.equals("--verbose") || key.equals("--log-file")) {
                // logging options
            } else if (isLocalOption(key)) {
                // parse_options looks a repeat up under the wrong key, so a repeat passes
                firstLocal.put(key, value);
            } else if (a.startsWith("--")) {
                inv.err().print(PROGRAM + ": unrecognized option '" + a + "'\n");
                throw new Exit(1);
            } else {
                inv.err().print(PROGRAM + ": invalid option -- '" + a.charAt(1) + "'\n");
                throw new Exit(1);
            }
        }
        List<Parsed> commands = parseCommands(argv.subList(i, argv.size()), firstLocal);
        for (Parsed c : commands) {
            if (!SIMULATED.contains(c.syntax().name())) {
                inv.err().print("ipsim: ovs-vsctl " + c.syntax().name() + " is not simulated yet\n");
                return 1;
            }
        }
        OpenVswitch ovs = inv.context().kernel().openVswitch();
        Transaction txn = new Transaction(ovs);
        StringBuilder out = new StringBuilder();
        for (Parsed c : commands) {
            int status = txn.execute(c, out);
            if (status != 0) {
                return status;
            }
        }
        if (txn.changed) {
            ovs.commit(txn.db);
        }
        inv.out().print(out);
        if (wait) {
            reportSetupErrors(inv, ovs, txn.newInterfaces);
        }
        return 0;
    }

    private static Long parseUnsigned(String s) {
        if (s.isEmpty() || !s.chars().allMatch(Character::isDigit) || s.length() > 9) {
            return null;
        }
        return Long.parseLong(s);
    }

    private static boolean isLocalOption(String key) {
        for (Syntax s : COMMANDS.values()) {
            if (s.options().contains(key)) {
                return true;
            }
        }
        return false;
    }

    /** {@code ctl_parse_commands}: commands separated by {@code --}, each with its own options first. */
    private static List<Parsed> parseCommands(List<String> argv, Map<String, String> firstLocal) {
        List<Parsed> out = new ArrayList<>();
        Map<String, String> local = firstLocal;
        int start = 0;
        boolean leadingSeparator = !argv.isEmpty() && argv.get(0).equals("--");
        if (leadingSeparator) {
            start = 1;
        }
        for (int i = start; i <= argv.size(); i++) {
            if (i == argv.size() || argv.get(i).equals("--")) {
                if (i > start) {
                    out.add(parseCommand(argv.subList(start, i), local));
                } else if (!local.isEmpty()) {
                    throw new Fatal("missing command name (use --help for help)");
                }
                local = new LinkedHashMap<>();
                start = i + 1;
            }
        }
        if (out.isEmpty()) {
            throw new Fatal("missing command name (use --help for help)");
        }
        return out;
    }

    /** {@code parse_command}. */
    private static Parsed parseCommand(List<String> words, Map<String, String> inherited) {
        Map<String, String> options = new LinkedHashMap<>(inherited);
        int i = 0;
        for (; i < words.size(); i++) {
            String w = words.get(i);
            if (!w.startsWith("-")) {
                break;
            }
            String key = w.contains("=") ? w.substring(0, w.indexOf('=')) : w;
            if (options.containsKey(key)) {
                throw new Fatal("'" + w + "' option specified multiple times");
            }
            options.put(key, w.contains("=") ? w.substring(w.indexOf('=') + 1) : null);
        }
        if (i == words.size()) {
            throw new Fatal("missing command name (use --help for help)");
        }
        String name = words.get(i);
        Syntax syntax = COMMANDS.get(name);
        if (syntax == null) {
            throw new Fatal("unknown command '" + name + "'; use --help for help");
        }
        for (String o : options.keySet()) {
            if (!syntax.options().contains(o)) {
                throw new Fatal("'" + name + "' command has no '" + o + "' option");
            }
        }
        int n = words.size() - i - 1;
        if (n < syntax.min()) {
            throw new Fatal("'" + name + "' command requires at least " + syntax.min() + " arguments");
        }
        if (n > syntax.max()) {
            for (int j = i + 1; j < words.size(); j++) {
                if (words.get(j).startsWith("-")) {
                    throw new Fatal("'" + name + "' command takes at most " + syntax.max() + " arguments "
                            + "(note that options must precede command names and follow a \"--\" argument)");
                }
            }
            throw new Fatal("'" + name + "' command takes at most " + syntax.max() + " arguments");
        }
        return new Parsed(syntax, options, new ArrayList<>(words.subList(i + 1, words.size())));
    }

    /** {@code post_db_reload_do_checks}: interfaces this run added that ovs-vswitchd could not set up. */
    private static void reportSetupErrors(Invocation inv, OpenVswitch ovs, List<OvsUuid> added) {
        boolean any = false;
        for (OvsDatabase.Bridge b : ovs.database().bridges) {
            for (OvsDatabase.Port p : b.ports) {
                for (OvsDatabase.Interface i : p.interfaces) {
                    if (added.contains(i.uuid) && (i.ofport == null || i.ofport == -1)) {
                        if (i.error != null && !i.error.isEmpty()) {
                            inv.err().print(PROGRAM + ": Error detected while setting up '" + i.name + "': " + i.error
                                    + ".  See ovs-vswitchd log for details.\n");
                        } else {
                            inv.err().print(PROGRAM + ": Error detected while setting up '" + i.name
                                    + "'.  See ovs-vswitchd log for details.\n");
                        }
                        any = true;
                    }
                }
            }
        }
        if (any) {
            inv.err().print(PROGRAM + ": The default log directory is \"/var/log/openvswitch\".\n");
        }
    }

    // ------------------------------------------------------------------ the commands

    /** One invocation's transaction: the commands work on a copy of the database. */
    private static final class Transaction {
        final OpenVswitch ovs;
        final OvsDatabase db;
        boolean changed;
        final List<OvsUuid> newInterfaces = new ArrayList<>();

        Transaction(OpenVswitch ovs) {
            this.ovs = ovs;
            this.db = ovs.database().copy();
        }

        int execute(Parsed c, StringBuilder out) {
            List<String> a = c.args();
            Map<String, String> o = c.options();
            switch (c.syntax().name()) {
                case "init", "comment" -> {
                }
                case "show" -> show(out);
                case "add-br" -> addBridge(a, o.containsKey("--may-exist"));
                case "del-br" -> {
                    OvsDatabase.Bridge b = findBridge(a.get(0), !o.containsKey("--if-exists"));
                    if (b != null) {
                        db.bridges.remove(b);
                        changed = true;
                    }
                }
                case "list-br" -> {
                    List<String> names = new ArrayList<>();
                    if (!o.containsKey("--fake") || o.containsKey("--real")) {
                        for (OvsDatabase.Bridge b : db.bridges) {
                            names.add(b.name);
                        }
                    }
                    sorted(names, out);
                }
                case "br-exists" -> {
                    if (db.bridge(a.get(0)) == null) {
                        return 2;
                    }
                }
                case "list-ports" -> {
                    OvsDatabase.Bridge b = findBridge(a.get(0), true);
                    List<String> names = new ArrayList<>();
                    for (OvsDatabase.Port p : b.ports) {
                        if (!p.name.equals(b.name)) {
                            names.add(p.name);
                        }
                    }
                    sorted(names, out);
                }
                case "list-ifaces" -> {
                    OvsDatabase.Bridge b = findBridge(a.get(0), true);
                    List<String> names = new ArrayList<>();
                    for (OvsDatabase.Port p : b.ports) {
                        for (OvsDatabase.Interface i : p.interfaces) {
                            if (!i.name.equals(b.name)) {
                                names.add(i.name);
                            }
                        }
                    }
                    sorted(names, out);
                }
                case "add-port" -> addPort(a, o.containsKey("--may-exist"));
                case "del-port" -> deletePort(a, !o.containsKey("--if-exists"), o.containsKey("--with-iface"));
                case "port-to-br" -> out.append(portBridge(findPort(a.get(0), true)).name).append('\n');
                case "iface-to-br" -> {
                    OvsDatabase.Bridge owner = null;
                    for (OvsDatabase.Bridge b : db.bridges) {
                        for (OvsDatabase.Port p : b.ports) {
                            for (OvsDatabase.Interface i : p.interfaces) {
                                if (i.name.equals(a.get(0)) && !i.name.equals(b.name)) {
                                    owner = b;
                                }
                            }
                        }
                    }
                    if (owner == null) {
                        throw new Fatal("no interface named " + a.get(0));
                    }
                    out.append(owner.name).append('\n');
                }
                default -> throw new IllegalStateException(c.syntax().name());
            }
            return 0;
        }

        private static void sorted(List<String> names, StringBuilder out) {
            names.sort(Comparator.naturalOrder());
            for (String n : names) {
                out.append(n).append('\n');
            }
        }

        /** {@code find_bridge}. */
        private OvsDatabase.Bridge findBridge(String name, boolean mustExist) {
            OvsDatabase.Bridge b = db.bridge(name);
            if (b == null && mustExist) {
                throw new Fatal("no bridge named " + name);
            }
            return b;
        }

        /** {@code find_port}: a port, but not a bridge's local one. */
        private OvsDatabase.Port findPort(String name, boolean mustExist) {
            for (OvsDatabase.Bridge b : db.bridges) {
                OvsDatabase.Port p = b.port(name);
                if (p != null && !name.equals(b.name)) {
                    return p;
                }
            }
            if (mustExist) {
                throw new Fatal("no port named " + name);
            }
            return null;
        }

        private OvsDatabase.Bridge portBridge(OvsDatabase.Port port) {
            for (OvsDatabase.Bridge b : db.bridges) {
                if (b.ports.contains(port)) {
                    return b;
                }
            }
            throw new IllegalStateException();
        }

        /** {@code check_conflicts}: the name is no bridge, port or interface yet. */
        private void checkConflicts(String name, String message) {
            if (db.bridge(name) != null) {
                throw new Fatal(message + " because a bridge named " + name + " already exists");
            }
            for (OvsDatabase.Bridge b : db.bridges) {
                if (b.port(name) != null) {
                    throw new Fatal(message + " because a port named " + name + " already exists on bridge "
                            + b.name);
                }
            }
            for (OvsDatabase.Bridge b : db.bridges) {
                for (OvsDatabase.Port p : b.ports) {
                    for (OvsDatabase.Interface i : p.interfaces) {
                        if (i.name.equals(name)) {
                            throw new Fatal(message + " because an interface named " + name
                                    + " already exists on bridge " + b.name);
                        }
                    }
                }
            }
        }

        /** {@code cmd_add_br}: a bridge with its local port and internal interface of the same name. */
        private void addBridge(List<String> a, boolean mayExist) {
            String name = a.get(0);
            if (name.isEmpty()) {
                throw new Fatal("bridge name must not be empty string");
            }
            if (a.size() == 3) {
                throw new Fatal("ipsim: VLAN (fake) bridges are not simulated yet");
            } else if (a.size() != 1) {
                throw new Fatal("'add-br' command takes exactly 1 or 3 arguments");
            }
            if (mayExist && db.bridge(name) != null) {
                return;
            }
            checkConflicts(name, "cannot create a bridge named " + name);
            OvsDatabase.Interface iface = new OvsDatabase.Interface(ovs.newUuid(), name, "internal");
            OvsDatabase.Port port = new OvsDatabase.Port(ovs.newUuid(), name);
            port.interfaces.add(iface);
            OvsDatabase.Bridge br = new OvsDatabase.Bridge(ovs.newUuid(), name);
            br.ports.add(port);
            db.bridges.add(br);
            newInterfaces.add(iface.uuid);
            changed = true;
        }

        /** {@code add_port}: a port with one system interface of the same name. */
        private void addPort(List<String> a, boolean mayExist) {
            String bridgeName = a.get(0);
            String name = a.get(1);
            if (name.isEmpty()) {
                throw new Fatal("port name must not be empty string");
            }
            if (mayExist) {
                OvsDatabase.Port existing = findPort(name, false);
                if (existing != null) {
                    OvsDatabase.Bridge at = portBridge(existing);
                    if (!at.name.equals(bridgeName)) {
                        throw new Fatal("\"--may-exist add-port " + String.join(" ", a) + "\" but " + name
                                + " is actually attached to bridge " + at.name);
                    }
                    return;
                }
            }
            checkConflicts(name, "cannot create a port named " + name);
            checkConflicts(name, "cannot create an interface named " + name);
            OvsDatabase.Bridge br = findBridge(bridgeName, true);
            if (a.size() > 2) {
                throw new Fatal("ipsim: column settings on add-port (" + a.get(2) + ") are not simulated yet");
            }
            OvsDatabase.Interface iface = new OvsDatabase.Interface(ovs.newUuid(), name, "");
            OvsDatabase.Port port = new OvsDatabase.Port(ovs.newUuid(), name);
            port.interfaces.add(iface);
            br.ports.add(port);
            newInterfaces.add(iface.uuid);
            changed = true;
        }

        /** {@code cmd_del_port}. */
        private void deletePort(List<String> a, boolean mustExist, boolean withIface) {
            String target = a.get(a.size() - 1);
            OvsDatabase.Port port;
            if (db.bridge(target) != null) {
                if (mustExist) {
                    throw new Fatal("cannot delete port " + target + " because it is the local port for bridge "
                            + target + " (deleting this port requires deleting the entire bridge)");
                }
                port = null;
            } else if (!withIface) {
                port = findPort(target, mustExist);
            } else {
                port = findPort(target, false);
                if (port == null) {
                    for (OvsDatabase.Bridge b : db.bridges) {
                        for (OvsDatabase.Port p : b.ports) {
                            for (OvsDatabase.Interface i : p.interfaces) {
                                if (i.name.equals(target) && !b.name.equals(target)) {
                                    port = p;
                                }
                            }
                        }
                    }
                }
                if (mustExist && port == null) {
                    throw new Fatal("no port or interface named " + target);
                }
            }
            if (port == null) {
                return;
            }
            OvsDatabase.Bridge owner = portBridge(port);
            if (a.size() == 2) {
                OvsDatabase.Bridge br = findBridge(a.get(0), true);
                if (owner != br) {
                    throw new Fatal("bridge " + a.get(0) + " does not have a port " + a.get(1));
                }
            }
            owner.ports.remove(port);
            changed = true;
        }

        /** {@code cmd_show} over the tables {@code ovs-vsctl show} walks. */
        private void show(StringBuilder out) {
            out.append(db.uuid).append('\n');
            List<OvsDatabase.Bridge> bridges = new ArrayList<>(db.bridges);
            bridges.sort(Comparator.comparing(b -> b.uuid));
            for (OvsDatabase.Bridge b : bridges) {
                out.append("    Bridge ").append(atom(b.name)).append('\n');
                List<OvsDatabase.Port> ports = new ArrayList<>(b.ports);
                ports.sort(Comparator.comparing(p -> p.uuid));
                for (OvsDatabase.Port p : ports) {
                    out.append("        Port ").append(atom(p.name)).append('\n');
                    List<OvsDatabase.Interface> ifaces = new ArrayList<>(p.interfaces);
                    ifaces.sort(Comparator.comparing(i -> i.uuid));
                    for (OvsDatabase.Interface i : ifaces) {
                        out.append("            Interface ").append(atom(i.name)).append('\n');
                        if (i.type != null && !i.type.isEmpty()) {
                            out.append("                type: ").append(atom(i.type)).append('\n');
                        }
                        if (i.error != null) {
                            out.append("                error: ").append(atom(i.error)).append('\n');
                        }
                    }
                }
            }
            out.append("    ovs_version: ").append(atom(db.ovsVersion)).append('\n');
        }
    }

    /** {@code ovsdb_atom_to_string} for a string: bare when it reads as an identifier, else JSON-quoted. */
    static String atom(String s) {
        if (!needsQuotes(s)) {
            return s;
        }
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    /** {@code string_needs_quotes}. */
    private static boolean needsQuotes(String s) {
        if (s.isEmpty()) {
            return true;
        }
        char first = s.charAt(0);
        if (!Character.isLetter(first) || first > 0x7f) {
            if (first != '_') {
                return true;
            }
        }
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c < 0x80 && Character.isLetterOrDigit(c)) || c == '_' || c == '-' || c == '.';
            if (!ok) {
                return true;
            }
        }
        if (s.equals("true") || s.equals("false")) {
            return true;
        }
        return s.matches("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    }
}
