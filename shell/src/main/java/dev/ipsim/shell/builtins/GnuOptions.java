package dev.ipsim.shell.builtins;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * glibc {@code getopt_long} as GNU coreutils use it: clustered short options, long options
 * by unique prefix, options anywhere among the operands (argument permutation), {@code --}
 * ending the options, and glibc's messages for what it does not accept.
 */
final class GnuOptions {

    /** One option as it was recognised: its key (the short letter, or the long name's key) and value. */
    record Option(char key, String value) {
    }

    /** Options in order, operands in order, or the error text glibc prints (without the "Try" line). */
    record Result(List<Option> options, List<String> operands, String error) {
        boolean has(char key) {
            for (Option o : options) {
                if (o.key() == key) {
                    return true;
                }
            }
            return false;
        }
    }

    private final String program;
    private final String shortOptions;
    private final Map<String, Character> longOptions = new LinkedHashMap<>();
    private final Map<String, Boolean> longTakesValue = new LinkedHashMap<>();

    /**
     * @param shortOptions getopt's string: letters, a letter followed by {@code :} takes a value
     */
    GnuOptions(String program, String shortOptions) {
        this.program = program;
        this.shortOptions = shortOptions;
    }

    /** A long option with the key it reports as; {@code takesValue} for {@code --name=VALUE}. */
    GnuOptions longOption(String name, char key, boolean takesValue) {
        longOptions.put(name, key);
        longTakesValue.put(name, takesValue);
        return this;
    }

    GnuOptions longOption(String name, char key) {
        return longOption(name, key, false);
    }

    Result parse(List<String> args) {
        List<Option> options = new ArrayList<>();
        List<String> operands = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--")) {
                operands.addAll(args.subList(i + 1, args.size()));
                break;
            }
            if (a.startsWith("--")) {
                String body = a.substring(2);
                int eq = body.indexOf('=');
                String name = eq < 0 ? body : body.substring(0, eq);
                List<String> candidates = new ArrayList<>();
                String exact = null;
                for (String n : longOptions.keySet()) {
                    if (n.equals(name)) {
                        exact = n;
                    }
                    if (n.startsWith(name)) {
                        candidates.add(n);
                    }
                }
                if (exact == null && candidates.isEmpty()) {
                    return error("unrecognized option '" + a + "'");
                }
                if (exact == null && candidates.size() > 1 && !sameKey(candidates)) {
                    StringBuilder sb = new StringBuilder("option '" + a + "' is ambiguous; possibilities:");
                    for (String c : candidates) {
                        sb.append(" '--").append(c).append('\'');
                    }
                    return error(sb.toString());
                }
                String full = exact != null ? exact : candidates.get(0);
                boolean takes = longTakesValue.get(full);
                String value = null;
                if (takes) {
                    if (eq >= 0) {
                        value = body.substring(eq + 1);
                    } else if (i + 1 < args.size()) {
                        value = args.get(++i);
                    } else {
                        return error("option '--" + full + "' requires an argument");
                    }
                } else if (eq >= 0) {
                    return error("option '--" + full + "' doesn't allow an argument");
                }
                options.add(new Option(longOptions.get(full), value));
                continue;
            }
            if (a.startsWith("-") && a.length() > 1) {
                for (int k = 1; k < a.length(); k++) {
                    char c = a.charAt(k);
                    int idx = shortOptions.indexOf(c);
                    if (idx < 0 || c == ':') {
                        return error("invalid option -- '" + c + "'");
                    }
                    boolean takes = idx + 1 < shortOptions.length() && shortOptions.charAt(idx + 1) == ':';
                    if (!takes) {
                        options.add(new Option(c, null));
                        continue;
                    }
                    String value;
                    if (k + 1 < a.length()) {
                        value = a.substring(k + 1);
                    } else if (i + 1 < args.size()) {
                        value = args.get(++i);
                    } else {
                        return error("option requires an argument -- '" + c + "'");
                    }
                    options.add(new Option(c, value));
                    break;
                }
                continue;
            }
            operands.add(a);
        }
        return new Result(options, operands, null);
    }

    private boolean sameKey(List<String> candidates) {
        char k = longOptions.get(candidates.get(0));
        for (String c : candidates) {
            if (longOptions.get(c) != k) {
                return false;
            }
        }
        return true;
    }

    private Result error(String message) {
        return new Result(List.of(), List.of(), program + ": " + message + "\n");
    }
}
