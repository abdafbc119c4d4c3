package dev.ipsim.kernel;

/** Netdevice notifier events ({@code NETDEV_*}) the subsystems react to. */
public enum NetdevEvent {
    /** The device was registered in a namespace. */
    REGISTER,
    /** The device came up ({@code dev_open} finished). */
    UP,
    /** The device is about to go down. */
    GOING_DOWN,
    /** The device went down. */
    DOWN,
    /** Link state changed: carrier, operstate ({@code netdev_state_change}). */
    CHANGE,
    /** The MTU changed. */
    CHANGEMTU,
    /** The hardware address changed. */
    CHANGEADDR,
    /** The device was renamed. */
    CHANGENAME,
    /** The device is being unregistered from its namespace. */
    UNREGISTER
}
