package dev.ipsim.shell.builtins;

import dev.ipsim.commands.Invocation;
import dev.ipsim.shell.ShellSession;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;

/**
 * bash's {@code printf} ({@code builtins/printf.def}): the format is used again while arguments
 * remain; {@code %s %b %q %c %d %i %u %o %x %X %e %E %f %F %g %G %%} with flags, width and
 * precision ({@code *} too); escapes in the format; a number that is not one is reported and
 * counts as what it starts with (status 1); {@code -v NAME} assigns instead of printing.
 */
final class Printf {

    private final ShellSession session;
    private final Invocation inv;
    private final List<String> args;
    private int next;
    private int status;

    private Printf(ShellSession session, Invocation inv, List<String> args) {
        this.session = session;
        this.inv = inv;
        this.args = args;
    }

    static int run(ShellSession session, Invocation inv) {
        List<String> args = inv.args();
        String variable = null;
        if (!args.isEmpty() && args.get(0).equals("-v")) {
            if (args.size() < 2) {
                session.diagnostic(inv.err(), "printf: -v: option requires an argument");
                inv.err().print("printf: usage: printf [-v var] format [arguments]\n");
                return 2;
            }
            variable = args.get(1);
            args = args.subList(2, args.size());
        }
        if (!args.isEmpty() && args.get(0).equals("--")) {
            args = args.subList(1, args.size());
        }
        if (args.isEmpty()) {
            inv.err().print("printf: usage: printf [-v var] format [arguments]\n");
            return 2;
        }
        Printf p = new Printf(session, inv, args.subList(1, args.size()));
        StringBuilder out = new StringBuilder();
        String format = args.get(0);
        do {
            int before = p.next;
            if (!p.once(format, out)) {
                break;
            }
            if (p.next == before) {
                break;
            }
        } while (p.next < p.args.size());
        if (variable != null) {
            session.variables().put(variable, out.toString());
        } else {
            byte[] bytes = encode(out);
            inv.out().write(bytes, 0, bytes.length);
        }
        return p.status;
    }

    private String arg() {
        return next < args.size() ? args.get(next++) : null;
    }

    /** One pass over the format; {@code false} after {@code \c}. */
    private boolean once(String format, StringBuilder out) {
        int i = 0;
        while (i < format.length()) {
            char c = format.charAt(i);
            if (c == '\\') {
                i = escape(format, i, out, false);
                if (i < 0) {
                    return false;
                }
                continue;
            }
            if (c != '%') {
                out.append(c);
                i++;
                continue;
            }
            if (i + 1 < format.length() && format.charAt(i + 1) == '%') {
                out.append('%');
                i += 2;
                continue;
            }
            int start = i;
            i++;
            StringBuilder spec = new StringBuilder("%");
            while (i < format.length() && "-+ #0".indexOf(format.charAt(i)) >= 0) {
                spec.append(format.charAt(i++));
            }
            if (i < format.length() && format.charAt(i) == '*') {
                spec.append(integer(arg()));
                i++;
            } else {
                while (i < format.length() && Character.isDigit(format.charAt(i))) {
                    spec.append(format.charAt(i++));
                }
            }
            if (i < format.length() && format.charAt(i) == '.') {
                spec.append('.');
                i++;
                if (i < format.length() && format.charAt(i) == '*') {
                    spec.append(integer(arg()));
                    i++;
                } else {
                    while (i < format.length() && Character.isDigit(format.charAt(i))) {
                        spec.append(format.charAt(i++));
                    }
                }
            }
            while (i < format.length() && "hlLqjzt".indexOf(format.charAt(i)) >= 0 && format.charAt(i) != 'q') {
                i++;
            }
            if (i >= format.length()) {
                session.diagnostic(inv.err(), "printf: `" + format.substring(start) + "': missing format character");
                status = 1;
                return false;
            }
            char conv = format.charAt(i++);
            if (!convert(conv, spec.toString(), out)) {
                return false;
            }
        }
        return true;
    }

    private boolean convert(char conv, String spec, StringBuilder out) {
        switch (conv) {
            case 's' -> {
                String a = arg();
                out.append(cString(spec, a == null ? "" : a));
            }
            case 'b' -> {
                String a = arg();
                StringBuilder b = new StringBuilder();
                boolean stop = false;
                if (a != null) {
                    for (int k = 0; k < a.length();) {
                        if (a.charAt(k) == '\\') {
                            k = escape(a, k, b, true);
                            if (k < 0) {
                                stop = true;
                                break;
                            }
                        } else {
                            b.append(a.charAt(k++));
                        }
                    }
                }
                out.append(cString(spec, b));
                return !stop;
            }
            case 'q' -> {
                String a = arg();
                out.append(cString(spec, quote(a == null ? "" : a)));
            }
            case 'c' -> {
                String a = arg();
                out.append(cString(spec, a == null || a.isEmpty() ? "" : a.substring(0, 1)));
            }
            case 'd', 'i' -> out.append(String.format(Locale.ROOT, spec + "d", integer(arg())));
            case 'u' -> out.append(String.format(Locale.ROOT, spec + "d", integer(arg())));
            case 'o', 'x', 'X' -> out.append(String.format(Locale.ROOT, spec.replace("+", "").replace(" ", "")
                    + conv, integer(arg())));
            case 'e', 'E', 'f', 'F', 'g', 'G' -> {
                double v = floating(arg());
                if (conv == 'g' || conv == 'G') {
                    out.append(general(spec, v, conv == 'G'));
                } else {
                    out.append(String.format(Locale.ROOT, spec + (conv == 'F' ? 'f' : conv), v));
                }
            }
            default -> {
                session.diagnostic(inv.err(), "printf: `" + conv + "': invalid format character");
                status = 1;
                return false;
            }
        }
        return true;
    }

    /** {@link #general} for awk's printf. */
    static String generalSpec(String spec, double v, boolean upper) {
        return general(spec, v, upper);
    }

    /** {@link #cString} for awk's printf. */
    static String cStringSpec(String spec, CharSequence value) {
        return cString(spec, value);
    }

    /** C's %g: %e or %f by exponent, trailing zeros dropped unless #. */
    private static String general(String spec, double v, boolean upper) {
        int dot = spec.indexOf('.');
        int precision = 6;
        String flagsWidth = spec;
        if (dot >= 0) {
            String p = spec.substring(dot + 1);
            precision = p.isEmpty() ? 0 : Integer.parseInt(p);
            flagsWidth = spec.substring(0, dot);
        }
        if (precision == 0) {
            precision = 1;
        }
        String body;
        if (v == 0) {
            body = "0";
        } else {
            int exponent = (int) Math.floor(Math.log10(Math.abs(v)));
            String e = String.format(Locale.ROOT, "%." + (precision - 1) + "e", v);
            exponent = Integer.parseInt(e.substring(e.indexOf('e') + 1));
            if (exponent < -4 || exponent >= precision) {
                String mantissa = e.substring(0, e.indexOf('e'));
                if (mantissa.contains(".") && !spec.contains("#")) {
                    mantissa = mantissa.replaceAll("0+$", "").replaceAll("\\.$", "");
                }
                body = mantissa + e.substring(e.indexOf('e'));
            } else {
                body = new BigDecimal(v).setScale(Math.max(0, precision - 1 - exponent), java.math.RoundingMode.HALF_EVEN)
                        .toPlainString();
                if (body.contains(".") && !spec.contains("#")) {
                    body = body.replaceAll("0+$", "").replaceAll("\\.$", "");
                }
            }
        }
        if (upper) {
            body = body.toUpperCase(Locale.ROOT);
        }
        // C's flags, then the width: a sign ('+', ' '), zeros after the sign ('0'), or left ('-')
        int f = flagsWidth.startsWith("%") ? 1 : 0;
        int start = f;
        while (f < flagsWidth.length() && "-+ 0#".indexOf(flagsWidth.charAt(f)) >= 0) {
            f++;
        }
        String flags = flagsWidth.substring(start, f);
        int width = flagsWidth.length() > f ? Integer.parseInt(flagsWidth.substring(f)) : 0;
        String sign = "";
        if (body.startsWith("-")) {
            sign = "-";
            body = body.substring(1);
        } else if (flags.contains("+")) {
            sign = "+";
        } else if (flags.contains(" ")) {
            sign = " ";
        }
        int pad = Math.max(0, width - sign.length() - body.length());
        if (flags.contains("-")) {
            return sign + body + " ".repeat(pad);
        }
        if (flags.contains("0") && Character.isDigit(body.isEmpty() ? 'x' : body.charAt(0))) {
            return sign + "0".repeat(pad) + body;
        }
        return " ".repeat(pad) + sign + body;
    }

    /**
     * C's %s with a conversion's flags, width and precision: only '-' means something for a
     * string (' ', '+', '0' and '#' are ignored, as glibc ignores them).
     */
    private static String cString(String spec, CharSequence value) {
        int f = spec.startsWith("%") ? 1 : 0;
        boolean left = false;
        while (f < spec.length() && "-+ 0#".indexOf(spec.charAt(f)) >= 0) {
            left |= spec.charAt(f) == '-';
            f++;
        }
        return String.format(Locale.ROOT, "%" + (left ? "-" : "") + spec.substring(f) + "s", value.toString());
    }

    /** bash's %q: backslashes before the characters the shell would take specially. */
    private static String quote(String s) {
        if (s.isEmpty()) {
            return "''";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (" \t\n'\"\\|&;()<>$`!*?[]{}~#=%^,".indexOf(c) >= 0) {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.toString();
    }

    /** An integer argument: decimal, 0x hex, 0 octal, or 'c for a character's code; bad ones are reported. */
    private long integer(String a) {
        if (a == null || a.isEmpty()) {
            return 0;
        }
        if (a.startsWith("'") || a.startsWith("\"")) {
            return a.length() > 1 ? a.codePointAt(1) : 0;
        }
        String t = a.strip();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)")
                .matcher(t);
        long v = 0;
        int end = 0;
        if (m.find()) {
            String digits = m.group(2);
            try {
                if (digits.startsWith("0x") || digits.startsWith("0X")) {
                    v = Long.parseUnsignedLong(digits.substring(2), 16);
                } else if (digits.startsWith("0") && digits.length() > 1) {
                    v = Long.parseLong(digits.substring(1), 8);
                } else {
                    v = Long.parseLong(digits);
                }
            } catch (NumberFormatException e) {
                v = Long.MAX_VALUE;
            }
            if (m.group(1).equals("-")) {
                v = -v;
            }
            end = m.end();
        }
        if (end < t.length() || end == 0) {
            session.diagnostic(inv.err(), "printf: " + a + ": invalid number");
            status = 1;
        }
        return v;
    }

    private double floating(String a) {
        if (a == null || a.isEmpty()) {
            return 0;
        }
        if (a.startsWith("'") || a.startsWith("\"")) {
            return a.length() > 1 ? a.codePointAt(1) : 0;
        }
        try {
            return Double.parseDouble(a.strip());
        } catch (NumberFormatException e) {
            session.diagnostic(inv.err(), "printf: " + a + ": invalid number");
            status = 1;
            return 0;
        }
    }

    /**
     * One backslash escape at {@code s[i]}; returns the index after it, or -1 for {@code \c}.
     * In %b's argument, octal is {@code \0nnn}; in the format, {@code \nnn}.
     */
    private static int escape(String s, int i, StringBuilder out, boolean inArgument) {
        if (i + 1 >= s.length()) {
            out.append('\\');
            return i + 1;
        }
        char n = s.charAt(i + 1);
        int k = i + 2;
        switch (n) {
            case 'a' -> out.append('\u0007');
            case 'b' -> out.append('\b');
            case 'c' -> {
                return inArgument ? -1 : appendRaw(out, "\\c", k);
            }
            case 'e', 'E' -> out.append('\u001b');
            case 'f' -> out.append('\f');
            case 'n' -> out.append('\n');
            case 'r' -> out.append('\r');
            case 't' -> out.append('\t');
            case 'v' -> out.append('\u000b');
            case '\\' -> out.append('\\');
            case '"' -> out.append('"');
            case '\'' -> out.append('\'');
            case 'x' -> {
                int v = 0;
                int digits = 0;
                while (digits < 2 && k < s.length() && Character.digit(s.charAt(k), 16) >= 0) {
                    v = v * 16 + Character.digit(s.charAt(k++), 16);
                    digits++;
                }
                if (digits == 0) {
                    out.append("\\x");
                } else {
                    out.append(byteChar(v));
                }
            }
            case 'u', 'U' -> {
                int v = 0;
                int digits = 0;
                int max = n == 'u' ? 4 : 8;
                while (digits < max && k < s.length() && Character.digit(s.charAt(k), 16) >= 0) {
                    v = v * 16 + Character.digit(s.charAt(k++), 16);
                    digits++;
                }
                if (digits == 0) {
                    out.append('\\').append(n);
                } else if (Character.isValidCodePoint(v)) {
                    out.appendCodePoint(v);
                }
            }
            default -> {
                if (n >= '0' && n <= '7') {
                    int max = inArgument && n == '0' ? 4 : 3;
                    int v = 0;
                    int digits = 0;
                    k = i + 1;
                    while (digits < max && k < s.length() && s.charAt(k) >= '0' && s.charAt(k) <= '7') {
                        v = v * 8 + (s.charAt(k++) - '0');
                        digits++;
                    }
                    out.append(byteChar(v & 0xFF));
                } else {
                    out.append('\\').append(n);
                }
            }
        }
        return k;
    }

    /**
     * A byte an escape names: below 0x80 it is that character; above, a raw byte (not a
     * character), kept as U+DC80 to U+DCFF until {@link #encode} writes it out as itself.
     */
    private static char byteChar(int v) {
        return v < 0x80 ? (char) v : (char) (0xDC00 + v);
    }

    /** UTF-8, except that U+DC80 to U+DCFF stand for the raw bytes 0x80 to 0xFF. */
    static byte[] encode(CharSequence s) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        StringBuilder run = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0xDC80 && c <= 0xDCFF) {
                b.writeBytes(run.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                run.setLength(0);
                b.write(c - 0xDC00);
            } else {
                run.append(c);
            }
        }
        b.writeBytes(run.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return b.toByteArray();
    }

    private static int appendRaw(StringBuilder out, String text, int next) {
        out.append(text);
        return next;
    }
}
