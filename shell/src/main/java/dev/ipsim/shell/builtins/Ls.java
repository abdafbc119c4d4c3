package dev.ipsim.shell.builtins;

import dev.ipsim.commands.Invocation;
import dev.ipsim.kernel.Errno;
import dev.ipsim.shell.ShellSession;
import dev.ipsim.shell.vfs.VirtualFs;
import java.util.ArrayList;
import java.util.List;

/**
 * GNU coreutils 9.1 {@code ls} for the sandbox's file system: one name a line when standard
 * output is not a terminal, columns (sorted down the columns, padded with tabs as ls does)
 * when it is. Names sort in byte order, as in the C.UTF-8 locale.
 */
final class Ls {

    /** ls's minimum column width: one character and two blanks. */
    private static final int MIN_COLUMN_WIDTH = 3;
    private static final int TAB_SIZE = 8;

    private Ls() {
    }

    private enum Format { ONE_PER_LINE, COLUMNS, ACROSS }

    static int run(ShellSession session, Invocation inv) {
        GnuOptions.Result r = new GnuOptions("ls", "aAdC1x")
                .longOption("all", 'a').longOption("almost-all", 'A').longOption("directory", 'd')
                .parse(inv.args());
        if (r.error() != null) {
            inv.err().print(r.error() + "Try 'ls --help' for more information.\n");
            return 2;
        }
        boolean all = false;
        boolean almostAll = false;
        boolean directory = false;
        Format format = inv.context().stdoutIsTerminal() ? Format.COLUMNS : Format.ONE_PER_LINE;
        for (GnuOptions.Option o : r.options()) {
            switch (o.key()) {
                case 'a' -> all = true;
                case 'A' -> almostAll = true;
                case 'd' -> directory = true;
                case '1' -> format = Format.ONE_PER_LINE;
                case 'C' -> format = Format.COLUMNS;
                case 'x' -> format = Format.ACROSS;
                default -> {
                }
            }
        }
        int width = session.terminalColumns();
        VirtualFs vfs = session.vfs();
        List<String> operands = r.operands().isEmpty() ? List.of(".") : r.operands();
        int status = 0;
        List<String> files = new ArrayList<>();
        List<String> dirs = new ArrayList<>();
        for (String t : operands) {
            Errno error = vfs.statError(t);
            if (error != null) {
                inv.out().flush();
                inv.err().print("ls: cannot access '" + t + "': " + error.text() + "\n");
                status = 2;
            } else if (vfs.isDirectory(t) && !directory) {
                dirs.add(t);
            } else {
                files.add(t);
            }
        }
        files.sort(null);
        dirs.sort(null);
        StringBuilder out = new StringBuilder();
        if (!files.isEmpty()) {
            out.append(layout(files, format, width));
        }
        boolean headers = operands.size() > 1;
        boolean first = files.isEmpty();
        for (String d : dirs) {
            List<String> names;
            try {
                names = new ArrayList<>(vfs.list(d));
            } catch (VirtualFs.FsException e) {
                inv.out().print(out);
                out.setLength(0);
                inv.out().flush();
                inv.err().print("ls: cannot open directory '" + d + "': " + e.errno().text() + "\n");
                status = 2;
                continue;
            }
            if (all) {
                names.add(".");
                names.add("..");
            }
            if (!all && !almostAll) {
                names.removeIf(n -> n.startsWith("."));
            }
            names.sort(null);
            if (headers) {
                out.append(first ? "" : "\n").append(d).append(":\n");
            }
            first = false;
            out.append(layout(names, format, width));
        }
        inv.out().print(out);
        return status;
    }

    static String layout(List<String> names, Format format, int width) {
        StringBuilder sb = new StringBuilder();
        if (names.isEmpty()) {
            return "";
        }
        if (format == Format.ONE_PER_LINE) {
            for (String n : names) {
                sb.append(n).append('\n');
            }
            return sb.toString();
        }
        boolean byColumns = format == Format.COLUMNS;
        int n = names.size();
        int[] widths = columnWidths(names, byColumns, width);
        int cols = widths.length;
        int rows = n / cols + (n % cols != 0 ? 1 : 0);
        if (byColumns) {
            for (int row = 0; row < rows; row++) {
                int pos = 0;
                int col = 0;
                int file = row;
                while (true) {
                    String name = names.get(file);
                    int max = widths[col++];
                    sb.append(name);
                    file += rows;
                    if (file >= n) {
                        break;
                    }
                    indent(sb, pos + width(name), pos + max);
                    pos += max;
                }
                sb.append('\n');
            }
        } else {
            int pos = 0;
            for (int file = 0; file < n; file++) {
                int col = file % cols;
                if (col == 0 && file > 0) {
                    sb.append('\n');
                    pos = 0;
                }
                String name = names.get(file);
                sb.append(name);
                if (col < cols - 1 && file < n - 1) {
                    indent(sb, pos + width(name), pos + widths[col]);
                    pos += widths[col];
                }
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** ls.c {@code calculate_columns}: the most columns whose line stays shorter than the width. */
    private static int[] columnWidths(List<String> names, boolean byColumns, int lineLength) {
        int n = names.size();
        int maxIdx = Math.max(1, lineLength / MIN_COLUMN_WIDTH);
        int maxCols = maxIdx < n ? maxIdx : n;
        int[][] colArr = new int[maxCols][];
        int[] lineLen = new int[maxCols];
        boolean[] valid = new boolean[maxCols];
        for (int i = 0; i < maxCols; i++) {
            colArr[i] = new int[i + 1];
            java.util.Arrays.fill(colArr[i], MIN_COLUMN_WIDTH);
            lineLen[i] = (i + 1) * MIN_COLUMN_WIDTH;
            valid[i] = true;
        }
        for (int file = 0; file < n; file++) {
            int nameLength = width(names.get(file));
            for (int i = 0; i < maxCols; i++) {
                if (!valid[i]) {
                    continue;
                }
                int idx = byColumns ? file / ((n + i) / (i + 1)) : file % (i + 1);
                int realLength = nameLength + (idx == i ? 0 : 2);
                if (colArr[i][idx] < realLength) {
                    lineLen[i] += realLength - colArr[i][idx];
                    colArr[i][idx] = realLength;
                    valid[i] = lineLen[i] < lineLength;
                }
            }
        }
        int cols = maxCols;
        while (cols > 1 && !valid[cols - 1]) {
            cols--;
        }
        return colArr[cols - 1];
    }

    /** ls.c {@code indent}: tabs where a tab stop fits, blanks for the rest. */
    private static void indent(StringBuilder sb, int from, int to) {
        while (from < to) {
            if (to / TAB_SIZE > (from + 1) / TAB_SIZE) {
                sb.append('\t');
                from += TAB_SIZE - from % TAB_SIZE;
            } else {
                sb.append(' ');
                from++;
            }
        }
    }

    private static int width(String s) {
        return s.codePointCount(0, s.length());
    }
}
