package dev.ipsim.shell;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A small terminal emulator for tests: it takes what a program writes to its terminal and
 * keeps the screen as a person would see it (printable text with auto-wrap, CR, LF, BS, tab,
 * BEL, and the CSI sequences a line editor uses: cursor moves, erase in line and display;
 * modes, colours and other private sequences change nothing on the screen). The screen scrolls
 * up when output goes past its last line, keeping what scrolled off.
 */
final class Screen {

    private final int width;
    private final List<StringBuilder> lines = new ArrayList<>();
    /** Each cell's foreground colour: '0' + the SGR colour number 30..37 minus 30, or ' ' for the default. */
    private final List<StringBuilder> colors = new ArrayList<>();
    private char fg = ' ';
    private int row;
    private int col;
    private final java.io.ByteArrayOutputStream pending = new java.io.ByteArrayOutputStream();
    /** Everything written, as it came (escapes included), for colour checks. */
    private final StringBuilder raw = new StringBuilder();

    Screen(int width) {
        this.width = width;
        lines.add(new StringBuilder());
        colors.add(new StringBuilder());
    }

    synchronized void write(byte[] b, int off, int len) {
        pending.write(b, off, len);
        byte[] all = pending.toByteArray();
        // keep an incomplete UTF-8 sequence or escape for the next write
        int end = all.length;
        int cut = end;
        for (int i = Math.max(0, end - 4); i < end; i++) {
            int c = all[i] & 0xFF;
            if (c >= 0xC0) {
                int need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
                if (i + need > end) {
                    cut = i;
                }
            }
        }
        String text = new String(all, 0, cut, StandardCharsets.UTF_8);
        int esc = text.lastIndexOf('\033');
        if (esc >= 0 && !complete(text.substring(esc))) {
            cut = text.substring(0, esc).getBytes(StandardCharsets.UTF_8).length;
            text = text.substring(0, esc);
        }
        pending.reset();
        pending.write(all, cut, all.length - cut);
        raw.append(text);
        feed(text);
        notifyAll();
    }

    private static boolean complete(String escape) {
        if (escape.length() < 2) {
            return false;
        }
        char k = escape.charAt(1);
        if (k == '[') {
            for (int i = 2; i < escape.length(); i++) {
                char c = escape.charAt(i);
                if (c >= 0x40 && c <= 0x7E) {
                    return true;
                }
            }
            return false;
        }
        if (k == ']') {
            return escape.indexOf('\007') >= 0 || escape.contains("\033\\");
        }
        return true;
    }

    private void feed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\r' -> col = 0;
                case '\n' -> down();
                case '\b' -> col = Math.max(0, col - 1);
                case '\t' -> col = Math.min(width - 1, (col / 8 + 1) * 8);
                case '\007' -> {
                }
                case '\033' -> i = escape(s, i);
                default -> put(c);
            }
        }
    }

    private int escape(String s, int i) {
        if (i + 1 >= s.length()) {
            return i;
        }
        char k = s.charAt(i + 1);
        if (k == ']') {
            int bel = s.indexOf('\007', i);
            return bel < 0 ? s.length() - 1 : bel;
        }
        if (k != '[') {
            return i + 1;
        }
        int j = i + 2;
        while (j < s.length() && !(s.charAt(j) >= 0x40 && s.charAt(j) <= 0x7E)) {
            j++;
        }
        if (j >= s.length()) {
            return s.length() - 1;
        }
        String params = s.substring(i + 2, j);
        char fn = s.charAt(j);
        if (params.startsWith("?") || params.startsWith(">")) {
            return j;
        }
        String[] p = params.isEmpty() ? new String[0] : params.split(";");
        int n = p.length > 0 && !p[0].isEmpty() ? Integer.parseInt(p[0]) : 1;
        int n0 = p.length > 0 && !p[0].isEmpty() ? Integer.parseInt(p[0]) : 0;
        switch (fn) {
            case 'A' -> row = Math.max(0, row - n);
            case 'B' -> {
                for (int k2 = 0; k2 < n; k2++) {
                    down();
                }
            }
            case 'C' -> col = Math.min(width - 1, col + n);
            case 'D' -> col = Math.max(0, col - n);
            case 'G' -> col = Math.min(width - 1, n - 1);
            case 'K' -> {
                StringBuilder line = lines.get(row);
                if (n0 == 0 && line.length() > col) {
                    line.setLength(col);
                } else if (n0 == 2) {
                    line.setLength(0);
                }
            }
            case 'J' -> {
                if (n0 == 0) {
                    if (lines.get(row).length() > col) {
                        lines.get(row).setLength(col);
                    }
                    while (lines.size() > row + 1) {
                        lines.remove(lines.size() - 1);
                        colors.remove(colors.size() - 1);
                    }
                } else if (n0 == 2) {
                    lines.clear();
                    lines.add(new StringBuilder());
                    colors.clear();
                    colors.add(new StringBuilder());
                    row = 0;
                }
            }
            case 'm' -> {
                for (String q : p.length == 0 ? new String[] {"0"} : p) {
                    int v = q.isEmpty() ? 0 : Integer.parseInt(q);
                    if (v == 0 || v == 39) {
                        fg = ' ';
                    } else if (v >= 30 && v <= 37) {
                        fg = (char) ('0' + v - 30);
                    }
                }
            }
            default -> {
                // h/l (modes) and the rest do not move text
            }
        }
        return j;
    }

    private void put(char c) {
        if (col >= width) {
            col = 0;
            down();
        }
        StringBuilder line = lines.get(row);
        StringBuilder color = colors.get(row);
        while (line.length() < col) {
            line.append(' ');
        }
        while (color.length() < line.length()) {
            color.append(' ');
        }
        if (col < line.length()) {
            line.setCharAt(col, c);
            color.setCharAt(col, fg);
        } else {
            line.append(c);
            color.append(fg);
        }
        col++;
    }

    private void down() {
        row++;
        while (lines.size() <= row) {
            lines.add(new StringBuilder());
            colors.add(new StringBuilder());
        }
    }

    /** The screen's text, every line (scrolled-off ones included), trailing blanks removed. */
    synchronized String text() {
        StringBuilder sb = new StringBuilder();
        for (StringBuilder line : lines) {
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString().stripTrailing() + "\n";
    }

    /**
     * The colours of the cursor's line, a character per cell: {@code 1} red, {@code 2} green...
     * (the SGR number less 30), a blank for the default colour.
     */
    synchronized String cursorLineColors() {
        StringBuilder c = new StringBuilder(colors.get(row));
        c.setLength(Math.min(c.length(), lines.get(row).length()));
        return c.toString().stripTrailing();
    }

    /** The line the cursor is on. */
    synchronized String cursorLine() {
        return lines.get(row).toString();
    }

    synchronized String raw() {
        return raw.toString();
    }

    /** Waits until the screen's text contains {@code expected}; false after {@code millis}. */
    synchronized boolean await(String expected, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        // the screen keeps no trailing blanks
        String wanted = expected.replaceAll(" +\n", "\n").replaceAll(" +$", "");
        while (!text().contains(wanted)) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }

    /** Waits until the cursor's line is exactly {@code expected}. */
    synchronized boolean awaitLine(String expected, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (!cursorLine().stripTrailing().equals(expected.stripTrailing())) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }
}
