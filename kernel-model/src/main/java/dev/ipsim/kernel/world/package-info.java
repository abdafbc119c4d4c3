/**
 * The world outside the simulated machine: the network its NIC is cabled to (QEMU's user-mode
 * network: a gateway and a DNS server on 10.0.2.0/24), and an Internet behind it whose hosts,
 * paths and names are computed from their addresses and a seed, so that it is as large as the
 * address space and costs nothing until someone pings it.
 */
package dev.ipsim.kernel.world;
