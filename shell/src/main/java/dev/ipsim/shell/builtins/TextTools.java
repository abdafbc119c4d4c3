package dev.ipsim.shell.builtins;

import dev.ipsim.commands.Invocation;
import dev.ipsim.shell.ShellSession;
import dev.ipsim.shell.vfs.VirtualFs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The GNU coreutils 9.1 text filters that pipelines in tutorials use: {@code head},
 * {@code tail}, {@code wc}, {@code sort} and {@code uniq}, over the sandbox's files or
 * standard input, with coreutils' messages, headers and column widths.
 */
final class TextTools {

    private TextTools() {
    }

    /** A file's text, or the error line the tool prints. */
    private record Input(String name, String text, String error) {
    }

    private static Input read(ShellSession session, Invocation inv, String name) {
        if (name.equals("-")) {
            try {
                return new Input(name, new String(inv.in().readAllBytes(), StandardCharsets.UTF_8), null);
            } catch (IOException e) {
                return new Input(name, "", null);
            }
        }
        try {
            return new Input(name, session.vfs().read(name), null);
        } catch (VirtualFs.FsException e) {
            return new Input(name, null, e.errno().text());
        }
    }

    /** Lines with their newlines; a last line without one is kept as it is. */
    private static List<String> lines(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int nl = text.indexOf('\n', start);
            int end = nl < 0 ? text.length() : nl + 1;
            out.add(text.substring(start, end));
            start = end;
        }
        return out;
    }

    // ------------------------------------------------------------------ head and tail

    static int head(ShellSession session, Invocation inv) {
        return headOrTail(session, inv, true);
    }

    static int tail(ShellSession session, Invocation inv) {
        return headOrTail(session, inv, false);
    }

    private static int headOrTail(ShellSession session, Invocation inv, boolean head) {
        String prog = head ? "head" : "tail";
        List<String> args = new ArrayList<>(inv.args());
        if (!args.isEmpty() && args.get(0).matches("-[0-9]+")) {
            // the obsolete form, first argument only: head -5
            args.set(0, "-n" + args.get(0).substring(1));
        }
        GnuOptions.Result r = new GnuOptions(prog, head ? "n:c:qvz" : "n:c:qvfFz")
                .longOption("lines", 'n', true).longOption("bytes", 'c', true).longOption("quiet", 'q')
                .longOption("silent", 'q').longOption("verbose", 'v').longOption("follow", 'f')
                .parse(args);
        if (r.error() != null) {
            inv.err().print(r.error() + "Try '" + prog + " --help' for more information.\n");
            return 1;
        }
        String count = "10";
        boolean bytes = false;
        boolean quiet = false;
        boolean verbose = false;
        for (GnuOptions.Option o : r.options()) {
            switch (o.key()) {
                case 'n' -> {
                    count = o.value();
                    bytes = false;
                }
                case 'c' -> {
                    count = o.value();
                    bytes = true;
                }
                case 'q' -> {
                    quiet = true;
                    verbose = false;
                }
                case 'v' -> {
                    verbose = true;
                    quiet = false;
                }
                default -> {
                }
            }
        }
        boolean fromStart = !head && count.startsWith("+");
        boolean allBut = head && count.startsWith("-");
        String digits = count.replaceFirst("^[+-]", "");
        long n;
        try {
            n = Long.parseLong(digits);
        } catch (NumberFormatException e) {
            inv.err().print(prog + ": invalid number of " + (bytes ? "bytes" : "lines") + ": "
                    + Quote.locale(count) + "\n");
            return 1;
        }
        List<String> files = r.operands().isEmpty() ? List.of("-") : r.operands();
        boolean headers = verbose || files.size() > 1 && !quiet;
        int status = 0;
        boolean first = true;
        for (String f : files) {
            Input in = read(session, inv, f);
            if (in.error() != null) {
                inv.out().flush();
                inv.err().print(prog + ": cannot open '" + f + "' for reading: " + in.error() + "\n");
                status = 1;
                continue;
            }
            StringBuilder sb = new StringBuilder();
            if (headers) {
                sb.append(first ? "" : "\n").append("==> ").append(f.equals("-") ? "standard input" : f)
                        .append(" <==\n");
            }
            first = false;
            if (bytes) {
                byte[] b = in.text().getBytes(StandardCharsets.UTF_8);
                int len = b.length;
                int from;
                int to;
                if (head) {
                    from = 0;
                    to = (int) (allBut ? Math.max(0, len - n) : Math.min(len, n));
                } else {
                    from = (int) (fromStart ? Math.min(len, Math.max(0, n - 1)) : Math.max(0, len - n));
                    to = len;
                }
                sb.append(new String(b, from, to - from, StandardCharsets.UTF_8));
            } else {
                List<String> lines = lines(in.text());
                int len = lines.size();
                int from;
                int to;
                if (head) {
                    from = 0;
                    to = (int) (allBut ? Math.max(0, len - n) : Math.min(len, n));
                } else {
                    from = (int) (fromStart ? Math.min(len, Math.max(0, n - 1)) : Math.max(0, len - n));
                    to = len;
                }
                for (int i = from; i < to; i++) {
                    sb.append(lines.get(i));
                }
            }
            inv.out().print(sb);
        }
        return status;
    }

    // ------------------------------------------------------------------ wc

    static int wc(ShellSession session, Invocation inv) {
        GnuOptions.Result r = new GnuOptions("wc", "clLmw").longOption("bytes", 'c').longOption("chars", 'm')
                .longOption("lines", 'l').longOption("words", 'w').longOption("max-line-length", 'L')
                .parse(inv.args());
        if (r.error() != null) {
            inv.err().print(r.error() + "Try 'wc --help' for more information.\n");
            return 1;
        }
        boolean lines = r.has('l');
        boolean words = r.has('w');
        boolean chars = r.has('m');
        boolean bytes = r.has('c');
        boolean longest = r.has('L');
        if (!lines && !words && !chars && !bytes && !longest) {
            lines = true;
            words = true;
            bytes = true;
        }
        List<String> files = r.operands().isEmpty() ? List.of("-") : r.operands();
        boolean named = !r.operands().isEmpty();
        List<Input> inputs = new ArrayList<>();
        for (String f : files) {
            inputs.add(read(session, inv, f));
        }
        // wc.c compute_number_width: digits of the regular files' total size, at least 7 when
        // an input is not a regular file, no padding for a single count of a single input
        int width = 1;
        if (!inputs.isEmpty() && inputs.get(0).error() == null) {
            long total = 0;
            int minimum = 1;
            for (Input in : inputs) {
                if (in.error() != null) {
                    continue;
                }
                long size = !in.name().equals("-") ? session.vfs().size(in.name())
                        : inv.in() instanceof VirtualFs.FileInput file ? file.size() : -1;
                if (size < 0) {
                    minimum = 7;
                } else {
                    total += size;
                }
            }
            for (; total >= 10; total /= 10) {
                width++;
            }
            width = Math.max(width, minimum);
        }
        int counts = (lines ? 1 : 0) + (words ? 1 : 0) + (chars ? 1 : 0) + (bytes ? 1 : 0) + (longest ? 1 : 0);
        if (counts == 1 && files.size() == 1) {
            width = 1;
        }
        long[] total = new long[5];
        int status = 0;
        StringBuilder sb = new StringBuilder();
        for (Input in : inputs) {
            if (in.error() != null) {
                inv.out().print(sb);
                sb.setLength(0);
                inv.out().flush();
                inv.err().print("wc: " + in.name() + ": " + in.error() + "\n");
                status = 1;
                continue;
            }
            long[] c = count(in.text());
            for (int i = 0; i < 5; i++) {
                total[i] = i == 4 ? Math.max(total[i], c[i]) : total[i] + c[i];
            }
            sb.append(format(c, lines, words, chars, bytes, longest, width))
                    .append(named ? " " + in.name() : "").append('\n');
        }
        if (files.size() > 1) {
            sb.append(format(total, lines, words, chars, bytes, longest, width)).append(" total\n");
        }
        inv.out().print(sb);
        return status;
    }

    /** Lines, words, characters, bytes, longest line. */
    private static long[] count(String text) {
        long newlines = 0;
        long words = 0;
        long longest = 0;
        long current = 0;
        boolean inWord = false;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch == '\n') {
                newlines++;
                longest = Math.max(longest, current);
                current = 0;
            } else if (ch == '\t') {
                current += 8 - current % 8;
            } else {
                current++;
            }
            boolean space = Character.isWhitespace(ch);
            if (!space && !inWord) {
                words++;
            }
            inWord = !space;
        }
        longest = Math.max(longest, current);
        return new long[] {newlines, words, text.codePointCount(0, text.length()),
            text.getBytes(StandardCharsets.UTF_8).length, longest};
    }

    private static String format(long[] c, boolean lines, boolean words, boolean chars, boolean bytes,
                                 boolean longest, int width) {
        StringBuilder sb = new StringBuilder();
        boolean[] shown = {lines, words, chars, bytes, longest};
        for (int i = 0; i < 5; i++) {
            if (shown[i]) {
                String v = Long.toString(c[i]);
                sb.append(sb.length() == 0 ? "" : " ").append(" ".repeat(Math.max(0, width - v.length()))).append(v);
            }
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------ sort and uniq

    static int sort(ShellSession session, Invocation inv) {
        GnuOptions.Result r = new GnuOptions("sort", "nruft:k:bV").longOption("numeric-sort", 'n')
                .longOption("reverse", 'r').longOption("unique", 'u').longOption("ignore-case", 'f')
                .longOption("field-separator", 't', true).longOption("key", 'k', true)
                .parse(inv.args());
        if (r.error() != null) {
            inv.err().print(r.error() + "Try 'sort --help' for more information.\n");
            return 2;
        }
        List<String> files = r.operands().isEmpty() ? List.of("-") : r.operands();
        List<String> all = new ArrayList<>();
        for (String f : files) {
            Input in = read(session, inv, f);
            if (in.error() != null) {
                inv.err().print("sort: cannot read: " + f + ": " + in.error() + "\n");
                return 2;
            }
            for (String l : lines(in.text())) {
                all.add(l.endsWith("\n") ? l.substring(0, l.length() - 1) : l);
            }
        }
        String separator = null;
        int keyField = 0;
        for (GnuOptions.Option o : r.options()) {
            if (o.key() == 't') {
                separator = o.value();
            } else if (o.key() == 'k') {
                try {
                    keyField = Integer.parseInt(o.value().replaceFirst("[,.].*", "")) - 1;
                } catch (NumberFormatException e) {
                    inv.err().print("sort: invalid number at field start: invalid count at start of "
                            + Quote.locale(o.value()) + "\n");
                    return 2;
                }
            }
        }
        final String sep = separator;
        final int field = keyField;
        boolean numeric = r.has('n');
        boolean fold = r.has('f');
        Comparator<String> byKey = (a, b) -> {
            String ka = key(a, sep, field);
            String kb = key(b, sep, field);
            int c;
            if (numeric) {
                c = Double.compare(number(ka), number(kb));
            } else {
                c = fold ? ka.toUpperCase().compareTo(kb.toUpperCase()) : ka.compareTo(kb);
            }
            // sort's last resort: the whole line, byte by byte
            return c != 0 || r.has('u') ? c : a.compareTo(b);
        };
        Comparator<String> order = r.has('r') ? byKey.reversed() : byKey;
        all.sort(order);
        StringBuilder sb = new StringBuilder();
        String previous = null;
        for (String l : all) {
            if (r.has('u') && previous != null && byKey.compare(previous, l) == 0) {
                continue;
            }
            sb.append(l).append('\n');
            previous = l;
        }
        inv.out().print(sb);
        return 0;
    }

    private static String key(String line, String sep, int field) {
        if (field <= 0) {
            return line;
        }
        String[] parts = sep == null ? line.trim().split("\\s+") : line.split(java.util.regex.Pattern.quote(sep), -1);
        StringBuilder sb = new StringBuilder();
        for (int i = field; i < parts.length; i++) {
            sb.append(i > field ? (sep == null ? " " : sep) : "").append(parts[i]);
        }
        return sb.toString();
    }

    private static double number(String s) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^\\s*(-?[0-9]*\\.?[0-9]+)").matcher(s);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    static int uniq(ShellSession session, Invocation inv) {
        GnuOptions.Result r = new GnuOptions("uniq", "cdui").longOption("count", 'c').longOption("repeated", 'd')
                .longOption("unique", 'u').longOption("ignore-case", 'i').parse(inv.args());
        if (r.error() != null) {
            inv.err().print(r.error() + "Try 'uniq --help' for more information.\n");
            return 1;
        }
        String name = r.operands().isEmpty() ? "-" : r.operands().get(0);
        Input in = read(session, inv, name);
        if (in.error() != null) {
            inv.err().print("uniq: " + name + ": " + in.error() + "\n");
            return 1;
        }
        List<String> lines = new ArrayList<>();
        for (String l : lines(in.text())) {
            lines.add(l.endsWith("\n") ? l.substring(0, l.length() - 1) : l);
        }
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < lines.size()) {
            int j = i + 1;
            while (j < lines.size() && (r.has('i') ? lines.get(j).equalsIgnoreCase(lines.get(i))
                    : lines.get(j).equals(lines.get(i)))) {
                j++;
            }
            int n = j - i;
            boolean show = (!r.has('d') || n > 1) && (!r.has('u') || n == 1);
            if (show) {
                sb.append(r.has('c') ? String.format("%7d ", n) : "").append(lines.get(i)).append('\n');
            }
            i = j;
        }
        inv.out().print(sb);
        return 0;
    }
}
