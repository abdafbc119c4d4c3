package dev.ipsim.kernel.route;

import dev.ipsim.kernel.addr.Family;
import dev.ipsim.kernel.addr.IpPrefix;

/**
 * A routing policy rule ({@code struct fib_rule} with its family part, {@code fib4_rule} or
 * {@code fib6_rule}): a selector (source and destination prefixes, TOS, input and output
 * device, firewall mark, uid range, IP protocol and ports) and an action (look up a table,
 * jump, do nothing, or refuse). What a request asks for is a {@link Spec}; the rule list
 * ({@link FibRules}) turns it into a rule.
 *
 * <p>Heads up: a rule names its devices, not their indexes. A rule for a device that does not
 * exist (or no longer does, or was renamed away) is "detached" and matches nothing until a
 * device of that name appears in the namespace ({@code fib_rules_event}).
 */
public final class FibRule {

    /** {@code FR_ACT_UNSPEC}: no action given (a delete request that matches any). */
    public static final int ACTION_UNSPEC = 0;
    /** {@code FR_ACT_TO_TBL}: look the destination up in a table. */
    public static final int ACTION_TO_TABLE = 1;
    /** {@code FR_ACT_GOTO}: continue at the rule with the target priority. */
    public static final int ACTION_GOTO = 2;
    /** {@code FR_ACT_NOP}: nothing; the walk goes on. */
    public static final int ACTION_NOP = 3;
    /** {@code FR_ACT_BLACKHOLE}: drop without a word (EINVAL). */
    public static final int ACTION_BLACKHOLE = 6;
    /** {@code FR_ACT_UNREACHABLE}: network unreachable. */
    public static final int ACTION_UNREACHABLE = 7;
    /** {@code FR_ACT_PROHIBIT}: administratively prohibited (EACCES). */
    public static final int ACTION_PROHIBIT = 8;

    /** {@code FIB_RULE_PERMANENT}. */
    public static final int FLAG_PERMANENT = 0x1;
    /** {@code FIB_RULE_INVERT}: the selector's verdict is inverted ({@code not}). */
    public static final int FLAG_INVERT = 0x2;
    /** {@code FIB_RULE_UNRESOLVED}: a goto whose target does not exist (dumps only). */
    public static final int FLAG_UNRESOLVED = 0x4;
    /** {@code FIB_RULE_IIF_DETACHED}: no device has the input device's name (dumps only). */
    public static final int FLAG_IIF_DETACHED = 0x8;
    /** {@code FIB_RULE_OIF_DETACHED}: no device has the output device's name (dumps only). */
    public static final int FLAG_OIF_DETACHED = 0x10;

    /** The highest uid, {@code (uid_t) -2}; -1 is the invalid uid. */
    public static final long UID_MAX = 0xFFFF_FFFEL;
    /** An unset uid range ({@code fib_kuid_range_unset}): every uid. */
    static final long UID_RANGE_END_UNSET = 0xFFFF_FFFFL;

    /**
     * What an {@code RTM_NEWRULE}/{@code RTM_DELRULE} request carries ({@code fib_rule_hdr} and
     * its attributes). Unset attributes are {@code null} (objects) or as noted.
     */
    public static final class Spec {
        public Family family = Family.INET;
        /** {@code FRA_PRIORITY}, unsigned; {@code null} when not given. */
        public Long priority;
        public int action = ACTION_UNSPEC;
        /** {@code frh.table}/{@code FRA_TABLE}, unsigned; 0 when not given. */
        public long table;
        /** {@code FIB_RULE_INVERT} and the like. */
        public int flags;
        /** {@code FRA_SRC} with {@code frh.src_len}, as given (host bits kept). */
        public IpPrefix source;
        public IpPrefix destination;
        public int tos;
        public String inputDevice;
        public String outputDevice;
        /** {@code FRA_FWMARK}, {@code FRA_FWMASK}. */
        public Long mark;
        public Long markMask;
        /** {@code FRA_UID_RANGE}: start and end, as given. */
        public long[] uidRange;
        /** {@code FRA_IP_PROTO}; 0 for none. */
        public int ipProtocol;
        /** {@code FRA_SPORT_RANGE}, {@code FRA_DPORT_RANGE}: start and end as given. */
        public int[] sourcePorts;
        public int[] destinationPorts;
        /** {@code FRA_SUPPRESS_PREFIXLEN}, {@code FRA_SUPPRESS_IFGROUP}. */
        public Integer suppressPrefixLength;
        public Integer suppressIfgroup;
        /** {@code FRA_PROTOCOL}; {@code null} for unspec. */
        public Integer protocol;
        /** {@code FRA_GOTO}. */
        public Long gotoTarget;
        /** {@code FRA_FLOW}: realms. */
        public Long realms;
        /** {@code FRA_L3MDEV}. */
        public boolean l3mdev;
    }

    private final Family family;
    private final long priority;
    private final int action;
    private long table;
    private final int flags;
    private final IpPrefix source;
    private final IpPrefix destination;
    private final int tos;
    private final String inputDevice;
    private final String outputDevice;
    private int inputIndex;
    private int outputIndex;
    private final long mark;
    private final long markMask;
    private final long uidStart;
    private final long uidEnd;
    private final int ipProtocol;
    private final int[] sourcePorts;
    private final int[] destinationPorts;
    private final int suppressPrefixLength;
    private final int suppressIfgroup;
    private final int protocol;
    private final long target;
    private FibRule jumpTarget;
    private final long realms;
    private final boolean l3mdev;

    FibRule(Spec s, long priority, long markValue, long maskValue, long uidStart, long uidEnd) {
        this.family = s.family;
        this.priority = priority;
        this.action = s.action;
        this.table = s.table;
        this.flags = s.flags & FLAG_INVERT;
        this.source = s.source;
        this.destination = s.destination;
        this.tos = s.tos;
        this.inputDevice = s.inputDevice;
        this.outputDevice = s.outputDevice;
        this.inputIndex = s.inputDevice == null ? 0 : -1;
        this.outputIndex = s.outputDevice == null ? 0 : -1;
        this.mark = markValue;
        this.markMask = maskValue;
        this.uidStart = uidStart;
        this.uidEnd = uidEnd;
        this.ipProtocol = s.ipProtocol;
        this.sourcePorts = s.sourcePorts == null ? new int[] {0, 0} : s.sourcePorts.clone();
        this.destinationPorts = s.destinationPorts == null ? new int[] {0, 0} : s.destinationPorts.clone();
        this.suppressPrefixLength = s.suppressPrefixLength == null ? -1 : s.suppressPrefixLength;
        this.suppressIfgroup = s.suppressIfgroup == null ? -1 : s.suppressIfgroup;
        this.protocol = s.protocol == null ? RouteProtocol.UNSPEC : s.protocol;
        this.target = s.gotoTarget == null ? 0 : s.gotoTarget;
        this.realms = s.realms == null ? 0 : s.realms;
        this.l3mdev = s.l3mdev;
    }

    /** A default rule ({@code fib_default_rule_add}): look up {@code table}, protocol kernel. */
    static FibRule defaultRule(Family family, long priority, long table) {
        Spec s = new Spec();
        s.family = family;
        s.action = ACTION_TO_TABLE;
        s.table = table;
        s.protocol = RouteProtocol.KERNEL;
        return new FibRule(s, priority, 0, 0, 0, UID_RANGE_END_UNSET);
    }

    public Family family() {
        return family;
    }

    /** The priority (preference), an unsigned 32-bit number. */
    public long priority() {
        return priority;
    }

    public int action() {
        return action;
    }

    /** The table looked up (unsigned); 0 for none. */
    public long table() {
        return table;
    }

    void setTable(long id) {
        this.table = id;
        dev.ipsim.kernel.LookupEpoch.bump();
    }

    /**
     * The flags as a dump reports them: {@code not}, and whether the devices are detached and
     * a goto is unresolved.
     */
    public int flags() {
        int f = flags;
        if (inputDevice != null && inputIndex == -1) {
            f |= FLAG_IIF_DETACHED;
        }
        if (outputDevice != null && outputIndex == -1) {
            f |= FLAG_OIF_DETACHED;
        }
        if (action == ACTION_GOTO && jumpTarget == null) {
            f |= FLAG_UNRESOLVED;
        }
        return f;
    }

    public boolean inverted() {
        return (flags & FLAG_INVERT) != 0;
    }

    /** The source prefix as given, or {@code null} for any. */
    public IpPrefix source() {
        return source;
    }

    public IpPrefix destination() {
        return destination;
    }

    public int tos() {
        return tos;
    }

    /** The input device's name, or {@code null}. */
    public String inputDevice() {
        return inputDevice;
    }

    public String outputDevice() {
        return outputDevice;
    }

    /** The input device's index: 0 for none, -1 while detached. */
    public int inputIndex() {
        return inputIndex;
    }

    public int outputIndex() {
        return outputIndex;
    }

    public long mark() {
        return mark;
    }

    public long markMask() {
        return markMask;
    }

    /** Whether the rule has a uid range of its own (an unset one covers every uid). */
    public boolean hasUidRange() {
        return uidStart != 0 || uidEnd != UID_RANGE_END_UNSET;
    }

    public long uidStart() {
        return uidStart;
    }

    public long uidEnd() {
        return uidEnd;
    }

    /** The IP protocol matched, 0 for any. */
    public int ipProtocol() {
        return ipProtocol;
    }

    /** The source port range {start, end}; {0, 0} when unset. */
    public int[] sourcePorts() {
        return sourcePorts.clone();
    }

    public int[] destinationPorts() {
        return destinationPorts.clone();
    }

    /** -1 when unset. */
    public int suppressPrefixLength() {
        return suppressPrefixLength;
    }

    /** -1 when unset. */
    public int suppressIfgroup() {
        return suppressIfgroup;
    }

    /** {@code FRA_PROTOCOL}: who added the rule (kernel for the defaults). */
    public int protocol() {
        return protocol;
    }

    /** The goto target priority, 0 for none. */
    public long target() {
        return target;
    }

    FibRule jumpTarget() {
        return jumpTarget;
    }

    void setJumpTarget(FibRule r) {
        this.jumpTarget = r;
        dev.ipsim.kernel.LookupEpoch.bump();
    }

    /** Realms ({@code FRA_FLOW}): source realm in the high 16 bits, destination in the low. */
    public long realms() {
        return realms;
    }

    public boolean l3mdev() {
        return l3mdev;
    }

    void attach(String name, int ifindex) {
        dev.ipsim.kernel.LookupEpoch.bump();
        if (inputIndex == -1 && name.equals(inputDevice)) {
            inputIndex = ifindex;
        }
        if (outputIndex == -1 && name.equals(outputDevice)) {
            outputIndex = ifindex;
        }
    }

    void detach(int ifindex) {
        dev.ipsim.kernel.LookupEpoch.bump();
        if (inputIndex == ifindex && inputDevice != null) {
            inputIndex = -1;
        }
        if (outputIndex == ifindex && outputDevice != null) {
            outputIndex = -1;
        }
    }

    /** Whether a port range is set ({@code fib_rule_port_range_set}). */
    static boolean portRangeSet(int[] range) {
        return range[0] != 0 || range[1] != 0;
    }

    @Override
    public String toString() {
        return priority + ": " + (source != null ? "from " + source : "from all")
                + (destination != null ? " to " + destination : "") + " action " + action + " table " + table;
    }
}
