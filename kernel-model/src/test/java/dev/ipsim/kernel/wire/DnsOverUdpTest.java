package dev.ipsim.kernel.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipsim.kernel.addr.Ipv4Address;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A DNS query for baidu.com in a UDP datagram from 10.0.2.15:40000 to 10.0.2.3:53, the checksum
 * computed by an independent implementation of RFC 1071 over the RFC 768 pseudo-header; and a
 * response whose names are compressed as servers send them.
 */
class DnsOverUdpTest {

    static final Ipv4Address GUEST = Ipv4Address.parse("10.0.2.15");
    static final Ipv4Address SERVER = Ipv4Address.parse("10.0.2.3");
    static final byte[] QUERY = Hex.bytes("1234 0100 0001 0000 0000 0000 0562 6169 6475 0363 6f6d 0000 0100 01");
    static final byte[] DATAGRAM = Hex.bytes("9c40 0035 0023 f7da" + "1234 0100 0001 0000 0000 0000"
            + "0562 6169 6475 0363 6f6d 0000 0100 01");
    /** The answer: baidu.com A 111.13.101.208, its name a pointer to the question's (c00c). */
    static final byte[] RESPONSE = Hex.bytes("""
            1234 8180 0001 0001 0000 0000 0562 6169 6475 0363 6f6d 0000 0100 01
            c00c 0001 0001 0000 012c 0004 6f0d 65d0""");

    @Test
    void encodesAQueryInADatagramWithItsChecksum() {
        DnsMessage q = DnsMessage.query(0x1234, DnsMessage.FLAG_RECURSION_DESIRED, "baidu.com", DnsMessage.TYPE_A);
        assertArrayEquals(QUERY, q.encode());
        assertArrayEquals(DATAGRAM, new UdpDatagram(40000, 53, QUERY).encode(GUEST, SERVER));
        assertTrue(UdpDatagram.checksumValid(DATAGRAM, GUEST, SERVER));
        assertFalse(UdpDatagram.checksumValid(DATAGRAM, GUEST, Ipv4Address.parse("10.0.2.4")));
    }

    @Test
    void parsesTheDatagramAndTheQuery() {
        UdpDatagram d = UdpDatagram.parse(DATAGRAM);
        assertEquals(40000, d.sourcePort());
        assertEquals(53, d.destinationPort());
        DnsMessage q = DnsMessage.parse(d.payload());
        assertEquals(List.of(new DnsMessage.Question("baidu.com", DnsMessage.TYPE_A, DnsMessage.CLASS_IN)),
                q.questions());
        assertFalse(q.isResponse());
    }

    @Test
    void responsesCompressTheAnswersNameAndParseBack() {
        DnsMessage r = new DnsMessage(0x1234, 0x8180, List.of(new DnsMessage.Question("baidu.com", 1, 1)),
                List.of(DnsMessage.ResourceRecord.a("baidu.com", 300, new byte[] {111, 13, 101, (byte) 208})),
                List.of(), List.of());
        assertArrayEquals(RESPONSE, r.encode());
        DnsMessage back = DnsMessage.parse(RESPONSE);
        assertEquals("baidu.com", back.answers().get(0).name());
        assertEquals(300, back.answers().get(0).ttl());
        assertEquals(DnsMessage.RCODE_NOERROR, back.rcode());
    }

    @Test
    void aliasTargetsAreCompressedAgainstWhatCameBefore() {
        DnsMessage r = new DnsMessage(1, 0x8180, List.of(new DnsMessage.Question("www.baidu.com", 1, 1)),
                List.of(DnsMessage.ResourceRecord.name("www.baidu.com", DnsMessage.TYPE_CNAME, 300, "www.a.shifen.com"),
                        DnsMessage.ResourceRecord.a("www.a.shifen.com", 300, new byte[] {110, (byte) 242, 68, 3})),
                List.of(), List.of());
        DnsMessage back = DnsMessage.parse(r.encode());
        assertEquals("www.a.shifen.com", back.answers().get(0).targetName());
        assertEquals("www.a.shifen.com", back.answers().get(1).name());
    }
}
