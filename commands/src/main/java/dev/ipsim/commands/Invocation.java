package dev.ipsim.commands;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.List;

/**
 * One run of a command: its words (the command name first, as {@code argv[0]}), its context
 * and its standard streams. Commands never touch {@code System.out}.
 *
 * <p>{@code out} behaves as C stdio would on the same kind of file: when it is not a terminal
 * it is block-buffered, so what a command writes to {@code out} appears when the command calls
 * {@code flush()} (iproute2's {@code fflush(stdout)}) or exits, while {@code err} appears at once.
 */
public record Invocation(List<String> argv, Context context, PrintStream out, PrintStream err, InputStream in) {

    public Invocation {
        argv = List.copyOf(argv);
    }

    /** The arguments after the command name. */
    public List<String> args() {
        return argv.subList(1, argv.size());
    }

    /** The same streams and context for other words. */
    public Invocation withArgv(List<String> newArgv) {
        return new Invocation(newArgv, context, out, err, in);
    }

    /** The same words and streams in another context. */
    public Invocation withContext(Context newContext) {
        return new Invocation(argv, newContext, out, err, in);
    }
}
