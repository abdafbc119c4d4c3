package dev.ipsim.shell;

import java.util.ArrayList;
import java.util.List;

/**
 * bash's history expansion at the terminal ({@code lib/readline/histexpand.c}), the common
 * part: {@code !!}, {@code !N}, {@code !-N}, {@code !string}, {@code !?string?}, the word
 * designators {@code !$ !^ !*} and {@code :N :N-M :$ :^ :*}, and {@code ^old^new}. A
 * {@code !} is literal before a blank, {@code =}, {@code (} or the end of the line, inside
 * single quotes, after a backslash, and before the closing double quote.
 */
final class HistoryExpansion {

    /** The line after expansion; {@code expanded} when something changed; or bash's error text. */
    record Result(String line, boolean expanded, String error) {
        static Result failure(String error) {
            return new Result(null, false, error);
        }
    }

    private HistoryExpansion() {
    }

    /**
     * @param line    the line as typed
     * @param history the commands so far, oldest first (entry N is {@code history.get(N - 1)})
     */
    static Result expand(String line, List<String> history) {
        if (line.startsWith("^")) {
            return quickSubstitution(line, history);
        }
        StringBuilder out = new StringBuilder();
        boolean single = false;
        boolean dbl = false;
        boolean expanded = false;
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '\\' && !single && i + 1 < line.length()) {
                out.append(c).append(line.charAt(i + 1));
                i += 2;
                continue;
            }
            if (c == '\'' && !dbl) {
                single = !single;
            } else if (c == '"' && !single) {
                dbl = !dbl;
            }
            if (c != '!' || single || i + 1 >= line.length()) {
                out.append(c);
                i++;
                continue;
            }
            char n = line.charAt(i + 1);
            if (n == ' ' || n == '\t' || n == '\n' || n == '=' || n == '(' || dbl && n == '"') {
                out.append(c);
                i++;
                continue;
            }
            // the event
            int j = i + 1;
            String event;
            if (n == '!' || n == '$' || n == '^' || n == '*' || n == ':') {
                event = history.isEmpty() ? null : history.get(history.size() - 1);
                j = n == '!' ? i + 2 : i + 1;
            } else if (Character.isDigit(n) || n == '-' && i + 2 < line.length()
                    && Character.isDigit(line.charAt(i + 2))) {
                int k = n == '-' ? i + 2 : i + 1;
                while (k < line.length() && Character.isDigit(line.charAt(k))) {
                    k++;
                }
                long number = Long.parseLong(line.substring(n == '-' ? i + 2 : i + 1, Math.min(k, i + 18)));
                long index = n == '-' ? history.size() - number : number - 1;
                event = index >= 0 && index < history.size() ? history.get((int) index) : null;
                j = k;
            } else if (n == '?') {
                int end = line.indexOf('?', i + 2);
                String needle = end < 0 ? line.substring(i + 2) : line.substring(i + 2, end);
                event = null;
                for (int h = history.size() - 1; h >= 0; h--) {
                    if (history.get(h).contains(needle)) {
                        event = history.get(h);
                        break;
                    }
                }
                j = end < 0 ? line.length() : end + 1;
            } else {
                int k = i + 1;
                while (k < line.length() && " \t\n:;&|<>()\"'".indexOf(line.charAt(k)) < 0) {
                    k++;
                }
                String prefix = line.substring(i + 1, k);
                event = null;
                for (int h = history.size() - 1; h >= 0; h--) {
                    if (history.get(h).startsWith(prefix)) {
                        event = history.get(h);
                        break;
                    }
                }
                j = k;
            }
            if (event == null) {
                return Result.failure(line.substring(i, j) + ": event not found");
            }
            // the word designator
            String designator = null;
            int designatorAt = j;
            if (n == '$' || n == '^' || n == '*') {
                designator = String.valueOf(n);
                j = i + 2;
            } else if (j < line.length() && line.charAt(j) == ':') {
                int k = j + 1;
                while (k < line.length() && "0123456789$^*-".indexOf(line.charAt(k)) >= 0) {
                    k++;
                }
                designator = line.substring(j + 1, k);
                if (designator.isEmpty()) {
                    designator = null;
                } else {
                    j = k;
                }
            }
            String text = event;
            if (designator != null) {
                text = words(event, designator);
                if (text == null) {
                    // bash names the designator as written after the event
                    return Result.failure(line.substring(designatorAt, j) + ": bad word specifier");
                }
            }
            out.append(text);
            expanded = true;
            i = j;
        }
        return new Result(out.toString(), expanded, null);
    }

    /** {@code ^old^new[^]}: the previous command with the first {@code old} replaced. */
    private static Result quickSubstitution(String line, List<String> history) {
        String[] parts = line.substring(1).split("\\^", -1);
        String old = parts[0];
        String replacement = parts.length > 1 ? parts[1] : "";
        String rest = parts.length > 2 ? String.join("^", java.util.Arrays.copyOfRange(parts, 2, parts.length)) : "";
        String previous = history.isEmpty() ? null : history.get(history.size() - 1);
        if (previous == null || old.isEmpty() || !previous.contains(old)) {
            return Result.failure(":s" + line + ": substitution failed");
        }
        int at = previous.indexOf(old);
        return new Result(previous.substring(0, at) + replacement + previous.substring(at + old.length()) + rest,
                true, null);
    }

    /** Words of a command as readline splits them: blanks outside quotes; {@code null} when out of range. */
    private static String words(String event, String designator) {
        List<String> words = split(event);
        int last = words.size() - 1;
        int from;
        int to;
        switch (designator) {
            case "$" -> {
                from = last;
                to = last;
            }
            case "^" -> {
                from = 1;
                to = 1;
            }
            case "*" -> {
                if (last < 1) {
                    return "";
                }
                from = 1;
                to = last;
            }
            default -> {
                String[] range = designator.split("-", -1);
                try {
                    from = range[0].isEmpty() ? 0 : range[0].equals("$") ? last : range[0].equals("^") ? 1
                            : Integer.parseInt(range[0]);
                    if (range.length == 1) {
                        to = from;
                    } else {
                        to = range[1].isEmpty() ? last - 1 : range[1].equals("$") ? last : Integer.parseInt(range[1]);
                    }
                } catch (NumberFormatException e) {
                    return null;
                }
            }
        }
        if (from < 0 || to > last || from > to) {
            return null;
        }
        return String.join(" ", words.subList(from, to + 1));
    }

    private static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                cur.append(c);
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                cur.append(c);
            } else if (c == '\\' && i + 1 < line.length()) {
                cur.append(c).append(line.charAt(++i));
            } else if (c == ' ' || c == '\t' || c == '\n') {
                if (cur.length() > 0) {
                    words.add(cur.toString());
                    cur.setLength(0);
                }
            } else {
                cur.append(c);
            }
        }
        if (cur.length() > 0) {
            words.add(cur.toString());
        }
        return words;
    }
}
