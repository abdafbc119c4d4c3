package dev.ipsim.commands.busybox;

import dev.ipsim.commands.Command;
import dev.ipsim.commands.Invocation;
import dev.ipsim.commands.ip.BusyBoxIp;
import java.util.List;

/**
 * {@code busybox APPLET ARGS}: BusyBox's multi-call binary, with the one applet ipsim simulates,
 * {@code ip} ({@link BusyBoxIp}). The applet runs under its own name, as through the links a
 * BusyBox system has ({@code /bin/ip -> busybox}): its messages start with {@code ip: }.
 */
public final class BusyBox implements Command {

    private final Command ip;

    /** @param printsOperstate whether the build's C library defines {@code IFF_DORMANT} */
    public BusyBox(boolean printsOperstate) {
        this.ip = new BusyBoxIp(printsOperstate);
    }

    /** The {@code ip} applet alone, for a system whose {@code ip} is a link to this binary. */
    public Command ip() {
        return ip;
    }

    @Override
    public int run(Invocation inv) {
        List<String> args = inv.args();
        if (args.isEmpty()) {
            inv.err().print("busybox: no applet given (ipsim simulates the ip applet only)\n");
            return 1;
        }
        String applet = args.get(0);
        if (!applet.equals("ip")) {
            // appletlib.c: an applet this build does not have
            inv.err().print(applet + ": applet not found\n");
            return 127;
        }
        return ip.run(inv.withArgv(args));
    }
}
