package dev.ipsim.kernel.netns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipsim.kernel.Errno;
import dev.ipsim.kernel.Kernel;
import dev.ipsim.kernel.KernelException;
import dev.ipsim.kernel.NetNamespace;
import dev.ipsim.kernel.link.LinkSpec;
import dev.ipsim.kernel.link.NetDevice;
import dev.ipsim.kernel.link.Veth;
import org.junit.jupiter.api.Test;

/** Moving devices between namespaces, the ids namespaces give each other, and their end. */
class NamespaceMoveTest {

    private final Kernel kernel = new Kernel(3, 0, 2);
    private final NetNamespace init = kernel.initNamespace();

    private NetNamespace named() {
        NetNamespace ns = kernel.createNamespace();
        ns.hold();
        return ns;
    }

    private Veth veth(NetNamespace in, String a, String b) {
        LinkSpec self = new LinkSpec();
        self.name = a;
        LinkSpec peer = new LinkSpec();
        peer.name = b;
        return in.addVeth(self, peer, null);
    }

    @Test
    void aMoveKeepsTheIndexUnlessTakenAndGivesIdsAsTheKernelDoes() {
        NetNamespace ns1 = named();
        NetNamespace ns2 = named();
        Veth va = veth(init, "va", "vb");
        NetDevice vb = va.peer();
        int index = va.ifindex();
        init.moveDevice(va, ns1, null, null);
        assertSame(ns1, va.namespace());
        assertEquals(index, va.ifindex());
        assertNull(init.device("va"));
        // the source gives the target an id, the target the link's namespace (init)
        assertEquals(0, init.nsidOf(ns1));
        assertEquals(0, ns1.nsidOf(init));
        init.moveDevice(vb, ns2, null, null);
        assertEquals(1, init.nsidOf(ns2));
        assertEquals(0, ns2.nsidOf(ns1), "vb's link (va) is in ns1");
        assertEquals(-1, ns1.nsidOf(ns2), "nothing has told ns1 about ns2 yet");
        assertEquals(1, ns1.linkNetnsid(va), "a dump does");
    }

    @Test
    void refusals() {
        NetNamespace ns1 = named();
        veth(ns1, "x0", "z0");
        Veth x = veth(init, "x0", "x1");
        KernelException e = assertThrows(KernelException.class, () -> init.moveDevice(x, ns1, null, null));
        assertEquals(Errno.EEXIST, e.errno());
        e = assertThrows(KernelException.class, () -> init.moveDevice(init.loopback(), ns1, null, null));
        assertEquals(Errno.EINVAL, e.errno());
        e = assertThrows(KernelException.class, () -> init.moveDevice(x.peer(), ns1, 1, null));
        assertEquals(Errno.EBUSY, e.errno());
        init.moveDevice(x, ns1, null, "w%d");
        assertEquals("w0", x.name(), "a taken name gives way to the request's pattern");
    }

    @Test
    void theLastReferenceDestroysTheNamespaceAndTheVethPeerGoesWithIt() {
        NetNamespace ns1 = named();
        Veth v = veth(init, "v0", "v1");
        NetDevice peer = v.peer();
        init.moveDevice(peer, ns1, null, null);
        assertEquals(0, init.nsidOf(ns1));
        ns1.release();
        assertTrue(ns1.isDead());
        assertFalse(v.isRegistered());
        assertNull(init.device("v0"));
        assertEquals(-1, init.nsidOf(ns1), "the id goes with the namespace");
    }

    @Test
    void aMovedDeviceLosesItsAddressesAndComesUpDown() {
        NetNamespace ns1 = named();
        Veth v = veth(init, "v0", "v1");
        LinkSpec up = new LinkSpec();
        up.up = true;
        init.setLink(v, up);
        dev.ipsim.kernel.ipv4.Ipv4.AddressRequest r = new dev.ipsim.kernel.ipv4.Ipv4.AddressRequest();
        r.local = dev.ipsim.kernel.addr.Ipv4Address.parse("10.0.0.1");
        r.prefixLength = 24;
        init.ipv4().addAddress(v, r, false, true);
        init.moveDevice(v, ns1, null, null);
        assertFalse(v.isUp());
        assertTrue(v.ipv4().addresses().isEmpty());
        assertEquals("noop", v.qdisc());
    }
}
