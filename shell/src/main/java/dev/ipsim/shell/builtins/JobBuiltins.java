package dev.ipsim.shell.builtins;

import dev.ipsim.commands.Command;
import dev.ipsim.commands.Invocation;
import dev.ipsim.kernel.proc.Scheduler;
import dev.ipsim.kernel.proc.Signal;
import dev.ipsim.kernel.proc.Task;
import dev.ipsim.shell.CommandTable;
import dev.ipsim.shell.ShellSession;
import dev.ipsim.shell.jobs.Jobs;
import java.util.List;

/**
 * bash's job-control built-ins: {@code jobs}, {@code kill}, {@code wait}, {@code fg} and
 * {@code bg} ({@code builtins/jobs.def}, {@code kill.def}, {@code wait.def}, {@code fg_bg.def}),
 * with their messages and statuses.
 */
final class JobBuiltins {

    private static final int EX_USAGE = 2;

    private JobBuiltins() {
    }

    static void register(CommandTable table, ShellSession session) {
        table.builtin("jobs", new JobBuiltin(session, "jobs"), "list the background jobs (-l, -p, -r, -s)");
        table.builtin("kill", new JobBuiltin(session, "kill"), "send a signal to a job or process (-l lists them)");
        table.builtin("wait", new JobBuiltin(session, "wait"), "wait for background jobs and say how they ended");
        table.builtin("fg", new JobBuiltin(session, "fg"), "bring a job to the foreground");
        table.builtin("bg", new JobBuiltin(session, "bg"), "let a stopped job go on in the background");
    }

    /**
     * A job-control built-in by name: one class and a switch rather than a lambda per
     * built-in, as in {@link Builtins}.
     */
    private static final class JobBuiltin implements Command {
        private final ShellSession session;
        private final String name;

        JobBuiltin(ShellSession session, String name) {
            this.session = session;
            this.name = name;
        }

        @Override
        public int run(Invocation inv) {
            switch (name) {
                case "jobs":
                    return jobs(session, inv);
                case "kill":
                    return kill(session, inv);
                case "wait":
                    return waitBuiltin(session, inv);
                case "fg":
                    return fgBg(session, inv, true);
                case "bg":
                    return fgBg(session, inv, false);
                default:
                    throw new IllegalStateException(name);
            }
        }
    }

    /** {@code builtin_error}: the shell's prefix, the built-in's name, the message. */
    private static void error(ShellSession session, Invocation inv, String message) {
        session.diagnostic(inv.err(), inv.argv().get(0) + ": " + message);
    }

    /** {@code builtin_usage}: {@code kill: usage: ...}, without the shell's prefix. */
    private static int usage(Invocation inv, String usage) {
        inv.err().print(inv.argv().get(0) + ": usage: " + usage + "\n");
        inv.err().flush();
        return EX_USAGE;
    }

    /** {@code sh_invalidopt}: {@code jobs: -q: invalid option}, then the usage. */
    private static int invalidOption(ShellSession session, Invocation inv, String option, String usage) {
        error(session, inv, option + ": invalid option");
        return usage(inv, usage);
    }

    // ------------------------------------------------------------------ jobs

    private static final String JOBS_USAGE = "jobs [-lnprs] [jobspec ...] or jobs -x command [args]";

    private static int jobs(ShellSession session, Invocation inv) {
        Jobs.Format form = Jobs.Format.STANDARD;
        Jobs.State state = null;
        List<String> args = inv.args();
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
            for (char c : a.substring(1).toCharArray()) {
                switch (c) {
                    case 'l' -> form = Jobs.Format.LONG;
                    case 'p' -> form = Jobs.Format.PID_ONLY;
                    case 'n' -> form = Jobs.Format.CHANGED_ONLY;
                    case 'r' -> state = Jobs.State.RUNNING;
                    case 's' -> state = Jobs.State.STOPPED;
                    default -> {
                        return invalidOption(session, inv, "-" + c, JOBS_USAGE);
                    }
                }
            }
        }
        Jobs jobs = session.jobs();
        if (i == args.size()) {
            inv.out().print(jobs.list(form, state));
            return 0;
        }
        int failed = 0;
        for (; i < args.size(); i++) {
            int job = jobs.jobSpec(args.get(i), inv.err(), session.errorPrefix() + "jobs: ");
            if (job == Jobs.NO_JOB || jobs.job(job) == null) {
                error(session, inv, args.get(i) + ": no such job");
                failed++;
            } else if (job != Jobs.DUP_JOB) {
                inv.out().print(jobs.listOne(job, form));
            }
        }
        return failed > 0 ? 1 : 0;
    }

    // ------------------------------------------------------------------ kill

    private static final String KILL_USAGE =
            "kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]";

    /** {@code decode_signal}: a number or a name (with or without SIG, any case); -1 if none. */
    static int decodeSignal(String spec) {
        if (!spec.isEmpty() && spec.chars().allMatch(Character::isDigit)) {
            try {
                int n = Integer.parseInt(spec);
                return n >= 0 && n <= Signal.RTMAX ? n : -1;
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        return Signal.numberOf(spec);
    }

    private static int kill(ShellSession session, Invocation inv) {
        List<String> list = inv.args();
        if (list.isEmpty()) {
            return usage(inv, KILL_USAGE);
        }
        if (list.get(0).equals("--help")) {
            return usage(inv, KILL_USAGE);
        }
        boolean listing = false;
        boolean sawSignal = false;
        int sig = Signal.TERM.number();
        String sigspec = "TERM";
        int i = 0;
        while (i < list.size()) {
            String word = list.get(i);
            if (word.equals("-l") || word.equals("-L")) {
                listing = true;
                i++;
            } else if (word.equals("-s") || word.equals("-n")) {
                i++;
                if (i < list.size()) {
                    sigspec = list.get(i);
                    sig = sigspec.equals("0") ? 0 : decodeSignal(sigspec);
                    i++;
                    sawSignal = true;
                } else {
                    error(session, inv, word + ": option requires an argument");
                    return 1;
                }
            } else if (word.startsWith("-s") && word.length() > 2 && Character.isLetter(word.charAt(2))
                    || word.startsWith("-n") && word.length() > 2 && Character.isDigit(word.charAt(2))) {
                sigspec = word.substring(2);
                sig = sigspec.equals("0") ? 0 : decodeSignal(sigspec);
                i++;
                sawSignal = true;
            } else if (word.equals("--")) {
                i++;
                break;
            } else if (word.equals("-?")) {
                return usage(inv, KILL_USAGE);
            } else if (word.startsWith("-") && !sawSignal) {
                sigspec = word.substring(1);
                sig = decodeSignal(sigspec);
                sawSignal = true;
                i++;
            } else {
                break;
            }
        }
        if (listing) {
            return listSignals(session, inv, list.subList(i, list.size()));
        }
        if (sig < 0) {
            error(session, inv, sigspec + ": invalid signal specification");
            return 1;
        }
        if (i == list.size()) {
            return usage(inv, KILL_USAGE);
        }
        Scheduler scheduler = session.kernel().scheduler();
        boolean anySucceeded = false;
        for (; i < list.size(); i++) {
            String arg = list.get(i);
            String word = arg.startsWith("-") ? arg.substring(1) : arg;
            Long pid = word.isEmpty() ? null : legalNumber(arg);
            if (pid != null && pid == (int) (long) pid) {
                Task t = scheduler.task((int) Math.abs(pid));
                if (t == null || pid == 0 || pid == -1) {
                    if (pid == 0 || pid == -1) {
                        // the shell's own process group, or every process it may signal
                        anySucceeded |= killAll(session, sig);
                        continue;
                    }
                    error(session, inv, "(" + pid + ") - No such process");
                    continue;
                }
                scheduler.signal(t, sig);
                anySucceeded = true;
            } else if (!arg.isEmpty() && arg.charAt(0) != '%') {
                error(session, inv, arg + ": arguments must be process or job IDs");
            } else if (!word.isEmpty()) {
                Jobs jobs = session.jobs();
                int job = jobs.jobSpec(arg, inv.err(), session.errorPrefix() + "kill: ");
                if (job < 0 || jobs.job(job) == null) {
                    if (job != Jobs.DUP_JOB) {
                        error(session, inv, arg + ": no such job");
                    }
                    continue;
                }
                Jobs.Job j = jobs.job(job);
                if (j.state() == Jobs.State.DEAD && !jobs.interactive()) {
                    // kill_pid: without job control the job's processes are signalled one by one,
                    // skipping dead ones, so a finished job not yet reaped from the table is no error
                    anySucceeded = true;
                    continue;
                }
                boolean stopped = j.state() == Jobs.State.STOPPED;
                if (!scheduler.signal(j.task(), sig)) {
                    error(session, inv, "(" + j.pid() + ") - No such process");
                    continue;
                }
                if (stopped && sig != Signal.KILL.number() && sig != Signal.CONT.number() && sig != 0) {
                    // kill_pid: a stopped job is continued too, so that it sees the signal
                    scheduler.signal(j.task(), Signal.CONT.number());
                }
                anySucceeded = true;
            } else {
                error(session, inv, arg + ": arguments must be process or job IDs");
            }
        }
        // a signal to the shell itself acts before kill returns
        scheduler.deliverPending();
        return anySucceeded ? 0 : 1;
    }

    /** {@code kill 0}: every process of the shell's group (its jobs without job control, and itself). */
    private static boolean killAll(ShellSession session, int sig) {
        Scheduler scheduler = session.kernel().scheduler();
        for (Task t : scheduler.tasks()) {
            scheduler.signal(t, sig);
        }
        return true;
    }

    /** {@code display_signal_list}: five to a line, or the name or number of each operand. */
    private static int listSignals(ShellSession session, Invocation inv, List<String> operands) {
        StringBuilder sb = new StringBuilder();
        int result = 0;
        if (operands.isEmpty()) {
            int column = 0;
            for (int n = 1; n <= Signal.RTMAX; n++) {
                String name = Signal.nameOf(n);
                if (name == null) {
                    continue;
                }
                sb.append(String.format("%2d) SIG%s", n, name));
                if (++column < 5) {
                    sb.append('\t');
                } else {
                    sb.append('\n');
                    column = 0;
                }
            }
            if (column != 0) {
                sb.append('\n');
            }
            inv.out().print(sb);
            return 0;
        }
        for (String w : operands) {
            Long n = legalNumber(w);
            if (n != null) {
                long s = n > 128 ? n - 128 : n;
                if (s < 0 || s > Signal.RTMAX) {
                    inv.out().print(sb);
                    sb.setLength(0);
                    error(session, inv, w + ": invalid signal specification");
                    result = 1;
                    continue;
                }
                String name = s == 0 ? "T" : Signal.nameOf((int) s);
                if (name != null) {
                    sb.append(name).append('\n');
                }
            } else {
                int s = Signal.numberOf(w);
                if (s < 0) {
                    inv.out().print(sb);
                    sb.setLength(0);
                    error(session, inv, w + ": invalid signal specification");
                    result = 1;
                    continue;
                }
                sb.append(s).append('\n');
            }
        }
        inv.out().print(sb);
        return result;
    }

    /** bash's {@code legal_number}: an optionally signed decimal, blanks around allowed. */
    static Long legalNumber(String s) {
        String t = s.strip();
        if (!t.matches("[+-]?[0-9]+")) {
            return null;
        }
        try {
            return Long.parseLong(t.startsWith("+") ? t.substring(1) : t);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    // ------------------------------------------------------------------ wait

    private static final String WAIT_USAGE = "wait [-fn] [-p var] [id ...]";

    private static int waitBuiltin(ShellSession session, Invocation inv) {
        List<String> args = inv.args();
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
            for (char c : a.substring(1).toCharArray()) {
                if (c != 'f' && c != 'n') {
                    return invalidOption(session, inv, "-" + c, WAIT_USAGE);
                }
            }
        }
        Jobs jobs = session.jobs();
        String prefix = session.errorPrefix();
        if (i == args.size()) {
            if (jobs.waitForBackgroundPids(session.kernel(), inv.err(), prefix) < 0) {
                return interrupted(session);
            }
            return 0;
        }
        int status = 0;
        for (; i < args.size(); i++) {
            String w = args.get(i);
            if (!w.isEmpty() && Character.isDigit(w.charAt(0))) {
                Long pid = legalNumber(w);
                if (pid == null || pid != (int) (long) pid) {
                    error(session, inv, "`" + w + "': not a pid or valid job spec");
                    return 1;
                }
                int r = jobs.waitForSinglePid(session.kernel(), (int) (long) pid, inv.err(), prefix);
                if (r == -1) {
                    return interrupted(session);
                }
                status = r > 256 ? 127 : r;
            } else if (w.startsWith("%")) {
                int job = jobs.jobSpec(w, inv.err(), prefix + "wait: ");
                if (job < 0 || jobs.job(job) == null) {
                    if (job != Jobs.DUP_JOB) {
                        error(session, inv, w + ": no such job");
                    }
                    status = 127;
                    continue;
                }
                int r = jobs.waitForJob(session.kernel(), job);
                if (r == -1) {
                    return interrupted(session);
                }
                status = r;
            } else {
                error(session, inv, "`" + w + "': not a pid or valid job spec");
                status = 1;
            }
        }
        return status;
    }

    /** A signal the shell catches ended the wait: 128 + its number. */
    private static int interrupted(ShellSession session) {
        Task t = session.task();
        int s = t == null ? 0 : t.takeSignal();
        return 128 + (s == 0 ? Signal.INT.number() : s);
    }

    // ------------------------------------------------------------------ fg and bg

    private static int fgBg(ShellSession session, Invocation inv, boolean foreground) {
        String name = inv.argv().get(0);
        List<String> args = inv.args();
        if (!args.isEmpty() && args.get(0).startsWith("-") && !args.get(0).equals("-") && !args.get(0).equals("--")) {
            return invalidOption(session, inv, args.get(0).substring(0, Math.min(2, args.get(0).length())),
                    foreground ? "fg [job_spec]" : "bg [job_spec ...]");
        }
        if (!session.interactive()) {
            error(session, inv, "no job control");
            return 1;
        }
        Jobs jobs = session.jobs();
        List<String> specs = args.isEmpty() || args.get(0).equals("--") && args.size() == 1 ? List.of("%+")
                : args.get(0).equals("--") ? args.subList(1, args.size()) : args;
        if (foreground) {
            specs = specs.subList(0, 1);
        }
        int result = 0;
        for (String spec : specs) {
            int job = jobs.jobSpec(spec, inv.err(), session.errorPrefix() + name + ": ");
            if (job < 0 || jobs.job(job) == null) {
                if (job != Jobs.DUP_JOB) {
                    error(session, inv, (args.isEmpty() ? "current" : spec) + ": no such job");
                }
                result = 1;
                continue;
            }
            String line = jobs.startJob(job, foreground, name, inv.err(), session.errorPrefix());
            if (line == null) {
                result = 1;
                continue;
            }
            inv.out().print(line);
            inv.out().flush();
            Jobs.Job j = jobs.job(job);
            session.kernel().scheduler().signal(j.task(), Signal.CONT.number());
            if (foreground) {
                return session.foreground(job);
            }
        }
        return result;
    }
}
