package dev.ipsim.commands.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/** C number parsing as glibc's strtoul/strtol and iproute2's get_* wrappers do it. */
class CNumbersTest {

    @Test
    void baseZeroReadsHexOctalAndDecimal() {
        // link-set-more: "mtu 0x5dc" is 1500, "mtu 01000" is 512
        assertEquals(1500, CNumbers.getInteger("0x5dc", 0));
        assertEquals(512, CNumbers.getInteger("01000", 0));
        assertEquals(1400, CNumbers.getInteger("1400", 0));
    }

    @Test
    void leadingWhiteSpaceIsSkippedTrailingGarbageIsNot() {
        // link-set-more: "mtu ' 1400'" is accepted, "mtu 1400x" is not
        assertEquals(1400, CNumbers.getInteger(" 1400", 0));
        assertNull(CNumbers.getInteger("1400x", 0));
        assertNull(CNumbers.getInteger("", 0));
    }

    @Test
    void strtoulStopsAtTheFirstNonDigitAndNegatesUnsigned() {
        CNumbers.Parsed p = CNumbers.strtoul("12abc", 10);
        assertEquals(BigInteger.valueOf(12), p.value());
        assertEquals(2, p.end());
        assertFalse(p.consumedAll("12abc"));
        assertEquals(new BigInteger("18446744073709551615"), CNumbers.strtoul("-1", 10).value());
        assertEquals(0, CNumbers.strtoul("abc", 10).end());
    }

    @Test
    void overflowSaturatesAndIsReported() {
        CNumbers.Parsed p = CNumbers.strtoul("99999999999999999999999", 10);
        assertTrue(p.range());
        assertEquals(new BigInteger("18446744073709551615"), p.value());
        assertTrue(CNumbers.strtol("-99999999999999999999999", 10).range());
    }

    @Test
    void theGetWrappersKeepTheirRanges() {
        // link-set-more: txqlen 4294967295 does not fit get_integer
        assertNull(CNumbers.getInteger("4294967295", 0));
        assertEquals(4294967295L, CNumbers.getUnsigned("4294967295", 0));
        assertNull(CNumbers.getUnsigned("4294967296", 0));
        assertEquals(255, CNumbers.getU8("0xff", 0));
        assertNull(CNumbers.getU8("256", 0));
        assertEquals(-5, CNumbers.getInteger("-5", 0));
    }

    @Test
    void atoiTakesWhatItCanAndWraps() {
        assertEquals(12, CNumbers.atoi("12abc"));
        assertEquals(0, CNumbers.atoi("abc"));
        assertEquals(-3, CNumbers.atoi("-3"));
    }
}
