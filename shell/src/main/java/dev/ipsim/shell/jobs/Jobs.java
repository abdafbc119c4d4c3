package dev.ipsim.shell.jobs;

import dev.ipsim.kernel.Kernel;
import dev.ipsim.kernel.proc.Signal;
import dev.ipsim.kernel.proc.Task;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * bash's job table ({@code jobs.c}): the jobs a shell started, their numbers, which is
 * current ({@code +}) and previous ({@code -}), when a finished job is reported and when it is
 * forgotten. The functions keep bash's names in comments and its order of decisions, because
 * that order is what the user sees ({@code [2]   Done   true} appearing or not).
 *
 * <p>A job here is one task: a pipeline runs its commands one after the other in the task
 * that runs the job, so a job has one process id, its first.
 */
public final class Jobs {

    /** {@code NO_JOB}: no such job. */
    public static final int NO_JOB = -1;
    /** {@code DUP_JOB}: an ambiguous name (already reported). */
    public static final int DUP_JOB = -2;
    /** {@code LONGEST_SIGNAL_DESC}: the status column's width. */
    private static final int STATUS_WIDTH = 24;
    /** {@code CHILD_MAX}: statuses of finished background jobs bash keeps for {@code wait}. */
    private static final int CHILD_MAX = 32;

    /** {@code JOB_STATE}. */
    public enum State { RUNNING, STOPPED, DEAD }

    /** How {@code jobs} prints a job ({@code JLIST_*}). */
    public enum Format { STANDARD, LONG, PID_ONLY, CHANGED_ONLY, NONINTERACTIVE }

    /** One job: its task, the command as bash prints it, and bash's flags. */
    public static final class Job {
        final Task task;
        final int pid;
        final String command;
        final String wd;
        boolean async;
        boolean foreground;
        boolean notified;
        State state = State.RUNNING;

        Job(Task task, String command, String wd) {
            this.task = task;
            this.pid = task.pid();
            this.command = command;
            this.wd = wd;
        }

        public int pid() {
            return pid;
        }

        public Task task() {
            return task;
        }

        public State state() {
            return state;
        }

        public String command() {
            return command;
        }

        /** {@code process_exit_status}: the status, or 128 + the signal that ended it. */
        public int exitStatus() {
            return task.status();
        }
    }

    private final boolean interactive;
    /** {@code startup_state == 0}: running a script from a file or standard input (not {@code -c}). */
    private final boolean script;
    private final Supplier<String> cwd;
    private final List<Job> jobs = new ArrayList<>();
    private int current = NO_JOB;
    private int previous = NO_JOB;
    private int lastj;
    /** {@code last_asynchronous_pid} ({@code $!}); -1 before the first. */
    private int lastAsyncPid = -1;
    /** {@code bgpids}: statuses of background jobs already forgotten, for {@code wait PID}. */
    private final Map<Integer, Integer> bgpids = new LinkedHashMap<>();

    /**
     * @param interactive whether the shell is interactive (job numbers, notifications)
     * @param script      whether it runs a script read from a file or standard input, which
     *                    keeps finished background jobs until {@code wait} or {@code jobs}
     *                    ({@code -c} forgets them at the next line)
     * @param cwd         the shell's working directory now, as {@code pwd} prints it
     */
    public Jobs(boolean interactive, boolean script, Supplier<String> cwd) {
        this.interactive = interactive;
        this.script = script;
        this.cwd = cwd;
    }

    /** {@code $!}, or -1 before any background job. */
    public int lastAsyncPid() {
        return lastAsyncPid;
    }

    public boolean interactive() {
        return interactive;
    }

    /** The job with this number (1 and up), or {@code null}. */
    public Job job(int index) {
        return index >= 0 && index < jobs.size() ? jobs.get(index) : null;
    }

    /** The index of the job a task runs, or {@link #NO_JOB}. */
    public int indexOf(Task task) {
        for (int i = 0; i < jobs.size(); i++) {
            Job j = jobs.get(i);
            if (j != null && j.task == task) {
                return i;
            }
        }
        return NO_JOB;
    }

    /** {@code find_job}: the job with a process id, or {@link #NO_JOB}. */
    public int findJob(int pid) {
        for (int i = 0; i < jobs.size(); i++) {
            Job j = jobs.get(i);
            if (j != null && j.pid == pid) {
                return i;
            }
        }
        return NO_JOB;
    }

    /** Whether any job is still running or stopped. */
    public boolean anyLive() {
        for (Job j : jobs) {
            if (j != null && j.state != State.DEAD) {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ making jobs

    /**
     * {@code stop_pipeline}: adds a started job; {@code async} for {@code &}. Returns its index.
     * The task's changes of state reach the table through {@link #changed}.
     */
    public int add(Task task, String command, boolean async) {
        cleanupDeadJobs();
        int i;
        if (interactive) {
            // scan from the last slot backward, looking for the next free one
            for (i = jobs.size(); i > 0; i--) {
                if (jobs.get(i - 1) != null) {
                    break;
                }
            }
        } else {
            for (i = lastj != 0 ? lastj + 1 : lastj; i < jobs.size(); i++) {
                if (jobs.get(i) == null) {
                    break;
                }
            }
        }
        while (jobs.size() <= i) {
            jobs.add(null);
        }
        Job job = new Job(task, command, cwd.get());
        jobs.set(i, job);
        lastj = i;
        if (async) {
            job.async = true;
            job.foreground = false;
            lastAsyncPid = task.pid();
            resetCurrent();
        } else {
            job.foreground = true;
        }
        task.addListener(new Task.Listener() {
            @Override
            public void changed(Task t) {
                Jobs.this.changed(t);
            }
        });
        return i;
    }

    /**
     * {@code waitchld} and {@code set_job_status_and_cleanup}: a job's task stopped, went on
     * or ended. Runs on the thread holding the CPU.
     */
    void changed(Task task) {
        int i = indexOf(task);
        if (i == NO_JOB) {
            return;
        }
        Job job = jobs.get(i);
        job.notified = false;
        switch (task.state()) {
            case STOPPED -> {
                job.state = State.STOPPED;
                job.foreground = false;
                setCurrentJob(i);
            }
            case RUNNING -> {
                if (job.state == State.STOPPED) {
                    // continued by a signal (kill %N sends SIGCONT after its own): waitchld's
                    // call_set_current with no job stopped is reset_current
                    job.state = State.RUNNING;
                    resetCurrent();
                }
            }
            case EXITED -> job.state = State.DEAD;
        }
    }

    /** {@code delete_job}: forgets a job (a background one's status goes to {@code bgpids}). */
    private void deleteJob(int index) {
        Job temp = jobs.get(index);
        if (temp == null) {
            return;
        }
        if (temp.async && !temp.foreground && temp.state == State.DEAD) {
            bgpids.remove(temp.pid);
            bgpids.put(temp.pid, temp.exitStatus());
            while (bgpids.size() > CHILD_MAX) {
                bgpids.remove(bgpids.keySet().iterator().next());
            }
        }
        jobs.set(index, null);
        int n = 0;
        for (Job j : jobs) {
            if (j != null) {
                n++;
            }
        }
        if (n == 0) {
            lastj = 0;
        } else if (jobs.get(lastj) == null) {
            // reset_job_indices: the newest slot still used
            for (int k = lastj; k >= 0; k--) {
                if (jobs.get(k) != null) {
                    lastj = k;
                    break;
                }
            }
        }
        if (index == current || index == previous) {
            resetCurrent();
        }
    }

    /** {@code cleanup_dead_jobs}: forgets the dead jobs the user has been told about. */
    public void cleanupDeadJobs() {
        for (int i = 0; i < jobs.size(); i++) {
            Job j = jobs.get(i);
            if (j != null && j.state == State.DEAD && j.notified) {
                deleteJob(i);
            }
        }
    }

    /**
     * {@code mark_dead_jobs_as_notified}: when forced (after {@code wait} without operands)
     * every dead job but the one {@code $!} names (outside an interactive shell) counts as
     * reported; otherwise only as many as needed to keep CHILD_MAX statuses.
     */
    private void markDeadJobsAsNotified(boolean force) {
        if (force) {
            for (Job j : jobs) {
                if (j != null && j.state == State.DEAD && (interactive || j.pid != lastAsyncPid)) {
                    j.notified = true;
                }
            }
            return;
        }
        int ndead = 0;
        for (Job j : jobs) {
            if (j != null && j.state == State.DEAD) {
                ndead++;
            }
        }
        if (ndead <= CHILD_MAX) {
            return;
        }
        for (Job j : jobs) {
            if (j != null && j.state == State.DEAD && (interactive || j.pid != lastAsyncPid)) {
                if (--ndead <= CHILD_MAX) {
                    break;
                }
                j.notified = true;
            }
        }
    }

    /**
     * {@code notify_and_cleanup}: before a script's next line or an interactive prompt, report
     * what changed and forget what was reported.
     */
    public void notifyAndCleanup(PrintStream err, String errorPrefix) {
        notifyOfJobStatus(err, errorPrefix);
        cleanupDeadJobs();
    }

    /**
     * {@code notify_of_job_status}. A script reports only jobs killed by a signal other than
     * SIGINT, SIGTERM and SIGPIPE, as {@code script: line N: PID Killed  cmd}; an interactive
     * shell reports finished background jobs ({@code [1]+  Done  sleep 1}), stopped jobs, and a
     * foreground job killed by anything but SIGINT ({@code Terminated}).
     *
     * @param errorPrefix what a script's messages start with ({@code script.sh: line 4: })
     */
    public void notifyOfJobStatus(PrintStream err, String errorPrefix) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < jobs.size(); i++) {
            Job job = jobs.get(i);
            if (job == null || job.notified) {
                continue;
            }
            int termsig = job.state == State.DEAD ? job.task.termSignal() : 0;
            if (script && termsig == 0
                    && ((job.state == State.DEAD && !job.foreground) || job.state == State.STOPPED)) {
                continue;
            }
            switch (job.state) {
                case DEAD -> {
                    if (!interactive && termsig != 0 && termsig != Signal.INT.number()
                            && termsig != Signal.TERM.number() && termsig != Signal.PIPE.number()) {
                        out.append(errorPrefix);
                        out.append(pretty(i, Format.NONINTERACTIVE));
                    } else if (job.foreground) {
                        if (termsig != 0 && termsig != Signal.INT.number() && termsig != Signal.PIPE.number()) {
                            out.append(describe(termsig)).append('\n');
                        }
                    } else if (interactive) {
                        out.append(pretty(i, Format.STANDARD));
                    }
                    job.notified = true;
                }
                case STOPPED -> {
                    out.append('\n').append(pretty(i, Format.STANDARD));
                    job.notified = true;
                }
                case RUNNING -> {
                }
            }
        }
        if (out.length() > 0) {
            err.print(out);
            err.flush();
        }
    }

    // ------------------------------------------------------------------ current and previous

    /** {@code most_recent_job_in_state}: the newest job older than {@code job} in a state. */
    private int mostRecentJobInState(int job, State state) {
        for (int i = job - 1; i >= 0; i--) {
            Job j = i < jobs.size() ? jobs.get(i) : null;
            if (j != null && j.state == state) {
                return i;
            }
        }
        return NO_JOB;
    }

    private boolean stopped(int i) {
        return i != NO_JOB && i < jobs.size() && jobs.get(i) != null && jobs.get(i).state == State.STOPPED;
    }

    private boolean running(int i) {
        return i != NO_JOB && i < jobs.size() && jobs.get(i) != null && jobs.get(i).state == State.RUNNING;
    }

    /** {@code set_current_job}. */
    private void setCurrentJob(int job) {
        if (current != job) {
            previous = current;
            current = job;
        }
        if (previous != current && previous != NO_JOB && previous < jobs.size() && jobs.get(previous) != null
                && stopped(previous)) {
            return;
        }
        int candidate;
        if (stopped(current)) {
            candidate = mostRecentJobInState(current, State.STOPPED);
            if (candidate != NO_JOB) {
                previous = candidate;
                return;
            }
        }
        candidate = running(current) ? mostRecentJobInState(current, State.RUNNING)
                : mostRecentJobInState(jobs.size(), State.RUNNING);
        if (candidate != NO_JOB) {
            previous = candidate;
            return;
        }
        previous = current;
    }

    /** {@code reset_current}. */
    private void resetCurrent() {
        int candidate;
        if (current != NO_JOB && current < jobs.size() && jobs.get(current) != null && stopped(current)) {
            candidate = current;
        } else {
            candidate = NO_JOB;
            if (previous != NO_JOB && previous < jobs.size() && jobs.get(previous) != null && stopped(previous)) {
                candidate = previous;
            }
            if (candidate == NO_JOB) {
                candidate = mostRecentJobInState(jobs.size(), State.STOPPED);
            }
            if (candidate == NO_JOB) {
                candidate = mostRecentJobInState(jobs.size(), State.RUNNING);
            }
        }
        if (candidate != NO_JOB) {
            setCurrentJob(candidate);
        } else {
            current = NO_JOB;
            previous = NO_JOB;
        }
    }

    // ------------------------------------------------------------------ naming jobs

    /**
     * {@code get_job_spec}: the job a word names ({@code %1}, {@code %%}, {@code %+},
     * {@code %-}, {@code %name}, {@code %?text}); {@link #NO_JOB} or {@link #DUP_JOB}
     * (ambiguous, reported to {@code err} with {@code prefix}).
     */
    public int jobSpec(String spec, PrintStream err, String prefix) {
        String word = spec;
        if (word.isEmpty()) {
            return NO_JOB;
        }
        if (word.charAt(0) == '%') {
            word = word.substring(1);
        }
        if (!word.isEmpty() && word.chars().allMatch(Character::isDigit)) {
            long n;
            try {
                n = Long.parseLong(word);
            } catch (NumberFormatException e) {
                return NO_JOB;
            }
            return n < 0 || n > jobs.size() ? NO_JOB : (int) n - 1;
        }
        if (word.isEmpty() || word.equals("%") || word.equals("+")) {
            return current;
        }
        if (word.equals("-")) {
            return previous;
        }
        boolean substring = word.startsWith("?");
        if (substring) {
            word = word.substring(1);
        }
        int job = NO_JOB;
        for (int i = jobs.size() - 1; i >= 0; i--) {
            Job j = jobs.get(i);
            if (j == null) {
                continue;
            }
            boolean match = substring ? j.command.toLowerCase(Locale.ROOT).contains(word.toLowerCase(Locale.ROOT))
                    : j.command.startsWith(word);
            if (!match) {
                continue;
            }
            if (job != NO_JOB) {
                err.print(prefix + word + ": ambiguous job spec\n");
                err.flush();
                return DUP_JOB;
            }
            job = i;
        }
        return job;
    }

    // ------------------------------------------------------------------ printing

    /** {@code jobs}: every job (or those in one state), then dead ones reported are forgotten. */
    public String list(Format format, State only) {
        cleanupDeadJobs();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < jobs.size(); i++) {
            Job j = jobs.get(i);
            if (j != null && (only == null || j.state == only)) {
                sb.append(pretty(i, format));
            }
        }
        return sb.toString();
    }

    /** {@code list_one_job}. */
    public String listOne(int index, Format format) {
        String s = pretty(index, format);
        cleanupDeadJobs();
        return s;
    }

    /** {@code pretty_print_job}: {@code [1]+  Running                 sleep 10 &}. Marks the job reported. */
    String pretty(int index, Format format) {
        Job job = jobs.get(index);
        if (format == Format.PID_ONLY) {
            return job.pid + "\n";
        }
        if (format == Format.CHANGED_ONLY) {
            if (job.notified) {
                return "";
            }
            format = Format.STANDARD;
        }
        StringBuilder sb = new StringBuilder();
        if (format != Format.NONINTERACTIVE) {
            sb.append('[').append(index + 1).append(']')
                    .append(index == current ? '+' : index == previous ? '-' : ' ').append(' ');
        }
        boolean longForm = format != Format.STANDARD;
        if (longForm) {
            sb.append(String.format("%5d", job.pid));
        }
        sb.append(' ');
        String status = printableStatus(job, longForm);
        sb.append(status);
        sb.append(" ".repeat(Math.max(0, STATUS_WIDTH - status.length())));
        sb.append(job.command);
        if (job.state == State.RUNNING && !job.foreground) {
            sb.append(" &");
        }
        if (!cwd.get().equals(job.wd)) {
            sb.append("  (wd: ").append(polite(job.wd)).append(')');
        }
        sb.append('\n');
        job.notified = true;
        return sb.toString();
    }

    /** {@code printable_job_status}. */
    private static String printableStatus(Job job, boolean longForm) {
        if (job.state == State.STOPPED && !longForm) {
            return "Stopped";
        }
        if (job.state == State.RUNNING) {
            return "Running";
        }
        if (job.state == State.STOPPED) {
            return describe(job.task.stopSignal());
        }
        int sig = job.task.termSignal();
        if (sig != 0) {
            return describe(sig);
        }
        int es = job.task.status();
        return es == 0 ? "Done" : "Exit " + es;
    }

    /** {@code strsignal}. */
    static String describe(int signal) {
        Signal s = Signal.of(signal);
        return s != null ? s.description() : "Real-time signal " + (signal - Signal.RTMIN);
    }

    /** {@code polite_directory_format}: the home directory as {@code ~}. */
    private static String polite(String dir) {
        return dir.equals("/root") ? "~" : dir.startsWith("/root/") ? "~" + dir.substring(5) : dir;
    }

    // ------------------------------------------------------------------ waiting

    /**
     * {@code wait_for}: blocks the shell until the job is no longer running (dead, or stopped
     * when {@code stopToo}); returns its status. A signal the shell catches (Ctrl-C at a
     * terminal) ends the wait early with -1.
     */
    public int waitFor(Kernel kernel, int index, boolean stopToo) {
        Job job = jobs.get(index);
        boolean done = kernel.runUntil(Long.MAX_VALUE, new java.util.function.BooleanSupplier() {
            @Override
            public boolean getAsBoolean() {
                return job.state == State.DEAD || stopToo && job.state == State.STOPPED;
            }
        });
        if (!done) {
            return -1;
        }
        return job.state == State.STOPPED ? 128 + job.task.stopSignal() : job.exitStatus();
    }

    /**
     * A finished foreground job that is nobody's to report: a command of a {@code $( )} or one
     * that feeds a pipeline, whose status bash takes from the pipeline's last command.
     */
    public void markNotified(int index) {
        Job job = index >= 0 && index < jobs.size() ? jobs.get(index) : null;
        if (job != null && job.state == State.DEAD) {
            job.notified = true;
        }
    }

    /** {@code wait_for_job}: {@code wait %N}. */
    public int waitForJob(Kernel kernel, int index) {
        int r = waitFor(kernel, index, false);
        Job job = jobs.get(index);
        if (job != null && job.state == State.DEAD) {
            job.notified = true;
        }
        return r;
    }

    /**
     * {@code wait_for_single_pid}: {@code wait PID}; a job already forgotten answers from
     * {@code bgpids}; 257 means the pid is not a child ({@code perror} reports it).
     */
    public int waitForSinglePid(Kernel kernel, int pid, PrintStream err, String prefix) {
        int index = findJob(pid);
        if (index == NO_JOB) {
            Integer r = bgpids.get(pid);
            if (r != null) {
                return r;
            }
            err.print(prefix + "wait: pid " + pid + " is not a child of this shell\n");
            err.flush();
            return 257;
        }
        int r = waitFor(kernel, index, false);
        Job job = jobs.get(index);
        if (job != null && job.state == State.DEAD) {
            job.notified = true;
        }
        return r;
    }

    /**
     * {@code wait_for_background_pids}: {@code wait} without operands. Returns -1 when a caught
     * signal interrupted it.
     */
    public int waitForBackgroundPids(Kernel kernel, PrintStream err, String prefix) {
        while (true) {
            int i;
            for (i = 0; i < jobs.size(); i++) {
                Job j = jobs.get(i);
                if (j != null && j.state == State.STOPPED) {
                    err.print(prefix + "wait: warning: job " + (i + 1) + "[" + j.pid + "] stopped\n");
                    err.flush();
                }
                if (j != null && j.state == State.RUNNING && !j.foreground) {
                    break;
                }
            }
            if (i == jobs.size()) {
                break;
            }
            // wait_for_single_pid: a job waited for is one the user has heard about
            if (waitFor(kernel, i, false) < 0) {
                return -1;
            }
            Job j = jobs.get(i);
            if (j != null && j.state == State.DEAD) {
                j.notified = true;
            }
        }
        markDeadJobsAsNotified(true);
        cleanupDeadJobs();
        bgpids.clear();
        return 0;
    }

    // ------------------------------------------------------------------ fg and bg

    /**
     * {@code start_job}: the first half, before the job runs: checks, the line {@code fg} and
     * {@code bg} print, and the job marked running in the foreground or the background. Returns
     * the job's text line, or {@code null} with the error printed.
     */
    public String startJob(int index, boolean foreground, String name, PrintStream err, String prefix) {
        Job job = jobs.get(index);
        if (job.state == State.DEAD) {
            err.print(prefix + name + ": job has terminated\n");
            err.flush();
            return null;
        }
        boolean alreadyRunning = job.state == State.RUNNING;
        if (!foreground && alreadyRunning) {
            err.print(prefix + name + ": job " + (index + 1) + " already in background\n");
            err.flush();
            return "";
        }
        job.notified = false;
        if (foreground) {
            setCurrentJob(index);
            job.foreground = true;
        }
        StringBuilder sb = new StringBuilder();
        if (!foreground) {
            sb.append('[').append(index + 1).append(']')
                    .append(index == current ? "+ " : index == previous ? "- " : " ");
        }
        sb.append(job.command);
        if (!foreground) {
            sb.append(" &");
        }
        if (!cwd.get().equals(job.wd)) {
            sb.append("\t(wd: ").append(polite(job.wd)).append(')');
        }
        sb.append('\n');
        if (!alreadyRunning) {
            job.state = State.RUNNING;
        }
        if (!foreground) {
            job.foreground = false;
        }
        if (!alreadyRunning) {
            job.notified = true;
        }
        if (!foreground) {
            resetCurrent();
        }
        return sb.toString();
    }

    /** The current job's index ({@code %+}). */
    public int current() {
        return current;
    }
}
