package dev.ipsim.commands.cli;

import dev.ipsim.commands.Exit;
import java.io.PrintStream;

/**
 * iproute2's fixed error texts ({@code lib/utils.c}), each with the exit status its C caller
 * ends with. Every method that can end the command throws {@link Exit} after printing.
 */
public final class Messages {

    private final PrintStream err;

    public Messages(PrintStream err) {
        this.err = err;
    }

    public PrintStream err() {
        return err;
    }

    /** {@code incomplete_command()}: exit 255. */
    public Exit incompleteCommand() {
        err.print("Command line is not complete. Try option \"help\"\n");
        throw new Exit(255);
    }

    /** {@code missarg()}: exit 255. */
    public Exit missingArgument(String key) {
        err.print("Error: argument \"" + key + "\" is required\n");
        throw new Exit(255);
    }

    /** {@code invarg()}: exit 255. Many callers' messages end in a newline of their own. */
    public Exit invalidArgument(String message, String argument) {
        err.print("Error: argument \"" + argument + "\" is wrong: " + message + "\n");
        throw new Exit(255);
    }

    /** {@code duparg()}: exit 255. */
    public Exit duplicateArgument(String key, String argument) {
        err.print("Error: duplicate \"" + key + "\": \"" + argument + "\" is the second value.\n");
        throw new Exit(255);
    }

    /** {@code duparg2()}: exit 255. */
    public Exit duplicateOrGarbage(String key, String argument) {
        err.print("Error: either \"" + key + "\" is duplicate, or \"" + argument + "\" is a garbage.\n");
        throw new Exit(255);
    }

    /** {@code nodev()}: prints; the caller returns -1 (exit 1). */
    public void cannotFindDevice(String device) {
        err.print("Cannot find device \"" + device + "\"\n");
    }

    /** {@code on_off()} of iplink: prints; the caller returns -1. */
    public void onOff(String key, String value) {
        err.print("Error: argument of \"" + key + "\" must be \"on\" or \"off\", not \"" + value + "\"\n");
    }

    /** Prints a line as is. */
    public void print(String text) {
        err.print(text);
    }

    /** Prints a text and ends with {@code status}. */
    public Exit fail(String text, int status) {
        err.print(text);
        throw new Exit(status);
    }
}
