package dev.ipsim.kernel.inet;

import dev.ipsim.kernel.Kernel;
import dev.ipsim.kernel.NetNamespace;
import dev.ipsim.kernel.addr.Ipv4Address;
import dev.ipsim.kernel.addr.MacAddress;
import dev.ipsim.kernel.capture.CapturedFrame;
import dev.ipsim.kernel.ipv4.Ipv4;
import dev.ipsim.kernel.link.LinkSpec;
import dev.ipsim.kernel.link.NetDevice;
import dev.ipsim.kernel.time.VirtualClock;
import java.util.ArrayList;
import java.util.List;

/** A small machine for packet tests: one namespace, lo up, helpers for veth pairs and addresses. */
final class Lab {

    final Kernel kernel = new Kernel(7, 0, 2);
    final NetNamespace ns = kernel.initNamespace();

    Lab() {
        up(ns.loopback());
    }

    NetDevice[] vethPair(String a, String b) {
        LinkSpec self = new LinkSpec();
        self.name = a;
        LinkSpec peer = new LinkSpec();
        peer.name = b;
        NetDevice dev = ns.addVeth(self, peer, null);
        return new NetDevice[] {dev, ns.device(b)};
    }

    void up(NetDevice dev) {
        LinkSpec up = new LinkSpec();
        up.up = true;
        ns.setLink(dev, up);
    }

    void down(NetDevice dev) {
        LinkSpec down = new LinkSpec();
        down.up = false;
        ns.setLink(dev, down);
    }

    void address(NetDevice dev, String cidr) {
        String[] p = cidr.split("/");
        Ipv4.AddressRequest r = new Ipv4.AddressRequest();
        r.local = Ipv4Address.parse(p[0]);
        r.prefixLength = Integer.parseInt(p[1]);
        ns.ipv4().addAddress(dev, r, false, true);
    }

    void sysctl(String path, String value) {
        ns.sysctls().write(path, value);
    }

    void sleep(double seconds) {
        kernel.advance((long) (seconds * VirtualClock.NANOS_PER_SECOND));
    }

    Ipv4Stack ipv4() {
        return ns.stack().ipv4();
    }

    /** Records every frame seen on a device. */
    List<CapturedFrame> capture(NetDevice dev) {
        List<CapturedFrame> frames = new ArrayList<>();
        kernel.packets().subscribe(dev, frames::add);
        return frames;
    }

    static MacAddress mac(String s) {
        return MacAddress.parse(s);
    }
}
