package dev.ipsim.shell;

import dev.ipsim.commands.NetnsNames;
import dev.ipsim.kernel.Kernel;
import dev.ipsim.kernel.NetNamespace;
import dev.ipsim.kernel.addr.Ipv4Address;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One simulated machine: the kernel, the names in {@code /run/netns}, the files of its
 * {@code /etc}, the DNS answers it would get, and where the user's own files live. Shared by
 * every terminal and script attached to the lab.
 */
public final class Sandbox implements NetnsNames {

    private final Kernel kernel;
    private final Path workingDirectory;
    private String hostname;
    private final SystemProfile profile;
    /** The files of {@code /etc}, by name. */
    private final Map<String, String> etc = new TreeMap<>();
    /** What the machine's DNS servers answer, by name; {@code null} when it has none to ask. */
    private Map<String, List<Ipv4Address>> dns;
    /** {@code /run/netns} is a tmpfs: {@code readdir} lists the newest entry first. */
    private final List<String> names = new ArrayList<>();
    private final List<NetNamespace> bound = new ArrayList<>();

    public Sandbox(Kernel kernel, Path workingDirectory, String hostname) {
        this(kernel, workingDirectory, hostname, SystemProfile.DEFAULT);
    }

    public Sandbox(Kernel kernel, Path workingDirectory, String hostname, SystemProfile profile) {
        this.kernel = kernel;
        this.workingDirectory = workingDirectory;
        this.hostname = hostname;
        this.profile = profile;
        etc.put("hostname", hostname + "\n");
        etc.put("hosts", "127.0.0.1\tlocalhost\n127.0.1.1\t" + hostname + "\n\n"
                + "# The following lines are desirable for IPv6 capable hosts\n"
                + "::1     localhost ip6-localhost ip6-loopback\n"
                + "ff02::1 ip6-allnodes\n"
                + "ff02::2 ip6-allrouters\n");
        etc.put("networks", "default\t\t0.0.0.0\nloopback\t127.0.0.0\nlink-local\t169.254.0.0\n");
        etc.putAll(profile.etc());
    }

    /** The kind of machine this is. */
    public SystemProfile profile() {
        return profile;
    }

    /** The files of {@code /etc}, by name (writable: the machine's own). */
    public Map<String, String> etc() {
        return etc;
    }

    /** Renames the machine ({@code hostname NAME}, or a transcript's setup). */
    public void setHostname(String name) {
        this.hostname = name;
        etc.put("hostname", name + "\n");
    }

    /**
     * Gives the machine DNS servers that answer {@code name} with {@code addresses}, rotating
     * their order on every query as round-robin servers do.
     */
    public void addDnsRecords(String name, List<Ipv4Address> addresses) {
        if (dns == null) {
            dns = new LinkedHashMap<>();
        }
        dns.put(name.toLowerCase(java.util.Locale.ROOT), new ArrayList<>(addresses));
    }

    /**
     * A query to the machine's DNS servers: the addresses of {@code name} in this answer's
     * order (the next query gets them rotated by one), an empty list for a name they do not
     * know, {@code null} when the machine has no DNS server to ask.
     */
    public List<Ipv4Address> dnsQuery(String name) {
        if (dns == null) {
            return null;
        }
        List<Ipv4Address> records = dns.get(name.toLowerCase(java.util.Locale.ROOT));
        if (records == null) {
            return List.of();
        }
        List<Ipv4Address> answer = List.copyOf(records);
        if (records.size() > 1) {
            records.add(records.remove(0));
        }
        return answer;
    }

    public Kernel kernel() {
        return kernel;
    }

    public Path workingDirectory() {
        return workingDirectory;
    }

    public String hostname() {
        return hostname;
    }

    @Override
    public NetNamespace lookup(String name) {
        int i = names.indexOf(name);
        return i < 0 ? null : bound.get(i);
    }

    @Override
    public List<String> names() {
        return List.copyOf(names);
    }

    @Override
    public String nameOf(NetNamespace ns) {
        int i = bound.indexOf(ns);
        return i < 0 ? null : names.get(i);
    }

    @Override
    public boolean bind(String name, NetNamespace ns) {
        if (names.contains(name)) {
            return false;
        }
        names.add(0, name);
        bound.add(0, ns);
        // the bind mount keeps the namespace alive
        ns.hold();
        return true;
    }

    @Override
    public NetNamespace unbind(String name) {
        int i = names.indexOf(name);
        if (i < 0) {
            return null;
        }
        names.remove(i);
        NetNamespace ns = bound.remove(i);
        // umount: the namespace dies when this was its last reference
        ns.release();
        return ns;
    }
}
