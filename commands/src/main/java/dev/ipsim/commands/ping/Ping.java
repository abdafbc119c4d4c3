package dev.ipsim.commands.ping;

import dev.ipsim.commands.Command;
import dev.ipsim.commands.Exit;
import dev.ipsim.commands.Invocation;
import dev.ipsim.commands.cli.GetOpt;
import java.io.PrintStream;
import java.util.List;

/**
 * {@code ping} from iputils 20221126 ({@code ping/ping.c}, {@code ping_common.c}): IPv4 echo
 * over a raw ICMP socket of the simulated kernel, with iputils' options, messages, output lines
 * and exit statuses. The run itself is {@link PingRun}.
 */
public final class Ping implements Command {

    static final String VERSION = "ping from iputils 20221126";
    static final String CONFIGURATION =
            "libcap: yes, IDN: yes, NLS: no, error.h: yes, getrandom(): yes, __fpending(): yes";

    /** {@code usage()}: to standard error, exit 2. */
    static final String USAGE = """

            Usage
              ping [options] <destination>

            Options:
              <destination>      dns name or ip address
              -a                 use audible ping
              -A                 use adaptive ping
              -B                 sticky source address
              -c <count>         stop after <count> replies
              -C                 call connect() syscall on socket creation
              -D                 print timestamps
              -d                 use SO_DEBUG socket option
              -e <identifier>    define identifier for ping session, default is random for
                                 SOCK_RAW and kernel defined for SOCK_DGRAM
                                 Imply using SOCK_RAW (for IPv4 only for identifier 0)
              -f                 flood ping
              -h                 print help and exit
              -I <interface>     either interface name or address
              -i <interval>      seconds between sending each packet
              -L                 suppress loopback of multicast packets
              -l <preload>       send <preload> number of packages while waiting replies
              -m <mark>          tag the packets going out
              -M <pmtud opt>     define mtu discovery, can be one of <do|dont|want>
              -n                 no dns name resolution
              -O                 report outstanding replies
              -p <pattern>       contents of padding byte
              -q                 quiet output
              -Q <tclass>        use quality of service <tclass> bits
              -s <size>          use <size> as number of data bytes to be sent
              -S <size>          use <size> as SO_SNDBUF socket option value
              -t <ttl>           define time to live
              -U                 print user-to-user latency
              -v                 verbose output
              -V                 print version and exit
              -w <deadline>      reply wait <deadline> in seconds
              -W <timeout>       time to wait for response

            IPv4 options:
              -4                 use IPv4
              -b                 allow pinging broadcast
              -R                 record route
              -T <timestamp>     define timestamp, can be one of <tsonly|tsandaddr|tsprespec>

            IPv6 options:
              -6                 use IPv6
              -F <flowlabel>     define flow label, default is random
              -N <nodeinfo opt>  use icmp6 node info query, try <help> as argument

            For more details see ping(8).
            """;

    /** The option string of {@code getopt} in iputils' {@code main}. */
    static final String OPTIONS = "h?" + "4bRT:" + "6F:N:" + "aABc:CdDe:fi:I:l:Lm:M:nOp:qQ:rs:S:t:UvVw:W:";

    @Override
    public int run(Invocation inv) {
        try {
            return new PingRun(inv).run();
        } catch (Exit e) {
            return e.status();
        } finally {
            inv.out().flush();
        }
    }

    /** glibc {@code error(status, errnum, fmt)}: flushes stdout, prints {@code prog: msg[: strerror]}. */
    static void error(Invocation inv, int status, String errnoText, String message) {
        inv.out().flush();
        PrintStream err = inv.err();
        err.print(inv.argv().get(0) + ": " + message + (errnoText != null ? ": " + errnoText : "") + "\n");
        err.flush();
        if (status != 0) {
            throw new Exit(status);
        }
    }

    static void usage(Invocation inv) {
        inv.out().flush();
        inv.err().print(USAGE);
        throw new Exit(2);
    }

    static List<GetOpt.Option> parse(Invocation inv, GetOpt getopt) {
        return getopt.parse(inv.args());
    }
}
