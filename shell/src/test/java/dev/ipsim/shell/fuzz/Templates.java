package dev.ipsim.shell.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A tiny template language for command lines: {@code {a|b|c}} picks one alternative,
 * {@code [x]} is there half of the time, {@code $NAME} draws a word from the pool of that
 * name, {@code \} takes the next character as it is. Templates nest.
 */
final class Templates {

    /** A pool draws a word; it may itself expand a template. */
    @FunctionalInterface
    interface Pool {
        String draw(SplittableRandom random, Templates templates);
    }

    private final Map<String, Pool> pools;

    Templates(Map<String, Pool> pools) {
        this.pools = pools;
    }

    /** Only the {@code $NAME}s of the pools replaced: for shell syntax, where braces are the shell's. */
    String substitute(String template, SplittableRandom random) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            int j = i + 1;
            while (c == '$' && j < template.length() && (Character.isUpperCase(template.charAt(j))
                    || Character.isDigit(template.charAt(j)) || template.charAt(j) == '_')) {
                j++;
            }
            Pool pool = c == '$' ? pools.get(template.substring(i + 1, j)) : null;
            if (pool != null) {
                out.append(pool.draw(random, this));
                i = j;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    String expand(String template, SplittableRandom random) {
        StringBuilder out = new StringBuilder();
        expand(template, 0, template.length(), random, out);
        return out.toString();
    }

    private void expand(String t, int from, int to, SplittableRandom random, StringBuilder out) {
        int i = from;
        while (i < to) {
            char c = t.charAt(i);
            switch (c) {
                case '\\' -> {
                    out.append(t.charAt(i + 1));
                    i += 2;
                }
                case '{' -> {
                    int end = closing(t, i, '{', '}');
                    List<int[]> alternatives = split(t, i + 1, end);
                    int[] pick = alternatives.get(random.nextInt(alternatives.size()));
                    expand(t, pick[0], pick[1], random, out);
                    i = end + 1;
                }
                case '[' -> {
                    int end = closing(t, i, '[', ']');
                    if (random.nextBoolean()) {
                        expand(t, i + 1, end, random, out);
                    }
                    i = end + 1;
                }
                case '$' -> {
                    int j = i + 1;
                    while (j < to && (Character.isUpperCase(t.charAt(j)) || Character.isDigit(t.charAt(j))
                            || t.charAt(j) == '_')) {
                        j++;
                    }
                    String name = t.substring(i + 1, j);
                    Pool pool = pools.get(name);
                    if (pool == null) {
                        // the shell's own $1, $?, ${x}: left as they are
                        out.append('$');
                        i++;
                    } else {
                        out.append(pool.draw(random, this));
                        i = j;
                    }
                }
                default -> {
                    out.append(c);
                    i++;
                }
            }
        }
    }

    /** The index of the bracket that closes the one at {@code open}. */
    private static int closing(String t, int open, char o, char c) {
        int depth = 0;
        for (int i = open; i < t.length(); i++) {
            char x = t.charAt(i);
            if (x == '\\') {
                i++;
            } else if (x == '{' || x == '[') {
                depth++;
            } else if (x == '}' || x == ']') {
                depth--;
                if (depth == 0) {
                    if (x != c) {
                        throw new IllegalArgumentException("unbalanced " + o + " in " + t);
                    }
                    return i;
                }
            }
        }
        throw new IllegalArgumentException("unclosed " + o + " in " + t);
    }

    /** The top-level {@code |}-separated ranges of t[from, to). */
    private static List<int[]> split(String t, int from, int to) {
        List<int[]> parts = new ArrayList<>();
        int depth = 0;
        int start = from;
        for (int i = from; i < to; i++) {
            char x = t.charAt(i);
            if (x == '\\') {
                i++;
            } else if (x == '{' || x == '[') {
                depth++;
            } else if (x == '}' || x == ']') {
                depth--;
            } else if (x == '|' && depth == 0) {
                parts.add(new int[] {start, i});
                start = i + 1;
            }
        }
        parts.add(new int[] {start, to});
        return parts;
    }
}
