package dev.ipsim.kernel.addr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The text forms of MAC and IPv6 addresses, as the real tools print them (oracle/recorded). */
class AddressTextTest {

    @Test
    void macAddressesAreLowerCaseColonSeparatedOctets() {
        // ip link show: "link/ether 02:00:00:00:00:01 brd ff:ff:ff:ff:ff:ff"
        assertEquals("02:00:00:00:00:01", MacAddress.parse("02:00:00:00:00:01").toString());
        assertEquals("ff:ff:ff:ff:ff:ff", MacAddress.BROADCAST.toString());
        assertEquals("00:00:00:00:00:00", MacAddress.ZERO.toString());
        assertEquals("de:ad:be:ef:00:0a", MacAddress.parse("DE:AD:BE:EF:00:0A").toString());
    }

    @Test
    void macAddressesThatAreNotSixOctetsDoNotParse() {
        assertNull(MacAddress.parse("02:00:00:00:00"));
        assertNull(MacAddress.parse("zz"));
    }

    @Test
    void eui64LinkLocalAddressFlipsTheUniversalBitAndInsertsFffe() {
        // addr-ipv6: veth0 with address 02:00:00:00:00:01 gets fe80::ff:fe00:1
        MacAddress mac = MacAddress.parse("02:00:00:00:00:01");
        assertEquals("fe80::ff:fe00:1", Ipv6Address.linkLocal(Ipv6Address.eui64(mac)).toString());
        assertEquals("fe80::ff:fe00:2",
                Ipv6Address.linkLocal(Ipv6Address.eui64(MacAddress.parse("02:00:00:00:00:02"))).toString());
    }

    @Test
    void ipv6AddressesUseRfc5952Compression() {
        assertEquals("2001:db8::1", Ipv6Address.parse("2001:0db8:0000:0000:0000:0000:0000:0001").toString());
        assertEquals("::1", Ipv6Address.LOOPBACK.toString());
        assertEquals("::", Ipv6Address.ANY.toString());
        assertEquals("2001:db8:1::", Ipv6Address.parse("2001:db8:1:0:0:0:0:0").toString());
        // the longest run of zero groups is the one compressed
        assertEquals("2001:0:0:1::1", Ipv6Address.parse("2001:0:0:1:0:0:0:1").toString());
        assertEquals("ff00::", Ipv6Address.parse("ff00::").toString());
    }

    @Test
    void ipv4MappedAddressesEndInADottedQuad() {
        // addr-ipv6: "inet6 ::ffff:1.2.3.4/96" and the route "::ffff:0.0.0.0/96"
        assertEquals("::ffff:1.2.3.4", Ipv6Address.parse("::ffff:1.2.3.4").toString());
        assertEquals("::ffff:0.0.0.0", Ipv6Address.parse("::ffff:1.2.3.4").masked(96).toString());
    }

    @Test
    void invalidIpv6TextDoesNotParse() {
        assertNull(Ipv6Address.parse("2001:db8:2::g"));
        assertNull(Ipv6Address.parse("1::2::3"));
    }
}
