package dev.ipsim.commands.output;

import java.util.Locale;

/**
 * {@code String.format(Locale.ROOT, fmt, args)} for the conversions the tools' printf-style
 * formats use most: {@code %s}, {@code %d}, {@code %x} and {@code %X} with the {@code -} and
 * {@code 0} flags and a width, and {@code %%}. Anything else goes to {@link String#format}.
 *
 * <p>The same text, without {@link java.util.Formatter}'s start-up cost: for {@code %d} in
 * {@link Locale#ROOT} it loads the locale's decimal symbols (the CLDR locale provider, its
 * resource bundles and their lambdas), some 20 ms of the first {@code ip link} of a process.
 */
public final class CFormat {

    private CFormat() {
    }

    public static String format(String fmt, Object... args) {
        StringBuilder sb = new StringBuilder(fmt.length() + 16);
        int arg = 0;
        int n = fmt.length();
        for (int i = 0; i < n; i++) {
            char c = fmt.charAt(i);
            if (c != '%') {
                sb.append(c);
                continue;
            }
            int j = i + 1;
            boolean left = false;
            boolean zero = false;
            while (j < n && (fmt.charAt(j) == '-' || fmt.charAt(j) == '0')) {
                if (fmt.charAt(j) == '-') {
                    if (left) {
                        return String.format(Locale.ROOT, fmt, args); // a repeated flag: the JDK's error
                    }
                    left = true;
                } else {
                    if (zero) {
                        return String.format(Locale.ROOT, fmt, args);
                    }
                    zero = true;
                }
                j++;
            }
            int width = -1;
            while (j < n && fmt.charAt(j) >= '0' && fmt.charAt(j) <= '9') {
                width = (width < 0 ? 0 : width * 10) + (fmt.charAt(j) - '0');
                if (width > 10_000) {
                    return String.format(Locale.ROOT, fmt, args);
                }
                j++;
            }
            if (j >= n) {
                return String.format(Locale.ROOT, fmt, args);
            }
            char conv = fmt.charAt(j);
            if (conv == '%') {
                if (left || zero || width >= 0) {
                    return String.format(Locale.ROOT, fmt, args);
                }
                sb.append('%');
                i = j;
                continue;
            }
            if ((left || zero) && width < 0 || left && zero || arg >= args.length) {
                return String.format(Locale.ROOT, fmt, args);
            }
            Object v = args[arg];
            String text;
            boolean numeric;
            switch (conv) {
                case 's':
                    if (zero || v instanceof java.util.Formattable) {
                        return String.format(Locale.ROOT, fmt, args);
                    }
                    text = String.valueOf(v);
                    numeric = false;
                    break;
                case 'd':
                    if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
                        text = Long.toString(((Number) v).longValue());
                    } else {
                        return String.format(Locale.ROOT, fmt, args);
                    }
                    numeric = true;
                    break;
                case 'x':
                case 'X':
                    if (v instanceof Long l) {
                        text = Long.toHexString(l);
                    } else if (v instanceof Integer k) {
                        text = Integer.toHexString(k);
                    } else if (v instanceof Short s) {
                        text = Integer.toHexString(s & 0xFFFF);
                    } else if (v instanceof Byte b) {
                        text = Integer.toHexString(b & 0xFF);
                    } else {
                        return String.format(Locale.ROOT, fmt, args);
                    }
                    if (conv == 'X') {
                        text = text.toUpperCase(Locale.ROOT);
                    }
                    numeric = true;
                    break;
                default:
                    return String.format(Locale.ROOT, fmt, args);
            }
            arg++;
            int pad = width - text.length();
            if (pad <= 0) {
                sb.append(text);
            } else if (left) {
                sb.append(text);
                sb.append(" ".repeat(pad));
            } else if (zero && numeric) {
                // zeros after the sign
                int start = 0;
                if (text.charAt(0) == '-') {
                    sb.append('-');
                    start = 1;
                }
                sb.append("0".repeat(pad));
                sb.append(text, start, text.length());
            } else {
                sb.append(" ".repeat(pad));
                sb.append(text);
            }
            i = j;
        }
        return sb.toString();
    }
}
