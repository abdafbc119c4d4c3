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

    /** A learned address is learned in one VLAN ({@code mac_learning}'s key is MAC and VLAN). */
    private record MacKey(int vlan, MacAddress mac) {
    }

    private final Map<MacKey, MacEntry> macs = new LinkedHashMap<>();

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
        // input_vid_to_vlan: an access port's frames are in its VLAN (and it drops tagged ones),
        // a trunk port's in their 802.1Q tag's, untagged ones in VLAN 0, if the port trunks it
        boolean tagged = frame.length >= 18 && (frame[12] & 0xFF) == 0x81 && frame[13] == 0;
        int vid = tagged ? ((frame[14] & 0x0F) << 8) | (frame[15] & 0xFF) : 0;
        OvsDatabase.Port config = daemon.portConfig(uuid, dev.name());
        int vlan;
        if (config != null && config.tag != null) {
            if (vid != 0) {
                return;
            }
            vlan = config.tag;
        } else {
            vlan = vid;
            if (config != null && !config.trunks.isEmpty() && !config.trunks.contains(vlan)) {
                return;
            }
        }
        if (tagged) {
            frame = untag(frame);
        }
        long now = daemon.kernel().clock().nanos();
        if (source.isValidUnicast()) {
            macs.put(new MacKey(vlan, source), new MacEntry(in, now));
        }
        if (!destination.isMulticast()) {
            MacEntry e = macs.get(new MacKey(vlan, destination));
            if (e != null && now - e.seenNanos() < MAC_AGING_NANOS && ports.containsKey(e.ofport())) {
                if (e.ofport() != in) {
                    output(e.ofport(), frame, vlan);
                }
                return;
            }
        }
        for (int port : new ArrayList<>(ports.keySet())) {
            if (port != in) {
                output(port, frame, vlan);
            }
        }
    }

    private static byte[] untag(byte[] frame) {
        byte[] out = new byte[frame.length - 4];
        System.arraycopy(frame, 0, out, 0, 12);
        System.arraycopy(frame, 16, out, 12, frame.length - 16);
        return out;
    }

    private static byte[] tag(byte[] frame, int vlan) {
        byte[] out = new byte[frame.length + 4];
        System.arraycopy(frame, 0, out, 0, 12);
        out[12] = (byte) 0x81;
        out[13] = 0;
        out[14] = (byte) ((vlan >> 8) & 0x0F);
        out[15] = (byte) vlan;
        System.arraycopy(frame, 12, out, 16, frame.length - 12);
        return out;
    }

    /**
     * {@code output_normal}: a frame of {@code vlan} leaves an access port of that VLAN untagged
     * and a trunk port that carries it tagged (untagged in VLAN 0); other ports never see it.
     */
    private void output(int ofport, byte[] frame, int vlan) {
        NetDevice dev = ports.get(ofport);
        if (dev == null) {
            return;
        }
        OvsDatabase.Port config = daemon.portConfig(uuid, dev.name());
        if (config != null && config.tag != null) {
            if (config.tag != vlan) {
                return;
            }
        } else {
            if (config != null && !config.trunks.isEmpty() && !config.trunks.contains(vlan)) {
                return;
            }
            if (vlan != 0) {
                frame = tag(frame, vlan);
            }
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
        macs.forEach((m, e) -> out.add(Map.entry(m.mac(), e.ofport())));
        return out;
    }
}
