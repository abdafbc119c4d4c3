package dev.ipsim.kernel.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipsim.kernel.Errno;
import dev.ipsim.kernel.Kernel;
import dev.ipsim.kernel.KernelException;
import dev.ipsim.kernel.NetNamespace;
import org.junit.jupiter.api.Test;

/**
 * {@code ip link set DEV carrier on|off}. The oracle machine has no dummy module, so the dummy
 * half rests on the kernel source instead of a recording: {@code drivers/net/dummy.c} sets
 * {@code .ndo_change_carrier = dummy_change_carrier}, which calls
 * {@code netif_carrier_on/off}; {@code dev_change_carrier} answers EOPNOTSUPP for a driver
 * without it, which the veth half of oracle/recorded/link-set-partial shows.
 */
class DummyCarrierTest {

    @Test
    void aDummyTakesCarrierChanges() {
        NetNamespace ns = new Kernel(1, 0, 2).initNamespace();
        LinkSpec spec = new LinkSpec();
        spec.name = "dummy0";
        spec.up = true;
        Dummy d = ns.addDummy(spec);
        assertEquals(OperState.UNKNOWN, d.operState());
        LinkSpec off = new LinkSpec();
        off.carrier = false;
        ns.setLink(d, off);
        assertFalse(d.hasCarrier());
        assertEquals(OperState.DOWN, d.operState());
        LinkSpec on = new LinkSpec();
        on.carrier = true;
        ns.setLink(d, on);
        assertTrue(d.hasCarrier());
        assertEquals(OperState.UP, d.operState());
    }

    @Test
    void aVethRefusesThem() {
        NetNamespace ns = new Kernel(1, 0, 2).initNamespace();
        LinkSpec self = new LinkSpec();
        self.name = "v0";
        Veth v = ns.addVeth(self, null, null);
        LinkSpec off = new LinkSpec();
        off.carrier = false;
        assertEquals(Errno.ENOTSUP, assertThrows(KernelException.class, () -> ns.setLink(v, off)).errno());
    }
}
