package dev.ipsim.kernel.bridge;

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
import dev.ipsim.kernel.addr.MacAddress;
import dev.ipsim.kernel.link.LinkSpec;
import dev.ipsim.kernel.link.NetDevice;
import dev.ipsim.kernel.time.VirtualClock;
import org.junit.jupiter.api.Test;

/** The bridge's rules: its address, its carrier, its ports' states, learning and ageing. */
class BridgeTest {

    private final Kernel kernel = new Kernel(11, 0, 2);
    private final NetNamespace ns = kernel.initNamespace();

    private Bridge bridge(String name, String address) {
        LinkSpec spec = new LinkSpec();
        spec.name = name;
        spec.address = address == null ? null : MacAddress.parse(address);
        return ns.addBridge(spec);
    }

    private NetDevice[] veth(String a, String macA, String b, String macB) {
        LinkSpec self = new LinkSpec();
        self.name = a;
        self.address = MacAddress.parse(macA);
        LinkSpec peer = new LinkSpec();
        peer.name = b;
        peer.address = MacAddress.parse(macB);
        return new NetDevice[] {ns.addVeth(self, peer, null), ns.device(b)};
    }

    private void set(NetDevice dev, Boolean up, NetDevice master, boolean nomaster) {
        LinkSpec s = new LinkSpec();
        s.up = up;
        s.master = master;
        s.nomaster = nomaster;
        ns.setLink(dev, s);
    }

    @Test
    void takesItsLowestPortAddressAndZerosWithoutPorts() {
        Bridge br = bridge("br0", null);
        NetDevice[] a = veth("a0", "02:00:00:00:00:20", "a1", "02:00:00:00:00:21");
        NetDevice[] b = veth("b0", "02:00:00:00:00:05", "b1", "02:00:00:00:00:06");
        set(a[0], null, br, false);
        assertEquals(MacAddress.parse("02:00:00:00:00:20"), br.address());
        set(b[0], null, br, false);
        assertEquals(MacAddress.parse("02:00:00:00:00:05"), br.address());
        set(b[0], null, null, true);
        assertEquals(MacAddress.parse("02:00:00:00:00:20"), br.address());
        set(a[0], null, null, true);
        assertTrue(br.address().isZero());
    }

    @Test
    void keepsAnAddressTheUserGave() {
        Bridge br = bridge("br0", "02:00:00:00:00:01");
        NetDevice[] a = veth("a0", "02:00:00:00:00:00", "a1", "02:00:00:00:00:21");
        set(a[0], null, br, false);
        assertEquals(MacAddress.parse("02:00:00:00:00:01"), br.address());
        assertNull(br.find(MacAddress.parse("02:00:00:00:00:01")).port(), "the bridge's own local entry");
    }

    @Test
    void hasCarrierWhileAPortForwards() {
        Bridge br = bridge("br0", null);
        set(br, true, null, false);
        assertTrue(br.hasCarrier(), "a new bridge keeps its carrier until a port state selection");
        NetDevice[] a = veth("a0", "02:00:00:00:00:20", "a1", "02:00:00:00:00:21");
        set(a[0], null, br, false);
        assertFalse(br.hasCarrier());
        set(a[0], true, null, false);
        set(a[1], true, null, false);
        assertEquals(BridgePort.State.FORWARDING, br.port(a[0]).state());
        assertTrue(br.hasCarrier());
        set(a[1], false, null, false);
        assertEquals(BridgePort.State.DISABLED, br.port(a[0]).state());
        assertFalse(br.hasCarrier());
    }

    @Test
    void refusesBridgesLoopbackAndSecondMasters() {
        Bridge br = bridge("br0", null);
        Bridge other = bridge("br1", null);
        KernelException e = assertThrows(KernelException.class, () -> set(other, null, br, false));
        assertEquals(Errno.ELOOP, e.errno());
        assertEquals(Errno.EINVAL, assertThrows(KernelException.class,
                () -> set(ns.loopback(), null, br, false)).errno());
        NetDevice[] a = veth("a0", "02:00:00:00:00:20", "a1", "02:00:00:00:00:21");
        assertEquals(Errno.ENOTSUP, assertThrows(KernelException.class, () -> set(a[0], null, a[1], false)).errno());
        set(a[0], null, br, false);
        set(a[0], null, other, false);
        assertSame(other, a[0].master(), "a new master takes the port from the old");
        assertNull(br.port(a[0]));
    }

    @Test
    void learnsForwardsAndForgetsAfterTheAgeingTime() {
        // no IPv6: its router solicitations (backing off, never ending) would refresh the entries
        ns.sysctls().write("net/ipv6/conf/all/disable_ipv6", "1");
        ns.sysctls().write("net/ipv6/conf/default/disable_ipv6", "1");
        Bridge br = bridge("br0", null);
        set(br, true, null, false);
        NetDevice[] a = veth("a0", "02:00:00:00:00:20", "a1", "02:00:00:00:00:21");
        NetDevice[] b = veth("b0", "02:00:00:00:00:30", "b1", "02:00:00:00:00:31");
        NetDevice[] c = veth("c0", "02:00:00:00:00:40", "c1", "02:00:00:00:00:41");
        for (NetDevice[] pair : new NetDevice[][] {a, b, c}) {
            set(pair[0], true, br, false);
            set(pair[1], true, null, false);
        }
        // a frame from behind a0 to an unknown address: learned, flooded to b and c
        byte[] frame = frame("02:00:00:00:00:99", "02:00:00:00:00:21");
        long bBefore = b[0].stats().txPackets;
        long cBefore = c[0].stats().txPackets;
        kernel.packets().transmit(a[1], frame);
        kernel.settle();
        assertSame(br.port(a[0]), br.find(MacAddress.parse("02:00:00:00:00:21")).port());
        assertEquals(bBefore + 1, b[0].stats().txPackets);
        assertEquals(cBefore + 1, c[0].stats().txPackets);
        // the answer goes only where the address was learned
        long aBefore = a[0].stats().txPackets;
        cBefore = c[0].stats().txPackets;
        kernel.packets().transmit(b[1], frame("02:00:00:00:00:21", "02:00:00:00:00:31"));
        kernel.settle();
        assertEquals(aBefore + 1, a[0].stats().txPackets);
        assertEquals(cBefore, c[0].stats().txPackets);
        kernel.advance(299L * VirtualClock.NANOS_PER_SECOND);
        assertTrue(br.find(MacAddress.parse("02:00:00:00:00:21")) != null, "not yet");
        // the gc work runs on the timer wheel, whose slack this far out is some 16 s
        kernel.advance(30L * VirtualClock.NANOS_PER_SECOND);
        assertNull(br.find(MacAddress.parse("02:00:00:00:00:21")), "aged out");
        assertTrue(br.find(MacAddress.parse("02:00:00:00:00:20")).isLocal(), "local entries stay");
    }

    private static byte[] frame(String to, String from) {
        byte[] f = new byte[60];
        MacAddress.parse(to).writeTo(f, 0);
        MacAddress.parse(from).writeTo(f, 6);
        f[12] = (byte) 0x88;
        f[13] = (byte) 0xb5; // a local experimental ethertype no stack answers
        return f;
    }
}
