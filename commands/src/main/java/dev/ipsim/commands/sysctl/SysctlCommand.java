package dev.ipsim.commands.sysctl;

import dev.ipsim.commands.Command;
import dev.ipsim.commands.Invocation;
import dev.ipsim.kernel.KernelException;
import dev.ipsim.kernel.sysctl.SysctlTable;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * procps-ng {@code sysctl} 4.0: reads and writes the namespace's {@code /proc/sys/net} entries.
 * Keys use dots or slashes; {@code KEY=VALUE} writes with or without {@code -w}.
 */
public final class SysctlCommand implements Command {

    static final String USAGE = """

            Usage:
             sysctl [options] [variable[=value] ...]

            Options:
              -a, --all            display all variables
              -A                   alias of -a
              -X                   alias of -a
                  --deprecated     include deprecated parameters to listing
              -b, --binary         print value without new line
              -e, --ignore         ignore unknown variables errors
              -N, --names          print variable names without values
              -n, --values         print only values of the given variable(s)
              -p, --load[=<file>]  read values from file
              -f                   alias of -p
                  --system         read values from all system directories
              -r, --pattern <expression>
                                   select setting that match expression
              -q, --quiet          do not echo variable set
              -w, --write          enable writing a value to variable
              -o                   does nothing
              -x                   does nothing
              -d                   alias of -h

             -h, --help     display this help and exit
             -V, --version  output version information and exit

            For more details see sysctl(8).
            """;

    @Override
    public int run(Invocation inv) {
        PrintStream out = inv.out();
        PrintStream err = inv.err();
        SysctlTable table = inv.context().netns().sysctls();
        boolean names = false;
        boolean values = false;
        boolean quiet = false;
        boolean write = false;
        boolean ignore = false;
        boolean all = false;
        List<String> keys = new ArrayList<>();
        for (String a : inv.args()) {
            if (a.startsWith("--")) {
                switch (a) {
                    case "--all" -> all = true;
                    case "--names" -> names = true;
                    case "--values" -> values = true;
                    case "--quiet" -> quiet = true;
                    case "--write" -> write = true;
                    case "--ignore" -> ignore = true;
                    case "--help" -> {
                        out.print(USAGE);
                        return 0;
                    }
                    case "--version" -> {
                        out.print("sysctl from procps-ng 4.0.2\n");
                        return 0;
                    }
                    default -> {
                        err.print("sysctl: unrecognized option '" + a + "'\n");
                        err.print(USAGE);
                        return 1;
                    }
                }
            } else if (a.startsWith("-") && a.length() > 1) {
                for (int k = 1; k < a.length(); k++) {
                    char c = a.charAt(k);
                    switch (c) {
                        case 'a', 'A', 'X' -> all = true;
                        case 'N' -> names = true;
                        case 'n' -> values = true;
                        case 'q' -> quiet = true;
                        case 'w' -> write = true;
                        case 'e' -> ignore = true;
                        case 'o', 'x', 'b' -> {
                        }
                        case 'h', 'd' -> {
                            out.print(USAGE);
                            return 0;
                        }
                        case 'V' -> {
                            out.print("sysctl from procps-ng 4.0.2\n");
                            return 0;
                        }
                        default -> {
                            err.print("sysctl: invalid option -- '" + c + "'\n");
                            err.print(USAGE);
                            return 1;
                        }
                    }
                }
            } else {
                keys.add(a);
            }
        }
        if (all) {
            for (Map.Entry<String, SysctlTable.Entry> e : table.all().entrySet()) {
                if (e.getValue().readable()) {
                    print(out, dotted(e.getKey()), e.getValue().value(), names, values);
                }
            }
            return 0;
        }
        if (keys.isEmpty()) {
            err.print("sysctl: no variables specified\n");
            err.print("Try `sysctl --help' for more information.\n");
            return 1;
        }
        int status = 0;
        for (String k : keys) {
            int eq = k.indexOf('=');
            if (eq >= 0) {
                status |= set(table, out, err, k.substring(0, eq), k.substring(eq + 1), quiet);
            } else if (write) {
                err.print("sysctl: \"" + k + "\" must be of the form name=value\n");
                status = 1;
            } else {
                status |= get(table, out, err, k, names, values, ignore);
            }
        }
        return status;
    }

    private static String path(String key) {
        return key.replace('.', '/');
    }

    private static String dotted(String path) {
        return path.replace('/', '.');
    }

    private static void print(PrintStream out, String name, String value, boolean names, boolean values) {
        if (names) {
            out.print(name + "\n");
        } else if (values) {
            out.print(value + "\n");
        } else {
            out.print(name + " = " + value + "\n");
        }
    }

    private static int get(SysctlTable t, PrintStream out, PrintStream err, String key, boolean names, boolean values,
                           boolean ignore) {
        String p = path(key);
        SysctlTable.Entry e = t.entry(p);
        if (e == null) {
            if (t.isDirectory(p)) {
                for (Map.Entry<String, SysctlTable.Entry> sub : t.all().subMap(p + "/", p + "/\uffff").entrySet()) {
                    if (sub.getValue().readable()) {
                        print(out, dotted(sub.getKey()), sub.getValue().value(), names, values);
                    }
                }
                return 0;
            }
            if (ignore) {
                return 0;
            }
            err.print("sysctl: cannot stat /proc/sys/" + p + ": No such file or directory\n");
            return 1;
        }
        if (!e.readable()) {
            err.print("sysctl: permission denied on key '" + dotted(p) + "'\n");
            return 1;
        }
        print(out, dotted(p), e.value(), names, values);
        return 0;
    }

    private static int set(SysctlTable t, PrintStream out, PrintStream err, String key, String value, boolean quiet) {
        String p = path(key.strip());
        if (t.entry(p) == null) {
            err.print("sysctl: cannot stat /proc/sys/" + p + ": No such file or directory\n");
            return 1;
        }
        try {
            t.write(p, value);
        } catch (KernelException e) {
            err.print("sysctl: setting key \"" + dotted(p) + "\": " + e.errno().text() + "\n");
            return 1;
        }
        if (!quiet) {
            out.print(dotted(p) + " = " + value + "\n");
        }
        return 0;
    }
}
