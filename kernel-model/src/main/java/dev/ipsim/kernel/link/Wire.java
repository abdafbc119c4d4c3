package dev.ipsim.kernel.link;

/**
 * What a NIC's cable leads to: a network outside the simulated machine (the host profile's LAN
 * and the Internet behind it). It is handed every frame the NIC puts on the cable and answers,
 * if at all, through {@link dev.ipsim.kernel.packet.PacketEngine#arriveFromWire}.
 */
@FunctionalInterface
public interface Wire {

    /** A frame {@code nic} transmitted, at the current virtual time. The array is the wire's to keep. */
    void carry(NetDevice nic, byte[] frame);
}
