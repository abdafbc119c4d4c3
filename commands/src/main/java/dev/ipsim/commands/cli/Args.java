package dev.ipsim.commands.cli;

import java.util.List;

/**
 * A cursor over a command's arguments with iproute2's {@code NEXT_ARG()} semantics: asking
 * for a value that is not there prints "Command line is not complete" and exits 255.
 */
public final class Args {

    private final List<String> words;
    private final Messages messages;
    private int position;

    public Args(List<String> words, Messages messages) {
        this.words = words;
        this.messages = messages;
    }

    public boolean hasNext() {
        return position < words.size();
    }

    /** The current word ({@code *argv}). */
    public String current() {
        return words.get(position);
    }

    /** Steps past the current word ({@code argc--; argv++}). */
    public void advance() {
        position++;
    }

    /** {@code NEXT_ARG()}: steps to the next word, which must exist. */
    public String next() {
        position++;
        if (position >= words.size()) {
            messages.incompleteCommand();
        }
        return words.get(position);
    }

    /** {@code NEXT_ARG_OK()}. */
    public boolean hasFollowing() {
        return position + 1 < words.size();
    }

    /** The word after the current one, or {@code null}. */
    public String peekFollowing() {
        return hasFollowing() ? words.get(position + 1) : null;
    }

    /** How many words are left, counting the current one ({@code argc}). */
    public int remaining() {
        return words.size() - position;
    }

    public int position() {
        return position;
    }

    /** The words from the current one on. */
    public List<String> rest() {
        return words.subList(position, words.size());
    }
}
