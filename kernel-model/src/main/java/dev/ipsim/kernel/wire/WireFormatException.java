package dev.ipsim.kernel.wire;

/** Bytes that are not a valid instance of a format: too short, or a length field that lies. */
public final class WireFormatException extends RuntimeException {

    public WireFormatException(String message) {
        super(message, null, false, false);
    }

    static void require(boolean condition, String what) {
        if (!condition) {
            throw new WireFormatException(what);
        }
    }
}
