package dev.ipsim.shell.builtins;

import dev.ipsim.commands.Invocation;
import dev.ipsim.shell.ShellSession;
import dev.ipsim.shell.vfs.VirtualFs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * GNU coreutils 9.1 {@code cut}: {@code -f LIST} with {@code -d DELIM} (a tab by default) and
 * {@code -s}, {@code -c}/{@code -b LIST}, {@code --output-delimiter}, over files or standard
 * input. A line without the delimiter is printed whole unless {@code -s}.
 */
final class Cut {

    private static final String TRY = "Try 'cut --help' for more information.\n";

    private Cut() {
    }

    private record Range(int from, int to) {
    }

    static int run(ShellSession session, Invocation inv) {
        GnuOptions.Result r = new GnuOptions("cut", "b:c:d:f:ns")
                .longOption("bytes", 'b', true).longOption("characters", 'c', true)
                .longOption("delimiter", 'd', true).longOption("fields", 'f', true)
                .longOption("only-delimited", 's').longOption("output-delimiter", 'O', true)
                .longOption("complement", 'C')
                .parse(inv.args());
        if (r.error() != null) {
            inv.err().print(r.error() + TRY);
            return 1;
        }
        String list = null;
        char mode = 0;
        String delim = null;
        String outDelim = null;
        boolean complement = false;
        for (GnuOptions.Option o : r.options()) {
            switch (o.key()) {
                case 'b', 'c', 'f' -> {
                    if (mode != 0) {
                        inv.err().print("cut: only one list may be specified\n" + TRY);
                        return 1;
                    }
                    mode = o.key();
                    list = o.value();
                }
                case 'd' -> delim = o.value();
                case 'O' -> outDelim = o.value();
                case 'C' -> complement = true;
                default -> {
                }
            }
        }
        if (mode == 0) {
            inv.err().print("cut: you must specify a list of bytes, characters, or fields\n" + TRY);
            return 1;
        }
        if (delim != null && mode != 'f') {
            inv.err().print("cut: an input delimiter may be specified only when operating on fields\n" + TRY);
            return 1;
        }
        if (r.has('s') && mode != 'f') {
            inv.err().print("cut: suppressing non-delimited lines makes sense\n"
                    + "\tonly when operating on fields\n" + TRY);
            return 1;
        }
        if (delim != null && delim.length() != 1) {
            inv.err().print("cut: the delimiter must be a single character\n" + TRY);
            return 1;
        }
        List<Range> ranges = new ArrayList<>();
        for (String part : list.split(",", -1)) {
            String p = part;
            try {
                int dash = p.indexOf('-');
                int from;
                int to;
                if (dash < 0) {
                    from = to = Integer.parseInt(p);
                } else {
                    from = dash == 0 ? 1 : Integer.parseInt(p.substring(0, dash));
                    to = dash == p.length() - 1 ? Integer.MAX_VALUE : Integer.parseInt(p.substring(dash + 1));
                    if (dash == 0 && p.length() == 1) {
                        inv.err().print("cut: invalid range with no endpoint: -\n" + TRY);
                        return 1;
                    }
                }
                if (from == 0 || to == 0) {
                    inv.err().print((mode == 'f' ? "cut: fields" : "cut: byte/character positions")
                            + " are numbered from 1\n" + TRY);
                    return 1;
                }
                if (to < from) {
                    inv.err().print("cut: invalid decreasing range\n" + TRY);
                    return 1;
                }
                ranges.add(new Range(from, to));
            } catch (NumberFormatException e) {
                inv.err().print("cut: invalid " + (mode == 'f' ? "field" : "byte/character position") + " value "
                        + Quote.locale(p) + "\n" + TRY);
                return 1;
            }
        }
        char d = delim == null ? '\t' : delim.charAt(0);
        String od = outDelim != null ? outDelim : mode == 'f' ? String.valueOf(d) : "";
        List<String> files = r.operands().isEmpty() ? List.of("-") : r.operands();
        int status = 0;
        StringBuilder out = new StringBuilder();
        for (String f : files) {
            String text;
            if (f.equals("-")) {
                try {
                    text = new String(inv.in().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    text = "";
                }
            } else {
                try {
                    text = session.vfs().read(f);
                } catch (VirtualFs.FsException e) {
                    inv.out().print(out);
                    out.setLength(0);
                    inv.out().flush();
                    inv.err().print("cut: " + f + ": " + e.errno().text() + "\n");
                    status = 1;
                    continue;
                }
            }
            int start = 0;
            while (start < text.length()) {
                int nl = text.indexOf('\n', start);
                String line = text.substring(start, nl < 0 ? text.length() : nl);
                start = nl < 0 ? text.length() : nl + 1;
                if (mode == 'f') {
                    if (line.indexOf(d) < 0) {
                        if (!r.has('s')) {
                            out.append(line).append('\n');
                        }
                        continue;
                    }
                    String[] fields = line.split(java.util.regex.Pattern.quote(String.valueOf(d)), -1);
                    boolean any = false;
                    for (int i = 1; i <= fields.length; i++) {
                        if (selected(ranges, i) != complement) {
                            if (any) {
                                out.append(od);
                            }
                            out.append(fields[i - 1]);
                            any = true;
                        }
                    }
                    out.append('\n');
                } else {
                    int prev = -2;
                    for (int i = 1; i <= line.length(); i++) {
                        if (selected(ranges, i) != complement) {
                            if (outDelim != null && prev >= 0 && prev != i - 1) {
                                out.append(od);
                            }
                            out.append(line.charAt(i - 1));
                            prev = i;
                        }
                    }
                    out.append('\n');
                }
            }
        }
        inv.out().print(out);
        return status;
    }

    private static boolean selected(List<Range> ranges, int i) {
        for (Range r : ranges) {
            if (i >= r.from() && i <= r.to()) {
                return true;
            }
        }
        return false;
    }
}
