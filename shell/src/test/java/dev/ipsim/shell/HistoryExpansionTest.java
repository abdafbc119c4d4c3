package dev.ipsim.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** bash's history expansion, case by case as bash 5.2 answered them in a terminal. */
class HistoryExpansionTest {

    private static final List<String> HISTORY = List.of("echo one", "echo one two three", "false");

    private static String expand(String line) {
        HistoryExpansion.Result r = HistoryExpansion.expand(line, HISTORY);
        return r.error() != null ? "error: " + r.error() : r.line();
    }

    @Test
    void events() {
        assertEquals("false", expand("!!"));
        assertEquals("echo one", expand("!1"));
        assertEquals("echo one two three", expand("!-2"));
        assertEquals("echo one two three", expand("!ech"));
        assertEquals("echo one two three", expand("!?two?"));
        assertEquals("error: !nosuch: event not found", expand("!nosuch"));
    }

    @Test
    void words() {
        assertEquals("echo three echo one two three", expand("echo !-2:$ !-2"));
        assertEquals("echo two three", expand("echo !ech:2-3"));
        assertEquals("error: :5: bad word specifier", expand("echo !-2:5"));
        assertEquals("echo false", expand("echo !$"));
    }

    @Test
    void literalBangs() {
        assertEquals("echo 'a!b' e\\!f x! y!= ! (!", expand("echo 'a!b' e\\!f x! y!= ! (!"));
        assertEquals("echo \"x!\"", expand("echo \"x!\""));
        assertEquals("error: !d: event not found", expand("echo \"c!d\""));
    }

    @Test
    void quickSubstitution() {
        assertEquals("true", expand("^false^true"));
        assertEquals("error: :s^one^ONE: substitution failed", expand("^one^ONE"));
    }
}
