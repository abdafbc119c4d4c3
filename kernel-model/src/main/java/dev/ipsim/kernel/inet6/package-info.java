/**
 * The IPv6 packets a Linux host sends by itself when a link comes up ({@code net/ipv6/mcast.c},
 * {@code ndisc.c}, {@code addrconf.c}): MLDv2 reports for the groups its addresses join, the
 * Neighbour Solicitations of Duplicate Address Detection, and Router Solicitations with their
 * backoff; and the IPv6 neighbour cache those sends fill. IPv6 received is counted by the
 * device and otherwise ignored: nothing here answers it yet.
 */
package dev.ipsim.kernel.inet6;
