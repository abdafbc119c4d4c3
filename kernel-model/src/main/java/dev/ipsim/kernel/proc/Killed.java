package dev.ipsim.kernel.proc;

/**
 * A signal's default action ended the task: thrown from the wait the task was blocked in, it
 * unwinds whatever the task was running (a process has no say in this), and the task ends
 * with status 128 + the signal's number.
 */
public final class Killed extends RuntimeException {

    private final int signal;

    public Killed(int signal) {
        super(null, null, false, false);
        this.signal = signal;
    }

    /** The signal's number. */
    public int signal() {
        return signal;
    }
}
