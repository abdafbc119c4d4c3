package dev.ipsim.commands.tcpdump;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Function;

/**
 * tcpdump's {@code netdissect_options}: the flags the printers read, the line being printed,
 * and the bounds of the captured bytes. Reading past what was captured throws
 * {@link Truncated}, which ends the packet's line with {@code [|proto]} as
 * {@code nd_trunc_longjmp} does; every field is read through the checked getters.
 */
final class Netdissect {

    /** A printer ran off the captured bytes ({@code ND_TRUNCATED}). */
    static final class Truncated extends RuntimeException {
        Truncated() {
            super(null, null, false, false);
        }
    }

    /** A printer gave up on bad data after printing why (the line ends there). */
    static final class Invalid extends RuntimeException {
        Invalid() {
            super(null, null, false, false);
        }
    }

    // the flags: counts, as tcpdump keeps them (-vv is vflag 2)
    int eflag;
    int nflag;
    int tflag;
    int vflag;
    int qflag;
    int xflag;
    int bigXflag;
    int aflag;
    boolean packetNumber;
    /** {@code ndo_suppress_default_print}: -q, -x and -X keep unknown payloads from being dumped. */
    int suppressDefaultPrint;

    /** {@code ndo_protocol}: what {@code [|...]} names when the bytes run out. */
    String protocol = "";
    /** The line so far. */
    final StringBuilder out = new StringBuilder();
    /** Host names for addresses when {@code -n} is not given ({@code gethostbyaddr}). */
    Function<byte[], String> resolver = a -> null;

    byte[] packet = new byte[0];
    /** {@code ndo_snapend}: the end of the bytes a printer may read. */
    int snapend;
    private final Deque<Integer> snapStack = new ArrayDeque<>();
    /** {@code ndo_ll_hdr_len}: the link-layer header's length (left out of {@code -x}). */
    int llHdrLen;

    void print(String s) {
        out.append(s);
    }

    void printf(String format, Object... args) {
        out.append(String.format(format, args));
    }

    /** Starts a packet: its bytes and the captured length. */
    void begin(byte[] bytes, int caplen) {
        packet = bytes;
        snapend = Math.min(caplen, bytes.length);
        snapStack.clear();
        protocol = "";
        llHdrLen = 0;
    }

    // ------------------------------------------------------------------ checked reads

    /** {@code ND_TTEST_LEN}. */
    boolean test(int offset, int length) {
        return offset >= 0 && length >= 0 && offset + (long) length <= snapend;
    }

    void check(int offset, int length) {
        if (!test(offset, length)) {
            throw new Truncated();
        }
    }

    int u8(int offset) {
        check(offset, 1);
        return packet[offset] & 0xFF;
    }

    int be16(int offset) {
        check(offset, 2);
        return (packet[offset] & 0xFF) << 8 | packet[offset + 1] & 0xFF;
    }

    int be24(int offset) {
        check(offset, 3);
        return (packet[offset] & 0xFF) << 16 | (packet[offset + 1] & 0xFF) << 8 | packet[offset + 2] & 0xFF;
    }

    long be32(int offset) {
        check(offset, 4);
        return ((long) (packet[offset] & 0xFF) << 24 | (packet[offset + 1] & 0xFF) << 16
                | (packet[offset + 2] & 0xFF) << 8 | packet[offset + 3] & 0xFF);
    }

    byte[] bytes(int offset, int length) {
        check(offset, length);
        byte[] b = new byte[length];
        System.arraycopy(packet, offset, b, 0, length);
        return b;
    }

    /** Bytes captured from {@code offset} on. */
    int available(int offset) {
        return Math.max(0, snapend - offset);
    }

    /** {@code nd_push_snaplen}: no printer below may read past {@code offset + length}. */
    void pushSnaplen(int offset, int length) {
        snapStack.push(snapend);
        long end = (long) offset + length;
        if (end < snapend) {
            snapend = (int) end;
        }
    }

    /** {@code nd_change_snaplen}. */
    void changeSnaplen(int offset, int length) {
        long end = (long) offset + length;
        int outer = snapStack.isEmpty() ? packet.length : snapStack.peek();
        snapend = (int) Math.min(end, outer);
    }

    /** {@code nd_pop_packet_info}. */
    void popSnaplen() {
        if (!snapStack.isEmpty()) {
            snapend = snapStack.pop();
        }
    }

    /** Restores the bounds after a printer that may have pushed some ({@code nd_pop_all_packet_info}). */
    void popAll(int caplen) {
        snapStack.clear();
        snapend = Math.min(caplen, packet.length);
    }

    // ------------------------------------------------------------------ endings

    /** {@code nd_print_trunc}. */
    void printTrunc() {
        out.append(" [|").append(protocol).append(']');
    }

    /** {@code nd_print_invalid}. */
    void printInvalid() {
        out.append(" (invalid)");
    }

    // ------------------------------------------------------------------ names

    /** {@code GET_IPADDR_STRING}: a host name unless {@code -n}, else dotted quad. */
    String ipaddr(int offset) {
        byte[] a = bytes(offset, 4);
        if (nflag == 0) {
            String name = resolver.apply(a);
            if (name != null) {
                return name;
            }
        }
        return (a[0] & 0xFF) + "." + (a[1] & 0xFF) + "." + (a[2] & 0xFF) + "." + (a[3] & 0xFF);
    }

    /** {@code GET_IP6ADDR_STRING}. */
    String ip6addr(int offset) {
        byte[] a = bytes(offset, 16);
        if (nflag == 0) {
            String name = resolver.apply(a);
            if (name != null) {
                return name;
            }
        }
        return ip6String(a);
    }

    /** {@code addrtostr6}: RFC 5952 text (the longest run of zero groups as {@code ::}). */
    static String ip6String(byte[] a) {
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = (a[2 * i] & 0xFF) << 8 | a[2 * i + 1] & 0xFF;
        }
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        if (bestLen < 2) {
            bestStart = -1;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append(i == 0 ? "::" : ":");
                i += bestLen - 1;
                continue;
            }
            // an IPv4-mapped or -compatible address ends in dotted quad
            if (i == 6 && bestStart == 0 && (bestLen == 6 || bestLen == 5 && g[5] == 0xFFFF)) {
                sb.append(a[12] & 0xFF).append('.').append(a[13] & 0xFF).append('.').append(a[14] & 0xFF)
                        .append('.').append(a[15] & 0xFF);
                break;
            }
            sb.append(Integer.toHexString(g[i]));
            if (i < 7) {
                sb.append(':');
            }
        }
        return sb.toString();
    }

    /** {@code GET_ETHERADDR_STRING}: six hex octets, and the OUI's name unless {@code -n}. */
    String etheraddr(int offset) {
        byte[] m = bytes(offset, 6);
        if (nflag == 0 && (m[0] & m[1] & m[2] & m[3] & m[4] & m[5] & 0xFF) == 0xFF) {
            // one of the names tcpdump wires in (init_etherarray)
            return "Broadcast";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(String.format("%02x", m[i] & 0xFF));
        }
        if (nflag == 0) {
            int oui = (m[0] & 0xFF) << 16 | (m[1] & 0xFF) << 8 | m[2] & 0xFF;
            sb.append(" (oui ").append(Tok.str(Tok.OUI, "Unknown", oui)).append(')');
        }
        return sb.toString();
    }

    /** A link-layer address of any length: hex octets with colons ({@code GET_LINKADDR_STRING}). */
    String linkaddr(int offset, int length) {
        if (length == 6) {
            return etheraddr(offset);
        }
        byte[] m = bytes(offset, length);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < length; i++) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(String.format("%02x", m[i] & 0xFF));
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------ hex dumps

    /** {@code hex_and_ascii_print}: 16 bytes a line, hex then ASCII. */
    void hexAndAscii(String ident, int offset, int length) {
        int caplength = available(offset);
        boolean truncated = false;
        if (length > caplength) {
            length = caplength;
            truncated = true;
        }
        int oset = 0;
        StringBuilder hex = new StringBuilder();
        StringBuilder ascii = new StringBuilder();
        int i = 0;
        int cp = offset;
        for (int n = length / 2; n > 0; n--) {
            int s1 = u8(cp++);
            int s2 = u8(cp++);
            hex.append(String.format(" %02x%02x", s1, s2));
            ascii.append(graph(s1)).append(graph(s2));
            if (++i >= 8) {
                out.append(String.format("%s0x%04x: %-40s  %s", ident, oset, hex, ascii));
                i = 0;
                hex.setLength(0);
                ascii.setLength(0);
                oset += 16;
            }
        }
        if ((length & 1) != 0) {
            int s1 = u8(cp);
            hex.append(String.format(" %02x", s1));
            ascii.append(graph(s1));
            i++;
        }
        if (i > 0) {
            out.append(String.format("%s0x%04x: %-40s  %s", ident, oset, hex, ascii));
        }
        if (truncated) {
            throw new Truncated();
        }
    }

    /** {@code hex_print}: 16 bytes a line, hex only. */
    void hex(String ident, int offset, int length) {
        int caplength = available(offset);
        boolean truncated = false;
        if (length > caplength) {
            length = caplength;
            truncated = true;
        }
        int oset = 0;
        int cp = offset;
        int i = 0;
        for (int n = length / 2; n > 0; n--) {
            if (i++ % 8 == 0) {
                out.append(String.format("%s0x%04x: ", ident, oset));
                oset += 16;
            }
            int s = u8(cp++);
            out.append(String.format(" %02x%02x", s, u8(cp++)));
        }
        if ((length & 1) != 0) {
            if (i % 8 == 0) {
                out.append(String.format("%s0x%04x: ", ident, oset));
            }
            out.append(String.format(" %02x", u8(cp)));
        }
        if (truncated) {
            throw new Truncated();
        }
    }

    /** {@code ascii_print}: printable characters, others as dots. */
    void ascii(int offset, int length) {
        protocol = "ascii";
        int caplength = available(offset);
        boolean truncated = false;
        if (length > caplength) {
            length = caplength;
            truncated = true;
        }
        out.append('\n');
        int cp = offset;
        while (length > 0) {
            int s = u8(cp++);
            length--;
            if (s == '\r') {
                if (length > 1 && u8(cp) != '\n') {
                    out.append('.');
                }
            } else if (!isGraph(s) && s != '\t' && s != ' ' && s != '\n') {
                out.append('.');
            } else {
                out.append((char) s);
            }
        }
        if (truncated) {
            throw new Truncated();
        }
    }

    /** {@code ND_DEFAULTPRINT}: a hex and ASCII dump of what no printer understood. */
    void defaultPrint(int offset, int length) {
        if (suppressDefaultPrint == 0) {
            hexAndAscii("\n\t", offset, length);
        }
    }

    /** {@code print_unknown_data}: a hex dump after {@code ident} of what was captured of it. */
    void unknownData(int offset, String ident, int length) {
        if (!test(offset, 0)) {
            out.append(ident).append("Dissector error: print_unknown_data called with pointer past end of packet");
            return;
        }
        hex(ident, offset, Math.min(length, available(offset)));
    }

    private static boolean isGraph(int c) {
        return c > 0x20 && c < 0x7F;
    }

    private static char graph(int c) {
        return isGraph(c) ? (char) c : '.';
    }
}
