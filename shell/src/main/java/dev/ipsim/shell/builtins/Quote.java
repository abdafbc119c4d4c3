package dev.ipsim.shell.builtins;

/**
 * gnulib's {@code quote()} in a UTF-8 locale, as coreutils diagnostics use it:
 * {@code ‘name’} with curly quotes.
 */
final class Quote {

    private Quote() {
    }

    static String locale(String s) {
        return "\u2018" + s + "\u2019";
    }
}
