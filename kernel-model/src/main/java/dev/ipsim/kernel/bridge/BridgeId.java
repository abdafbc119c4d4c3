package dev.ipsim.kernel.bridge;

import dev.ipsim.kernel.addr.MacAddress;

/** An STP bridge identifier ({@code bridge_id}): a priority and a MAC address. */
public record BridgeId(int priority, MacAddress address) {
}
