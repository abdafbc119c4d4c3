package dev.ipsim.kernel.ipv6;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ipsim.kernel.Kernel;
import dev.ipsim.kernel.KernelException;
import dev.ipsim.kernel.NetNamespace;
import dev.ipsim.kernel.addr.Ipv6Address;
import dev.ipsim.kernel.addr.MacAddress;
import dev.ipsim.kernel.ipv4.AddressFlags;
import dev.ipsim.kernel.link.LinkSpec;
import dev.ipsim.kernel.link.NetDevice;
import dev.ipsim.kernel.time.VirtualClock;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The order of a device's IPv6 addresses and what DAD does to them (oracle: addr-ipv6). */
class Ipv6AddressOrderTest {

    private Kernel kernel;
    private NetNamespace ns;
    private NetDevice veth0;

    @BeforeEach
    void setUp() {
        kernel = new Kernel(1, 0, 2);
        ns = kernel.initNamespace();
        LinkSpec self = new LinkSpec();
        self.name = "veth0";
        self.address = MacAddress.parse("02:00:00:00:00:01");
        LinkSpec peer = new LinkSpec();
        peer.name = "veth1";
        veth0 = ns.addVeth(self, peer, null);
        LinkSpec up = new LinkSpec();
        up.up = true;
        ns.setLink(veth0, up);
        ns.setLink(ns.device("veth1"), up);
        kernel.advance(3 * VirtualClock.NANOS_PER_SECOND);
    }

    private void add(String address, int prefixLength) {
        Ipv6.AddressRequest r = new Ipv6.AddressRequest();
        r.local = Ipv6Address.parse(address);
        r.prefixLength = prefixLength;
        r.flags = AddressFlags.NODAD;
        ns.ipv6().newAddress(veth0, r, false, true);
    }

    private List<String> addresses() {
        return veth0.ipv6().addresses().stream().map(a -> a.address().toString()).toList();
    }

    @Test
    void widerScopesComeFirstAndNewerAddressesFirstWithinAScope() {
        add("2001:db8::1", 64);
        add("fec0::1", 64);
        add("2001:db8:1::1", 64);
        add("fe80::1", 64);
        add("fd00::1", 64);
        assertEquals(List.of("fd00::1", "2001:db8:1::1", "2001:db8::1", "fec0::1", "fe80::1", "fe80::ff:fe00:1"),
                addresses());
    }

    @Test
    void anAddressIsTentativeUntilDadIsDone() {
        Ipv6.AddressRequest r = new Ipv6.AddressRequest();
        r.local = Ipv6Address.parse("2001:db8:2::1");
        r.prefixLength = 64;
        Inet6IfAddr ifa = ns.ipv6().newAddress(veth0, r, false, true);
        assertEquals(true, ifa.isTentative());
        kernel.advance(3 * VirtualClock.NANOS_PER_SECOND);
        assertEquals(false, ifa.isTentative());
    }

    @Test
    void theSameAddressTwiceIsRefused() {
        add("2001:db8::1", 64);
        KernelException e = assertThrows(KernelException.class, () -> add("2001:db8::1", 80));
        assertEquals("ipv6: address already assigned", e.extack().orElseThrow());
    }

    @Test
    void multicastAndLoopbackAddressesAreRefused() {
        assertEquals("ipv6: Cannot assign multicast address without \"IFA_F_MCAUTOJOIN\" flag",
                assertThrows(KernelException.class, () -> add("ff02::5", 64)).extack().orElseThrow());
        assertEquals("ipv6: Cannot assign loopback address on this device",
                assertThrows(KernelException.class, () -> add("::1", 128)).extack().orElseThrow());
    }
}
