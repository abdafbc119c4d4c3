package dev.ipsim.commands.ip;

import dev.ipsim.commands.output.Printer;
import dev.ipsim.commands.output.Printer.Kind;
import dev.ipsim.kernel.bridge.Bridge;
import dev.ipsim.kernel.bridge.BridgeId;
import dev.ipsim.kernel.bridge.BridgePort;
import dev.ipsim.kernel.time.Jiffies;

/**
 * {@code ip -d link}'s bridge and bridge port attributes ({@code bridge_print_opt} in
 * {@code ip/iplink_bridge.c}, {@code bridge_slave_print_opt} in {@code ip/iplink_bridge_slave.c}),
 * in the order the kernel sends and iproute2 prints them. The recorded kernel has no VLAN
 * filtering built in, so the vlan attributes are absent, as there.
 */
public final class BridgeDetails {

    private BridgeDetails() {
    }

    /** {@code jiffies_to_clock_t}: hundredths of a second, rounded down. */
    public static long clockT(long jiffies) {
        return jiffies * 100 / Jiffies.HZ;
    }

    /** {@code br_dump_bridge_id}: priority in four hex digits, then {@code ether_ntoa}'s address. */
    public static String bridgeId(BridgeId id) {
        StringBuilder sb = new StringBuilder(String.format("%04x.", id.priority()));
        for (int i = 0; i < 6; i++) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(Integer.toHexString(id.address().octet(i)));
        }
        return sb.toString();
    }

    /** {@code _bridge_print_timer}: {@code %4i.%.2i} of a timer value in clock ticks. */
    private static void timer(Printer p, String name, long clock) {
        String value = String.format("%d.%02d", clock / 100, clock % 100);
        if (p.inJson()) {
            p.jsonWriter().name(name);
            p.jsonWriter().raw(value);
        } else {
            p.text(String.format("%s %4d.%02d ", name, clock / 100, clock % 100));
        }
    }

    private static void uint(Printer p, String key, String fmt, long v) {
        p.unsigned(Kind.ANY, key, fmt, v);
    }

    private static void onOff(Printer p, String key, String fmt, boolean on) {
        p.bool(Kind.JSON, key, null, on);
        p.string(Kind.TEXT, null, fmt, on ? "on" : "off");
    }

    private static void hex(Printer p, String key, String fmt, long v) {
        if (p.inJson()) {
            p.string(Kind.JSON, key, null, v == 0 ? "0" : "0x" + Long.toHexString(v));
        } else {
            p.text(v == 0 ? fmt.replace("%#llx", "0") : fmt.replace("%#llx", "0x" + Long.toHexString(v)));
        }
    }

    /** The bridge's own attributes. */
    static void bridge(Printer p, Bridge br) {
        long now = Jiffies.now(br.namespace().kernel().clock());
        uint(p, "forward_delay", "forward_delay %s ", clockT(Bridge.FORWARD_DELAY));
        uint(p, "hello_time", "hello_time %s ", clockT(Bridge.HELLO_TIME));
        uint(p, "max_age", "max_age %s ", clockT(Bridge.MAX_AGE));
        uint(p, "ageing_time", "ageing_time %s ", clockT(Bridge.AGEING_TIME));
        uint(p, "stp_state", "stp_state %s ", 0);
        uint(p, "priority", "priority %s ", br.bridgeId().priority());
        uint(p, "vlan_filtering", "vlan_filtering %s ", 0);
        p.string(Kind.ANY, "bridge_id", "bridge_id %s ", bridgeId(br.bridgeId()));
        // iproute2 prints the bridge id again as the root id
        p.string(Kind.ANY, "root_id", "designated_root %s ", bridgeId(br.bridgeId()));
        uint(p, "root_port", "root_port %s ", br.rootPort());
        uint(p, "root_path_cost", "root_path_cost %s ", br.rootPathCost());
        uint(p, "topology_change", "topology_change %s ", 0);
        uint(p, "topology_change_detected", "topology_change_detected %s ", 0);
        timer(p, "hello_timer", 0);
        timer(p, "tcn_timer", 0);
        timer(p, "topology_change_timer", 0);
        timer(p, "gc_timer", clockT(br.gcTimerJiffies()));
        hex(p, "group_fwd_mask", "group_fwd_mask %#llx ", 0);
        p.string(Kind.ANY, "group_addr", "group_address %s ", Bridge.GROUP_ADDRESS.toString());
        uint(p, "mcast_snooping", "mcast_snooping %s ", 1);
        uint(p, "no_linklocal_learn", "no_linklocal_learn %s ", 0);
        uint(p, "mcast_vlan_snooping", "mcast_vlan_snooping %s ", 0);
        uint(p, "mcast_router", "mcast_router %s ", 1);
        uint(p, "mcast_query_use_ifaddr", "mcast_query_use_ifaddr %s ", 0);
        uint(p, "mcast_querier", "mcast_querier %s ", 0);
        uint(p, "mcast_hash_elasticity", "mcast_hash_elasticity %s ", 16);
        uint(p, "mcast_hash_max", "mcast_hash_max %s ", 4096);
        uint(p, "mcast_last_member_cnt", "mcast_last_member_count %s ", 2);
        uint(p, "mcast_startup_query_cnt", "mcast_startup_query_count %s ", 2);
        uint(p, "mcast_last_member_intvl", "mcast_last_member_interval %s ", clockT(Jiffies.HZ));
        uint(p, "mcast_membership_intvl", "mcast_membership_interval %s ", clockT(260L * Jiffies.HZ));
        uint(p, "mcast_querier_intvl", "mcast_querier_interval %s ", clockT(255L * Jiffies.HZ));
        uint(p, "mcast_query_intvl", "mcast_query_interval %s ", clockT(125L * Jiffies.HZ));
        uint(p, "mcast_query_response_intvl", "mcast_query_response_interval %s ", clockT(10L * Jiffies.HZ));
        uint(p, "mcast_startup_query_intvl", "mcast_startup_query_interval %s ", clockT(125L * Jiffies.HZ / 4));
        uint(p, "mcast_stats_enabled", "mcast_stats_enabled %s ", 0);
        uint(p, "mcast_igmp_version", "mcast_igmp_version %s ", 2);
        uint(p, "mcast_mld_version", "mcast_mld_version %s ", 1);
        uint(p, "nf_call_iptables", "nf_call_iptables %s ", 0);
        uint(p, "nf_call_ip6tables", "nf_call_ip6tables %s ", 0);
        uint(p, "nf_call_arptables", "nf_call_arptables %s ", 0);
    }

    /** A port's attributes. */
    static void port(Printer p, BridgePort port) {
        long now = Jiffies.now(port.bridge().namespace().kernel().clock());
        p.string(Kind.ANY, "state", "state %s ", port.state().label());
        p.integer(Kind.ANY, "priority", "priority %d ", port.priority());
        p.integer(Kind.ANY, "cost", "cost %d ", port.pathCost());
        onOff(p, "hairpin", "hairpin %s ", port.hairpin());
        onOff(p, "guard", "guard %s ", port.guard());
        onOff(p, "root_block", "root_block %s ", port.rootBlock());
        onOff(p, "fastleave", "fastleave %s ", port.fastLeave());
        onOff(p, "learning", "learning %s ", port.learning());
        onOff(p, "flood", "flood %s ", port.flood());
        hex(p, "id", "port_id %#llx ", port.portId());
        hex(p, "no", "port_no %#llx ", port.portNumber());
        uint(p, "designated_port", "designated_port %s ", port.designatedPort());
        uint(p, "designated_cost", "designated_cost %s ", port.designatedCost());
        p.string(Kind.ANY, "bridge_id", "designated_bridge %s ", bridgeId(port.designatedBridge()));
        p.string(Kind.ANY, "root_id", "designated_root %s ", bridgeId(port.designatedRoot()));
        timer(p, "hold_timer", 0);
        timer(p, "message_age_timer", 0);
        timer(p, "forward_delay_timer", clockT(port.forwardDelayTimerJiffies(now)));
        uint(p, "topology_change_ack", "topology_change_ack %s ", 0);
        uint(p, "config_pending", "config_pending %s ", 0);
        onOff(p, "proxy_arp", "proxy_arp %s ", false);
        onOff(p, "proxy_arp_wifi", "proxy_arp_wifi %s ", false);
        uint(p, "multicast_router", "mcast_router %s ", 1);
        p.string(Kind.TEXT, null, "mcast_fast_leave %s ", "off");
        onOff(p, "mcast_flood", "mcast_flood %s ", port.multicastFlood());
        onOff(p, "bcast_flood", "bcast_flood %s ", port.broadcastFlood());
        onOff(p, "mcast_to_unicast", "mcast_to_unicast %s ", port.multicastToUnicast());
        onOff(p, "neigh_suppress", "neigh_suppress %s ", port.neighSuppress());
        hex(p, "group_fwd_mask", "group_fwd_mask %#llx ", 0);
        p.string(Kind.ANY, "group_fwd_mask_str", "group_fwd_mask_str %s ", "0x0");
        onOff(p, "vlan_tunnel", "vlan_tunnel %s ", port.vlanTunnel());
        onOff(p, "isolated", "isolated %s ", port.isolated());
        onOff(p, "locked", "locked %s ", port.locked());
    }
}
