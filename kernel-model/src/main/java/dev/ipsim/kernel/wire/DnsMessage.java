package dev.ipsim.kernel.wire;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A DNS message (RFC 1035 section 4): header, questions, and the answer, authority and
 * additional records. Names are dotted strings without the final dot; encoding compresses
 * repeated names with pointers as servers do, parsing follows them.
 */
public record DnsMessage(int id, int flags, List<Question> questions, List<ResourceRecord> answers,
                         List<ResourceRecord> authorities, List<ResourceRecord> additionals) {

    public static final int TYPE_A = 1;
    public static final int TYPE_NS = 2;
    public static final int TYPE_CNAME = 5;
    public static final int TYPE_SOA = 6;
    public static final int TYPE_PTR = 12;
    public static final int TYPE_AAAA = 28;
    public static final int CLASS_IN = 1;

    /** QR: a response. */
    public static final int FLAG_RESPONSE = 0x8000;
    /** AA: an authoritative answer. */
    public static final int FLAG_AUTHORITATIVE = 0x0400;
    /** TC: truncated. */
    public static final int FLAG_TRUNCATED = 0x0200;
    /** RD: recursion desired. */
    public static final int FLAG_RECURSION_DESIRED = 0x0100;
    /** RA: recursion available. */
    public static final int FLAG_RECURSION_AVAILABLE = 0x0080;
    /** AD: authentic data (RFC 4035); glibc sets it in queries since 2.31. */
    public static final int FLAG_AUTHENTIC_DATA = 0x0020;

    public static final int RCODE_NOERROR = 0;
    public static final int RCODE_FORMERR = 1;
    public static final int RCODE_SERVFAIL = 2;
    public static final int RCODE_NXDOMAIN = 3;
    public static final int RCODE_REFUSED = 5;

    private static final int HEADER_LENGTH = 12;
    /** A name on the wire is at most 255 bytes; a label at most 63. */
    private static final int MAX_NAME = 255;
    private static final int MAX_LABEL = 63;

    /** A question: name, type, class. */
    public record Question(String name, int type, int klass) {
    }

    /** A resource record; {@code data} is the RDATA as it goes on the wire, names uncompressed. */
    public record ResourceRecord(String name, int type, int klass, long ttl, byte[] data) {

        /** An A record. */
        public static ResourceRecord a(String name, long ttl, byte[] address) {
            return new ResourceRecord(name, TYPE_A, CLASS_IN, ttl, address.clone());
        }

        /** A record whose data is one domain name (CNAME, PTR, NS). */
        public static ResourceRecord name(String owner, int type, long ttl, String target) {
            return new ResourceRecord(owner, type, CLASS_IN, ttl, encodeName(target));
        }

        /** The domain name a CNAME, PTR or NS record holds. */
        public String targetName() {
            return readName(data, 0, new int[1]);
        }
    }

    /** The response code (the low four bits of the flags). */
    public int rcode() {
        return flags & 0xF;
    }

    public boolean isResponse() {
        return (flags & FLAG_RESPONSE) != 0;
    }

    /** A standard query for one name. */
    public static DnsMessage query(int id, int flags, String name, int type) {
        return new DnsMessage(id, flags, List.of(new Question(name, type, CLASS_IN)), List.of(), List.of(), List.of());
    }

    // ------------------------------------------------------------------ parsing

    public static DnsMessage parse(byte[] b) {
        WireFormatException.require(b.length >= HEADER_LENGTH, "DNS message shorter than its header");
        int id = Bytes.u16(b, 0);
        int flags = Bytes.u16(b, 2);
        int qd = Bytes.u16(b, 4);
        int an = Bytes.u16(b, 6);
        int ns = Bytes.u16(b, 8);
        int ar = Bytes.u16(b, 10);
        int[] at = {HEADER_LENGTH};
        List<Question> questions = new ArrayList<>();
        for (int i = 0; i < qd; i++) {
            String name = readName(b, at[0], at);
            WireFormatException.require(at[0] + 4 <= b.length, "DNS question truncated");
            questions.add(new Question(name, Bytes.u16(b, at[0]), Bytes.u16(b, at[0] + 2)));
            at[0] += 4;
        }
        List<ResourceRecord> answers = records(b, an, at);
        List<ResourceRecord> authorities = records(b, ns, at);
        List<ResourceRecord> additionals = records(b, ar, at);
        return new DnsMessage(id, flags, questions, answers, authorities, additionals);
    }

    private static List<ResourceRecord> records(byte[] b, int count, int[] at) {
        List<ResourceRecord> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String name = readName(b, at[0], at);
            WireFormatException.require(at[0] + 10 <= b.length, "DNS record truncated");
            int type = Bytes.u16(b, at[0]);
            int klass = Bytes.u16(b, at[0] + 2);
            long ttl = Bytes.u32(b, at[0] + 4) & 0xFFFF_FFFFL;
            int length = Bytes.u16(b, at[0] + 8);
            int start = at[0] + 10;
            WireFormatException.require(start + length <= b.length, "DNS record data truncated");
            byte[] data;
            if (type == TYPE_CNAME || type == TYPE_PTR || type == TYPE_NS) {
                data = encodeName(readName(b, start, new int[1])); // decompressed
            } else {
                data = Bytes.slice(b, start, start + length);
            }
            out.add(new ResourceRecord(name, type, klass, ttl, data));
            at[0] = start + length;
        }
        return out;
    }

    /** Reads a possibly compressed name at {@code from}; {@code end[0]} is set past it. */
    static String readName(byte[] b, int from, int[] end) {
        StringBuilder sb = new StringBuilder();
        int at = from;
        int jumps = 0;
        boolean jumped = false;
        while (true) {
            WireFormatException.require(at < b.length, "DNS name runs past the message");
            int len = b[at] & 0xFF;
            if ((len & 0xC0) == 0xC0) {
                WireFormatException.require(at + 1 < b.length && ++jumps < 64, "bad DNS name pointer");
                if (!jumped) {
                    end[0] = at + 2;
                    jumped = true;
                }
                at = (len & 0x3F) << 8 | (b[at + 1] & 0xFF);
                continue;
            }
            WireFormatException.require(len <= MAX_LABEL, "bad DNS label length");
            if (len == 0) {
                if (!jumped) {
                    end[0] = at + 1;
                }
                break;
            }
            WireFormatException.require(at + 1 + len <= b.length, "DNS label runs past the message");
            if (sb.length() > 0) {
                sb.append('.');
            }
            sb.append(new String(b, at + 1, len, java.nio.charset.StandardCharsets.ISO_8859_1));
            at += 1 + len;
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------ encoding

    /** A name in wire form, uncompressed. */
    public static byte[] encodeName(String name) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeName(out, name, null);
        return out.toByteArray();
    }

    private static void writeName(ByteArrayOutputStream out, String name, Map<String, Integer> offsets) {
        String rest = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        while (!rest.isEmpty()) {
            String key = rest.toLowerCase(Locale.ROOT);
            if (offsets != null) {
                Integer at = offsets.get(key);
                if (at != null) {
                    out.write(0xC0 | at >>> 8);
                    out.write(at & 0xFF);
                    return;
                }
                if (out.size() < 0x4000) {
                    offsets.put(key, out.size());
                }
            }
            int dot = rest.indexOf('.');
            String label = dot < 0 ? rest : rest.substring(0, dot);
            byte[] l = label.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            if (l.length == 0 || l.length > MAX_LABEL) {
                throw new IllegalArgumentException("bad DNS label in " + name);
            }
            out.write(l.length);
            out.write(l, 0, l.length);
            rest = dot < 0 ? "" : rest.substring(dot + 1);
        }
        out.write(0);
    }

    /** Whether a name can be sent: labels of 1 to 63 bytes, at most 255 bytes in all. */
    public static boolean validName(String name) {
        String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        if (n.isEmpty() || n.length() + 2 > MAX_NAME) {
            return false;
        }
        for (String label : n.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > MAX_LABEL) {
                return false;
            }
        }
        return true;
    }

    public byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Map<String, Integer> offsets = new HashMap<>();
        byte[] header = new byte[HEADER_LENGTH];
        Bytes.put16(header, 0, id);
        Bytes.put16(header, 2, flags);
        Bytes.put16(header, 4, questions.size());
        Bytes.put16(header, 6, answers.size());
        Bytes.put16(header, 8, authorities.size());
        Bytes.put16(header, 10, additionals.size());
        out.write(header, 0, header.length);
        for (Question q : questions) {
            writeName(out, q.name(), offsets);
            write16(out, q.type());
            write16(out, q.klass());
        }
        for (List<ResourceRecord> section : List.of(answers, authorities, additionals)) {
            for (ResourceRecord r : section) {
                writeName(out, r.name(), offsets);
                write16(out, r.type());
                write16(out, r.klass());
                write16(out, (int) (r.ttl() >>> 16));
                write16(out, (int) r.ttl());
                if (r.type() == TYPE_CNAME || r.type() == TYPE_PTR || r.type() == TYPE_NS) {
                    ByteArrayOutputStream data = new ByteArrayOutputStream();
                    // compressed against what is already in the message; the name starts past RDLENGTH
                    int base = out.size() + 2;
                    writeNameAt(data, r.targetName(), offsets, base);
                    write16(out, data.size());
                    byte[] d = data.toByteArray();
                    out.write(d, 0, d.length);
                } else {
                    write16(out, r.data().length);
                    out.write(r.data(), 0, r.data().length);
                }
            }
        }
        return out.toByteArray();
    }

    /** Writes a name into a buffer that will sit at {@code base} in the message. */
    private static void writeNameAt(ByteArrayOutputStream out, String name, Map<String, Integer> offsets, int base) {
        String rest = name;
        while (!rest.isEmpty()) {
            String key = rest.toLowerCase(Locale.ROOT);
            Integer at = offsets.get(key);
            if (at != null) {
                out.write(0xC0 | at >>> 8);
                out.write(at & 0xFF);
                return;
            }
            if (base + out.size() < 0x4000) {
                offsets.put(key, base + out.size());
            }
            int dot = rest.indexOf('.');
            String label = dot < 0 ? rest : rest.substring(0, dot);
            byte[] l = label.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            out.write(l.length);
            out.write(l, 0, l.length);
            rest = dot < 0 ? "" : rest.substring(dot + 1);
        }
        out.write(0);
    }

    private static void write16(ByteArrayOutputStream out, int v) {
        out.write((v >>> 8) & 0xFF);
        out.write(v & 0xFF);
    }
}
