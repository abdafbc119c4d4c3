package dev.ipsim.kernel.neigh;

import dev.ipsim.kernel.Errno;
import dev.ipsim.kernel.KernelException;
import dev.ipsim.kernel.NetNamespace;
import dev.ipsim.kernel.addr.Family;
import dev.ipsim.kernel.addr.IpAddress;
import dev.ipsim.kernel.addr.MacAddress;
import dev.ipsim.kernel.link.NetDevice;
import dev.ipsim.kernel.packet.PacketEngine;
import dev.ipsim.kernel.time.Jiffies;
import dev.ipsim.kernel.time.VirtualClock;
import dev.ipsim.kernel.wire.EthernetFrame;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A namespace's neighbour cache for one protocol ({@code struct neigh_table},
 * {@code net/core/neighbour.c}): the entries, their state machine and its timers.
 *
 * <p>Heads up: the state machine is the kernel's, driven by jiffies on the virtual clock.
 * <ul>
 * <li>A packet for an entry that is not valid starts resolution: the entry goes INCOMPLETE with
 *     its probe count at {@code ucast_solicit}, one solicitation goes out at once, the packet
 *     waits in the queue ({@code unres_qlen_bytes} bounds it), and the timer fires every
 *     {@code retrans_time}, soliciting again until {@code ucast + app + mcast_solicit} probes
 *     are counted; then the entry is FAILED and every queued packet is reported undeliverable.</li>
 * <li>An answer makes it REACHABLE and sends the queue. After the (randomised) reachable time
 *     it goes STALE, or DELAY if used in the last {@code delay_first_probe_time}.</li>
 * <li>A STALE entry used to send goes DELAY; DELAY without confirmation goes PROBE, which
 *     sends unicast solicitations and fails like INCOMPLETE.</li>
 * <li>Timers fire as the kernel's timer wheel fires them ({@link Jiffies#schedule}).</li>
 * </ul>
 * Entries are kept in hash buckets as the kernel keeps them, so dumps come out in the kernel's
 * kind of order: by bucket, newest first within one, with a hash seeded at random per table.
 */
public final class NeighbourTable {

    /** {@code NEIGH_UPDATE_F_OVERRIDE}: a different link-layer address may replace the known one. */
    public static final int UPDATE_OVERRIDE = 0x0000_0001;
    /** {@code NEIGH_UPDATE_F_WEAK_OVERRIDE}. */
    public static final int UPDATE_WEAK_OVERRIDE = 0x0000_0002;
    /** {@code NEIGH_UPDATE_F_OVERRIDE_ISROUTER}: the router flag follows {@link #UPDATE_ISROUTER}. */
    public static final int UPDATE_OVERRIDE_ISROUTER = 0x0000_0004;
    /** {@code NEIGH_UPDATE_F_ISROUTER}. */
    public static final int UPDATE_ISROUTER = 0x4000_0000;
    /** {@code NEIGH_UPDATE_F_ADMIN}: an administrative change, allowed on PERMANENT and NOARP entries. */
    public static final int UPDATE_ADMIN = 0x8000_0000;

    private static final int INITIAL_HASH_SHIFT = 3;
    private static final int HASH_RANDOMS = 4;

    private final NetNamespace ns;
    private final Family family;
    private final NeighbourProtocol protocol;
    private final SplittableRandom random;
    private final Map<NetDevice, NeighbourParms> parms = new IdentityHashMap<>();
    private List<List<Neighbour>> buckets;
    private int hashShift;
    private int[] hashRandom;
    private int entries;

    public NeighbourTable(NetNamespace ns, Family family, NeighbourProtocol protocol, SplittableRandom random) {
        this.ns = ns;
        this.family = family;
        this.protocol = protocol;
        this.random = random;
        allocateBuckets(INITIAL_HASH_SHIFT);
    }

    public Family family() {
        return family;
    }

    public NetNamespace namespace() {
        return ns;
    }

    private VirtualClock clock() {
        return ns.kernel().clock();
    }

    private long now() {
        return Jiffies.now(clock());
    }

    /** The parameters of a device, from its {@code neigh} sysctls. */
    public NeighbourParms parms(NetDevice dev) {
        NeighbourParms p = parms.get(dev);
        if (p == null) {
            NeighbourProtocol proto = protocol;
            p = new NeighbourParms(ns.sysctls(), new java.util.function.Supplier<String>() {
                @Override
                public String get() {
                    return proto.parmsPrefix(dev);
                }
            }, random.split());
            parms.put(dev, p);
        }
        return p;
    }

    // ------------------------------------------------------------------ hash table

    private void allocateBuckets(int shift) {
        hashShift = shift;
        hashRandom = new int[HASH_RANDOMS];
        for (int i = 0; i < HASH_RANDOMS; i++) {
            hashRandom[i] = random.nextInt() | 1;
        }
        buckets = new ArrayList<>(1 << shift);
        for (int i = 0; i < 1 << shift; i++) {
            buckets.add(new ArrayList<>());
        }
    }

    private List<Neighbour> bucket(IpAddress key, NetDevice dev) {
        return buckets.get(protocol.hash(key, dev, hashRandom) >>> (32 - hashShift));
    }

    /** {@code neigh_hash_grow}: a new random seed, each old chain moved to the head of its new one. */
    private void grow() {
        List<List<Neighbour>> old = buckets;
        allocateBuckets(hashShift + 1);
        for (List<Neighbour> chain : old) {
            for (Neighbour n : chain) {
                bucket(n.key, n.device).add(0, n);
            }
        }
    }

    /** Every entry, in dump order: bucket by bucket, newest first within one. */
    public List<Neighbour> entries() {
        List<Neighbour> out = new ArrayList<>(entries);
        for (List<Neighbour> chain : buckets) {
            out.addAll(chain);
        }
        return out;
    }

    /** {@code neigh_lookup}: the entry stored under exactly this key on this device. */
    public Neighbour lookup(IpAddress key, NetDevice dev) {
        for (Neighbour n : bucket(key, dev)) {
            if (n.device == dev && n.key.equals(key)) {
                return n;
            }
        }
        return null;
    }

    /**
     * {@code ___neigh_create}: a new entry, built by the protocol (which may store it under
     * another key); when an entry with that key already exists, that one is returned instead.
     */
    public Neighbour create(IpAddress key, NetDevice dev) {
        Neighbour n = new Neighbour(this, protocol.storedKey(key, dev), dev);
        long now = now();
        n.updated = now;
        n.used = now;
        n.confirmed = now - (parms(dev).baseReachableTime() << 1);
        protocol.construct(n);
        entries++;
        if (entries > 1 << hashShift) {
            grow();
        }
        Neighbour existing = lookup(n.key, dev);
        if (existing != null) {
            entries--;
            return existing;
        }
        bucket(n.key, dev).add(0, n);
        return n;
    }

    /** {@code __neigh_lookup(..., creat=1)}: the entry for the key the protocol stores, made if missing. */
    public Neighbour lookupOrCreate(IpAddress key, NetDevice dev) {
        Neighbour n = lookup(protocol.storedKey(key, dev), dev);
        return n != null ? n : create(key, dev);
    }

    private void unlink(Neighbour n) {
        if (bucket(n.key, n.device).remove(n)) {
            entries--;
        }
        cancelTimer(n);
        n.dead = true;
        if (n.queue != null) {
            n.queue.clear();
        }
        n.queueBytes = 0;
    }

    // ------------------------------------------------------------------ output

    /**
     * {@code neigh_output}: sends a packet through an entry, at once when the entry is connected
     * or usable, else after resolution. Returns the driver's verdict on a packet sent at once
     * ({@code PacketEngine.XMIT_*}); a queued one counts as sent.
     */
    public int output(Neighbour n, Outbound packet) {
        if (n.state.isConnected() || !eventSend(n, packet)) {
            return transmit(n, packet);
        }
        return PacketEngine.XMIT_SUCCESS;
    }

    /** {@code neigh_event_send(n, NULL)}: starts resolving an entry (a redirect's new next hop). */
    public void resolve(Neighbour n) {
        eventSend(n, null);
    }

    /** Frames a packet for the entry's link-layer address and sends it. */
    private int transmit(Neighbour n, Outbound packet) {
        byte[] frame = new EthernetFrame(n.lladdr, n.device.address(), packet.etherType(), packet.datagram()).encode();
        return ns.kernel().packets().transmit(n.device, frame, packet.route());
    }

    /**
     * {@code __neigh_event_send}: returns {@code false} when the packet may go out now, {@code true}
     * when it was queued (or dropped) for resolution.
     */
    boolean eventSend(Neighbour n, Outbound packet) {
        long now = now();
        n.used = now;
        if (n.state.isConnected() || n.state == NudState.DELAY || n.state == NudState.PROBE) {
            return false;
        }
        if (n.dead) {
            return n.state != NudState.STALE;
        }
        NeighbourParms p = parms(n.device);
        boolean immediateProbe = false;
        if (n.state != NudState.STALE && n.state != NudState.INCOMPLETE) {
            if (p.multicastProbes() + p.applicationProbes() > 0) {
                n.probes = p.unicastProbes();
                cancelTimer(n);
                n.state = NudState.INCOMPLETE;
                n.updated = now;
                immediateProbe = true;
                addTimer(n, now + Math.max(p.retransTime(), Jiffies.HZ / 100));
            } else {
                n.state = NudState.FAILED;
                n.updated = now;
                return true;
            }
        } else if (n.state == NudState.STALE) {
            cancelTimer(n);
            n.state = NudState.DELAY;
            n.updated = now;
            addTimer(n, now + p.delayProbeTime());
        }
        boolean queued = false;
        if (n.state == NudState.INCOMPLETE) {
            if (packet != null) {
                if (n.queue == null) {
                    n.queue = new java.util.ArrayDeque<>();
                }
                while (n.queueBytes + packet.truesize() > p.queueLengthBytes() && !n.queue.isEmpty()) {
                    n.queueBytes -= n.queue.removeFirst().truesize(); // NEIGH_QUEUEFULL: the oldest goes
                }
                n.queue.addLast(packet);
                n.queueBytes += packet.truesize();
            }
            queued = true;
        }
        if (immediateProbe) {
            probe(n);
        }
        return queued;
    }

    /** {@code neigh_probe}: one solicitation, counted. */
    private void probe(Neighbour n) {
        protocol.solicit(n, n.queue == null ? null : n.queue.peekLast());
        n.probes++;
    }

    /** {@code neigh_max_probes}. */
    private int maxProbes(Neighbour n) {
        NeighbourParms p = parms(n.device);
        return p.unicastProbes() + p.applicationProbes()
                + (n.state == NudState.PROBE ? p.multicastReprobes() : p.multicastProbes());
    }

    // ------------------------------------------------------------------ timers

    private void addTimer(Neighbour n, long when) {
        cancelTimer(n);
        n.timer = Jiffies.schedule(clock(), when, new Runnable() {
            @Override
            public void run() {
                timerHandler(n);
            }
        });
    }

    private static void cancelTimer(Neighbour n) {
        if (n.timer != null) {
            n.timer.cancel();
            n.timer = null;
        }
    }

    /** {@code neigh_timer_handler}. */
    private void timerHandler(Neighbour n) {
        n.timer = null;
        if (n.dead || !n.state.inTimer()) {
            return;
        }
        long now = now();
        NeighbourParms p = parms(n.device);
        long next = now + Jiffies.HZ;
        if (n.state == NudState.REACHABLE) {
            if (now <= n.confirmed + p.reachableTime(now)) {
                next = n.confirmed + p.reachableTime(now);
            } else if (now <= n.used + p.delayProbeTime()) {
                n.state = NudState.DELAY;
                n.updated = now;
                next = now + p.delayProbeTime();
            } else {
                n.state = NudState.STALE;
                n.updated = now;
            }
        } else if (n.state == NudState.DELAY) {
            if (now <= n.confirmed + p.delayProbeTime()) {
                n.state = NudState.REACHABLE;
                n.updated = now;
                next = n.confirmed + p.reachableTime(now);
            } else {
                n.state = NudState.PROBE;
                n.updated = now;
                n.probes = 0;
                next = now + Math.max(p.retransTime(), Jiffies.HZ / 100);
            }
        } else {
            next = now + Math.max(p.retransTime(), Jiffies.HZ / 100);
        }
        if ((n.state == NudState.INCOMPLETE || n.state == NudState.PROBE) && n.probes >= maxProbes(n)) {
            n.state = NudState.FAILED;
            invalidate(n);
            return;
        }
        if (n.state.inTimer()) {
            if (next < now + Jiffies.HZ / 100) {
                next = now + Jiffies.HZ / 100;
            }
            addTimer(n, next);
        }
        if (n.state == NudState.INCOMPLETE || n.state == NudState.PROBE) {
            probe(n);
        }
    }

    /** {@code neigh_invalidate}: every queued packet is reported undeliverable. */
    private void invalidate(Neighbour n) {
        n.updated = now();
        while (n.state == NudState.FAILED && n.queue != null && !n.queue.isEmpty()) {
            Outbound packet = n.queue.removeFirst();
            n.queueBytes -= packet.truesize();
            protocol.errorReport(n, packet);
        }
        if (n.queue != null) {
            n.queue.clear();
        }
        n.queueBytes = 0;
    }

    // ------------------------------------------------------------------ updates

    /**
     * {@code __neigh_update}: the one way an entry's state and address change, from the wire
     * (an ARP reply) or from the administrator ({@code ip neigh}).
     *
     * @param lladdr the proposed link-layer address, or {@code null} for none
     * @throws KernelException EPERM for a non-admin change of a PERMANENT or NOARP entry; EINVAL
     *         ("No link layer address given") when a valid state is asked for without any address
     */
    public void update(Neighbour n, MacAddress lladdr, NudState newState, int flags) {
        NudState old = n.state;
        boolean adminChange = (flags & UPDATE_ADMIN) != 0;
        if (!adminChange && (old == NudState.NOARP || old == NudState.PERMANENT)) {
            throw new KernelException(Errno.EPERM);
        }
        if (n.dead) {
            throw new KernelException(Errno.EINVAL, "Neighbor entry is now dead");
        }
        long now = now();
        if (!newState.isValid()) {
            cancelTimer(n);
            n.state = newState;
            if ((old == NudState.INCOMPLETE || old == NudState.PROBE) && newState == NudState.FAILED) {
                invalidate(n);
            }
            return;
        }
        MacAddress address;
        if (lladdr != null) {
            address = lladdr;
        } else {
            if (!old.isValid()) {
                throw new KernelException(Errno.EINVAL, "No link layer address given");
            }
            address = n.lladdr;
        }
        if (newState.isConnected()) {
            n.confirmed = now;
        }
        boolean updateIsRouter = (flags & UPDATE_OVERRIDE_ISROUTER) != 0;
        if (old.isValid()) {
            boolean differs = !address.equals(n.lladdr);
            if (differs && (flags & UPDATE_OVERRIDE) == 0) {
                updateIsRouter = false;
                if ((flags & UPDATE_WEAK_OVERRIDE) != 0 && old.isConnected()) {
                    address = n.lladdr;
                    newState = NudState.STALE;
                } else {
                    finishRouterFlag(n, flags, updateIsRouter);
                    return;
                }
            } else if (!differs && newState == NudState.STALE && !adminChange) {
                newState = old;
            }
        }
        boolean addressChanges = !address.equals(n.lladdr);
        if (newState != old || addressChanges) {
            n.updated = now;
        }
        if (newState != old) {
            cancelTimer(n);
            if (newState == NudState.PROBE) {
                n.probes = 0;
            }
            n.state = newState;
            if (newState.inTimer()) {
                addTimer(n, now + (newState == NudState.REACHABLE ? parms(n.device).reachableTime(now) : 0));
            }
        }
        if (addressChanges) {
            n.lladdr = address;
            if (!newState.isConnected()) {
                n.confirmed = now - (parms(n.device).baseReachableTime() << 1);
            }
        }
        if (newState != old && !old.isValid()) {
            // the queue goes out now that the address is known
            while (n.state.isValid() && n.queue != null && !n.queue.isEmpty()) {
                Outbound packet = n.queue.removeFirst();
                n.queueBytes -= packet.truesize();
                output(n, packet);
            }
            if (n.queue != null) {
                n.queue.clear();
            }
            n.queueBytes = 0;
        }
        finishRouterFlag(n, flags, updateIsRouter);
    }

    private static void finishRouterFlag(Neighbour n, int flags, boolean updateIsRouter) {
        if (updateIsRouter) {
            if ((flags & UPDATE_ISROUTER) != 0) {
                n.flags |= Neighbour.FLAG_ROUTER;
            } else {
                n.flags &= ~Neighbour.FLAG_ROUTER;
            }
        }
    }

    /**
     * {@code neigh_event_ns}: a solicitation from {@code key} tells its address; the entry (made if
     * missing) goes STALE with it.
     */
    public Neighbour eventSolicitation(IpAddress key, MacAddress lladdr, NetDevice dev) {
        Neighbour n = lookupOrCreate(key, dev);
        try {
            update(n, lladdr, NudState.STALE, UPDATE_OVERRIDE);
        } catch (KernelException e) {
            // a PERMANENT or NOARP entry stays as it is
        }
        return n;
    }

    // ------------------------------------------------------------------ administration (rtnetlink)

    /**
     * {@code neigh_add}: {@code ip neigh add|change|replace}.
     *
     * @param create   NLM_F_CREATE: a missing entry may be made
     * @param exclusive NLM_F_EXCL: an existing entry is an error
     * @param replace  NLM_F_REPLACE: an existing entry's address may be overridden
     * @throws KernelException ENOENT without create for a missing entry, EEXIST with exclusive
     *         for an existing one, and what {@link #update} refuses
     */
    public Neighbour add(IpAddress key, NetDevice dev, MacAddress lladdr, NudState state, boolean router,
                         int protocolNumber, boolean create, boolean exclusive, boolean replace) {
        int flags = UPDATE_ADMIN | UPDATE_OVERRIDE | UPDATE_OVERRIDE_ISROUTER;
        Neighbour n = lookup(key, dev);
        if (n == null) {
            if (!create) {
                throw new KernelException(Errno.ENOENT);
            }
            n = create(key, dev);
        } else {
            if (exclusive) {
                throw new KernelException(Errno.EEXIST);
            }
            if (!replace) {
                flags &= ~(UPDATE_OVERRIDE | UPDATE_OVERRIDE_ISROUTER);
            }
        }
        if (protocolNumber != 0) {
            n.protocol = protocolNumber;
        }
        if (router) {
            flags |= UPDATE_ISROUTER;
        }
        update(n, lladdr, state, flags);
        ns.kernel().settle();
        return n;
    }

    /**
     * {@code neigh_delete}: {@code ip neigh del}; the entry fails (reporting what it had queued)
     * and is removed.
     *
     * @throws KernelException ENOENT when there is no such entry
     */
    public void delete(IpAddress key, NetDevice dev) {
        Neighbour n = lookup(key, dev);
        if (n == null) {
            throw new KernelException(Errno.ENOENT);
        }
        update(n, null, NudState.FAILED, UPDATE_OVERRIDE | UPDATE_ADMIN);
        unlink(n);
        ns.kernel().settle();
    }

    /**
     * {@code neigh_flush_dev}: every entry of a device goes ({@code neigh_ifdown}), or every one
     * but the permanent ones ({@code neigh_carrier_down}). Queued packets are dropped unreported.
     */
    public void flushDevice(NetDevice dev, boolean skipPermanent) {
        for (Neighbour n : entries()) {
            if (n.device == dev && !(skipPermanent && n.state == NudState.PERMANENT)) {
                unlink(n);
            }
        }
        // pneigh_ifdown_and_unlock: the device's proxy entries go too
        for (List<ProxyEntry> bucket : proxyBuckets) {
            bucket.removeIf(e -> e.device() == dev);
        }
    }

    // ------------------------------------------------------------------ proxy entries

    /**
     * A proxy entry ({@code struct pneigh_entry}, {@code ip neigh add proxy ADDR dev DEV}): an
     * address this host answers ARP (or neighbour solicitation) requests for on that device,
     * when it forwards and routes the address through another device.
     */
    public record ProxyEntry(IpAddress key, NetDevice device, int protocol) {
    }

    /** {@code PNEIGH_HASHMASK} + 1 buckets, each newest first. */
    private final List<List<ProxyEntry>> proxyBuckets = newProxyBuckets();

    /** Sixteen empty buckets (a loop, not a stream: every namespace's start makes them). */
    private static List<List<ProxyEntry>> newProxyBuckets() {
        List<List<ProxyEntry>> buckets = new ArrayList<>(16);
        for (int i = 0; i < 16; i++) {
            buckets.add(new ArrayList<>());
        }
        return List.copyOf(buckets);
    }

    /** {@code pneigh_hash}: the key's last four bytes as a little-endian word, folded to four bits. */
    private static int proxyHash(IpAddress key) {
        byte[] b = new byte[key.family() == Family.INET6 ? 16 : 4];
        if (key instanceof dev.ipsim.kernel.addr.Ipv6Address a6) {
            a6.writeTo(b, 0);
        } else {
            ((dev.ipsim.kernel.addr.Ipv4Address) key).writeTo(b, 0);
        }
        int n = b.length;
        int h = (b[n - 4] & 0xFF) | (b[n - 3] & 0xFF) << 8 | (b[n - 2] & 0xFF) << 16 | (b[n - 1] & 0xFF) << 24;
        h ^= h >>> 16;
        h ^= h >>> 8;
        h ^= h >>> 4;
        return h & 0xF;
    }

    /** {@code neigh_add} with {@code NTF_PROXY}: made if new, its protocol updated if given. */
    public void addProxy(IpAddress key, NetDevice dev, int protocol) {
        List<ProxyEntry> bucket = proxyBuckets.get(proxyHash(key));
        for (int i = 0; i < bucket.size(); i++) {
            ProxyEntry e = bucket.get(i);
            if (e.key().equals(key) && e.device() == dev) {
                if (protocol != 0) {
                    bucket.set(i, new ProxyEntry(key, dev, protocol));
                }
                return;
            }
        }
        bucket.add(0, new ProxyEntry(key, dev, protocol));
    }

    /** {@code pneigh_delete}: ENOENT when there is no such entry. */
    public void deleteProxy(IpAddress key, NetDevice dev) {
        if (!proxyBuckets.get(proxyHash(key)).removeIf(e -> e.key().equals(key) && e.device() == dev)) {
            throw new KernelException(Errno.ENOENT);
        }
    }

    /** {@code pneigh_lookup}: whether an entry answers for the address on the device. */
    public boolean isProxied(IpAddress key, NetDevice dev) {
        for (ProxyEntry e : proxyBuckets.get(proxyHash(key))) {
            if (e.key().equals(key) && (e.device() == dev || e.device() == null)) {
                return true;
            }
        }
        return false;
    }

    /** The proxy entries in dump order ({@code pneigh_dump_table}): bucket by bucket, newest first. */
    public List<ProxyEntry> proxies() {
        List<ProxyEntry> out = new ArrayList<>();
        for (List<ProxyEntry> bucket : proxyBuckets) {
            out.addAll(bucket);
        }
        return out;
    }

    /** {@code neigh_changeaddr}: the device's address changed; every entry of it goes. */
    public void changeAddress(NetDevice dev) {
        // neigh_flush_dev alone: the proxy entries stay
        for (Neighbour n : entries()) {
            if (n.device == dev) {
                unlink(n);
            }
        }
    }
}
