package dev.ipsim.shell.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipsim.shell.Main;
import dev.ipsim.shell.Sandbox;
import dev.ipsim.shell.ShellSession;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C (the REPL interrupts the thread running the line) ends a loop that would run for
 * ever, and the rest of the line, as bash gives up a line when SIGINT kills a command of it or
 * comes between two: with built-ins and assignments alone in the loop too.
 */
class InterruptTest {

    @TempDir
    Path dir;

    @Test
    void anInterruptEndsAnEndlessLoopAndTheRestOfTheLine() throws Exception {
        for (String loop : new String[] {"while true; do x=1; done", "while :; do :; done",
            "until false; do echo x >/dev/null; done", "for i in 1 2; do while true; do y=$i; done; done"}) {
            Sandbox sandbox = Main.boot(true, 1, dir);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ShellSession session = new ShellSession(sandbox, ShellSession.Mode.INTERACTIVE, "bash",
                    InputStream.nullInputStream(), out, out, false);
            Interpreter interpreter = new Interpreter(session);
            var lists = Parser.parse(loop + "; echo not-reached\n", 1);
            Thread t = new Thread(() -> interpreter.run(lists));
            t.start();
            Thread.sleep(200);
            assertTrue(t.isAlive(), loop + " ended by itself");
            t.interrupt();
            t.join(TimeUnit.SECONDS.toMillis(10));
            assertFalse(t.isAlive(), loop + " went on after Ctrl-C");
            assertEquals(Interpreter.INTERRUPTED, session.lastStatus(), loop + ": " + out.toString(StandardCharsets.UTF_8));
            assertFalse(out.toString(StandardCharsets.UTF_8).contains("not-reached"), loop);
        }
    }
}
