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

    /**
     * {@code execvp} in another network namespace ({@code ip netns exec}): runs the program
     * {@code argv[0]} found on the {@code PATH} with the parent's streams, in {@code ns} (where
     * {@code /sys/class/net} shows {@code ns}'s devices, as after iproute2's remount), and returns
     * its status. A name that is no program prints {@code exec of "NAME" failed: ...}, status 1.
     */
    int run(List<String> argv, NetNamespace ns, Invocation parent);

    /**
     * The network namespace of process {@code pid} ({@code /proc/PID/ns/net}), or {@code null}
     * when no such process exists. PID 1 is init, in the initial namespace.
     */
    default NetNamespace netnsOfPid(long pid) {
        return pid == 1 ? kernel().initNamespace() : null;
    }

    /** The processes there are, in {@code /proc} order (for {@code ip netns pids}). */
    default List<Long> pids() {
        return List.of(1L);
    }

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

    /** The versions of the tools installed on the machine. */
    default Userland userland() {
        return Userland.CURRENT;
    }

    /**
     * What a transcript states the machine's DNS servers answer for {@code name}: its IPv4
     * addresses in the order of this answer (servers rotate them), an empty list when they do
     * not know it, or {@code null} when nothing is stated, and the {@link
     * dev.ipsim.commands.net.Resolver} asks the servers of {@code /etc/resolv.conf} over the
     * network.
     */
    default java.util.List<dev.ipsim.kernel.addr.Ipv4Address> dnsQuery(String name) {
        return null;
    }

    /**
     * The virtual time at which the user presses Ctrl-C while the command runs (a transcript's
     * {@code ^C}), or {@code Long.MAX_VALUE}. A command that waits in virtual time must not wait
     * past it; {@link #takeInterrupt} reports it once it has come.
     */
    default long interruptAt() {
        return Long.MAX_VALUE;
    }

    /**
     * ipsim's {@code --color}: what a tool told to colour on {@code auto} does (use {@link
     * ColorWhen#onAuto}).
     */
    default ColorWhen colorWhen() {
        return ColorWhen.AUTO;
    }

    /** The name of the host, as {@code uname -n} gives it. */
    default String hostname() {
        return "ipsim";
    }

    /**
     * Writes a file the user named, in the sandbox's file system (as {@code > FILE} would).
     *
     * @throws dev.ipsim.kernel.KernelException with the errno {@code open()} would give
     */
    default void writeFile(String path, String content) {
        throw new dev.ipsim.kernel.KernelException(dev.ipsim.kernel.Errno.EACCES);
    }
}
