package dev.ipsim.shell;

import dev.ipsim.commands.NetnsNames;
import dev.ipsim.kernel.Kernel;
import dev.ipsim.kernel.NetNamespace;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One simulated machine: the kernel, the names in {@code /run/netns}, and where the user's own
 * files live. Shared by every terminal and script attached to the lab.
 */
public final class Sandbox implements NetnsNames {

    private final Kernel kernel;
    private final Path workingDirectory;
    private final String hostname;
    /** {@code /run/netns} is a tmpfs: {@code readdir} lists the newest entry first. */
    private final List<String> names = new ArrayList<>();
    private final List<NetNamespace> bound = new ArrayList<>();
    private final dev.ipsim.shell.vfs.VirtualFs.Memory files;

    public Sandbox(Kernel kernel, Path workingDirectory, String hostname) {
        this.kernel = kernel;
        this.workingDirectory = workingDirectory;
        this.hostname = hostname;
        this.files = new dev.ipsim.shell.vfs.VirtualFs.Memory(hostname);
    }

    /** The machine's /etc and /tmp, shared by every shell on it. */
    public dev.ipsim.shell.vfs.VirtualFs.Memory files() {
        return files;
    }

    public Kernel kernel() {
        return kernel;
    }

    public Path workingDirectory() {
        return workingDirectory;
    }

    public String hostname() {
        return hostname;
    }

    @Override
    public NetNamespace lookup(String name) {
        int i = names.indexOf(name);
        return i < 0 ? null : bound.get(i);
    }

    @Override
    public List<String> names() {
        return List.copyOf(names);
    }

    @Override
    public String nameOf(NetNamespace ns) {
        int i = bound.indexOf(ns);
        return i < 0 ? null : names.get(i);
    }

    @Override
    public boolean bind(String name, NetNamespace ns) {
        if (names.contains(name)) {
            return false;
        }
        names.add(0, name);
        bound.add(0, ns);
        return true;
    }

    @Override
    public NetNamespace unbind(String name) {
        int i = names.indexOf(name);
        if (i < 0) {
            return null;
        }
        names.remove(i);
        return bound.remove(i);
    }
}
