package dev.ipsim.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A script's start links no lambda call site (DEVELOPERS.md, BENCHMARKS.md): each costs a
 * method-handle bootstrap, ~0.25 ms, the first time it runs, and a boot and one command once
 * linked 161 of them. The JVM writes one class per call site it links to the directory
 * {@code jdk.internal.lambda.dumpProxyClasses} names; after {@code -c 'ip link'} there must be
 * none of ipsim's, nor of the JDK code that brings its own (regular expressions, streams,
 * comparators, String.format's locale providers). Not a timing: a count.
 */
class StartupPathTest {

    @TempDir
    Path dir;

    @Test
    void ipLinkLinksNoLambda() throws IOException, InterruptedException {
        Path dump = Files.createDirectory(dir.resolve("proxies"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xshare:off", "-XX:TieredStopAtLevel=1",
                "-Djdk.internal.lambda.dumpProxyClasses=" + dump, "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "--seed", "1", "-c", "ip link");
        pb.directory(dir.toFile());
        pb.redirectErrorStream(true);
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String text = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), text);
        assertTrue(text.startsWith("1: lo: <LOOPBACK,UP,LOWER_UP>"), text);
        List<String> linked = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dump)) {
            files.filter(Files::isRegularFile).forEach(f -> linked.add(dump.relativize(f).toString()));
        }
        // the JVM's own start (the launcher, method handles' internals) is not ipsim's doing
        linked.removeIf(name -> name.startsWith("jdk/internal/") || name.startsWith("java/lang/invoke/")
                || name.startsWith("sun/launcher/"));
        assertEquals(List.of(), linked, "lambda call sites linked by -c 'ip link' (one class each)");
    }
}
