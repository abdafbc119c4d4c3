package dev.ipsim.commands;

import java.util.Arrays;

/**
 * A tool's version as its maintainers number it: dotted numbers ({@code 4.11.0}) or an iputils
 * date ({@code s20121221}, {@code 20221126}); a leading letter is ignored when comparing.
 */
public record Version(String text, int[] parts) implements Comparable<Version> {

    public static Version of(String text) {
        // what text.replaceFirst("^[^0-9]+", "").split("[.\\-+~]") and each part's leading
        // digits give, without regular expressions (they cost a start its first Pattern)
        int start = 0;
        while (start < text.length() && !digit(text.charAt(start))) {
            start++;
        }
        String digits = text.substring(start);
        java.util.List<String> p = new java.util.ArrayList<>();
        int from = 0;
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c == '.' || c == '-' || c == '+' || c == '~') {
                p.add(digits.substring(from, i));
                from = i + 1;
            }
        }
        p.add(digits.substring(from));
        if (!digits.isEmpty()) {
            // String.split drops trailing empty strings
            while (!p.isEmpty() && p.get(p.size() - 1).isEmpty()) {
                p.remove(p.size() - 1);
            }
        }
        int[] parts = new int[p.size()];
        for (int i = 0; i < parts.length; i++) {
            String s = p.get(i);
            int end = 0;
            while (end < s.length() && digit(s.charAt(end))) {
                end++;
            }
            parts[i] = end == 0 ? 0 : Integer.parseInt(s.substring(0, end));
        }
        return new Version(text, parts);
    }

    private static boolean digit(char c) {
        return c >= '0' && c <= '9';
    }

    /** Whether this version is {@code other} or later. */
    public boolean atLeast(String other) {
        return compareTo(of(other)) >= 0;
    }

    @Override
    public int compareTo(Version o) {
        for (int i = 0; i < Math.max(parts.length, o.parts.length); i++) {
            int a = i < parts.length ? parts[i] : 0;
            int b = i < o.parts.length ? o.parts[i] : 0;
            if (a != b) {
                return Integer.compare(a, b);
            }
        }
        return 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Version v && Arrays.equals(parts, v.parts);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(parts);
    }

    @Override
    public String toString() {
        return text;
    }
}
