/**
 * Packet formats, and nothing else (smoltcp's {@code wire}, gVisor's {@code header}): each format
 * is a record of the values that matter, parsed from and encoded to the bytes a capture would
 * show. Byte offsets live only here, in each format's {@code Field} holder; the kernel model
 * decides on records and never touches an offset. Codes this model does not know (an ARP
 * operation 7, an ICMP type 42) are kept as numbers, so a capture can still show them.
 */
package dev.ipsim.kernel.wire;
