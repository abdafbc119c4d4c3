package dev.ipsim.kernel;

import java.util.Optional;

/**
 * A refused kernel operation: an errno and, where the kernel sets one, a netlink extended-ack
 * message. How it is shown is the tool's business ({@code RTNETLINK answers: File exists} or
 * {@code Error: ipv4: Address already assigned.}).
 */
public final class KernelException extends RuntimeException {

    private final Errno errno;
    private final String extack;

    public KernelException(Errno errno) {
        this(errno, null);
    }

    public KernelException(Errno errno, String extack) {
        super(extack != null ? extack : errno.text(), null, false, false);
        this.errno = errno;
        this.extack = extack;
    }

    public Errno errno() {
        return errno;
    }

    /** The extended-ack message, without the final period iproute2 adds. */
    public Optional<String> extack() {
        return Optional.ofNullable(extack);
    }
}
