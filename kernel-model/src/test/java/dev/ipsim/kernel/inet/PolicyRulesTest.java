package dev.ipsim.kernel.inet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipsim.kernel.Errno;
import dev.ipsim.kernel.KernelException;
import dev.ipsim.kernel.Scope;
import dev.ipsim.kernel.addr.IpPrefix;
import dev.ipsim.kernel.addr.Ipv4Address;
import dev.ipsim.kernel.ipv4.Ipv4;
import dev.ipsim.kernel.link.NetDevice;
import dev.ipsim.kernel.route.FibRule;
import dev.ipsim.kernel.route.Route;
import dev.ipsim.kernel.route.RouteProtocol;
import dev.ipsim.kernel.route.RouteTableId;
import dev.ipsim.kernel.route.RouteType;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Routing policy rules: how the list is numbered and kept, and what lookups through it find.
 * The expectations are those of the oracle scenarios ip-rule, ip-rule-edges and
 * ip-rule-lookups, recorded on Linux 6.18.
 */
class PolicyRulesTest {

    private static Ipv4Address ip(String s) {
        return Ipv4Address.parse(s);
    }

    /** veth0 10.0.0.1/24 (up), a default route via 10.0.0.254 in main and via 10.0.0.253 in table 100. */
    private static Lab lab() {
        Lab lab = new Lab();
        NetDevice[] pair = lab.vethPair("veth0", "veth1");
        lab.address(pair[0], "10.0.0.1/24");
        lab.up(pair[0]);
        lab.up(pair[1]);
        defaultRoute(lab, "10.0.0.254", RouteTableId.MAIN);
        defaultRoute(lab, "10.0.0.253", 100);
        return lab;
    }

    private static void defaultRoute(Lab lab, String gateway, int table) {
        lab.ns.ipv4().addRoute(Route.builder(RouteType.UNICAST, new IpPrefix(Ipv4Address.ANY, 0))
                .protocol(RouteProtocol.BOOT).scope(Scope.UNIVERSE).gateway(ip(gateway)).table(table)
                .device(lab.ns.device("veth0")).build(), Ipv4.RouteAddMode.ADD);
    }

    private static FibRule.Spec rule(long table) {
        FibRule.Spec s = new FibRule.Spec();
        s.action = FibRule.ACTION_TO_TABLE;
        s.table = table;
        return s;
    }

    private static List<Long> priorities(Lab lab) {
        return lab.ns.ipv4().rules().rules().stream().map(FibRule::priority).toList();
    }

    @Test
    void aNewNamespaceHasTheThreeDefaultRules() {
        Lab lab = new Lab();
        assertEquals(List.of(0L, 32766L, 32767L), priorities(lab));
        assertEquals(List.of(0L, 32766L),
                lab.ns.ipv6().rules().rules().stream().map(FibRule::priority).toList());
        assertFalse(lab.ns.ipv4().rules().customized());
    }

    @Test
    void rulesWithoutAPriorityAreNumberedDownFromTheSecondRule() {
        Lab lab = lab();
        lab.ns.ipv4().addRule(rule(100), true);
        lab.ns.ipv4().addRule(rule(100), true); // not a duplicate: its priority differs
        FibRule.Spec at500 = rule(100);
        at500.priority = 500L;
        lab.ns.ipv4().addRule(at500, true);
        lab.ns.ipv4().addRule(rule(200), true);
        assertEquals(List.of(0L, 499L, 500L, 32764L, 32765L, 32766L, 32767L), priorities(lab));
    }

    @Test
    void aDuplicateIsRefusedButTheDefaultRulesAreProtocolKernel() {
        Lab lab = lab();
        FibRule.Spec local = rule(RouteTableId.LOCAL);
        local.priority = 0L;
        lab.ns.ipv4().addRule(local, true); // the default one is proto kernel: no duplicate
        KernelException e = assertThrows(KernelException.class, () -> lab.ns.ipv4().addRule(local, true));
        assertEquals(Errno.EEXIST, e.errno());
    }

    @Test
    void deletingRemovesTheFirstRuleThatMatchesWhatIsNamed() {
        Lab lab = lab();
        FibRule.Spec byTable = new FibRule.Spec();
        byTable.table = RouteTableId.MAIN;
        lab.ns.ipv4().deleteRule(byTable);
        assertEquals(List.of(0L, 32767L), priorities(lab));
        KernelException e = assertThrows(KernelException.class, () -> lab.ns.ipv4().deleteRule(byTable));
        assertEquals(Errno.ENOENT, e.errno());
    }

    @Test
    void gotoRulesResolveLateAndFollowTheNextRuleOfTheSamePriority() {
        Lab lab = lab();
        FibRule.Spec jump = new FibRule.Spec();
        jump.action = FibRule.ACTION_GOTO;
        jump.gotoTarget = 50L;
        jump.priority = 10L;
        FibRule g = lab.ns.ipv4().addRule(jump, true);
        assertTrue((g.flags() & FibRule.FLAG_UNRESOLVED) != 0);
        FibRule.Spec a = rule(100);
        a.priority = 50L;
        lab.ns.ipv4().addRule(a, true);
        FibRule.Spec b = rule(200);
        b.priority = 50L;
        FibRule second = lab.ns.ipv4().addRule(b, true);
        assertEquals(0, g.flags() & FibRule.FLAG_UNRESOLVED);
        FibRule.Spec del = new FibRule.Spec();
        del.table = 100;
        lab.ns.ipv4().deleteRule(del);
        assertEquals(second, lab.ns.ipv4().rules().jumpTarget(g));

        jump.priority = 60L;
        KernelException e = assertThrows(KernelException.class, () -> lab.ns.ipv4().addRule(jump, true));
        assertEquals("Backward goto not supported", e.extack().orElseThrow());
    }

    @Test
    void aRuleFollowsItsDeviceByName() {
        Lab lab = lab();
        FibRule.Spec s = rule(100);
        s.inputDevice = "vx0";
        FibRule r = lab.ns.ipv4().addRule(s, true);
        assertEquals(-1, r.inputIndex());
        NetDevice[] pair = lab.vethPair("vx0", "vx1");
        assertEquals(pair[0].ifindex(), r.inputIndex());
        lab.ns.deleteLink(pair[0]);
        assertEquals(-1, r.inputIndex());
    }

    static Stream<Arguments> lookups() {
        // a rule (selector=value; action), the flow; what the lookup finds
        return Stream.of(
                Arguments.of("from=10.0.0.0/24", "8.8.8.8 from 10.0.0.1", "10.0.0.253 table 100"),
                Arguments.of("from=10.0.0.0/24", "8.8.8.8", "10.0.0.254 table 254"),
                Arguments.of("to=8.8.0.0/16", "8.8.8.8", "10.0.0.253 table 100"),
                Arguments.of("not to=8.8.0.0/16", "8.8.8.8", "10.0.0.254 table 254"),
                Arguments.of("iif=lo", "8.8.8.8", "10.0.0.253 table 100"),
                Arguments.of("oif=veth0", "8.8.8.8", "10.0.0.254 table 254"),
                Arguments.of("oif=veth0", "8.8.8.8 oif veth0", "10.0.0.253 table 100"),
                Arguments.of("mark=7", "8.8.8.8 mark 7", "10.0.0.253 table 100"),
                Arguments.of("mark=7", "8.8.8.8 mark 6", "10.0.0.254 table 254"),
                Arguments.of("uid=1000-1999", "8.8.8.8 uid 1500", "10.0.0.253 table 100"),
                Arguments.of("uid=1000-1999", "8.8.8.8 uid 2500", "10.0.0.254 table 254"),
                Arguments.of("ipproto=17", "8.8.8.8 ipproto 17", "10.0.0.253 table 100"),
                Arguments.of("ipproto=17", "8.8.8.8 ipproto 6", "10.0.0.254 table 254"),
                Arguments.of("suppress=0", "8.8.8.8", "10.0.0.254 table 254"),
                Arguments.of("table=999", "8.8.8.8", "10.0.0.254 table 254"),
                Arguments.of("action=unreachable", "8.8.8.8", "ENETUNREACH"),
                Arguments.of("action=prohibit", "8.8.8.8", "EACCES"),
                Arguments.of("action=blackhole", "8.8.8.8", "EINVAL"),
                Arguments.of("action=blackhole", "10.0.0.1", "LOCAL table 255"));
    }

    @ParameterizedTest(name = "{0}: {1} -> {2}")
    @MethodSource("lookups")
    void lookupsThroughRules(String ruleText, String flowText, String expected) {
        Lab lab = lab();
        FibRule.Spec s = rule(100);
        s.priority = 10L;
        for (String part : ruleText.split(" ")) {
            if (part.equals("not")) {
                s.flags |= FibRule.FLAG_INVERT;
                continue;
            }
            String[] kv = part.split("=");
            switch (kv[0]) {
                case "from" -> s.source = prefix(kv[1]);
                case "to" -> s.destination = prefix(kv[1]);
                case "iif" -> s.inputDevice = kv[1];
                case "oif" -> s.outputDevice = kv[1];
                case "mark" -> s.mark = Long.parseLong(kv[1]);
                case "uid" -> s.uidRange = new long[] {Long.parseLong(kv[1].split("-")[0]),
                    Long.parseLong(kv[1].split("-")[1])};
                case "ipproto" -> s.ipProtocol = Integer.parseInt(kv[1]);
                case "suppress" -> s.suppressPrefixLength = Integer.parseInt(kv[1]);
                case "table" -> s.table = Long.parseLong(kv[1]);
                case "action" -> {
                    s.table = 0;
                    s.action = switch (kv[1]) {
                        case "unreachable" -> FibRule.ACTION_UNREACHABLE;
                        case "prohibit" -> FibRule.ACTION_PROHIBIT;
                        default -> FibRule.ACTION_BLACKHOLE;
                    };
                }
                default -> throw new IllegalArgumentException(part);
            }
        }
        lab.ns.ipv4().addRule(s, true);
        String[] f = flowText.split(" ");
        Flow flow = Flow.output(ip(f[0]), Ipv4Address.ANY, 0);
        for (int i = 1; i < f.length; i += 2) {
            switch (f[i]) {
                case "from" -> flow.source = ip(f[i + 1]);
                case "oif" -> flow.outputInterface = lab.ns.device(f[i + 1]).ifindex();
                case "mark" -> flow.mark = Integer.parseInt(f[i + 1]);
                case "uid" -> flow.uid = Integer.parseInt(f[i + 1]);
                case "ipproto" -> flow.protocol = Integer.parseInt(f[i + 1]);
                default -> throw new IllegalArgumentException(f[i]);
            }
        }
        String got;
        try {
            Dst d = lab.ipv4().routing().output(flow);
            got = d.type() == RouteType.LOCAL ? "LOCAL table " + d.tableId() : d.gateway() + " table " + d.tableId();
        } catch (KernelException e) {
            got = e.errno().name();
        }
        assertEquals(expected, got);
    }

    private static IpPrefix prefix(String s) {
        String[] p = s.split("/");
        return new IpPrefix(ip(p[0]), Integer.parseInt(p[1]));
    }

    @Test
    void untilTheRulesChangeLocalRoutesReportTheMainTable() {
        Lab lab = lab();
        Dst d = lab.ipv4().routing().output(Flow.output(ip("10.0.0.1"), Ipv4Address.ANY, 0));
        assertEquals(RouteTableId.MAIN, d.tableId());
        FibRule.Spec del = new FibRule.Spec();
        del.priority = 0L;
        lab.ns.ipv4().deleteRule(del);
        // without the local rule, a local address is reached like any other on the link
        d = lab.ipv4().routing().output(Flow.output(ip("10.0.0.1"), Ipv4Address.ANY, 0));
        assertEquals(RouteType.UNICAST, d.type());
        Ipv4.RouteMatch defaultRoute = new Ipv4.RouteMatch();
        defaultRoute.destination = new IpPrefix(Ipv4Address.ANY, 0);
        lab.ns.ipv4().deleteRoute(defaultRoute);
        assertThrows(KernelException.class,
                () -> lab.ipv4().routing().output(Flow.output(ip("127.0.0.1"), Ipv4Address.ANY, 0)));
    }
}
