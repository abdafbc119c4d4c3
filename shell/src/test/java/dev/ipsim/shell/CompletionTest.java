package dev.ipsim.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.ipsim.shell.script.Interpreter;
import dev.ipsim.shell.script.Parser;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Tab's candidates, from the tools' grammars and the lab's state. */
class CompletionTest {

    private ShellSession session;
    private Completion completion;

    @BeforeEach
    void lab() throws Exception {
        Sandbox sandbox = Main.boot(true, 7, null);
        session = new ShellSession(sandbox, ShellSession.Mode.COMMAND, "bash", new ByteArrayInputStream(new byte[0]),
                new ByteArrayOutputStream(), new ByteArrayOutputStream(), false);
        run("ip netns add blue; ip netns add red; ip link add veth0 type veth peer name veth1 netns blue;"
                + " ip link add br0 type bridge; f() { :; }");
        completion = new Completion(session);
    }

    private void run(String script) throws Exception {
        new Interpreter(session).run(Parser.parse(script + "\n", 1));
    }

    private List<String> values(String line) {
        return completion.complete(line).stream().map(Completion.Candidate::value).toList();
    }

    @Test
    void commandNamesForTheFirstWordOfEachCommand() {
        assertEquals(List.of("ifconfig", "ip"), values("i"));
        assertEquals(List.of("ping", "printf", "pwd"), values("echo a; p"));
        assertEquals(List.of("sysctl"), values("sudo sy"));
    }

    @Test
    void ifconfigCompletesDevicesThenItsKeywords() {
        assertEquals(List.of("veth0"), values("ifconfig -a v"));
        assertEquals(List.of("mtu", "multicast"), values("ifconfig veth0 m"));
        assertEquals(List.of("ether"), values("ifconfig veth0 hw "));
        assertEquals(List.of("-r"), values("netstat -r"));
    }

    @Test
    void ipObjectsVerbsAndKeywordsInTableOrder() {
        assertEquals(List.of("address", "addrlabel"), values("ip a"));
        assertEquals(List.of("neighbor", "neighbour", "netns", "netconf", "nexthop"), values("ip ne"));
        assertEquals(List.of("add", "delete", "set", "show", "change", "replace", "help"), values("ip link "));
        assertEquals(List.of("address", "alias", "arp", "allmulticast"), values("ip l set dev veth0 a"));
        assertEquals(List.of("-brief", "-batch"), values("ip -b"));
    }

    @Test
    void devicesOfTheNamespaceTheCommandRunsIn() {
        assertEquals(List.of("lo", "veth0", "br0"), values("ip link set dev "));
        assertEquals(List.of("lo", "veth1"), values("ip -n blue link show dev "));
        assertEquals(List.of("veth1"), values("ip netns exec blue ip addr show dev v"));
        assertEquals(List.of("veth1"), values("ip netns exec blue ping -I v"));
        assertEquals(List.of("veth0"), values("tcpdump -i v"));
        assertEquals(List.of("br0"), values("ip link set veth0 master b"));
    }

    @Test
    void namespaceNamesLinkKindsAndStates() {
        assertEquals(List.of("blue", "red"), values("ip netns exec ").stream().sorted().toList());
        assertEquals(List.of("red"), values("ip -n r"));
        assertEquals(List.of("blue"), values("ip link set veth0 netns b"));
        assertEquals(List.of("bridge"), values("ip link add br1 type b"));
        assertEquals(List.of("permanent", "probe"), values("ip neigh add 10.0.0.1 dev veth0 nud p"));
        assertEquals(List.of(), values("ip link set veth0 mtu "));
    }

    @Test
    void sysctlKeysOneLevelAtATime() {
        assertEquals(List.of("net.ipv4.ip_forward", "net.ipv4.ip_forward_update_priority",
                "net.ipv4.ip_forward_use_pmtu"), values("sysctl net.ipv4.ip_forw"));
        List<Completion.Candidate> conf = completion.complete("sysctl -w net.ipv4.con");
        assertEquals(List.of(new Completion.Candidate("net.ipv4.conf.", false)), conf);
        assertEquals(List.of("net/ipv4/conf/"), values("sysctl net/ipv4/con"));
        assertEquals(List.of("net.ipv4.conf.veth0."), values("sysctl net.ipv4.conf.vet"));
    }

    @Test
    void filesWhereNoGrammarApplies() {
        assertNull(completion.complete("cat /proc/sys/net/ipv4/ip_f"));
        assertNull(completion.complete("echo x > fi"));
        assertNull(completion.complete("./scr"));
    }

    @Test
    void unknownCommandsAreMarkedButNotWhileTyped() {
        assertEquals("[0, 3]", spans("foo bar"));
        assertEquals("[]", spans("ip a; echo foo | grep x; f"));
        assertEquals("[]", spans("pin"));
        assertEquals("[5, 8]", spans("X=1; lsx -l"));
        assertEquals("[14, 18]", spans("if true; then nope; fi"));
        assertEquals("[]", spans("for i in a b; do echo $i; done; \"$cmd\" x"));
    }

    private String spans(String line) {
        return completion.unknownCommands(line).stream().map(java.util.Arrays::toString).reduce("", String::concat)
                .transform(s -> s.isEmpty() ? "[]" : s);
    }
}
