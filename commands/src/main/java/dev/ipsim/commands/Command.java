package dev.ipsim.commands;

/** A tool ipsim imitates ({@code ip}, {@code route}, ...): runs one invocation, returns its exit status. */
@FunctionalInterface
public interface Command {
    int run(Invocation invocation);
}
