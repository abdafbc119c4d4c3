package dev.ipsim.commands.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** glibc's inet_aton, as net-tools route uses it. */
class InetAtonTest {

    @Test
    void shortFormsFillTheLastPart() {
        assertEquals("10.0.0.1", InetAton.parse("10.1").toString());
        assertEquals("10.0.0.1", InetAton.parse("10.0.1").toString());
        assertEquals("0.0.0.1", InetAton.parse("1").toString());
        assertEquals("192.168.0.1", InetAton.parse("192.168.0.1").toString());
    }

    @Test
    void partsAreCNumbers() {
        assertEquals("10.0.0.255", InetAton.parse("0xa.0.0.0377").toString());
    }

    @Test
    void outOfRangeOrMalformedIsRefused() {
        assertNull(InetAton.parse("256.0.0.1"));
        assertNull(InetAton.parse("1.2.3.4.5"));
        assertNull(InetAton.parse("foo"));
        assertNull(InetAton.parse("1..2"));
        assertNull(InetAton.parse(""));
    }
}
