package dev.ipsim.commands.net;

import dev.ipsim.commands.Context;
import dev.ipsim.kernel.Errno;
import dev.ipsim.kernel.Kernel;
import dev.ipsim.kernel.KernelException;
import dev.ipsim.kernel.addr.Ipv4Address;
import dev.ipsim.kernel.inet.UdpSocket;
import dev.ipsim.kernel.time.VirtualClock;
import dev.ipsim.kernel.wire.DnsMessage;
import dev.ipsim.kernel.wire.DnsMessage.ResourceRecord;
import dev.ipsim.kernel.wire.WireFormatException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * glibc's stub resolver ({@code resolv/res_send.c}, {@code res_query.c}): DNS questions sent
 * over UDP, through the kernel, from the namespace the command runs in, to the servers of
 * {@code /etc/resolv.conf}.
 *
 * <p>Heads up: what a lookup costs and how it fails is the network's doing, not this class's.
 * A server the namespace has no route to fails at {@code connect()} at once; one that answers
 * with "port unreachable" fails at once too; one that does not answer at all is waited for,
 * {@code timeout} seconds (5) per server and attempt, {@code attempts} times (2), before the
 * lookup gives up ("Temporary failure in name resolution"). Without a {@code nameserver} line
 * the server is 127.0.0.1. Like {@code getaddrinfo} with {@code AF_UNSPEC}, a lookup asks for
 * the A and the AAAA records together on one socket and waits for both answers.
 */
public final class Resolver {

    /** How a lookup ended. */
    public enum Status {
        /** The name has addresses (or the address a name). */
        FOUND,
        /** The name does not exist ({@code NXDOMAIN}: {@code EAI_NONAME}). */
        NOT_FOUND,
        /** The name exists without an IPv4 or IPv6 address ({@code EAI_NODATA}). */
        NO_DATA,
        /** No server answered ({@code EAI_AGAIN}). */
        UNAVAILABLE
    }

    /**
     * What a lookup found: the canonical name (after aliases) and the IPv4 addresses in the
     * answer's order; for a reverse lookup, the name in {@code canonicalName}.
     */
    public record Result(Status status, String canonicalName, List<Ipv4Address> addresses) {
    }

    /** {@code RES_TIMEOUT}, {@code RES_DFLRETRY}, {@code RES_MAXNS}, {@code NAMESERVER_PORT}. */
    private static final int DEFAULT_TIMEOUT = 5;
    private static final int DEFAULT_ATTEMPTS = 2;
    private static final int MAX_SERVERS = 3;
    private static final int PORT = 53;
    /** Slices of wall time a wait at a terminal sleeps in. */
    private static final long WALL_SLICE_NANOS = 20_000_000L;

    private final Context context;
    private final Kernel kernel;
    private final SplittableRandom random;
    private final List<Ipv4Address> servers = new ArrayList<>();
    private final List<String> search = new ArrayList<>();
    private int timeoutSeconds = DEFAULT_TIMEOUT;
    private int attempts = DEFAULT_ATTEMPTS;
    private int ndots = 1;

    public Resolver(Context context) {
        this.context = context;
        this.kernel = context.kernel();
        this.random = kernel.packets().random().split();
        readConfiguration();
    }

    /** {@code res_init}: the servers, search list and options of {@code /etc/resolv.conf}. */
    private void readConfiguration() {
        String conf;
        try {
            conf = context.readFile("/etc/resolv.conf");
        } catch (KernelException e) {
            conf = "";
        }
        for (String raw : conf.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            String[] f = line.split("\\s+");
            switch (f[0]) {
                case "nameserver" -> {
                    Ipv4Address a = f.length > 1 ? HostsFile.inetAton(f[1]) : null;
                    if (a != null && servers.size() < MAX_SERVERS) {
                        servers.add(a);
                    }
                }
                case "search", "domain" -> {
                    search.clear();
                    for (int i = 1; i < f.length; i++) {
                        search.add(f[i]);
                    }
                }
                case "options" -> {
                    for (int i = 1; i < f.length; i++) {
                        option(f[i]);
                    }
                }
                default -> {
                }
            }
        }
        if (servers.isEmpty()) {
            servers.add(Ipv4Address.LOOPBACK);
        }
    }

    private void option(String o) {
        int colon = o.indexOf(':');
        if (colon < 0) {
            return;
        }
        String key = o.substring(0, colon);
        int value;
        try {
            value = Integer.parseInt(o.substring(colon + 1));
        } catch (NumberFormatException e) {
            return;
        }
        switch (key) {
            case "timeout" -> timeoutSeconds = Math.max(1, Math.min(value, 30));
            case "attempts" -> attempts = Math.max(1, Math.min(value, 5));
            case "ndots" -> ndots = Math.max(0, Math.min(value, 15));
            default -> {
            }
        }
    }

    // ------------------------------------------------------------------ lookups

    /** {@code getaddrinfo(name, AF_UNSPEC)}'s DNS part: the IPv4 addresses of a name. */
    public Result lookup(String name) {
        if (!DnsMessage.validName(name)) {
            return new Result(Status.NOT_FOUND, name, List.of());
        }
        Result last = null;
        for (String candidate : candidates(name)) {
            Result r = query(candidate, true);
            if (r.status() == Status.FOUND || r.status() == Status.NO_DATA || r.status() == Status.UNAVAILABLE) {
                return r;
            }
            last = r;
        }
        return last != null ? last : new Result(Status.NOT_FOUND, name, List.of());
    }

    /** {@code getnameinfo}'s DNS part: the name of an address ({@code PTR}). */
    public Result reverse(Ipv4Address address) {
        String name = address.octet(3) + "." + address.octet(2) + "." + address.octet(1) + "." + address.octet(0)
                + ".in-addr.arpa";
        return query(name, false);
    }

    /** {@code res_search}: the names to try, search domains first for a name with few dots. */
    private List<String> candidates(String name) {
        List<String> out = new ArrayList<>();
        if (name.endsWith(".")) {
            out.add(name.substring(0, name.length() - 1));
            return out;
        }
        long dots = name.chars().filter(c -> c == '.').count();
        if (dots >= ndots) {
            out.add(name);
        }
        for (String domain : search) {
            String full = name + "." + domain;
            if (DnsMessage.validName(full)) {
                out.add(full);
            }
        }
        if (dots < ndots) {
            out.add(name);
        }
        return out;
    }

    /**
     * {@code __res_context_send}: every server in turn, {@code attempts} times, until one answers.
     *
     * @param forward A and AAAA questions (a forward lookup), else one PTR question
     */
    private Result query(String name, boolean forward) {
        List<DnsMessage> questions = new ArrayList<>();
        int flags = DnsMessage.FLAG_RECURSION_DESIRED | DnsMessage.FLAG_AUTHENTIC_DATA;
        if (forward) {
            questions.add(DnsMessage.query(random.nextInt(0x10000), flags, name, DnsMessage.TYPE_A));
            questions.add(DnsMessage.query(random.nextInt(0x10000), flags, name, DnsMessage.TYPE_AAAA));
        } else {
            questions.add(DnsMessage.query(random.nextInt(0x10000), flags, name, DnsMessage.TYPE_PTR));
        }
        for (int attempt = 0; attempt < attempts; attempt++) {
            for (int ns = 0; ns < servers.size(); ns++) {
                // send_dg: the first server gets the whole timeout, the others a share of a growing one
                int seconds = timeoutSeconds << ns;
                if (ns > 0) {
                    seconds /= servers.size();
                }
                seconds = Math.max(seconds, 1);
                List<DnsMessage> answers = exchange(servers.get(ns), questions,
                        seconds * VirtualClock.NANOS_PER_SECOND);
                if (answers != null) {
                    return interpret(name, forward, answers);
                }
            }
        }
        return new Result(Status.UNAVAILABLE, name, List.of());
    }

    /**
     * {@code send_dg}: the questions to one server and its answers, or {@code null} when it
     * cannot be reached, refuses, fails or stays silent.
     */
    private List<DnsMessage> exchange(Ipv4Address server, List<DnsMessage> questions, long timeoutNanos) {
        UdpSocket socket = context.netns().stack().ipv4().openUdpSocket();
        try {
            socket.connect(server, PORT);
            // send_dg: the questions go out together (sendmmsg)
            List<byte[]> datagrams = new ArrayList<>();
            for (DnsMessage q : questions) {
                datagrams.add(q.encode());
            }
            socket.sendAll(datagrams);
            DnsMessage[] answers = new DnsMessage[questions.size()];
            long deadline = kernel.clock().nanos() + timeoutNanos;
            while (true) {
                if (!waitFor(deadline, socket::readable)) {
                    return null;
                }
                Errno err = socket.takeError();
                if (err != null) {
                    return null; // ECONNREFUSED: nothing listens there
                }
                UdpSocket.Received r = socket.receive();
                if (r == null) {
                    continue;
                }
                DnsMessage m;
                try {
                    m = DnsMessage.parse(r.payload());
                } catch (WireFormatException e) {
                    continue;
                }
                for (int i = 0; i < questions.size(); i++) {
                    if (answers[i] == null && m.isResponse() && m.id() == questions.get(i).id()
                            && m.questions().equals(questions.get(i).questions())) {
                        int rcode = m.rcode();
                        if (rcode == DnsMessage.RCODE_SERVFAIL || rcode == DnsMessage.RCODE_REFUSED) {
                            return null; // the next server may do better
                        }
                        answers[i] = m;
                    }
                }
                boolean all = true;
                for (DnsMessage a : answers) {
                    all &= a != null;
                }
                if (all) {
                    return List.of(answers);
                }
            }
        } catch (KernelException e) {
            return null; // connect or send failed: unreachable, no route
        } finally {
            socket.close();
        }
    }

    /** The outcome of a server's answers. */
    private static Result interpret(String name, boolean forward, List<DnsMessage> answers) {
        DnsMessage first = answers.get(0);
        if (first.rcode() == DnsMessage.RCODE_NXDOMAIN) {
            return new Result(Status.NOT_FOUND, name, List.of());
        }
        if (!forward) {
            for (ResourceRecord r : first.answers()) {
                if (r.type() == DnsMessage.TYPE_PTR) {
                    return new Result(Status.FOUND, r.targetName(), List.of());
                }
            }
            return new Result(Status.NOT_FOUND, name, List.of());
        }
        String canonical = name;
        List<Ipv4Address> addresses = new ArrayList<>();
        for (ResourceRecord r : first.answers()) {
            if (r.type() == DnsMessage.TYPE_CNAME && r.name().toLowerCase(Locale.ROOT)
                    .equals(canonical.toLowerCase(Locale.ROOT))) {
                canonical = r.targetName();
            } else if (r.type() == DnsMessage.TYPE_A && r.data().length == 4) {
                addresses.add(Ipv4Address.ofBytes(r.data(), 0));
            }
        }
        if (addresses.isEmpty()) {
            return new Result(Status.NO_DATA, canonical, List.of());
        }
        return new Result(Status.FOUND, canonical, List.copyOf(addresses));
    }

    /**
     * {@code poll()} on the socket: the clock runs to {@code deadline} or until {@code ready};
     * at a terminal at the wall clock's pace.
     */
    private boolean waitFor(long deadline, java.util.function.BooleanSupplier ready) {
        if (!context.wallPaced()) {
            return kernel.runUntil(deadline, ready);
        }
        while (!ready.getAsBoolean() && kernel.clock().nanos() < deadline) {
            long slice = Math.min(WALL_SLICE_NANOS, deadline - kernel.clock().nanos());
            long passed;
            try {
                passed = context.sleepWall(slice);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            kernel.runUntil(kernel.clock().nanos() + Math.min(slice, passed), ready);
        }
        return ready.getAsBoolean();
    }
}
