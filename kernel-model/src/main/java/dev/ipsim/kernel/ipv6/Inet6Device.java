package dev.ipsim.kernel.ipv6;

import dev.ipsim.kernel.CompactList;
import dev.ipsim.kernel.link.NetDevice;
import java.util.Collections;
import java.util.List;

/**
 * A device's IPv6 state ({@code struct inet6_dev}): its addresses, kept as the kernel keeps
 * {@code addr_list} (wider scope first; a new address goes before others of its scope).
 */
public final class Inet6Device {

    /** {@code IN6_ADDR_GEN_MODE_*} names, by number. */
    public static final String[] ADDR_GEN_MODES = {"eui64", "none", "stable_secret", "random"};

    private final NetDevice device;
    /** {@code null}, the one address, or an {@code Object[]} of them: see {@link CompactList}. */
    private Object addresses;

    /** The addresses as a list (a view made per use). */
    private final class Addresses extends CompactList<Inet6IfAddr> {
        @Override
        protected Object load() {
            return addresses;
        }

        @Override
        protected void store(Object value) {
            addresses = value;
        }
    }
    /** {@code IF_READY}: the link has been up with carrier at least once since the last ifdown. */
    boolean ready;
    /**
     * Whether the device has an {@code inet6_dev} at all: not while its mtu is below 1280
     * (the kernel frees it, and its {@code net/ipv6} sysctl directories with it).
     */
    boolean present = true;
    private int addrGenMode;
    /**
     * The MLD and router solicitation state {@code Ipv6Stack} keeps for the device (its
     * {@code mc_*} and {@code rs_*} fields), made on first use: here rather than in an
     * identity map, it fills this object's padding.
     */
    private Object mldState;

    public Inet6Device(NetDevice device) {
        this.device = device;
    }

    public NetDevice device() {
        return device;
    }

    public List<Inet6IfAddr> addresses() {
        return Collections.unmodifiableList(new Addresses());
    }

    List<Inet6IfAddr> mutableAddresses() {
        return new Addresses();
    }

    public Object mldState() {
        return mldState;
    }

    public void setMldState(Object state) {
        this.mldState = state;
    }

    public boolean isReady() {
        return ready;
    }

    public boolean isPresent() {
        return present;
    }

    public int addrGenMode() {
        return addrGenMode;
    }

    public void setAddrGenMode(int addrGenMode) {
        this.addrGenMode = addrGenMode;
    }
}
