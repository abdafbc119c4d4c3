package dev.ipsim.commands.ip;

import dev.ipsim.commands.Exit;
import dev.ipsim.kernel.KernelException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ip [-force] -batch FILE} ({@code do_batch}, {@code getcmdline}, {@code makeargs}):
 * one command a line, {@code #} comments, backslash-newline continuation, quotes without
 * escapes. A failing command prints {@code Command failed FILE:LINE} and stops the batch
 * unless {@code -force}; a command that calls {@code exit()} ends {@code ip} at once.
 */
final class IpBatch {

    private static final int MAX_ARGS = 512;

    private IpBatch() {
    }

    static int run(IpSession session, String name) {
        String text;
        try {
            if (name.equals("-")) {
                text = new String(session.invocation().in().readAllBytes(), StandardCharsets.UTF_8);
            } else {
                text = session.invocation().context().readFile(name);
            }
        } catch (KernelException e) {
            if (e.errno() == dev.ipsim.kernel.Errno.EISDIR) {
                // fopen takes a directory; the first getline fails (EISDIR) and reads as the end
                text = "";
            } else {
                session.err().print("Cannot open file \"" + name + "\" for reading: " + e.errno().text() + "\n");
                return 1;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int origFamily = session.options().family;
        String[] lines = text.split("\n", -1);
        int count = text.endsWith("\n") ? lines.length - 1 : lines.length;
        int lineNumber = 0;
        int status = 0;
        int i = 0;
        while (i < count) {
            String line = stripComment(lines[i++]);
            lineNumber++;
            while (line.endsWith("\\") && (i > 0)) {
                if (i >= count) {
                    session.err().print("Missing continuation line\n");
                    return status;
                }
                line = line.substring(0, line.length() - 1) + stripComment(lines[i++]);
                lineNumber++;
            }
            List<String> words = makeArgs(line, session);
            if (words.isEmpty()) {
                continue;
            }
            session.options().family = origFamily;
            int ret = Ip.doCommand(session, words);
            if (ret != 0) {
                session.err().print("Command failed " + name + ":" + lineNumber + "\n");
                status = 1;
                if (session.options().force == 0) {
                    break;
                }
            }
        }
        return status;
    }

    private static String stripComment(String line) {
        int hash = line.indexOf('#');
        return hash >= 0 ? line.substring(0, hash) : line;
    }

    /** {@code makeargs}. */
    static List<String> makeArgs(String line, IpSession session) {
        List<String> out = new ArrayList<>();
        int cp = 0;
        int n = line.length();
        while (cp < n) {
            while (cp < n && " \t\r\n".indexOf(line.charAt(cp)) >= 0) {
                cp++;
            }
            if (cp >= n) {
                break;
            }
            if (out.size() >= MAX_ARGS - 1) {
                session.err().print("Too many arguments to command\n");
                throw new Exit(1);
            }
            char c = line.charAt(cp);
            if (c == '\'' || c == '"') {
                int end = line.indexOf(c, cp + 1);
                if (end < 0) {
                    session.err().print("Unterminated quoted string\n");
                    throw new Exit(1);
                }
                out.add(line.substring(cp + 1, end));
                cp = end + 1;
            } else {
                int end = cp;
                while (end < n && " \t\r\n".indexOf(line.charAt(end)) < 0) {
                    end++;
                }
                out.add(line.substring(cp, end));
                cp = end + 1;
            }
        }
        return out;
    }
}
