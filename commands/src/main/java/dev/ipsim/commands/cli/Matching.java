package dev.ipsim.commands.cli;

/** iproute2's keyword matching ({@code lib/utils.c}). */
public final class Matching {

    private Matching() {
    }

    /**
     * {@code matches(word, keyword) == 0}: {@code word} is a non-empty prefix of {@code keyword}.
     * Case-sensitive; a word longer than the keyword never matches.
     */
    public static boolean matches(String word, String keyword) {
        return !word.isEmpty() && keyword.startsWith(word);
    }
}
