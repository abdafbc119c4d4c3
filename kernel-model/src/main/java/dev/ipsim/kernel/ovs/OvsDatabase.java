package dev.ipsim.kernel.ovs;

import java.util.ArrayList;
import java.util.List;

/**
 * The part of Open vSwitch's configuration database ({@code vswitch.ovsschema}) that
 * {@code ovs-vsctl}'s bridge and port commands touch: the {@code Open_vSwitch} row, its bridges,
 * their ports and the ports' interfaces. A transaction works on a {@link #copy()} and commits it
 * whole, or not at all.
 */
public final class OvsDatabase {

    /** An {@code Interface} row. */
    public static final class Interface {
        public final OvsUuid uuid;
        public final String name;
        /** {@code type}: "" for a system device, "internal" for a port OVS makes itself. */
        public String type;
        /** {@code ofport}, -1 when the interface could not be added; {@code null} before vswitchd looked. */
        public Integer ofport;
        /** {@code error}, set by ovs-vswitchd. */
        public String error;

        public Interface(OvsUuid uuid, String name, String type) {
            this.uuid = uuid;
            this.name = name;
            this.type = type;
        }

        Interface copy() {
            Interface i = new Interface(uuid, name, type);
            i.ofport = ofport;
            i.error = error;
            return i;
        }
    }

    /** A {@code Port} row. */
    public static final class Port {
        public final OvsUuid uuid;
        public final String name;
        public final List<Interface> interfaces = new ArrayList<>();
        /** {@code tag}: the access port's VLAN, or {@code null}. */
        public Integer tag;
        /** {@code trunks}: the VLANs a trunk port carries; empty for all of them. */
        public final List<Integer> trunks = new ArrayList<>();

        public Port(OvsUuid uuid, String name) {
            this.uuid = uuid;
            this.name = name;
        }

        Port copy() {
            Port p = new Port(uuid, name);
            p.tag = tag;
            p.trunks.addAll(trunks);
            for (Interface i : interfaces) {
                p.interfaces.add(i.copy());
            }
            return p;
        }
    }

    /** A {@code Bridge} row. */
    public static final class Bridge {
        public final OvsUuid uuid;
        public final String name;
        public final List<Port> ports = new ArrayList<>();

        public Bridge(OvsUuid uuid, String name) {
            this.uuid = uuid;
            this.name = name;
        }

        Bridge copy() {
            Bridge b = new Bridge(uuid, name);
            for (Port p : ports) {
                b.ports.add(p.copy());
            }
            return b;
        }

        public Port port(String portName) {
            for (Port p : ports) {
                if (p.name.equals(portName)) {
                    return p;
                }
            }
            return null;
        }
    }

    /** The {@code Open_vSwitch} row's UUID. */
    public final OvsUuid uuid;
    /** {@code ovs_version}, as {@code ovs-ctl} sets it when it starts the daemons. */
    public final String ovsVersion;
    public final List<Bridge> bridges = new ArrayList<>();

    public OvsDatabase(OvsUuid uuid, String ovsVersion) {
        this.uuid = uuid;
        this.ovsVersion = ovsVersion;
    }

    public OvsDatabase copy() {
        OvsDatabase d = new OvsDatabase(uuid, ovsVersion);
        for (Bridge b : bridges) {
            d.bridges.add(b.copy());
        }
        return d;
    }

    public Bridge bridge(String name) {
        for (Bridge b : bridges) {
            if (b.name.equals(name)) {
                return b;
            }
        }
        return null;
    }
}
