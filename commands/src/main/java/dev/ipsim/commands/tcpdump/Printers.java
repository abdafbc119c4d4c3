package dev.ipsim.commands.tcpdump;

import java.util.Map;

/**
 * The protocol printers tcpdump 4.99 has for what ipsim's kernel sends: Ethernet
 * ({@code print-ether.c}), ARP ({@code print-arp.c}), IPv4 ({@code print-ip.c}), ICMP
 * ({@code print-icmp.c}), IPv6 with hop-by-hop options ({@code print-ip6.c},
 * {@code print-ip6opts.c}), ICMPv6 with neighbour discovery and MLDv2 ({@code print-icmp6.c})
 * and UDP without application decoders ({@code print-udp.c}). Each method mirrors its C
 * function, and each writes its part of the line and leaves the rest to the layer it calls.
 * Offsets are into the captured frame.
 */
final class Printers {

    private static final int ETHER_HDRLEN = 14;
    private static final int MAX_ETHERNET_LENGTH_VAL = 1500;
    private static final int IP_HDRLEN = 20;
    private static final int IP6_HDRLEN = 40;

    private Printers() {
    }

    // ------------------------------------------------------------------ Ethernet

    /** {@code ether_if_print}: the link layer's printer for DLT_EN10MB. */
    static void ether(Netdissect nd, int length, int caplen) {
        nd.llHdrLen += etherCommon(nd, 0, length, caplen);
    }

    /** {@code ether_common_print} for a plain Ethernet frame; returns the link header's length. */
    private static int etherCommon(Netdissect nd, int p, int length, int caplen) {
        if (length < caplen) {
            nd.printf("[length %d < caplen %d]", length, caplen);
            nd.printInvalid();
            return length;
        }
        if (caplen < ETHER_HDRLEN) {
            nd.printTrunc();
            return caplen;
        }
        int origLength = length;
        int src = p + 6;
        int dst = p;
        length -= 12;
        caplen -= 12;
        p += 12;
        int hdrlen = 12;
        if (nd.eflag != 0) {
            addresses(nd, src, dst);
        }
        int lengthType = nd.be16(p);
        length -= 2;
        caplen -= 2;
        p += 2;
        hdrlen += 2;
        boolean printedLength = false;
        while (lengthType == 0x8100 || lengthType == 0x9100 || lengthType == 0x9200 || lengthType == 0x88a8) {
            if (caplen < 4 || length < 4) {
                nd.protocol = "vlan";
                nd.printTrunc();
                return hdrlen + Math.min(caplen, length);
            }
            if (nd.eflag != 0) {
                int tag = nd.be16(p);
                etherTypePrint(nd, lengthType);
                if (!printedLength) {
                    nd.printf(", length %d: ", origLength);
                    printedLength = true;
                } else {
                    nd.print(", ");
                }
                nd.print(tciString(tag) + ", ");
            }
            lengthType = nd.be16(p + 2);
            p += 4;
            length -= 4;
            caplen -= 4;
            hdrlen += 4;
        }
        if (lengthType <= MAX_ETHERNET_LENGTH_VAL) {
            // an 802.3 length field: LLC follows, which ipsim's kernel never sends
            if (lengthType < length) {
                length = lengthType;
                caplen = Math.min(caplen, length);
            }
            if (nd.eflag != 0) {
                nd.print("802.3");
                if (!printedLength) {
                    nd.printf(", length %d: ", length);
                }
            }
            nd.defaultPrint(p, caplen);
            return hdrlen;
        }
        if (nd.eflag != 0) {
            etherTypePrint(nd, lengthType);
            if (!printedLength) {
                nd.printf(", length %d: ", origLength);
            } else {
                nd.print(", ");
            }
        }
        if (!ethertype(nd, lengthType, p, length, caplen)) {
            if (nd.eflag == 0) {
                addresses(nd, src, dst);
                etherTypePrint(nd, lengthType);
                nd.printf(", length %d: ", origLength);
            }
            nd.defaultPrint(p, caplen);
        }
        return hdrlen;
    }

    /** {@code ieee8021q_tci_string}. */
    private static String tciString(int tag) {
        int pri = tag >> 13;
        int vid = tag & 0xFFF;
        boolean dei = (tag & 0x1000) != 0;
        return "vlan " + vid + ", p " + pri + (dei ? ", DEI" : "");
    }

    private static void addresses(Netdissect nd, int src, int dst) {
        String s = nd.etheraddr(src);
        String d = nd.etheraddr(dst);
        nd.print(s + " > " + d + ", ");
    }

    /** {@code ether_type_print}. */
    private static void etherTypePrint(Netdissect nd, int type) {
        if (nd.qflag == 0) {
            nd.printf("ethertype %s (0x%04x)", Tok.str(Tok.ETHERTYPE, "Unknown", type), type);
        } else {
            nd.print(Tok.str(Tok.ETHERTYPE, "Unknown Ethertype (0x%04x)", type));
        }
    }

    /** {@code ethertype_print}: false for a type tcpdump would print as raw data here. */
    private static boolean ethertype(Netdissect nd, int type, int p, int length, int caplen) {
        switch (type) {
            case 0x0800 -> {
                ip(nd, p, length);
                return true;
            }
            case 0x86dd -> {
                ip6(nd, p, length);
                return true;
            }
            case 0x0806, 0x8035 -> {
                arp(nd, p, length, caplen);
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    // ------------------------------------------------------------------ Linux cooked captures

    /** {@code sll_pkttype_values}. */
    private static String pkttype(int t) {
        return switch (t) {
            case 0 -> "In";
            case 1 -> "B";
            case 2 -> "M";
            case 3 -> "P";
            case 4 -> "Out";
            default -> "?";
        };
    }

    /** {@code sll2_if_print}: the interface, the direction, then the payload ({@code tcpdump -i any}). */
    static void sll2(Netdissect nd, int length, int caplen, java.util.function.IntFunction<String> ifname) {
        nd.protocol = "sll2";
        nd.check(0, 20);
        long ifIndex = nd.be32(4);
        String name = ifname.apply((int) ifIndex);
        nd.print(String.format("%-5s ", name == null ? "?" : name));
        nd.print(String.format("%-3s ", pkttype(nd.u8(10))));
        if (nd.eflag != 0) {
            sll2Header(nd, length);
        }
        int whole = length;
        int type = nd.be16(0);
        cookedPayload(nd, 20, type, length - 20, caplen - 20, () -> {
            if (nd.eflag == 0) {
                sll2Header(nd, whole);
            }
        });
        nd.llHdrLen += 20;
    }

    private static void sll2Header(Netdissect nd, int length) {
        nd.protocol = "sll2";
        nd.print("ifindex " + nd.be32(4) + " ");
        if (nd.u8(11) == 6) {
            nd.print(nd.etheraddr(12) + " ");
        }
        cookedType(nd, nd.be16(0), length);
    }

    /** {@code sll_if_print}: Linux cooked v1 ({@code -i} with the "any" device's number). */
    static void sll(Netdissect nd, int length, int caplen) {
        nd.protocol = "sll";
        nd.check(0, 16);
        if (nd.eflag != 0) {
            sllHeader(nd, length);
        }
        int whole = length;
        int type = nd.be16(14);
        cookedPayload(nd, 16, type, length - 16, caplen - 16, () -> {
            if (nd.eflag == 0) {
                sllHeader(nd, whole);
            }
        });
        nd.llHdrLen += 16;
    }

    private static void sllHeader(Netdissect nd, int length) {
        nd.protocol = "sll";
        nd.print(String.format("%3s ", pkttype(nd.be16(0))));
        if (nd.be16(4) == 6) {
            nd.print(nd.etheraddr(6) + " ");
        }
        cookedType(nd, nd.be16(14), length);
    }

    private static void cookedType(Netdissect nd, int type, int length) {
        if (nd.qflag != 0) {
            return;
        }
        if (type <= MAX_ETHERNET_LENGTH_VAL) {
            nd.print(switch (type) {
                case 1 -> "802.3";
                case 4 -> "802.2";
                default -> String.format("ethertype Unknown (0x%04x)", type);
            });
        } else {
            nd.printf("ethertype %s (0x%04x)", Tok.str(Tok.ETHERTYPE, "Unknown", type), type);
        }
        nd.printf(", length %d: ", length);
    }

    private static void cookedPayload(Netdissect nd, int p, int type, int length, int caplen, Runnable header) {
        if (type <= MAX_ETHERNET_LENGTH_VAL) {
            nd.defaultPrint(p, caplen);
        } else if (!ethertype(nd, type, p, length, caplen)) {
            header.run();
            nd.defaultPrint(p, caplen);
        }
    }

    // ------------------------------------------------------------------ ARP

    /** {@code arp_print}. */
    static void arp(Netdissect nd, int ap, int length, int caplen) {
        nd.protocol = "arp";
        nd.check(ap, 8);
        int hrd = nd.be16(ap);
        int pro = nd.be16(ap + 2);
        int hln = nd.u8(ap + 4);
        int pln = nd.u8(ap + 5);
        int op = nd.be16(ap + 6);
        int sha = ap + 8;
        int spa = sha + hln;
        int tha = spa + pln;
        int tpa = tha + hln;
        nd.check(tpa, pln);
        if (nd.eflag == 0) {
            nd.print("ARP, ");
        }
        if ((pro != 0x0800 && pro != 0x1000) || pln != 4 || hln == 0 || nd.vflag != 0) {
            nd.printf("%s (len %d), %s (len %d)", Tok.str(Tok.ARPHRD, "Unknown Hardware (%d)", hrd), hln,
                    Tok.str(Tok.ETHERTYPE, "Unknown Protocol (0x%04x)", pro), pln);
            if (nd.vflag == 0) {
                nd.printf(", length %d", length);
                return;
            }
        }
        nd.print((nd.vflag != 0 ? ", " : "") + Tok.str(Tok.ARPOP, "Unknown (%d)", op) + " ");
        switch (op) {
            case 1 -> {
                nd.print("who-has ");
                nd.print(protoAddr(nd, tpa, pro, pln));
                if (nonzero(nd, tha, hln)) {
                    nd.print(" (" + nd.linkaddr(tha, hln) + ")");
                }
                nd.print(" tell ");
                nd.print(protoAddr(nd, spa, pro, pln));
            }
            case 2 -> {
                nd.print(protoAddr(nd, spa, pro, pln));
                nd.print(" is-at " + nd.linkaddr(sha, hln));
            }
            case 3, 8 -> {
                nd.print("who-is " + nd.linkaddr(tha, hln));
                nd.print(" tell " + nd.linkaddr(sha, hln));
            }
            case 4 -> {
                nd.print(nd.linkaddr(tha, hln) + " at ");
                nd.print(protoAddr(nd, tpa, pro, pln));
            }
            case 9 -> {
                nd.print(nd.linkaddr(sha, hln) + " at ");
                nd.print(protoAddr(nd, spa, pro, pln));
            }
            default -> {
                nd.defaultPrint(ap, caplen);
                return;
            }
        }
        nd.printf(", length %d", length);
    }

    /** {@code tpaddr_print_ip} / {@code spaddr_print_ip}. */
    private static String protoAddr(Netdissect nd, int at, int pro, int pln) {
        if (pro != 0x0800 && pro != 0x1000) {
            return "<wrong proto type>";
        }
        if (pln != 4) {
            return "<wrong len>";
        }
        return nd.ipaddr(at);
    }

    private static boolean nonzero(Netdissect nd, int at, int len) {
        for (int i = 0; i < len; i++) {
            if (nd.u8(at + i) != 0) {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ IPv4

    /** {@code ip_print}. */
    static void ip(Netdissect nd, int ip, int length) {
        nd.protocol = "ip";
        int vhl = nd.u8(ip);
        int version = vhl >> 4;
        if (version != 4) {
            if (version == 6) {
                nd.print("IP6, wrong link-layer encapsulation");
            } else {
                nd.print("IP" + version);
            }
            nd.printInvalid();
            return;
        }
        if (nd.eflag == 0) {
            nd.print("IP ");
        }
        nd.check(ip, IP_HDRLEN);
        if (length < IP_HDRLEN) {
            nd.print("truncated-ip " + length);
            return;
        }
        int hlen = (vhl & 0x0F) * 4;
        if (hlen < IP_HDRLEN) {
            nd.print("bad-hlen " + hlen);
            return;
        }
        int len = nd.be16(ip + 2);
        if (length < len) {
            nd.printf("truncated-ip - %d bytes missing! ", len - length);
        }
        if (len < hlen) {
            nd.print("bad-len " + len);
            return;
        }
        nd.pushSnaplen(ip, len);
        len -= hlen;
        int off = nd.be16(ip + 6);
        int proto = nd.u8(ip + 9);
        if (nd.vflag != 0) {
            int tos = nd.u8(ip + 1);
            nd.printf("(tos 0x%x", tos);
            switch (tos & 0x03) {
                case 1 -> nd.print(",ECT(1)");
                case 2 -> nd.print(",ECT(0)");
                case 3 -> nd.print(",CE");
                default -> {
                }
            }
            int ttl = nd.u8(ip + 8);
            if (ttl >= 1) {
                nd.print(", ttl " + ttl);
            }
            nd.printf(", id %d, offset %d, flags [%s], proto %s (%d)", nd.be16(ip + 4), (off & 0x1FFF) * 8,
                    Tok.bits(Tok.IP_FRAG, "none", off & 0xE000), Tok.str(Tok.IPPROTO, "unknown", proto), proto);
            nd.print(", length " + nd.be16(ip + 2));
            if (hlen > IP_HDRLEN) {
                nd.print(", options (");
                ipOptions(nd, ip + IP_HDRLEN, hlen - IP_HDRLEN);
                nd.print(")");
            }
            if (nd.test(ip, hlen)) {
                int sum = checksum(nd.packet, ip, hlen);
                if (sum != 0) {
                    int ipSum = nd.be16(ip + 10);
                    nd.printf(", bad cksum %x (->%x)!", ipSum, shouldBe(ipSum, sum));
                }
            }
            nd.print(")\n    ");
        }
        if ((off & 0x1FFF) == 0) {
            if (proto != 6 && proto != 17 && proto != 132 && proto != 33) {
                nd.print(nd.ipaddr(ip + 12) + " > " + nd.ipaddr(ip + 16) + ": ");
            }
            if (!nd.test(ip, hlen)) {
                nd.printf(" [remaining caplen(%d) < header length(%d)]", nd.available(ip), hlen);
                throw new Netdissect.Truncated();
            }
            demux(nd, ip + hlen, len, 4, (off & 0x2000) != 0, proto, ip);
        } else {
            if (nd.qflag > 1) {
                nd.popSnaplen();
                return;
            }
            nd.print(nd.ipaddr(ip + 12) + " > " + nd.ipaddr(ip + 16) + ":");
            String name = nd.nflag == 0 ? Tok.netdbProtoname(proto) : null;
            nd.print(name != null ? " " + name : " ip-proto-" + proto);
        }
        nd.popSnaplen();
    }

    /** {@code ip_optprint}, for the options Linux sends (none by default): names and lengths. */
    private static void ipOptions(Netdissect nd, int cp, int length) {
        String sep = "";
        for (int i = 0; i < length; ) {
            int type = nd.u8(cp + i);
            nd.print(sep);
            sep = ",";
            if (type == 0) {
                nd.print("EOL");
                if (length - i > 1) {
                    nd.printf(" [%d]", length - i - 1 == 0 ? 0 : length - i);
                }
                return;
            }
            if (type == 1) {
                nd.print("NOP");
                i++;
                continue;
            }
            int len = nd.u8(cp + i + 1);
            String name = switch (type) {
                case 7 -> "RR";
                case 68 -> "TS";
                case 130 -> "security";
                case 131 -> "LSRR";
                case 137 -> "SSRR";
                case 148 -> "RA";
                default -> "unknown";
            };
            nd.print(name);
            if (type == 148) {
                nd.printf(" value %d", nd.be16(cp + i + 2));
            } else {
                nd.printf(" %d", len);
            }
            if (len < 2) {
                return;
            }
            i += len;
        }
    }

    /** {@code ip_demux_print}. */
    static void demux(Netdissect nd, int bp, int length, int ver, boolean fragmented, int nh, int iph) {
        switch (nh) {
            case 17 -> udp(nd, bp, length, iph, fragmented);
            case 1 -> {
                if (ver == 4) {
                    icmp(nd, bp, length, iph, fragmented);
                } else {
                    nd.printf("[%s requires IPv4]", Tok.str(Tok.IPPROTO, "unknown", nh));
                    nd.printInvalid();
                }
            }
            case 58 -> {
                if (ver == 6) {
                    icmp6(nd, bp, length, iph, fragmented);
                } else {
                    nd.printf("[%s requires IPv6]", Tok.str(Tok.IPPROTO, "unknown", nh));
                    nd.printInvalid();
                }
            }
            case 59 -> nd.print("IP6 no next header");
            default -> {
                String name = nd.nflag == 0 ? Tok.netdbProtoname(nh) : null;
                nd.print(name != null ? " " + name : " ip-proto-" + nh);
                nd.print(" " + length);
            }
        }
    }

    // ------------------------------------------------------------------ ICMP

    /** {@code icmp_print}. */
    static void icmp(Netdissect nd, int dp, int plen, int iph, boolean fragmented) {
        nd.protocol = "icmp";
        int type = nd.u8(dp);
        int code = nd.u8(dp + 1);
        int oip = dp + 8;
        String str;
        switch (type) {
            case 0, 8 -> str = String.format("echo %s, id %d, seq %d", type == 8 ? "request" : "reply",
                    nd.be16(dp + 4), nd.be16(dp + 6));
            case 3 -> str = unreachable(nd, dp, code, oip);
            case 5 -> {
                String dst = nd.ipaddr(oip + 16);
                String gw = nd.ipaddr(dp + 4);
                str = switch (code) {
                    case 0 -> "redirect " + dst + " to net " + gw;
                    case 1 -> "redirect " + dst + " to host " + gw;
                    case 2 -> "redirect-tos " + dst + " to net " + gw;
                    case 3 -> "redirect-tos " + dst + " to host " + gw;
                    default -> "redirect-#" + code + " " + dst + " to " + gw;
                };
            }
            case 11 -> {
                nd.check(oip + 16, 4);
                str = switch (code) {
                    case 0 -> "time exceeded in-transit";
                    case 1 -> "ip reassembly time exceeded";
                    default -> "time exceeded-#" + code;
                };
            }
            case 12 -> str = code != 0 ? "parameter problem - code " + code
                    : "parameter problem - octet " + nd.u8(dp + 4);
            case 18 -> str = String.format("address mask is 0x%08x", nd.be32(dp + 8));
            case 13 -> str = String.format("time stamp query id %d seq %d", nd.be16(dp + 4), nd.be16(dp + 6));
            default -> str = Tok.str(Tok.ICMP, "type-#%d", type);
        }
        nd.print("ICMP " + str + ", length " + plen);
        if (nd.vflag != 0 && !fragmented && nd.test(dp, plen)) {
            int sum = checksum(nd.packet, dp, plen);
            if (sum != 0) {
                int icmpSum = nd.be16(dp + 2);
                nd.printf(" (wrong icmp cksum %x (->%x)!)", icmpSum, shouldBe(icmpSum, sum));
            }
        }
        if (nd.vflag >= 1 && (type == 3 || type == 4 || type == 5 || type == 11 || type == 12)) {
            nd.print("\n\t");
            int innerLen = nd.be16(oip + 2);
            int save = nd.snapend;
            nd.snapend = Math.min(oip + innerLen, nd.snapend);
            ip(nd, oip, innerLen);
            nd.snapend = save;
        }
        nd.protocol = "icmp";
    }

    private static String unreachable(Netdissect nd, int dp, int code, int oip) {
        switch (code) {
            case 0:
                return "net " + nd.ipaddr(oip + 16) + " unreachable";
            case 1:
                return "host " + nd.ipaddr(oip + 16) + " unreachable";
            case 2:
                return nd.ipaddr(oip + 16) + " protocol " + nd.u8(oip + 9) + " unreachable";
            case 3: {
                nd.check(oip + 9, 1);
                int hlen = (nd.u8(oip) & 0x0F) * 4;
                int dport = nd.be16(oip + hlen + 2);
                int proto = nd.u8(oip + 9);
                return switch (proto) {
                    case 6 -> nd.ipaddr(oip + 16) + " tcp port " + Ports.tcp(nd, dport) + " unreachable";
                    case 17 -> nd.ipaddr(oip + 16) + " udp port " + Ports.udp(nd, dport) + " unreachable";
                    default -> nd.ipaddr(oip + 16) + " protocol " + proto + " port " + dport + " unreachable";
                };
            }
            case 4: {
                int mtu = nd.be16(dp + 6);
                return mtu != 0 ? nd.ipaddr(oip + 16) + " unreachable - need to frag (mtu " + mtu + ")"
                        : nd.ipaddr(oip + 16) + " unreachable - need to frag";
            }
            case 5:
                return nd.ipaddr(oip + 16) + " unreachable - source route failed";
            case 6:
                return "net " + nd.ipaddr(oip + 16) + " unreachable - unknown";
            case 7:
                return "host " + nd.ipaddr(oip + 16) + " unreachable - unknown";
            case 8:
                return nd.ipaddr(oip + 16) + " unreachable - source host isolated";
            case 9:
                return "net " + nd.ipaddr(oip + 16) + " unreachable - admin prohibited";
            case 10:
                return "host " + nd.ipaddr(oip + 16) + " unreachable - admin prohibited";
            case 11:
                return "net " + nd.ipaddr(oip + 16) + " unreachable - tos prohibited";
            case 12:
                return "host " + nd.ipaddr(oip + 16) + " unreachable - tos prohibited";
            case 13:
                return "host " + nd.ipaddr(oip + 16) + " unreachable - admin prohibited filter";
            case 14:
                return "host " + nd.ipaddr(oip + 16) + " unreachable - host precedence violation";
            case 15:
                return "host " + nd.ipaddr(oip + 16) + " unreachable - precedence cutoff";
            default:
                return nd.ipaddr(oip + 16) + " unreachable - #" + code;
        }
    }

    // ------------------------------------------------------------------ IPv6

    /** {@code ip6_print}. */
    static void ip6(Netdissect nd, int ip6, int length) {
        nd.protocol = "ip6";
        nd.check(ip6, IP6_HDRLEN);
        if (length < IP6_HDRLEN) {
            nd.print("truncated-ip6 " + length);
            return;
        }
        if (nd.eflag == 0) {
            nd.print("IP6 ");
        }
        int version = nd.u8(ip6) >> 4;
        if (version != 6) {
            nd.print("version error: " + version + " != 6");
            return;
        }
        int payloadLen = nd.be16(ip6 + 4);
        int len;
        if (payloadLen != 0) {
            len = payloadLen + IP6_HDRLEN;
            if (length < len) {
                nd.printf("truncated-ip6 - %d bytes missing!", len - length);
            }
        } else {
            len = length + IP6_HDRLEN;
        }
        int nh = nd.u8(ip6 + 6);
        if (nd.vflag != 0) {
            long flow = nd.be32(ip6);
            nd.print("(");
            if ((flow & 0x0ff00000L) != 0) {
                nd.printf("class 0x%02x, ", (flow & 0x0ff00000L) >> 20);
            }
            if ((flow & 0x000fffffL) != 0) {
                nd.printf("flowlabel 0x%05x, ", flow & 0x000fffffL);
            }
            nd.printf("hlim %d, next-header %s (%d) payload length: %d) ", nd.u8(ip6 + 7),
                    Tok.str(Tok.IPPROTO, "unknown", nh), nh, payloadLen);
        }
        nd.pushSnaplen(ip6, len);
        int cp = ip6;
        int advance = IP6_HDRLEN;
        int totalAdvance = 0;
        boolean foundHbh = false;
        boolean foundExtension = false;
        int ph = 255;
        while (cp < nd.snapend && advance > 0) {
            if (len < advance) {
                throw new Netdissect.Truncated();
            }
            cp += advance;
            len -= advance;
            totalAdvance += advance;
            if (cp == ip6 + IP6_HDRLEN && nh != 6 && nh != 17 && nh != 33 && nh != 132) {
                nd.print(nd.ip6addr(ip6 + 8) + " > " + nd.ip6addr(ip6 + 24) + ": ");
            }
            if (nh == 0) {
                if (foundHbh) {
                    nd.print("[The Hop-by-Hop Options header was already found]");
                    nd.printInvalid();
                    return;
                }
                if (ph != 255) {
                    nd.print("[The Hop-by-Hop Options header don't follow the IPv6 header]");
                    nd.printInvalid();
                    return;
                }
                advance = hopByHop(nd, cp);
                if (payloadLen == 0) {
                    nd.print("[No valid Jumbo Payload Hop-by-Hop option found]");
                    nd.printInvalid();
                    return;
                }
                if (advance < 0) {
                    nd.popSnaplen();
                    return;
                }
                foundExtension = true;
                foundHbh = true;
                nh = nd.u8(cp);
            } else if (nh == 60) {
                advance = destinationOptions(nd, cp);
                if (advance < 0) {
                    nd.popSnaplen();
                    return;
                }
                foundExtension = true;
                nh = nd.u8(cp);
            } else {
                if (payloadLen == 0) {
                    if (foundExtension) {
                        throw new Netdissect.Truncated();
                    }
                    len = IP6_HDRLEN;
                    nd.changeSnaplen(ip6, len);
                    len -= totalAdvance;
                }
                demux(nd, cp, len, 6, false, nh, ip6);
                nd.popSnaplen();
                return;
            }
            ph = nh;
            nd.protocol = "ip6";
        }
        nd.popSnaplen();
    }

    /** {@code hbhopt_process}: {@code HBH } and, with {@code -v}, the options; returns the header's length. */
    private static int hopByHop(Netdissect nd, int dp) {
        nd.protocol = "hbhopt";
        int hbhlen = (nd.u8(dp + 1) + 1) << 3;
        if (!nd.test(dp, hbhlen)) {
            nd.printTrunc();
            return -1;
        }
        nd.print("HBH ");
        if (!options6(nd, dp + 2, hbhlen - 2)) {
            nd.printTrunc();
            return -1;
        }
        return hbhlen;
    }

    /** {@code dstopt_process}. */
    private static int destinationOptions(Netdissect nd, int dp) {
        nd.protocol = "dstopt";
        int dstoptlen = (nd.u8(dp + 1) + 1) << 3;
        if (!nd.test(dp, dstoptlen)) {
            nd.printTrunc();
            return -1;
        }
        nd.print("DSTOPT ");
        if (nd.vflag != 0 && !options6(nd, dp + 2, dstoptlen - 2)) {
            nd.printTrunc();
            return -1;
        }
        return dstoptlen;
    }

    /** {@code ip6_opt_process} for pad, router alert and unknown options. */
    private static boolean options6(Netdissect nd, int bp, int len) {
        if (len == 0) {
            return true;
        }
        int optlen;
        for (int i = 0; i < len; i += optlen) {
            int type = nd.u8(bp + i);
            if (type == 0) {
                optlen = 1;
            } else if (i + 1 < len) {
                optlen = nd.u8(bp + i + 1) + 2;
            } else {
                return false;
            }
            if (i + optlen > len) {
                return false;
            }
            switch (type) {
                case 0 -> {
                    if (nd.vflag != 0) {
                        nd.print("(pad1)");
                    }
                }
                case 1 -> {
                    if (len - i < 2) {
                        nd.print("(padn: trunc)");
                        return false;
                    }
                    if (nd.vflag != 0) {
                        nd.print("(padn)");
                    }
                }
                case 5 -> {
                    if (len - i < 4) {
                        nd.print("(rtalert: trunc)");
                        return false;
                    }
                    if (nd.u8(bp + i + 1) != 2) {
                        nd.print("(rtalert: invalid len " + nd.u8(bp + i + 1) + ")");
                        return false;
                    }
                    if (nd.vflag != 0) {
                        nd.printf("(rtalert: 0x%04x) ", nd.be16(bp + i + 2));
                    }
                }
                default -> {
                    if (len - i < 2) {
                        nd.print("(type " + type + ": trunc)");
                        return false;
                    }
                    if (nd.vflag != 0) {
                        nd.printf("(opt_type 0x%02x: len=%d)", type, nd.u8(bp + i + 1));
                    }
                }
            }
        }
        if (nd.vflag != 0) {
            nd.print(" ");
        }
        return true;
    }

    // ------------------------------------------------------------------ ICMPv6

    /** {@code icmp6_print}. */
    static void icmp6(Netdissect nd, int dp, int length, int ip6, boolean fragmented) {
        nd.protocol = "icmp6";
        int oip = dp + 8;
        if (length == 0) {
            nd.print("ICMP6, length 0");
            nd.printInvalid();
            return;
        }
        if (nd.vflag != 0 && !fragmented && nd.test(dp, length)) {
            int icmpSum = nd.be16(dp + 2);
            int sum = checksum6(nd, ip6, dp, length);
            if (sum != 0) {
                nd.printf("[bad icmp6 cksum 0x%04x -> 0x%04x!] ", icmpSum, shouldBe(icmpSum, sum));
            } else {
                nd.print("[icmp6 sum ok] ");
            }
        }
        int type = nd.u8(dp);
        nd.print("ICMP6, " + Tok.str(Tok.ICMP6, "unknown icmp6 type (%d)", type));
        if (nd.vflag != 0 && (type == 133 || type == 134 || type == 136 || type == 135 || type == 137
                || type == 145 || type == 147)) {
            nd.print(", length " + length);
        }
        int code = nd.u8(dp + 1);
        switch (type) {
            case 1 -> {
                nd.print(", " + Tok.str(Tok.ICMP6_UNREACH, "unknown unreach code (%d)", code));
                switch (code) {
                    case 0, 1, 3 -> nd.print(" " + nd.ip6addr(oip + 24));
                    case 2 -> nd.print(" " + nd.ip6addr(oip + 24) + ", source address " + nd.ip6addr(oip + 8));
                    case 4 -> {
                        int proto = nd.u8(oip + 6);
                        int dport = nd.be16(oip + IP6_HDRLEN + 2);
                        switch (proto) {
                            case 6 -> nd.print(", " + nd.ip6addr(oip + 24) + " tcp port " + Ports.tcp(nd, dport));
                            case 17 -> nd.print(", " + nd.ip6addr(oip + 24) + " udp port " + Ports.udp(nd, dport));
                            default -> nd.print(", " + nd.ip6addr(oip + 24) + " protocol " + proto + " port "
                                    + dport + " unreachable");
                        }
                    }
                    default -> {
                        if (nd.vflag <= 1) {
                            nd.unknownData(dp, "\n\t", length);
                            return;
                        }
                    }
                }
            }
            case 2 -> nd.print(", mtu " + nd.be32(dp + 4));
            case 3 -> {
                switch (code) {
                    case 0 -> nd.print(" for " + nd.ip6addr(oip + 24));
                    case 1 -> nd.print(" (reassembly)");
                    default -> nd.print(", unknown code (" + code + ")");
                }
            }
            case 4 -> {
                nd.check(oip + 24, 16);
                long pointer = nd.be32(dp + 4);
                switch (code) {
                    case 0 -> nd.print(", erroneous - octet " + pointer);
                    case 1 -> nd.print(", next header - octet " + pointer);
                    case 2 -> nd.print(", option - octet " + pointer);
                    case 3 -> nd.print(", incomplete header chain - octet " + pointer);
                    default -> nd.print(", code-#" + code);
                }
            }
            case 128, 129 -> nd.print(", id " + nd.be16(dp + 4) + ", seq " + nd.be16(dp + 6));
            case 131, 132 -> mld6(nd, dp);
            case 130 -> {
                if (length == 24) {
                    mld6(nd, dp);
                } else if (length >= 28) {
                    nd.print(" v2");
                    mldv2Query(nd, dp, length);
                } else {
                    nd.print(" unknown-version (len " + length + ") ");
                }
            }
            case 133 -> {
                if (nd.vflag != 0 && !ndOptions(nd, dp + 8, length - 8)) {
                    throw new Netdissect.Truncated();
                }
            }
            case 134 -> {
                if (nd.vflag != 0) {
                    int flags = nd.u8(dp + 5);
                    nd.printf("\n\thop limit %d, Flags [%s], pref %s, router lifetime %ds, reachable time %dms, "
                                    + "retrans timer %dms", nd.u8(dp + 4), Tok.bits(Tok.ND_RA_FLAGS, "none", flags),
                            routerPreference(flags), nd.be16(dp + 6), nd.be32(dp + 8), nd.be32(dp + 12));
                    if (!ndOptions(nd, dp + 16, length - 16)) {
                        throw new Netdissect.Truncated();
                    }
                }
            }
            case 135 -> {
                nd.print(", who has " + nd.ip6addr(dp + 8));
                if (nd.vflag != 0 && !ndOptions(nd, dp + 24, length - 24)) {
                    throw new Netdissect.Truncated();
                }
            }
            case 136 -> {
                nd.print(", tgt is " + nd.ip6addr(dp + 8));
                if (nd.vflag != 0) {
                    nd.print(", Flags [" + Tok.bits(Tok.ND_NA_FLAGS, "none", (int) nd.be32(dp + 4)) + "]");
                    if (!ndOptions(nd, dp + 24, length - 24)) {
                        throw new Netdissect.Truncated();
                    }
                }
            }
            case 137 -> {
                nd.print(", " + nd.ip6addr(dp + 8));
                nd.print(" to " + nd.ip6addr(dp + 24));
                if (nd.vflag != 0 && !ndOptions(nd, dp + 40, length - 40)) {
                    throw new Netdissect.Truncated();
                }
            }
            case 143 -> mldv2Report(nd, dp, length);
            case 141, 142 -> {
            }
            default -> {
                nd.print(", length " + length);
                if (nd.vflag <= 1) {
                    nd.unknownData(dp, "\n\t", length);
                }
                return;
            }
        }
        if (nd.vflag == 0) {
            nd.print(", length " + length);
        }
    }

    private static String routerPreference(int flags) {
        return switch ((flags >> 3) & 0x3) {
            case 0 -> "medium";
            case 1 -> "high";
            case 2 -> "rsv";
            default -> "low";
        };
    }

    /** {@code mld6_print}: the delay and the group, when the whole header was captured. */
    private static void mld6(Netdissect nd, int dp) {
        if (dp + 24 > nd.snapend) {
            return;
        }
        nd.printf("max resp delay: %d ", nd.be16(dp + 4));
        nd.print("addr: " + nd.ip6addr(dp + 8));
    }

    /** {@code mldv2_query_print}. */
    private static void mldv2Query(Netdissect nd, int dp, int len) {
        if (len < 28) {
            nd.print(" [invalid len " + len + "]");
            return;
        }
        int mrc = nd.be16(dp + 4);
        long mrt = mrc < 32768 ? mrc : (long) ((mrc & 0x0fff) | 0x1000) << (((mrc & 0x7000) >> 12) + 3);
        if (nd.vflag != 0) {
            nd.print(" [max resp delay=" + mrt + "]");
        }
        nd.print(" [gaddr " + nd.ip6addr(dp + 8));
        if (nd.vflag != 0) {
            int flags = nd.u8(dp + 24);
            if ((flags & 0x08) != 0) {
                nd.print(" sflag");
            }
            int qrv = flags & 0x07;
            if (qrv != 0) {
                nd.print(" robustness=" + qrv);
            }
            int qqic = nd.u8(dp + 25);
            long qqi = qqic < 128 ? qqic : (long) ((qqic & 0x0f) | 0x10) << (((qqic & 0x70) >> 4) + 3);
            nd.print(" qqi=" + qqi);
        }
        int nsrcs = nd.be16(dp + 26);
        if (nsrcs > 0) {
            if (len < 28 + nsrcs * 16) {
                nd.print(" [invalid number of sources]");
            } else if (nd.vflag > 1) {
                nd.print(" {");
                for (int i = 0; i < nsrcs; i++) {
                    nd.print(" " + nd.ip6addr(dp + 28 + i * 16));
                }
                nd.print(" }");
            } else {
                nd.print(", " + nsrcs + " source(s)");
            }
        }
        nd.print("]");
    }

    /** {@code mldv2_report_print}. */
    private static void mldv2Report(Netdissect nd, int bp, int len) {
        if (len < 8) {
            nd.print(" [invalid len " + len + "]");
            return;
        }
        int ngroups = nd.be16(bp + 6);
        nd.print(", " + ngroups + " group record(s)");
        if (nd.vflag == 0) {
            return;
        }
        int group = 8;
        for (int i = 0; i < ngroups; i++) {
            if (len < group + 20) {
                nd.print(" [invalid number of groups]");
                return;
            }
            nd.print(" [gaddr " + nd.ip6addr(bp + group + 4));
            nd.print(" " + Tok.str(Tok.MLDV2_REPORT, " [v2-report-#%d]", nd.u8(bp + group)));
            int nsrcs = nd.be16(bp + group + 2);
            if (len < group + 20 + nsrcs * 16) {
                nd.print(" [invalid number of sources " + nsrcs + "]");
                return;
            }
            if (nd.vflag == 1) {
                nd.print(", " + nsrcs + " source(s)");
            } else {
                nd.print(" {");
                for (int j = 0; j < nsrcs; j++) {
                    nd.print(" " + nd.ip6addr(bp + group + 20 + j * 16));
                }
                nd.print(" }");
            }
            group += 20 + nsrcs * 16;
            nd.print("]");
        }
    }

    /** {@code icmp6_opt_print}: each neighbour discovery option on a line of its own. */
    private static boolean ndOptions(Netdissect nd, int bp, int resid) {
        int cp = bp;
        while (cp < nd.snapend) {
            nd.check(cp + 1, 1);
            if (resid <= 0) {
                return true;
            }
            int type = nd.u8(cp);
            int optLen = nd.u8(cp + 1);
            if (optLen == 0 || cp + (optLen << 3) > nd.snapend) {
                return false;
            }
            nd.printf("\n\t  %s option (%d), length %d (%d): ", Tok.str(Tok.ND_OPT, "unknown", type), type,
                    optLen << 3, optLen);
            switch (type) {
                case 1, 2 -> {
                    int l = (optLen << 3) - 2;
                    StringBuilder sb = new StringBuilder();
                    for (int q = 0; q < l; q++) {
                        if (q > 0) {
                            sb.append(':');
                        }
                        sb.append(String.format("%02x", nd.u8(cp + 2 + q)));
                    }
                    nd.print(sb.toString());
                }
                case 3 -> {
                    nd.printf("%s/%d%s, Flags [%s], valid time %s", nd.ip6addr(cp + 16), nd.u8(cp + 2),
                            optLen != 4 ? "badlen" : "", Tok.bits(Tok.ND_PI_FLAGS, "none", nd.u8(cp + 3)),
                            lifetime(nd.be32(cp + 4)));
                    nd.print(", pref. time " + lifetime(nd.be32(cp + 8)));
                }
                case 5 -> nd.printf(" %d%s", nd.be32(cp + 4), optLen != 1 ? "bad option length" : "");
                case 7 -> nd.printf(" %dms", nd.be32(cp + 4));
                default -> {
                    if (nd.vflag <= 1) {
                        nd.unknownData(cp + 2, "\n\t  ", (optLen << 3) - 2);
                        return true;
                    }
                }
            }
            if (nd.vflag > 1) {
                nd.unknownData(cp + 2, "\n\t    ", (optLen << 3) - 2);
            }
            cp += optLen << 3;
            resid -= optLen << 3;
        }
        return true;
    }

    /** {@code get_lifetime}: {@code infinity} or seconds. */
    private static String lifetime(long v) {
        return v == 0xFFFFFFFFL ? "infinity" : v + "s";
    }

    // ------------------------------------------------------------------ UDP

    /** {@code udp_print} without application decoders: addresses, ports and the length. */
    static void udp(Netdissect nd, int up, int length, int iph, boolean fragmented) {
        nd.protocol = "udp";
        boolean v6 = nd.u8(iph) >> 4 == 6;
        if (!nd.test(up + 2, 2)) {
            udpAddresses(nd, iph, v6, -1, -1);
            throw new Netdissect.Truncated();
        }
        int sport = nd.be16(up);
        int dport = nd.be16(up + 2);
        if (length < 8) {
            udpAddresses(nd, iph, v6, sport, dport);
            nd.print("truncated-udp " + length);
            return;
        }
        if (!nd.test(up + 4, 2)) {
            udpAddresses(nd, iph, v6, sport, dport);
            throw new Netdissect.Truncated();
        }
        int ulen = nd.be16(up + 4);
        if (ulen == 0 && length > 65535) {
            ulen = length;
        }
        if (ulen < 8) {
            udpAddresses(nd, iph, v6, sport, dport);
            nd.print("truncated-udplength " + ulen);
            return;
        }
        ulen -= 8;
        length -= 8;
        if (ulen < length) {
            length = ulen;
        }
        udpAddresses(nd, iph, v6, sport, dport);
        if (nd.vflag != 0 && !fragmented) {
            int cp = up + 8;
            if (!v6 && nd.vflag > 1) {
                int udpSum = nd.be16(up + 6);
                if (udpSum == 0) {
                    nd.print("[no cksum] ");
                } else if (nd.test(cp, length)) {
                    int sum = udpChecksum4(nd, iph, up, length + 8);
                    if (sum != 0) {
                        nd.printf("[bad udp cksum 0x%04x -> 0x%04x!] ", udpSum, shouldBe(udpSum, sum));
                    } else {
                        nd.print("[udp sum ok] ");
                    }
                }
            } else if (v6 && nd.test(cp, length)) {
                int sum = checksum6(nd, iph, up, length + 8, 17);
                int udpSum = nd.be16(up + 6);
                if (sum != 0) {
                    nd.printf("[bad udp cksum 0x%04x -> 0x%04x!] ", udpSum, shouldBe(udpSum, sum));
                } else {
                    nd.print("[udp sum ok] ");
                }
            }
        }
        if (ulen > length && !fragmented) {
            nd.print("UDP, bad length " + ulen + " > " + length);
        } else {
            nd.print("UDP, length " + ulen);
        }
    }

    private static void udpAddresses(Netdissect nd, int iph, boolean v6, int sport, int dport) {
        int proto = v6 ? nd.u8(iph + 6) : nd.u8(iph + 9);
        if (proto == 17) {
            String src = v6 ? nd.ip6addr(iph + 8) : nd.ipaddr(iph + 12);
            String dst = v6 ? nd.ip6addr(iph + 24) : nd.ipaddr(iph + 16);
            if (sport == -1) {
                nd.print(src + " > " + dst + ": ");
            } else {
                nd.print(src + "." + Ports.udp(nd, sport) + " > " + dst + "." + Ports.udp(nd, dport) + ": ");
            }
        } else if (sport != -1) {
            nd.print(Ports.udp(nd, sport) + " > " + Ports.udp(nd, dport) + ": ");
        }
    }

    // ------------------------------------------------------------------ checksums

    /** {@code in_cksum} over {@code len} bytes: 0 when the checksum in them is right. */
    static int checksum(byte[] b, int off, int len) {
        long sum = 0;
        int i = 0;
        for (; i + 1 < len; i += 2) {
            sum += (b[off + i] & 0xFF) << 8 | b[off + i + 1] & 0xFF;
        }
        if (i < len) {
            sum += (b[off + i] & 0xFF) << 8;
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        return (int) (~sum & 0xFFFF);
    }

    /** {@code in_cksum_shouldbe}: the checksum the packet should have carried. */
    static int shouldBe(int sum, int computed) {
        long s = ~sum & 0xFFFF;
        s += ~computed & 0xFFFF;
        s = (s >> 16) + (s & 0xFFFF);
        s += s >> 16;
        return (int) (~s & 0xFFFF);
    }

    private static int checksum6(Netdissect nd, int ip6, int dp, int length) {
        return checksum6(nd, ip6, dp, length, 58);
    }

    /** The checksum over an IPv6 pseudo-header and {@code length} bytes at {@code dp}. */
    private static int checksum6(Netdissect nd, int ip6, int dp, int length, int proto) {
        byte[] buf = new byte[40 + length];
        System.arraycopy(nd.packet, ip6 + 8, buf, 0, 32);
        buf[32] = (byte) (length >>> 24);
        buf[33] = (byte) (length >>> 16);
        buf[34] = (byte) (length >>> 8);
        buf[35] = (byte) length;
        buf[39] = (byte) proto;
        System.arraycopy(nd.packet, dp, buf, 40, length);
        return checksum(buf, 0, buf.length);
    }

    private static int udpChecksum4(Netdissect nd, int ip, int up, int length) {
        byte[] buf = new byte[12 + length];
        System.arraycopy(nd.packet, ip + 12, buf, 0, 8);
        buf[9] = 17;
        buf[10] = (byte) (length >>> 8);
        buf[11] = (byte) length;
        System.arraycopy(nd.packet, up, buf, 12, length);
        return checksum(buf, 0, buf.length);
    }

    /** Names for the ports tcpdump prints ({@code tcpport_string}, {@code udpport_string}). */
    static final class Ports {
        private static final Map<Integer, String> UDP = Map.ofEntries(Map.entry(53, "domain"),
                Map.entry(67, "bootps"), Map.entry(68, "bootpc"), Map.entry(69, "tftp"), Map.entry(123, "ntp"),
                Map.entry(137, "netbios-ns"), Map.entry(138, "netbios-dgm"), Map.entry(161, "snmp"),
                Map.entry(162, "snmp-trap"), Map.entry(514, "syslog"), Map.entry(520, "route"),
                Map.entry(546, "dhcpv6-client"), Map.entry(547, "dhcpv6-server"), Map.entry(5353, "mdns"),
                Map.entry(1900, "ssdp"), Map.entry(33434, "traceroute"));
        private static final Map<Integer, String> TCP = Map.ofEntries(Map.entry(21, "ftp"), Map.entry(22, "ssh"),
                Map.entry(23, "telnet"), Map.entry(25, "smtp"), Map.entry(53, "domain"), Map.entry(80, "http"),
                Map.entry(110, "pop3"), Map.entry(143, "imap2"), Map.entry(179, "bgp"), Map.entry(443, "https"),
                Map.entry(993, "imaps"), Map.entry(995, "pop3s"), Map.entry(3306, "mysql"),
                Map.entry(5432, "postgresql"));

        private Ports() {
        }

        static String udp(Netdissect nd, int port) {
            String s = nd.nflag == 0 ? UDP.get(port) : null;
            return s != null ? s : Integer.toString(port);
        }

        static String tcp(Netdissect nd, int port) {
            String s = nd.nflag == 0 ? TCP.get(port) : null;
            return s != null ? s : Integer.toString(port);
        }
    }
}
