package dev.ipsim.commands;

import dev.ipsim.kernel.Errno;
import dev.ipsim.kernel.Kernel;
import dev.ipsim.kernel.KernelException;
import dev.ipsim.kernel.NetNamespace;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A fresh kernel and a minimal {@link Context} for running commands in tests. */
public final class TestSandbox implements Context {

    /** What one command printed and the status it ended with. */
    public record Result(int status, String out, String err) {
    }

    private final Kernel kernel = new Kernel(7, 0, 2);
    private final Map<String, NetNamespace> names = new LinkedHashMap<>();
    private final Map<String, Command> commands;

    /** A namespace as the recorder starts one: only lo, and lo up. */
    public TestSandbox(Map<String, Command> commands) {
        this.commands = commands;
        dev.ipsim.kernel.link.LinkSpec up = new dev.ipsim.kernel.link.LinkSpec();
        up.up = true;
        netns().setLink(netns().loopback(), up);
    }

    /** Runs a command line split on spaces. */
    public Result run(String line) {
        List<String> argv = List.of(line.split(" "));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        int status = commands.get(argv.get(0)).run(new Invocation(argv, this, o, e, InputStream.nullInputStream()));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Override
    public Kernel kernel() {
        return kernel;
    }

    @Override
    public NetNamespace netns() {
        return kernel.initNamespace();
    }

    @Override
    public NetnsNames netnsNames() {
        return new NetnsNames() {
            @Override
            public NetNamespace lookup(String name) {
                return names.get(name);
            }

            @Override
            public List<String> names() {
                return new ArrayList<>(names.keySet());
            }

            @Override
            public String nameOf(NetNamespace ns) {
                return names.entrySet().stream().filter(en -> en.getValue() == ns).map(Map.Entry::getKey)
                        .findFirst().orElse(null);
            }

            @Override
            public boolean bind(String name, NetNamespace ns) {
                return names.putIfAbsent(name, ns) == null;
            }

            @Override
            public NetNamespace unbind(String name) {
                return names.remove(name);
            }
        };
    }

    @Override
    public int run(List<String> argv, NetNamespace ns, Invocation parent) {
        return commands.get(argv.get(0)).run(parent.withArgv(argv));
    }

    @Override
    public boolean stdoutIsTerminal() {
        return false;
    }

    @Override
    public String readFile(String path) {
        throw new KernelException(Errno.ENOENT);
    }
}
