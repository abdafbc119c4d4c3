package dev.ipsim.commands.net;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code getprotobyname}/{@code getprotobynumber} over the {@code /etc/protocols} Debian's
 * netbase ships: the official names, first entry first (so 0 is {@code ip}, not
 * {@code hopopt}), with the aliases a lookup by name also accepts.
 */
public final class Protocols {

    /** Name, number and aliases, in the file's order. */
    private static final String[][] ENTRIES = {
        {"ip", "0", "IP"}, {"hopopt", "0", "HOPOPT"}, {"icmp", "1", "ICMP"}, {"igmp", "2", "IGMP"},
        {"ggp", "3", "GGP"}, {"ipencap", "4", "IP-ENCAP"}, {"st", "5", "ST"}, {"tcp", "6", "TCP"},
        {"egp", "8", "EGP"}, {"igp", "9", "IGP"}, {"pup", "12", "PUP"}, {"udp", "17", "UDP"},
        {"hmp", "20", "HMP"}, {"xns-idp", "22", "XNS-IDP"}, {"rdp", "27", "RDP"}, {"iso-tp4", "29", "ISO-TP4"},
        {"dccp", "33", "DCCP"}, {"xtp", "36", "XTP"}, {"ddp", "37", "DDP"}, {"idpr-cmtp", "38", "IDPR-CMTP"},
        {"ipv6", "41", "IPv6"}, {"ipv6-route", "43", "IPv6-Route"}, {"ipv6-frag", "44", "IPv6-Frag"},
        {"idrp", "45", "IDRP"}, {"rsvp", "46", "RSVP"}, {"gre", "47", "GRE"}, {"esp", "50", "IPSEC-ESP"},
        {"ah", "51", "IPSEC-AH"}, {"skip", "57", "SKIP"}, {"ipv6-icmp", "58", "IPv6-ICMP"},
        {"ipv6-nonxt", "59", "IPv6-NoNxt"}, {"ipv6-opts", "60", "IPv6-Opts"}, {"rspf", "73", "RSPF", "CPHB"},
        {"vmtp", "81", "VMTP"}, {"eigrp", "88", "EIGRP"}, {"ospf", "89", "OSPFIGP"}, {"ax.25", "93", "AX.25"},
        {"ipip", "94", "IPIP"}, {"etherip", "97", "ETHERIP"}, {"encap", "98", "ENCAP"}, {"pim", "103", "PIM"},
        {"ipcomp", "108", "IPCOMP"}, {"vrrp", "112", "VRRP"}, {"l2tp", "115", "L2TP"}, {"isis", "124", "ISIS"},
        {"sctp", "132", "SCTP"}, {"fc", "133", "FC"}, {"mobility-header", "135", "Mobility-Header"},
        {"udplite", "136", "UDPLite"}, {"mpls-in-ip", "137", "MPLS-in-IP"}, {"manet", "138"},
        {"hip", "139", "HIP"}, {"shim6", "140", "Shim6"}, {"wesp", "141", "WESP"}, {"rohc", "142", "ROHC"},
        {"ethernet", "143", "Ethernet"}, {"aggfrag", "144", "AGGFRAG"}, {"nsh", "145", "NSH"},
    };

    private static final Map<Integer, String> BY_NUMBER = new LinkedHashMap<>();

    static {
        for (String[] e : ENTRIES) {
            BY_NUMBER.putIfAbsent(Integer.parseInt(e[1]), e[0]);
        }
    }

    private Protocols() {
    }

    /** {@code getprotobynumber}: the official name, or {@code null}. */
    public static String name(int number) {
        return BY_NUMBER.get(number);
    }

    /** {@code getprotobyname}: the number of a name or alias, or -1. */
    public static int number(String name) {
        for (String[] e : ENTRIES) {
            for (int i = 0; i < e.length; i++) {
                if (i != 1 && e[i].equals(name)) {
                    return Integer.parseInt(e[1]);
                }
            }
        }
        return -1;
    }
}
