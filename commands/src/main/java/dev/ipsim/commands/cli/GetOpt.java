package dev.ipsim.commands.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * glibc's {@code getopt_long} for the tools that use it (iputils, net-tools): short options from
 * an option string ({@code "c:i:n"}: a colon after a letter means it takes an argument, attached
 * or as the next word), long options, and GNU argument permutation, so options may follow the
 * operands ({@code ping 10.0.0.1 -c 3}) until a {@code --}. Errors print glibc's messages with
 * the program name and come back as {@code '?'}.
 */
public final class GetOpt {

    /** A long option: its name, whether it takes an argument, and the value it returns. */
    public record LongOption(String name, boolean hasArgument, int value) {
    }

    /** One parsed option: its character (or long value), and its argument or {@code null}. */
    public record Option(int option, String argument) {
    }

    private final String program;
    private final String optionString;
    private final List<LongOption> longOptions;
    private final PrintStream err;
    private final List<Option> options = new ArrayList<>();
    private final List<String> operands = new ArrayList<>();

    public GetOpt(String program, String optionString, List<LongOption> longOptions, PrintStream err) {
        this.program = program;
        this.optionString = optionString;
        this.longOptions = longOptions;
        this.err = err;
    }

    /**
     * Parses {@code args} (without the program name) and returns the options in order; the
     * operands are then in {@link #operands()}. Parsing stops at the first error, which is
     * returned as a {@code '?'} option after its message is printed.
     */
    public List<Option> parse(List<String> args) {
        int i = 0;
        while (i < args.size()) {
            String a = args.get(i);
            if (a.equals("--")) {
                operands.addAll(args.subList(i + 1, args.size()));
                return options;
            }
            if (a.startsWith("--") && longOptions != null) {
                i = parseLong(args, i);
                if (i < 0) {
                    return options;
                }
                continue;
            }
            if (!a.startsWith("-") || a.length() == 1) {
                operands.add(a);
                i++;
                continue;
            }
            for (int k = 1; k < a.length(); k++) {
                char c = a.charAt(k);
                int at = c == ':' ? -1 : optionString.indexOf(c);
                if (at < 0) {
                    err.print(program + ": invalid option -- '" + c + "'\n");
                    options.add(new Option('?', null));
                    return options;
                }
                boolean takesArgument = at + 1 < optionString.length() && optionString.charAt(at + 1) == ':';
                if (!takesArgument) {
                    options.add(new Option(c, null));
                    continue;
                }
                String value;
                if (k + 1 < a.length()) {
                    value = a.substring(k + 1);
                } else if (i + 1 < args.size()) {
                    value = args.get(++i);
                } else {
                    err.print(program + ": option requires an argument -- '" + c + "'\n");
                    options.add(new Option('?', null));
                    return options;
                }
                options.add(new Option(c, value));
                break;
            }
            i++;
        }
        return options;
    }

    private int parseLong(List<String> args, int i) {
        String a = args.get(i).substring(2);
        int eq = a.indexOf('=');
        String name = eq >= 0 ? a.substring(0, eq) : a;
        LongOption match = null;
        List<LongOption> candidates = new ArrayList<>();
        for (LongOption o : longOptions) {
            if (o.name().equals(name)) {
                match = o;
                break;
            }
            if (o.name().startsWith(name)) {
                candidates.add(o);
            }
        }
        if (match == null) {
            if (candidates.size() == 1) {
                match = candidates.get(0);
            } else if (candidates.size() > 1) {
                err.print(program + ": option '--" + name + "' is ambiguous\n");
                options.add(new Option('?', null));
                return -1;
            } else {
                err.print(program + ": unrecognized option '--" + name + "'\n");
                options.add(new Option('?', null));
                return -1;
            }
        }
        String value = null;
        if (match.hasArgument()) {
            if (eq >= 0) {
                value = a.substring(eq + 1);
            } else if (i + 1 < args.size()) {
                value = args.get(++i);
            } else {
                err.print(program + ": option '--" + match.name() + "' requires an argument\n");
                options.add(new Option('?', null));
                return -1;
            }
        } else if (eq >= 0) {
            err.print(program + ": option '--" + match.name() + "' doesn't allow an argument\n");
            options.add(new Option('?', null));
            return -1;
        }
        options.add(new Option(match.value(), value));
        return i + 1;
    }

    /** The non-option words, in order. */
    public List<String> operands() {
        return operands;
    }
}
