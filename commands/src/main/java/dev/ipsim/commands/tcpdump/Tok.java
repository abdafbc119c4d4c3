package dev.ipsim.commands.tcpdump;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * tcpdump's value-to-name tables ({@code struct tok}) and {@code tok2str}/{@code bittok2str}:
 * a name for a known value, the fallback format for an unknown one. Entries keep tcpdump's
 * order, which decides the first match where two share a value.
 */
final class Tok {

    private Tok() {
    }

    /** {@code tok2str}: the name, or {@code fmt} formatted with the value. */
    static String str(Map<Integer, String> table, String fmt, int value) {
        String s = table.get(value);
        return s != null ? s : String.format(fmt, value);
    }

    /** {@code bittok2str}: the names of every bit set, joined with ", "; {@code none} if none. */
    static String bits(Map<Integer, String> table, String none, int value) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<Integer, String> e : table.entrySet()) {
            int v = e.getKey();
            if (v != 0 && (value & v) == v) {
                if (sb.length() > 0) {
                    sb.append(", ");
                }
                sb.append(e.getValue());
            }
        }
        return sb.length() > 0 ? sb.toString() : String.format(none, value);
    }

    private static Map<Integer, String> of(Object... pairs) {
        Map<Integer, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.putIfAbsent((Integer) pairs[i], (String) pairs[i + 1]);
        }
        return m;
    }

    /** {@code ethertype_values} (print-ether.c). */
    static final Map<Integer, String> ETHERTYPE = of(
            0x0800, "IPv4", 0x8847, "MPLS unicast", 0x8848, "MPLS multicast", 0x86dd, "IPv6",
            0x8100, "802.1Q", 0x9100, "802.1Q-9100", 0x88a8, "802.1Q-QinQ", 0x9200, "802.1Q-9200",
            0x88e5, "802.1AE MACsec", 0x0200, "PUP", 0x0806, "ARP", 0x8035, "Reverse ARP",
            0x0600, "NS", 0x0500, "Sprite", 0x1000, "Trail", 0x6001, "MOP DL", 0x6002, "MOP RC", 0x6003, "DN",
            0x6004, "LAT", 0x6007, "SCA", 0x6558, "TEB", 0x8038, "Lanbridge", 0x803c, "DEC DNS",
            0x803e, "DEC DTS", 0x805b, "VEXP", 0x805c, "VPROD", 0x809b, "Appletalk", 0x80f3, "Appletalk ARP",
            0x8137, "IPX", 0x880b, "PPP", 0x8808, "MPCP", 0x8809, "Slow Protocols", 0x8863, "PPPoE D",
            0x8864, "PPPoE S", 0x888e, "EAPOL", 0x8899, "Realtek protocols", 0x886f, "MS NLB heartbeat",
            0x8870, "Jumbo", 0x894f, "NSH", 0x9000, "Loopback", 0xfefe, "OSI", 0x00fe, "GRE-OSI",
            0xabcd, "CFM (old)", 0x8902, "CFM", 0x893a, "IEEE1905.1", 0x88cc, "LLDP", 0x88ca, "TIPC",
            0x0707, "GeoNet (old)", 0x8947, "GeoNet", 0x1111, "CALM FAST", 0x88a2, "AoE", 0x88f7, "PTP",
            0xd28b, "Arista Vendor Specific Protocol");

    /** {@code oui_values} (oui.c). */
    static final Map<Integer, String> OUI = of(
            0x000000, "Ethernet", 0x00000c, "Cisco", 0x00005e, "IANA", 0x000081, "Nortel Networks SONMP",
            0x0000f8, "Cisco bridged", 0x0080c2, "Ethernet bridged", 0x00a03e, "ATM Forum",
            0x00e02f, "DOCSIS Spanning Tree", 0x080007, "Appletalk", 0x009069, "Juniper",
            0x080009, "Hewlett-Packard", 0x00120f, "IEEE 802.3 Private", 0x0012bb, "ANSI/TIA",
            0x001b21, "DCBX", 0x002320, "Nicira Networks", 0x5c16c7, "Big Switch Networks",
            0xb0d2f5, "Vello Systems", 0x002481, "HP", 0x0004ea, "HP-Labs", 0x748771, "Infoblox Inc",
            0xa42305, "Open Networking Lab", 0x00049f, "Freescale", 0x0015ad, "Netronome",
            0x001018, "Broadcom", 0x00e004, "PMC-Sierra", 0xd0f0db, "Ericsson");

    /** {@code arphrd_values}. */
    static final Map<Integer, String> ARPHRD = of(1, "Ethernet", 6, "TokenRing", 7, "ArcNet", 15, "FrameRelay",
            23, "Strip", 24, "IEEE 1394", 19, "ATM", 32, "InfiniBand");

    /** {@code arpop_values}. */
    static final Map<Integer, String> ARPOP = of(1, "Request", 2, "Reply", 3, "Reverse Request",
            4, "Reverse Reply", 8, "Inverse Request", 9, "Inverse Reply", 10, "NACK Reply");

    /** {@code ipproto_values} (ipproto.c). */
    static final Map<Integer, String> IPPROTO = of(0, "Options", 1, "ICMP", 2, "IGMP", 4, "IPIP", 6, "TCP",
            8, "EGP", 9, "IGRP", 17, "UDP", 33, "DCCP", 41, "IPv6", 43, "Routing", 44, "Fragment", 46, "RSVP",
            47, "GRE", 50, "ESP", 51, "AH", 55, "Mobile IP", 58, "ICMPv6", 62, "Mobile IP (old)", 88, "EIGRP",
            89, "OSPF", 103, "PIM", 108, "Compressed IP", 112, "VRRP", 113, "PGM", 132, "SCTP", 135, "Mobility",
            143, "Ethernet");

    /** {@code ip_frag_values}. */
    static final Map<Integer, String> IP_FRAG = of(0x2000, "+", 0x4000, "DF", 0x8000, "rsvd");

    /** {@code icmp2str}: ICMP types printed by name alone. */
    static final Map<Integer, String> ICMP = of(0, "echo reply", 4, "source quench", 8, "echo request",
            10, "router solicitation", 13, "time stamp request", 14, "time stamp reply",
            15, "information request", 16, "information reply", 17, "address mask request");

    /** {@code icmp6_type_values}. */
    static final Map<Integer, String> ICMP6 = of(1, "destination unreachable", 2, "packet too big",
            3, "time exceeded in-transit", 4, "parameter problem", 128, "echo request", 129, "echo reply",
            130, "multicast listener query", 131, "multicast listener report", 132, "multicast listener done",
            133, "router solicitation", 134, "router advertisement", 135, "neighbor solicitation",
            136, "neighbor advertisement", 137, "redirect", 138, "router renumbering",
            141, "inverse neighbor solicitation", 142, "inverse neighbor advertisement",
            143, "multicast listener report v2", 144, "ha discovery request", 145, "ha discovery reply",
            146, "mobile router solicitation", 147, "mobile router advertisement", 139, "who-are-you request",
            140, "who-are-you reply", 200, "mtrace message", 201, "mtrace response", 155, "RPL");

    /** {@code icmp6_dst_unreach_code_values}. */
    static final Map<Integer, String> ICMP6_UNREACH = of(0, "unreachable route", 1, " unreachable prohibited",
            2, "beyond scope", 3, "unreachable address", 4, "unreachable port");

    /** {@code icmp6_nd_na_flag_values}. */
    static final Map<Integer, String> ND_NA_FLAGS = of(0x80000000, "router", 0x40000000, "solicited",
            0x20000000, "override");

    /** {@code icmp6_opt_values}. */
    static final Map<Integer, String> ND_OPT = of(1, "source link-address", 2, "destination link-address",
            3, "prefix info", 4, "redirected header", 5, "mtu", 25, "rdnss", 31, "dnssl",
            7, "advertisement interval", 8, "homeagent information", 24, "route info");

    /** {@code icmp6_opt_pi_flag_values}. */
    static final Map<Integer, String> ND_PI_FLAGS = of(0x80, "onlink", 0x40, "auto", 0x20, "router");

    /** {@code icmp6_opt_ra_flag_values}. */
    static final Map<Integer, String> ND_RA_FLAGS = of(0x80, "managed", 0x40, "other stateful", 0x20, "home agent",
            0x08, "proxy");

    /** {@code mldv2report2str}. */
    static final Map<Integer, String> MLDV2_REPORT = of(1, "is_in", 2, "is_ex", 3, "to_in", 4, "to_ex",
            5, "allow", 6, "block");

    /** {@code netdb_protocol_names}: what {@code netdb_protoname} says for a protocol number. */
    private static final String[] NETDB = new String[256];

    static {
        String table = "0=hopopt 1=icmp 2=igmp 3=ggp 4=ipencap 5=st 6=tcp 7=cbt 8=egp 9=igp 10=bbn-rcc-mon "
                + "11=nvp-ii 12=pup 13=argus 14=emcon 15=xnet 16=chaos 17=udp 18=mux 19=dcn-meas 20=hmp 21=prm "
                + "22=xns-idp 23=trunk-1 24=trunk-2 25=leaf-1 26=leaf-2 27=rdp 28=irtp 29=iso-tp4 30=netblt "
                + "31=mfe-nsp 32=merit-inp 33=dccp 34=3pc 35=idpr 36=xtp 37=ddp 38=idpr-cmtp 39=tp++ 40=il "
                + "41=ipv6 42=sdrp 43=ipv6-route 44=ipv6-frag 45=idrp 46=rsvp 47=gre 48=dsr 49=bna 50=esp 51=ah "
                + "52=i-nlsp 53=swipe 54=narp 55=mobile 56=tlsp 57=skip 58=ipv6-icmp 59=ipv6-nonxt 60=ipv6-opts "
                + "62=cftp 64=sat-expak 65=kryptolan 66=rvd 67=ippc 69=sat-mon 70=visa 71=ipcv 72=cpnx 73=rspf "
                + "74=wsn 75=pvp 76=br-sat-mon 77=sun-nd 78=wb-mon 79=wb-expak 80=iso-ip 81=vmtp 82=secure-vmtp "
                + "83=vines 84=ttp 85=nsfnet-igp 86=dgp 87=tcf 88=eigrp 89=ospf 90=sprite-rpc 91=larp 92=mtp "
                + "93=ax.25 94=ipip 95=micp 96=scc-sp 97=etherip 98=encap 100=gmtp 101=ifmp 102=pnni 103=pim "
                + "104=aris 105=scps 106=qnx 107=a/n 108=ipcomp 109=snp 110=compaq-peer 111=ipx-in-ip 112=vrrp "
                + "113=pgm 115=l2tp 116=ddx 117=iatp 118=stp 119=srp 120=uti 121=smp 122=sm 123=ptp 124=isis "
                + "125=fire 126=crtp 127=crudp 128=sscopmce 129=iplt 130=sps 131=pipe 132=sctp 133=fc "
                + "134=rsvp-e2e-ignore 135=mobility-header 136=udplite 137=mpls-in-ip 138=manet 139=hip "
                + "140=shim6 141=wesp 142=rohc 253=exptest-253 254=exptest-254 255=reserved";
        for (String e : table.split(" ")) {
            int eq = e.indexOf('=');
            NETDB[Integer.parseInt(e.substring(0, eq))] = e.substring(eq + 1);
        }
    }

    /** {@code netdb_protoname}: the protocol's name, or {@code null}. */
    static String netdbProtoname(int proto) {
        return proto >= 0 && proto < 256 ? NETDB[proto] : null;
    }
}
