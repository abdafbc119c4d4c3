package dev.ipsim.commands;

import dev.ipsim.kernel.Kernel;
import dev.ipsim.kernel.NetNamespace;
import dev.ipsim.kernel.addr.Ipv4Address;
import dev.ipsim.kernel.proc.Task;
import java.io.OutputStream;
import java.util.List;

/**
 * A {@link Context} that passes every call on to another one; a wrapper extends it and
 * overrides only what it changes (standard output that is not the terminal, a check's programs
 * that never wait for the wall clock).
 *
 * <p>Heads up: every method of {@link Context}, default methods included, is overridden here.
 * A wrapper written as its own {@code implements Context} silently gets the interface's default
 * for any method added later (how {@code writeFile} or {@code interruptAt} can be lost);
 * {@code ForwardingContextTest} fails when a method of {@code Context} is missing here.
 */
public abstract class ForwardingContext implements Context {

    private final Context delegate;

    protected ForwardingContext(Context delegate) {
        this.delegate = delegate;
    }

    /** The context calls are passed on to. */
    protected final Context delegate() {
        return delegate;
    }

    @Override
    public Kernel kernel() {
        return delegate.kernel();
    }

    @Override
    public NetNamespace netns() {
        return delegate.netns();
    }

    @Override
    public NetnsNames netnsNames() {
        return delegate.netnsNames();
    }

    @Override
    public int run(List<String> argv, NetNamespace ns, Invocation parent) {
        return delegate.run(argv, ns, parent);
    }

    @Override
    public NetNamespace netnsOfPid(long pid) {
        return delegate.netnsOfPid(pid);
    }

    @Override
    public List<Long> pids() {
        return delegate.pids();
    }

    @Override
    public boolean stdoutIsTerminal() {
        return delegate.stdoutIsTerminal();
    }

    @Override
    public String readFile(String path) {
        return delegate.readFile(path);
    }

    @Override
    public byte[] readBinaryFile(String path) {
        return delegate.readBinaryFile(path);
    }

    @Override
    public OutputStream createFile(String path) {
        return delegate.createFile(path);
    }

    @Override
    public Task task() {
        return delegate.task();
    }

    @Override
    public boolean takeInterrupt() {
        return delegate.takeInterrupt();
    }

    @Override
    public boolean wallPaced() {
        return delegate.wallPaced();
    }

    @Override
    public long sleepWall(long nanos) throws InterruptedException {
        return delegate.sleepWall(nanos);
    }

    @Override
    public Userland userland() {
        return delegate.userland();
    }

    @Override
    public List<Ipv4Address> dnsQuery(String name) {
        return delegate.dnsQuery(name);
    }

    @Override
    public long interruptAt() {
        return delegate.interruptAt();
    }

    @Override
    public ColorWhen colorWhen() {
        return delegate.colorWhen();
    }

    @Override
    public String hostname() {
        return delegate.hostname();
    }

    @Override
    public void writeFile(String path, String content) {
        delegate.writeFile(path, content);
    }
}
