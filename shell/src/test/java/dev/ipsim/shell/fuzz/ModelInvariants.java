package dev.ipsim.shell.fuzz;

import dev.ipsim.kernel.Kernel;
import dev.ipsim.kernel.NetNamespace;
import dev.ipsim.kernel.addr.IpAddress;
import dev.ipsim.kernel.addr.IpPrefix;
import dev.ipsim.kernel.bridge.Bridge;
import dev.ipsim.kernel.bridge.BridgePort;
import dev.ipsim.kernel.ipv4.InetIfAddr;
import dev.ipsim.kernel.ipv6.Inet6IfAddr;
import dev.ipsim.kernel.link.NetDevice;
import dev.ipsim.kernel.link.Veth;
import dev.ipsim.kernel.neigh.Neighbour;
import dev.ipsim.kernel.neigh.NeighbourTable;
import dev.ipsim.kernel.route.FibTable;
import dev.ipsim.kernel.route.Route;
import dev.ipsim.shell.Sandbox;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What must hold of the kernel model between any two commands, whatever they were: the
 * structure the kernel's own locking keeps consistent. Each violation is one line of text.
 */
final class ModelInvariants {

    private ModelInvariants() {
    }

    static List<String> check(Sandbox sandbox) {
        Kernel kernel = sandbox.kernel();
        List<String> bad = new ArrayList<>();
        Map<NetDevice, NetNamespace> home = new IdentityHashMap<>();
        Set<NetNamespace> namespaces = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (NetNamespace ns : kernel.namespaces()) {
            if (!namespaces.add(ns)) {
                bad.add("namespace " + ns + " listed twice");
            }
            if (ns.isDead()) {
                bad.add("dead namespace " + ns + " still listed");
            }
            if (ns != kernel.initNamespace() && sandbox.nameOf(ns) == null) {
                bad.add("namespace " + ns + " has neither a name nor a process (leaked)");
            }
        }
        for (String name : sandbox.names()) {
            NetNamespace ns = sandbox.lookup(name);
            if (!namespaces.contains(ns)) {
                bad.add("netns name " + name + " refers to a namespace the kernel no longer has");
            }
        }
        for (NetNamespace ns : kernel.namespaces()) {
            Map<Integer, NetDevice> byIndex = new HashMap<>();
            Set<String> names = new HashSet<>();
            for (NetDevice dev : ns.devices()) {
                String where = ns + " " + dev.name() + "(" + dev.ifindex() + ")";
                NetNamespace other = home.put(dev, ns);
                if (other != null) {
                    bad.add(where + " is also in " + other);
                }
                if (dev.namespace() != ns) {
                    bad.add(where + " thinks it is in " + dev.namespace());
                }
                if (byIndex.put(dev.ifindex(), dev) != null) {
                    bad.add(where + ": ifindex used twice");
                }
                if (dev.ifindex() <= 0) {
                    bad.add(where + ": ifindex not positive");
                }
                if (!names.add(dev.name())) {
                    bad.add(where + ": name used twice");
                }
                if (ns.device(dev.name()) != dev || ns.deviceByIndex(dev.ifindex()) != dev) {
                    bad.add(where + ": name or index lookup finds another device");
                }
                if (dev.name().isEmpty() || dev.name().length() > NetDevice.MAX_NAME_LENGTH) {
                    bad.add(where + ": name of length " + dev.name().length());
                }
                if (dev.mtu() < 0) {
                    bad.add(where + ": mtu " + dev.mtu());
                }
                if (dev instanceof Veth veth) {
                    Veth peer = veth.peer();
                    if (peer == null) {
                        bad.add(where + ": veth without a peer");
                    } else if (peer.peer() != veth) {
                        bad.add(where + ": its peer " + peer.name() + " points elsewhere");
                    } else if (!kernel.namespaces().contains(peer.namespace())
                            || peer.namespace().deviceByIndex(peer.ifindex()) != peer) {
                        bad.add(where + ": its peer " + peer.name() + " is in no live namespace");
                    }
                }
                NetDevice master = dev.master();
                if (master != null && (master.namespace() != ns || ns.deviceByIndex(master.ifindex()) != master)) {
                    bad.add(where + ": master " + master.name() + " is not a device of its namespace");
                }
                if (master instanceof Bridge bridge
                        && bridge.ports().stream().noneMatch(p -> p.device() == dev)) {
                    bad.add(where + ": enslaved to " + bridge.name() + " but not one of its ports");
                }
                if (dev instanceof Bridge bridge) {
                    for (BridgePort port : bridge.ports()) {
                        if (port.device().master() != bridge) {
                            bad.add(where + ": port " + port.device().name() + " has another master");
                        }
                    }
                }
                for (InetIfAddr a : dev.ipv4().addresses()) {
                    if (a.device() != dev) {
                        bad.add(where + ": address " + a.local() + " belongs to " + a.device().name());
                    }
                    if (a.prefixLength() < 0 || a.prefixLength() > 32) {
                        bad.add(where + ": address " + a.local() + "/" + a.prefixLength());
                    } else if (a.isSecondary() && dev.ipv4().addresses().stream().noneMatch(p -> !p.isSecondary()
                            && p.prefixLength() == a.prefixLength() && p.prefix().equals(a.prefix()))) {
                        // a secondary lives on its primary's subnet (the kernel promotes or deletes it)
                        bad.add(where + ": secondary " + a.local() + "/" + a.prefixLength() + " without a primary in "
                                + a.prefix());
                    }
                }
                for (Inet6IfAddr a : dev.ipv6().addresses()) {
                    if (a.device() != dev) {
                        bad.add(where + ": address " + a.address() + " belongs to " + a.device().name());
                    }
                    if (a.prefixLength() < 0 || a.prefixLength() > 128) {
                        bad.add(where + ": address " + a.address() + "/" + a.prefixLength());
                    }
                }
            }
            checkRoutes(ns, "ipv4", ns.ipv4().tables().all(), bad);
            checkRoutes(ns, "ipv6", ns.ipv6().tables().all(), bad);
            for (NeighbourTable table : ns.stack().neighbourTables()) {
                for (Neighbour n : table.entries()) {
                    NetDevice dev = n.device();
                    if (dev == null || dev.namespace() != ns || ns.deviceByIndex(dev.ifindex()) != dev) {
                        bad.add(ns + " neighbour " + n.key() + " on a device not in the namespace: "
                                + (dev == null ? "none" : dev.name()));
                    }
                    if (n.key().family() != table.family()) {
                        bad.add(ns + " neighbour " + n.key() + " in the " + table.family() + " table");
                    }
                }
            }
        }
        return bad;
    }

    private static void checkRoutes(NetNamespace ns, String family, List<FibTable> tables, List<String> bad) {
        for (FibTable table : tables) {
            for (Route r : table.routes()) {
                NetDevice dev = r.device();
                String where = ns + " " + family + " table " + Integer.toUnsignedString(table.id()) + " route "
                        + r.destination();
                if (dev != null && (dev.namespace() != ns || ns.deviceByIndex(dev.ifindex()) != dev)) {
                    bad.add(where + " on a device not in the namespace: " + dev.name());
                }
                if (r.table() != table.id()) {
                    bad.add(where + " says it is in table " + r.table());
                }
                IpPrefix dst = r.destination();
                if (!dst.network().equals(dst)) {
                    bad.add(where + ": destination has host bits");
                }
                IpAddress gw = r.gateway();
                if (gw != null && gw.family() != dst.family() && !family.equals("ipv4")) {
                    bad.add(where + ": gateway " + gw + " of another family");
                }
            }
        }
    }
}
