package dev.ipsim.commands.ovs;

import dev.ipsim.kernel.NetNamespace;
import dev.ipsim.kernel.link.NetDevice;
import dev.ipsim.kernel.ovs.OvsDatabase;
import dev.ipsim.kernel.ovs.OvsUuid;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code Bridge}, {@code Port} and {@code Interface} tables of {@code vswitch.ovsschema}
 * (schema 8.3.1) as {@code ovs-vsctl}'s generic database commands see them ({@code lib/db-ctl-base.c},
 * {@code lib/ovsdb-data.c}): every column with its type, read from the model where it keeps the
 * value and otherwise the column's default, which is what the daemons leave there when nobody
 * sets it.
 */
final class OvsTables {

    private OvsTables() {
    }

    /** An atomic type. */
    enum Atom { INTEGER, BOOLEAN, STRING, UUID }

    /**
     * A column: key type, value type for a map ({@code null} otherwise), {@code min}/{@code max}
     * elements, an integer range, and whether the model keeps it (only those can be set).
     */
    record Column(String name, Atom key, Atom value, int min, int max, long lo, long hi, boolean modelled) {
        boolean isMap() {
            return value != null;
        }
    }

    /** A datum: its atoms as text ({@code key=value} for a map), in the order OVSDB keeps them. */
    record Datum(Column column, List<String> atoms) {
    }

    static final int UNLIMITED = Integer.MAX_VALUE;

    private static Column scalar(String name, Atom type, boolean modelled) {
        return new Column(name, type, null, 1, 1, Long.MIN_VALUE, Long.MAX_VALUE, modelled);
    }

    private static Column optional(String name, Atom type) {
        return new Column(name, type, null, 0, 1, Long.MIN_VALUE, Long.MAX_VALUE, false);
    }

    private static Column set(String name, Atom type) {
        return new Column(name, type, null, 0, UNLIMITED, Long.MIN_VALUE, Long.MAX_VALUE, false);
    }

    private static Column map(String name, Atom key, Atom value) {
        return new Column(name, key, value, 0, UNLIMITED, Long.MIN_VALUE, Long.MAX_VALUE, false);
    }

    /** A table: its name and columns (in the schema's order, which {@code list} sorts by name). */
    record Table(String name, List<Column> columns) {
        Column column(String n) {
            for (Column c : columns) {
                if (c.name().equals(n)) {
                    return c;
                }
            }
            return null;
        }
    }

    static final Table BRIDGE = new Table("Bridge", List.of(
            set("auto_attach", Atom.UUID), set("controller", Atom.UUID), optional("datapath_id", Atom.STRING),
            scalar("datapath_type", Atom.STRING, false), scalar("datapath_version", Atom.STRING, false),
            map("external_ids", Atom.STRING, Atom.STRING), optional("fail_mode", Atom.STRING),
            set("flood_vlans", Atom.INTEGER), map("flow_tables", Atom.INTEGER, Atom.UUID),
            optional("ipfix", Atom.UUID), scalar("mcast_snooping_enable", Atom.BOOLEAN, false),
            set("mirrors", Atom.UUID), scalar("name", Atom.STRING, false), optional("netflow", Atom.UUID),
            map("other_config", Atom.STRING, Atom.STRING), set("ports", Atom.UUID),
            set("protocols", Atom.STRING), scalar("rstp_enable", Atom.BOOLEAN, false),
            map("rstp_status", Atom.STRING, Atom.STRING), optional("sflow", Atom.UUID),
            map("status", Atom.STRING, Atom.STRING), scalar("stp_enable", Atom.BOOLEAN, false)));

    static final Table PORT = new Table("Port", List.of(
            optional("bond_active_slave", Atom.STRING), scalar("bond_downdelay", Atom.INTEGER, false),
            scalar("bond_fake_iface", Atom.BOOLEAN, false), optional("bond_mode", Atom.STRING),
            scalar("bond_updelay", Atom.INTEGER, false), set("cvlans", Atom.INTEGER),
            map("external_ids", Atom.STRING, Atom.STRING), scalar("fake_bridge", Atom.BOOLEAN, false),
            set("interfaces", Atom.UUID), optional("lacp", Atom.STRING), optional("mac", Atom.STRING),
            scalar("name", Atom.STRING, false), map("other_config", Atom.STRING, Atom.STRING),
            scalar("protected", Atom.BOOLEAN, false), optional("qos", Atom.UUID),
            map("rstp_statistics", Atom.STRING, Atom.INTEGER), map("rstp_status", Atom.STRING, Atom.STRING),
            map("statistics", Atom.STRING, Atom.INTEGER), map("status", Atom.STRING, Atom.STRING),
            new Column("tag", Atom.INTEGER, null, 0, 1, 0, 4095, true),
            new Column("trunks", Atom.INTEGER, null, 0, 4096, 0, 4095, true),
            optional("vlan_mode", Atom.STRING)));

    static final Table INTERFACE = new Table("Interface", List.of(
            optional("admin_state", Atom.STRING), map("bfd", Atom.STRING, Atom.STRING),
            map("bfd_status", Atom.STRING, Atom.STRING), optional("cfm_fault", Atom.BOOLEAN),
            set("cfm_fault_status", Atom.STRING), optional("cfm_flap_count", Atom.INTEGER),
            optional("cfm_health", Atom.INTEGER), optional("cfm_mpid", Atom.INTEGER),
            set("cfm_remote_mpids", Atom.INTEGER), optional("cfm_remote_opstate", Atom.STRING),
            optional("duplex", Atom.STRING), optional("error", Atom.STRING),
            map("external_ids", Atom.STRING, Atom.STRING), optional("ifindex", Atom.INTEGER),
            scalar("ingress_policing_burst", Atom.INTEGER, false),
            scalar("ingress_policing_kpkts_burst", Atom.INTEGER, false),
            scalar("ingress_policing_kpkts_rate", Atom.INTEGER, false),
            scalar("ingress_policing_rate", Atom.INTEGER, false), optional("lacp_current", Atom.BOOLEAN),
            optional("link_resets", Atom.INTEGER), optional("link_speed", Atom.INTEGER),
            optional("link_state", Atom.STRING), map("lldp", Atom.STRING, Atom.STRING),
            optional("mac", Atom.STRING), optional("mac_in_use", Atom.STRING), optional("mtu", Atom.INTEGER),
            optional("mtu_request", Atom.INTEGER), scalar("name", Atom.STRING, false),
            optional("ofport", Atom.INTEGER), optional("ofport_request", Atom.INTEGER),
            map("options", Atom.STRING, Atom.STRING), map("other_config", Atom.STRING, Atom.STRING),
            map("statistics", Atom.STRING, Atom.INTEGER), map("status", Atom.STRING, Atom.STRING),
            new Column("type", Atom.STRING, null, 1, 1, 0, 0, true)));

    static final List<Table> TABLES = List.of(BRIDGE, PORT, INTERFACE);

    /**
     * The other tables of the schema: known by name (so a partial name resolves as it does in
     * ovs-vsctl), not simulated.
     */
    static final List<String> OTHER_TABLES = List.of("AutoAttach", "CT_Timeout_Policy", "CT_Zone", "Controller",
            "Datapath", "Flow_Sample_Collector_Set", "Flow_Table", "IPFIX", "Manager", "Mirror", "NetFlow",
            "Open_vSwitch", "QoS", "Queue", "SSL", "sFlow");

    /** {@code score_partial_match}. */
    static long score(String name, String s) {
        if (name.equals(s)) {
            return Long.MAX_VALUE;
        }
        int i = 0;
        for (;; i++) {
            char a = i < name.length() ? fold(name.charAt(i)) : 0;
            char b = i < s.length() ? fold(s.charAt(i)) : 0;
            if (a != b) {
                break;
            }
            if (a == 0) {
                return Long.MAX_VALUE - 1;
            }
        }
        return i >= s.length() ? i : 0;
    }

    private static char fold(char c) {
        return c == '-' ? '_' : Character.toLowerCase(c);
    }

    // ------------------------------------------------------------------ rows

    /** A row of one of the three tables, over the model's objects. */
    record Row(Table table, OvsDatabase.Bridge bridge, OvsDatabase.Port port, OvsDatabase.Interface iface) {
        OvsUuid uuid() {
            return iface != null ? iface.uuid : port != null ? port.uuid : bridge.uuid;
        }

        String name() {
            return iface != null ? iface.name : port != null ? port.name : bridge.name;
        }
    }

    /** Every row of a table, in UUID order. */
    static List<Row> rows(OvsDatabase db, Table table) {
        List<Row> out = new ArrayList<>();
        for (OvsDatabase.Bridge b : db.bridges) {
            if (table == BRIDGE) {
                out.add(new Row(table, b, null, null));
                continue;
            }
            for (OvsDatabase.Port p : b.ports) {
                if (table == PORT) {
                    out.add(new Row(table, b, p, null));
                    continue;
                }
                for (OvsDatabase.Interface i : p.interfaces) {
                    out.add(new Row(table, b, p, i));
                }
            }
        }
        out.sort(Comparator.comparing(Row::uuid));
        return out;
    }

    /** {@code get_row}: by UUID, or by the table's name column. */
    static Row find(OvsDatabase db, Table table, String record) {
        for (Row r : rows(db, table)) {
            if (r.uuid().toString().equals(record)) {
                return r;
            }
        }
        for (Row r : rows(db, table)) {
            if (r.name().equals(record)) {
                return r;
            }
        }
        return null;
    }

    private static List<String> none() {
        return List.of();
    }

    /** A column's value in a row. */
    static Datum get(Row row, Column c, NetNamespace ns) {
        return new Datum(c, atoms(row, c, ns));
    }

    private static List<String> atoms(Row row, Column c, NetNamespace ns) {
        String n = c.name();
        if (n.equals("name")) {
            return List.of(row.name());
        }
        if (row.table() == BRIDGE) {
            OvsDatabase.Bridge b = row.bridge();
            switch (n) {
                case "ports" -> {
                    List<String> u = new ArrayList<>();
                    b.ports.stream().map(p -> p.uuid).sorted().forEach(x -> u.add(x.toString()));
                    return u;
                }
                case "datapath_type" -> {
                    return List.of("");
                }
                case "datapath_version" -> {
                    return List.of("<unknown>");
                }
                case "datapath_id" -> {
                    NetDevice local = ns.device(b.name);
                    if (local == null) {
                        return none();
                    }
                    return List.of("0000" + local.address().toString().replace(":", ""));
                }
                default -> {
                    return defaults(c);
                }
            }
        }
        if (row.table() == PORT) {
            OvsDatabase.Port p = row.port();
            switch (n) {
                case "interfaces" -> {
                    List<String> u = new ArrayList<>();
                    p.interfaces.stream().map(i -> i.uuid).sorted().forEach(x -> u.add(x.toString()));
                    return u;
                }
                case "tag" -> {
                    return p.tag == null ? none() : List.of(Integer.toString(p.tag));
                }
                case "trunks" -> {
                    List<String> t = new ArrayList<>();
                    p.trunks.stream().sorted().forEach(x -> t.add(Integer.toString(x)));
                    return t;
                }
                default -> {
                    return defaults(c);
                }
            }
        }
        OvsDatabase.Interface i = row.iface();
        boolean attached = i.ofport != null && i.ofport >= 0;
        NetDevice dev = attached ? ns.device(i.name) : null;
        switch (n) {
            case "type" -> {
                return List.of(i.type == null ? "" : i.type);
            }
            case "ofport" -> {
                return i.ofport == null ? none() : List.of(Integer.toString(i.ofport));
            }
            case "error" -> {
                return i.error == null ? none() : List.of(i.error);
            }
            case "admin_state" -> {
                return dev == null ? none() : List.of(dev.isUp() ? "up" : "down");
            }
            case "link_state" -> {
                return dev == null ? none() : List.of(dev.isUp() && dev.hasCarrier() ? "up" : "down");
            }
            case "mac_in_use" -> {
                return dev == null ? none() : List.of(dev.address().toString());
            }
            case "mtu" -> {
                return dev == null ? none() : List.of(Integer.toString(dev.mtu()));
            }
            case "ifindex" -> {
                return dev == null ? none() : List.of(Integer.toString(dev.ifindex()));
            }
            case "link_resets" -> {
                return dev == null ? none() : List.of("0");
            }
            default -> {
                return defaults(c);
            }
        }
    }

    /** What a column holds when nothing set it: nothing, or for a scalar its type's default. */
    private static List<String> defaults(Column c) {
        if (c.min() == 0) {
            return none();
        }
        return List.of(switch (c.key()) {
            case INTEGER -> "0";
            case BOOLEAN -> "false";
            case STRING -> "";
            case UUID -> "00000000-0000-0000-0000-000000000000";
        });
    }

    /** Sets a modelled column of a row. */
    static void set(Row row, Datum d) {
        switch (d.column().name()) {
            case "tag" -> row.port().tag = d.atoms().isEmpty() ? null : Integer.parseInt(d.atoms().get(0));
            case "trunks" -> {
                row.port().trunks.clear();
                for (String a : d.atoms()) {
                    row.port().trunks.add(Integer.parseInt(a));
                }
            }
            case "type" -> row.iface().type = d.atoms().get(0);
            default -> throw new IllegalStateException(d.column().name());
        }
    }

    // ------------------------------------------------------------------ text

    /** {@code ovsdb_datum_to_string}. */
    static String toText(Datum d) {
        Column c = d.column();
        List<String> atoms = d.atoms();
        StringBuilder sb = new StringBuilder();
        boolean brackets = c.max() > 1 || atoms.isEmpty();
        if (brackets) {
            sb.append(c.isMap() ? '{' : '[');
        }
        for (int i = 0; i < atoms.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            if (c.isMap()) {
                String a = atoms.get(i);
                int eq = a.indexOf('=');
                sb.append(atomText(c.key(), a.substring(0, eq))).append('=')
                        .append(atomText(c.value(), a.substring(eq + 1)));
            } else {
                sb.append(atomText(c.key(), atoms.get(i)));
            }
        }
        if (brackets) {
            sb.append(c.isMap() ? '}' : ']');
        }
        return sb.toString();
    }

    /** {@code ovsdb_datum_to_json}: one atom alone, else {@code ["set",[...]]} or {@code ["map",[...]]}. */
    static String toJson(Datum d) {
        Column c = d.column();
        List<String> atoms = d.atoms();
        if (!c.isMap() && atoms.size() == 1) {
            return atomJson(c.key(), atoms.get(0));
        }
        StringBuilder sb = new StringBuilder(c.isMap() ? "[\"map\",[" : "[\"set\",[");
        for (int i = 0; i < atoms.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            if (c.isMap()) {
                String a = atoms.get(i);
                int eq = a.indexOf('=');
                sb.append('[').append(atomJson(c.key(), a.substring(0, eq))).append(',')
                        .append(atomJson(c.value(), a.substring(eq + 1))).append(']');
            } else {
                sb.append(atomJson(c.key(), atoms.get(i)));
            }
        }
        return sb.append("]]").toString();
    }

    private static String atomJson(Atom type, String a) {
        return switch (type) {
            case STRING -> jsonString(a);
            case UUID -> "[\"uuid\"," + jsonString(a) + "]";
            default -> a;
        };
    }

    static String jsonString(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (ch < 0x20) {
                        sb.append(String.format("\\u%04x", (int) ch));
                    } else {
                        sb.append(ch);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    /** {@code ovsdb_datum_to_bare}: atoms separated by spaces, strings unquoted. */
    static String toBare(Datum d) {
        return String.join(" ", d.atoms());
    }

    private static String atomText(Atom type, String a) {
        return type == Atom.STRING ? OvsVsctl.atom(a) : a;
    }

    /** The error of parsing a value, as ovs-vsctl words it. */
    static final class BadValue extends RuntimeException {
        BadValue(String message) {
            super(message, null, false, false);
        }
    }

    /** {@code ovsdb_datum_from_string} for a set or scalar column. */
    static Datum parse(Column c, String text) {
        if (c.isMap()) {
            throw new BadValue("ipsim: values of map column " + c.name() + " are not simulated yet");
        }
        String s = text.trim();
        List<String> parts = new ArrayList<>();
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1).trim();
        }
        boolean scalarString = c.max() == 1 && c.min() == 1 && c.key() == Atom.STRING;
        if (!s.isEmpty() || scalarString) {
            for (String p : (scalarString ? new String[] {s} : s.split("\\s*,\\s*|\\s+"))) {
                parts.add(parseAtom(c, p));
            }
        }
        if (parts.size() > c.max()) {
            throw new BadValue(text + ": " + parts.size() + " value(s) specified but the maximum number is "
                    + c.max());
        }
        if (c.key() == Atom.INTEGER) {
            parts.sort(Comparator.comparingLong(Long::parseLong));
        } else {
            parts.sort(Comparator.naturalOrder());
        }
        for (int i = 1; i < parts.size(); i++) {
            if (parts.get(i).equals(parts.get(i - 1))) {
                throw new BadValue(text + ": set contains duplicate value");
            }
        }
        return new Datum(c, parts);
    }

    private static String parseAtom(Column c, String p) {
        switch (c.key()) {
            case INTEGER -> {
                long v;
                try {
                    v = Long.parseLong(p);
                } catch (NumberFormatException e) {
                    throw new BadValue("\"" + p + "\" is not a valid integer or range");
                }
                if (v < c.lo() || v > c.hi()) {
                    throw new BadValue("constraint violation: " + v + " is not in the valid range " + c.lo()
                            + " to " + c.hi() + " (inclusive)");
                }
                return Long.toString(v);
            }
            case BOOLEAN -> {
                if (!p.equals("true") && !p.equals("false")) {
                    throw new BadValue("\"" + p + "\" is not a valid boolean (use \"true\" or \"false\")");
                }
                return p;
            }
            case UUID -> {
                return p;
            }
            default -> {
                if (p.startsWith("\"") && p.endsWith("\"") && p.length() >= 2) {
                    return p.substring(1, p.length() - 1);
                }
                return p;
            }
        }
    }

    /** A row's columns for {@code list}/{@code find}: {@code _uuid} and then by name, or the ones asked for. */
    static Map<String, String> record(Row row, List<Column> columns, boolean bare, NetNamespace ns) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Column c : columns) {
            if (c == null) {
                out.put("_uuid", row.uuid().toString());
            } else {
                Datum d = get(row, c, ns);
                out.put(c.name(), bare ? toBare(d) : toText(d));
            }
        }
        return out;
    }
}
