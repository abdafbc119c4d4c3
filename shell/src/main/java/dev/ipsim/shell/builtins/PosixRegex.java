package dev.ipsim.shell.builtins;

/**
 * POSIX regular expressions (basic or extended, as grep, sed and awk take them) in Java's
 * syntax: in a basic one {@code \( \) \{ \} \| \+ \?} are the operators and the bare characters
 * literal; in both, bracket expressions keep their own rules ({@code [[:digit:]]}, a {@code ]}
 * first is literal, a backslash inside is literal).
 */
final class PosixRegex {

    private PosixRegex() {
    }

    static String toJava(String re, boolean extended) {
        StringBuilder sb = new StringBuilder();
        int n = re.length();
        for (int i = 0; i < n; i++) {
            char c = re.charAt(i);
            if (c == '[') {
                i = bracket(re, i, sb);
            } else if (c == '\\' && i + 1 < n) {
                char next = re.charAt(++i);
                if (!extended && "(){}|+?".indexOf(next) >= 0) {
                    sb.append(next);
                } else if (next == '<' || next == '>') {
                    sb.append("\\b");
                } else if (Character.isLetterOrDigit(next) && "wWsSbB123456789".indexOf(next) < 0) {
                    sb.append(next == 'n' ? "\\n" : next == 't' ? "\\t" : String.valueOf(next));
                } else {
                    sb.append('\\').append(next);
                }
            } else if (!extended && "(){}|+?".indexOf(c) >= 0) {
                sb.append('\\').append(c);
            } else if (!extended && c == '*' && (i == 0 || sb.length() > 0 && sb.charAt(sb.length() - 1) == '^'
                    && i == 1)) {
                sb.append("\\*");
            } else if (extended && c == '{' && !re.substring(i).matches("(?s)\\{[0-9]+(,[0-9]*)?\\}.*")) {
                sb.append("\\{");
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** A bracket expression from {@code re[start]}; returns the index of its closing ']'. */
    private static int bracket(String re, int start, StringBuilder sb) {
        int i = start + 1;
        StringBuilder b = new StringBuilder("[");
        if (i < re.length() && re.charAt(i) == '^') {
            b.append('^');
            i++;
        }
        boolean first = true;
        while (i < re.length()) {
            char c = re.charAt(i);
            if (c == ']' && !first) {
                b.append(']');
                sb.append(b);
                return i;
            }
            first = false;
            if (c == '[' && i + 1 < re.length() && re.charAt(i + 1) == ':') {
                int end = re.indexOf(":]", i + 2);
                if (end > 0) {
                    String name = re.substring(i + 2, end);
                    b.append(switch (name) {
                        case "alpha" -> "\\p{Alpha}";
                        case "digit" -> "0-9";
                        case "alnum" -> "\\p{Alnum}";
                        case "upper" -> "\\p{Upper}";
                        case "lower" -> "\\p{Lower}";
                        case "space" -> "\\s";
                        case "blank" -> " \\t";
                        case "punct" -> "\\p{Punct}";
                        case "xdigit" -> "0-9A-Fa-f";
                        case "print" -> "\\p{Print}";
                        case "graph" -> "\\p{Graph}";
                        case "cntrl" -> "\\p{Cntrl}";
                        default -> "";
                    });
                    i = end + 2;
                    continue;
                }
            }
            if (c == '\\' || c == '[' || c == '&' || c == '^' && b.length() > 1) {
                b.append('\\');
            }
            b.append(c);
            i++;
        }
        // no closing bracket: a literal '['
        sb.append("\\[");
        return start;
    }
}
