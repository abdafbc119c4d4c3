package dev.ipsim.shell;

import dev.ipsim.commands.Userland;
import dev.ipsim.kernel.KernelProfile;
import dev.ipsim.kernel.time.TimerWheel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A kind of machine a tutorial was written on: its kernel ({@link KernelProfile}, the rules the
 * model applies), its tools ({@link Userland}, what the commands print), and what its
 * distribution sets at boot ({@code sysctl.d} values, the NICs' default qdisc, the host name and
 * the files of {@code /etc} that name lookups read). {@code default} is the oracle's machine,
 * today's kernel and tools.
 *
 * <p>Every difference here is taken from the tools' and the kernel's histories (see
 * {@link KernelProfile} and {@link Userland} for the changes each flag stands for) and from
 * what the seed documents show.
 *
 * @param name        what {@code --profile} and a transcript's {@code profile:} call it
 * @param description one line for {@code --profile help}
 * @param sysctls     {@code net.*} values the distribution sets at boot, as {@code /proc/sys} paths
 * @param nicQdisc    {@code net.core.default_qdisc}: the qdisc a NIC shows once up
 * @param hostname    the host name the machine is installed with
 * @param etc         files of {@code /etc} the distribution ships differently from Debian's
 */
public record SystemProfile(String name, String description, KernelProfile kernel, Userland userland,
                            Map<String, String> sysctls, String nicQdisc, String hostname, Map<String, String> etc) {

    /** The oracle's machine: kernel 6.18, Debian 12's iproute2 6.1, iputils 20221126, tcpdump 4.99.3, net-tools 2.10. */
    public static final SystemProfile DEFAULT = new SystemProfile("default",
            "today's kernel and tools, as the oracle records them (Linux 6.18, Debian 12 userland)",
            KernelProfile.CURRENT, Userland.CURRENT, Map.of(), "fq_codel", "ipsim", Map.of());

    /**
     * Debian 8 "jessie" as it was in 2017: Linux 3.16 (cascading timer wheel; no source check
     * with {@code rp_filter} off, so a veth pair answers its own ARP), iputils s20121221 (ping
     * -I does not bind its socket and hears the errors that come over lo), tcpdump 4.9.2 from
     * the 2017 security updates, iproute2 3.16, systemd 215 (no {@code fq_codel} default).
     */
    public static final SystemProfile DEBIAN_8 = new SystemProfile("debian-8",
            "Debian 8 (2017): Linux 3.16, iputils s20121221, tcpdump 4.9, iproute2 3.16",
            new KernelProfile("3.16.0-4-amd64", TimerWheel.CASCADING, false, false,
                    KernelProfile.BEFORE_RS_BACKOFF),
            Userland.of("3.16.0", "s20121221", "4.9.2", "1.60", "215"), Map.of(), "pfifo_fast", "debian", Map.of());

    /**
     * Ubuntu 18.04: Linux 4.15, iputils s20161105 (ping -I binds its socket), tcpdump 4.9.2,
     * iproute2 4.15, systemd 237; {@code /etc/sysctl.d/10-network-security.conf} turns strict
     * reverse path filtering on, which is why a veth pair there needs {@code rp_filter} off as
     * well as {@code accept_local} on.
     */
    public static final SystemProfile UBUNTU_18_04 = new SystemProfile("ubuntu-18.04",
            "Ubuntu 18.04: Linux 4.15, iputils s20161105, tcpdump 4.9, rp_filter=1",
            new KernelProfile("4.15.0-20-generic", TimerWheel.NON_CASCADING, true, true, Map.of()),
            Userland.of("4.15.0", "s20161105", "4.9.2", "1.60", "237"), rpFilter(1), "fq_codel", "ubuntu",
            Map.of());

    /**
     * Debian 11 "bullseye": Linux 5.10, iputils 20210202, tcpdump 4.99.0, iproute2 5.10,
     * net-tools 1.60+git20181103, systemd 247.
     */
    public static final SystemProfile DEBIAN_11 = new SystemProfile("debian-11",
            "Debian 11: Linux 5.10, iputils 20210202, tcpdump 4.99.0, iproute2 5.10",
            new KernelProfile("5.10.0-9-amd64", TimerWheel.NON_CASCADING, true, true, Map.of()),
            Userland.of("5.10.0", "20210202", "4.99.0", "1.60", "247"), Map.of(), "fq_codel", "debian", Map.of());

    /**
     * CentOS 7 (7.5 and later, a Vagrant box): Linux 3.10 (cascading timer wheel), iproute 4.11
     * (address flags in the old order: {@code noprefixroute dynamic}), iputils 20160308 (ping -I
     * does not bind its socket), net-tools 2.0, tcpdump 4.9.2, systemd 219 (its
     * {@code 50-default.conf} turns {@code rp_filter} on; no {@code fq_codel}, so NICs keep
     * {@code pfifo_fast}), host name {@code localhost.localdomain}, and {@code myhostname} in
     * {@code nsswitch.conf}: {@code route} and {@code arp} call the default gateway
     * {@code gateway} and the machine's own addresses by its host name.
     */
    public static final SystemProfile CENTOS_7 = new SystemProfile("centos-7",
            "CentOS 7: Linux 3.10, iproute 4.11, iputils 20160308, net-tools 2.0, nss-myhostname",
            new KernelProfile("3.10.0-1160.el7.x86_64", TimerWheel.CASCADING, false, false,
                    KernelProfile.BEFORE_RS_BACKOFF),
            Userland.of("4.11.0", "20160308", "4.9.2", "2.0", "219"), rpFilter(1), "pfifo_fast",
            "localhost.localdomain", Map.of(
                    "hosts", "127.0.0.1   localhost localhost.localdomain localhost4 localhost4.localdomain4\n"
                            + "::1         localhost localhost.localdomain localhost6 localhost6.localdomain6\n",
                    "nsswitch.conf", "passwd:     files sss\nshadow:     files sss\ngroup:      files sss\n\n"
                            + "hosts:      files dns myhostname\n\n"
                            + "networks:   files\nprotocols:  files\nservices:   files sss\n"));

    /** Every profile, in the order {@code --profile help} lists them. */
    public static final List<SystemProfile> ALL = List.of(DEFAULT, DEBIAN_8, UBUNTU_18_04, DEBIAN_11, CENTOS_7);

    /** The profile of that name, or {@code null}. */
    public static SystemProfile named(String name) {
        for (SystemProfile p : ALL) {
            if (p.name.equals(name)) {
                return p;
            }
        }
        return null;
    }

    private static Map<String, String> rpFilter(int value) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("net/ipv4/conf/default/rp_filter", Integer.toString(value));
        m.put("net/ipv4/conf/all/rp_filter", Integer.toString(value));
        return m;
    }
}
