package dev.ipsim.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ipsim's {@code --color=never|auto|always}: what tools told to colour on {@code auto} do
 * ({@code ip -c=auto}, {@code lab check}); a tool's own {@code always} or {@code never} wins;
 * by default no escape code reaches output that is not a terminal.
 */
class ColorOptionTest {

    private static final String LO = "lo               UNKNOWN        00:00:00:00:00:00 <LOOPBACK,UP,LOWER_UP> \n";
    private static final String LO_COLOURED =
            "\033[36mlo               \033[0mUNKNOWN        \033[33m00:00:00:00:00:00 \033[0m<LOOPBACK,UP,LOWER_UP> \n";

    @TempDir
    Path dir;

    private record Result(String out, String err, int status) {
    }

    /** {@code ipsim [OPTIONS] -c SCRIPT}, standard output a terminal or not. */
    private Result run(boolean outTty, String script, String... options) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Main.Stdio stdio = new Main.Stdio(new ByteArrayInputStream(new byte[0]), out, err, false, outTty, false, dir,
                Map.of(), null, false);
        List<String> args = new ArrayList<>(List.of("--bare", "--seed", "3"));
        args.addAll(List.of(options));
        args.addAll(List.of("-c", script));
        int status = Main.run(args.toArray(String[]::new), stdio);
        return new Result(out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), status);
    }

    @Test
    void autoColoursOnlyAtATerminalByDefault() {
        assertEquals(LO, run(false, "ip -c=auto -br link show lo").out());
        assertEquals(LO_COLOURED, run(true, "ip -c=auto -br link show lo").out());
        // into a pipe, even from a terminal
        assertEquals(LO, run(true, "ip -c=auto -br link show lo | cat").out());
        assertEquals(LO, run(true, "ip -br link show lo").out());
    }

    @Test
    void neverAndAlwaysDecideWhatAutoDoes() {
        assertEquals(LO, run(true, "ip -c=auto -br link show lo", "--color=never").out());
        assertEquals(LO_COLOURED, run(false, "ip -c=auto -br link show lo", "--color=always").out());
        assertEquals(LO_COLOURED, run(false, "ip -c=auto -br link show lo | cat", "--color").out());
        assertEquals(LO_COLOURED, run(true, "ip -c=auto -br link show lo", "--color=auto").out());
    }

    @Test
    void aToolsOwnAlwaysOrNeverWins() {
        assertEquals(LO_COLOURED, run(false, "ip -c -br link show lo", "--color=never").out());
        assertEquals(LO, run(true, "ip -c=never -br link show lo", "--color=always").out());
    }

    @Test
    void labCheckColoursItsVerdictsAsOnAuto() throws Exception {
        Files.writeString(dir.resolve("lo.lab"), "host: lo up\n");
        assertEquals("PASS  host: lo up\n1 passed, 0 failed\n", run(false, "lab check lo.lab").out());
        assertEquals("\033[32mPASS\033[0m  host: lo up\n1 passed, 0 failed\n", run(true, "lab check lo.lab").out());
        assertEquals("PASS  host: lo up\n1 passed, 0 failed\n",
                run(true, "lab check lo.lab", "--color=never").out());
        assertEquals("\033[32mPASS\033[0m  host: lo up\n1 passed, 0 failed\n",
                run(false, "lab check lo.lab", "--color=always").out());
    }

    @Test
    void aWordOtherThanNeverAutoOrAlwaysIsAnError() {
        Result r = run(false, "true", "--color=sometimes");
        assertEquals(2, r.status());
        assertTrue(r.err().startsWith("ipsim: --color: 'sometimes': not never, auto or always\nUsage: ipsim "),
                r.err());
        assertEquals("", r.out());
        Result help = run(false, "true", "--help");
        assertTrue(help.out().contains("[--color=WHEN]") && help.out().contains("  --color=WHEN    never, auto"),
                help.out());
    }
}
