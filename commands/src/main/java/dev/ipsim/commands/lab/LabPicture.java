package dev.ipsim.commands.lab;

import dev.ipsim.commands.Context;
import dev.ipsim.kernel.NetNamespace;
import dev.ipsim.kernel.ipv4.InetIfAddr;
import dev.ipsim.kernel.ipv6.Inet6IfAddr;
import dev.ipsim.kernel.link.NetDevice;
import dev.ipsim.kernel.link.Veth;
import dev.ipsim.kernel.ovs.OvsDatabase;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A picture of the lab, read from the kernel: one box per network namespace (the machine's
 * own first, then the named ones in alphabetical order, then unnamed ones that still hold
 * devices), its devices inside (a bridge's ports under it as a tree, an Open vSwitch bridge's
 * ports under that bridge), each with its state and addresses, and a line for each veth pair
 * joining its two ends, drawn in lanes to the right of the boxes. {@code lo} and the datapath's
 * {@code ovs-system} are left out: every namespace has a {@code lo}, and the datapath is an
 * implementation detail of Open vSwitch.
 */
final class LabPicture {

    /** A device's line in a box. */
    record Row(NetDevice device, String prefix, String name, String state, String details) {
    }

    /** A namespace's box. */
    record Box(String title, String id, List<Row> rows) {
    }

    final List<Box> boxes = new ArrayList<>();
    /** Veth pairs, each once: the two ends. */
    final List<NetDevice[]> pairs = new ArrayList<>();

    static LabPicture of(Context context) {
        LabPicture p = new LabPicture();
        Map<NetNamespace, String> names = new LinkedHashMap<>();
        names.put(context.kernel().initNamespace(), context.hostname());
        List<String> named = new ArrayList<>(context.netnsNames().names());
        named.sort(null);
        for (String name : named) {
            NetNamespace ns = context.netnsNames().lookup(name);
            if (ns != null) {
                names.putIfAbsent(ns, name);
            }
        }
        for (NetNamespace ns : context.kernel().namespaces()) {
            if (!ns.isDead() && !names.containsKey(ns) && ns.devices().stream().anyMatch(d -> !d.isLoopback())) {
                names.put(ns, "netns " + ns.inode());
            }
        }
        Map<String, String> ovsBridgeOfPort = new HashMap<>();
        for (OvsDatabase.Bridge b : context.kernel().openVswitch().database().bridges) {
            for (OvsDatabase.Port port : b.ports) {
                if (!port.name.equals(b.name)) {
                    ovsBridgeOfPort.put(port.name, b.name);
                }
            }
        }
        Map<NetDevice, Boolean> paired = new IdentityHashMap<>();
        for (Map.Entry<NetNamespace, String> e : names.entrySet()) {
            NetNamespace ns = e.getKey();
            boolean init = ns == context.kernel().initNamespace();
            Box box = new Box(init ? e.getValue() + " (host)" : e.getValue(), init ? "host" : e.getValue(),
                    new ArrayList<>());
            List<NetDevice> shown = new ArrayList<>();
            for (NetDevice d : ns.devices()) {
                if (!d.isLoopback() && !d.name().equals("ovs-system")) {
                    shown.add(d);
                }
            }
            shown.sort((a, b) -> Integer.compare(a.ifindex(), b.ifindex()));
            Map<String, List<NetDevice>> ports = new LinkedHashMap<>();
            List<NetDevice> top = new ArrayList<>();
            for (NetDevice d : shown) {
                String parent = parentOf(d, init ? ovsBridgeOfPort : Map.of());
                if (parent != null && ns.device(parent) != null) {
                    ports.computeIfAbsent(parent, k -> new ArrayList<>()).add(d);
                } else {
                    top.add(d);
                }
            }
            for (NetDevice d : top) {
                box.rows().add(row(d, ""));
                List<NetDevice> children = ports.getOrDefault(d.name(), List.of());
                for (int i = 0; i < children.size(); i++) {
                    box.rows().add(row(children.get(i), i == children.size() - 1 ? "└─ " : "├─ "));
                }
            }
            p.boxes.add(box);
            for (NetDevice d : shown) {
                if (d instanceof Veth v && v.peer() != null && !paired.containsKey(v.peer())) {
                    paired.put(d, true);
                    p.pairs.add(new NetDevice[] {d, v.peer()});
                }
            }
        }
        return p;
    }

    private static String parentOf(NetDevice d, Map<String, String> ovsBridgeOfPort) {
        String ovs = ovsBridgeOfPort.get(d.name());
        if (ovs != null) {
            return ovs;
        }
        NetDevice master = d.master();
        return master == null || master.name().equals("ovs-system") ? null : master.name();
    }

    private static Row row(NetDevice d, String prefix) {
        List<String> details = new ArrayList<>();
        String kind = d.kind();
        if ("bridge".equals(kind)) {
            details.add("bridge");
        } else if ("openvswitch".equals(kind)) {
            details.add("ovs bridge");
        }
        for (InetIfAddr a : d.ipv4().addresses()) {
            details.add(a.local() + "/" + a.prefixLength());
        }
        for (Inet6IfAddr a : d.ipv6().addresses()) {
            if (!a.address().isLinkLocal()) {
                details.add(a.address() + "/" + a.prefixLength());
            }
        }
        return new Row(d, prefix, d.name(), d.operState().name(), String.join(" ", details));
    }

    /** Which box and row a device is drawn in, or {@code null}. */
    private int[] find(NetDevice d) {
        for (int b = 0; b < boxes.size(); b++) {
            List<Row> rows = boxes.get(b).rows();
            for (int r = 0; r < rows.size(); r++) {
                if (rows.get(r).device() == d) {
                    return new int[] {b, r};
                }
            }
        }
        return null;
    }

    // ---------------------------------------------------------------------------------- text

    /** The picture in box-drawing characters ({@code unicode}) or in ASCII. */
    String text(boolean unicode) {
        char h = unicode ? '─' : '-';
        char v = unicode ? '│' : '|';
        String tl = unicode ? "┌" : "+";
        String tr = unicode ? "┐" : "+";
        String bl = unicode ? "└" : "+";
        String br = unicode ? "┘" : "+";
        char tee = unicode ? '├' : '+';
        char cross = unicode ? '┼' : '+';
        int nameWidth = 0;
        int stateWidth = 0;
        int width = 0;
        for (Box b : boxes) {
            for (Row r : b.rows()) {
                nameWidth = Math.max(nameWidth, label(r, unicode).length());
                stateWidth = Math.max(stateWidth, r.state().length());
            }
        }
        List<String> inner = new ArrayList<>();
        List<NetDevice> rowDevice = new ArrayList<>();
        List<Integer> boxTop = new ArrayList<>();
        for (Box b : boxes) {
            width = Math.max(width, b.title().length() + 4);
            for (Row r : b.rows()) {
                String line = pad(label(r, unicode), nameWidth) + "  " + pad(r.state(), stateWidth)
                        + (r.details().isEmpty() ? "" : "  " + r.details());
                width = Math.max(width, line.length() + 2);
            }
        }
        // the lines of the picture: a box's top, its rows, its bottom
        List<String> left = new ArrayList<>();
        for (Box b : boxes) {
            boxTop.add(left.size());
            left.add(tl + h + " " + b.title() + " " + repeat(h, width - b.title().length() - 3) + tr);
            rowDevice.add(null);
            if (b.rows().isEmpty()) {
                left.add(v + pad(" (only lo)", width) + v);
                rowDevice.add(null);
            }
            for (Row r : b.rows()) {
                String line = pad(label(r, unicode), nameWidth) + "  " + pad(r.state(), stateWidth)
                        + (r.details().isEmpty() ? "" : "  " + r.details());
                left.add(v + " " + pad(line, width - 1) + v);
                rowDevice.add(r.device());
            }
            left.add(bl + repeat(h, width) + br);
            rowDevice.add(null);
        }
        // each veth pair is a vertical segment in a lane; segments that do not overlap share one
        List<int[]> segments = new ArrayList<>();
        for (NetDevice[] pair : pairs) {
            int a = rowDevice.indexOf(pair[0]);
            int z = rowDevice.indexOf(pair[1]);
            if (a >= 0 && z >= 0) {
                segments.add(new int[] {Math.min(a, z), Math.max(a, z), 0});
            }
        }
        segments.sort((x, y) -> Integer.compare(x[0], y[0]));
        List<Integer> laneEnd = new ArrayList<>();
        for (int[] s : segments) {
            int lane = 0;
            while (lane < laneEnd.size() && laneEnd.get(lane) >= s[0]) {
                lane++;
            }
            if (lane == laneEnd.size()) {
                laneEnd.add(s[1]);
            } else {
                laneEnd.set(lane, s[1]);
            }
            s[2] = lane;
        }
        int lanes = laneEnd.size();
        StringBuilder out = new StringBuilder();
        for (int line = 0; line < left.size(); line++) {
            char[] right = new char[lanes * 2];
            java.util.Arrays.fill(right, ' ');
            String box = left.get(line);
            for (int[] s : segments) {
                int col = s[2] * 2 + 1;
                if (line > s[0] && line < s[1]) {
                    right[col] = v;
                }
            }
            for (int[] s : segments) {
                if (line == s[0] || line == s[1]) {
                    int col = s[2] * 2 + 1;
                    for (int c = 0; c < col; c++) {
                        right[c] = right[c] == v ? cross : h;
                    }
                    right[col] = (line == s[0] ? tr : br).charAt(0);
                    box = box.substring(0, box.length() - 1) + tee;
                }
            }
            out.append((box + new String(right)).stripTrailing()).append('\n');
        }
        return out.toString();
    }

    private static String label(Row r, boolean unicode) {
        String prefix = unicode ? r.prefix() : r.prefix().replace("├─", "|-").replace("└─", "`-");
        return prefix + r.name();
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    private static String repeat(char c, int n) {
        return String.valueOf(c).repeat(Math.max(0, n));
    }

    // ----------------------------------------------------------------------------------- dot

    /** The picture as a Graphviz graph: a cluster per namespace, a node per device. */
    String dot() {
        StringBuilder out = new StringBuilder("graph lab {\n  node [shape=box, fontname=\"monospace\"];\n");
        for (Box b : boxes) {
            out.append("  subgraph \"cluster_").append(b.id()).append("\" {\n");
            out.append("    label=\"").append(b.title()).append("\";\n");
            for (Row r : b.rows()) {
                out.append("    \"").append(b.id()).append('/').append(r.name()).append("\" [label=\"")
                        .append(r.name()).append("\\n").append(r.state());
                if (!r.details().isEmpty()) {
                    out.append("\\n").append(r.details().replace(" ", "\\n"));
                }
                out.append("\"];\n");
            }
            out.append("  }\n");
        }
        for (Box b : boxes) {
            for (Row r : b.rows()) {
                if (!r.prefix().isEmpty()) {
                    NetDevice parent = parentRow(b, r);
                    out.append("  \"").append(b.id()).append('/').append(r.name()).append("\" -- \"")
                            .append(b.id()).append('/').append(parent.name()).append("\" [style=dashed];\n");
                }
            }
        }
        for (NetDevice[] pair : pairs) {
            int[] a = find(pair[0]);
            int[] z = find(pair[1]);
            if (a != null && z != null) {
                out.append("  \"").append(boxes.get(a[0]).id()).append('/').append(pair[0].name()).append("\" -- \"")
                        .append(boxes.get(z[0]).id()).append('/').append(pair[1].name()).append("\";\n");
            }
        }
        return out.append("}\n").toString();
    }

    /** The bridge a port row is drawn under: the nearest row above it without a prefix. */
    private static NetDevice parentRow(Box b, Row port) {
        int i = b.rows().indexOf(port);
        while (i > 0 && !b.rows().get(i).prefix().isEmpty()) {
            i--;
        }
        return b.rows().get(i).device();
    }

    // ----------------------------------------------------------------------------------- svg

    private static final int BOX_WIDTH = 300;
    private static final int GAP = 90;
    private static final int ROW_HEIGHT = 20;
    private static final int MARGIN = 20;

    /** The picture as an SVG drawing: the boxes side by side, veth pairs as lines between them. */
    String svg() {
        int height = 0;
        for (Box b : boxes) {
            height = Math.max(height, (b.rows().size() + 2) * ROW_HEIGHT);
        }
        int width = boxes.size() * BOX_WIDTH + (boxes.size() - 1) * GAP + 2 * MARGIN;
        StringBuilder out = new StringBuilder();
        out.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"")
                .append(height + 2 * MARGIN).append("\" font-family=\"monospace\" font-size=\"12\">\n");
        out.append("  <rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        for (int i = 0; i < boxes.size(); i++) {
            Box b = boxes.get(i);
            int x = MARGIN + i * (BOX_WIDTH + GAP);
            int h = (b.rows().size() + 2) * ROW_HEIGHT;
            out.append("  <g id=\"").append(xml(b.id())).append("\">\n");
            out.append("    <rect x=\"").append(x).append("\" y=\"").append(MARGIN).append("\" width=\"")
                    .append(BOX_WIDTH).append("\" height=\"").append(h)
                    .append("\" rx=\"6\" fill=\"#f4f7fb\" stroke=\"#34495e\"/>\n");
            out.append("    <text x=\"").append(x + 8).append("\" y=\"").append(MARGIN + 15)
                    .append("\" font-weight=\"bold\">").append(xml(b.title())).append("</text>\n");
            for (int r = 0; r < b.rows().size(); r++) {
                Row row = b.rows().get(r);
                String color = row.state().equals("UP") || row.state().equals("UNKNOWN") ? "#1e7b34" : "#b03a2e";
                out.append("    <text x=\"").append(x + 8).append("\" y=\"").append(rowY(r) + 4).append("\">")
                        .append(xml(row.prefix() + row.name())).append(" <tspan fill=\"").append(color)
                        .append("\">").append(row.state()).append("</tspan> ").append(xml(row.details()))
                        .append("</text>\n");
            }
            out.append("  </g>\n");
        }
        for (NetDevice[] pair : pairs) {
            int[] a = find(pair[0]);
            int[] z = find(pair[1]);
            if (a == null || z == null) {
                continue;
            }
            if (a[0] > z[0]) {
                int[] t = a;
                a = z;
                z = t;
            }
            int ax = MARGIN + a[0] * (BOX_WIDTH + GAP) + BOX_WIDTH;
            int zx = MARGIN + z[0] * (BOX_WIDTH + GAP);
            if (a[0] == z[0]) {
                zx = ax;
            }
            int ay = rowY(a[1]);
            int zy = rowY(z[1]);
            int bend = a[0] == z[0] ? ax + 30 : (ax + zx) / 2;
            out.append("  <path d=\"M").append(ax).append(' ').append(ay).append(" C").append(bend).append(' ')
                    .append(ay).append(' ').append(bend).append(' ').append(zy).append(' ').append(zx).append(' ')
                    .append(zy).append("\" fill=\"none\" stroke=\"#2471a3\" stroke-width=\"2\"/>\n");
        }
        return out.append("</svg>\n").toString();
    }

    private static int rowY(int row) {
        return MARGIN + (row + 2) * ROW_HEIGHT - 6;
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
