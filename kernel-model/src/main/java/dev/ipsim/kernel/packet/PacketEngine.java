package dev.ipsim.kernel.packet;

import dev.ipsim.kernel.Kernel;
import dev.ipsim.kernel.capture.CaptureTap;
import dev.ipsim.kernel.capture.CapturedFrame;
import dev.ipsim.kernel.capture.Direction;
import dev.ipsim.kernel.link.Dummy;
import dev.ipsim.kernel.link.EthernetNic;
import dev.ipsim.kernel.link.Loopback;
import dev.ipsim.kernel.link.NetDevice;
import dev.ipsim.kernel.link.RxHandler;
import dev.ipsim.kernel.link.SwitchDevice;
import dev.ipsim.kernel.link.Veth;
import dev.ipsim.kernel.wire.EthernetFrame;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Moves frames between devices on the virtual clock: the link layer of every namespace
 * ({@code dev_queue_xmit}, the drivers' transmit functions, {@code netif_rx}).
 *
 * <p>A frame sent on a device is seen by that device's taps, counted as the driver counts it,
 * and received a few microseconds later by the device the driver hands it to: a veth's peer (in
 * whatever namespace it is), or loopback itself. Reception is an event on the virtual clock, as
 * softirq work is: {@link Kernel#settle()} runs frames in flight to completion before a command
 * returns, so a ping's reply has arrived, with a realistic timestamp, by the time ping looks.
 *
 * <p>Counting follows the drivers: a veth counts whole frames and its peer's receive counters
 * are its transmit counters; loopback counts the IP datagram without the Ethernet header, once
 * each way; neither counts multicast. A device that is down drops what it is given and counts
 * {@code tx_dropped}; so does one without carrier, whose queue is the noop qdisc.
 */
public final class PacketEngine {

    /** From a veth's transmit to its peer's protocol handler (a softirq on the same CPU). */
    static final long VETH_LATENCY_NANOS = 5_000;
    /** From loopback's transmit to its own protocol handler. */
    static final long LOOPBACK_LATENCY_NANOS = 7_000;
    /** Jitter added to every hop, so that round trips are not all alike. */
    static final long JITTER_NANOS = 6_000;
    /** VLAN header room {@code is_skb_forwardable} allows above the MTU. */
    private static final int VLAN_HEADER_LENGTH = 4;
    /** A bound on frames handled while settling: an Ethernet loop must not hang the shell. */
    private static final int MAX_EVENTS_PER_SETTLE = 200_000;
    /**
     * {@code netdev_max_backlog}: the frames a CPU's backlog holds for the stack; more are
     * dropped ({@code enqueue_to_backlog}). What keeps a broadcast storm in a switching loop
     * from growing without end.
     */
    static final int NETDEV_MAX_BACKLOG = 1000;

    private final Kernel kernel;
    private final SplittableRandom random;
    private final Map<NetDevice, List<CaptureTap>> taps = new IdentityHashMap<>();
    /** Taps on every device of a namespace, present and future (a packet socket bound to no device). */
    private final Map<dev.ipsim.kernel.NetNamespace, List<CaptureTap>> namespaceTaps = new IdentityHashMap<>();
    private int inFlight;
    private boolean stepping;

    public PacketEngine(Kernel kernel, SplittableRandom random) {
        this.kernel = kernel;
        this.random = random;
    }

    /** The packet path's own random generator (hash seeds, protocol delays, jitter). */
    public SplittableRandom random() {
        return random;
    }

    public Kernel kernel() {
        return kernel;
    }

    /**
     * {@code hash32_ptr(dev)}: what a device's address in kernel memory contributes to hashes
     * (the ARP table mixes it into the key). Random per device, fixed for its life.
     */
    public int pointerHash(NetDevice dev) {
        NetDevice.EngineState e = dev.engine();
        if (!e.pointerHashDrawn) {
            e.pointerHash = random.nextInt();
            e.pointerHashDrawn = true;
        }
        return e.pointerHash;
    }

    // ------------------------------------------------------------------ taps

    /** Adds a tap to a device; it sees frames in both directions until the subscription is closed. */
    public CaptureTap.Subscription subscribe(NetDevice dev, CaptureTap tap) {
        taps.computeIfAbsent(dev, d -> new ArrayList<>()).add(tap);
        return () -> {
            List<CaptureTap> list = taps.get(dev);
            if (list != null) {
                list.remove(tap);
                if (list.isEmpty()) {
                    taps.remove(dev);
                }
            }
        };
    }

    /**
     * Adds a tap to every device of a namespace, those made later included ({@code tcpdump -i
     * any}); it sees frames in both directions until the subscription is closed.
     */
    public CaptureTap.Subscription subscribe(dev.ipsim.kernel.NetNamespace ns, CaptureTap tap) {
        namespaceTaps.computeIfAbsent(ns, n -> new ArrayList<>()).add(tap);
        return () -> {
            List<CaptureTap> list = namespaceTaps.get(ns);
            if (list != null) {
                list.remove(tap);
                if (list.isEmpty()) {
                    namespaceTaps.remove(ns);
                }
            }
        };
    }

    private void tap(NetDevice dev, Direction direction, byte[] frame) {
        if (taps.isEmpty() && namespaceTaps.isEmpty()) {
            return; // no capture anywhere: nothing to look up
        }
        List<CaptureTap> list = taps.get(dev);
        List<CaptureTap> all = namespaceTaps.isEmpty() ? null : namespaceTaps.get(dev.namespace());
        if (list == null && all == null) {
            return;
        }
        CapturedFrame f = new CapturedFrame(kernel.clock().nanos(), dev, direction, frame.clone());
        for (CaptureTap t : list == null ? List.<CaptureTap>of() : List.copyOf(list)) {
            t.capture(f);
        }
        for (CaptureTap t : all == null ? List.<CaptureTap>of() : List.copyOf(all)) {
            t.capture(f);
        }
    }

    /** Forgets the taps of a device that is gone. */
    public void forget(NetDevice dev) {
        taps.remove(dev);
        if (dev.engine != null) {
            dev.engine.lastArrival = Long.MIN_VALUE;
        }
    }

    // ------------------------------------------------------------------ transmit

    /** What the driver made of a frame: sent (or queued), or dropped ({@code NET_XMIT_*}). */
    public static final int XMIT_SUCCESS = 0;
    /** {@code NET_XMIT_DROP}: the driver dropped it; a socket that sent it sees ENOBUFS. */
    public static final int XMIT_DROP = 1;
    /** {@code NET_XMIT_CN}: dropped by the qdisc, which is no error to the sender. */
    public static final int XMIT_CN = 2;

    /** {@code dev_queue_xmit} for a frame that carries no route (everything but loopback traffic). */
    public int transmit(NetDevice dev, byte[] frame) {
        return transmit(dev, frame, null);
    }

    /**
     * {@code dev_queue_xmit}: the frame leaves through {@code dev}. {@code route} is the sender's
     * routing decision, which only loopback keeps with the frame ({@code skb_dst}); a veth
     * scrubs it.
     */
    public int transmit(NetDevice dev, byte[] frame, Object route) {
        if (!dev.isUp()) {
            dev.stats().txDropped++; // __dev_queue_xmit: -ENETDOWN
            return XMIT_DROP;
        }
        if (!dev.hasCarrier()) {
            dev.stats().txDropped++; // noop_enqueue: the qdisc of a device without carrier
            return XMIT_CN;
        }
        tap(dev, Direction.OUT, frame);
        if (dev instanceof Loopback) {
            int length = frame.length - EthernetFrame.HEADER_LENGTH;
            dev.stats().countTx(length);
            dev.stats().countRx(length, false);
            later(dev, LOOPBACK_LATENCY_NANOS, frame, route);
        } else if (dev instanceof Veth veth) {
            Veth peer = veth.peer();
            if (peer == null || !peer.isUp()) {
                dev.stats().txDropped++;
                return XMIT_DROP;
            }
            if (frame.length > peer.mtu() + EthernetFrame.HEADER_LENGTH + VLAN_HEADER_LENGTH) {
                peer.stats().rxDropped++; // is_skb_forwardable
                dev.stats().txDropped++;
                return XMIT_DROP; // veth_xmit
            }
            dev.stats().countTx(frame.length);
            peer.stats().countRx(frame.length, false);
            later(peer, VETH_LATENCY_NANOS, frame, null);
        } else if (dev instanceof SwitchDevice sw) {
            dev.stats().countTx(frame.length); // br_dev_xmit, internal_dev_xmit
            sw.switchFrame(frame);
        } else if (dev instanceof Dummy) {
            dev.stats().countTx(frame.length); // dummy_xmit: counted, then freed
        } else if (dev instanceof dev.ipsim.kernel.link.Ifb) {
            dev.stats().rxDropped++; // ifb_xmit: not brought by a redirect
            return XMIT_SUCCESS;
        } else if (dev instanceof dev.ipsim.kernel.link.Tun) {
            dev.stats().txDropped++; // tun_net_xmit: no process has the queue open
            return XMIT_DROP;
        } else {
            dev.stats().countTx(frame.length); // a NIC: onto the cable
            if (dev instanceof EthernetNic nic && nic.wire() != null) {
                nic.wire().carry(nic, frame.clone());
            }
        }
        return XMIT_SUCCESS;
    }

    /**
     * A frame from the network a NIC's cable leads to, arriving at {@code atNanos} (now if that
     * has passed). The far end answers in its own time: nothing waits for it, the frame simply
     * arrives when the clock gets there, and is lost if the NIC is down or without carrier then.
     */
    public void arriveFromWire(NetDevice nic, byte[] frame, long atNanos) {
        long at = Math.max(atNanos, kernel.clock().nanos());
        kernel.clock().schedule(at, new Runnable() {
            @Override
            public void run() {
                if (!nic.isRegistered() || !nic.isUp() || !nic.hasCarrier()) {
                    return;
                }
                nic.stats().countRx(frame.length, isMulticast(frame));
                receive(nic, frame, null);
            }
        });
    }

    private static boolean isMulticast(byte[] frame) {
        return frame.length > 0 && (frame[0] & 1) != 0;
    }

    /** Schedules reception on {@code receiver}, never before a frame sent to it earlier. */
    private void later(NetDevice receiver, long latency, byte[] frame, Object route) {
        // frames on their way to the device, for NETDEV_MAX_BACKLOG; its backlog is a FIFO
        NetDevice.EngineState state = receiver.engine();
        if (state.backlog >= NETDEV_MAX_BACKLOG) {
            receiver.stats().rxDropped++;
            return;
        }
        state.backlog++;
        inFlight++;
        long at = kernel.clock().nanos() + latency + random.nextLong(JITTER_NANOS);
        if (state.lastArrival > at) {
            at = state.lastArrival;
        }
        state.lastArrival = at;
        kernel.clock().schedule(at, new Delivery(receiver, frame, route));
    }

    /** A frame due at a device: one object per frame, where two lambdas and a boxed time were. */
    private final class Delivery implements Runnable {
        private final NetDevice receiver;
        private final byte[] frame;
        private final Object route;

        Delivery(NetDevice receiver, byte[] frame, Object route) {
            this.receiver = receiver;
            this.frame = frame;
            this.route = route;
        }

        @Override
        public void run() {
            inFlight--;
            receiver.engine.backlog--;
            receive(receiver, frame, route);
        }
    }

    // ------------------------------------------------------------------ receive

    /** {@code netif_receive_skb}: taps, then the namespace's protocol handlers. */
    private void receive(NetDevice dev, byte[] frame, Object route) {
        if (!dev.isRegistered() || !dev.isUp()) {
            return;
        }
        tap(dev, Direction.IN, frame);
        RxHandler handler = dev.rxHandler();
        if (handler != null && handler.handleFrame(dev, frame)) {
            return; // a bridge (or switch) port: the switch took it
        }
        dev.namespace().stack().receive(dev, frame, route);
    }

    /**
     * {@code netif_receive_skb} for a frame a switch passes up through its own device at once
     * ({@code br_pass_frame_up}): the device's taps, then its namespace's protocols.
     */
    public void receiveNow(NetDevice dev, byte[] frame) {
        if (!dev.isRegistered() || !dev.isUp()) {
            return;
        }
        tap(dev, Direction.IN, frame);
        dev.namespace().stack().receive(dev, frame, null);
    }

    // ------------------------------------------------------------------ settling

    /** Whether frames are on their way. */
    public boolean inFlight() {
        return inFlight > 0;
    }

    /**
     * Advances the clock to the next event while frames are in flight, so that they are
     * received before the current command returns; returns whether it did anything. Called by
     * {@link Kernel#settle()}, which repeats it until nothing is in flight.
     */
    public boolean stepInFlight() {
        if (inFlight == 0 || stepping) {
            return false;
        }
        stepping = true;
        int i = 0;
        try {
            for (; i < MAX_EVENTS_PER_SETTLE && inFlight > 0; i++) {
                kernel.clock().advanceTo(kernel.clock().nextDeadline());
            }
        } finally {
            stepping = false;
        }
        // frames that go round a switching loop stay in flight for ever, as on a real machine
        // until the loop is broken: the command returns, and they go on as the clock does
        return i < MAX_EVENTS_PER_SETTLE;
    }
}
