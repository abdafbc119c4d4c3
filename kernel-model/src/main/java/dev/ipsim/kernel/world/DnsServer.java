package dev.ipsim.kernel.world;

import dev.ipsim.kernel.addr.Ipv4Address;
import dev.ipsim.kernel.time.VirtualClock;
import dev.ipsim.kernel.wire.DnsMessage;
import dev.ipsim.kernel.wire.DnsMessage.Question;
import dev.ipsim.kernel.wire.DnsMessage.ResourceRecord;
import dev.ipsim.kernel.wire.WireFormatException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A recursive DNS server over the world's {@link Zone}, as QEMU's 10.0.2.3 forwards to one (and
 * as the public resolvers 8.8.8.8, 1.1.1.1 and the like are): it answers A, AAAA and PTR
 * questions, NXDOMAIN for names that do not exist, and rotates the addresses of a name that
 * has several (round robin), starting from the order the zone lists them.
 *
 * <p>Answering takes time: a name it has not resolved lately costs a recursion of 8 to 45 ms
 * (the same for a name every time); one in its cache (bounded, {@link #CACHE_ENTRIES} names,
 * each for its TTL) is answered at once.
 */
public final class DnsServer {

    /** How many answers the cache keeps. */
    static final int CACHE_ENTRIES = 512;
    /** TTL of the answers, and how long the cache keeps them. */
    static final long TTL_SECONDS = 300;
    /** TTL of NXDOMAIN answers ({@code SOA} minimum). */
    static final long NEGATIVE_TTL_SECONDS = 900;

    private static final long MS = VirtualClock.NANOS_PER_MILLI;

    /** An answer and how long the server takes to give it. */
    public record Answer(byte[] message, long delayNanos) {
    }

    private final Zone zone;
    private final long seed;
    /** name/type to the virtual time its cached answer expires. */
    private final Map<String, Long> cache = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > CACHE_ENTRIES;
        }
    };
    /** How many times a multi-address name was answered (its rotation), bounded like the cache. */
    private final Map<String, Integer> rotation = new HashMap<>();

    DnsServer(Zone zone, long seed) {
        this.zone = zone;
        this.seed = seed;
    }

    /** How many answers the cache holds (never more than {@link #CACHE_ENTRIES}). */
    int cacheSize() {
        return cache.size();
    }

    /**
     * The answer to a query received at {@code nowNanos}; {@code null} for something that is
     * not a query this server answers (it stays silent, as servers do for garbage).
     */
    public Answer answer(byte[] query, long nowNanos) {
        DnsMessage q;
        try {
            q = DnsMessage.parse(query);
        } catch (WireFormatException e) {
            return null;
        }
        if (q.isResponse() || q.questions().size() != 1 || ((q.flags() >>> 11) & 0xF) != 0) {
            return null;
        }
        Question question = q.questions().get(0);
        String key = Zone.normalize(question.name()) + "/" + question.type();
        Long expires = cache.get(key);
        long delay;
        if (expires != null && expires > nowNanos) {
            delay = 100_000; // from the cache
        } else {
            delay = 8 * MS + Hashing.below(Hashing.mix(seed, Hashing.of(key), 30), 37_000) * 1000L;
        }
        List<ResourceRecord> answers = new ArrayList<>();
        List<ResourceRecord> authority = new ArrayList<>();
        int rcode = DnsMessage.RCODE_NOERROR;
        long ttl = TTL_SECONDS;
        switch (question.type()) {
            case DnsMessage.TYPE_A, DnsMessage.TYPE_AAAA, DnsMessage.TYPE_CNAME -> {
                Zone.Entry entry = zone.lookup(question.name());
                if (entry == null) {
                    rcode = DnsMessage.RCODE_NXDOMAIN;
                    ttl = NEGATIVE_TTL_SECONDS;
                    authority.add(soa(question.name()));
                    break;
                }
                List<String> chain = zone.aliasChain(question.name());
                String owner = question.name();
                for (int i = 1; i < chain.size(); i++) {
                    answers.add(ResourceRecord.name(owner, DnsMessage.TYPE_CNAME, TTL_SECONDS, chain.get(i)));
                    owner = chain.get(i);
                }
                if (question.type() == DnsMessage.TYPE_A) {
                    for (Ipv4Address a : rotated(entry)) {
                        byte[] b = new byte[4];
                        a.writeTo(b, 0);
                        answers.add(ResourceRecord.a(owner, TTL_SECONDS, b));
                    }
                } else if (question.type() == DnsMessage.TYPE_AAAA && answers.isEmpty()) {
                    authority.add(soa(owner));
                }
            }
            case DnsMessage.TYPE_PTR -> {
                Ipv4Address address = Zone.fromReverseName(question.name());
                String name = address == null ? null : zone.reverse(address);
                if (name == null) {
                    rcode = DnsMessage.RCODE_NXDOMAIN;
                    ttl = NEGATIVE_TTL_SECONDS;
                    authority.add(soa(question.name()));
                } else {
                    answers.add(ResourceRecord.name(question.name(), DnsMessage.TYPE_PTR, TTL_SECONDS, name));
                }
            }
            default -> {
                Zone.Entry entry = zone.lookup(question.name());
                if (entry == null) {
                    rcode = DnsMessage.RCODE_NXDOMAIN;
                    ttl = NEGATIVE_TTL_SECONDS;
                }
                authority.add(soa(question.name()));
            }
        }
        if (expires == null || expires <= nowNanos) {
            cache.put(key, nowNanos + ttl * VirtualClock.NANOS_PER_SECOND);
        }
        int flags = DnsMessage.FLAG_RESPONSE | (q.flags() & DnsMessage.FLAG_RECURSION_DESIRED)
                | DnsMessage.FLAG_RECURSION_AVAILABLE | rcode;
        DnsMessage response = new DnsMessage(q.id(), flags, q.questions(), answers, authority, List.of());
        return new Answer(response.encode(), delay);
    }

    /** The entry's addresses, rotated by one more every time it is answered. */
    private List<Ipv4Address> rotated(Zone.Entry entry) {
        List<Ipv4Address> list = entry.addresses();
        if (list.size() < 2) {
            return list;
        }
        if (rotation.size() > CACHE_ENTRIES) {
            rotation.clear();
        }
        int n = rotation.merge(entry.canonicalName(), 1, Integer::sum) - 1;
        List<Ipv4Address> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            out.add(list.get((i + n) % list.size()));
        }
        return out;
    }

    /** The authority's SOA record that negative answers carry, for the name's top-level domain. */
    private static ResourceRecord soa(String name) {
        String n = Zone.normalize(name);
        int dot = n.lastIndexOf('.');
        String tld = dot < 0 ? "" : n.substring(dot + 1);
        String zoneName = n.endsWith(".in-addr.arpa") ? "in-addr.arpa" : tld;
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] mname = DnsMessage.encodeName(zoneName.isEmpty() ? "a.root-servers.net" : "ns1." + zoneName);
        byte[] rname = DnsMessage.encodeName("hostmaster." + (zoneName.isEmpty() ? "root-servers.net" : zoneName));
        out.write(mname, 0, mname.length);
        out.write(rname, 0, rname.length);
        for (long v : new long[] {2024010101L, 1800, 900, 604800, NEGATIVE_TTL_SECONDS}) {
            out.write((int) (v >>> 24) & 0xFF);
            out.write((int) (v >>> 16) & 0xFF);
            out.write((int) (v >>> 8) & 0xFF);
            out.write((int) v & 0xFF);
        }
        String owner = zoneName.isEmpty() ? "" : zoneName;
        return new ResourceRecord(owner.isEmpty() ? "." : owner, DnsMessage.TYPE_SOA, DnsMessage.CLASS_IN,
                NEGATIVE_TTL_SECONDS, out.toByteArray());
    }
}
