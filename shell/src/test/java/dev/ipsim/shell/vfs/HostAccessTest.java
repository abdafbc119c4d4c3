package dev.ipsim.shell.vfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The sandbox never starts a host process and touches host files in few, known places: a
 * look at every compiled class of the three modules (their constant pools name each class they
 * use). Starting a process needs {@code ProcessBuilder} or {@code Runtime.exec}; no class may
 * name them. Host files are opened through {@code java.nio.file.Files} and the {@code java.io}
 * file streams; only the classes that read what the user named (the script given to ipsim, a
 * transcript to replay, the start directory through the virtual file system) may name those.
 */
class HostAccessTest {

    private static final List<String> PROCESS_CLASSES = List.of("java/lang/ProcessBuilder", "java/lang/Runtime",
            "java/lang/ProcessHandle", "java/lang/Process");

    private static final List<String> FILE_CLASSES = List.of("java/nio/file/Files", "java/io/FileInputStream",
            "java/io/FileOutputStream", "java/io/RandomAccessFile", "java/io/FileReader", "java/io/FileWriter",
            "java/nio/channels/FileChannel", "java/io/File");

    /** Who may touch host files, and why. */
    private static final Set<String> FILE_USERS = Set.of(
            // the script named on the command line, and the process's own standard streams
            "dev/ipsim/shell/Main",
            // the start directory (shown as /root), and nothing above it
            "dev/ipsim/shell/vfs/VirtualFs",
            // the transcripts named to `ipsim replay`
            "dev/ipsim/shell/transcript/ReplayCommand",
            // ipsim's own: the socket a second terminal attaches by, in the user's runtime
            // directory (as the history file is ipsim's own, through JLine)
            "dev/ipsim/shell/Attach");

    private static Path root() {
        return Path.of(System.getProperty("ipsim.root", ".."));
    }

    /** Every class name each compiled class of the modules refers to, by class. */
    private static Map<String, Set<String>> references() throws IOException {
        Map<String, Set<String>> refs = new TreeMap<>();
        for (String module : new String[] {"kernel-model", "commands", "shell"}) {
            Path classes = root().resolve(module).resolve("target/classes");
            assertTrue(Files.isDirectory(classes), classes + " not built");
            try (Stream<Path> files = Files.walk(classes)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                    String name = classes.relativize(f).toString().replace('\\', '/');
                    name = name.substring(0, name.length() - ".class".length());
                    int dollar = name.indexOf('$');
                    String outer = dollar < 0 ? name : name.substring(0, dollar);
                    refs.computeIfAbsent(outer, k -> new TreeSet<>()).addAll(classNames(Files.readAllBytes(f)));
                }
            }
        }
        return refs;
    }

    /** The class names a class file's constant pool holds (CONSTANT_Class entries' names). */
    static Set<String> classNames(byte[] b) {
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(b);
        in.position(8);
        int count = in.getShort() & 0xFFFF;
        String[] utf8 = new String[count];
        int[] classIndex = new int[count];
        for (int i = 1; i < count; i++) {
            int tag = in.get() & 0xFF;
            switch (tag) {
                case 1 -> {
                    int len = in.getShort() & 0xFFFF;
                    byte[] s = new byte[len];
                    in.get(s);
                    utf8[i] = new String(s, StandardCharsets.UTF_8);
                }
                case 7 -> classIndex[i] = in.getShort() & 0xFFFF;
                case 8, 16, 19, 20 -> in.getShort();
                case 3, 4, 9, 10, 11, 12, 17, 18 -> in.getInt();
                case 5, 6 -> {
                    in.getLong();
                    i++;
                }
                case 15 -> {
                    in.get();
                    in.getShort();
                }
                default -> throw new IllegalStateException("constant pool tag " + tag);
            }
        }
        Set<String> names = new TreeSet<>();
        for (int i = 1; i < count; i++) {
            if (classIndex[i] != 0) {
                names.add(utf8[classIndex[i]]);
            }
        }
        // descriptors name classes too (a field of type Process...)
        for (String s : utf8) {
            if (s != null) {
                for (String c : PROCESS_CLASSES) {
                    if (s.contains("L" + c + ";")) {
                        names.add(c);
                    }
                }
            }
        }
        return names;
    }

    @Test
    void noClassCanStartAHostProcess() throws IOException {
        Map<String, Set<String>> refs = references();
        assertTrue(refs.size() > 100, "classes found: " + refs.size());
        Map<String, Set<String>> offenders = new TreeMap<>();
        refs.forEach((cls, used) -> used.stream().filter(PROCESS_CLASSES::contains)
                .forEach(u -> offenders.computeIfAbsent(cls, k -> new TreeSet<>()).add(u)));
        assertEquals(Map.of(), offenders);
    }

    @Test
    void onlyKnownClassesTouchHostFiles() throws IOException {
        Map<String, Set<String>> offenders = new TreeMap<>();
        references().forEach((cls, used) -> used.stream().filter(FILE_CLASSES::contains)
                .filter(u -> !FILE_USERS.contains(cls))
                .forEach(u -> offenders.computeIfAbsent(cls, k -> new TreeSet<>()).add(u)));
        assertEquals(Map.of(), offenders);
    }

    @Test
    void theScannerSeesWhatItLooksFor() throws IOException {
        // the check itself must be able to fail: this test class names Files, Main names FileInputStream
        Path self = Path.of(HostAccessTest.class.getProtectionDomain().getCodeSource().getLocation().getPath())
                .resolve("dev/ipsim/shell/vfs/HostAccessTest.class");
        assertTrue(classNames(Files.readAllBytes(self)).contains("java/nio/file/Files"));
        assertTrue(references().get("dev/ipsim/shell/Main").contains("java/io/FileInputStream"));
        assertFalse(references().get("dev/ipsim/kernel/Kernel").contains("java/nio/file/Files"));
    }
}
