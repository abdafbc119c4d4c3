package dev.ipsim.kernel.ovs;

import dev.ipsim.kernel.addr.MacAddress;
import dev.ipsim.kernel.link.NetDevice;
import dev.ipsim.kernel.link.RxHandler;
import dev.ipsim.kernel.time.VirtualClock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One Open vSwitch bridge at work: its ports as the datapath sees them, and the {@code NORMAL}
 * action ovs-vswitchd installs by default, a learning switch ({@code ofproto-dpif-xlate.c},
 * {@code mac-learning.c}): sources are learned per port for {@code mac-aging-time} (300 s), a
 * known unicast destination gets the frame on its port, everything else is flooded to every
 * other port, the bridge's local port included. Reserved 802.1D group addresses
 * (01:80:c2:00:00:0x, BPDUs) are dropped, as without {@code other_config:forward-bpdu}.
 */
public final class OvsSwitch implements RxHandler {

    /** {@code MAC_ENTRY_DEFAULT_IDLE_TIME}. */
    static final long MAC_AGING_NANOS = 300L * VirtualClock.NANOS_PER_SECOND;

    private final OpenVswitch daemon;
    private final String name;
    private final OvsUuid uuid;
    private final OvsInternalPort local;
    /** The datapath ports, by OpenFlow port number, in the order they were added. */
    private final Map<Integer, NetDevice> ports = new LinkedHashMap<>();

    private record MacEntry(int ofport, long seenNanos) {
    }

    private final Map<MacAddress, MacEntry> macs = new LinkedHashMap<>();

    OvsSwitch(OpenVswitch daemon, String name, OvsUuid uuid, OvsInternalPort local) {
        this.daemon = daemon;
        this.name = name;
        this.uuid = uuid;
        this.local = local;
        local.setOwner(this);
    }

    public String name() {
        return name;
    }

    OvsUuid uuid() {
        return uuid;
    }

    OvsInternalPort local() {
        return local;
    }

    Map<Integer, NetDevice> ports() {
        return ports;
    }

    /** {@code OFPP_LOCAL}. */
    static final int OFPP_LOCAL = 65534;

    int ofportOf(NetDevice dev) {
        for (Map.Entry<Integer, NetDevice> e : ports.entrySet()) {
            if (e.getValue() == dev) {
                return e.getKey();
            }
        }
        return -1;
    }

    void forget(int ofport) {
        ports.remove(ofport);
        macs.values().removeIf(m -> m.ofport() == ofport);
    }

    /** {@code netdev_frame_hook}: a frame received on a port device goes into the switch. */
    @Override
    public boolean handleFrame(NetDevice dev, byte[] frame) {
        receive(dev, frame);
        return true;
    }

    /** The datapath received {@code frame} on {@code dev}'s port: the NORMAL action decides. */
    void receive(NetDevice dev, byte[] frame) {
        int in = ofportOf(dev);
        if (in < 0 || frame.length < 14) {
            return;
        }
        MacAddress destination = MacAddress.ofBytes(frame, 0);
        MacAddress source = MacAddress.ofBytes(frame, 6);
        if ((destination.bits() & ~0xFL) == 0x0180_C200_0000L) {
            return;
        }
        long now = daemon.kernel().clock().nanos();
        if (source.isValidUnicast()) {
            macs.put(source, new MacEntry(in, now));
        }
        if (!destination.isMulticast()) {
            MacEntry e = macs.get(destination);
            if (e != null && now - e.seenNanos() < MAC_AGING_NANOS && ports.containsKey(e.ofport())) {
                if (e.ofport() != in) {
                    output(e.ofport(), frame);
                }
                return;
            }
        }
        for (int port : new ArrayList<>(ports.keySet())) {
            if (port != in) {
                output(port, frame);
            }
        }
    }

    private void output(int ofport, byte[] frame) {
        NetDevice dev = ports.get(ofport);
        if (dev == null) {
            return;
        }
        if (dev instanceof OvsInternalPort internal) {
            internal.deliver(frame.clone());
        } else {
            daemon.kernel().packets().transmit(dev, frame.clone());
        }
    }

    /** The learned addresses with their ports, for {@code ovs-appctl fdb/show}. */
    List<Map.Entry<MacAddress, Integer>> learned() {
        List<Map.Entry<MacAddress, Integer>> out = new ArrayList<>();
        macs.forEach((m, e) -> out.add(Map.entry(m, e.ofport())));
        return out;
    }
}
