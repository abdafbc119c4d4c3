package dev.ipsim.shell.oracle;

import dev.ipsim.kernel.addr.Ipv6Address;
import dev.ipsim.kernel.addr.MacAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces what truly varies between runs of the same scenario with stable tokens, and nothing
 * else: random MAC addresses (and the EUI-64 link-local addresses made from them), numbered by
 * first appearance; the recorder's temporary script name in bash diagnostics; ping's round-trip
 * times (each reply's {@code time=}, the {@code rtt} and {@code ipg/ewma} figures) and the
 * running time of its summary ({@code time 3015ms}); ping identifiers as tcpdump and {@code ping -v} print them;
 * clock readings (tcpdump's and {@code ping -D}'s timestamps in every style, and the IP
 * identification {@code tcpdump -v} shows, which the kernel draws at random); and the time left
 * on a bridge's running timers ({@code gc_timer  294.95}; a stopped one, {@code 0.00}, stays). A MAC the scenario itself
 * names is not random, so it stays as it is.
 */
final class Volatile {

    private static final Pattern MAC = Pattern.compile("\\b[0-9a-f]{2}(?::[0-9a-f]{2}){5}\\b");
    private static final Pattern LINK_LOCAL = Pattern.compile("\\bfe80::[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){0,3}\\b");
    private static final Pattern TOKEN = Pattern.compile(MAC.pattern() + "|" + LINK_LOCAL.pattern());
    private static final Pattern SCRIPT = Pattern.compile("(?m)^/tmp/tmp\\.[A-Za-z0-9]+: line ");
    private static final Pattern REPLY_TIME = Pattern.compile(" time=\\d+(?:\\.\\d+)? ms");
    private static final Pattern RTT_SUMMARY = Pattern.compile("rtt min/avg/max/mdev = [\\d.]+/[\\d.]+/[\\d.]+/[\\d.]+ ms");
    private static final Pattern IPG_EWMA = Pattern.compile("ipg/ewma [\\d.]+/[\\d.]+ ms");
    private static final Pattern RUN_TIME = Pattern.compile("(packet loss, time )\\d+ms");
    private static final Pattern PING_ID = Pattern.compile("\\bid \\d+, seq ");
    private static final Pattern PING_IDENT = Pattern.compile(" ident=\\d+ ");
    private static final Pattern CAPTURE_TIME = Pattern.compile("(?m)^( *\\d+  )?\\d{2}:\\d{2}:\\d{2}\\.\\d{6} ");
    private static final Pattern CAPTURE_UNIX_TIME = Pattern.compile("(?m)^( *\\d+  )?\\d{9,10}\\.\\d{6} ");
    private static final Pattern CAPTURE_DATE_TIME =
            Pattern.compile("(?m)^( *\\d+  )?\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{6} ");
    private static final Pattern CAPTURE_DELTA = Pattern.compile("(?m)^( *\\d+  )?([ -])\\d{2}:\\d{2}:\\d{2}\\.\\d{6} ");
    private static final Pattern IP_ID = Pattern.compile(", id \\d+, offset ");
    private static final Pattern PING_TIMESTAMP = Pattern.compile("\\[\\d+\\.\\d{6}\\] ");
    /** An OVSDB row's UUID: random on every run. */
    private static final Pattern UUID = Pattern.compile(
            "\\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\b");
    /** A bridge timer that is running: how much is left depends on the real machine's pace. */
    private static final Pattern BRIDGE_TIMER = Pattern.compile(
            "\\b(hello_timer|tcn_timer|topology_change_timer|gc_timer|hold_timer|message_age_timer|forward_delay_timer)"
            + " +(?!0\\.00 )\\d+\\.\\d\\d ");

    private Volatile() {
    }

    static String normalise(String text, String scenario) {
        String s = SCRIPT.matcher(text).replaceAll("SCRIPT: line ");
        s = REPLY_TIME.matcher(s).replaceAll(" time=<RTT> ms");
        s = RTT_SUMMARY.matcher(s).replaceAll("rtt min/avg/max/mdev = <RTT> ms");
        s = IPG_EWMA.matcher(s).replaceAll("ipg/ewma <RTT> ms");
        s = RUN_TIME.matcher(s).replaceAll("$1<TIME>ms");
        s = PING_ID.matcher(s).replaceAll("id <ID>, seq ");
        s = PING_IDENT.matcher(s).replaceAll(" ident=<ID> ");
        s = CAPTURE_DELTA.matcher(s).replaceAll("$1$2<DELTA> ");
        s = CAPTURE_TIME.matcher(s).replaceAll("$1<TIMESTAMP> ");
        s = CAPTURE_UNIX_TIME.matcher(s).replaceAll("$1<TIMESTAMP> ");
        s = CAPTURE_DATE_TIME.matcher(s).replaceAll("$1<TIMESTAMP> ");
        s = IP_ID.matcher(s).replaceAll(", id <IPID>, offset ");
        s = PING_TIMESTAMP.matcher(s).replaceAll("[<TIMESTAMP>] ");
        s = BRIDGE_TIMER.matcher(s).replaceAll("$1 <TIMER> ");
        s = sortOvsShow(s);
        Map<String, Integer> uuids = new LinkedHashMap<>();
        Matcher u = UUID.matcher(s);
        StringBuilder ub = new StringBuilder();
        while (u.find()) {
            u.appendReplacement(ub, "<UUID" + uuids.computeIfAbsent(u.group(), k -> uuids.size() + 1) + ">");
        }
        u.appendTail(ub);
        s = ub.toString();
        Map<Long, Integer> ids = new LinkedHashMap<>();
        Matcher m = TOKEN.matcher(s);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String tok = m.group();
            String replacement = tok;
            if (tok.startsWith("fe80::")) {
                Ipv6Address a = Ipv6Address.parse(tok);
                MacAddress mac = a == null ? null : fromEui64(a.low());
                if (mac != null && !scenario.contains(mac.toString())) {
                    replacement = "fe80::<MAC" + ids.computeIfAbsent(mac.bits(), k -> ids.size() + 1) + ">";
                }
            } else {
                MacAddress mac = MacAddress.parse(tok);
                if (mac != null && !mac.isZero() && !mac.isBroadcast() && !scenario.contains(tok)) {
                    replacement = "<MAC" + ids.computeIfAbsent(mac.bits(), k -> ids.size() + 1) + ">";
                }
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /**
     * {@code ovs-vsctl show} lists bridges, ports and interfaces in the order of their random
     * UUIDs: sibling {@code Bridge}, {@code Port} and {@code Interface} blocks are put in name
     * order, on both sides, so that only what they hold is compared.
     */
    static String sortOvsShow(String text) {
        String[] lines = text.split("\n", -1);
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < lines.length) {
            String line = lines[i];
            out.append(line);
            if (i < lines.length - 1) {
                out.append('\n');
            }
            i++;
            if (line.startsWith("$ ") && line.contains("ovs-vsctl") && line.endsWith(" show")) {
                int end = i;
                while (end < lines.length && !lines[end].startsWith("$ ")) {
                    end++;
                }
                java.util.List<String> block = java.util.Arrays.asList(lines).subList(i, end);
                java.util.List<String> sorted = sortBlocks(new java.util.ArrayList<>(block), 4);
                for (int j = 0; j < sorted.size(); j++) {
                    out.append(sorted.get(j));
                    if (i + j < lines.length - 1) {
                        out.append('\n');
                    }
                }
                i = end;
            }
        }
        return out.toString();
    }

    private static java.util.List<String> sortBlocks(java.util.List<String> lines, int indent) {
        String pad = " ".repeat(indent);
        java.util.List<java.util.List<String>> blocks = new java.util.ArrayList<>();
        java.util.List<String> head = new java.util.ArrayList<>();
        java.util.List<String> tail = new java.util.ArrayList<>();
        for (String l : lines) {
            boolean starts = l.startsWith(pad) && !l.startsWith(pad + " ")
                    && (l.startsWith(pad + "Bridge ") || l.startsWith(pad + "Port ") || l.startsWith(pad + "Interface "));
            if (starts) {
                blocks.add(new java.util.ArrayList<>(java.util.List.of(l)));
            } else if (!blocks.isEmpty() && l.startsWith(pad + " ")) {
                blocks.get(blocks.size() - 1).add(l);
            } else if (blocks.isEmpty()) {
                head.add(l);
            } else {
                tail.add(l);
            }
        }
        java.util.List<java.util.List<String>> sortedBlocks = new java.util.ArrayList<>();
        for (java.util.List<String> b : blocks) {
            java.util.List<String> inner = sortBlocks(new java.util.ArrayList<>(b.subList(1, b.size())), indent + 4);
            java.util.List<String> whole = new java.util.ArrayList<>();
            whole.add(b.get(0));
            whole.addAll(inner);
            sortedBlocks.add(whole);
        }
        sortedBlocks.sort(java.util.Comparator.comparing(b -> b.get(0)));
        java.util.List<String> out = new java.util.ArrayList<>(head);
        for (java.util.List<String> b : sortedBlocks) {
            out.addAll(b);
        }
        out.addAll(tail);
        return out;
    }

    /** The MAC an EUI-64 interface identifier was made from, or {@code null}. */
    static MacAddress fromEui64(long id) {
        if ((id >>> 24 & 0xFFFF) != 0xFFFE) {
            return null;
        }
        long flipped = id ^ 0x0200_0000_0000_0000L;
        long upper = flipped >>> 40;
        long lower = flipped & 0xFF_FFFFL;
        return new MacAddress(upper << 24 | lower);
    }
}
