package dev.ipsim.kernel.ipv4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ipsim.kernel.Errno;
import dev.ipsim.kernel.Kernel;
import dev.ipsim.kernel.KernelException;
import dev.ipsim.kernel.NetNamespace;
import dev.ipsim.kernel.addr.Ipv4Address;
import dev.ipsim.kernel.link.LinkSpec;
import dev.ipsim.kernel.link.NetDevice;
import dev.ipsim.kernel.route.Route;
import dev.ipsim.kernel.route.RouteTableId;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Primary and secondary IPv4 addresses, their deletion and promotion (oracle: addr-secondaries). */
class Ipv4SecondariesTest {

    private NetNamespace ns;
    private NetDevice veth0;

    @BeforeEach
    void setUp() {
        ns = new Kernel(1, 0, 2).initNamespace();
        LinkSpec self = new LinkSpec();
        self.name = "veth0";
        LinkSpec peer = new LinkSpec();
        peer.name = "veth1";
        veth0 = ns.addVeth(self, peer, null);
        LinkSpec up = new LinkSpec();
        up.up = true;
        ns.setLink(veth0, up);
        ns.setLink(ns.device("veth1"), up);
    }

    private void add(String address, int prefixLength) {
        Ipv4.AddressRequest r = new Ipv4.AddressRequest();
        r.local = Ipv4Address.parse(address);
        r.prefixLength = prefixLength;
        ns.ipv4().addAddress(veth0, r, false, true);
    }

    private void delete(String address, int prefixLength) {
        Ipv4.AddressMatch m = new Ipv4.AddressMatch();
        m.local = Ipv4Address.parse(address);
        m.address = m.local;
        m.prefixLength = prefixLength;
        ns.ipv4().deleteAddress(veth0, m);
    }

    private List<String> addresses() {
        return veth0.ipv4().addresses().stream()
                .map(a -> a.local() + "/" + a.prefixLength() + (a.isSecondary() ? " secondary" : "")).toList();
    }

    private List<String> mainRoutes() {
        return ns.ipv4().tables().table(RouteTableId.MAIN).routes().stream()
                .map(r -> r.destination() + " src " + r.preferredSource()).toList();
    }

    @Test
    void primariesComeBeforeSecondaries() {
        add("10.1.0.1", 24);
        add("10.1.0.2", 24);
        add("10.1.0.3", 24);
        add("10.2.0.1", 16);
        add("10.2.0.2", 16);
        assertEquals(List.of("10.1.0.1/24", "10.2.0.1/16", "10.1.0.2/24 secondary", "10.1.0.3/24 secondary",
                "10.2.0.2/16 secondary"), addresses());
    }

    @Test
    void deletingAPrimaryTakesItsSecondariesAlong() {
        add("10.1.0.1", 24);
        add("10.1.0.2", 24);
        add("10.2.0.1", 16);
        add("10.2.0.2", 16);
        delete("10.1.0.1", 24);
        assertEquals(List.of("10.2.0.1/16", "10.2.0.2/16 secondary"), addresses());
        assertEquals(List.of("10.2.0.0/16 src 10.2.0.1"), mainRoutes());
    }

    @Test
    void promoteSecondariesMakesTheNextOneThePrimary() {
        add("10.2.0.1", 16);
        add("10.2.0.2", 16);
        add("10.1.0.1", 24);
        add("10.1.0.2", 24);
        add("10.1.0.3", 24);
        ns.sysctls().write("net/ipv4/conf/veth0/promote_secondaries", "1");
        delete("10.1.0.1", 24);
        // the promoted address takes the deleted one's place among the primaries
        assertEquals(List.of("10.2.0.1/16", "10.1.0.2/24", "10.2.0.2/16 secondary", "10.1.0.3/24 secondary"),
                addresses());
        assertEquals(List.of("10.1.0.0/24 src 10.1.0.2", "10.2.0.0/16 src 10.2.0.1"), mainRoutes());
        List<String> local = ns.ipv4().tables().table(RouteTableId.LOCAL).routes().stream()
                .filter(r -> r.device() == veth0).map(Route::toString).toList();
        assertEquals(6, local.size());
    }

    @Test
    void aSecondaryMustHaveItsPrimarysScope() {
        add("10.6.0.2", 24);
        Ipv4.AddressRequest r = new Ipv4.AddressRequest();
        r.local = Ipv4Address.parse("10.6.0.1");
        r.prefixLength = 24;
        r.scope = dev.ipsim.kernel.Scope.LINK;
        KernelException e = assertThrows(KernelException.class, () -> ns.ipv4().addAddress(veth0, r, false, true));
        assertEquals(Errno.EINVAL, e.errno());
        assertEquals("ipv4: Invalid scope value", e.extack().orElseThrow());
    }

    @Test
    void aDuplicateIsRefusedWithTheKernelsMessage() {
        add("10.0.0.1", 8);
        KernelException e = assertThrows(KernelException.class, () -> add("10.0.0.1", 8));
        assertEquals("ipv4: Address already assigned", e.extack().orElseThrow());
    }
}
