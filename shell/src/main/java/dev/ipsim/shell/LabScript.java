package dev.ipsim.shell;

import dev.ipsim.commands.Invocation;
import dev.ipsim.kernel.NetNamespace;
import dev.ipsim.kernel.addr.Family;
import dev.ipsim.kernel.addr.IpPrefix;
import dev.ipsim.kernel.addr.MacAddress;
import dev.ipsim.kernel.bridge.Bridge;
import dev.ipsim.kernel.bridge.BridgePort;
import dev.ipsim.kernel.bridge.FdbEntry;
import dev.ipsim.kernel.ipv4.AddressFlags;
import dev.ipsim.kernel.ipv4.InetIfAddr;
import dev.ipsim.kernel.ipv6.Inet6IfAddr;
import dev.ipsim.kernel.link.DeviceFlags;
import dev.ipsim.kernel.link.Dummy;
import dev.ipsim.kernel.link.Ifb;
import dev.ipsim.kernel.link.Tun;
import dev.ipsim.kernel.link.NetDevice;
import dev.ipsim.kernel.link.Veth;
import dev.ipsim.kernel.neigh.Neighbour;
import dev.ipsim.kernel.ovs.OpenVswitch;
import dev.ipsim.kernel.ovs.OvsInternalPort;
import dev.ipsim.kernel.neigh.NeighbourTable;
import dev.ipsim.kernel.neigh.NudState;
import dev.ipsim.kernel.route.FibTable;
import dev.ipsim.kernel.route.NexthopFlags;
import dev.ipsim.kernel.route.Route;
import dev.ipsim.kernel.sysctl.SysctlTable;
import dev.ipsim.shell.script.Interpreter;
import dev.ipsim.shell.script.ScriptRunner;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code save FILE}: the lab as a script of ordinary commands that rebuilds it on a machine
 * booted the same way ({@code --bare} or a VM): named namespaces, devices with their kinds,
 * ifindexes, MAC addresses, masters, MTUs and states, addresses, routes in every table, policy
 * rules, neighbours (learnt ones with their state), and the sysctls that differ.
 *
 * <p>What the kernel makes by itself (loopback, the VM's NIC, kernel routes, link-local
 * addresses) is not written; the script is checked against a scratch machine instead: it is
 * replayed there step by step, and what still differs (an address, a route or a rule the user
 * deleted or added, a sysctl) is added as the commands that make the difference. A finite
 * address lifetime is written as the time it has left.
 */
public final class LabScript {

    private final Sandbox live;
    private final boolean bare;
    /** Each namespace's name in the script ({@code null} for the machine's own). */
    private final Map<NetNamespace, String> names = new IdentityHashMap<>();
    private final List<NetNamespace> order = new ArrayList<>();
    private final StringBuilder script = new StringBuilder();
    /** The Open vSwitch bridges the script has made so far. */
    private final Set<String> ovsBridges = new LinkedHashSet<>();

    private LabScript(Sandbox live) {
        this.live = live;
        this.bare = live.world() == null;
        NetNamespace init = live.kernel().initNamespace();
        names.put(init, null);
        order.add(init);
        List<String> bound = new ArrayList<>(live.names());
        java.util.Collections.reverse(bound);
        for (String name : bound) {
            NetNamespace ns = live.lookup(name);
            if (!names.containsKey(ns)) {
                names.put(ns, name);
                order.add(ns);
            }
        }
    }

    /** The script that rebuilds {@code sandbox}'s lab. */
    public static String of(Sandbox sandbox) {
        return new LabScript(sandbox).build();
    }

    private String build() {
        script.append("# ipsim lab, saved by `save`: load it with `source FILE` or `ipsim ")
                .append(bare ? "--bare " : "").append("--load FILE`\n");
        for (NetNamespace ns : order) {
            if (names.get(ns) != null) {
                line("ip netns add " + quote(names.get(ns)));
            }
        }
        // the ids namespaces know each other by (link-netnsid), given before a device needs one;
        // the machine's own namespace has no name: it gets one for the while
        String initName = null;
        for (NetNamespace ns : order) {
            for (Map.Entry<Integer, NetNamespace> e : ns.nsids().entrySet()) {
                if (e.getValue() == ns || !names.containsKey(e.getValue())) {
                    continue;
                }
                String peer = names.get(e.getValue());
                if (peer == null) {
                    if (initName == null) {
                        initName = "ipsim-save-init";
                        line("ip netns attach " + initName + " 1");
                    }
                    peer = initName;
                }
                line(ip(ns) + "netns set " + quote(peer) + " " + e.getKey());
            }
        }
        if (initName != null) {
            line("ip netns delete " + initName);
        }
        devices();
        // each step again while it still finds a difference (one change can undo another)
        repeat(this::addresses, 2);
        repeat(this::routes, 2);
        rules();
        neighbours();
        bridgeSettings();
        repeat(this::sysctls, 3);
        return script.toString();
    }

    private void repeat(Runnable step, int times) {
        for (int round = 0; round < times; round++) {
            int before = script.length();
            step.run();
            if (script.length() == before) {
                return;
            }
        }
    }

    private void line(String s) {
        script.append(s).append('\n');
    }

    private String ip(NetNamespace ns) {
        String name = names.get(ns);
        return name == null ? "ip " : "ip -n " + quote(name) + " ";
    }

    // ------------------------------------------------------------------ devices

    private void devices() {
        Set<NetDevice> done = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (NetNamespace ns : order) {
            for (NetDevice dev : ns.devices()) {
                if (done.contains(dev)) {
                    continue;
                }
                if (dev instanceof Veth veth && veth.peer() != null && names.containsKey(veth.peer().namespace())) {
                    NetNamespace here = ns;
                    NetDevice first = veth;
                    NetDevice peer = veth.peer();
                    NetNamespace there = peer.namespace();
                    if (there != here && here.nsidOf(there) < 0 && there.nsidOf(here) >= 0) {
                        // the namespace a pair is made in gives the other its id
                        // (rtnl_configure_link): made where one was given
                        here = there;
                        there = ns;
                        first = peer;
                        peer = veth;
                    }
                    done.add(peer);
                    done.add(first);
                    String peerNs = there == here ? ""
                            : " netns " + (names.get(there) == null ? "1" : quote(names.get(there)));
                    line(ip(here) + "link add " + quote(first.name()) + " index " + first.ifindex() + " address "
                            + first.address() + " type veth peer name " + quote(peer.name()) + " index "
                            + peer.ifindex() + " address " + peer.address() + peerNs);
                } else if (dev instanceof Bridge bridge) {
                    // a bridge takes its ports' lowest address unless one was set. One that never
                    // had a port keeps a random address with a bridge id of 0 (and its carrier):
                    // no command makes that again with a given address, so it gets a new random
                    // one. One whose last port went has none left: made again with a port that goes
                    boolean zero = dev.address().isZero();
                    boolean address = !zero && dev.addressAssignType() == NetDevice.NET_ADDR_SET;
                    line(ip(ns) + "link add " + quote(dev.name()) + " index " + dev.ifindex()
                            + (address ? " address " + dev.address() : "") + " type bridge");
                    // a port that came and went leaves the bridge its TSO limit too
                    if (bridge.ports().isEmpty() && (zero || dev.tsoMaxSize() != NetDevice.GSO_LEGACY_MAX_SIZE)) {
                        String port = "ipsim-save-tmp";
                        line(ip(ns) + "link add " + port + " type dummy");
                        line(ip(ns) + "link set " + port + " master " + quote(dev.name()));
                        line(ip(ns) + "link del " + port);
                    }
                } else if (dev instanceof OvsInternalPort && !dev.name().equals(OpenVswitch.DATAPATH)
                        && live.kernel().openVswitchIfStarted() != null
                        && live.kernel().openVswitchIfStarted().database().bridge(dev.name()) != null) {
                    // a bridge's internal port is made with it (the first one's datapath before it)
                    line("ovs-vsctl add-br " + quote(dev.name()));
                    ovsBridges.add(dev.name());
                } else if (dev instanceof Dummy) {
                    line(ip(ns) + "link add " + quote(dev.name()) + " index " + dev.ifindex() + " address "
                            + dev.address() + " type dummy");
                } else if (dev instanceof Ifb) {
                    line(ip(ns) + "link add " + quote(dev.name()) + " index " + dev.ifindex() + " address "
                            + dev.address() + " type ifb");
                } else if (dev instanceof Tun tun) {
                    // TUNSETIFF takes no index: the device gets the next free one, which is its own
                    // when the devices before it are made first, as here
                    int f = tun.tunFlags();
                    StringBuilder b = new StringBuilder(ip(ns) + "tuntap add dev " + quote(dev.name()) + " mode "
                            + (tun.isTap() ? "tap" : "tun"));
                    if ((f & Tun.IFF_NO_PI) == 0) {
                        b.append(" pi");
                    }
                    if ((f & Tun.IFF_ONE_QUEUE) != 0) {
                        b.append(" one_queue");
                    }
                    if ((f & Tun.IFF_VNET_HDR) != 0) {
                        b.append(" vnet_hdr");
                    }
                    if ((f & Tun.IFF_MULTI_QUEUE) != 0) {
                        b.append(" multi_queue");
                    }
                    if (tun.owner() != -1) {
                        b.append(" user ").append(tun.owner());
                    }
                    if (tun.ownerGroup() != -1) {
                        b.append(" group ").append(tun.ownerGroup());
                    }
                    line(b.toString());
                    if (tun.isTap()) {
                        line(ip(ns) + "link set " + quote(dev.name()) + " address " + dev.address());
                    }
                }
                done.add(dev);
            }
        }
        openVswitch();
        for (NetNamespace ns : order) {
            for (NetDevice dev : ns.devices()) {
                if (!saved(dev)) {
                    continue;
                }
                List<String> set = new ArrayList<>();
                int defaultMtu = dev.isLoopback() ? 65536 : NetDevice.ETH_DATA_LEN;
                if (dev.mtu() != defaultMtu && !(dev instanceof Bridge b && !b.ports().isEmpty()
                        && b.ports().stream().allMatch(p -> p.device().mtu() == dev.mtu()))) {
                    set.add("mtu " + dev.mtu());
                }
                int defaultQueue = dev instanceof Ifb ? Ifb.TX_Q_LIMIT
                        : dev instanceof Tun t && !t.isTap() ? Tun.TUN_READQ_SIZE : NetDevice.DEFAULT_TX_QUEUE_LEN;
                if (dev.txQueueLength() != defaultQueue) {
                    set.add("txqueuelen " + dev.txQueueLength());
                }
                // a dummy, an ifb and a tun device have no ARP from birth, the others have it
                boolean noarp = (dev.rawFlags() & DeviceFlags.NOARP) != 0;
                boolean bornNoarp = dev instanceof Dummy || dev instanceof Ifb || dev instanceof Tun t && !t.isTap();
                if (!dev.isLoopback() && noarp != bornNoarp) {
                    set.add(noarp ? "arp off" : "arp on");
                }
                if ((dev.userFlags() & DeviceFlags.PROMISC) != 0) {
                    set.add("promisc on");
                }
                if (dev.group() != 0) {
                    set.add("group " + dev.group());
                }
                if (dev.alias() != null && !dev.alias().isEmpty()) {
                    set.add("alias " + quote(dev.alias()));
                }
                if (!set.isEmpty()) {
                    line(ip(ns) + "link set " + quote(dev.name()) + " " + String.join(" ", set));
                }
            }
        }
        history();
    }

    /**
     * The lab's changes whose order its lists keep, made again in that order: each device's
     * ups and downs (a veth end has a carrier when both ends are up: the order of its
     * {@code fe80::/64} and {@code ff00::/8} routes, whether its DAD ran, its queueing
     * discipline), the addresses the user added (their order on the device, and their routes'
     * among the routes of other devices), and the bridges' ports joining (their port numbers).
     * Each change carries the kernel's number for it ({@code Kernel.nextEventSerial}).
     */
    private void history() {
        record Event(long serial, String line) {
        }
        List<Event> events = new ArrayList<>();
        long boot = live.bootSerial();
        for (NetNamespace ns : order) {
            for (NetDevice dev : ns.devices()) {
                if (!saved(dev)) {
                    continue;
                }
                String name = quote(dev.name());
                if (dev.master() instanceof Bridge br) {
                    events.add(new Event(Math.max(0, dev.masterSerial() - boot),
                            ip(ns) + "link set " + name + " master " + quote(br.name())));
                }
                for (long e : dev.upDownHistory()) {
                    if (Math.abs(e) > boot) {
                        events.add(new Event(Math.abs(e) - boot, ip(ns) + "link set " + name + (e > 0 ? " up" : " down")));
                    }
                }
                for (InetIfAddr a : dev.ipv4().addresses()) {
                    if (a.serial() > boot) {
                        events.add(new Event(a.serial() - boot, ip(ns) + "addr add " + v4Add(a) + " dev " + name));
                    }
                }
                for (Inet6IfAddr a : dev.ipv6().addresses()) {
                    if (a.serial() > boot) {
                        events.add(new Event(a.serial() - boot, ip(ns) + "addr add " + v6Add(a) + " dev " + name));
                    }
                }
            }
        }
        events.sort(java.util.Comparator.comparingLong(Event::serial));
        events.forEach(e -> line(e.line()));
    }

    /**
     * Open vSwitch's bridges and their ports, as {@code ovs-vsctl} makes them (ports whose
     * device is missing too: they wait for it). A bridge's MAC address comes from its row's
     * random UUID, which no command gives: the copy's is another.
     */
    private void openVswitch() {
        dev.ipsim.kernel.ovs.OpenVswitch ovs = live.kernel().openVswitchIfStarted();
        if (ovs == null) {
            return;
        }
        for (dev.ipsim.kernel.ovs.OvsDatabase.Bridge br : ovs.database().bridges) {
            if (!ovsBridges.contains(br.name)) {
                line("ovs-vsctl add-br " + quote(br.name));
            }
            for (dev.ipsim.kernel.ovs.OvsDatabase.Port port : br.ports) {
                if (!port.name.equals(br.name)) {
                    line("ovs-vsctl add-port " + quote(br.name) + " " + quote(port.name));
                }
            }
        }
    }

    /** The devices the script knows: what it makes, the loopback, the VM's NIC, Open vSwitch's bridges. */
    private boolean saved(NetDevice dev) {
        return dev instanceof Veth || dev instanceof Bridge || dev instanceof Dummy || dev instanceof Ifb
                || dev instanceof Tun || dev.isLoopback() || dev.kind() == null
                || dev instanceof OvsInternalPort && !dev.name().equals(OpenVswitch.DATAPATH);
    }

    // ------------------------------------------------------------------ the rest, by difference

    /** A scratch machine booted as the live one, with the script so far run on it. */
    private Sandbox replay() {
        Sandbox scratch = Main.boot(bare, live.seed(), null, live.profile());
        ShellSession session = new ShellSession(scratch, ShellSession.Mode.FILE, "save",
                InputStream.nullInputStream(), java.io.OutputStream.nullOutputStream(), java.io.OutputStream.nullOutputStream(),
                false);
        ScriptRunner.run(new Interpreter(session), ScriptRunner.lines(script.toString()));
        // what the live lab settled long ago: link watch, DAD
        scratch.kernel().runUntil(scratch.kernel().clock().nanos() + 5_000_000_000L, () -> false);
        return scratch;
    }

    private NetNamespace counterpart(Sandbox scratch, NetNamespace ns) {
        String name = names.get(ns);
        return name == null ? scratch.kernel().initNamespace() : scratch.lookup(name);
    }

    private void addresses() {
        Sandbox scratch = replay();
        for (NetNamespace ns : order) {
            int start = script.length();
            NetNamespace other = counterpart(scratch, ns);
            for (NetDevice dev : ns.devices()) {
                NetDevice twin = other == null ? null : other.device(dev.name());
                if (!saved(dev) || twin == null) {
                    continue;
                }
                Map<String, String> want = new LinkedHashMap<>();
                for (InetIfAddr a : dev.ipv4().addresses()) {
                    want.put(v4Key(a), v4Add(a));
                }
                // a new IPv6 address goes before the older ones of its scope: made newest last
                List<Inet6IfAddr> v6 = new ArrayList<>(dev.ipv6().addresses());
                java.util.Collections.reverse(v6);
                // an Open vSwitch bridge's MAC address, and the link-local address the kernel
                // makes from it, come from a random UUID: each machine has its own
                boolean ovs = dev instanceof OvsInternalPort;
                for (Inet6IfAddr a : v6) {
                    if (!(ovs && a.serial() == 0 && a.address().isLinkLocal())) {
                        want.put(v6Key(a), v6Add(a));
                    }
                }
                Set<String> have = new LinkedHashSet<>();
                for (InetIfAddr a : twin.ipv4().addresses()) {
                    have.add(v4Key(a));
                }
                for (Inet6IfAddr a : twin.ipv6().addresses()) {
                    if (!(ovs && a.serial() == 0 && a.address().isLinkLocal())) {
                        have.add(v6Key(a));
                    }
                }
                for (String k : have) {
                    if (!want.containsKey(k)) {
                        line(ip(ns) + "addr del " + k + " dev " + quote(dev.name()));
                    }
                }
                for (Map.Entry<String, String> e : want.entrySet()) {
                    if (!have.contains(e.getKey())) {
                        line(ip(ns) + "addr add " + e.getValue() + " dev " + quote(dev.name()));
                    }
                }
            }
            sameAddressInRouteOrder(ns, start);
        }
    }

    /**
     * One IPv6 address on several devices: their local routes are listed in the order the
     * address was added, which the lines for them (written device by device) are put in.
     */
    private void sameAddressInRouteOrder(NetNamespace ns, int start) {
        List<String> rank = new ArrayList<>();
        for (Route r : ns.ipv6().tables().table(dev.ipsim.kernel.route.RouteTableId.LOCAL).routes()) {
            if (r.type() == dev.ipsim.kernel.route.RouteType.LOCAL && r.device() != null) {
                rank.add(r.destination().address() + " " + r.device().name());
            }
        }
        List<String> lines = new ArrayList<>(List.of(script.substring(start).split("\n", -1)));
        lines.remove(lines.size() - 1);
        Map<String, List<Integer>> slots = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String addr = v6AddLineAddress(lines.get(i));
            if (addr != null) {
                slots.computeIfAbsent(addr, k -> new ArrayList<>()).add(i);
            }
        }
        for (List<Integer> at : slots.values()) {
            if (at.size() < 2) {
                continue;
            }
            List<String> group = new ArrayList<>();
            at.forEach(i -> group.add(lines.get(i)));
            group.sort(java.util.Comparator.comparingInt(l -> {
                int k = rank.indexOf(v6AddLineAddress(l) + " " + l.substring(l.lastIndexOf(" dev ") + 5));
                return k < 0 ? Integer.MAX_VALUE : k;
            }));
            for (int j = 0; j < at.size(); j++) {
                lines.set(at.get(j), group.get(j));
            }
        }
        script.setLength(start);
        lines.forEach(this::line);
    }

    /** The IPv6 address an {@code addr add} line adds, or {@code null}. */
    private static String v6AddLineAddress(String line) {
        int at = line.indexOf("addr add ");
        if (at < 0) {
            return null;
        }
        String word = line.substring(at + 9).split(" ")[0];
        int slash = word.indexOf('/');
        return word.contains(":") ? (slash < 0 ? word : word.substring(0, slash)) : null;
    }

    private static String v4Key(InetIfAddr a) {
        return a.local() + "/" + a.prefixLength() + (a.hasPeer() ? " peer " + a.address() : "");
    }

    /**
     * A finite lifetime as the time left now ({@code valid_lft N preferred_lft M}), or nothing
     * for a permanent address.
     */
    private String lifetimes(long valid, long preferred) {
        if (valid == AddressFlags.INFINITY_LIFE_TIME && preferred == AddressFlags.INFINITY_LIFE_TIME) {
            return "";
        }
        return " valid_lft " + (valid == AddressFlags.INFINITY_LIFE_TIME ? "forever" : Long.toString(valid))
                + " preferred_lft " + (preferred == AddressFlags.INFINITY_LIFE_TIME ? "forever" : Long.toString(preferred));
    }

    private String v4Add(InetIfAddr a) {
        StringBuilder sb = new StringBuilder(a.local() + (a.hasPeer() ? " peer " + a.address() : "") + "/"
                + a.prefixLength());
        if (a.broadcast() != null) {
            sb.append(" broadcast ").append(a.broadcast());
        }
        sb.append(" scope ").append(a.scope());
        if (!a.label().equals(a.device().name())) {
            sb.append(" label ").append(quote(a.label()));
        }
        if ((a.flags() & AddressFlags.NOPREFIXROUTE) != 0) {
            sb.append(" noprefixroute");
        }
        if (a.routePriority() != 0) {
            sb.append(" metric ").append(Integer.toUnsignedString(a.routePriority()));
        }
        long now = live.kernel().clock().seconds();
        sb.append(lifetimes(a.remainingValid(now), a.remainingPreferred(now)));
        return sb.toString();
    }

    private static String v6Key(Inet6IfAddr a) {
        return a.address() + "/" + a.prefixLength() + (a.peer() != null ? " peer " + a.peer() : "");
    }

    private String v6Add(Inet6IfAddr a) {
        StringBuilder sb = new StringBuilder();
        sb.append(a.address());
        if (a.peer() != null) {
            sb.append(" peer ").append(a.peer());
        }
        sb.append("/").append(a.prefixLength());
        int f = a.flags();
        if ((f & AddressFlags.NODAD) != 0) {
            sb.append(" nodad");
        }
        if ((f & AddressFlags.NOPREFIXROUTE) != 0) {
            sb.append(" noprefixroute");
        }
        if ((f & AddressFlags.HOMEADDRESS) != 0) {
            sb.append(" home");
        }
        if ((f & AddressFlags.MANAGETEMPADDR) != 0) {
            sb.append(" mngtmpaddr");
        }
        if (a.routePriority() != 0) {
            sb.append(" metric ").append(Integer.toUnsignedString(a.routePriority()));
        }
        long now = live.kernel().clock().seconds();
        sb.append(lifetimes(a.remainingValid(now), a.remainingPreferred(now)));
        return sb.toString();
    }

    private void routes() {
        Sandbox scratch = replay();
        for (NetNamespace ns : order) {
            NetNamespace other = counterpart(scratch, ns);
            if (other == null) {
                continue;
            }
            routes(ns, "-4 ", ns.ipv4().tables().all(), other.ipv4().tables().all());
            routes(ns, "-6 ", ns.ipv6().tables().all(), other.ipv6().tables().all());
        }
    }

    private void routes(NetNamespace ns, String family, List<FibTable> want, List<FibTable> have) {
        Map<String, Route> wanted = new LinkedHashMap<>();
        for (FibTable t : want) {
            for (Route r : t.routes()) {
                if (compared(r)) {
                    wanted.put(routeKey(r), r);
                }
            }
        }
        Map<String, Route> had = new LinkedHashMap<>();
        for (FibTable t : have) {
            for (Route r : t.routes()) {
                had.put(routeKey(r), r);
            }
        }
        Set<String> all = new LinkedHashSet<>();
        for (FibTable t : want) {
            for (Route r : t.routes()) {
                all.add(routeKey(r));
            }
        }
        // what the user deleted, the kernel's own routes too (a prefix route, a local one)
        for (Map.Entry<String, Route> e : had.entrySet()) {
            Route r = e.getValue();
            boolean ovsLinkLocal = r.device() instanceof OvsInternalPort && r.protocol() == KERNEL_PROTOCOL
                    && r.destination().address() instanceof dev.ipsim.kernel.addr.Ipv6Address v6 && v6.isLinkLocal();
            if (!all.contains(e.getKey()) && !dadPending(ns, r) && !ovsLinkLocal) {
                line(ip(ns) + family + "route del " + e.getKey());
            }
        }
        for (Map.Entry<String, Route> e : wanted.entrySet()) {
            if (!had.containsKey(e.getKey())) {
                Route r = e.getValue();
                String extra = "";
                if (r.family() == Family.INET && r.preferredSource() != null) {
                    extra += " src " + r.preferredSource();
                }
                if (r.hasNexthopFlag(NexthopFlags.ONLINK)) {
                    extra += " onlink";
                }
                if (r.family() == Family.INET6 && r.pref() != Route.PREF_MEDIUM) {
                    extra += r.pref() == 3 ? " pref low" : " pref high";
                }
                line(ip(ns) + family + "route append " + e.getKey() + extra);
            }
        }
    }

    /**
     * A local route the kernel gives an IPv6 address when its DAD is done, which the live lab's
     * address is still waiting for (the scratch machine waited).
     */
    private static boolean dadPending(NetNamespace ns, Route r) {
        if (r.family() != Family.INET6 || r.type() != dev.ipsim.kernel.route.RouteType.LOCAL
                || r.protocol() != KERNEL_PROTOCOL || r.device() == null) {
            return false;
        }
        NetDevice dev = ns.device(r.device().name());
        if (dev == null) {
            return false;
        }
        for (Inet6IfAddr a : dev.ipv6().addresses()) {
            if (r.destination().equals(IpPrefix.host(a.address()))
                    && (a.flags() & AddressFlags.TENTATIVE) != 0) {
                return true;
            }
        }
        return false;
    }

    /** {@code RTPROT_KERNEL}. */
    private static final int KERNEL_PROTOCOL = 2;

    /**
     * The kernel's own routes (proto kernel) follow the addresses and the links' states, and
     * come back with them; but IPv6's multicast route of a device stays from the first time it
     * had a carrier, which the script cannot repeat: it is compared like the user's routes.
     */
    private static boolean compared(Route r) {
        return r.protocol() != KERNEL_PROTOCOL || r.type() == dev.ipsim.kernel.route.RouteType.MULTICAST;
    }

    private static String routeKey(Route r) {
        StringBuilder sb = new StringBuilder();
        sb.append(r.type().name().toLowerCase(Locale.ROOT)).append(' ').append(r.destination());
        if (r.tos() != 0) {
            sb.append(" tos ").append(r.tos());
        }
        if (r.gateway() != null) {
            sb.append(" via ").append(r.gateway());
        }
        if (r.device() != null) {
            sb.append(" dev ").append(quote(r.device().name()));
        }
        sb.append(" table ").append(Integer.toUnsignedString(r.table()));
        sb.append(" metric ").append(Integer.toUnsignedString(r.priority()));
        sb.append(" proto ").append(r.protocol());
        if (r.family() == Family.INET) {
            sb.append(" scope ").append(r.scope());
        }
        return sb.toString();
    }

    /** Rules by their {@code ip rule show} lines, which {@code ip rule add} reads back. */
    private void rules() {
        Sandbox scratch = replay();
        for (NetNamespace ns : order) {
            NetNamespace other = counterpart(scratch, ns);
            if (other == null) {
                continue;
            }
            for (String family : new String[] {"-4", "-6"}) {
                List<String> want = ruleLines(live, ns, family);
                List<String> have = ruleLines(scratch, other, family);
                for (String r : have) {
                    if (!want.contains(r)) {
                        line(ip(ns) + family + " rule del " + r);
                    }
                }
                for (String r : want) {
                    if (!have.contains(r)) {
                        line(ip(ns) + family + " rule add " + r);
                    }
                }
            }
        }
    }

    private static List<String> ruleLines(Sandbox sandbox, NetNamespace ns, String family) {
        List<String> out = new ArrayList<>();
        for (String l : run(sandbox, ns, List.of("ip", family, "rule", "show")).split("\n")) {
            int colon = l.indexOf(":\t");
            if (colon < 0) {
                continue;
            }
            String rest = l.substring(colon + 2).replace(" [detached]", "").replace(" [unresolved]", "").strip();
            out.add("pref " + l.substring(0, colon) + " " + rest);
        }
        return out;
    }

    private void neighbours() {
        for (NetNamespace ns : order) {
            for (NeighbourTable table : ns.stack().neighbourTables()) {
                // listed in a hash table's order, which a random seed decides: written sorted
                List<Neighbour> entries = new ArrayList<>(table.entries());
                entries.sort(java.util.Comparator.comparing((Neighbour n) -> n.device().name())
                        .thenComparing(n -> n.key().toString()));
                for (Neighbour n : entries) {
                    String nud = savedState(n);
                    if (nud == null || n.device().isLoopback() || !saved(n.device()) || multicast(n.key())) {
                        continue;
                    }
                    line(ip(ns) + "neigh replace " + n.key()
                            + (n.lladdr() != null ? " lladdr " + n.lladdr() : "") + " dev " + quote(n.device().name())
                            + " nud " + nud + (n.isRouter() ? " router" : ""));
                }
            }
        }
    }

    /**
     * What {@code bridge link set} and {@code bridge fdb} changed: each port's flags, cost and
     * priority that differ from a new port's, the entries a user added that do not age (oldest
     * first, so that the listing keeps its newest-first order), and the unicast addresses
     * added to a device's own list. A state a user set is not written: it lasts only until
     * the port's link changes, and the port state selection decides it after a load.
     */
    private void bridgeSettings() {
        for (NetNamespace ns : order) {
            String name = names.get(ns);
            String bridge = name == null ? "bridge " : "bridge -n " + quote(name) + " ";
            for (NetDevice dev : ns.devices()) {
                if (!(dev instanceof Bridge br) || !saved(dev)) {
                    continue;
                }
                for (BridgePort p : br.ports()) {
                    StringBuilder set = new StringBuilder();
                    for (BridgePort.Flag f : BridgePort.Flag.values()) {
                        boolean byDefault = switch (f) {
                            case LEARNING, UNICAST_FLOOD, MCAST_FLOOD, BCAST_FLOOD -> true;
                            default -> false;
                        };
                        if (p.flag(f) != byDefault) {
                            set.append(' ').append(portFlagWord(f)).append(p.flag(f) ? " on" : " off");
                        }
                    }
                    if (p.pathCost() != p.defaultPathCost()) {
                        set.append(" cost ").append(p.pathCost());
                    }
                    if (p.priority() != 32) {
                        set.append(" priority ").append(p.priority());
                    }
                    if (!set.isEmpty()) {
                        line(bridge + "link set dev " + quote(p.device().name()) + set);
                    }
                }
                List<FdbEntry> entries = new ArrayList<>(br.fdb());
                java.util.Collections.reverse(entries);
                for (FdbEntry f : entries) {
                    if (!f.isAddedByUser() || !f.isStatic()) {
                        continue;
                    }
                    String kind = f.isLocal() ? "permanent" : "static";
                    String at = f.port() == null ? quote(br.name()) + " self" : quote(f.port().device().name()) + " master";
                    line(bridge + "fdb replace " + f.address() + " dev " + at + " " + kind);
                }
            }
            for (NetDevice dev : ns.devices()) {
                if (!saved(dev) || dev instanceof Bridge) {
                    continue;
                }
                for (MacAddress m : dev.unicastAddresses()) {
                    line(bridge + "fdb append " + m + " dev " + quote(dev.name()) + " self");
                }
            }
        }
    }

    private static String portFlagWord(BridgePort.Flag f) {
        return switch (f) {
            case LEARNING -> "learning";
            case UNICAST_FLOOD -> "flood";
            case MCAST_FLOOD -> "mcast_flood";
            case BCAST_FLOOD -> "bcast_flood";
            case HAIRPIN -> "hairpin";
            case GUARD -> "guard";
            case ROOT_BLOCK -> "root_block";
            case FAST_LEAVE -> "fastleave";
            case MCAST_TO_UNICAST -> "mcast_to_unicast";
            case NEIGH_SUPPRESS -> "neigh_suppress";
            case VLAN_TUNNEL -> "vlan_tunnel";
            case ISOLATED -> "isolated";
            case LOCKED -> "locked";
        };
    }

    /**
     * The state a neighbour is written with: the user's (permanent, noarp with an address) and
     * what was learnt (reachable, stale, failed) as they are; one being confirmed (delay,
     * probe) as the stale entry it was, since its timers are the moment's; none for an entry
     * still being resolved (incomplete: a packet waits on it), or the kernel's own NOARP ones
     * (multicast, broadcast), which come back by themselves.
     */
    private static String savedState(Neighbour n) {
        return switch (n.state()) {
            case PERMANENT, REACHABLE, STALE -> n.lladdr() == null ? null : n.state().name().toLowerCase(Locale.ROOT);
            case DELAY, PROBE -> n.lladdr() == null ? null : "stale";
            case FAILED -> "failed";
            case NOARP -> n.lladdr() == null ? null : "noarp";
            default -> null;
        };
    }

    private static boolean multicast(dev.ipsim.kernel.addr.IpAddress a) {
        return a instanceof dev.ipsim.kernel.addr.Ipv6Address v6 ? v6.isMulticast()
                : ((dev.ipsim.kernel.addr.Ipv4Address) a).isMulticast();
    }

    /** The sysctls that still differ, the namespace-wide ones first (they set the devices' too). */
    private void sysctls() {
        Sandbox scratch = replay();
        for (NetNamespace ns : order) {
            NetNamespace other = counterpart(scratch, ns);
            if (other == null) {
                continue;
            }
            List<String> global = new ArrayList<>();
            List<String> perDevice = new ArrayList<>();
            SysctlTable want = ns.sysctls();
            SysctlTable have = other.sysctls();
            for (String path : want.all().keySet()) {
                SysctlTable.Entry e = want.entry(path);
                if (e == null || !e.writable() || path.startsWith("net/ipv6/conf/") && path.endsWith("/mtu")) {
                    continue;
                }
                String value = want.read(path);
                String theirs = have.read(path);
                if (value == null || theirs == null || value.equals(theirs)) {
                    continue;
                }
                String key = path.replace('/', '.');
                String set = (names.get(ns) == null ? "" : "ip netns exec " + quote(names.get(ns)) + " ")
                        + "sysctl -qw " + quote(key + "=" + value.strip().replace('\t', ' '));
                boolean device = false;
                for (NetDevice d : ns.devices()) {
                    if (path.contains("/" + d.name() + "/")) {
                        device = true;
                        break;
                    }
                }
                (device ? perDevice : global).add(set);
            }
            global.forEach(this::line);
            perDevice.forEach(this::line);
        }
    }

    /** Runs a tool on a machine without costing it time, and returns its standard output. */
    private static String run(Sandbox sandbox, NetNamespace ns, List<String> argv) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        ShellSession session = new ShellSession(sandbox, ShellSession.Mode.FILE, "save", InputStream.nullInputStream(),
                java.io.OutputStream.nullOutputStream(), java.io.OutputStream.nullOutputStream(), false);
        session.setNetns(ns);
        new dev.ipsim.commands.ip.Ip().run(new Invocation(argv, session, out,
                new PrintStream(java.io.OutputStream.nullOutputStream()), InputStream.nullInputStream()));
        out.flush();
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** A word as the shell reads it back. */
    static String quote(String s) {
        if (!s.isEmpty() && s.chars().allMatch(c -> Character.isLetterOrDigit(c) || "-_.:/@%+=,".indexOf(c) >= 0)) {
            return s;
        }
        return "'" + s.replace("'", "'\\''") + "'";
    }

}
