package dev.ipsim.shell.builtins;

import dev.ipsim.commands.Invocation;
import dev.ipsim.kernel.proc.Scheduler;
import dev.ipsim.kernel.proc.Signal;
import dev.ipsim.kernel.proc.Task;
import dev.ipsim.kernel.time.VirtualClock;
import dev.ipsim.shell.ShellSession;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * coreutils' {@code timeout [-s SIGNAL] [-k DURATION] [--preserve-status] DURATION COMMAND
 * [ARG]...}: runs the command as a child process and sends it the signal when the duration
 * runs out (then, with {@code -k}, SIGKILL that much later). The status is the command's, or
 * 124 when it timed out (137 when it had to be killed), 125 when timeout itself failed, 126 or
 * 127 when the command could not be run.
 */
final class Timeout {

    private static final int EXIT_TIMEDOUT = 124;
    private static final int EXIT_CANCELED = 125;

    private Timeout() {
    }

    static int run(ShellSession session, Invocation inv) {
        List<String> args = inv.args();
        int signal = Signal.TERM.number();
        BigDecimal killAfter = null;
        boolean preserve = false;
        int i = 0;
        for (; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--")) {
                i++;
                break;
            }
            if (!a.startsWith("-") || a.length() == 1) {
                break;
            }
            String value = null;
            String opt;
            if (a.startsWith("--")) {
                int eq = a.indexOf('=');
                opt = eq < 0 ? a : a.substring(0, eq);
                value = eq < 0 ? null : a.substring(eq + 1);
                opt = switch (opt) {
                    case "--signal", "--signa", "--sign", "--sig", "--si", "--s" -> "-s";
                    case "--kill-after", "--kill-afte", "--kill-aft", "--kill-af", "--kill-a", "--kill-",
                            "--kill", "--kil", "--ki", "--k" -> "-k";
                    case "--preserve-status", "--preserve-statu", "--preserve-stat", "--preserve-sta",
                            "--preserve-st", "--preserve-s", "--preserve-", "--preserve", "--preserv",
                            "--preser", "--prese", "--pres", "--pre", "--pr", "--p" -> "--preserve-status";
                    case "--foreground", "--foregroun", "--foregrou", "--foregro", "--foregr", "--foreg",
                            "--fore", "--for", "--fo", "--f" -> "--foreground";
                    case "--verbose", "--verbos", "--verbo", "--verb", "--ver", "--ve", "--v" -> "--verbose";
                    default -> {
                        inv.err().print("timeout: unrecognized option '" + a + "'\n"
                                + "Try 'timeout --help' for more information.\n");
                        yield null;
                    }
                };
                if (opt == null) {
                    return EXIT_CANCELED;
                }
            } else {
                opt = a.substring(0, 2);
                if (a.length() > 2) {
                    value = a.substring(2);
                }
                if ("sk".indexOf(a.charAt(1)) < 0) {
                    inv.err().print("timeout: invalid option -- '" + a.charAt(1) + "'\n"
                            + "Try 'timeout --help' for more information.\n");
                    return EXIT_CANCELED;
                }
            }
            if (opt.equals("-s") || opt.equals("-k")) {
                if (value == null) {
                    if (i + 1 >= args.size()) {
                        inv.err().print("timeout: option requires an argument -- '" + opt.charAt(1) + "'\n"
                                + "Try 'timeout --help' for more information.\n");
                        return EXIT_CANCELED;
                    }
                    value = args.get(++i);
                }
                if (opt.equals("-s")) {
                    signal = value.matches("[0-9]+") ? Integer.parseInt(value) : Signal.numberOf(value);
                    if (signal <= 0 || signal > Signal.RTMAX) {
                        inv.err().print("timeout: " + Quote.locale(value) + ": invalid signal\n"
                                + "Try 'timeout --help' for more information.\n");
                        return EXIT_CANCELED;
                    }
                } else {
                    killAfter = Sleep.interval(value);
                    if (killAfter == null) {
                        inv.err().print("timeout: invalid time interval " + Quote.locale(value) + "\n"
                                + "Try 'timeout --help' for more information.\n");
                        return EXIT_CANCELED;
                    }
                }
            } else if (opt.equals("--preserve-status")) {
                preserve = true;
            }
        }
        if (args.size() - i < 2) {
            // usage (EXIT_CANCELED), without a word about what is missing
            inv.err().print("Try 'timeout --help' for more information.\n");
            return EXIT_CANCELED;
        }
        BigDecimal duration = Sleep.interval(args.get(i));
        if (duration == null) {
            inv.err().print("timeout: invalid time interval " + Quote.locale(args.get(i)) + "\n"
                    + "Try 'timeout --help' for more information.\n");
            return EXIT_CANCELED;
        }
        List<String> command = new ArrayList<>(args.subList(i + 1, args.size()));
        if (Builtins.onPath(session, command.get(0)) == null) {
            inv.err().print("timeout: failed to run command " + Quote.locale(command.get(0)) + ": "
                    + "No such file or directory\n");
            return 127;
        }
        Scheduler scheduler = session.kernel().scheduler();
        if (session.task() == null) {
            // no processes (a test driving the interpreter by hand): the command just runs
            return session.run(command, session.netns(), inv);
        }
        ShellSession child = session.fork(inv.in());
        Task task = scheduler.spawn(scheduler.nextPid(), command.get(0),
                t -> {
                    child.setTask(t);
                    return child.run(command, child.netns(), inv.withContext(child));
                });
        VirtualClock clock = session.kernel().clock();
        boolean[] timedOut = {false};
        int sig = signal;
        VirtualClock.Timer alarm = duration.signum() == 0 ? null : clock.after(nanos(duration), () -> {
            timedOut[0] = true;
            scheduler.signal(task, sig);
        });
        VirtualClock.Timer[] kill = {null};
        if (killAfter != null && killAfter.signum() > 0 && alarm != null) {
            long k = nanos(killAfter);
            kill[0] = clock.schedule(alarm.at() + k, () -> scheduler.signal(task, Signal.KILL.number()));
        }
        scheduler.await(Long.MAX_VALUE, () -> task.state() == Task.State.EXITED);
        if (alarm != null) {
            alarm.cancel();
        }
        if (kill[0] != null) {
            kill[0].cancel();
        }
        int status = task.status();
        int died = task.termSignal();
        Task me = session.task();
        if (died != 0 && me != null && (timedOut[0] ? died == Signal.KILL.number() : true)) {
            // SIGKILL went to timeout's whole process group, timeout with it; a command that died
            // of a signal on its own is followed by timeout raising the same one at itself
            if (died != Signal.KILL.number()) {
                me.defaultSignal(died);
            }
            scheduler.signal(me, died);
            scheduler.deliverPending();
        }
        if (timedOut[0] && !preserve) {
            return task.termSignal() == Signal.KILL.number() ? 128 + Signal.KILL.number() : EXIT_TIMEDOUT;
        }
        return status;
    }

    private static long nanos(BigDecimal seconds) {
        BigDecimal n = seconds.multiply(BigDecimal.valueOf(VirtualClock.NANOS_PER_SECOND));
        return n.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) >= 0 ? Long.MAX_VALUE / 2 : n.longValue();
    }
}
