package dev.ipsim.kernel.world;

import dev.ipsim.kernel.Kernel;
import dev.ipsim.kernel.link.EthernetNic;
import dev.ipsim.kernel.time.VirtualClock;

/**
 * Everything outside the simulated machine, for one seed: QEMU's user-mode network its NIC is
 * cabled to ({@link UserNetwork}), the {@link Internet} behind it, and the DNS ({@link Zone},
 * {@link DnsServer}). The same seed makes the same world: the same distances, the same hosts
 * answering, the same addresses for made-up names.
 */
public final class World {

    private final Internet internet;
    private final Zone zone;
    private final DnsServer dns;
    private final UserNetwork lan;

    private World(Kernel kernel, long seed, UserNetwork.Hypervisor hypervisor) {
        long worldSeed = Hashing.mix(seed, 0x57_0A_1DL);
        // a few milliseconds to the gateway: 1.0 to 2.5 ms, fixed for the machine
        long gatewayRtt = VirtualClock.NANOS_PER_MILLI + Hashing.below(Hashing.mix(worldSeed, 40), 1500) * 1000L;
        this.internet = new Internet(worldSeed, gatewayRtt);
        this.zone = new Zone(worldSeed);
        this.dns = new DnsServer(zone, worldSeed);
        this.lan = new UserNetwork(hypervisor, kernel.packets(), internet, dns, worldSeed, gatewayRtt);
    }

    /** The world of a QEMU machine started with {@code seed}. */
    public static World create(Kernel kernel, long seed) {
        return new World(kernel, seed, UserNetwork.Hypervisor.QEMU);
    }

    /** The world of a machine started with {@code seed} under another hypervisor's user-mode network. */
    public static World create(Kernel kernel, long seed, UserNetwork.Hypervisor hypervisor) {
        return new World(kernel, seed, hypervisor);
    }

    /** Cables a NIC to the user-mode network. */
    public void connect(EthernetNic nic) {
        nic.plugInto(lan);
    }

    public Internet internet() {
        return internet;
    }

    public Zone zone() {
        return zone;
    }

    public DnsServer dns() {
        return dns;
    }

    public UserNetwork lan() {
        return lan;
    }
}
