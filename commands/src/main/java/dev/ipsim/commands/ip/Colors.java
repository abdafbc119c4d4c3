package dev.ipsim.commands.ip;

import dev.ipsim.commands.ColorWhen;
import dev.ipsim.commands.output.Printer;

/**
 * {@code ip -c}: iproute2's colours ({@code lib/color.c}). Colour is used with {@code -c}
 * ({@code always}), or {@code -c=auto} when standard output is a terminal (as ipsim's
 * {@code --color} decides: {@link ColorWhen}); never with JSON.
 */
public final class Colors {

    static final int NEVER = 0;
    static final int AUTO = 1;
    static final int ALWAYS = 2;

    private Colors() {
    }

    /** {@code matches_color}: the option's colour mode, or -1 when it is not a colour option. */
    public static int parseOption(String opt) {
        int eq = opt.indexOf('=');
        String name = eq >= 0 ? opt.substring(0, eq) : opt;
        String value = eq >= 0 ? opt.substring(eq + 1) : "";
        if (!dev.ipsim.commands.cli.Matching.matches(name, "-color")) {
            return -1;
        }
        return switch (value) {
            case "", "always" -> ALWAYS;
            case "auto" -> AUTO;
            case "never" -> NEVER;
            default -> -1;
        };
    }

    static Printer.Palette palette(IpSession session) {
        IpOptions o = session.options();
        boolean on = o.json == 0 && (o.color == ALWAYS
                || (o.color == AUTO && ColorWhen.onAuto(session.invocation().context())));
        if (!on) {
            return null;
        }
        return new Printer.Palette() {
            @Override
            public String start(Printer.Color color) {
                return switch (color) {
                    case IFNAME -> "\033[36m";
                    case MAC -> "\033[33m";
                    case INET -> "\033[35m";
                    case INET6 -> "\033[34m";
                    case OPERSTATE_UP -> "\033[32m";
                    case OPERSTATE_DOWN -> "\033[31m";
                    default -> "";
                };
            }

            @Override
            public String end() {
                return "\033[0m";
            }
        };
    }
}
