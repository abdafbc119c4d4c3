package dev.ipsim.commands;

import java.util.Arrays;

/**
 * A tool's version as its maintainers number it: dotted numbers ({@code 4.11.0}) or an iputils
 * date ({@code s20121221}, {@code 20221126}); a leading letter is ignored when comparing.
 */
public record Version(String text, int[] parts) implements Comparable<Version> {

    public static Version of(String text) {
        String digits = text.replaceFirst("^[^0-9]+", "");
        String[] p = digits.split("[.\\-+~]");
        int[] parts = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            parts[i] = Integer.parseInt(p[i].replaceFirst("[^0-9].*$", "").isEmpty() ? "0"
                    : p[i].replaceFirst("[^0-9].*$", ""));
        }
        return new Version(text, parts);
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
