/**
 * IPv4's packet path in a namespace ({@code net/ipv4}): route lookups for output and input
 * ({@code route.c}, {@code fib_frontend.c}), ARP ({@code arp.c}), ICMP ({@code icmp.c}), input,
 * local delivery and output ({@code ip_input.c}, {@code ip_output.c}), and raw ICMP sockets
 * ({@code raw.c}) for ping. Addresses and routing tables themselves live in
 * {@link dev.ipsim.kernel.ipv4}; this package reads them and moves packets.
 */
package dev.ipsim.kernel.inet;
