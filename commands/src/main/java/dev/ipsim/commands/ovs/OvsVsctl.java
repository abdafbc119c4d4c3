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
 * <p>The generic database commands ({@code get}, {@code set}, {@code clear}, {@code remove},
 * {@code list}, {@code find}) work on the Bridge, Port and Interface tables ({@link OvsTables});
 * {@code create}, {@code destroy}, {@code add}, map columns, the other tables and the
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
            "list-ports", "add-port", "del-port", "port-to-br", "list-ifaces", "iface-to-br", "comment", "show",
            "get", "set", "list", "find", "clear", "remove");

    /** The options {@code ovs-vsctl} takes before its commands (no argument / with one). */
    private static final Set<String> GLOBAL_FLAGS = Set.of("--no-wait", "--no-syslog", "--dry-run", "--oneline",
            "--retry", "--leader-only", "--no-leader-only", "--shuffle-remotes", "--no-shuffle-remotes", "--bare",
            "--no-headings", "--pretty");
    private static final Set<String> GLOBAL_WITH_ARG = Set.of("--db", "--timeout", "--format", "--data");

    /** A command ovs-vsctl fails with ({@code ctl_fatal}): message, status 1. */
    private static final class Fatal extends RuntimeException {
        Fatal(String message) {
            super(message, null, false, false);
        }
    }

    private record Parsed(Syntax syntax, Map<String, String> options, List<String> args) {
    }

    /** How {@code list} and {@code find} print their tables ({@code --format}, {@code --data}, {@code --bare}). */
    private static final class Style {
        String format = "list";
        String data = "string";
        boolean headings = true;
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
        Style style = new Style();
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
            } else if (key.equals("--bare")) {
                style.format = "list";
                style.data = "bare";
                style.headings = false;
            } else if (key.equals("--no-headings")) {
                style.headings = false;
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
                if (key.equals("--format")) {
                    if (value.equals("html")) {
                        inv.err().print("ipsim: ovs-vsctl --format=" + value + " is not simulated yet\n");
                        throw new Exit(1);
                    }
                    if (!List.of("list", "table", "csv", "json").contains(value)) {
                        throw new Fatal("unknown output format \"" + value + "\"");
                    }
                    style.format = value;
                } else if (key.equals("--data")) {
                    if (!List.of("string", "bare").contains(value)) {
                        inv.err().print("ipsim: ovs-vsctl --data=" + value + " is not simulated yet\n");
                        throw new Exit(1);
                    }
                    style.data = value;
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
        Transaction txn = new Transaction(ovs, style);
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

        final Style style;
        /** {@code table_print_list__}/{@code table_print_table__}'s counters: a blank line between tables. */
        int listsPrinted;
        int tablesPrinted;

        Transaction(OpenVswitch ovs, Style style) {
            this.ovs = ovs;
            this.db = ovs.database().copy();
            this.style = style;
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
                case "get" -> get(a, o, out);
                case "set" -> set(a, o);
                case "clear" -> clear(a, o);
                case "remove" -> remove(a, o);
                case "list" -> list(a, o, out);
                case "find" -> find(a, o, out);
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
            OvsDatabase.Interface iface = new OvsDatabase.Interface(ovs.newUuid(), name, "");
            OvsDatabase.Port port = new OvsDatabase.Port(ovs.newUuid(), name);
            port.interfaces.add(iface);
            for (String setting : a.subList(2, a.size())) {
                setColumn(new OvsTables.Row(OvsTables.PORT, br, port, null), setting);
            }
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

        // -------------------------------------------------------------- the database commands

        private OvsTables.Table table(String name) {
            OvsTables.Table best = null;
            String bestName = null;
            long bestScore = 0;
            List<String> names = new ArrayList<>(OvsTables.OTHER_TABLES);
            for (OvsTables.Table t : OvsTables.TABLES) {
                names.add(t.name());
            }
            for (String n : names) {
                long sc = OvsTables.score(n, name);
                if (sc > bestScore) {
                    bestScore = sc;
                    bestName = n;
                } else if (sc == bestScore && sc > 0) {
                    bestName = null;
                }
            }
            if (bestName == null) {
                throw new Fatal(bestScore > 0 ? "multiple table names match \"" + name + "\""
                        : "unknown table \"" + name + "\"");
            }
            for (OvsTables.Table t : OvsTables.TABLES) {
                if (t.name().equals(bestName)) {
                    best = t;
                }
            }
            if (best == null) {
                throw new Fatal("ipsim: the " + bestName + " table is not simulated yet");
            }
            return best;
        }

        /** {@code get_column}; {@code null} stands for {@code _uuid} where that is allowed. */
        private static OvsTables.Column column(OvsTables.Table t, String name, boolean uuidToo) {
            if (uuidToo && (name.equalsIgnoreCase("_uuid"))) {
                return null;
            }
            long bestScore = 0;
            List<OvsTables.Column> best = new ArrayList<>();
            for (OvsTables.Column c : t.columns()) {
                long sc = OvsTables.score(c.name(), name);
                if (sc > bestScore) {
                    bestScore = sc;
                    best.clear();
                    best.add(c);
                } else if (sc == bestScore && sc > 0) {
                    best.add(c);
                }
            }
            if (best.isEmpty()) {
                throw new Fatal(t.name() + " does not contain a column whose name matches \"" + name + "\"");
            }
            if (best.size() > 1) {
                List<String> names = new ArrayList<>();
                for (OvsTables.Column c : best) {
                    names.add(c.name());
                }
                throw new Fatal(t.name() + " contains more than one column whose name matches \"" + name + "\": "
                        + String.join(", ", names));
            }
            return best.get(0);
        }

        private OvsTables.Row row(OvsTables.Table t, String record, boolean mustExist) {
            OvsTables.Row r = OvsTables.find(db, t, record);
            if (r == null && mustExist) {
                throw new Fatal("no row \"" + record + "\" in table " + t.name());
            }
            return r;
        }

        private dev.ipsim.kernel.NetNamespace ns() {
            return ovs.kernel().initNamespace();
        }

        /** {@code cmd_get}. */
        private void get(List<String> a, Map<String, String> o, StringBuilder out) {
            if (o.containsKey("--id")) {
                throw new Fatal("ipsim: get --id is not simulated yet");
            }
            OvsTables.Table t = table(a.get(0));
            List<OvsTables.Column> cols = new ArrayList<>();
            for (String name : a.subList(2, a.size())) {
                if (name.contains(":")) {
                    throw new Fatal("ipsim: get of a map key (" + name + ") is not simulated yet");
                }
                cols.add(column(t, name, true));
            }
            OvsTables.Row r = row(t, a.get(1), !o.containsKey("--if-exists"));
            if (r == null) {
                return;
            }
            for (OvsTables.Column c : cols) {
                out.append(c == null ? r.uuid().toString() : OvsTables.toText(OvsTables.get(r, c, ns()))).append('\n');
            }
        }

        /** {@code set_column}: one {@code COLUMN=VALUE}. */
        private void setColumn(OvsTables.Row r, String arg) {
            int eq = arg.indexOf('=');
            int colon = arg.indexOf(':');
            String name = arg.substring(0, eq < 0 ? arg.length() : eq);
            if (colon >= 0 && (eq < 0 || colon < eq)) {
                column(r.table(), arg.substring(0, colon), false);
                throw new Fatal("ipsim: setting a map key (" + arg + ") is not simulated yet");
            }
            OvsTables.Column c = column(r.table(), name, false);
            if (eq < 0) {
                throw new Fatal(arg + ": argument does not end in \"=\" followed by a value.");
            }
            modifiable(r.table(), c);
            OvsTables.Datum d;
            try {
                d = OvsTables.parse(c, arg.substring(eq + 1));
            } catch (OvsTables.BadValue e) {
                throw new Fatal(e.getMessage());
            }
            OvsTables.set(r, d);
            changed = true;
        }

        private static void modifiable(OvsTables.Table t, OvsTables.Column c) {
            if (c.name().equals("name")) {
                throw new Fatal("cannot modify read-only column name in table " + t.name());
            }
            if (!c.modelled()) {
                throw new Fatal("ipsim: setting column " + c.name() + " of table " + t.name()
                        + " is not simulated yet");
            }
        }

        /** {@code cmd_set}. */
        private void set(List<String> a, Map<String, String> o) {
            OvsTables.Table t = table(a.get(0));
            for (String arg : a.subList(2, a.size())) {
                int eq = arg.indexOf('=');
                int colon = arg.indexOf(':');
                int end = eq < 0 ? arg.length() : eq;
                if (colon >= 0 && colon < end) {
                    end = colon;
                }
                column(t, arg.substring(0, end), false);
            }
            OvsTables.Row r = row(t, a.get(1), !o.containsKey("--if-exists"));
            if (r == null) {
                return;
            }
            for (String arg : a.subList(2, a.size())) {
                setColumn(r, arg);
            }
        }

        /** {@code cmd_clear}. */
        private void clear(List<String> a, Map<String, String> o) {
            OvsTables.Table t = table(a.get(0));
            List<OvsTables.Column> cols = new ArrayList<>();
            for (String name : a.subList(2, a.size())) {
                cols.add(column(t, name, false));
            }
            OvsTables.Row r = row(t, a.get(1), !o.containsKey("--if-exists"));
            if (r == null) {
                return;
            }
            for (OvsTables.Column c : cols) {
                if (c.min() > 0) {
                    throw new Fatal("\"clear\" operation cannot be applied to column " + c.name() + " of table "
                            + t.name() + ", which is not allowed to be empty");
                }
                modifiable(t, c);
                OvsTables.set(r, new OvsTables.Datum(c, List.of()));
                changed = true;
            }
        }

        /** {@code cmd_remove}: values taken out of a set column. */
        private void remove(List<String> a, Map<String, String> o) {
            OvsTables.Table t = table(a.get(0));
            OvsTables.Column c = column(t, a.get(2), false);
            OvsTables.Row r = row(t, a.get(1), !o.containsKey("--if-exists"));
            if (r == null) {
                return;
            }
            modifiable(t, c);
            List<String> left = new ArrayList<>(OvsTables.get(r, c, ns()).atoms());
            for (String v : a.subList(3, a.size())) {
                OvsTables.Column asSet = new OvsTables.Column(c.name(), c.key(), null, 0, OvsTables.UNLIMITED,
                        c.lo(), c.hi(), true);
                try {
                    left.removeAll(OvsTables.parse(asSet, v).atoms());
                } catch (OvsTables.BadValue e) {
                    throw new Fatal(e.getMessage());
                }
            }
            if (left.size() < c.min()) {
                throw new Fatal("\"remove\" operation would put " + left.size() + " values in column " + c.name()
                        + " of table " + t.name() + " but the minimum number is " + c.min());
            }
            OvsTables.set(r, new OvsTables.Datum(c, left));
            changed = true;
        }

        /** The columns {@code --columns} names, or {@code _uuid} and then all of them by name. */
        private static List<OvsTables.Column> columns(OvsTables.Table t, Map<String, String> o) {
            List<OvsTables.Column> cols = new ArrayList<>();
            String spec = o.get("--columns");
            if (spec == null) {
                cols.add(null);
                List<OvsTables.Column> all = new ArrayList<>(t.columns());
                all.sort(Comparator.comparing(OvsTables.Column::name));
                cols.addAll(all);
                return cols;
            }
            for (String name : spec.split(",")) {
                if (!name.isEmpty()) {
                    cols.add(column(t, name, true));
                }
            }
            if (cols.isEmpty()) {
                throw new Fatal("must specify at least one column name");
            }
            return cols;
        }

        /** {@code cmd_list}. */
        private void list(List<String> a, Map<String, String> o, StringBuilder out) {
            OvsTables.Table t = table(a.get(0));
            List<OvsTables.Column> cols = columns(t, o);
            List<OvsTables.Row> rows = new ArrayList<>();
            if (a.size() == 1) {
                rows.addAll(OvsTables.rows(db, t));
            } else {
                for (String record : a.subList(1, a.size())) {
                    OvsTables.Row r = row(t, record, !o.containsKey("--if-exists"));
                    if (r != null) {
                        rows.add(r);
                    }
                }
            }
            print(cols, rows, out);
        }

        /** {@code cmd_find}: the rows whose columns equal (or not) the values given. */
        private void find(List<String> a, Map<String, String> o, StringBuilder out) {
            OvsTables.Table t = table(a.get(0));
            List<OvsTables.Column> cols = columns(t, o);
            List<OvsTables.Column> conditionColumns = new ArrayList<>();
            List<OvsTables.Datum> values = new ArrayList<>();
            List<Boolean> equal = new ArrayList<>();
            for (String cond : a.subList(1, a.size())) {
                int eq = cond.indexOf('=');
                String name = cond.substring(0, eq < 0 ? cond.length() : eq);
                boolean not = name.endsWith("!");
                if (not) {
                    name = name.substring(0, name.length() - 1);
                }
                if (name.matches(".*[<>{}:].*")) {
                    throw new Fatal("ipsim: the condition " + cond + " is not simulated yet (only = and !=)");
                }
                OvsTables.Column c = column(t, name, false);
                if (eq < 0) {
                    throw new Fatal(cond + ": argument does not end in \"=\", \"!=\", \"<\", \">\", \"<=\", "
                            + "\">=\", \"{=}\", \"{!=}\", \"{<}\", \"{>}\", \"{<=}\", \"{>=}\", \"{in}\", or "
                            + "\"{not-in}\" followed by a value.");
                }
                try {
                    values.add(OvsTables.parse(c, cond.substring(eq + 1)));
                } catch (OvsTables.BadValue e) {
                    throw new Fatal(e.getMessage());
                }
                conditionColumns.add(c);
                equal.add(!not);
            }
            List<OvsTables.Row> rows = new ArrayList<>();
            for (OvsTables.Row r : OvsTables.rows(db, t)) {
                boolean match = true;
                for (int k = 0; k < conditionColumns.size(); k++) {
                    List<String> have = OvsTables.get(r, conditionColumns.get(k), ns()).atoms();
                    if (have.equals(values.get(k).atoms()) != equal.get(k)) {
                        match = false;
                    }
                }
                if (match) {
                    rows.add(r);
                }
            }
            print(cols, rows, out);
        }

        /** {@code table_print}: list, table or csv. */
        private void print(List<OvsTables.Column> cols, List<OvsTables.Row> rows, StringBuilder out) {
            boolean bare = style.data.equals("bare");
            List<Map<String, String>> records = new ArrayList<>();
            for (OvsTables.Row r : rows) {
                records.add(OvsTables.record(r, cols, bare, ns()));
            }
            List<String> headings = new ArrayList<>();
            for (OvsTables.Column c : cols) {
                headings.add(c == null ? "_uuid" : c.name());
            }
            switch (style.format) {
                case "json" -> {
                    out.append("{\"data\":[");
                    for (int y = 0; y < rows.size(); y++) {
                        out.append(y > 0 ? ",[" : "[");
                        for (int x = 0; x < cols.size(); x++) {
                            if (x > 0) {
                                out.append(',');
                            }
                            OvsTables.Column c = cols.get(x);
                            out.append(c == null ? "[\"uuid\",\"" + rows.get(y).uuid() + "\"]"
                                    : OvsTables.toJson(OvsTables.get(rows.get(y), c, ns())));
                        }
                        out.append(']');
                    }
                    out.append("],\"headings\":[");
                    for (int x = 0; x < headings.size(); x++) {
                        out.append(x > 0 ? "," : "").append(OvsTables.jsonString(headings.get(x)));
                    }
                    out.append("]}\n");
                }
                case "table" -> {
                    if (tablesPrinted++ > 0) {
                        out.append('\n');
                    }
                    int[] widths = new int[headings.size()];
                    for (int x = 0; x < widths.length; x++) {
                        widths[x] = style.headings ? headings.get(x).length() : 0;
                        for (Map<String, String> rec : records) {
                            widths[x] = Math.max(widths[x], rec.get(headings.get(x)).length());
                        }
                    }
                    if (style.headings) {
                        StringBuilder line = new StringBuilder();
                        StringBuilder dashes = new StringBuilder();
                        for (int x = 0; x < widths.length; x++) {
                            if (x > 0) {
                                line.append(' ');
                                dashes.append(' ');
                            }
                            line.append(String.format("%-" + Math.max(1, widths[x]) + "s", headings.get(x)));
                            dashes.append("-".repeat(widths[x]));
                        }
                        finishLine(line, out);
                        finishLine(dashes, out);
                    }
                    for (Map<String, String> rec : records) {
                        StringBuilder line = new StringBuilder();
                        for (int x = 0; x < widths.length; x++) {
                            if (x > 0) {
                                line.append(' ');
                            }
                            String v = rec.get(headings.get(x));
                            line.append(v).append(" ".repeat(Math.max(0, widths[x] - v.length())));
                        }
                        finishLine(line, out);
                    }
                }
                case "csv" -> {
                    if (style.headings) {
                        out.append(String.join(",", headings)).append('\n');
                    }
                    for (Map<String, String> rec : records) {
                        List<String> cells = new ArrayList<>();
                        for (String h : headings) {
                            String v = rec.get(h);
                            cells.add(v.matches("(?s).*[\n\",].*") ? "\"" + v.replace("\"", "\"\"") + "\"" : v);
                        }
                        out.append(String.join(",", cells)).append('\n');
                    }
                }
                default -> {
                    if (listsPrinted++ > 0) {
                        out.append('\n');
                    }
                    for (int y = 0; y < records.size(); y++) {
                        if (y > 0) {
                            out.append('\n');
                        }
                        for (String h : headings) {
                            if (style.headings) {
                                out.append(String.format("%-20s: ", h));
                            }
                            out.append(records.get(y).get(h)).append('\n');
                        }
                    }
                }
            }
        }

        private static void finishLine(StringBuilder line, StringBuilder out) {
            int end = line.length();
            while (end > 0 && line.charAt(end - 1) == ' ') {
                end--;
            }
            out.append(line, 0, end).append('\n');
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
                    if (p.tag != null) {
                        out.append("            tag: ").append(p.tag).append('\n');
                    }
                    if (!p.trunks.isEmpty()) {
                        List<String> t = new ArrayList<>();
                        p.trunks.stream().sorted().forEach(x -> t.add(Integer.toString(x)));
                        out.append("            trunks: [").append(String.join(", ", t)).append("]\n");
                    }
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
