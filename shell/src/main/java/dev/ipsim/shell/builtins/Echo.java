package dev.ipsim.shell.builtins;

import dev.ipsim.commands.Invocation;
import java.util.List;

/**
 * bash's {@code echo} ({@code builtins/echo.def}): options {@code -n}, {@code -e}, {@code -E}
 * in any cluster of those letters, nothing else counts as an option; with {@code -e} the
 * escapes of {@code ansicstr} for echo ({@code \0nnn} octal, {@code \xHH}, {@code &#92;uHHHH},
 * {@code \c} stops all output).
 */
final class Echo {

    private Echo() {
    }

    static int run(Invocation inv) {
        List<String> args = inv.args();
        boolean newline = true;
        boolean escapes = false;
        int i = 0;
        while (i < args.size() && args.get(i).matches("-[neE]+")) {
            for (char c : args.get(i).substring(1).toCharArray()) {
                switch (c) {
                    case 'n' -> newline = false;
                    case 'e' -> escapes = true;
                    default -> escapes = false;
                }
            }
            i++;
        }
        StringBuilder sb = new StringBuilder();
        for (int k = i; k < args.size(); k++) {
            if (k > i) {
                sb.append(' ');
            }
            if (escapes) {
                if (unescape(args.get(k), sb)) {
                    inv.out().print(sb);
                    return 0;
                }
            } else {
                sb.append(args.get(k));
            }
        }
        if (newline) {
            sb.append('\n');
        }
        inv.out().print(sb);
        return 0;
    }

    /** Appends {@code s} with its escapes done; returns {@code true} at {@code \c}. */
    static boolean unescape(String s, StringBuilder sb) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 >= s.length()) {
                sb.append(c);
                continue;
            }
            char n = s.charAt(++i);
            switch (n) {
                case 'a' -> sb.append('\u0007');
                case 'b' -> sb.append('\b');
                case 'c' -> {
                    return true;
                }
                case 'e', 'E' -> sb.append('\u001b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'v' -> sb.append('\u000b');
                case '\\' -> sb.append('\\');
                case '0' -> {
                    int v = 0;
                    int digits = 0;
                    while (digits < 3 && i + 1 < s.length() && s.charAt(i + 1) >= '0' && s.charAt(i + 1) <= '7') {
                        v = v * 8 + (s.charAt(++i) - '0');
                        digits++;
                    }
                    appendByte(sb, v & 0xFF);
                }
                case 'x' -> {
                    int v = 0;
                    int digits = 0;
                    while (digits < 2 && i + 1 < s.length() && Character.digit(s.charAt(i + 1), 16) >= 0) {
                        v = v * 16 + Character.digit(s.charAt(++i), 16);
                        digits++;
                    }
                    if (digits == 0) {
                        sb.append("\\x");
                    } else {
                        appendByte(sb, v);
                    }
                }
                case 'u', 'U' -> {
                    int max = n == 'u' ? 4 : 8;
                    int v = 0;
                    int digits = 0;
                    while (digits < max && i + 1 < s.length() && Character.digit(s.charAt(i + 1), 16) >= 0) {
                        v = v * 16 + Character.digit(s.charAt(++i), 16);
                        digits++;
                    }
                    if (digits == 0) {
                        sb.append('\\').append(n);
                    } else if (Character.isValidCodePoint(v)) {
                        sb.appendCodePoint(v);
                    }
                }
                default -> sb.append('\\').append(n);
            }
        }
        return false;
    }

    /** A byte value as the text holds it: ASCII as is, others as the Latin-1 character (rare). */
    private static void appendByte(StringBuilder sb, int v) {
        sb.append((char) v);
    }
}
