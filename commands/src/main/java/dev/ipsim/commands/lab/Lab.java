package dev.ipsim.commands.lab;

import dev.ipsim.commands.Command;
import dev.ipsim.commands.Invocation;
import dev.ipsim.kernel.KernelException;
import java.util.List;

/**
 * {@code lab}: ipsim's own tool, which a real machine does not have. {@code lab show} draws
 * the lab ({@link LabPicture}); {@code lab check FILE} verifies it against a file of
 * expectations ({@link LabCheck}).
 */
public final class Lab implements Command {

    static final String USAGE = """
            Usage: lab show [ --ascii | --dot | --svg FILE ]
                   lab check FILE
                   lab help
            show   draws the lab: each network namespace as a box, its devices inside with their
                   state and addresses, bridge ports under their bridge, veth pairs as lines
                   --ascii  without box-drawing characters
                   --dot    as a Graphviz graph (dot -Tpng)
                   --svg FILE  as an SVG drawing, written to FILE
            check  verifies the lab against the expectations in FILE, one line each:
                   NS -> ADDRESS           NS gets an answer to a ping of ADDRESS
                   NS !-> ADDRESS          NS gets none
                   NS: DEV has ADDRESS/LEN DEV has the address
                   NS: DEV up|down         DEV is administratively up or down
                   NS: route DEST [K V]... NS has a route to DEST (with these attributes)
                   NS: no route DEST       NS has no route to DEST
                   NS: sysctl KEY = VALUE  a kernel parameter of NS has the value
                   NS is a name of ip netns list, or host for the machine itself;
                   # starts a comment. The status is 0 when every expectation holds.
            """;

    @Override
    public int run(Invocation inv) {
        List<String> args = inv.args();
        try {
            if (args.isEmpty() || args.get(0).equals("help") || args.get(0).equals("--help")) {
                (args.isEmpty() ? inv.err() : inv.out()).print(USAGE);
                return args.isEmpty() ? 2 : 0;
            }
            return switch (args.get(0)) {
                case "show" -> show(inv, args.subList(1, args.size()));
                case "check" -> {
                    if (args.size() != 2) {
                        inv.err().print("lab: check takes one FILE\n" + USAGE);
                        yield 2;
                    }
                    yield new LabCheck(inv).run(args.get(1));
                }
                default -> {
                    inv.err().print("lab: unknown command \"" + args.get(0) + "\"\n" + USAGE);
                    yield 2;
                }
            };
        } finally {
            inv.out().flush();
        }
    }

    private static int show(Invocation inv, List<String> args) {
        LabPicture picture = LabPicture.of(inv.context());
        if (args.isEmpty()) {
            inv.out().print(picture.text(true));
            return 0;
        }
        switch (args.get(0)) {
            case "--ascii":
                inv.out().print(picture.text(false));
                return 0;
            case "--dot":
                inv.out().print(picture.dot());
                return 0;
            case "--svg":
                if (args.size() < 2) {
                    inv.err().print("lab: --svg needs a FILE\n");
                    return 2;
                }
                try {
                    inv.context().writeFile(args.get(1), picture.svg());
                } catch (KernelException e) {
                    inv.err().print("lab: cannot write " + args.get(1) + ": " + e.errno().text() + "\n");
                    return 1;
                }
                return 0;
            default:
                inv.err().print("lab: unknown option \"" + args.get(0) + "\"\n" + USAGE);
                return 2;
        }
    }
}
