package dev.ipsim.commands.ip;

import dev.ipsim.commands.Invocation;
import dev.ipsim.commands.cli.Messages;
import dev.ipsim.commands.output.Printer;
import dev.ipsim.kernel.KernelException;
import dev.ipsim.kernel.NetNamespace;
import dev.ipsim.kernel.link.NetDevice;
import java.io.PrintStream;

/** One {@code ip} run: its options, its namespace, its streams, shared by the object handlers. */
public final class IpSession {

    private final Invocation invocation;
    private final IpOptions options;
    private NetNamespace netns;
    private final Messages messages;

    IpSession(Invocation invocation, IpOptions options, NetNamespace netns) {
        this.invocation = invocation;
        this.options = options;
        this.netns = netns;
        this.messages = new Messages(invocation.err());
    }

    /** A session for another iproute2 tool ({@code bridge}) that shares ip's helpers. */
    public static IpSession of(Invocation invocation, IpOptions options, NetNamespace netns) {
        return new IpSession(invocation, options, netns);
    }

    public Invocation invocation() {
        return invocation;
    }

    /** The tool versions of the machine (the ip binary's own version among them). */
    public dev.ipsim.commands.Userland userland() {
        return invocation.context().userland();
    }

    public IpOptions options() {
        return options;
    }

    public NetNamespace netns() {
        return netns;
    }

    public void switchNetns(NetNamespace ns) {
        this.netns = ns;
    }

    public Messages messages() {
        return messages;
    }

    public PrintStream out() {
        return invocation.out();
    }

    public PrintStream err() {
        return invocation.err();
    }

    public Names names() {
        return new Names(options.numeric > 0);
    }

    /** A printer configured by the global options ({@code -j -p -o -c}). */
    public Printer printer() {
        return new Printer(options.json > 0, options.pretty > 0, options.oneline > 0, Colors.palette(this));
    }

    /** Writes what the printer holds to standard output and flushes it ({@code fflush(stdout)}). */
    public void flush(Printer printer) {
        String s = printer.drain();
        if (!s.isEmpty()) {
            out().print(s);
        }
        out().flush();
    }

    /** Appends what the printer holds to standard output without flushing it. */
    public void write(Printer printer) {
        String s = printer.drain();
        if (!s.isEmpty()) {
            out().print(s);
        }
    }

    /** {@code ll_name_to_index}: the device, or {@code null}. */
    public NetDevice device(String name) {
        NetDevice d = netns.device(name);
        if (d == null && name.startsWith("if")) {
            // ll_name_to_index falls back to "ifN" names
            try {
                int idx = Integer.parseInt(name.substring(2));
                d = netns.deviceByIndex(idx);
            } catch (NumberFormatException e) {
                d = null;
            }
        }
        return d;
    }

    /**
     * Prints a kernel refusal as {@code libnetlink} does: {@code Error: <extack>.} when the kernel
     * sent a message, else {@code RTNETLINK answers: <strerror>}.
     */
    public void printKernelError(KernelException e) {
        if (e.extack().isPresent()) {
            String m = e.extack().get();
            err().print("Error: " + m + (m.endsWith(".") ? "" : ".") + "\n");
        } else {
            err().print("RTNETLINK answers: " + e.errno().text() + "\n");
        }
    }
}
