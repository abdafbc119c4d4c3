package dev.ipsim.shell.transcript;

import java.util.List;
import java.util.Map;

/**
 * A terminal session as a document printed it, ready to replay: its header, and the machines
 * the session ran on, each with its hidden setup and its steps (a command and the lines the
 * document shows after it).
 *
 * @param path     where the transcript was read from, as the report names it
 * @param header   the front matter: {@code source}, {@code profile}, {@code whitespace}...
 * @param machines the machines in document order; a transcript without setup has one
 */
public record Transcript(String path, Map<String, String> header, List<Machine> machines) {

    /**
     * The count of an {@code #| excerpt} mark: the document shows part of a long output here and
     * leaves out any number of lines, counted as one known deviation.
     */
    public static final int EXCERPT = Integer.MAX_VALUE;

    /** The system profile the header names, {@code default} when it names none. */
    public String profile() {
        return header.getOrDefault("profile", "default");
    }

    /** How the document rendered white space: {@code exact}, {@code trailing-stripped} or {@code collapsed}. */
    public String whitespace() {
        return header.getOrDefault("whitespace", "exact");
    }

    /**
     * A fresh machine and what happened on it.
     *
     * @param line     the transcript line its setup starts at (0 for the implicit first machine)
     * @param settings the setup's {@code #| key: value} lines, in order (profile, hostname, nic, dns)
     * @param setup    shell lines run before the first step, output hidden
     * @param steps    the document's commands, in order
     */
    public record Machine(int line, List<Setting> settings, List<String> setup, List<Step> steps) {
    }

    /** One {@code #| key: value} directive and the transcript line it is on. */
    public record Setting(int line, String key, String value) {
    }

    /**
     * One command of the document and what the document shows after it.
     *
     * @param line       the transcript line the command is on
     * @param prompt     the prompt as printed ({@code dev@debian:~$ }), empty in a script listing
     * @param command    the command as printed, without its prompt
     * @param expected   the lines the document shows after it, with their marks
     * @param directives the {@code #|} directives given for the command (runs, interrupt, watches...)
     * @param requires   features the step needs (its block's {@code requires:} and what the command shows)
     * @param deviation  why the command line itself is not what was run, or {@code null}
     */
    public record Step(int line, String prompt, String command, List<Expected> expected, List<Setting> directives,
                       List<String> requires, String deviation) {

        /** The value of the step's last directive named {@code key}, or {@code null}. */
        public String directive(String key) {
            String v = null;
            for (Setting s : directives) {
                if (s.key().equals(key)) {
                    v = s.value();
                }
            }
            return v;
        }

        /** The values of every directive named {@code key}, in order. */
        public List<String> directives(String key) {
            return directives.stream().filter(s -> s.key().equals(key)).map(Setting::value).toList();
        }
    }

    /**
     * A line the document prints after a command, or a mark where it leaves lines out.
     *
     * @param line      its transcript line
     * @param text      the line as printed ({@code null} for a mark)
     * @param deviation why the line is known not to be what the command prints (for a mark: why
     *                  the document leaves lines out), or {@code null}
     * @param omitted   for a mark ({@code #| omitted N: reason}): how many lines of the real
     *                  output the document leaves out here; 0 for a printed line
     */
    public record Expected(int line, String text, String deviation, int omitted) {

        public boolean isMark() {
            return omitted > 0;
        }
    }
}
