package dev.ipsim.kernel.ovs;

import dev.ipsim.kernel.Kernel;
import dev.ipsim.kernel.NetNamespace;
import dev.ipsim.kernel.NetdevEvent;
import dev.ipsim.kernel.NetdevListener;
import dev.ipsim.kernel.addr.MacAddress;
import dev.ipsim.kernel.link.NetDevice;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Open vSwitch on the simulated machine: ovsdb-server's configuration ({@link OvsDatabase}),
 * ovs-vswitchd (which makes the datapath agree with it after each transaction,
 * {@code bridge_reconfigure}) and the kernel's {@code openvswitch} datapath, all in the initial
 * namespace, where the daemons run.
 *
 * <p>The daemons are userspace; they live here because what they do is kernel state: the
 * datapath's own device {@code ovs-system} (made with the first bridge, gone with the last),
 * each bridge's internal port, and the system devices added as ports, enslaved to
 * {@code ovs-system} ({@code ip link} shows {@code master ovs-system}) and made promiscuous.
 * An interface whose device does not exist gets {@code ofport -1} and vswitchd's error; it is
 * added when a device of that name appears, and loses its port when the device goes.
 *
 * <p>A bridge's own MAC address is the lowest of its ports' globally administered addresses,
 * or else one made from the bridge's UUID ({@code bridge_pick_local_hw_addr}): with veth ports,
 * whose random addresses are all locally administered, it is always the latter.
 */
public final class OpenVswitch implements NetdevListener {

    /** The version the recorded machine runs (Debian 12's openvswitch-switch). */
    public static final String VERSION = "3.1.0";
    /** The schema version {@code ovs-vsctl --version} reports. */
    public static final String DB_SCHEMA = "8.3.1";
    /** The datapath every {@code system} bridge shares ({@code dpif_netlink}). */
    public static final String DATAPATH = "ovs-system";

    private final Kernel kernel;
    private final NetNamespace ns;
    private OvsDatabase db;
    private OvsInternalPort datapathDevice;
    private final Map<OvsUuid, OvsSwitch> switches = new LinkedHashMap<>();

    public OpenVswitch(Kernel kernel) {
        this.kernel = kernel;
        this.ns = kernel.initNamespace();
        this.db = new OvsDatabase(OvsUuid.random(kernel.random()), VERSION);
        ns.addNetdevListener(this);
    }

    public Kernel kernel() {
        return kernel;
    }

    /** The committed configuration; change it only through {@link #commit}. */
    public OvsDatabase database() {
        return db;
    }

    /** A new row UUID. */
    public OvsUuid newUuid() {
        return OvsUuid.random(kernel.random());
    }

    /** Commits a transaction and lets ovs-vswitchd reconfigure, as {@code ovs-vsctl} waits for it to. */
    public void commit(OvsDatabase next) {
        db = next;
        reconfigure();
        kernel.settle();
    }

    /** The switch of a bridge, by name. */
    public OvsSwitch bridgeSwitch(String name) {
        for (OvsSwitch s : switches.values()) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ bridge_reconfigure

    private void reconfigure() {
        // bridges gone from the database
        for (OvsSwitch sw : new ArrayList<>(switches.values())) {
            if (find(sw.uuid()) == null) {
                destroy(sw);
            }
        }
        for (OvsDatabase.Bridge br : db.bridges) {
            OvsSwitch sw = switches.get(br.uuid);
            if (sw == null) {
                sw = create(br);
                if (sw == null) {
                    continue;
                }
            }
            configurePorts(sw, br);
            configureMac(sw, br);
        }
        if (switches.isEmpty() && datapathDevice != null) {
            // close_dpif_backer: the last bridge takes the datapath with it
            ns.unregisterDriverDevice(datapathDevice);
            datapathDevice = null;
        }
    }

    /** The {@code Port} row of a bridge's interface, for its VLAN configuration. */
    OvsDatabase.Port portConfig(OvsUuid bridge, String iface) {
        OvsDatabase.Bridge br = find(bridge);
        if (br != null) {
            for (OvsDatabase.Port p : br.ports) {
                for (OvsDatabase.Interface i : p.interfaces) {
                    if (i.name.equals(iface)) {
                        return p;
                    }
                }
            }
        }
        return null;
    }

    private OvsDatabase.Bridge find(OvsUuid uuid) {
        for (OvsDatabase.Bridge b : db.bridges) {
            if (b.uuid.equals(uuid)) {
                return b;
            }
        }
        return null;
    }

    private OvsSwitch create(OvsDatabase.Bridge br) {
        if (datapathDevice == null) {
            datapathDevice = new OvsInternalPort(DATAPATH, MacAddress.randomLocal(kernel.random()));
            ns.registerDriverDevice(datapathDevice);
            datapathDevice.adjustPromiscuity(1); // internal_dev_create
        }
        if (ns.device(br.name) != null || !NetNamespace.validName(br.name)) {
            // the local port's device cannot be made (taken, or a name the kernel refuses)
            return null;
        }
        OvsInternalPort local = new OvsInternalPort(br.name, MacAddress.randomLocal(kernel.random()));
        ns.registerDriverDevice(local);
        local.adjustPromiscuity(1);
        OvsSwitch sw = new OvsSwitch(this, br.name, br.uuid, local);
        switches.put(br.uuid, sw);
        return sw;
    }

    private void destroy(OvsSwitch sw) {
        for (Map.Entry<Integer, NetDevice> e : new ArrayList<>(sw.ports().entrySet())) {
            detach(sw, e.getKey(), e.getValue());
        }
        switches.remove(sw.uuid());
    }

    private void detach(OvsSwitch sw, int ofport, NetDevice dev) {
        sw.forget(ofport);
        if (dev instanceof OvsInternalPort internal) {
            if (internal.isRegistered()) {
                ns.unregisterDriverDevice(internal);
            }
            return;
        }
        // ovs_netdev_detach_dev
        if (dev.rxHandler() == sw) {
            dev.setRxHandler(null);
            dev.setMaster(null);
            dev.adjustPromiscuity(-1);
        }
    }

    private void configurePorts(OvsSwitch sw, OvsDatabase.Bridge br) {
        // ports and interfaces gone from the bridge
        List<String> wanted = new ArrayList<>();
        for (OvsDatabase.Port p : br.ports) {
            for (OvsDatabase.Interface i : p.interfaces) {
                wanted.add(i.name);
            }
        }
        for (Map.Entry<Integer, NetDevice> e : new ArrayList<>(sw.ports().entrySet())) {
            if (!wanted.contains(e.getValue().name()) || !e.getValue().isRegistered()) {
                detach(sw, e.getKey(), e.getValue());
            }
        }
        for (OvsDatabase.Port p : br.ports) {
            for (OvsDatabase.Interface i : p.interfaces) {
                NetDevice present = null;
                for (NetDevice d : sw.ports().values()) {
                    if (d.name().equals(i.name)) {
                        present = d;
                    }
                }
                if (present != null) {
                    i.ofport = sw.ofportOf(present);
                    i.error = null;
                    continue;
                }
                attach(sw, i, i.name.equals(br.name) || "internal".equals(i.type));
            }
        }
    }

    /** {@code iface_do_create}: the interface's device joins the datapath, or the interface records why not. */
    private void attach(OvsSwitch sw, OvsDatabase.Interface i, boolean internal) {
        NetDevice dev;
        if (internal) {
            if (i.name.equals(sw.name())) {
                dev = sw.local();
            } else {
                NetDevice existing = ns.device(i.name);
                if (!NetNamespace.validName(i.name)) {
                    // register_netdevice refuses the name (dev_valid_name)
                    fail(i, "could not open network device " + i.name + " (Invalid argument)");
                    return;
                }
                if (existing != null) {
                    fail(i, "could not add network device " + i.name + " to ofproto (File exists)");
                    return;
                }
                OvsInternalPort port = new OvsInternalPort(i.name, MacAddress.randomLocal(kernel.random()));
                port.setOwner(sw);
                ns.registerDriverDevice(port);
                port.adjustPromiscuity(1);
                dev = port;
            }
        } else {
            dev = ns.device(i.name);
            if (dev == null) {
                fail(i, "could not open network device " + i.name + " (No such device)");
                return;
            }
            if (dev.master() != null || dev instanceof OvsInternalPort || dev.isLoopback()) {
                fail(i, "could not add network device " + i.name + " to ofproto ("
                        + (dev.isLoopback() ? "Invalid argument" : "Device or resource busy") + ")");
                return;
            }
            // ovs_netdev_link: enslaved to the datapath's device, its frames handed to the switch
            dev.setMaster(datapathDevice);
            dev.setRxHandler(sw);
            dev.adjustPromiscuity(1);
        }
        int ofport = dev == sw.local() ? OvsSwitch.OFPP_LOCAL : lowestFreeOfport(sw);
        sw.ports().put(ofport, dev);
        i.ofport = ofport;
        i.error = null;
    }

    private static void fail(OvsDatabase.Interface i, String error) {
        i.ofport = -1;
        i.error = error;
    }

    private static int lowestFreeOfport(OvsSwitch sw) {
        int n = 1;
        while (sw.ports().containsKey(n)) {
            n++;
        }
        return n;
    }

    /** {@code bridge_configure_mac}: the local port takes the bridge's address. */
    private void configureMac(OvsSwitch sw, OvsDatabase.Bridge br) {
        MacAddress chosen = null;
        for (NetDevice d : sw.ports().values()) {
            if (d == sw.local()) {
                continue;
            }
            MacAddress a = d.address();
            boolean local = (a.octet(0) & 0x02) != 0;
            if (!a.isMulticast() && !local && !a.isZero() && (chosen == null || a.compareTo(chosen) < 0)) {
                chosen = a;
            }
        }
        if (chosen == null) {
            chosen = br.uuid.defaultEthernetAddress();
        }
        if (!chosen.equals(sw.local().address())) {
            dev.ipsim.kernel.link.LinkSpec change = new dev.ipsim.kernel.link.LinkSpec();
            change.address = chosen;
            ns.setLink(sw.local(), change);
        }
    }

    // ------------------------------------------------------------------ devices coming and going

    @Override
    public void onNetdevEvent(NetdevEvent event, NetDevice dev) {
        switch (event) {
            case REGISTER -> {
                // a device an interface waits for has appeared
                for (OvsDatabase.Bridge br : db.bridges) {
                    for (OvsDatabase.Port p : br.ports) {
                        for (OvsDatabase.Interface i : p.interfaces) {
                            if (i.name.equals(dev.name()) && i.ofport != null && i.ofport == -1
                                    && !"internal".equals(i.type) && !(dev instanceof OvsInternalPort)) {
                                OvsSwitch sw = switches.get(br.uuid);
                                if (sw != null) {
                                    attach(sw, i, false);
                                    configureMac(sw, br);
                                }
                            }
                        }
                    }
                }
            }
            case UNREGISTER -> {
                if (dev instanceof OvsInternalPort) {
                    // an internal port stays in its datapath wherever it goes (netns_refund)
                    return;
                }
                for (OvsSwitch sw : switches.values()) {
                    int ofport = sw.ofportOf(dev);
                    if (ofport >= 0 && ofport != OvsSwitch.OFPP_LOCAL) {
                        detach(sw, ofport, dev);
                        OvsDatabase.Bridge br = find(sw.uuid());
                        if (br != null) {
                            for (OvsDatabase.Port p : br.ports) {
                                for (OvsDatabase.Interface i : p.interfaces) {
                                    if (i.name.equals(dev.name())) {
                                        fail(i, "could not open network device " + i.name + " (No such device)");
                                    }
                                }
                            }
                        }
                    }
                }
            }
            default -> {
            }
        }
    }
}
