package dev.ipsim.shell.builtins;

import dev.ipsim.commands.Invocation;
import dev.ipsim.shell.ShellSession;
import dev.ipsim.shell.vfs.VirtualFs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * GNU coreutils 9.1 {@code cat} over the sandbox's file system; {@code -} or no file is
 * standard input. Output of each file is written before the next is opened, so an error
 * appears between the files around it, as with the real {@code cat}.
 */
final class Cat {

    static final String HELP = """
            Usage: cat [OPTION]... [FILE]...
            Concatenate FILE(s) to standard output.

            With no FILE, or when FILE is -, read standard input.

              -A, --show-all           equivalent to -vET
              -b, --number-nonblank    number nonempty output lines, overrides -n
              -e                       equivalent to -vE
              -E, --show-ends          display $ at end of each line
              -n, --number             number all output lines
              -s, --squeeze-blank      suppress repeated empty output lines
              -t                       equivalent to -vT
              -T, --show-tabs          display TAB characters as ^I
              -u                       (ignored)
              -v, --show-nonprinting   use ^ and M- notation, except for LFD and TAB
                  --help        display this help and exit
                  --version     output version information and exit

            Examples:
              cat f - g  Output f's contents, then standard input, then g's contents.
              cat        Copy standard input to standard output.

            GNU coreutils online help: <https://www.gnu.org/software/coreutils/>
            Report any translation bugs to <https://translationproject.org/team/>
            Full documentation <https://www.gnu.org/software/coreutils/cat>
            or available locally via: info '(coreutils) cat invocation'
            """;

    static final String VERSION = """
            cat (GNU coreutils) 9.1
            Copyright (C) 2022 Free Software Foundation, Inc.
            License GPLv3+: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>.
            This is free software: you are free to change and redistribute it.
            There is NO WARRANTY, to the extent permitted by law.

            Written by Torbjorn Granlund and Richard M. Stallman.
            """;

    private Cat() {
    }

    /** The formatting state that carries over from one file to the next, as in cat.c. */
    private static final class Format {
        boolean number;
        boolean numberNonBlank;
        boolean squeeze;
        boolean ends;
        boolean tabs;
        boolean nonPrinting;
        long lineNumber;
        boolean atLineStart = true;
        int newlines = 1;

        boolean plain() {
            return !number && !numberNonBlank && !squeeze && !ends && !tabs && !nonPrinting;
        }

        String apply(String text) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '\n') {
                    newlines++;
                    if (atLineStart && squeeze && newlines > 2) {
                        continue;
                    }
                    if (atLineStart && number && !numberNonBlank) {
                        sb.append(String.format("%6d\t", ++lineNumber));
                    }
                    if (ends) {
                        sb.append('$');
                    }
                    sb.append('\n');
                    atLineStart = true;
                    continue;
                }
                if (atLineStart && (number || numberNonBlank)) {
                    sb.append(String.format("%6d\t", ++lineNumber));
                }
                atLineStart = false;
                newlines = 0;
                if (c == '\t' && tabs) {
                    sb.append("^I");
                } else if (nonPrinting && c != '\t' && (c < 0x20 || c == 0x7f)) {
                    sb.append('^').append(c == 0x7f ? '?' : (char) (c + 64));
                } else {
                    sb.append(c);
                }
            }
            return sb.toString();
        }
    }

    static int run(ShellSession session, Invocation inv) {
        GnuOptions.Result r = new GnuOptions("cat", "AbeEnstTuv")
                .longOption("show-all", 'A').longOption("number-nonblank", 'b').longOption("show-ends", 'E')
                .longOption("number", 'n').longOption("squeeze-blank", 's').longOption("show-tabs", 'T')
                .longOption("show-nonprinting", 'v').longOption("help", 'H').longOption("version", 'V')
                .parse(inv.args());
        if (r.error() != null) {
            inv.err().print(r.error() + "Try 'cat --help' for more information.\n");
            return 1;
        }
        Format f = new Format();
        for (GnuOptions.Option o : r.options()) {
            switch (o.key()) {
                case 'H' -> {
                    inv.out().print(HELP);
                    return 0;
                }
                case 'V' -> {
                    inv.out().print(VERSION);
                    return 0;
                }
                case 'A' -> {
                    f.nonPrinting = true;
                    f.ends = true;
                    f.tabs = true;
                }
                case 'b' -> {
                    f.number = true;
                    f.numberNonBlank = true;
                }
                case 'e' -> {
                    f.nonPrinting = true;
                    f.ends = true;
                }
                case 'E' -> f.ends = true;
                case 'n' -> f.number = true;
                case 's' -> f.squeeze = true;
                case 't' -> {
                    f.nonPrinting = true;
                    f.tabs = true;
                }
                case 'T' -> f.tabs = true;
                case 'v' -> f.nonPrinting = true;
                default -> {
                }
            }
        }
        java.util.List<String> files = r.operands().isEmpty() ? java.util.List.of("-") : r.operands();
        int status = 0;
        for (String name : files) {
            String text;
            if (name.equals("-")) {
                // as it comes: at a terminal, each line is printed as soon as it is typed
                byte[] chunk = new byte[4096];
                try {
                    int n;
                    while ((n = inv.in().read(chunk)) > 0) {
                        if (f.plain()) {
                            // bytes as they are: a capture file is no text
                            inv.out().write(chunk, 0, n);
                        } else {
                            inv.out().print(f.apply(new String(chunk, 0, n, StandardCharsets.UTF_8)));
                        }
                        inv.out().flush();
                    }
                } catch (IOException e) {
                    // the input is gone: what was read is out
                }
                continue;
            } else {
                try {
                    if (f.plain()) {
                        byte[] bytes = session.vfs().readBytes(name);
                        inv.out().write(bytes, 0, bytes.length);
                        inv.out().flush();
                        continue;
                    }
                    text = session.vfs().read(name);
                } catch (VirtualFs.FsException e) {
                    inv.out().flush();
                    inv.err().print("cat: " + name + ": " + e.errno().text() + "\n");
                    status = 1;
                    continue;
                }
            }
            inv.out().print(f.apply(text));
            inv.out().flush();
        }
        return status;
    }
}
