package dev.ipsim.commands;

/**
 * ipsim's own {@code --color=WHEN}: whether the shell highlights what is typed, and what a tool
 * told to colour on {@code auto} ({@code ip -c=auto}, {@code bridge -c=auto}, {@code lab check})
 * does. A tool told {@code always} or {@code never} by its own option does as told.
 */
public enum ColorWhen {
    /** Colour when standard output is a terminal (the default, as the tools decide it). */
    AUTO,
    /** Colour even into a pipe or a file. */
    ALWAYS,
    /** No escape codes at all. */
    NEVER;

    /** {@code never}, {@code auto} or {@code always}, as ls and grep spell them; {@code null} otherwise. */
    public static ColorWhen parse(String word) {
        return switch (word) {
            case "auto" -> AUTO;
            case "always" -> ALWAYS;
            case "never" -> NEVER;
            default -> null;
        };
    }

    /** Whether output colours on {@code auto}, standard output being a terminal or not. */
    public boolean colors(boolean stdoutIsTerminal) {
        return this == ALWAYS || this == AUTO && stdoutIsTerminal;
    }

    /** Whether {@code context}'s command colours output when its own option says {@code auto}. */
    public static boolean onAuto(Context context) {
        return context.colorWhen().colors(context.stdoutIsTerminal());
    }
}
