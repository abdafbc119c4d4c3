package dev.ipsim.shell.transcript;

import dev.ipsim.shell.transcript.Transcript.Expected;
import dev.ipsim.shell.transcript.Transcript.Machine;
import dev.ipsim.shell.transcript.Transcript.Setting;
import dev.ipsim.shell.transcript.Transcript.Step;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a transcript: Markdown in scrut's style, where fenced blocks hold terminal sessions and
 * everything outside them is prose, or a bare pasted session (no fences at all). See
 * {@code transcripts/README.md} for the format.
 *
 * <ul>
 * <li>Front matter between {@code ---} lines: {@code source}, {@code profile},
 *     {@code whitespace}, {@code pace}...</li>
 * <li>A {@code setup} block starts a fresh machine: {@code #| profile/hostname/nic/dns} lines,
 *     then shell lines run before the session, their output hidden.</li>
 * <li>A {@code sh}/{@code bash}/{@code shell} block is a listing: every line is a command and
 *     the document shows no output ({@code #} lines are comments).</li>
 * <li>Any other block is a session: a line with a prompt is a command, the lines after it are
 *     its output.</li>
 * <li>{@code #| key: value} lines are directives for the next command or lines.</li>
 * </ul>
 */
public final class TranscriptParser {

    /** A fence: three or more backticks or tildes, then the block's language. */
    private static final Pattern FENCE = Pattern.compile("^(```+|~~~+)\\s*([^\\s`]*).*$");
    private static final Pattern DIRECTIVE = Pattern.compile("^#\\|\\s*([a-z-]+)(?:\\s+(\\d+))?\\s*:?\\s*(.*)$");
    private static final List<String> LISTING_LANGUAGES = List.of("sh", "bash", "shell", "zsh");

    /** A transcript that cannot be read: the line and what is wrong with it. */
    public static final class FormatException extends Exception {
        public FormatException(String path, int line, String message) {
            super(path + ":" + line + ": " + message);
        }
    }

    private final String path;
    private final List<Machine> machines = new ArrayList<>();
    private List<Setting> settings = new ArrayList<>();
    private List<String> setup = new ArrayList<>();
    private List<Step> steps = new ArrayList<>();
    private int machineLine;

    // the block being read
    private List<String> blockRequires = List.of();
    /** How far the document indents the block's lines (a session quoted inside another). */
    private int blockIndent;
    private final List<Setting> pending = new ArrayList<>();
    private StepBuilder current;
    /** The next output line continues the last one ({@code #| wrapped}). */
    private boolean joinNext;
    /** How many wrapped lines were joined, for the report. */
    private int wrapped;

    private TranscriptParser(String path) {
        this.path = path;
    }

    public static Transcript parse(String path, String text) throws FormatException {
        return new TranscriptParser(path).read(text);
    }

    private Transcript read(String text) throws FormatException {
        String normalised = text.replace("\r\n", "\n");
        if (normalised.endsWith("\n")) {
            normalised = normalised.substring(0, normalised.length() - 1); // the last line's end
        }
        String[] lines = normalised.split("\n", -1);
        Map<String, String> header = new LinkedHashMap<>();
        int i = 0;
        if (lines.length > 0 && lines[0].equals("---")) {
            for (i = 1; i < lines.length && !lines[i].equals("---"); i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    header.put(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim());
                }
            }
            if (i == lines.length) {
                throw new FormatException(path, 1, "front matter is not closed by ---");
            }
            i++;
        }
        boolean fenced = false;
        for (int j = i; j < lines.length; j++) {
            if (FENCE.matcher(lines[j]).matches()) {
                fenced = true;
                break;
            }
        }
        if (!fenced) {
            startBlock();
            for (int j = i; j < lines.length; j++) {
                sessionLine(j + 1, lines[j], false);
            }
            endBlock(lines.length);
        } else {
            String fence = null;
            String kind = null;
            for (int j = i; j < lines.length; j++) {
                String l = lines[j];
                if (fence == null) {
                    Matcher m = FENCE.matcher(l);
                    if (m.matches()) {
                        fence = m.group(1);
                        String lang = m.group(2).toLowerCase(Locale.ROOT);
                        kind = lang.equals("setup") ? "setup" : LISTING_LANGUAGES.contains(lang) ? "listing" : "session";
                        if (kind.equals("setup")) {
                            newMachine(j + 1);
                        } else {
                            startBlock();
                        }
                    }
                    continue;
                }
                if (l.startsWith(fence) && l.substring(fence.length()).isBlank()) {
                    if (!kind.equals("setup")) {
                        endBlock(j + 1);
                    }
                    fence = null;
                    continue;
                }
                switch (kind) {
                    case "setup" -> setupLine(j + 1, l);
                    case "listing" -> sessionLine(j + 1, l, true);
                    default -> sessionLine(j + 1, l, false);
                }
            }
            if (fence != null) {
                throw new FormatException(path, lines.length, "block not closed by " + fence);
            }
        }
        flushMachine();
        if (wrapped > 0) {
            header.put("wrapped-lines", Integer.toString(wrapped));
        }
        return new Transcript(path, header, List.copyOf(machines));
    }

    // ------------------------------------------------------------------ machines

    private void newMachine(int line) {
        flushMachine();
        machineLine = line;
    }

    private void flushMachine() {
        if (!steps.isEmpty() || !setup.isEmpty() || !settings.isEmpty() || machines.isEmpty()) {
            if (!steps.isEmpty() || !setup.isEmpty() || !settings.isEmpty()) {
                machines.add(new Machine(machineLine, List.copyOf(settings), List.copyOf(setup), List.copyOf(steps)));
            }
        }
        settings = new ArrayList<>();
        setup = new ArrayList<>();
        steps = new ArrayList<>();
    }

    private void setupLine(int line, String l) {
        Matcher d = DIRECTIVE.matcher(l);
        if (d.matches()) {
            settings.add(new Setting(line, d.group(1), d.group(3).trim()));
        } else if (!l.isBlank() && !l.startsWith("#")) {
            setup.add(l);
        }
    }

    // ------------------------------------------------------------------ sessions

    private void startBlock() {
        blockRequires = List.of();
        blockIndent = 0;
        pending.clear();
        current = null;
    }

    private void endBlock(int line) throws FormatException {
        finishStep();
        if (!pending.isEmpty()) {
            // marks at the end of a block belong to the last command's output
            throw new FormatException(path, pending.get(0).line(), "directive \"" + pending.get(0).key()
                    + "\" applies to nothing: put it before a command or a line");
        }
    }

    private void sessionLine(int line, String raw, boolean listing) throws FormatException {
        String l = raw;
        if (blockIndent > 0 && l.length() >= blockIndent && l.substring(0, blockIndent).isBlank()) {
            l = l.substring(blockIndent);
        } else if (blockIndent > 0 && l.isBlank()) {
            l = "";
        }
        Matcher d = DIRECTIVE.matcher(l);
        if (d.matches()) {
            directive(line, d.group(1), d.group(2), d.group(3).trim());
            return;
        }
        if (current != null && current.continues) {
            current.command += "\n" + (l.startsWith("> ") ? l.substring(2) : l);
            current.continues = l.endsWith("\\");
            return;
        }
        if (listing) {
            String t = l.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                return;
            }
            startStep(line, "", t);
            return;
        }
        Prompt.Line p = Prompt.parse(l);
        if (p != null) {
            startStep(line, p.prompt(), p.command());
            return;
        }
        if (current == null) {
            if (l.isBlank()) {
                return;
            }
            throw new FormatException(path, line, "output before any command (a prompt such as \"$ \" starts one)");
        }
        if (joinNext) {
            // the page wrapped one output line in two: compare them as the one line they are
            joinNext = false;
            Expected first = current.expected.remove(current.expected.size() - 1);
            current.expected.add(new Expected(first.line(), first.text() + l, first.deviation(), 0));
            wrapped++;
            return;
        }
        Setting dev = take("deviation");
        current.expected.add(new Expected(line, l, dev == null ? null : dev.value(), 0));
        if (take("wrapped") != null) {
            joinNext = true;
        }
    }

    private void directive(int line, String key, String count, String value) throws FormatException {
        switch (key) {
            case "requires" -> {
                if (current != null) {
                    throw new FormatException(path, line, "requires: goes at the top of a block, before its commands");
                }
                List<String> features = new ArrayList<>();
                for (String f : value.split("[,\\s]+")) {
                    if (!f.isEmpty()) {
                        features.add(f);
                    }
                }
                blockRequires = List.copyOf(features);
            }
            case "indent" -> {
                if (current != null) {
                    throw new FormatException(path, line, "indent: goes at the top of a block, before its commands");
                }
                blockIndent = Integer.parseInt(value.strip());
            }
            case "omitted" -> {
                if (current == null) {
                    throw new FormatException(path, line, "omitted: goes among a command's output lines");
                }
                current.expected.add(new Expected(line, null, value, count == null ? 1 : Integer.parseInt(count)));
            }
            case "deviation" -> {
                int n = count == null ? 1 : Integer.parseInt(count);
                pending.add(new Setting(line, "deviation#" + n, value));
            }
            case "wrapped" -> pending.add(new Setting(line, "wrapped#1", value));
            case "hidden" -> {
                finishStep();
                StepBuilder b = new StepBuilder(line, "", value);
                b.directives.add(new Setting(line, "hidden", value));
                b.directives.addAll(pending);
                pending.clear();
                steps.add(b.build(blockRequires));
            }
            case "excerpt" -> {
                if (current == null) {
                    throw new FormatException(path, line, "excerpt: goes among a command's output lines");
                }
                current.expected.add(new Expected(line, null, value, Transcript.EXCERPT));
            }
            case "runs", "interrupt", "watches", "wait", "unshown", "stop-after", "pause", "netns", "userland" ->
                    pending.add(new Setting(line, key, value));
            default -> throw new FormatException(path, line, "unknown directive \"" + key + "\"");
        }
    }

    /** Takes the pending deviation mark for the next line, if any. */
    private Setting take(String kind) {
        for (int k = 0; k < pending.size(); k++) {
            Setting s = pending.get(k);
            if (s.key().startsWith(kind + "#")) {
                pending.remove(k);
                int n = Integer.parseInt(s.key().substring(kind.length() + 1));
                if (n > 1) {
                    pending.add(k, new Setting(s.line(), kind + "#" + (n - 1), s.value()));
                }
                return new Setting(s.line(), kind, s.value());
            }
        }
        return null;
    }

    private void startStep(int line, String prompt, String command) {
        finishStep();
        current = new StepBuilder(line, prompt, command);
        Setting dev = take("deviation");
        if (dev != null) {
            current.deviation = dev.value();
        }
        current.directives.addAll(pending.stream().filter(s -> !s.key().contains("#")).toList());
        pending.removeIf(s -> !s.key().contains("#"));
        current.continues = command.endsWith("\\");
    }

    private void finishStep() {
        if (current != null) {
            steps.add(current.build(blockRequires));
            current = null;
        }
    }

    private static final class StepBuilder {
        final int line;
        final String prompt;
        String command;
        boolean continues;
        String deviation;
        final List<Expected> expected = new ArrayList<>();
        final List<Setting> directives = new ArrayList<>();

        StepBuilder(int line, String prompt, String command) {
            this.line = line;
            this.prompt = prompt;
            this.command = command;
        }

        Step build(List<String> blockRequires) {
            return new Step(line, prompt, command, List.copyOf(expected), List.copyOf(directives),
                    blockRequires, deviation);
        }
    }
}
