package dev.ipsim.commands.nettools;

import dev.ipsim.commands.Command;
import dev.ipsim.commands.Invocation;
import java.util.ArrayList;
import java.util.List;

/**
 * net-tools 2.10 {@code netstat}, its routing-table part: {@code netstat -r} is
 * {@code route_info()}, numeric with {@code -n}; netstat's {@code flag_exp} starts at 1 and
 * swaps 1 and 2 before it becomes route's level, so {@code netstat -r} prints what
 * {@code route -e} does, {@code netstat -re} what {@code route} does, {@code -ree} what
 * {@code route -ee} does. Sockets, interfaces and statistics
 * ({@code -t -u -l -i -s}) are not simulated.
 */
public final class NetstatCommand implements Command {

    @Override
    public int run(Invocation inv) {
        boolean route = false;
        boolean numeric = false;
        int extended = 1;
        List<String> other = new ArrayList<>();
        for (String a : inv.args()) {
            if (a.equals("--route")) {
                route = true;
            } else if (a.equals("--numeric")) {
                numeric = true;
            } else if (a.equals("--extend")) {
                extended++;
            } else if (a.startsWith("-") && !a.startsWith("--") && a.length() > 1) {
                for (char c : a.substring(1).toCharArray()) {
                    switch (c) {
                        case 'r' -> route = true;
                        case 'n' -> numeric = true;
                        case 'e' -> extended++;
                        default -> other.add("-" + c);
                    }
                }
            } else {
                other.add(a);
            }
        }
        if (!route || !other.isEmpty()) {
            inv.err().print("ipsim: netstat " + String.join(" ", inv.args())
                    + " is not simulated yet (only netstat -r, -rn, -re)\n");
            return 1;
        }
        List<String> argv = new ArrayList<>();
        argv.add("route");
        if (numeric) {
            argv.add("-n");
        }
        int flagExp = extended == 2 ? 1 : extended == 1 ? 2 : extended;
        for (int i = 1; i < Math.min(flagExp, 3); i++) {
            argv.add("-e");
        }
        return new RouteCommand().run(new Invocation(argv, inv.context(), inv.out(), inv.err(), inv.in()));
    }
}
