package dev.ipsim.commands.tcpdump;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Capture files as libpcap 1.10 writes and reads them: the classic pcap format
 * ({@code sf-pcap.c}; microsecond or nanosecond time stamps, either byte order) and, for reading,
 * pcapng ({@code sf-pcapng.c}: section header, interface descriptions, enhanced and simple
 * packet blocks). Reading errors carry libpcap's texts.
 */
final class PcapFile {

    static final int TCPDUMP_MAGIC = 0xa1b2c3d4;
    static final int NSEC_TCPDUMP_MAGIC = 0xa1b23c4d;
    static final int KUZNETZOV_TCPDUMP_MAGIC = 0xa1b2cd34;
    static final int PCAPNG_BLOCK_SHB = 0x0A0D0D0A;
    static final int LINKTYPE_ETHERNET = 1;
    /** {@code MAXIMUM_SNAPLEN}. */
    static final int MAXIMUM_SNAPLEN = 262144;

    private PcapFile() {
    }

    /** A read failure with libpcap's message. */
    static final class PcapException extends Exception {
        PcapException(String message) {
            super(message, null, false, false);
        }
    }

    /** One record: its time stamp (seconds, microseconds), captured bytes and original length. */
    record Record(long seconds, long micros, byte[] data, int length) {
    }

    // ------------------------------------------------------------------ writing

    /**
     * {@code pcap_dump_open} + {@code pcap_dump}: a little-endian microsecond pcap file, as
     * tcpdump on x86 writes it. The stream is the file; the caller buffers as stdio would.
     */
    static final class Writer {
        private final OutputStream out;

        Writer(OutputStream out, int snaplen, int linktype) throws IOException {
            this.out = out;
            ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
            h.putInt(TCPDUMP_MAGIC);
            h.putShort((short) 2);
            h.putShort((short) 4);
            h.putInt(0);
            h.putInt(0);
            h.putInt(snaplen);
            h.putInt(linktype);
            out.write(h.array());
        }

        void write(long seconds, long micros, byte[] data, int length) throws IOException {
            ByteBuffer h = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            h.putInt((int) seconds);
            h.putInt((int) micros);
            h.putInt(data.length);
            h.putInt(length);
            out.write(h.array());
            out.write(data);
        }
    }

    // ------------------------------------------------------------------ reading

    /** An open capture file: its link type and snapshot length, and its records one by one. */
    static final class Reader {
        private final ByteBuffer b;
        private final boolean nano;
        private final boolean pcapng;
        private int linktype;
        private int snaplen;
        /** pcapng: each interface's link type and time resolution (units per second). */
        private final java.util.List<long[]> interfaces = new java.util.ArrayList<>();

        /** {@code pcap_open_offline}: checks the header. */
        Reader(byte[] file) throws PcapException {
            if (file.length < 4) {
                throw new PcapException("truncated dump file; tried to read 4 file header bytes, only got "
                        + file.length);
            }
            ByteBuffer le = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
            int magic = le.getInt(0);
            ByteOrder order = null;
            boolean ns = false;
            for (ByteOrder o : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
                int m = ByteBuffer.wrap(file, 0, 4).order(o).getInt();
                if (m == TCPDUMP_MAGIC || m == KUZNETZOV_TCPDUMP_MAGIC || m == NSEC_TCPDUMP_MAGIC) {
                    order = o;
                    ns = m == NSEC_TCPDUMP_MAGIC;
                    break;
                }
            }
            if (order != null) {
                this.pcapng = false;
                this.nano = ns;
                if (file.length < 24) {
                    throw new PcapException("truncated dump file; tried to read 24 file header bytes, only got "
                            + (file.length - 4));
                }
                b = ByteBuffer.wrap(file).order(order);
                int major = b.getShort(4) & 0xFFFF;
                int minor = b.getShort(6) & 0xFFFF;
                if (major < 2) {
                    throw new PcapException("archaic pcap savefile format");
                }
                if (!(major == 2 && minor <= 4 || major == 543 && minor == 0)) {
                    throw new PcapException("unsupported pcap savefile version " + major + "." + minor);
                }
                snaplen = adjustSnapshot(b.getInt(16));
                linktype = b.getInt(20) & 0x03FFFFFF;
                b.position(24);
                return;
            }
            if (magic == PCAPNG_BLOCK_SHB) {
                this.pcapng = true;
                this.nano = false;
                if (file.length < 12) {
                    throw new PcapException("truncated dump file; tried to read 12 file header bytes, only got "
                            + (file.length - 4));
                }
                int bom = le.getInt(8);
                ByteOrder o;
                if (bom == 0x1A2B3C4D) {
                    o = ByteOrder.LITTLE_ENDIAN;
                } else if (Integer.reverseBytes(bom) == 0x1A2B3C4D) {
                    o = ByteOrder.BIG_ENDIAN;
                } else {
                    throw new PcapException("unknown file format");
                }
                b = ByteBuffer.wrap(file).order(o);
                int shbLen = b.getInt(4);
                if (shbLen < 28 || shbLen > file.length) {
                    throw new PcapException("block in pcapng dump file has a length of " + shbLen
                            + " < 28");
                }
                b.position(shbLen);
                // the first interface description gives the file's link type and snapshot length
                int save = b.position();
                while (b.remaining() >= 12) {
                    int type = b.getInt(b.position());
                    int len = b.getInt(b.position() + 4);
                    if (len < 12 || len > b.remaining()) {
                        break;
                    }
                    if (type == 1) {
                        linktype = b.getShort(b.position() + 8) & 0xFFFF;
                        snaplen = adjustSnapshot(b.getInt(b.position() + 12));
                        break;
                    }
                    b.position(b.position() + len);
                }
                b.position(save);
                return;
            }
            throw new PcapException("unknown file format");
        }

        /** {@code pcap_adjust_snapshot}: 0 or too big means the maximum. */
        private static int adjustSnapshot(int snaplen) {
            return snaplen <= 0 || snaplen > MAXIMUM_SNAPLEN ? MAXIMUM_SNAPLEN : snaplen;
        }

        int linktype() {
            return linktype;
        }

        int snaplen() {
            return snaplen;
        }

        /** The next record, {@code null} at the end of the file. */
        Record next() throws PcapException {
            return pcapng ? nextNg() : nextPcap();
        }

        private Record nextPcap() throws PcapException {
            if (!b.hasRemaining()) {
                return null;
            }
            if (b.remaining() < 16) {
                throw new PcapException("truncated dump file; tried to read 16 header bytes, only got "
                        + b.remaining());
            }
            long sec = b.getInt() & 0xFFFFFFFFL;
            long frac = b.getInt() & 0xFFFFFFFFL;
            int caplen = b.getInt();
            int len = b.getInt();
            if (Integer.compareUnsigned(caplen, MAXIMUM_SNAPLEN) > 0) {
                throw new PcapException(Integer.compareUnsigned(caplen, snaplen) > 0
                        ? "invalid packet capture length " + Integer.toUnsignedString(caplen)
                        + ", bigger than snaplen of " + snaplen
                        : "invalid packet capture length " + Integer.toUnsignedString(caplen)
                        + ", bigger than maximum of " + MAXIMUM_SNAPLEN);
            }
            if (caplen > snaplen) {
                if (b.remaining() < snaplen) {
                    throw new PcapException("truncated dump file; tried to read " + snaplen
                            + " captured bytes, only got " + b.remaining());
                }
                byte[] data = new byte[snaplen];
                b.get(data);
                int discard = caplen - snaplen;
                if (b.remaining() < discard) {
                    throw new PcapException("truncated dump file; tried to read " + caplen
                            + " captured bytes, only got " + (snaplen + b.remaining()));
                }
                b.position(b.position() + discard);
                return new Record(sec, nano ? frac / 1000 : frac, data, len);
            }
            if (b.remaining() < caplen) {
                throw new PcapException("truncated dump file; tried to read " + caplen + " captured bytes, only got "
                        + b.remaining());
            }
            byte[] data = new byte[caplen];
            b.get(data);
            return new Record(sec, nano ? frac / 1000 : frac, data, len);
        }

        private Record nextNg() throws PcapException {
            while (true) {
                if (!b.hasRemaining()) {
                    return null;
                }
                if (b.remaining() < 8) {
                    throw new PcapException("truncated dump file; tried to read 8 header bytes, only got "
                            + b.remaining());
                }
                int start = b.position();
                int type = b.getInt(start);
                int len = b.getInt(start + 4);
                if (len < 12) {
                    throw new PcapException("block in pcapng dump file has a length of " + len + " < 12");
                }
                if (len > b.remaining()) {
                    throw new PcapException("truncated dump file; tried to read " + (len - 8)
                            + " bytes, only got " + (b.remaining() - 8));
                }
                b.position(start + len);
                switch (type) {
                    case 1 -> {
                        int lt = b.getShort(start + 8) & 0xFFFF;
                        long resolution = 1_000_000;
                        int opt = start + 16;
                        while (opt + 4 <= start + len - 4) {
                            int code = b.getShort(opt) & 0xFFFF;
                            int olen = b.getShort(opt + 2) & 0xFFFF;
                            if (code == 0) {
                                break;
                            }
                            if (code == 9 && olen >= 1) {
                                int r = b.get(opt + 4) & 0xFF;
                                resolution = (r & 0x80) != 0 ? 1L << (r & 0x7F) : pow10(r & 0x7F);
                            }
                            opt += 4 + ((olen + 3) & ~3);
                        }
                        interfaces.add(new long[] {lt, resolution});
                    }
                    case 6 -> {
                        int ifIndex = b.getInt(start + 8);
                        long ts = (b.getInt(start + 12) & 0xFFFFFFFFL) << 32 | b.getInt(start + 16) & 0xFFFFFFFFL;
                        int caplen = b.getInt(start + 20);
                        int origlen = b.getInt(start + 24);
                        long resolution = ifIndex < interfaces.size() ? interfaces.get(ifIndex)[1] : 1_000_000;
                        byte[] data = new byte[Math.min(caplen, len - 32)];
                        b.get(start + 28, data);
                        long sec = ts / resolution;
                        long micros = (ts % resolution) * 1_000_000 / resolution;
                        return new Record(sec, micros, data, origlen);
                    }
                    case 3 -> {
                        int origlen = b.getInt(start + 8);
                        byte[] data = new byte[Math.min(origlen, Math.min(snaplen, len - 16))];
                        b.get(start + 12, data);
                        return new Record(0, 0, data, origlen);
                    }
                    default -> {
                        // section headers, statistics and the rest: nothing to print
                    }
                }
            }
        }

        private static long pow10(int n) {
            long v = 1;
            for (int i = 0; i < n; i++) {
                v *= 10;
            }
            return v;
        }
    }
}
