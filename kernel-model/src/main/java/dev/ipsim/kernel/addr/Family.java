package dev.ipsim.kernel.addr;

/** Address families the model knows, with the numbers Linux gives them. */
public enum Family {
    INET(2, 32, "inet"),
    INET6(10, 128, "inet6");

    private final int number;
    private final int bits;
    private final String familyName;

    Family(int number, int bits, String familyName) {
        this.number = number;
        this.bits = bits;
        this.familyName = familyName;
    }

    /** {@code AF_INET} = 2, {@code AF_INET6} = 10. */
    public int number() {
        return number;
    }

    public int bits() {
        return bits;
    }

    /** The name iproute2 prints ({@code inet}, {@code inet6}). */
    public String familyName() {
        return familyName;
    }
}
