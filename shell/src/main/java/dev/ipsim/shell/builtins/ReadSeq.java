package dev.ipsim.shell.builtins;

import dev.ipsim.commands.Invocation;
import dev.ipsim.shell.ShellSession;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * bash's {@code read} built-in ({@code -r}, {@code -p}, names split by IFS, the last taking the
 * rest, REPLY without names, status 1 at the end of input) and coreutils' {@code seq}
 * ({@code FIRST [INCREMENT] LAST}, {@code -s}, {@code -w}).
 */
final class ReadSeq {

    private ReadSeq() {
    }

    static int read(ShellSession session, Invocation inv) {
        List<String> args = inv.args();
        boolean raw = false;
        List<String> names = new ArrayList<>();
        int i = 0;
        for (; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--")) {
                i++;
                break;
            }
            if (!a.startsWith("-") || a.length() == 1) {
                break;
            }
            for (int k = 1; k < a.length(); k++) {
                char c = a.charAt(k);
                if (c == 'r') {
                    raw = true;
                } else if (c == 's') {
                    continue;
                } else if (c == 'p') {
                    // the prompt goes to a terminal only; here stdin is never one
                    if (k + 1 >= a.length()) {
                        i++;
                    }
                    break;
                } else {
                    session.diagnostic(inv.err(), "read: -" + c + ": invalid option");
                    inv.err().print("read: usage: read [-ers] [-a array] [-d delim] [-i text] [-n nchars] "
                            + "[-N nchars] [-p prompt] [-t timeout] [-u fd] [name ...]\n");
                    return 2;
                }
            }
        }
        for (; i < args.size(); i++) {
            String n = args.get(i);
            if (!n.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                session.diagnostic(inv.err(), "read: `" + n + "': not a valid identifier");
                return 1;
            }
            names.add(n);
        }
        InputStream in = inv.in();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        boolean newline = false;
        try {
            int b;
            while ((b = in.read()) >= 0) {
                if (b == '\n') {
                    newline = true;
                    break;
                }
                if (b == '\\' && !raw) {
                    int n = in.read();
                    if (n < 0) {
                        break;
                    }
                    if (n == '\n') {
                        continue;
                    }
                    line.write(0);
                    line.write(n);
                    continue;
                }
                line.write(b);
            }
        } catch (IOException e) {
            return 1;
        }
        String text = line.toString(StandardCharsets.UTF_8);
        if (names.isEmpty()) {
            session.variables().put("REPLY", text.replace("\0", ""));
            return newline ? 0 : 1;
        }
        String ifs = session.variables().getOrDefault("IFS", " \t\n");
        List<String> words = split(text, ifs, names.size());
        for (int k = 0; k < names.size(); k++) {
            session.variables().put(names.get(k), k < words.size() ? words.get(k).replace("\0", "") : "");
        }
        return newline ? 0 : 1;
    }

    /** Splits by IFS into at most {@code max} words, the last keeping the rest of the line. */
    private static List<String> split(String text, String ifs, int max) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (i < n && isWhite(text.charAt(i), ifs)) {
            i++;
        }
        while (i < n) {
            if (out.size() == max - 1) {
                int end = n;
                while (end > i && isWhite(text.charAt(end - 1), ifs) && (end - 2 < i || text.charAt(end - 2) != 0)) {
                    end--;
                }
                out.add(text.substring(i, end));
                return out;
            }
            int start = i;
            while (i < n && (ifs.indexOf(text.charAt(i)) < 0 || i > 0 && text.charAt(i - 1) == 0)) {
                i++;
            }
            out.add(text.substring(start, i));
            while (i < n && isWhite(text.charAt(i), ifs)) {
                i++;
            }
            if (i < n && ifs.indexOf(text.charAt(i)) >= 0) {
                i++;
                while (i < n && isWhite(text.charAt(i), ifs)) {
                    i++;
                }
            }
        }
        return out;
    }

    private static boolean isWhite(char c, String ifs) {
        return (c == ' ' || c == '\t' || c == '\n') && ifs.indexOf(c) >= 0;
    }

    static int seq(ShellSession session, Invocation inv) {
        List<String> args = new ArrayList<>(inv.args());
        String sep = "\n";
        boolean equalWidth = false;
        List<String> nums = new ArrayList<>();
        for (int k = 0; k < args.size(); k++) {
            String a = args.get(k);
            if (a.equals("-s") && k + 1 < args.size()) {
                sep = args.get(++k);
            } else if (a.startsWith("-s") && a.length() > 2) {
                sep = a.substring(2);
            } else if (a.equals("-w")) {
                equalWidth = true;
            } else if (a.startsWith("-") && a.length() > 1 && !Character.isDigit(a.charAt(1)) && a.charAt(1) != '.') {
                inv.err().print("seq: invalid option -- '" + a.charAt(1) + "'\nTry 'seq --help' for more information.\n");
                return 1;
            } else {
                nums.add(a);
            }
        }
        if (nums.isEmpty()) {
            inv.err().print("seq: missing operand\nTry 'seq --help' for more information.\n");
            return 1;
        }
        if (nums.size() > 3) {
            inv.err().print("seq: extra operand " + Quote.locale(nums.get(3)) + "\nTry 'seq --help' for more information.\n");
            return 1;
        }
        BigDecimal[] v = new BigDecimal[nums.size()];
        for (int k = 0; k < nums.size(); k++) {
            try {
                v[k] = new BigDecimal(nums.get(k));
            } catch (NumberFormatException e) {
                inv.err().print("seq: invalid floating point argument: " + Quote.locale(nums.get(k))
                        + "\nTry 'seq --help' for more information.\n");
                return 1;
            }
        }
        BigDecimal first = nums.size() > 1 ? v[0] : BigDecimal.ONE;
        BigDecimal step = nums.size() == 3 ? v[1] : BigDecimal.ONE;
        BigDecimal last = v[nums.size() - 1];
        if (step.signum() == 0) {
            inv.err().print("seq: invalid Zero increment value: " + Quote.locale(nums.get(1))
                    + "\nTry 'seq --help' for more information.\n");
            return 1;
        }
        int scale = Math.max(Math.max(first.scale(), step.scale()), 0);
        StringBuilder out = new StringBuilder();
        int width = 0;
        if (equalWidth) {
            width = Math.max(first.setScale(scale).toPlainString().length(), last.setScale(scale, java.math.RoundingMode.DOWN).toPlainString().length());
        }
        boolean firstOut = true;
        for (BigDecimal x = first; step.signum() > 0 ? x.compareTo(last) <= 0 : x.compareTo(last) >= 0; x = x.add(step)) {
            if (!firstOut) {
                out.append(sep);
            }
            firstOut = false;
            String s = x.setScale(scale).toPlainString();
            if (equalWidth && s.length() < width) {
                boolean neg = s.startsWith("-");
                String digits = neg ? s.substring(1) : s;
                s = (neg ? "-" : "") + "0".repeat(width - s.length()) + digits;
            }
            out.append(s);
            if (out.length() > 1_000_000) {
                break;
            }
        }
        if (!firstOut) {
            out.append('\n');
        }
        inv.out().print(out);
        return 0;
    }
}
