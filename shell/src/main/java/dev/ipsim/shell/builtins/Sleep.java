package dev.ipsim.shell.builtins;

import dev.ipsim.commands.Invocation;
import dev.ipsim.kernel.time.VirtualClock;
import dev.ipsim.shell.ShellSession;
import dev.ipsim.shell.script.Interpreter;
import java.math.BigDecimal;
import java.util.List;

/**
 * GNU coreutils 9.1 {@code sleep}: the sum of its arguments, each a non-negative number with
 * an optional {@code s}, {@code m}, {@code h} or {@code d} suffix. In a script only virtual
 * time passes (timers run as they would have); at a terminal it waits in real time as well,
 * and Ctrl-C ends it.
 */
final class Sleep {

    static final String HELP = """
            Usage: sleep NUMBER[SUFFIX]...
              or:  sleep OPTION
            Pause for NUMBER seconds.  SUFFIX may be 's' for seconds (the default),
            'm' for minutes, 'h' for hours or 'd' for days.  NUMBER need not be an
            integer.  Given two or more arguments, pause for the amount of time
            specified by the sum of their values.

                  --help        display this help and exit
                  --version     output version information and exit

            GNU coreutils online help: <https://www.gnu.org/software/coreutils/>
            Report any translation bugs to <https://translationproject.org/team/>
            Full documentation <https://www.gnu.org/software/coreutils/sleep>
            or available locally via: info '(coreutils) sleep invocation'
            """;

    static final String VERSION = """
            sleep (GNU coreutils) 9.1
            Copyright (C) 2022 Free Software Foundation, Inc.
            License GPLv3+: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>.
            This is free software: you are free to change and redistribute it.
            There is NO WARRANTY, to the extent permitted by law.

            Written by Jim Meyering and Paul Eggert.
            """;

    private static final String TRY = "Try 'sleep --help' for more information.\n";

    private Sleep() {
    }

    static int run(ShellSession session, Invocation inv) {
        // parse_gnu_standard_options_only: --help and --version, nothing else is an option
        GnuOptions.Result r = new GnuOptions("sleep", "").longOption("help", 'h').longOption("version", 'v')
                .parse(inv.args());
        if (r.error() != null) {
            inv.err().print(r.error() + TRY);
            return 1;
        }
        if (!r.options().isEmpty()) {
            inv.out().print(r.options().get(0).key() == 'h' ? HELP : VERSION);
            return 0;
        }
        List<String> args = r.operands();
        if (args.isEmpty()) {
            inv.err().print("sleep: missing operand\n" + TRY);
            return 1;
        }
        BigDecimal total = BigDecimal.ZERO;
        boolean ok = true;
        for (String a : args) {
            BigDecimal s = interval(a);
            if (s == null) {
                inv.err().print("sleep: invalid time interval " + Quote.locale(a) + "\n");
                ok = false;
            } else {
                total = total.add(s);
            }
        }
        if (!ok) {
            inv.err().print(TRY);
            return 1;
        }
        long nanos = total.multiply(BigDecimal.valueOf(VirtualClock.NANOS_PER_SECOND))
                .min(BigDecimal.valueOf(Long.MAX_VALUE / 4)).longValue();
        inv.out().flush();
        ShellSession.WallClock wall = session.wallClock();
        if (wall == null || !session.wallPaced()) {
            // a script's virtual time, or a process under the terminal's paced scheduler
            session.kernel().advance(nanos);
            return 0;
        }
        boolean interrupted = false;
        try {
            wall.sleep(nanos);
        } catch (InterruptedException e) {
            interrupted = true;
        }
        session.syncWallClock();
        return interrupted ? Interpreter.INTERRUPTED : 0;
    }

    /** One argument in seconds, or {@code null} when coreutils would call it invalid. */
    static BigDecimal interval(String a) {
        String t = a.stripLeading();
        BigDecimal unit = BigDecimal.ONE;
        if (!t.isEmpty()) {
            char last = t.charAt(t.length() - 1);
            int u = "smhd".indexOf(last);
            if (u >= 0 && !t.equalsIgnoreCase("inf") && !t.equalsIgnoreCase("infinity")) {
                unit = BigDecimal.valueOf(new long[] {1, 60, 3600, 86400}[u]);
                t = t.substring(0, t.length() - 1);
            }
        }
        if (t.isEmpty() || t.startsWith("-") && !t.matches("-0*\\.?0*") || t.startsWith("+-")) {
            return null;
        }
        if (t.equalsIgnoreCase("inf") || t.equalsIgnoreCase("infinity")) {
            return BigDecimal.valueOf(Long.MAX_VALUE);
        }
        if (!t.matches("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?")) {
            return null;
        }
        try {
            BigDecimal v = new BigDecimal(t.startsWith("+") ? t.substring(1) : t).abs();
            return v.multiply(unit);
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
    }
}
