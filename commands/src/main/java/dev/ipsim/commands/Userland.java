package dev.ipsim.commands;

/**
 * The versions of the user-space tools a machine has, for the differences between versions
 * that a user can see; each tool asks for the change it cares about. {@link #CURRENT} is the
 * oracle's, the versions every recording comes from.
 *
 * @param iproute2 {@code ip}: address flags print in a table order from 4.13 on
 * @param iputils  {@code ping}: before s20161105 it does not bind its ICMP socket to the
 *                 {@code -I} device (it names the device per packet with {@code IP_PKTINFO}), so
 *                 it hears errors that come back over {@code lo}; it prints an address without
 *                 a name as the address alone, and an unknown name as {@code unknown host}
 * @param tcpdump  {@code tcpdump}: its banner says {@code use -v or -vv} and
 *                 {@code capture size} before 4.99
 * @param netTools {@code route}, {@code arp}
 * @param systemd  nss-myhostname's name for the default gateway: {@code gateway} before 235,
 *                 {@code _gateway} since
 */
public record Userland(Version iproute2, Version iputils, Version tcpdump, Version netTools, Version systemd) {

    /** The oracle's tools: Debian 12. */
    public static final Userland CURRENT = of("6.1.0", "20221126", "4.99.3", "2.10", "252");

    public static Userland of(String iproute2, String iputils, String tcpdump, String netTools, String systemd) {
        return new Userland(Version.of(iproute2), Version.of(iputils), Version.of(tcpdump), Version.of(netTools),
                Version.of(systemd));
    }

    /** ping binds its ICMP socket to the {@code -I} device (iputils commit f455fee, s20161105). */
    public boolean pingBindsIcmpSocket() {
        return iputils.atLeast("20161105");
    }

    /** ip prints address flags from its {@code ifa_flag_names} table (iproute2 commit f73ac674, 4.13). */
    public boolean ipAddressFlagTable() {
        return iproute2.atLeast("4.13");
    }

    /**
     * The end of tcpdump's "verbose output suppressed" line: {@code use -v or -vv for full
     * protocol decode} before 4.99 (commit 952a6373 changed it to {@code use -v[v]...}).
     */
    public String tcpdumpVerboseHint() {
        return tcpdump.atLeast("4.99") ? "use -v[v]... for full protocol decode" : "use -v or -vv for full protocol decode";
    }

    /**
     * How tcpdump's "listening on" line names the snapshot length: {@code capture size N bytes}
     * before 4.99, {@code snapshot length N bytes} since.
     */
    public String tcpdumpSnaplenWords() {
        return tcpdump.atLeast("4.99") ? "snapshot length" : "capture size";
    }

    /** nss-myhostname's name for the default gateways (systemd 235 renamed it). */
    public String myhostnameGatewayName() {
        return systemd.atLeast("235") ? "_gateway" : "gateway";
    }
}
