package dev.ipsim.commands;

/**
 * Ends a command with a status, as C's {@code exit()} would from deep inside a parser. The
 * message, if any, has already been written to standard error.
 */
public final class Exit extends RuntimeException {

    private final int status;

    public Exit(int status) {
        super(null, null, false, false);
        this.status = status & 0xFF;
    }

    /** The exit status, 0 to 255 ({@code exit(-1)} is 255). */
    public int status() {
        return status;
    }
}
