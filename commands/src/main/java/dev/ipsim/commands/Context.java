package dev.ipsim.commands;

import dev.ipsim.kernel.Kernel;
import dev.ipsim.kernel.NetNamespace;
import java.util.List;

/**
 * What a command may reach of the sandbox it runs in: the kernel, the namespace it runs in,
 * and a way to run other commands. Implemented by the shell.
 */
public interface Context {

    Kernel kernel();

    /** The network namespace the command runs in. */
    NetNamespace netns();

    /** Named network namespaces, as {@code /run/netns} holds them. */
    NetnsNames netnsNames();

    /** Runs another command line (already split into words) in {@code ns}; returns its status. */
    int run(List<String> argv, NetNamespace ns, Invocation parent);

    /** Whether standard output is a terminal (for colour "auto" and line buffering). */
    boolean stdoutIsTerminal();

    /**
     * Reads a file the user named, from the sandbox's file system (the working directory for
     * relative paths). Never a host file the user did not name.
     *
     * @throws dev.ipsim.kernel.KernelException with the errno {@code open()} would give
     */
    String readFile(String path);

    /**
     * Reads a file the user named as bytes (a capture file).
     *
     * @throws dev.ipsim.kernel.KernelException with the errno {@code open()} would give
     */
    default byte[] readBinaryFile(String path) {
        return readFile(path).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * Creates (or truncates) a file the user named, as {@code fopen(path, "w")} does; each write
     * to the stream reaches the file at once, so the caller buffers as stdio would.
     *
     * @throws dev.ipsim.kernel.KernelException with the errno {@code open()} would give
     */
    default java.io.OutputStream createFile(String path) {
        throw new dev.ipsim.kernel.KernelException(dev.ipsim.kernel.Errno.EACCES);
    }

    /**
     * The process the command runs as, for signals and waiting ({@code null} when it runs
     * outside the scheduler, as in the commands' own tests).
     */
    default dev.ipsim.kernel.proc.Task task() {
        return null;
    }

    /**
     * Whether the user has interrupted the running command (Ctrl-C at a terminal) since it
     * started, for a command that handles SIGINT itself; reading clears it. Scripts are never
     * interrupted.
     */
    default boolean takeInterrupt() {
        return false;
    }

    /**
     * Whether virtual time follows wall time, as it does at an interactive terminal: a command
     * that waits then waits for real, with {@link #sleepWall}, and Ctrl-C can stop it. In a
     * script it does not: waits run the virtual clock as fast as events come.
     */
    default boolean wallPaced() {
        return false;
    }

    /**
     * Waits up to {@code nanos} of wall time and returns how much passed; moving virtual time
     * on is left to the caller. Without wall pacing it returns at once.
     *
     * @throws InterruptedException when Ctrl-C ends the wait
     */
    default long sleepWall(long nanos) throws InterruptedException {
        return nanos;
    }

    /** The name of the host, as {@code uname -n} gives it. */
    default String hostname() {
        return "ipsim";
    }
}
