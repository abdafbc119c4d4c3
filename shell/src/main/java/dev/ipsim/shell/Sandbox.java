package dev.ipsim.shell;

import dev.ipsim.commands.NetnsNames;
import dev.ipsim.kernel.Kernel;
import dev.ipsim.kernel.NetNamespace;
import dev.ipsim.kernel.world.World;
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
    private World world;

    public Sandbox(Kernel kernel, Path workingDirectory, String hostname) {
        this.kernel = kernel;
        this.workingDirectory = workingDirectory;
        this.hostname = hostname;
    }

    public Kernel kernel() {
        return kernel;
    }

    /** The world outside the machine (its NIC's network and the Internet), or {@code null} for none. */
    public World world() {
        return world;
    }

    /** Records the world the machine's NIC was cabled to. */
    public void setWorld(World world) {
        this.world = world;
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
        // the bind mount keeps the namespace alive
        ns.hold();
        return true;
    }

    @Override
    public NetNamespace unbind(String name) {
        int i = names.indexOf(name);
        if (i < 0) {
            return null;
        }
        names.remove(i);
        NetNamespace ns = bound.remove(i);
        // umount: the namespace dies when this was its last reference
        ns.release();
        return ns;
    }
}
