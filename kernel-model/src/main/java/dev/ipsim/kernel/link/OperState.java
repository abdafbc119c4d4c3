package dev.ipsim.kernel.link;

/** RFC 2863 operational states, in the order of their {@code IF_OPER_*} numbers. */
public enum OperState {
    UNKNOWN, NOTPRESENT, DOWN, LOWERLAYERDOWN, TESTING, DORMANT, UP;

    /** True for the states in which {@code netif_oper_up()} lets packets through. */
    public boolean isOperUp() {
        return this == UP || this == UNKNOWN;
    }
}
