package dev.ipsim.kernel.capture;

import dev.ipsim.kernel.Kernel;
import dev.ipsim.kernel.link.NetDevice;
import dev.ipsim.kernel.time.VirtualClock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A packet socket bound to a device with a TPACKET_V3 receive ring, as libpcap opens one for
 * tcpdump ({@code af_packet.c}): frames that pass the socket's filter are counted
 * ({@code tp_packets}, tcpdump's "received by filter") and copied, cut to the snapshot length,
 * into the ring's current block. The process sees a block only once the kernel retires it:
 * when the block timer fires, every {@code blockTimeout} since the ring was made
 * ({@code tp_retire_blk_tov}: 100 ms for tcpdump at a terminal, 1 s otherwise), or at once
 * without a timeout (immediate mode). So packets reach tcpdump in bursts, and those still in the
 * current block when it stops are counted but never printed.
 *
 * <p>Opening it makes the device promiscuous ({@code PACKET_MR_PROMISC}); closing undoes it.
 */
public final class PacketSocket implements AutoCloseable {

    /** A captured frame as the ring holds it: when, where, which way, its bytes up to the snapshot length. */
    public record Packet(long timeNanos, NetDevice device, Direction direction, byte[] data, int length) {
    }

    private final Kernel kernel;
    private final NetDevice device;
    private final Predicate<CapturedFrame> filter;
    private final int snaplen;
    private final long blockTimeout;
    private final long openedAt;
    private final boolean promiscuous;
    private final CaptureTap.Subscription subscription;
    private final List<Packet> block = new ArrayList<>();
    private final ArrayDeque<Packet> ready = new ArrayDeque<>();
    private VirtualClock.Timer retire;
    private long received;
    private boolean closed;

    /**
     * Opens the socket on {@code device} now.
     *
     * @param filter       the socket filter: frames it refuses are neither counted nor kept
     * @param snaplen      bytes of each frame kept
     * @param blockTimeout nanoseconds between block retirements; 0 for immediate delivery
     * @param promiscuous  whether to put the device in promiscuous mode (not {@code tcpdump -p})
     */
    public PacketSocket(Kernel kernel, NetDevice device, Predicate<CapturedFrame> filter, int snaplen,
                        long blockTimeout, boolean promiscuous) {
        this.kernel = kernel;
        this.device = device;
        this.filter = filter;
        this.snaplen = snaplen;
        this.blockTimeout = blockTimeout;
        this.openedAt = kernel.clock().nanos();
        this.promiscuous = promiscuous;
        if (promiscuous) {
            device.adjustPromiscuity(1);
        }
        this.subscription = kernel.packets().subscribe(device, this::capture);
    }

    /** A socket bound to no device: every device of {@code ns}, present and future (the "any" device). */
    public PacketSocket(Kernel kernel, dev.ipsim.kernel.NetNamespace ns, Predicate<CapturedFrame> filter,
                        int snaplen, long blockTimeout) {
        this.kernel = kernel;
        this.device = null;
        this.filter = filter;
        this.snaplen = snaplen;
        this.blockTimeout = blockTimeout;
        this.openedAt = kernel.clock().nanos();
        this.promiscuous = false;
        this.subscription = kernel.packets().subscribe(ns, this::capture);
    }

    /** The device it is bound to, or {@code null} for all of a namespace's. */
    public NetDevice device() {
        return device;
    }

    /**
     * {@code tpacket_rcv}: a frame the device sent or received. The filter sees the frame as the
     * socket's link type presents it and says how much of it to keep (0: nothing).
     */
    private void capture(CapturedFrame f) {
        if (closed || !filter.test(f)) {
            return;
        }
        received++;
        byte[] frame = f.frame();
        int caplen = Math.min(frame.length, snaplen);
        byte[] data = caplen == frame.length ? frame : java.util.Arrays.copyOf(frame, caplen);
        block.add(new Packet(f.timeNanos(), f.device(), f.direction(), data, frame.length));
        if (blockTimeout <= 0) {
            retireBlock();
        } else if (retire == null || !retire.pending()) {
            // the block timer runs every blockTimeout from when the ring was made
            long now = kernel.clock().nanos();
            long periods = (now - openedAt) / blockTimeout + 1;
            retire = kernel.clock().schedule(openedAt + periods * blockTimeout, this::retireBlock);
        }
    }

    /** {@code prb_retire_rx_blk_timer_expired}: the current block goes to the process. */
    private void retireBlock() {
        ready.addAll(block);
        block.clear();
    }

    /** Whether a retired block holds frames the process has not read ({@code poll} says readable). */
    public boolean readable() {
        return !ready.isEmpty();
    }

    /** The next frame of the retired blocks, or {@code null}. */
    public Packet next() {
        return ready.poll();
    }

    /** {@code PACKET_STATISTICS}' {@code tp_packets}: frames that passed the filter. */
    public long received() {
        return received;
    }

    /** {@code tp_drops}: frames lost for want of room in the ring (never, at ipsim's rates). */
    public long dropped() {
        return 0;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        subscription.close();
        if (retire != null) {
            retire.cancel();
        }
        if (promiscuous && device.isRegistered()) {
            device.adjustPromiscuity(-1);
        }
    }
}
