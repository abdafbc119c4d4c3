package dev.ipsim.kernel.link;

/** {@code IF_LINK_MODE_*}: how operstate treats a device whose lower layer is up. */
public enum LinkMode {
    DEFAULT, DORMANT, TESTING
}
