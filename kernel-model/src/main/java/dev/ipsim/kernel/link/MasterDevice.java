package dev.ipsim.kernel.link;

/**
 * A device others can be enslaved to with {@code ip link set DEV master M}
 * ({@code ndo_add_slave}, {@code ndo_del_slave}): a bridge.
 */
public interface MasterDevice {

    /** {@code ndo_add_slave}. */
    void addSlave(NetDevice slave);

    /** {@code ndo_del_slave}. */
    void deleteSlave(NetDevice slave);
}
