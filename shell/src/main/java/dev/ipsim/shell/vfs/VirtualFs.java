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
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The file system a sandbox command sees.
 *
 * <p>Heads up: this is the sandbox boundary. Every path, absolute or relative (to the shell's
 * working directory, {@code /root} at start), is normalised in a virtual tree first, so
 * {@code ..} can never climb out of it. The tree holds {@code /proc/sys/net} (the namespace's
 * sysctls), {@code /sys/class/net} (its devices), a few files of {@code /etc}, {@code /dev/null},
 * {@code /run/netns} and an in-memory {@code /tmp}. Only {@code /root} reaches the host: it is
 * the directory ipsim was started in, and a symbolic link there that points outside it is
 * refused. Nothing else of the host is visible, so {@code cat /etc/shadow} or
 * {@code cat /proc/self/environ} find nothing, as on a machine without those files.
 */
public final class VirtualFs {

    /** The home directory, where the shell starts; the host's start directory appears here. */
    public static final String HOME = "/root";

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

    /** Standard input redirected from a file ({@code < FILE}): what {@code fstat} would say of it. */
    public static final class FileInput extends java.io.ByteArrayInputStream {
        private final long size;

        public FileInput(byte[] data, long size) {
            super(data);
            this.size = size;
        }

        /** {@code st_size}, or -1 when the file is not a regular file. */
        public long size() {
            return size;
        }
    }

    /** Receives the data a command writes to an open file; each call is one {@code write()}. */
    @FunctionalInterface
    public interface Writer {
        void write(byte[] data) throws FsException;

        /** Text, as UTF-8. */
        default void write(String data) throws FsException {
            write(data.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** What {@code open(O_CREAT)} of a missing name in a directory gives. */
    private enum Create { ALLOW, ENOENT, EACCES }

    /** A node of the tree: a directory or a file. */
    private sealed interface Node permits Dir, File {
    }

    private interface Children {
        Node child(String name) throws FsException;
    }

    private interface Lister {
        List<String> list() throws FsException;
    }

    private interface Reader {
        String read() throws FsException;
    }

    private interface WriterFactory {
        Writer open(boolean append) throws FsException;
    }

    private record Dir(Lister names, Children children, Create create, Creator creator, Remover remover)
            implements Node {
        Dir(Lister names, Children children, Create create, Creator creator) {
            this(names, children, create, creator, null);
        }
    }

    /** Removes a file from a directory that allows it ({@code unlink}). */
    private interface Remover {
        void remove(String name) throws FsException;
    }

    /** Creates a missing file in a directory that allows it. */
    private interface Creator {
        Writer create(String name) throws FsException;
    }

    private interface ByteReader {
        byte[] read() throws FsException;
    }

    /**
     * A file: its reader, its writer or {@code null} when opening it for writing is refused,
     * and its bytes (for binary files such as a capture; text files give their UTF-8).
     */
    private record File(Reader reader, WriterFactory writer, ByteReader bytes) implements Node {
        File(Reader reader, WriterFactory writer) {
            this(reader, writer, () -> reader.read().getBytes(StandardCharsets.UTF_8));
        }
    }

    private final Supplier<NetNamespace> netns;
    private final Supplier<List<String>> netnsNames;
    private final Path workingDirectory;
    private final Map<String, String> etc;
    private final Map<String, byte[]> tmp;
    private String cwd = HOME;

    /**
     * The machine's files that live in memory, {@code /etc} and {@code /tmp}: one set per
     * sandbox, shared by every shell on it (a background job, a second terminal), each of which
     * has a {@link VirtualFs} of its own for its working directory and namespace.
     */
    public static final class Memory {
        private final Map<String, String> etc;
        private final Map<String, byte[]> tmp = new java.util.concurrent.ConcurrentSkipListMap<>();

        /** @param etc the machine's {@code /etc} files by name */
        public Memory(Map<String, String> etc) {
            this.etc = etc;
        }
    }

    /**
     * @param netns            the namespace the caller runs in (decides /proc/sys and /sys)
     * @param netnsNames       the names in /run/netns
     * @param workingDirectory the real directory that appears as /root, or {@code null} for an empty one
     * @param memory           the machine's /etc and /tmp
     */
    public VirtualFs(Supplier<NetNamespace> netns, Supplier<List<String>> netnsNames, Path workingDirectory,
                     Memory memory) {
        this.netns = netns;
        this.netnsNames = netnsNames;
        this.workingDirectory = workingDirectory == null ? null : workingDirectory.toAbsolutePath().normalize();
        this.etc = memory.etc;
        this.tmp = memory.tmp;
    }

    /** Sets the contents of a file under {@code /etc}. */
    public void setEtc(String name, String contents) {
        etc.put(name, contents);
    }

    public String etc(String name) {
        return etc.get(name);
    }

    /** The working directory, as {@code pwd} prints it. */
    public String cwd() {
        return cwd;
    }

    /** {@code chdir()}: the target must be a directory. */
    public void cd(String path) throws FsException {
        String p = absolute(path);
        if (p.equals(HOME)) {
            // always a directory (the start directory, or an empty one without it): every
            // shell a script forks starts here, without building the tree to find it
            cwd = p;
            return;
        }
        if (!(resolve(p) instanceof Dir)) {
            throw new FsException(Errno.ENOTDIR);
        }
        cwd = p;
    }

    /** A path made absolute against the working directory, {@code .} and {@code ..} resolved. */
    public String absolute(String path) {
        return normalise(path.startsWith("/") ? path : cwd + "/" + path);
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

    /** Whether a path names a directory. */
    public boolean isDirectory(String path) {
        try {
            return resolve(absolute(path)) instanceof Dir;
        } catch (FsException e) {
            return false;
        }
    }

    /** Why {@code stat()} of a path fails, or {@code null} when it exists. */
    public Errno statError(String path) {
        try {
            resolve(absolute(path));
            return null;
        } catch (FsException e) {
            return e.errno();
        }
    }

    /**
     * {@code st_size} of a file, or -1 when it is not a regular file: sysfs attributes say 4096
     * and procfs files 0, whatever they hold; others their length.
     */
    public long size(String path) {
        String p = absolute(path);
        try {
            Node n = resolve(p);
            if (n instanceof Dir) {
                return -1;
            }
            if (p.startsWith("/sys/")) {
                return 4096;
            }
            if (p.startsWith("/proc/")) {
                return 0;
            }
            if (p.equals("/dev/null")) {
                return -1;
            }
            return ((File) n).bytes().read().length;
        } catch (FsException e) {
            return -1;
        }
    }

    /** Whether a path exists. */
    public boolean exists(String path) {
        try {
            resolve(absolute(path));
            return true;
        } catch (FsException e) {
            return false;
        }
    }

    /** The names in a directory, sorted as {@code ls} sorts them. */
    public List<String> list(String path) throws FsException {
        Node n = resolve(absolute(path));
        if (!(n instanceof Dir d)) {
            throw new FsException(Errno.ENOTDIR);
        }
        List<String> names = new ArrayList<>(d.names().list());
        names.sort(null);
        return names;
    }

    /** Reads a whole file as bytes (a capture file, say). */
    public byte[] readBytes(String path) throws FsException {
        Node n = resolve(absolute(path));
        if (n instanceof Dir) {
            throw new FsException(Errno.EISDIR);
        }
        return ((File) n).bytes().read();
    }

    /** Reads a whole file. */
    public String read(String path) throws FsException {
        Node n = resolve(absolute(path));
        if (n instanceof Dir) {
            throw new FsException(Errno.EISDIR);
        }
        return ((File) n).reader().read();
    }

    /**
     * {@code unlink}: removes a file (not a directory) from a directory that allows it;
     * elsewhere (/proc, /sys, /dev) the answer is EACCES, as for an unprivileged user's.
     */
    public void delete(String path) throws FsException {
        String p = absolute(path);
        Node n = resolve(p);
        if (n instanceof Dir) {
            throw new FsException(Errno.EISDIR);
        }
        int slash = p.lastIndexOf('/');
        Node parent = resolve(slash == 0 ? "/" : p.substring(0, slash));
        if (!(parent instanceof Dir d) || d.remover() == null) {
            throw new FsException(Errno.EACCES);
        }
        d.remover().remove(p.substring(slash + 1));
    }

    /**
     * Opens a file for writing as the shell's {@code >} does, then writes: an open error
     * ({@code ENOENT}, {@code EACCES}, {@code EISDIR}) comes first, before any data is considered.
     */
    public Writer openForWrite(String path, boolean append) throws FsException {
        String p = absolute(path);
        Node n;
        try {
            n = resolve(p);
        } catch (FsException e) {
            if (e.errno() != Errno.ENOENT || p.equals("/")) {
                throw e;
            }
            int slash = p.lastIndexOf('/');
            Node parent = resolve(slash == 0 ? "/" : p.substring(0, slash));
            if (!(parent instanceof Dir d)) {
                throw new FsException(Errno.ENOTDIR);
            }
            switch (d.create()) {
                case ALLOW -> {
                    return d.creator().create(p.substring(slash + 1));
                }
                case EACCES -> throw new FsException(Errno.EACCES);
                default -> throw e;
            }
        }
        if (n instanceof Dir) {
            throw new FsException(Errno.EISDIR);
        }
        File f = (File) n;
        if (f.writer() == null) {
            throw new FsException(Errno.EACCES);
        }
        return f.writer().open(append);
    }

    /**
     * Replaces a file's contents at once: a host file is written to a temporary file in its own
     * directory and renamed over it, so that a crash leaves either the old file or the new one;
     * a file of the sandbox's own (/tmp) changes in one step anyway.
     */
    public void replace(String path, String data) throws FsException {
        String p = absolute(path);
        Node existing = null;
        try {
            existing = resolve(p);
        } catch (FsException e) {
            if (e.errno() != Errno.ENOENT) {
                throw e;
            }
        }
        if (existing instanceof Dir) {
            throw new FsException(Errno.EISDIR);
        }
        int slash = p.lastIndexOf('/');
        String parentPath = slash == 0 ? "/" : p.substring(0, slash);
        String name = p.substring(slash + 1);
        boolean host = workingDirectory != null && (parentPath.equals(HOME) || parentPath.startsWith(HOME + "/"));
        if (!host) {
            openForWrite(p, false).write(data);
            return;
        }
        if (!(resolve(parentPath) instanceof Dir) || name.indexOf('\0') >= 0) {
            throw new FsException(Errno.ENOTDIR);
        }
        Path dir = workingDirectory.resolve(parentPath.substring(HOME.length()).replaceFirst("^/", ""));
        if (!inside(dir)) {
            throw new FsException(Errno.EACCES);
        }
        Path target = hostPath(dir, name);
        if (target == null) {
            throw new FsException(Errno.EACCES);
        }
        Path temp = null;
        try {
            temp = Files.createTempFile(dir, "." + name + ".", ".tmp");
            Files.write(temp, data.getBytes(StandardCharsets.UTF_8));
            Files.move(temp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            try {
                if (temp != null) {
                    Files.deleteIfExists(temp);
                }
            } catch (IOException ignored) {
                // the temporary file stays; the old file is intact
            }
            throw new FsException(Errno.EACCES);
        }
    }

    // ------------------------------------------------------------------ the tree

    private Node resolve(String absolutePath) throws FsException {
        Node node = root();
        if (absolutePath.equals("/")) {
            return node;
        }
        for (String part : absolutePath.substring(1).split("/")) {
            if (!(node instanceof Dir d)) {
                throw new FsException(Errno.ENOTDIR);
            }
            node = d.children().child(part);
            if (node == null) {
                throw new FsException(Errno.ENOENT);
            }
        }
        return node;
    }

    private static Dir fixed(Create create, Map<String, Supplier<Node>> entries) {
        return new Dir(() -> List.copyOf(entries.keySet()), name -> {
            Supplier<Node> s = entries.get(name);
            return s == null ? null : s.get();
        }, create, null);
    }

    private static File constant(String text) {
        return new File(() -> text, null);
    }

    private Dir root() {
        Map<String, Supplier<Node>> e = new TreeMap<>();
        e.put("dev", this::dev);
        e.put("etc", this::etcDir);
        e.put("proc", () -> fixed(Create.ENOENT, Map.of("net", this::procNet, "sys",
                () -> fixed(Create.ENOENT, Map.of("net", () -> sysctlDir(""))))));
        e.put("root", this::home);
        e.put("run", this::run);
        e.put("sys", () -> fixed(Create.EACCES, Map.of("class", () -> fixed(Create.EACCES, Map.of("net",
                this::classNet)))));
        e.put("tmp", this::tmpDir);
        e.put("var", () -> fixed(Create.ALLOW, Map.of("run", this::run)));
        return fixed(Create.EACCES, e);
    }

    private Dir dev() {
        Map<String, Supplier<Node>> e = new TreeMap<>();
        Writer discard = data -> {
        };
        e.put("null", () -> new File(() -> "", append -> discard));
        return fixed(Create.EACCES, e);
    }

    private Dir etcDir() {
        return new Dir(() -> List.copyOf(etc.keySet()), name -> etc.containsKey(name) ? etcFile(name) : null,
                Create.ALLOW, name -> {
                    etc.put(name, "");
                    return data -> etc.merge(name, new String(data, StandardCharsets.UTF_8), String::concat);
                });
    }

    private File etcFile(String name) {
        return new File(() -> etc.get(name), append -> {
            if (!append) {
                etc.put(name, "");
            }
            return data -> etc.merge(name, new String(data, StandardCharsets.UTF_8), String::concat);
        });
    }

    private Dir tmpDir() {
        return tmpDir("");
    }

    /**
     * {@code /tmp} and the directories made in it: files by their path under {@code /tmp}
     * ({@code a/b.txt}), a directory by its path with a slash ({@code a/}).
     */
    private Dir tmpDir(String prefix) {
        return new Dir(() -> tmp.keySet().stream().filter(k -> k.startsWith(prefix) && k.length() > prefix.length())
                .map(k -> k.substring(prefix.length()))
                .filter(k -> k.indexOf('/') < 0 || k.indexOf('/') == k.length() - 1)
                .map(k -> k.endsWith("/") ? k.substring(0, k.length() - 1) : k).toList(), name -> {
                    String key = prefix + name;
                    if (tmp.containsKey(key + "/")) {
                        return tmpDir(key + "/");
                    }
                    return !tmp.containsKey(key) ? null
                            : new File(() -> new String(tmp.get(key), StandardCharsets.UTF_8), append -> {
                                if (!append) {
                                    tmp.put(key, new byte[0]);
                                }
                                return data -> tmp.merge(key, data, VirtualFs::concat);
                            }, () -> tmp.get(key).clone());
                }, Create.ALLOW, name -> {
                    tmp.put(prefix + name, new byte[0]);
                    return data -> tmp.merge(prefix + name, data, VirtualFs::concat);
                }, name -> {
                    tmp.remove(prefix + name);
                    tmp.keySet().removeIf(k -> k.startsWith(prefix + name + "/"));
                });
    }

    /**
     * {@code mkdir(2)}: makes a directory (only {@code /tmp} holds any); {@code EEXIST} when
     * the name is taken, {@code ENOENT} without the parent.
     */
    public void mkdir(String path) throws FsException {
        String p = absolute(path);
        boolean exists;
        try {
            resolve(p);
            exists = true;
        } catch (FsException e) {
            if (e.errno() != Errno.ENOENT) {
                throw e;
            }
            exists = false;
        }
        if (exists) {
            throw new FsException(Errno.EEXIST);
        }
        int slash = p.lastIndexOf('/');
        Node parent = resolve(slash == 0 ? "/" : p.substring(0, slash));
        if (!(parent instanceof Dir)) {
            throw new FsException(Errno.ENOTDIR);
        }
        if (!p.startsWith("/tmp/")) {
            throw new FsException(Errno.EACCES);
        }
        tmp.put(p.substring("/tmp/".length()) + "/", new byte[0]);
    }

    /** {@code rm -r}: removes a file, or a directory and everything in it. */
    public void deleteRecursively(String path) throws FsException {
        String p = absolute(path);
        Node n = resolve(p);
        int slash = p.lastIndexOf('/');
        Node parent = resolve(slash == 0 ? "/" : p.substring(0, slash));
        if (!(parent instanceof Dir d) || d.remover() == null || n instanceof Dir && !p.startsWith("/tmp/")) {
            throw new FsException(Errno.EACCES);
        }
        d.remover().remove(p.substring(slash + 1));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    private Dir run() {
        return fixed(Create.ALLOW, Map.of("netns", () -> new Dir(netnsNames::get,
                name -> netnsNames.get().contains(name)
                        ? new File(() -> {
                            throw new FsException(Errno.EINVAL);
                        }, null)
                        : null, Create.EACCES, null)));
    }

    /** /proc/net: the reader's namespace's tables, as the kernel's seq files show them. */
    private Dir procNet() {
        return new Dir(() -> dev.ipsim.commands.proc.ProcNet.FILES, name -> {
            if (!dev.ipsim.commands.proc.ProcNet.FILES.contains(name)) {
                return null;
            }
            NetNamespace ns = netns.get();
            return new File(() -> dev.ipsim.commands.proc.ProcNet.read(ns, name), null);
        }, Create.ENOENT, null);
    }

    // /proc/sys/net: the namespace's sysctls

    private SysctlTable sysctls() {
        return netns.get().sysctls();
    }

    private Node sysctlDir(String rel) {
        String prefix = rel.isEmpty() ? "net" : rel;
        return new Dir(() -> sysctls().list(prefix), name -> {
            String child = prefix + "/" + name;
            if (sysctls().isDirectory(child)) {
                return sysctlDir(child);
            }
            SysctlTable.Entry entry = sysctls().entry(child);
            return entry == null ? null : sysctlFile(child, entry);
        }, Create.ENOENT, null);
    }

    private File sysctlFile(String rel, SysctlTable.Entry entry) {
        NetNamespace ns = netns.get();
        return new File(() -> {
            SysctlTable.Entry e = ns.sysctls().entry(rel);
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
        }, !entry.writable() ? null : append -> data -> {
            try {
                ns.sysctls().write(rel, new String(data, StandardCharsets.UTF_8));
            } catch (KernelException ex) {
                throw new FsException(ex.errno());
            }
        });
    }

    // /sys/class/net: the namespace's devices

    private Dir classNet() {
        return new Dir(() -> {
            List<String> names = new ArrayList<>();
            for (NetDevice d : netns.get().devices()) {
                names.add(d.name());
            }
            return names;
        }, name -> {
            NetDevice d = netns.get().device(name);
            return d == null ? null : deviceDir(d);
        }, Create.EACCES, null);
    }

    private Dir deviceDir(NetDevice d) {
        return new Dir(() -> SysNetAttributes.names(d), name -> {
            if (!SysNetAttributes.names(d).contains(name)) {
                return null;
            }
            if (name.startsWith("upper_") || name.equals("master")) {
                return deviceDir(d.master());
            }
            if (name.startsWith("lower_")) {
                NetDevice lower = d.namespace().device(name.substring("lower_".length()));
                return lower == null ? null : deviceDir(lower);
            }
            return switch (name) {
                case "bridge" -> fileDir(SysNetAttributes.BRIDGE,
                        f -> SysNetAttributes.readBridge((dev.ipsim.kernel.bridge.Bridge) d, f));
                case "brif" -> new Dir(() -> SysNetAttributes.lowers(d).stream().map(NetDevice::name).sorted().toList(),
                        port -> {
                            NetDevice lower = d.namespace().device(port);
                            return lower == null || lower.master() != d ? null : brportDir(lower);
                        }, Create.EACCES, null);
                case "brport" -> brportDir(d);
                // the forwarding database in binary records, which no text tool here reads
                case "brforward" -> new File(() -> "", null);
                case "power" -> fileDir(SysNetAttributes.POWER, SysNetAttributes::readPower);
                case "statistics" -> fileDir(SysNetAttributes.STATISTICS, f -> SysNetAttributes.readStatistic(d, f));
                case "queues" -> new Dir(() -> SysNetAttributes.queues(d), q -> !SysNetAttributes.queues(d)
                        .contains(q) ? null : fileDir(q.startsWith("rx") ? SysNetAttributes.RX_QUEUE
                        : SysNetAttributes.TX_QUEUE, SysNetAttributes::readQueue), Create.EACCES, null);
                case "subsystem" -> classNet();
                default -> new File(() -> kernel(() -> SysNetAttributes.read(d, name)),
                        !SysNetAttributes.writable(name) ? null
                                : append -> data -> kernelWrite(() -> SysNetAttributes.write(d, name,
                                        new String(data, StandardCharsets.UTF_8))));
            };
        }, Create.EACCES, null);
    }

    /** {@code brport}: a port's files, and {@code bridge}, its bridge's directory. */
    private Dir brportDir(NetDevice port) {
        return new Dir(() -> SysNetAttributes.BRPORT, f -> {
            if (!SysNetAttributes.BRPORT.contains(f) || SysNetAttributes.port(port) == null) {
                return null;
            }
            if (f.equals("bridge")) {
                return deviceDir(port.master());
            }
            return new File(() -> kernel(() -> SysNetAttributes.readBrport(SysNetAttributes.port(port), f)), null);
        }, Create.EACCES, null);
    }

    private interface KernelRead {
        String read();
    }

    private static String kernel(KernelRead r) throws FsException {
        try {
            return r.read();
        } catch (KernelException e) {
            throw new FsException(e.errno());
        }
    }

    private static void kernelWrite(Runnable r) throws FsException {
        try {
            r.run();
        } catch (KernelException e) {
            throw new FsException(e.errno());
        }
    }

    private interface FileReader {
        String read(String name);
    }

    private static Dir fileDir(List<String> names, FileReader reader) {
        return new Dir(() -> names, name -> !names.contains(name) ? null
                : new File(() -> kernel(() -> reader.read(name)), null), Create.EACCES, null);
    }

    // /root: the host directory ipsim was started in

    private Node home() {
        if (workingDirectory == null) {
            return new Dir(List::of, name -> null, Create.EACCES, null);
        }
        return hostDir(workingDirectory);
    }

    /**
     * A host path under the start directory, or {@code null} when it does not exist; refused
     * when a symbolic link would lead outside the start directory.
     */
    private Node host(Path p) throws FsException {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        if (!inside(p)) {
            throw new FsException(Errno.EACCES);
        }
        if (Files.isDirectory(p)) {
            return hostDir(p);
        }
        if (!Files.isRegularFile(p)) {
            // a FIFO, a socket or a device: nothing the sandbox reads
            throw new FsException(Errno.EACCES);
        }
        ByteReader bytes = () -> {
            try {
                return Files.readAllBytes(p);
            } catch (IOException e) {
                throw new FsException(Errno.EACCES);
            }
        };
        return new File(() -> new String(bytes.read(), StandardCharsets.UTF_8), append -> hostWriter(p, append),
                bytes);
    }

    /** Whether the real path (symbolic links followed) stays inside the start directory. */
    private boolean inside(Path p) {
        try {
            return p.toRealPath().startsWith(workingDirectory.toRealPath());
        } catch (IOException e) {
            // a dangling link: it leads nowhere the sandbox may go
            return false;
        }
    }

    private Dir hostDir(Path dir) {
        return new Dir(() -> {
            try (var s = Files.list(dir)) {
                return s.map(x -> x.getFileName().toString()).toList();
            } catch (IOException e) {
                throw new FsException(Errno.EACCES);
            }
        }, name -> {
            Path f = hostPath(dir, name);
            return f == null ? null : host(f);
        }, Create.ALLOW, name -> {
            Path f = hostPath(dir, name);
            if (f == null) {
                // no host name has a NUL (a C string ends there), and this JVM cannot spell
                // names its file-name encoding lacks
                throw new FsException(name.indexOf('\0') >= 0 ? Errno.ENOENT : Errno.EACCES);
            }
            return hostWriter(f, false);
        }, name -> {
            try {
                Files.delete(dir.resolve(name));
            } catch (IOException e) {
                throw new FsException(Errno.EACCES);
            }
        });
    }

    /** The host path of a name in a host directory, or {@code null} when it cannot be one. */
    private static Path hostPath(Path dir, String name) {
        if (name.indexOf('\0') >= 0) {
            return null;
        }
        try {
            return dir.resolve(name);
        } catch (java.nio.file.InvalidPathException e) {
            return null;
        }
    }

    private static Writer hostWriter(Path f, boolean append) throws FsException {
        try {
            if (append) {
                Files.write(f, new byte[0], StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } else {
                Files.write(f, new byte[0]);
            }
        } catch (IOException e) {
            throw new FsException(Errno.EACCES);
        }
        return data -> {
            try {
                Files.write(f, data, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new FsException(Errno.EIO);
            }
        };
    }

    /** Lower-case hex, as sysfs prints flags. */
    static String hex(int v) {
        return "0x" + Integer.toHexString(v).toLowerCase(Locale.ROOT);
    }

    static int displayFlags(NetDevice d) {
        // dev->flags: PROMISC and ALLMULTI while anyone (the user, a bridge) holds a reference
        return d.rawFlags() | (d.userFlags() & (DeviceFlags.PROMISC | DeviceFlags.ALLMULTI))
                | (d.promiscuity() > 0 ? DeviceFlags.PROMISC : 0) | (d.allmultiCount() > 0 ? DeviceFlags.ALLMULTI : 0);
    }
}
