package dev.ipsim.commands.ip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** iproute2's get_prefix/get_addr parsing. */
class InetArgTest {

    @Test
    void shortIpv4FormsFillFromTheLeft() {
        // iproute2's get_addr_ipv4: "10.1" is 10.1.0.0, unlike inet_aton's 10.0.0.1
        assertEquals("10.1.0.0", InetArg.parseAddress("10.1", IpOptions.AF_UNSPEC).address().toString());
        assertEquals("10.0.0.0", InetArg.parseAddress("10", IpOptions.AF_UNSPEC).address().toString());
        // route-modify: "ip route add 192.168.17 dev veth0" is 192.168.17.0
        InetArg p = InetArg.parsePrefix("192.168.17", IpOptions.AF_UNSPEC);
        assertEquals("192.168.17.0", p.address().toString());
        assertEquals(32, p.bitlen());
        assertFalse(p.prefixLengthSpecified());
    }

    @Test
    void prefixLengthsAndNetmasks() {
        InetArg p = InetArg.parsePrefix("10.0.0.1/24", IpOptions.AF_UNSPEC);
        assertEquals(24, p.bitlen());
        assertTrue(p.prefixLengthSpecified());
        // addr-ipv4: "192.168.7.1/255.255.255.0" is a /24
        assertEquals(24, InetArg.parsePrefix("192.168.7.1/255.255.255.0", IpOptions.AF_UNSPEC).bitlen());
        assertEquals(64, InetArg.parsePrefix("2001:db8::1/64", IpOptions.AF_UNSPEC).bitlen());
    }

    @Test
    void invalidPrefixesAreRefused() {
        // ip-errors: "10.0.0.256/24" and "10.0.0.1/33"; addr-ipv6: "/129" and a bad hex digit
        assertNull(InetArg.parsePrefix("10.0.0.256/24", IpOptions.AF_UNSPEC));
        assertNull(InetArg.parsePrefix("10.0.0.1/33", IpOptions.AF_UNSPEC));
        assertNull(InetArg.parsePrefix("2001:db8:2::1/129", IpOptions.AF_UNSPEC));
        assertNull(InetArg.parsePrefix("2001:db8:2::g/64", IpOptions.AF_UNSPEC));
    }

    @Test
    void theFamilyOptionDecidesWhatParses() {
        // ip-errors: "ip -4 addr add fe80::1/64" and "ip -6 addr add 10.0.0.1/24" are refused
        assertNull(InetArg.parsePrefix("fe80::1/64", IpOptions.AF_INET));
        assertNull(InetArg.parsePrefix("10.0.0.1/24", IpOptions.AF_INET6));
    }

    @Test
    void defaultIsTheUnspecifiedPrefix() {
        InetArg p = InetArg.parsePrefix("default", IpOptions.AF_UNSPEC);
        assertTrue(p.isAny());
        assertEquals(0, p.prefix().length());
    }
}
