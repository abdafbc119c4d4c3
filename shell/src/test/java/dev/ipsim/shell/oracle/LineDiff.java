package dev.ipsim.shell.oracle;

import java.util.ArrayList;
import java.util.List;

/** A readable line diff for assertion messages: {@code -} expected, {@code +} actual, with context. */
public final class LineDiff {

    private LineDiff() {
    }

    public static String diff(String expected, String actual) {
        String[] a = expected.split("\n", -1);
        String[] b = actual.split("\n", -1);
        int[][] lcs = new int[a.length + 1][b.length + 1];
        for (int i = a.length - 1; i >= 0; i--) {
            for (int j = b.length - 1; j >= 0; j--) {
                lcs[i][j] = a[i].equals(b[j]) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<String> ops = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < a.length || j < b.length) {
            if (i < a.length && j < b.length && a[i].equals(b[j])) {
                ops.add("  " + a[i]);
                i++;
                j++;
            } else if (j < b.length && (i == a.length || lcs[i][j + 1] >= lcs[i + 1][j])) {
                ops.add("+ " + b[j++]);
            } else {
                ops.add("- " + a[i++]);
            }
        }
        StringBuilder sb = new StringBuilder();
        int lastPrinted = -1;
        for (int k = 0; k < ops.size(); k++) {
            if (ops.get(k).startsWith("  ")) {
                continue;
            }
            int from = Math.max(lastPrinted + 1, k - 3);
            if (from > lastPrinted + 1) {
                sb.append("@@\n");
            }
            for (int c = from; c <= Math.min(ops.size() - 1, k + 3); c++) {
                if (c > lastPrinted) {
                    sb.append(ops.get(c).replace("\t", "\\t")).append('\n');
                    lastPrinted = c;
                }
            }
        }
        return sb.toString();
    }
}
