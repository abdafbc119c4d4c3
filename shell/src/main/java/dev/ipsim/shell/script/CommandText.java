package dev.ipsim.shell.script;

import java.util.ArrayList;
import java.util.List;

/**
 * A parsed command written back as text, as bash's {@code print_cmd.c} does for the jobs
 * table ({@code [1]+  Running   tcpdump -n -i veth1 &}): words as the script wrote them, one
 * space between, redirections after the words ({@code > file}, {@code 2>&1}), {@code |},
 * {@code &&} and {@code ||} with spaces around, {@code ( list )} and {@code { list; }}.
 */
public final class CommandText {

    private CommandText() {
    }

    /** The text of an and-or list without its trailing {@code &}. */
    public static String of(Parser.AndOr list) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < list.pipelines().size(); i++) {
            if (i > 0) {
                sb.append(' ').append(list.operators().get(i - 1)).append(' ');
            }
            pipeline(sb, list.pipelines().get(i));
        }
        return sb.toString();
    }

    /** The texts of the pipelines of a list, each without its operators (a job's processes). */
    public static List<String> pipelines(Parser.AndOr list) {
        List<String> out = new ArrayList<>();
        for (Parser.Pipeline p : list.pipelines()) {
            StringBuilder sb = new StringBuilder();
            pipeline(sb, p);
            out.add(sb.toString());
        }
        return out;
    }

    private static void pipeline(StringBuilder sb, Parser.Pipeline p) {
        if (p.negated()) {
            sb.append("! ");
        }
        for (int i = 0; i < p.commands().size(); i++) {
            if (i > 0) {
                sb.append(p.stderrToo().get(i - 1) ? " |& " : " | ");
            }
            command(sb, p.commands().get(i));
        }
    }

    private static void lists(StringBuilder sb, List<Parser.AndOr> body) {
        for (int i = 0; i < body.size(); i++) {
            Parser.AndOr a = body.get(i);
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(of(a)).append(a.background() ? " &" : ";");
        }
    }

    private static void command(StringBuilder sb, Parser.Command c) {
        if (c instanceof Parser.SimpleCommand s) {
            List<String> parts = new ArrayList<>();
            for (Parser.Word w : s.words()) {
                parts.add(w.text());
            }
            sb.append(String.join(" ", parts));
        } else if (c instanceof Parser.Group g) {
            if (g.subshell()) {
                sb.append("( ");
                StringBuilder inner = new StringBuilder();
                lists(inner, g.body());
                String t = inner.toString();
                sb.append(t.endsWith(";") ? t.substring(0, t.length() - 1) : t).append(" )");
            } else {
                sb.append("{ ");
                lists(sb, g.body());
                sb.append(" }");
            }
        } else if (c instanceof Parser.If i) {
            for (int k = 0; k < i.conditions().size(); k++) {
                sb.append(k == 0 ? "if " : " elif ");
                lists(sb, i.conditions().get(k));
                sb.append(" then ");
                lists(sb, i.bodies().get(k));
            }
            if (!i.otherwise().isEmpty()) {
                sb.append(" else ");
                lists(sb, i.otherwise());
            }
            sb.append(" fi");
        } else if (c instanceof Parser.For f) {
            sb.append("for ").append(f.name());
            if (f.words() != null) {
                sb.append(" in");
                for (Parser.Word w : f.words()) {
                    sb.append(' ').append(w.text());
                }
            }
            sb.append("; do ");
            lists(sb, f.body());
            sb.append(" done");
        } else if (c instanceof Parser.While w) {
            sb.append(w.until() ? "until " : "while ");
            lists(sb, w.condition());
            sb.append(" do ");
            lists(sb, w.body());
            sb.append(" done");
        } else if (c instanceof Parser.Case k) {
            sb.append("case ").append(k.word().text()).append(" in ... esac");
        } else if (c instanceof Parser.FunctionDef f) {
            sb.append(f.name()).append(" ()");
        }
        for (Parser.Redirect r : c.redirects()) {
            sb.append(' ');
            redirect(sb, r);
        }
    }

    /** {@code print_redirection}. */
    private static void redirect(StringBuilder sb, Parser.Redirect r) {
        String op = r.op();
        String target = r.target() == null ? "" : r.target().text();
        int fd = r.fd();
        switch (op) {
            case "<" -> sb.append(fd != 0 ? fd : "").append("< ").append(target);
            case ">", ">|", ">>", "<>" -> sb.append(fd != 1 ? fd : "").append(op).append(' ').append(target);
            case ">&" -> {
                if (target.matches("[0-9]+")) {
                    sb.append(fd).append(">&").append(target);
                } else if (fd == 1) {
                    sb.append(">&").append(target);
                } else {
                    sb.append(fd).append(">&").append(target);
                }
            }
            case "<&" -> sb.append(fd == 0 ? "" : fd).append("<&").append(target);
            case "&>" -> sb.append("&> ").append(target);
            case "&>>" -> sb.append("&>> ").append(target);
            case "<<<" -> sb.append(fd != 0 ? fd : "").append("<<< ").append(target);
            default -> sb.append(op).append(' ').append(target);
        }
    }
}
