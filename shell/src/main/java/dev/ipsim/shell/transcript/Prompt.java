package dev.ipsim.shell.transcript;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognises a command line in a pasted terminal session by its prompt, as tutorials print
 * them: {@code $ cmd} and {@code # cmd} (cram, scrut and man pages), {@code dev@debian:~$ cmd},
 * {@code root@ubuntu:~# cmd}, {@code [root@localhost vagrant]# cmd} (Red Hat's), and the same
 * with a bracket lost in the paste ({@code [root@debian:~# cmd}).
 */
final class Prompt {

    /** {@code user@host}, then {@code :dir} or {@code  dir}, in optional brackets, then {@code $} or {@code #}. */
    private static final Pattern USER_HOST = Pattern.compile(
            "^(\\[?[A-Za-z0-9_.-]+@[A-Za-z0-9_.-]+(?::[^\\s\\]$#]*| [^\\]$#\\s]*)?\\]?[$#])(?: (.*)|$)");
    private static final Pattern BARE = Pattern.compile("^([$#])(?: (.*)|$)");

    /** A recognised command line: the prompt as printed (with its space) and the command. */
    record Line(String prompt, String command) {
    }

    private Prompt() {
    }

    /** The prompt and command of {@code line}, or {@code null} when it does not start with a prompt. */
    static Line parse(String line) {
        Matcher m = USER_HOST.matcher(line);
        if (!m.matches()) {
            m = BARE.matcher(line);
            if (!m.matches()) {
                return null;
            }
        }
        String command = m.group(2) == null ? "" : m.group(2);
        return new Line(line.substring(0, line.length() - command.length()), command);
    }
}
