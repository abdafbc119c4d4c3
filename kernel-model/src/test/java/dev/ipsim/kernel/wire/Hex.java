package dev.ipsim.kernel.wire;

/** Byte arrays from tcpdump {@code -xx} dumps, for fixed-array tests. */
final class Hex {

    private Hex() {
    }

    /** Parses hex digits, ignoring white space: {@code "3333 0000 0016"}. */
    static byte[] bytes(String dump) {
        String digits = dump.replaceAll("\\s+", "");
        byte[] b = new byte[digits.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(digits.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }
}
