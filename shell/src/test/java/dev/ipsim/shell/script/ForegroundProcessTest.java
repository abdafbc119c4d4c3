package dev.ipsim.shell.script;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ipsim.shell.Main;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A program the shell runs in the foreground is a process of its own, as after bash's fork:
 * the signals ping and tcpdump catch are theirs, and when they have ended the shell still has
 * its own dispositions. The expected outputs are what bash 5.2 printed for the same lines on
 * the recording machine ({@code bash -c '...'}, with the host's ping and tcpdump on lo).
 */
class ForegroundProcessTest {

    @TempDir
    Path dir;

    private record Run(String out, String err, int status) {
    }

    private Run run(String command) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Main.Stdio stdio = new Main.Stdio(InputStream.nullInputStream(), out, err, false, false, false, dir,
                Map.of(), null, false);
        int status = Main.run(new String[] {"--bare", "--seed", "5", "-c", command}, stdio);
        return new Run(out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), status);
    }

    @Test
    void afterPingTheShellNoLongerCatchesSigint() {
        // ping catches SIGINT; the shell does not, so its own SIGINT ends it
        Run r = run("ping -c 1 127.0.0.1 > /dev/null; kill -INT $$; echo still here");
        assertEquals("", r.out());
        assertEquals("", r.err());
        assertEquals(130, r.status());
    }

    @Test
    void afterTcpdumpTheShellNoLongerCatchesSigterm() {
        Run r = run("(sleep 1; ping -c 1 127.0.0.1 > /dev/null) & tcpdump -i lo -c 2 -n > /dev/null 2>&1;"
                + " echo \"tcpdump $?\"; kill -TERM $$; echo still here");
        assertEquals("tcpdump 0\n", r.out());
        assertEquals("", r.err());
        assertEquals(143, r.status());
    }
}
