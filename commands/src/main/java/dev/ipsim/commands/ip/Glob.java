package dev.ipsim.commands.ip;

/** {@code fnmatch(3)} without flags: {@code *}, {@code ?} and bracket expressions. */
final class Glob {

    private Glob() {
    }

    static boolean matches(String pattern, String text) {
        return match(pattern, 0, text, 0);
    }

    private static boolean match(String p, int pi, String t, int ti) {
        while (pi < p.length()) {
            char c = p.charAt(pi);
            if (c == '*') {
                for (int k = ti; k <= t.length(); k++) {
                    if (match(p, pi + 1, t, k)) {
                        return true;
                    }
                }
                return false;
            }
            if (ti >= t.length()) {
                return false;
            }
            if (c == '?') {
                pi++;
                ti++;
            } else if (c == '[') {
                int end = p.indexOf(']', pi + 2);
                if (end < 0) {
                    if (t.charAt(ti) != '[') {
                        return false;
                    }
                    pi++;
                    ti++;
                    continue;
                }
                String set = p.substring(pi + 1, end);
                boolean negate = set.startsWith("!") || set.startsWith("^");
                if (negate) {
                    set = set.substring(1);
                }
                boolean in = false;
                char ch = t.charAt(ti);
                for (int k = 0; k < set.length(); k++) {
                    if (k + 2 < set.length() && set.charAt(k + 1) == '-') {
                        if (ch >= set.charAt(k) && ch <= set.charAt(k + 2)) {
                            in = true;
                        }
                        k += 2;
                    } else if (set.charAt(k) == ch) {
                        in = true;
                    }
                }
                if (in == negate) {
                    return false;
                }
                pi = end + 1;
                ti++;
            } else {
                if (c == '\\' && pi + 1 < p.length()) {
                    c = p.charAt(++pi);
                }
                if (t.charAt(ti) != c) {
                    return false;
                }
                pi++;
                ti++;
            }
        }
        return ti == t.length();
    }
}
