package dev.ipsim.shell.fuzz;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Command lines from the real tools' grammars (iproute2's {@code ip} and {@code bridge},
 * net-tools' {@code route} and {@code arp}, iputils' {@code ping}, procps' {@code sysctl},
 * {@code ovs-vsctl}, {@code tcpdump}, and the shell's own syntax), then mutated: words dropped,
 * doubled, swapped or replaced by garbage (huge numbers, 10,000-character words, control
 * characters, random bytes, unbalanced quotes). A line is a function of the generator's seed
 * and its position only.
 */
final class CommandLines {

    private static final String[] DEVICES = {"lo", "eth0", "veth0", "veth1", "v0", "v1", "br0", "br1", "d0",
        "dummy0", "ovsbr", "nosuch", "eth0.5", "a-very-long-name-x"};
    private static final String[] NAMESPACES = {"ns1", "ns2", "red", "blue", "nosuch", "1", "ns1/x", ".."};
    private static final String[] IPV4 = {"10.0.0.1", "10.0.0.2", "10.0.0.254", "10.0.0.255", "10.0.0.0",
        "192.168.1.1", "192.168.1.2", "127.0.0.1", "0.0.0.0", "255.255.255.255", "224.0.0.1", "10.0.2.2",
        "10.0.2.15", "1.1.1.1", "8.8.8.8", "169.254.1.1", "172.16.0.1", "10.1.1.1"};
    private static final String[] IPV6 = {"fe80::1", "2001:db8::1", "2001:db8::2", "::1", "::", "ff02::1",
        "fd00::1", "2001:db8:1::1"};
    private static final String[] MACS = {"02:00:00:00:00:01", "02:00:00:00:00:02", "00:11:22:33:44:55",
        "01:00:5e:00:00:01", "ff:ff:ff:ff:ff:ff", "00:00:00:00:00:00", "02:00:00:00:00", "zz:00:00:00:00:00",
        "2:0:0:0:0:3", "02:00:00:00:00:01:02"};
    private static final String[] NUMBERS = {"0", "1", "2", "3", "68", "100", "1280", "1500", "9000", "65535",
        "65536", "-1", "255", "256", "4294967295", "4294967296", "99999999999999999999", "0x10", "010", "1e3",
        "", "abc"};
    private static final String[] TABLES = {"main", "local", "default", "100", "200", "255", "0", "4294967295",
        "unspec", "foo"};
    private static final String[] SYSCTLS = {"net.ipv4.ip_forward", "net.ipv4.conf.all.forwarding",
        "net.ipv4.conf.all.rp_filter", "net.ipv4.conf.default.rp_filter", "net.ipv4.conf.$DEV.rp_filter",
        "net.ipv4.conf.$DEV.forwarding", "net.ipv4.conf.$DEV.accept_local", "net.ipv4.conf.$DEV.arp_ignore",
        "net.ipv4.conf.$DEV.arp_announce", "net.ipv4.conf.$DEV.proxy_arp", "net.ipv6.conf.$DEV.disable_ipv6",
        "net.ipv6.conf.all.disable_ipv6", "net.ipv6.conf.$DEV.mtu", "net.ipv4.neigh.$DEV.base_reachable_time_ms",
        "net.ipv4.neigh.default.gc_thresh1", "net.ipv4.icmp_echo_ignore_all", "net.ipv4.ip_default_ttl",
        "net.ipv4.conf.$DEV.send_redirects", "net.core.somaxconn", "kernel.hostname", "net.ipv4.nosuch",
        "net/ipv4/ip_forward", "net.ipv4.conf.$DEV", "net", "..", "net.ipv4.route.flush"};

    private static final List<String> TOOLS = List.of(
            // ip link
            "ip [$GOPT ]link add $DEV type {veth [peer [name] $DEV [address $MAC] [netns $NS]]|dummy|bridge"
                    + "|vlan id $NUM link $DEV|macvlan|nosuch} [address $MAC] [mtu $NUM] [up] [txqueuelen $NUM]",
            "ip [$GOPT ]link add name $DEV [index $NUM] type veth peer name $DEV",
            "ip [$GOPT ]link {set|change} [dev] $DEV {up|down|mtu $NUM|address $MAC|name $DEV|master $DEV|nomaster"
                    + "|netns {$NS|$NUM}|alias $WORD|txqlen $NUM|arp {on|off|x}|multicast {on|off}|promisc {on|off}"
                    + "|group $NUM|addrgenmode {eui64|none|random|x}|broadcast $MAC} [{up|down|mtu $NUM}]",
            "ip [$GOPT ]link {del|delete} [dev] $DEV [type veth]",
            "ip [$GOPT ]link {show|list|sh|ls} [{dev $DEV|$DEV|up|master $DEV|type {veth|bridge|dummy}|group $NUM}]",
            "ip [$GOPT ]link {help|xstats|afstats|property add dev $DEV altname $DEV|nosuch}",
            "ip [$GOPT ]link {set|del} group $NUM [{up|down}]",
            // ip addr
            "ip [$GOPT ]{addr|a|address} {add|replace|change} {$PFX4|$IP4|$PFX6|$IP6|$WORD} [peer $IP4] "
                    + "[brd {+|-|$IP4}] dev $DEV [label $DEV:$NUM] [scope {host|link|global|$NUM}] "
                    + "[valid_lft {forever|$NUM} preferred_lft {forever|$NUM}] [{noprefixroute|nodad|home}]",
            "ip [$GOPT ]{addr|a} {del|delete} {$PFX4|$IP4|$PFX6} dev $DEV",
            "ip [$GOPT ]{addr|a} {show|list|s|ls} [{dev $DEV|$DEV|up|scope {host|link|global}|to $PFX4"
                    + "|label $WORD|primary|secondary|dynamic|permanent|tentative}]",
            "ip [$GOPT ]{addr|a} flush {dev $DEV|$DEV|to $PFX4|scope global|label $WORD|all}",
            // ip route
            "ip [$GOPT ]{route|r|ro} {add|replace|change|append|prepend|del|delete|test} "
                    + "{$PFX4|$IP4|default|$PFX6|$WORD|{unreachable|blackhole|prohibit|local|broadcast|throw|nat"
                    + "|multicast} $PFX4} [via {$IP4|$IP6|inet $IP4}] [dev $DEV] [table $TABLE] [metric $NUM] "
                    + "[src $IP4] [scope {link|host|global|$NUM}] [proto {static|kernel|boot|$NUM}] [onlink] "
                    + "[tos $NUM] [mtu $NUM] [nexthop via $IP4]",
            "ip [$GOPT ]{route|r} {show|list|s} [{table $TABLE|dev $DEV|via $IP4|proto {kernel|static}"
                    + "|scope {link|host}|type {unicast|local|broadcast}|root $PFX4|match $PFX4|exact $PFX4"
                    + "|cache|$PFX4}]",
            "ip [$GOPT ]{route|r} get {$IP4|$IP6|$WORD} [{from $IP4|iif $DEV|oif $DEV|tos $NUM|mark $NUM"
                    + "|connected|fibmatch}]",
            "ip [$GOPT ]{route|r} flush {table $TABLE|dev $DEV|cache|all|$PFX4|proto $NUM}",
            // ip rule
            "ip [$GOPT ]rule {add|del|delete} [{from $PFX4|from all}] [to $PFX4] [{iif|oif} $DEV] [fwmark $NUM] "
                    + "[tos $NUM] [pref $NUM] [{table|lookup} $TABLE] [{unreachable|blackhole|prohibit|goto $NUM}] "
                    + "[not] [uidrange 1-2] [ipproto {tcp|udp}] [sport $NUM]",
            "ip [$GOPT ]rule {show|list|flush|save|restore}",
            // ip neigh
            "ip [$GOPT ]{neigh|n|neighbour} {add|replace|change|del|delete} {$IP4|$IP6|$WORD} [lladdr $MAC] "
                    + "dev $DEV [nud {permanent|reachable|stale|noarp|delay|probe|failed|none|x}] [router] [proxy]",
            "ip [$GOPT ]{neigh|n} {show|flush|get} [{dev $DEV|$IP4|nud {all|stale|failed}|proxy|to $PFX4}] "
                    + "[dev $DEV]",
            // ip netns
            "ip netns {add|delete|del|attach $NS $NUM|set $NS {auto|$NUM}|identify [$NUM]|pids $NS} [$NS]",
            "ip netns {list|show|list-id|help|nosuch}",
            "ip netns exec $NS {ip {link|addr|route|neigh}|ping -c1 -W1 $IP4|sysctl $SYSCTL|cat /proc/sys/net/"
                    + "ipv4/ip_forward|ip netns exec $NS ip link|nosuchcmd|true|false}",
            "ip -n $NS {link|addr|route|neigh|rule} [show]",
            "ip {-all|-a} netns {exec ip link|delete}",
            // ip misc and globals
            "ip [$GOPT ]{maddress|mroute|monitor|xfrm|tunnel|l2tp|nexthop|ntable|netconf|tuntap|vrf|stats|help|-V"
                    + "|-h|-nosuch|nosuch}",
            "ip -batch {/tmp/batch|-|nosuch|/etc|/proc/sys/net/ipv4/ip_forward}",
            "ip [-force ]-batch /tmp/batch",
            // bridge
            "bridge [{-d|-s|-j|-c}] {link|fdb|vlan|mdb} [{show|list}] [{dev $DEV|br $DEV|master $DEV}]",
            "bridge {fdb|vlan} {add|del} {$MAC|vid $NUM} dev $DEV [{master|self|vid $NUM|permanent|static}]",
            "bridge link set dev $DEV {cost $NUM|priority $NUM|state $NUM|learning {on|off}|flood {on|off}}",
            "bridge {help|nosuch|-V|monitor}",
            // net-tools
            "route [{-n|-e|-ee|-v|-A inet6|-A inet|-4|-6|-C|-F}]",
            "route {add|del} {-net $PFX4|-net $IP4 netmask {255.255.255.0|255.0.0.0|1.2.3.4|$IP4}|-host $IP4"
                    + "|default|$IP4|$WORD} [{gw|gateway} $IP4] [dev $DEV] [metric $NUM] [{reject|mod|dyn"
                    + "|reinstate}] [mss $NUM] [window $NUM] [irtt $NUM] [$DEV]",
            "arp [{-n|-a|-e|-v|-i $DEV|-H ether|-H nosuch}] [$IP4]",
            "arp {-s|-d|-Ds} $IP4 [{$MAC|$DEV}] [{temp|pub|netmask 255.255.255.0}] [-i $DEV]",
            "arp {-f|--file} {/tmp/ethers|/etc/ethers|nosuch}",
            // ping: short deadlines, never forever
            "ping -c {1|2} [-W {1|0.1|0|-1|x}] [-w {1|2|0}] [-i {0.2|0.001|0|x}] [-s {0|56|1472|65507|65536|x}] "
                    + "[-t {1|64|255|256|0}] [-I {$DEV|$IP4}] [{-n|-q|-v|-D|-O|-b|-R|-4|-6|-M do|-p ff|-Q 4}] "
                    + "{$IP4|$IP6|localhost|example.com|nosuch.invalid|$WORD}",
            "ping [{-h|-V|-c|-c 0|-c x|-z|-I|-W -1 -c1}] [$IP4]",
            // sysctl
            "sysctl [{-a|-A|-X|-n|-e|-N|-q|-w|-p|-r ip_forward|--system|-h|-V|-z}] [$SYSCTL[=$NUM]]",
            "sysctl -w $SYSCTL=$NUM [$SYSCTL=$NUM]",
            "sysctl {-p|-p /tmp/sysctl.conf|-p /etc/sysctl.conf|-p nosuch}",
            // ovs
            "ovs-vsctl [{--may-exist|--if-exists}] {add-br|del-br|br-exists} {$DEV|ovsbr}",
            "ovs-vsctl [{--may-exist|--if-exists}] {add-port|del-port} {$DEV|ovsbr} $DEV",
            "ovs-vsctl {show|list-br|list-ports $DEV|list-ifaces $DEV|port-to-br $DEV|iface-to-br $DEV"
                    + "|br-to-parent $DEV|set Port $DEV tag=5|get Bridge $DEV name|list Bridge|nosuch|--help|-V}",
            "ovs-vsctl [{--bare|--format=table|--format=csv|--columns=name,tag}] {list|find} {Port|Interface|Bridge|x}"
                    + " [{$DEV|tag=5|type=internal|name=$DEV|trunks=1,2}]",
            "ovs-vsctl [--if-exists] {get|set|clear|remove} {Port|Interface|int|Bridge} {$DEV|ovsbr}"
                    + " {tag|tag=4096|trunks=[1,2]|type=internal|type|name=x|i} [{5|x}]",
            "ovs-vsctl add-port {$DEV|ovsbr} {$DEV|p9} [{tag=$NUM|trunks=1,1}] [-- set Interface {$DEV|p9} type=internal]",
            // tcpdump: count and timeouts, never forever
            "tcpdump [-i {$DEV|any|nosuch}] -c {1|0|x} [{-n|-nn|-e|-v|-l|-q|-tttt}] [{-w /tmp/cap|-w /tmp|-r /tmp/cap"
                    + "|-w /dev/null}] [{icmp|arp|host $IP4|port 53|nosuch}]",
            "tcpdump {-D|--version|-h|-i|-z}",
            // files the model shows
            "{cat|ls} {/proc/sys/net/ipv4/ip_forward|/proc/sys/net/ipv4/conf/$DEV/forwarding|/sys/class/net"
                    + "|/sys/class/net/$DEV/address|/sys/class/net/$DEV/mtu|/run/netns|/proc/net/dev|/etc/hosts"
                    + "|/proc/net/arp|/proc/net/route|/sys/class/net/$DEV/operstate}",
            "echo $NUM > {/proc/sys/net/ipv4/ip_forward|/proc/sys/net/ipv4/conf/$DEV/rp_filter"
                    + "|/sys/class/net/$DEV/mtu|/proc/sys/net/ipv6/conf/$DEV/disable_ipv6}",
            "printf '{link add d0 type dummy|addr add $PFX4 dev $DEV|route add $PFX4 dev $DEV|$WORD}\\\\n"
                    + "{link set $DEV up|neigh add $IP4 lladdr $MAC dev $DEV|nosuch}\\\\n' > /tmp/batch",
            "sleep {0.1|1|5|30|301}");

    private static final List<String> SHELL = List.of(
            "for i in 1 2 3; do ip link add d$i type dummy; done",
            "for d in $(ls /sys/class/net); do echo $d; ip link set $d up; done",
            "if ip link show $DEV >/dev/null 2>&1; then echo yes; else echo no; fi",
            "ip addr | grep -c inet; echo ${PIPESTATUS:-x} $?",
            "x=$(ip -br link); echo \"${x:0:$NUM}\" ${#x}",
            "ip link show $DEV && ip addr flush dev $DEV || echo failed",
            "{ ip route; ip -6 route; } 2>&1 | sort | uniq | wc -l",
            "( ip netns add ns1; ip -n ns1 link set lo up ); ip netns",
            "echo $(( $NUM + $NUM )) $(( $NUM / 0 )) $(( 1 << $NUM ))",
            "f() { ip link add $1 type dummy && ip link set $1 up; }; f $DEV; f $DEV",
            "case $NUM in 1) echo one;; *) echo other;; esac",
            "while read l; do echo \"$l\"; done < /etc/hosts",
            "cat <<EOF > /tmp/sysctl.conf\nnet.ipv4.ip_forward = 1\nEOF",
            "ip link add veth0 type veth peer name veth1; ip link set veth1 netns ns1; ip netns exec ns1 ip link",
            "ip netns add red; ip netns add blue; ip link add v0 netns red type veth peer name v1 netns blue",
            "ip link add br0 type bridge; ip link set veth0 master br0; bridge link; ip link del br0",
            "ip addr add 10.0.0.1/24 dev veth0; ip link set veth0 up; ping -c1 -W1 10.0.0.2; arp -n",
            "ip route add 10.9.0.0/16 via 10.0.0.2; ip route get 10.9.1.1; route -n",
            "echo '$WORD' | cat -A; echo \"$WORD\" >&2; printf '%s %d\\n' $WORD $NUM",
            "[ -e /sys/class/net/$DEV ] && cat /sys/class/net/$DEV/ifindex",
            "ip -j link | head -c $NUM; ip -j -p addr show $DEV",
            "ip -o addr; ip -br -c addr; ip -s -s link show $DEV; ip -d link show $DEV",
            "exit $NUM",
            "source /tmp/batch; . /tmp/nosuch",
            "type ip route ping; which ip; command -v sysctl; hash",
            "echo ${UNSET:-default} ${UNSET:?message}",
            "save /tmp/lab; source /tmp/lab; . /tmp/lab $NUM; save; save /proc; save /tmp",
            "ip -batch /tmp/batch; ip -force -batch /tmp/batch; ip -batch -");

    private final SplittableRandom random;
    private final Templates templates;
    private final List<String> tools;
    private final List<String> shell;

    CommandLines(long seed) {
        this.random = new SplittableRandom(seed);
        Map<String, Templates.Pool> pools = new HashMap<>();
        pools.put("WORD", (r, t) -> word(r));
        pools.put("GOPT", (r, t) -> pick(r, GLOBAL_OPTIONS));
        pools.put("DEV", (r, t) -> r.nextInt(20) == 0 ? word(r) : pick(r, DEVICES));
        pools.put("NS", (r, t) -> pick(r, NAMESPACES));
        pools.put("IP4", (r, t) -> r.nextInt(30) == 0 ? r.nextInt(300) + "." + r.nextInt(300) + "."
                + r.nextInt(300) + "." + r.nextInt(300) : pick(r, IPV4));
        pools.put("IP6", (r, t) -> pick(r, IPV6));
        pools.put("PFX4", (r, t) -> pick(r, IPV4) + "/" + pick(r, new String[] {"0", "1", "8", "16", "24", "24",
            "24", "30", "31", "32", "33", "-1", "", "255.255.255.0", "x"}));
        pools.put("PFX6", (r, t) -> pick(r, IPV6) + "/" + pick(r, new String[] {"0", "64", "64", "128", "129"}));
        pools.put("MAC", (r, t) -> pick(r, MACS));
        pools.put("NUM", (r, t) -> pick(r, NUMBERS));
        pools.put("TABLE", (r, t) -> pick(r, TABLES));
        pools.put("SYSCTL", (r, t) -> t.expand(pick(r, SYSCTLS), r));
        this.templates = new Templates(pools);
        this.tools = TOOLS;
        this.shell = SHELL;
    }

    /** The next line: from a grammar, a mutated one, shell syntax, or garbage. */
    String next() {
        int kind = random.nextInt(100);
        if (kind < 55) {
            return expand(pick(random, tools));
        }
        if (kind < 80) {
            // loops are left whole: a mutated `while` can loop for ever, in bash as here
            String template = pick(random, shell);
            return mutate(random.nextInt(4) == 0 && !template.contains("while ") ? shell(template)
                    : expand(pick(random, tools)));
        }
        if (kind < 94) {
            return shell(pick(random, shell));
        }
        return garbage();
    }

    private String expand(String template) {
        return templates.expand(template, random);
    }

    private String shell(String template) {
        return templates.substitute(template, random);
    }

    private static final String[] GLOBAL_OPTIONS = {"-4", "-6", "-s", "-d", "-o", "-j", "-j -p", "-br", "-n ns1", "-N",
            "-r", "-c", "-t", "-0", "-f inet", "-f link", "-family bridge", "-details -statistics", "-echo",
            "-force", "-V", "-l 1", "-iec", "-h", "-rc 1", "-n nosuch", "-b", "-M", "--json", "-x"};

    /** A word a user might type where a name belongs, or much worse. */
    static String word(SplittableRandom r) {
        return switch (r.nextInt(16)) {
            case 0 -> "";
            case 1 -> "x".repeat(10_000);
            case 2 -> String.valueOf(r.nextLong());
            case 3 -> "99999999999999999999999999999999";
            case 4 -> "-" + (char) ('a' + r.nextInt(26));
            case 5 -> "--" + randomAscii(r, 1 + r.nextInt(8));
            case 6 -> "'" + randomAscii(r, r.nextInt(5));
            case 7 -> "\"" + randomAscii(r, r.nextInt(5));
            case 8 -> controlChars(r);
            case 9 -> randomBytes(r, 1 + r.nextInt(20));
            case 10 -> "\u00e9\u4e2d\ud83d\ude00";
            case 11 -> "a/b";
            case 12 -> "%s%n%d";
            case 13 -> "*";
            case 14 -> "0x" + Long.toHexString(r.nextLong());
            default -> randomAscii(r, 1 + r.nextInt(16));
        };
    }

    private String mutate(String line) {
        String[] words = line.split(" ", -1);
        int n = 1 + random.nextInt(3);
        for (int k = 0; k < n && words.length > 0; k++) {
            int i = random.nextInt(words.length);
            switch (random.nextInt(8)) {
                case 0 -> words[i] = "";
                case 1 -> words[i] = words[i] + " " + words[i];
                case 2 -> {
                    int j = random.nextInt(words.length);
                    String w = words[i];
                    words[i] = words[j];
                    words[j] = w;
                }
                case 3 -> words[i] = word(random);
                case 4 -> words[i] = pick(random, NUMBERS);
                case 5 -> words[i] = words[i].isEmpty() ? "" : words[i].substring(0, random.nextInt(words[i].length()));
                case 6 -> words[i] = words[i] + pick(random, new String[] {";", "|", "&&", "||", ">", "<", "(", ")",
                    "{", "}", "$(", "`", "\\", "#", "&", "2>&1", "<<", "$((", "${"});
                default -> words[i] = words[i].toUpperCase();
            }
        }
        String out = String.join(" ", words);
        if (random.nextInt(10) == 0 && !out.isEmpty()) {
            out = out.substring(0, random.nextInt(out.length()));
        }
        return out;
    }

    private String garbage() {
        return switch (random.nextInt(6)) {
            case 0 -> randomBytes(random, 1 + random.nextInt(200));
            case 1 -> randomAscii(random, 1 + random.nextInt(200));
            case 2 -> controlChars(random);
            case 3 -> "(".repeat(1 + random.nextInt(3000));
            case 4 -> "echo " + "$(".repeat(1 + random.nextInt(200)) + "x" + ")".repeat(random.nextInt(200));
            default -> pick(random, new String[] {"ip", "bridge", "route", "arp", "sysctl", "ping", "ovs-vsctl",
                "tcpdump"}) + " " + word(random) + " " + word(random);
        };
    }

    static String randomAscii(SplittableRandom r, int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append((char) (0x20 + r.nextInt(0x5f)));
        }
        return sb.toString();
    }

    static String randomBytes(SplittableRandom r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        // as the shell reads a file: UTF-8, invalid bytes replaced; newlines end the line
        return new String(b, java.nio.charset.StandardCharsets.UTF_8).replace('\n', ' ');
    }

    static String controlChars(SplittableRandom r) {
        StringBuilder sb = new StringBuilder();
        int n = 1 + r.nextInt(10);
        for (int i = 0; i < n; i++) {
            char c = (char) r.nextInt(0x20);
            sb.append(c == '\n' ? '\u007f' : c);
        }
        return sb.toString();
    }

    static <T> T pick(SplittableRandom r, T[] options) {
        return options[r.nextInt(options.length)];
    }

    static <T> T pick(SplittableRandom r, List<T> options) {
        return options.get(r.nextInt(options.size()));
    }
}
