package dev.ipsim.shell.vfs;

import dev.ipsim.kernel.Errno;
import dev.ipsim.kernel.KernelException;
import dev.ipsim.kernel.NetNamespace;
import dev.ipsim.kernel.link.DeviceFlags;
import dev.ipsim.kernel.link.NetDevice;
import dev.ipsim.kernel.sysctl.SysctlTable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The file system a sandbox command sees.
 *
 * <p>Absolute paths resolve in a virtual tree only: {@code /proc/sys/net} (the namespace's
 * sysctls), {@code /sys/class/net} (its devices), a few files of {@code /etc} and
 * {@code /run/netns}. Nothing else exists there, so no host file leaks in. Relative paths name
 * the user's own files in the working directory the shell started in, never above it.
 */
public final class VirtualFs {

    /** A file-system refusal with the errno {@code open()}/{@code write()} would give. */
    public static final class FsException extends Exception {
        private final Errno errno;

        public FsException(Errno errno) {
            super(errno.text(), null, false, false);
            this.errno = errno;
        }

        public Errno errno() {
            return errno;
        }
    }

    private final Supplier<NetNamespace> netns;
    private final Supplier<List<String>> netnsNames;
    private final Path workingDirectory;
    private final Map<String, String> etc = new TreeMap<>();

    /**
     * @param netns            the namespace the caller runs in (decides /proc/sys and /sys)
     * @param netnsNames       the names in /run/netns
     * @param workingDirectory the real directory relative paths resolve in, or {@code null} for none
     * @param hostname         the sandbox's host name
     */
    public VirtualFs(Supplier<NetNamespace> netns, Supplier<List<String>> netnsNames, Path workingDirectory,
                     String hostname) {
        this.netns = netns;
        this.netnsNames = netnsNames;
        this.workingDirectory = workingDirectory;
        etc.put("hostname", hostname + "\n");
        etc.put("hosts", "127.0.0.1\tlocalhost\n127.0.1.1\t" + hostname + "\n\n"
                + "# The following lines are desirable for IPv6 capable hosts\n"
                + "::1     localhost ip6-localhost ip6-loopback\n"
                + "ff02::1 ip6-allnodes\n"
                + "ff02::2 ip6-allrouters\n");
        etc.put("networks", "default\t\t0.0.0.0\nloopback\t127.0.0.0\nlink-local\t169.254.0.0\n");
    }

    /** Sets the contents of a file under {@code /etc}. */
    public void setEtc(String name, String contents) {
        etc.put(name, contents);
    }

    public String etc(String name) {
        return etc.get(name);
    }

    /** Normalises an absolute path: removes {@code .}, {@code ..} and repeated slashes. */
    static String normalise(String path) {
        List<String> parts = new ArrayList<>();
        for (String p : path.split("/")) {
            if (p.isEmpty() || p.equals(".")) {
                continue;
            }
            if (p.equals("..")) {
                if (!parts.isEmpty()) {
                    parts.remove(parts.size() - 1);
                }
                continue;
            }
            parts.add(p);
        }
        return "/" + String.join("/", parts);
    }

    private Path userFile(String relative) throws FsException {
        if (workingDirectory == null) {
            throw new FsException(Errno.ENOENT);
        }
        Path p = workingDirectory.resolve(relative).normalize();
        if (!p.startsWith(workingDirectory)) {
            // the sandbox's user files live in one directory; nothing above it is reachable
            throw new FsException(Errno.EACCES);
        }
        return p;
    }

    /** Whether a path names a directory. */
    public boolean isDirectory(String path) {
        if (!path.startsWith("/")) {
            try {
                return Files.isDirectory(userFile(path));
            } catch (FsException e) {
                return false;
            }
        }
        String p = normalise(path);
        if (p.equals("/") || p.equals("/proc") || p.equals("/sys") || p.equals("/sys/class") || p.equals("/etc")
                || p.equals("/run") || p.equals("/run/netns") || p.equals("/var") || p.equals("/var/run")
                || p.equals("/var/run/netns") || p.equals("/proc/sys") || p.equals("/sys/class/net")) {
            return true;
        }
        if (p.startsWith("/proc/sys/")) {
            return sysctls().isDirectory(p.substring("/proc/sys/".length()));
        }
        if (p.startsWith("/sys/class/net/")) {
            String[] parts = p.substring("/sys/class/net/".length()).split("/");
            NetDevice d = netns.get().device(parts[0]);
            if (d == null) {
                return false;
            }
            return parts.length == 1 || (parts.length == 2 && SysNetAttributes.DIRECTORIES.contains(parts[1]))
                    || (parts.length == 3 && parts[1].equals("queues") && queues(d).contains(parts[2]));
        }
        return false;
    }

    /**
     * The {@code queues} sub-directories of a device: one per queue in use
     * ({@code real_num_rx_queues}, {@code real_num_tx_queues}), which is one for every simulated
     * device, however many queues it was allocated ({@code ip -d link}'s numtxqueues).
     */
    private static List<String> queues(NetDevice d) {
        return List.of("rx-0", "tx-0");
    }

    private SysctlTable sysctls() {
        return netns.get().sysctls();
    }

    /** The names in a directory, sorted as {@code ls} sorts them. */
    public List<String> list(String path) throws FsException {
        if (!path.startsWith("/")) {
            Path dir = userFile(path);
            try (var s = Files.list(dir)) {
                return s.map(x -> x.getFileName().toString()).sorted().toList();
            } catch (IOException e) {
                throw new FsException(Files.exists(dir) ? Errno.ENOTDIR : Errno.ENOENT);
            }
        }
        String p = normalise(path);
        switch (p) {
            case "/" -> {
                return List.of("etc", "proc", "run", "sys", "var");
            }
            case "/proc" -> {
                return List.of("sys");
            }
            case "/sys" -> {
                return List.of("class");
            }
            case "/sys/class" -> {
                return List.of("net");
            }
            case "/etc" -> {
                return List.copyOf(etc.keySet());
            }
            case "/run", "/var/run" -> {
                return List.of("netns");
            }
            case "/var" -> {
                return List.of("run");
            }
            case "/run/netns", "/var/run/netns" -> {
                return netnsNames.get();
            }
            case "/proc/sys" -> {
                return List.of("net");
            }
            case "/sys/class/net" -> {
                List<String> names = new ArrayList<>();
                for (NetDevice d : netns.get().devices()) {
                    names.add(d.name());
                }
                names.sort(null);
                return names;
            }
            default -> {
            }
        }
        if (p.startsWith("/proc/sys/")) {
            String rel = p.substring("/proc/sys/".length());
            if (sysctls().isDirectory(rel)) {
                return sysctls().list(rel);
            }
            throw new FsException(sysctls().exists(rel) ? Errno.ENOTDIR : Errno.ENOENT);
        }
        if (p.startsWith("/sys/class/net/")) {
            String[] parts = p.substring("/sys/class/net/".length()).split("/");
            NetDevice d = netns.get().device(parts[0]);
            if (d != null && parts.length == 1) {
                return SysNetAttributes.NAMES;
            }
            if (d != null && parts.length == 2) {
                switch (parts[1]) {
                    case "statistics" -> {
                        return SysNetAttributes.STATISTICS;
                    }
                    case "queues" -> {
                        return queues(d);
                    }
                    case "subsystem" -> {
                        return list("/sys/class/net");
                    }
                    case "power" -> {
                        return List.of("autosuspend_delay_ms", "control", "runtime_active_time", "runtime_status",
                                "runtime_suspended_time");
                    }
                    default -> {
                    }
                }
            }
            if (d != null && isDirectory(p)) {
                return List.of();
            }
        }
        throw new FsException(exists(p) ? Errno.ENOTDIR : Errno.ENOENT);
    }

    /** Whether a path exists. */
    public boolean exists(String path) {
        if (isDirectory(path)) {
            return true;
        }
        try {
            read(path);
            return true;
        } catch (FsException e) {
            return e.errno() != Errno.ENOENT;
        }
    }

    /** Reads a whole file. */
    public String read(String path) throws FsException {
        if (!path.startsWith("/")) {
            Path f = userFile(path);
            if (Files.isDirectory(f)) {
                throw new FsException(Errno.EISDIR);
            }
            try {
                return new String(Files.readAllBytes(f), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new FsException(Files.exists(f) ? Errno.EACCES : Errno.ENOENT);
            }
        }
        String p = normalise(path);
        if (isDirectory(p)) {
            throw new FsException(Errno.EISDIR);
        }
        if (p.startsWith("/etc/")) {
            String v = etc.get(p.substring("/etc/".length()));
            if (v == null) {
                throw new FsException(Errno.ENOENT);
            }
            return v;
        }
        if (p.startsWith("/proc/sys/")) {
            SysctlTable.Entry e = sysctls().entry(p.substring("/proc/sys/".length()));
            if (e == null) {
                throw new FsException(Errno.ENOENT);
            }
            if ((e.mode() & 0444) == 0) {
                throw new FsException(Errno.EACCES);
            }
            if (!e.readable()) {
                // a value the kernel refuses to show (stable_secret before it is set)
                throw new FsException(Errno.EIO);
            }
            return e.value() + "\n";
        }
        if (p.startsWith("/sys/class/net/")) {
            String[] parts = p.substring("/sys/class/net/".length()).split("/");
            NetDevice d = netns.get().device(parts[0]);
            try {
                if (d != null && parts.length == 2 && SysNetAttributes.NAMES.contains(parts[1])) {
                    return SysNetAttributes.read(d, parts[1]);
                }
                if (d != null && parts.length == 3 && parts[1].equals("statistics")) {
                    return SysNetAttributes.readStatistic(d, parts[2]);
                }
            } catch (KernelException e) {
                throw new FsException(e.errno());
            }
            throw new FsException(Errno.ENOENT);
        }
        if (p.startsWith("/run/netns/") || p.startsWith("/var/run/netns/")) {
            String name = p.substring(p.lastIndexOf('/') + 1);
            if (netnsNames.get().contains(name)) {
                throw new FsException(Errno.EINVAL);
            }
        }
        throw new FsException(Errno.ENOENT);
    }

    /**
     * Opens a file for writing as the shell's {@code >} does, then writes: an open error
     * ({@code ENOENT}, {@code EACCES}) comes first, before any data is considered.
     */
    public Writer openForWrite(String path, boolean append) throws FsException {
        if (!path.startsWith("/")) {
            Path f = userFile(path);
            if (Files.isDirectory(f)) {
                throw new FsException(Errno.EISDIR);
            }
            if (f.getParent() != null && !Files.isDirectory(f.getParent())) {
                throw new FsException(Errno.ENOENT);
            }
            try {
                if (!append) {
                    Files.write(f, new byte[0]);
                }
            } catch (IOException e) {
                throw new FsException(Errno.EACCES);
            }
            return data -> {
                try {
                    Files.write(f, data.getBytes(StandardCharsets.UTF_8), java.nio.file.StandardOpenOption.CREATE,
                            java.nio.file.StandardOpenOption.APPEND);
                } catch (IOException e) {
                    throw new FsException(Errno.EIO);
                }
            };
        }
        String p = normalise(path);
        if (isDirectory(p)) {
            throw new FsException(Errno.EISDIR);
        }
        if (p.startsWith("/proc/sys/")) {
            String rel = p.substring("/proc/sys/".length());
            SysctlTable.Entry e = sysctls().entry(rel);
            if (e == null) {
                throw new FsException(Errno.ENOENT);
            }
            if (!e.writable()) {
                throw new FsException(Errno.EACCES);
            }
            NetNamespace ns = netns.get();
            return data -> {
                try {
                    ns.sysctls().write(rel, data);
                } catch (KernelException ex) {
                    throw new FsException(ex.errno());
                }
            };
        }
        if (p.startsWith("/sys/class/net/")) {
            String[] parts = p.substring("/sys/class/net/".length()).split("/");
            NetDevice d = netns.get().device(parts[0]);
            if (d == null) {
                throw new FsException(Errno.ENOENT);
            }
            // sysfs makes no new files: a name it lacks is as unwritable as a read-only one
            if (parts.length != 2 || !SysNetAttributes.writable(parts[1])) {
                throw new FsException(Errno.EACCES);
            }
            return data -> {
                try {
                    SysNetAttributes.write(d, parts[1], data);
                } catch (KernelException ex) {
                    throw new FsException(ex.errno());
                }
            };
        }
        if (p.startsWith("/etc/") && etc.containsKey(p.substring(5))) {
            String name = p.substring(5);
            if (!append) {
                etc.put(name, "");
            }
            return data -> etc.merge(name, data, String::concat);
        }
        throw new FsException(p.startsWith("/proc/") || p.startsWith("/sys/") ? Errno.ENOENT : Errno.EACCES);
    }

    /** Receives the data a command writes to an open file; each call is one {@code write()}. */
    @FunctionalInterface
    public interface Writer {
        void write(String data) throws FsException;
    }

    /** Lower-case hex, as sysfs prints flags. */
    static String hex(int v) {
        return "0x" + Integer.toHexString(v).toLowerCase(Locale.ROOT);
    }

    static int displayFlags(NetDevice d) {
        return d.rawFlags() | (d.userFlags() & (DeviceFlags.PROMISC | DeviceFlags.ALLMULTI));
    }
}
