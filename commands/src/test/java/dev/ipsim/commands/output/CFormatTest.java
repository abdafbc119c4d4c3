package dev.ipsim.commands.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.IllegalFormatException;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** CFormat gives String.format(Locale.ROOT, ...)'s text, and its errors, for every format. */
class CFormatTest {

    private static final String[] FORMATS = {
        "%s", "%d", "%x", "%X", "mtu %d ", "%-16s|", "%16s|", "%5d", "%-5d|", "%05d", "%02x", "%04X", "%08x",
        "%%", "100%% %s", "a%sb%sc", "%1$s", "%.3s", "%,d", "%+d", "% d", "%#x", "%n", "%-s", "%0s", "%-05d",
        "%S", "%c", "%", "%q", "%s %s", "%3", "x%-3%y", "%--5d", "%005d", "%o", "%b", "", "no placeholder",
    };

    private static final Object[] VALUES = {
        "eth0", "", null, 0, 7, -42, 255, 65536, Integer.MIN_VALUE, Integer.MAX_VALUE, 0L, -1L, 1500L,
        Long.MIN_VALUE, Long.MAX_VALUE, (short) -2, (byte) -1, (byte) 10, true, 2.5, 'c',
        new java.math.BigInteger("123456789012345678901234567890"),
    };

    @Test
    void sameTextAndErrorsAsStringFormat() {
        for (String fmt : FORMATS) {
            for (Object v : VALUES) {
                check(fmt, v);
                check(fmt, v, "second");
            }
            check(fmt);
        }
    }

    private static void check(String fmt, Object... args) {
        String expected;
        try {
            expected = String.format(Locale.ROOT, fmt, args);
        } catch (IllegalFormatException e) {
            Class<? extends Exception> type = e.getClass();
            assertThrows(type, () -> CFormat.format(fmt, args), fmt + " " + java.util.Arrays.toString(args));
            return;
        }
        assertEquals(expected, CFormat.format(fmt, args), fmt + " " + java.util.Arrays.toString(args));
    }
}
