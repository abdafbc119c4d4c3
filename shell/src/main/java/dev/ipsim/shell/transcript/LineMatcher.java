package dev.ipsim.shell.transcript;

import dev.ipsim.kernel.addr.Ipv6Address;
import dev.ipsim.kernel.addr.MacAddress;
import dev.ipsim.shell.transcript.Transcript.Expected;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compares what a document shows after a command with what the command printed, line by line.
 *
 * <p>Only what varies on a real system is compared by shape, and nothing else is loosened:
 * <ul>
 * <li>a MAC address (and the EUI-64 link-local address made from it) binds, the first time
 *     the document shows it, to the MAC the simulation shows in the same place, and must be
 *     that MAC everywhere it appears again on the machine, and no other document MAC may bind
 *     to it (so an ARP reply's MAC must be the veth peer's MAC {@code ip link} showed);</li>
 * <li>capture timestamps must keep the document's spacing within a command (a tolerance of
 *     50 ms plus 2 % for the jitter of a real machine);</li>
 * <li>ICMP identifiers, round-trip times and ping's {@code time Nms} are compared by shape;</li>
 * <li>an address's remaining lifetime ({@code valid_lft 86214sec}) is a reading of the clock:
 *     it must be the document's within a minute;</li>
 * <li>the rows of a neighbour table listing ({@code arp}, {@code ip neigh}) come out in the
 *     kernel's hash order, which a random seed per boot decides: they are compared as a set.</li>
 * </ul>
 * A document that lost white space says so in its header, and both sides are compared as the
 * document renders them: {@code trailing-stripped} (line ends lost their blanks) or
 * {@code collapsed} (every run of blanks became one space, and empty lines went away).
 */
final class LineMatcher {

    private static final Pattern MAC = Pattern.compile("\\b[0-9a-f]{2}(?::[0-9a-f]{2}){5}\\b");
    private static final Pattern LINK_LOCAL = Pattern.compile("\\bfe80::[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){0,3}\\b");
    /** An address's remaining lifetime in seconds: a reading of the clock, like a timestamp. */
    private static final Pattern LIFETIME = Pattern.compile("(?<=(?:valid|preferred)_lft )\\d+(?=sec)");
    /** How far a remaining lifetime may be from the document's: the author's pace is unknown. */
    private static final long LIFETIME_SLACK_SECONDS = 60;
    private static final Pattern CAPTURE_TIME = Pattern.compile("^(\\d{2}):(\\d{2}):(\\d{2})\\.(\\d{6}) ");
    private static final Pattern[] SHAPES = {
        Pattern.compile("(?<= time=)\\d+(?:\\.\\d+)?(?= ms)"),
        Pattern.compile("(?<=rtt min/avg/max/mdev = )[\\d.]+/[\\d.]+/[\\d.]+/[\\d.]+(?= ms)"),
        Pattern.compile("(?<=ipg/ewma )[\\d.]+/[\\d.]+(?= ms)"),
        Pattern.compile("(?<=packet loss, time )\\d+(?=ms)"),
        Pattern.compile("(?<=\\bid )\\d+(?=, seq )"),
        Pattern.compile("(?<= ident=)\\d+(?= )"),
        Pattern.compile("(?<=^\\[)\\d+\\.\\d{6}(?=\\] )"),
        LIFETIME,
    };
    /** Tolerance for a capture's spacing: a fixed part and a share of the interval. */
    private static final double SPACING_SLACK_SECONDS = 0.050;
    private static final double SPACING_SLACK_SHARE = 0.02;

    /** How one line of a step came out. */
    enum Verdict { MATCHED, MISMATCHED, DEVIATION, PENDING, UNSHOWN }

    /**
     * One line of the comparison, for the report: the document's line (or {@code null}), the
     * simulation's (or {@code null}), and how they compare.
     */
    record Row(Verdict verdict, Expected expected, String actual, String note) {
    }

    private final String whitespace;
    private final Map<String, String> macs = new HashMap<>();
    private final Map<String, String> macsBack = new HashMap<>();

    LineMatcher(String whitespace) {
        this.whitespace = whitespace;
    }

    /** A new machine: its MACs are its own. */
    void resetBindings() {
        macs.clear();
        macsBack.clear();
    }

    private boolean collapsed() {
        return whitespace.equals("collapsed");
    }

    /** The line as the document would render it. */
    String render(String line) {
        return switch (whitespace) {
            case "collapsed" -> line.strip().replaceAll("[ \\t]+", " ");
            case "trailing-stripped" -> line.stripTrailing();
            default -> line;
        };
    }

    /** The line with what varies replaced by placeholders: two lines of the same shape may match. */
    String shape(String line) {
        String s = render(line);
        s = CAPTURE_TIME.matcher(s).replaceAll("<TIME> ");
        for (Pattern p : SHAPES) {
            s = p.matcher(s).replaceAll("<N>");
        }
        Matcher m = LINK_LOCAL.matcher(s);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, fromEui64(m.group()) != null ? "fe80::<EUI64>" : Matcher.quoteReplacement(m.group()));
        }
        m.appendTail(sb);
        m = MAC.matcher(sb.toString());
        sb = new StringBuilder();
        while (m.find()) {
            String mac = m.group();
            m.appendReplacement(sb, literalMac(mac) ? mac : "<MAC>");
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static boolean literalMac(String mac) {
        return mac.equals("00:00:00:00:00:00") || mac.equals("ff:ff:ff:ff:ff:ff");
    }

    /**
     * Compares a step's document lines with the simulation's.
     *
     * @param expected  the document's lines and marks
     * @param actual    the lines the simulation printed
     * @param firstRow  for a neighbour table listing, the index of its first row (rows compared
     *                  as a set); -1 otherwise
     */
    List<Row> compare(List<Expected> expected, List<String> actual, int firstRow) {
        List<Expected> lines = new ArrayList<>();
        for (Expected e : expected) {
            if (!e.isMark() && !(collapsed() && e.text().isBlank())) {
                lines.add(e);
            }
        }
        if (collapsed()) {
            // the document dropped its empty lines with its runs of blanks
            actual = actual.stream().filter(x -> !x.isBlank()).toList();
        }
        // blank lines that end the document's block are layout unless the command printed them
        int docBlank = 0;
        while (docBlank < lines.size() && lines.get(lines.size() - 1 - docBlank).text().isBlank()) {
            docBlank++;
        }
        int realBlank = 0;
        while (realBlank < actual.size() && actual.get(actual.size() - 1 - realBlank).isBlank()) {
            realBlank++;
        }
        int layout = docBlank - Math.min(docBlank, realBlank);
        List<Expected> e = new ArrayList<>(lines.subList(0, lines.size() - layout));
        List<String> a = new ArrayList<>(actual);
        if (firstRow >= 0) {
            sortRows(e, firstRow, x -> shape(x.text()));
            sortRows(a, firstRow, this::shape);
        }
        // each mark stands before the kept line that follows it in the document
        List<Expected> marks = new ArrayList<>();
        List<Integer> markAt = new ArrayList<>();
        for (int i = 0, k = 0; i < expected.size(); i++) {
            Expected x = expected.get(i);
            if (x.isMark()) {
                marks.add(x);
                markAt.add(k);
            } else if (e.contains(x)) {
                k++;
            }
        }
        return align(e, a, marks, markAt);
    }

    private static <T> void sortRows(List<T> list, int from, java.util.function.Function<T, String> key) {
        if (list.size() > from + 1) {
            list.subList(from, list.size()).sort(Comparator.comparing(key));
        }
    }

    private List<Row> align(List<Expected> e, List<String> a, List<Expected> marks, List<Integer> markAt) {
        int n = e.size();
        int m = a.size();
        String[] es = new String[n];
        String[] as = new String[m];
        for (int i = 0; i < n; i++) {
            es[i] = shape(e.get(i).text());
        }
        for (int j = 0; j < m; j++) {
            as[j] = shape(a.get(j));
        }
        int[][] lcs = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                lcs[i][j] = es[i].equals(as[j]) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        // walk the alignment: pairs of the same shape, and runs of unmatched lines between them
        List<Row> rows = new ArrayList<>();
        Run run = new Run();
        Timing timing = new Timing();
        int i = 0;
        int j = 0;
        int mk = 0;
        while (i < n || j < m) {
            while (mk < marks.size() && markAt.get(mk) <= i) {
                run.marks.add(marks.get(mk++));
            }
            if (i < n && j < m && es[i].equals(as[j])) {
                run.flush(rows);
                rows.add(pair(e.get(i), a.get(j), timing));
                i++;
                j++;
            } else if (j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j])) {
                run.real.add(a.get(j++));
            } else {
                run.doc.add(e.get(i++));
            }
        }
        while (mk < marks.size()) {
            run.marks.add(marks.get(mk++));
        }
        run.flush(rows);
        return rows;
    }

    /** Unmatched lines between two matched pairs, and the document's marks among them. */
    private static final class Run {
        final List<Expected> doc = new ArrayList<>();
        final List<String> real = new ArrayList<>();
        final List<Expected> marks = new ArrayList<>();

        /**
         * A known deviation takes the simulation's line in its place (the document changed that
         * line); a mark takes the lines the document left out; what is left mismatches.
         */
        void flush(List<Row> rows) {
            List<Expected> plain = new ArrayList<>();
            for (Expected x : doc) {
                if (x.deviation() == null) {
                    plain.add(x);
                }
            }
            List<String> left = new ArrayList<>(real);
            for (Expected x : doc) {
                if (x.deviation() != null) {
                    String instead = left.size() > plain.size() ? left.remove(0) : null;
                    rows.add(new Row(Verdict.DEVIATION, x, instead, x.deviation()));
                }
            }
            for (Expected mark : marks) {
                if (mark.omitted() == Transcript.EXCERPT) {
                    // one deviation for however many lines the document leaves out
                    List<String> leftOut = new ArrayList<>(left.subList(0, Math.max(0, left.size() - plain.size())));
                    left.subList(0, leftOut.size()).clear();
                    rows.add(new Row(Verdict.DEVIATION, mark, leftOut.isEmpty() ? null : String.join("\n", leftOut),
                            mark.deviation() + " (" + leftOut.size() + " line(s) left out)"));
                    continue;
                }
                for (int c = 0; c < mark.omitted(); c++) {
                    String leftOut = left.size() > plain.size() ? left.remove(plain.size()) : null;
                    rows.add(new Row(Verdict.DEVIATION, mark, leftOut,
                            leftOut != null ? mark.deviation() : mark.deviation() + " (but nothing is left out here)"));
                }
            }
            int k = 0;
            for (; k < Math.min(plain.size(), left.size()); k++) {
                rows.add(new Row(Verdict.MISMATCHED, plain.get(k), left.get(k), null));
            }
            for (int p = k; p < plain.size(); p++) {
                rows.add(new Row(Verdict.MISMATCHED, plain.get(p), null, null));
            }
            for (int q = k; q < left.size(); q++) {
                rows.add(new Row(Verdict.MISMATCHED, null, left.get(q), null));
            }
            doc.clear();
            real.clear();
            marks.clear();
        }
    }

    /** Two lines of the same shape: bindings and spacing decide. */
    private Row pair(Expected x, String real, Timing timing) {
        if (x.deviation() != null) {
            return new Row(Verdict.DEVIATION, x, real, x.deviation() + " (it matches now)");
        }
        String why = bindMacs(render(x.text()), render(real));
        if (why == null) {
            why = timing.check(render(x.text()), render(real));
        }
        if (why == null) {
            why = lifetimes(render(x.text()), render(real));
        }
        return why == null ? new Row(Verdict.MATCHED, x, real, null) : new Row(Verdict.MISMATCHED, x, real, why);
    }

    /** Remaining lifetimes must be the document's, give or take the minute a person may have taken. */
    private static String lifetimes(String doc, String real) {
        Matcher d = LIFETIME.matcher(doc);
        Matcher r = LIFETIME.matcher(real);
        while (d.find() && r.find()) {
            long a = Long.parseLong(d.group());
            long b = Long.parseLong(r.group());
            if (Math.abs(a - b) > LIFETIME_SLACK_SECONDS) {
                return b + "sec left here, " + a + "sec in the document";
            }
        }
        return null;
    }

    /** Binds the line's MACs (and EUI-64 link-local addresses) to the simulation's; says why not when it cannot. */
    private String bindMacs(String doc, String real) {
        List<String> dm = macsOf(doc);
        List<String> rm = macsOf(real);
        if (dm.size() != rm.size()) {
            return "the MAC addresses differ";
        }
        Map<String, String> tentative = new HashMap<>();
        Map<String, String> tentativeBack = new HashMap<>();
        for (int k = 0; k < dm.size(); k++) {
            String d = dm.get(k);
            String r = rm.get(k);
            String bound = macs.getOrDefault(d, tentative.get(d));
            String boundBack = macsBack.getOrDefault(r, tentativeBack.get(r));
            if (bound != null && !bound.equals(r)) {
                return d + " is " + bound + " here (it was bound earlier), not " + r;
            }
            if (boundBack != null && !boundBack.equals(d)) {
                return r + " already stands for " + boundBack + " in the document";
            }
            tentative.put(d, r);
            tentativeBack.put(r, d);
        }
        macs.putAll(tentative);
        macsBack.putAll(tentativeBack);
        return null;
    }

    /** The MACs a line names, in order, the EUI-64 link-local addresses' among them. */
    private static List<String> macsOf(String line) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile(LINK_LOCAL.pattern() + "|" + MAC.pattern()).matcher(line);
        while (m.find()) {
            String t = m.group();
            if (t.startsWith("fe80::")) {
                MacAddress mac = fromEui64(t);
                if (mac != null) {
                    out.add(mac.toString());
                }
            } else if (!literalMac(t)) {
                out.add(t);
            }
        }
        return out;
    }

    /** The MAC an EUI-64 link-local address was made from, or {@code null}. */
    static MacAddress fromEui64(String address) {
        Ipv6Address a = Ipv6Address.parse(address);
        if (a == null) {
            return null;
        }
        long id = a.low();
        if ((id >>> 24 & 0xFFFF) != 0xFFFE) {
            return null;
        }
        long flipped = id ^ 0x0200_0000_0000_0000L;
        return new MacAddress((flipped >>> 40) << 24 | (flipped & 0xFF_FFFFL));
    }

    /** A step's capture timestamps: the first binds, the rest keep the document's spacing. */
    private static final class Timing {
        private double docStart = -1;
        private double realStart;

        String check(String doc, String real) {
            Matcher d = CAPTURE_TIME.matcher(doc);
            Matcher r = CAPTURE_TIME.matcher(real);
            if (!d.find() || !r.find()) {
                return null;
            }
            double dt = seconds(d);
            double rt = seconds(r);
            if (docStart < 0) {
                docStart = dt;
                realStart = rt;
                return null;
            }
            double docDelta = (dt - docStart + 86400) % 86400;
            double realDelta = (rt - realStart + 86400) % 86400;
            if (Math.abs(docDelta - realDelta) > SPACING_SLACK_SECONDS + SPACING_SLACK_SHARE * docDelta) {
                return String.format(java.util.Locale.ROOT, "%.6f s after the first line here, %.6f s in the document",
                        realDelta, docDelta);
            }
            return null;
        }

        private static double seconds(Matcher m) {
            return Integer.parseInt(m.group(1)) * 3600 + Integer.parseInt(m.group(2)) * 60
                    + Integer.parseInt(m.group(3)) + Integer.parseInt(m.group(4)) / 1e6;
        }
    }
}
