package dev.ipsim.shell.vfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipsim.shell.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sandbox boundary: absolute paths resolve in the virtual tree only, relative ones in the
 * start directory (shown as /root) and never above it; nothing of the host leaks, through
 * {@code ..}, absolute host paths or symbolic links. The answers are a real machine's
 * ("No such file or directory", "Permission denied").
 */
class SandboxBoundaryTest {

    private static final String SECRET = "s3cret-host-data";

    @TempDir
    Path temp;
    Path start;
    Path outside;

    @BeforeEach
    void layout() throws IOException {
        // temp/outside/secret (must stay unreachable) and temp/start (where ipsim starts)
        outside = Files.createDirectories(temp.resolve("outside"));
        Files.writeString(outside.resolve("secret"), SECRET + "\n");
        start = Files.createDirectories(temp.resolve("start"));
        Files.writeString(temp.resolve("x"), SECRET + "\n");
        Files.writeString(start.resolve("mine"), "my own file\n");
    }

    record Result(String out, String err, int status) {
        String both() {
            return out + err;
        }
    }

    private Result run(String script) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Main.Stdio stdio = new Main.Stdio(InputStream.nullInputStream(), out, err, false, false, false, start,
                Map.of(), null, false);
        int status = Main.run(new String[] {"--bare", "--seed", "3", "-c", script}, stdio);
        return new Result(out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), status);
    }

    @Test
    void hostFilesAreNotThere() {
        Result r = run("cat /etc/shadow; cat /proc/self/environ; cat /proc/1/cmdline");
        assertEquals("cat: /etc/shadow: No such file or directory\n"
                + "cat: /proc/self/environ: No such file or directory\n"
                + "cat: /proc/1/cmdline: No such file or directory\n", r.err());
        assertEquals(1, r.status());
    }

    /** The sandbox's /etc/passwd is a fresh Debian's (base-passwd's accounts), never the host's. */
    @Test
    void passwdIsTheSandboxesOwn() {
        Result r = run("cat /etc/passwd | wc -l; head -1 /etc/passwd; tail -1 /etc/passwd; grep -c : /etc/group");
        assertEquals("18\nroot:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n38\n",
                r.out(), r.both());
    }

    @Test
    void dotDotCannotLeaveTheStartDirectory() {
        Result r = run("cat ../x; cat ../../../../../x; cat ../outside/secret; cd ..; cat x; ls; cd ../../..; pwd");
        assertEquals("cat: ../x: No such file or directory\n"
                + "cat: ../../../../../x: No such file or directory\n"
                + "cat: ../outside/secret: No such file or directory\n"
                + "cat: x: No such file or directory\n", r.err());
        assertEquals("dev\netc\nproc\nroot\nrun\nsys\ntmp\nvar\n/\n", r.out());
        assertFalse(r.both().contains(SECRET));
    }

    @Test
    void absoluteHostPathsResolveInTheVirtualTree() {
        String secret = outside.resolve("secret").toString();
        Result r = run("cat " + secret + "; ls " + temp);
        assertEquals("cat: " + secret + ": No such file or directory\n"
                + "ls: cannot access '" + temp + "': No such file or directory\n", r.err());
        assertFalse(r.both().contains(SECRET));
    }

    @Test
    void theStartDirectoryIsRoot() {
        Result r = run("pwd; cat mine; cat /root/mine; cat ~/mine; ls; ls /root; echo new > made; cat /root/made");
        assertEquals("/root\nmy own file\nmy own file\nmy own file\nmine\nmine\nnew\n", r.out());
        assertEquals("", r.err());
        assertTrue(Files.exists(start.resolve("made")));
    }

    @Test
    void symbolicLinksLeadingOutAreRefused() throws IOException {
        Files.createSymbolicLink(start.resolve("leak"), outside.resolve("secret"));
        Files.createSymbolicLink(start.resolve("up"), outside);
        Files.createSymbolicLink(start.resolve("dangling"), outside.resolve("nothing-yet"));
        Result r = run("cat leak; ls up; cat up/secret; echo x > dangling; echo x > leak; cat dangling");
        assertEquals("cat: leak: Permission denied\n"
                + "ls: cannot access 'up': Permission denied\n"
                + "cat: up/secret: Permission denied\n"
                + "bash: line 1: dangling: Permission denied\n"
                + "bash: line 1: leak: Permission denied\n"
                + "cat: dangling: Permission denied\n", r.err());
        assertFalse(r.both().contains(SECRET));
        assertFalse(Files.exists(outside.resolve("nothing-yet")));
        assertEquals(SECRET + "\n", Files.readString(outside.resolve("secret")));
    }

    @Test
    void aLinkInsideTheStartDirectoryIsFollowed() throws IOException {
        Files.createSymbolicLink(start.resolve("alias"), start.resolve("mine"));
        assertEquals("my own file\n", run("cat alias").out());
    }

    @Test
    void writesOutsideTheStartDirectoryNeverReachTheHost() {
        Result r = run("echo x > ../escaped; echo x > /escaped; echo x > " + outside.resolve("new"));
        assertEquals("bash: line 1: ../escaped: Permission denied\n"
                + "bash: line 1: /escaped: Permission denied\n"
                + "bash: line 1: " + outside.resolve("new") + ": No such file or directory\n", r.err());
        assertFalse(Files.exists(temp.resolve("escaped")));
        assertFalse(Files.exists(outside.resolve("new")));
    }

    @Test
    void toolsThatReadFilesStayInsideToo() {
        String secret = outside.resolve("secret").toString();
        Result r = run("ip -batch ../x; ip -force -batch " + secret + "; sysctl -p ../x; sysctl -p " + secret
                + "; source ../x; . " + secret + "; cat < ../x; grep -r s3 ..; head ../outside/secret; arp -f ../x;"
                + " ip netns add n; ip netns exec n cat ../x; tail -c 5 /proc/self/environ; ls ../outside");
        assertFalse(r.both().contains(SECRET), r.both());
        assertFalse(r.both().contains("s3cret"), r.both());
        assertTrue(r.status() != 0);
    }

    @Test
    void tcpdumpWritesNoWhereItMustNot() throws IOException {
        Files.createDirectory(start.resolve("sub"));
        Files.createSymbolicLink(start.resolve("out"), outside.resolve("secret"));
        Result r = run("tcpdump -i lo -c 1 -w sub; echo $?; tcpdump -i lo -c 1 -w out; echo $?;"
                + " tcpdump -i lo -c 1 -w ../escaped; echo $?; tcpdump -r out; echo $?");
        assertEquals("1\n1\n1\n1\n", r.out());
        assertEquals("tcpdump: sub: Is a directory\n"
                + "tcpdump: out: Permission denied\n"
                + "tcpdump: ../escaped: Permission denied\n"
                + "tcpdump: out: Permission denied\n", r.err());
        assertEquals(SECRET + "\n", Files.readString(outside.resolve("secret")));
        assertFalse(Files.exists(temp.resolve("escaped")));
    }

    @Test
    void tmpIsTheSandboxsOwn() {
        String name = "ipsim-boundary-" + ProcessHandle.current().pid();
        Result r = run("echo kept > /tmp/" + name + "; cat /tmp/" + name + "; ls /tmp");
        assertEquals("kept\n" + name + "\n", r.out());
        assertFalse(Files.exists(Path.of("/tmp", name)));
    }
}
