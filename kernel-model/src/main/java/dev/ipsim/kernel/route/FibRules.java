package dev.ipsim.kernel.route;

import dev.ipsim.kernel.Errno;
import dev.ipsim.kernel.KernelException;
import dev.ipsim.kernel.addr.Family;
import dev.ipsim.kernel.addr.IpPrefix;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.ToIntFunction;

/**
 * One family's routing policy rules in one namespace ({@code struct fib_rules_ops} and
 * {@code net/core/fib_rules.c}): the ordered list a lookup walks, and the requests that change
 * it.
 *
 * <p>Heads up: the order is by priority (unsigned), a new rule going after every rule of equal
 * priority. A rule added without a priority gets one less than the second rule's (so the first
 * user rule in a fresh namespace is 32765, the next 32764). Adding refuses an exact duplicate
 * (EEXIST); deleting removes the first rule matching what the request names. The default rules
 * are protocol {@code kernel}, so a user rule that looks the same is not their duplicate.
 */
public final class FibRules {

    /** The family's part of rule creation ({@code ops->configure}). */
    @FunctionalInterface
    public interface Configure {
        /**
         * Checks what the family checks and completes the rule (an IPv4 rule without a table
         * gets an empty one).
         *
         * @throws KernelException as the family refuses
         */
        void configure(FibRule rule, FibRule.Spec request);
    }

    private final Family family;
    private final List<FibRule> rules = new ArrayList<>();
    private boolean changed;

    private FibRules(Family family) {
        this.family = family;
    }

    /** IPv4's rules in a new namespace: 0 local, 32766 main, 32767 default ({@code fib_default_rules_init}). */
    public static FibRules ipv4() {
        FibRules r = new FibRules(Family.INET);
        r.rules.add(FibRule.defaultRule(Family.INET, 0, RouteTableId.LOCAL));
        r.rules.add(FibRule.defaultRule(Family.INET, 0x7FFE, RouteTableId.MAIN));
        r.rules.add(FibRule.defaultRule(Family.INET, 0x7FFF, RouteTableId.DEFAULT));
        return r;
    }

    /** IPv6's: 0 local, 32766 main ({@code fib6_default_rules_init}). */
    public static FibRules ipv6() {
        FibRules r = new FibRules(Family.INET6);
        r.rules.add(FibRule.defaultRule(Family.INET6, 0, RouteTableId.LOCAL));
        r.rules.add(FibRule.defaultRule(Family.INET6, 0x7FFE, RouteTableId.MAIN));
        return r;
    }

    public Family family() {
        return family;
    }

    /** The rules, in the order lookups walk them and dumps list them. */
    public List<FibRule> rules() {
        return Collections.unmodifiableList(rules);
    }

    /**
     * Whether the list was ever changed ({@code fib_has_custom_rules}): until then IPv4 looks
     * up its merged local and main tables directly, as the default rules would.
     */
    public boolean customized() {
        return changed;
    }

    /** The rule a goto leads to, or {@code null} while unresolved. */
    public FibRule jumpTarget(FibRule goTo) {
        return goTo.jumpTarget();
    }

    /** The table a rule created without one gets ({@code fib_empty_table}'s choice), from {@link Configure}. */
    public void setTable(FibRule rule, long id) {
        rule.setTable(id);
        dev.ipsim.kernel.LookupEpoch.bump();
    }

    /** {@code fib_default_rule_pref}: one less than the second rule's priority, if it has one. */
    private long defaultPriority() {
        if (rules.size() >= 2 && rules.get(1).priority() != 0) {
            return rules.get(1).priority() - 1;
        }
        return 0;
    }

    /**
     * {@code fib_nl2rule}: the rule a request describes, checked as every family checks it.
     *
     * @param ifindex the index of the device of a name in this namespace, 0 when there is none
     */
    private FibRule fromRequest(FibRule.Spec s, ToIntFunction<String> ifindex) {
        long priority = s.priority != null ? s.priority : defaultPriority();
        long mark = 0;
        long mask = 0;
        if (s.mark != null) {
            mark = s.mark;
            if (mark != 0) {
                // compatibility: a non-zero mark compares every bit unless a mask is given
                mask = 0xFFFF_FFFFL;
            }
        }
        if (s.markMask != null) {
            mask = s.markMask;
        }
        if (s.gotoTarget != null) {
            if (s.action != FibRule.ACTION_GOTO) {
                throw new KernelException(Errno.EINVAL, "Unexpected goto");
            }
            if (Long.compareUnsigned(s.gotoTarget, priority) <= 0) {
                throw new KernelException(Errno.EINVAL, "Backward goto not supported");
            }
        } else if (s.action == FibRule.ACTION_GOTO) {
            throw new KernelException(Errno.EINVAL, "Missing goto target for action goto");
        }
        if (s.l3mdev && s.table != 0) {
            throw new KernelException(Errno.EINVAL, "l3mdev and table are mutually exclusive");
        }
        long uidStart = 0;
        long uidEnd = FibRule.UID_RANGE_END_UNSET;
        if (s.uidRange != null) {
            uidStart = s.uidRange[0];
            uidEnd = s.uidRange[1];
            // uid_valid: (uid_t) -1 is no uid
            if (uidStart == 0xFFFF_FFFFL || uidEnd == 0xFFFF_FFFFL || uidStart > uidEnd) {
                throw new KernelException(Errno.EINVAL, "Invalid uid range");
            }
        }
        if (s.sourcePorts != null && !portRangeValid(s.sourcePorts)) {
            throw new KernelException(Errno.EINVAL, "Invalid sport range");
        }
        if (s.destinationPorts != null && !portRangeValid(s.destinationPorts)) {
            throw new KernelException(Errno.EINVAL, "Invalid dport range");
        }
        FibRule rule = new FibRule(s, priority, mark, mask, uidStart, uidEnd);
        if (s.inputDevice != null) {
            int i = ifindex.applyAsInt(s.inputDevice);
            if (i > 0) {
                rule.attach(s.inputDevice, i);
            }
        }
        if (s.outputDevice != null) {
            int i = ifindex.applyAsInt(s.outputDevice);
            if (i > 0) {
                rule.attach(s.outputDevice, i);
            }
        }
        return rule;
    }

    /** {@code fib_rule_port_range_valid}. */
    private static boolean portRangeValid(int[] range) {
        return range[0] != 0 && range[1] != 0 && range[1] < 0xFFFF && range[0] <= range[1];
    }

    /**
     * {@code fib_newrule}: adds a rule.
     *
     * @param exclusive {@code NLM_F_EXCL}: refuse a duplicate
     * @throws KernelException EEXIST for a duplicate, EINVAL (with a message) for a bad request,
     *         and what {@code configure} refuses
     */
    public FibRule add(FibRule.Spec s, boolean exclusive, ToIntFunction<String> ifindex, Configure configure) {
        FibRule rule = fromRequest(s, ifindex);
        if (exclusive && exists(s, rule)) {
            throw new KernelException(Errno.EEXIST);
        }
        configure.configure(rule, s);
        if (rule.action() == FibRule.ACTION_GOTO) {
            for (FibRule r : rules) {
                if (r.priority() == rule.target()) {
                    rule.setJumpTarget(r);
                    break;
                }
            }
        }
        int at = 0;
        for (int i = 0; i < rules.size(); i++) {
            if (Long.compareUnsigned(rules.get(i).priority(), rule.priority()) > 0) {
                break;
            }
            at = i + 1;
        }
        rules.add(at, rule);
        for (FibRule r : rules) {
            if (r.action() == FibRule.ACTION_GOTO && r.jumpTarget() == null && r.target() == rule.priority()) {
                r.setJumpTarget(rule);
            }
        }
        changed = true;
        dev.ipsim.kernel.LookupEpoch.bump();
        return rule;
    }

    /**
     * {@code fib_delrule}: removes the first rule that matches what the request names. Gotos that
     * led to it lead to the next rule of the same priority, or become unresolved.
     *
     * @throws KernelException ENOENT when none matches, EINVAL for a bad request
     */
    public FibRule delete(FibRule.Spec s, ToIntFunction<String> ifindex) {
        FibRule template = fromRequest(s, ifindex);
        FibRule victim = null;
        for (FibRule r : rules) {
            if (matchesRequest(r, s, template)) {
                victim = r;
                break;
            }
        }
        if (victim == null) {
            throw new KernelException(Errno.ENOENT);
        }
        int i = rules.indexOf(victim);
        rules.remove(i);
        FibRule next = i < rules.size() && rules.get(i).priority() == victim.priority() ? rules.get(i) : null;
        for (FibRule r : rules) {
            if (r.jumpTarget() == victim) {
                r.setJumpTarget(next);
            }
        }
        changed = true;
        dev.ipsim.kernel.LookupEpoch.bump();
        return victim;
    }

    /** {@code rule_exists}: a rule equal to the new one in every respect the request can state. */
    private boolean exists(FibRule.Spec s, FibRule rule) {
        for (FibRule r : rules) {
            if (r.action() != rule.action() || r.table() != rule.table() || r.priority() != rule.priority()
                    || !Objects.equals(r.inputDevice(), rule.inputDevice())
                    || !Objects.equals(r.outputDevice(), rule.outputDevice())
                    || r.mark() != rule.mark() || r.suppressIfgroup() != rule.suppressIfgroup()
                    || r.suppressPrefixLength() != rule.suppressPrefixLength() || r.markMask() != rule.markMask()
                    || r.l3mdev() != rule.l3mdev() || r.uidStart() != rule.uidStart()
                    || r.uidEnd() != rule.uidEnd() || r.ipProtocol() != rule.ipProtocol()
                    || r.protocol() != rule.protocol()
                    || !java.util.Arrays.equals(r.sourcePorts(), rule.sourcePorts())
                    || !java.util.Arrays.equals(r.destinationPorts(), rule.destinationPorts())) {
                continue;
            }
            if (familyMatches(r, s)) {
                return true;
            }
        }
        return false;
    }

    /** {@code rule_find}: what a delete request names, and only that, must match. */
    private static boolean matchesRequest(FibRule r, FibRule.Spec s, FibRule t) {
        if (t.action() != FibRule.ACTION_UNSPEC && r.action() != t.action()) {
            return false;
        }
        if (t.table() != 0 && r.table() != t.table()) {
            return false;
        }
        if (s.priority != null && r.priority() != t.priority()) {
            return false;
        }
        if (t.inputDevice() != null && !t.inputDevice().equals(r.inputDevice())) {
            return false;
        }
        if (t.outputDevice() != null && !t.outputDevice().equals(r.outputDevice())) {
            return false;
        }
        if (t.mark() != 0 && r.mark() != t.mark()) {
            return false;
        }
        if (t.suppressIfgroup() != -1 && r.suppressIfgroup() != t.suppressIfgroup()) {
            return false;
        }
        if (t.suppressPrefixLength() != -1 && r.suppressPrefixLength() != t.suppressPrefixLength()) {
            return false;
        }
        if (t.markMask() != 0 && r.markMask() != t.markMask()) {
            return false;
        }
        if (t.l3mdev() && !r.l3mdev()) {
            return false;
        }
        if (t.hasUidRange() && (r.uidStart() != t.uidStart() || r.uidEnd() != t.uidEnd())) {
            return false;
        }
        if (t.ipProtocol() != 0 && r.ipProtocol() != t.ipProtocol()) {
            return false;
        }
        if (t.protocol() != RouteProtocol.UNSPEC && r.protocol() != t.protocol()) {
            return false;
        }
        if (FibRule.portRangeSet(t.sourcePorts()) && !java.util.Arrays.equals(r.sourcePorts(), t.sourcePorts())) {
            return false;
        }
        if (FibRule.portRangeSet(t.destinationPorts())
                && !java.util.Arrays.equals(r.destinationPorts(), t.destinationPorts())) {
            return false;
        }
        return familyMatches(r, s);
    }

    /**
     * {@code fib4_rule_compare}/{@code fib6_rule_compare}: the prefixes, TOS and realms, each
     * only when the request gives one.
     */
    private static boolean familyMatches(FibRule r, FibRule.Spec s) {
        if (s.source != null && s.source.length() != 0 && !samePrefix(r.source(), s.source)) {
            return false;
        }
        if (s.destination != null && s.destination.length() != 0 && !samePrefix(r.destination(), s.destination)) {
            return false;
        }
        if (s.tos != 0 && r.tos() != s.tos) {
            return false;
        }
        return s.realms == null || r.realms() == s.realms;
    }

    private static boolean samePrefix(IpPrefix have, IpPrefix asked) {
        return have != null && have.length() == asked.length() && have.address().equals(asked.address());
    }

    // ------------------------------------------------------------------ devices

    /** {@code NETDEV_REGISTER}: rules naming the device attach to it. */
    public void deviceRegistered(String name, int ifindex) {
        dev.ipsim.kernel.LookupEpoch.bump();
        for (FibRule r : rules) {
            r.attach(name, ifindex);
        }
    }

    /** {@code NETDEV_UNREGISTER}: rules bound to the device are detached. */
    public void deviceUnregistered(int ifindex) {
        dev.ipsim.kernel.LookupEpoch.bump();
        for (FibRule r : rules) {
            r.detach(ifindex);
        }
    }

    /** {@code NETDEV_CHANGENAME}: detached from the old name, attached under the new one. */
    public void deviceRenamed(String newName, int ifindex) {
        dev.ipsim.kernel.LookupEpoch.bump();
        for (FibRule r : rules) {
            r.detach(ifindex);
            r.attach(newName, ifindex);
        }
    }
}
