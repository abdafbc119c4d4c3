package dev.ipsim.kernel.proc;

import java.util.Locale;

/**
 * A Linux signal (x86-64 numbering, {@code signal(7)}): its number, its name without the
 * {@code SIG} prefix as {@code kill -l} prints it, what it does to a process that neither
 * catches nor ignores it, and {@code strsignal()}'s description (what bash says about a job it
 * ended).
 */
public enum Signal {
    HUP(1, Action.TERMINATE, "Hangup"),
    INT(2, Action.TERMINATE, "Interrupt"),
    QUIT(3, Action.CORE, "Quit"),
    ILL(4, Action.CORE, "Illegal instruction"),
    TRAP(5, Action.CORE, "Trace/breakpoint trap"),
    ABRT(6, Action.CORE, "Aborted"),
    BUS(7, Action.CORE, "Bus error"),
    FPE(8, Action.CORE, "Floating point exception"),
    KILL(9, Action.TERMINATE, "Killed"),
    USR1(10, Action.TERMINATE, "User defined signal 1"),
    SEGV(11, Action.CORE, "Segmentation fault"),
    USR2(12, Action.TERMINATE, "User defined signal 2"),
    PIPE(13, Action.TERMINATE, "Broken pipe"),
    ALRM(14, Action.TERMINATE, "Alarm clock"),
    TERM(15, Action.TERMINATE, "Terminated"),
    STKFLT(16, Action.TERMINATE, "Stack fault"),
    CHLD(17, Action.IGNORE, "Child exited"),
    CONT(18, Action.CONTINUE, "Continued"),
    STOP(19, Action.STOP, "Stopped (signal)"),
    TSTP(20, Action.STOP, "Stopped"),
    TTIN(21, Action.STOP, "Stopped (tty input)"),
    TTOU(22, Action.STOP, "Stopped (tty output)"),
    URG(23, Action.IGNORE, "Urgent I/O condition"),
    XCPU(24, Action.CORE, "CPU time limit exceeded"),
    XFSZ(25, Action.CORE, "File size limit exceeded"),
    VTALRM(26, Action.TERMINATE, "Virtual timer expired"),
    PROF(27, Action.TERMINATE, "Profiling timer expired"),
    WINCH(28, Action.IGNORE, "Window changed"),
    IO(29, Action.TERMINATE, "I/O possible"),
    PWR(30, Action.TERMINATE, "Power failure"),
    SYS(31, Action.CORE, "Bad system call");

    /** What the kernel does with a signal nobody handles ({@code signal(7)}'s "Default action"). */
    public enum Action {
        /** The process ends. */
        TERMINATE,
        /** The process ends (a core dump would be written if {@code ulimit -c} allowed it; it does not). */
        CORE,
        /** Nothing. */
        IGNORE,
        /** The process stops until SIGCONT. */
        STOP,
        /** A stopped process goes on. */
        CONTINUE
    }

    /** {@code SIGRTMIN} and {@code SIGRTMAX} as glibc reports them (two real-time signals are its own). */
    public static final int RTMIN = 34;
    public static final int RTMAX = 64;

    private final int number;
    private final Action action;
    private final String description;

    Signal(int number, Action action, String description) {
        this.number = number;
        this.action = action;
        this.description = description;
    }

    public int number() {
        return number;
    }

    public Action defaultAction() {
        return action;
    }

    /** {@code strsignal()}: "Terminated", "Killed", "Interrupt"... */
    public String description() {
        return description;
    }

    /** The signal with this number among the classic ones, or {@code null}. */
    public static Signal of(int number) {
        for (Signal s : values()) {
            if (s.number == number) {
                return s;
            }
        }
        return null;
    }

    /**
     * The name {@code kill -l} gives a signal number (1 to 64): {@code HUP}, ...,
     * {@code RTMIN+3}, {@code RTMAX-2}; {@code null} for 32, 33 and numbers out of range.
     */
    public static String nameOf(int number) {
        Signal s = of(number);
        if (s != null) {
            return s.name();
        }
        if (number < RTMIN || number > RTMAX) {
            return null;
        }
        // glibc names the lower half from SIGRTMIN up and the upper half from SIGRTMAX down
        int fromMin = number - RTMIN;
        int fromMax = RTMAX - number;
        if (fromMin == 0) {
            return "RTMIN";
        }
        if (fromMax == 0) {
            return "RTMAX";
        }
        return fromMin <= 15 ? "RTMIN+" + fromMin : "RTMAX-" + fromMax;
    }

    /**
     * The number for a name as bash's {@code kill} takes it: with or without {@code SIG},
     * in any case; {@code -1} if it names no signal.
     */
    public static int numberOf(String name) {
        String n = name.toUpperCase(Locale.ROOT);
        if (n.startsWith("SIG")) {
            n = n.substring(3);
        }
        for (int i = 1; i <= RTMAX; i++) {
            if (n.equals(nameOf(i))) {
                return i;
            }
        }
        return -1;
    }
}
