package dev.ipsim.shell.builtins;

import dev.ipsim.commands.Invocation;
import dev.ipsim.shell.ShellSession;
import dev.ipsim.shell.vfs.VirtualFs;
import java.util.ArrayList;
import java.util.List;

/**
 * bash's {@code test} and {@code [} ({@code test.c}): POSIX's rules by argument count (0 to 4),
 * then {@code ! ( ) -a -o} for longer expressions; string, integer and file tests over the
 * sandbox's file system; status 2 and bash's message for a malformed expression.
 */
final class Test {

    /** A malformed expression: bash's message after {@code test: } or {@code [: }. */
    private static final class Malformed extends Exception {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    private final ShellSession session;
    private final List<String> args;
    private int pos;

    private Test(ShellSession session, List<String> args) {
        this.session = session;
        this.args = args;
    }

    static int run(ShellSession session, Invocation inv) {
        String name = inv.argv().get(0);
        List<String> args = new ArrayList<>(inv.args());
        if (name.equals("[")) {
            if (args.isEmpty() || !args.get(args.size() - 1).equals("]")) {
                session.diagnostic(inv.err(), "[: missing `]'");
                return 2;
            }
            args.remove(args.size() - 1);
        }
        try {
            return new Test(session, args).evaluate() ? 0 : 1;
        } catch (Malformed e) {
            session.diagnostic(inv.err(), name + ": " + e.getMessage());
            return 2;
        }
    }

    private boolean evaluate() throws Malformed {
        return switch (args.size()) {
            case 0 -> false;
            case 1 -> !args.get(0).isEmpty();
            case 2 -> two(0);
            case 3 -> three(0);
            case 4 -> {
                if (args.get(0).equals("!")) {
                    yield !three(1);
                }
                if (args.get(0).equals("(") && args.get(3).equals(")")) {
                    yield two(1);
                }
                yield expression();
            }
            default -> expression();
        };
    }

    private boolean two(int at) throws Malformed {
        String a = args.get(at);
        String b = args.get(at + 1);
        if (a.equals("!")) {
            return b.isEmpty();
        }
        if (isUnary(a)) {
            return unary(a, b);
        }
        throw new Malformed(a + ": unary operator expected");
    }

    private boolean three(int at) throws Malformed {
        String a = args.get(at);
        String op = args.get(at + 1);
        String b = args.get(at + 2);
        if (isBinary(op)) {
            return binary(a, op, b);
        }
        if (op.equals("-a")) {
            return !a.isEmpty() && !b.isEmpty();
        }
        if (op.equals("-o")) {
            return !a.isEmpty() || !b.isEmpty();
        }
        if (a.equals("!")) {
            return !two(at + 1);
        }
        if (a.equals("(") && b.equals(")")) {
            return !op.isEmpty();
        }
        throw new Malformed(op + ": binary operator expected");
    }

    // the general grammar: or := and { -o and }; and := not { -a not }; not := ! not | primary

    private boolean expression() throws Malformed {
        boolean v = or();
        if (pos < args.size()) {
            throw new Malformed(args.get(pos) + ": binary operator expected");
        }
        return v;
    }

    private boolean or() throws Malformed {
        boolean v = and();
        while (pos < args.size() && args.get(pos).equals("-o")) {
            pos++;
            boolean r = and();
            v = v || r;
        }
        return v;
    }

    private boolean and() throws Malformed {
        boolean v = not();
        while (pos < args.size() && args.get(pos).equals("-a")) {
            pos++;
            boolean r = not();
            v = v && r;
        }
        return v;
    }

    private boolean not() throws Malformed {
        if (pos < args.size() && args.get(pos).equals("!")) {
            pos++;
            return !not();
        }
        return primary();
    }

    private boolean primary() throws Malformed {
        if (pos >= args.size()) {
            throw new Malformed("argument expected");
        }
        String a = args.get(pos);
        if (a.equals("(")) {
            pos++;
            boolean v = or();
            if (pos >= args.size() || !args.get(pos).equals(")")) {
                throw new Malformed("`)' expected");
            }
            pos++;
            return v;
        }
        if (pos + 2 < args.size() && isBinary(args.get(pos + 1))) {
            boolean v = binary(a, args.get(pos + 1), args.get(pos + 2));
            pos += 3;
            return v;
        }
        if (isUnary(a) && pos + 1 < args.size()) {
            boolean v = unary(a, args.get(pos + 1));
            pos += 2;
            return v;
        }
        pos++;
        return !a.isEmpty();
    }

    private static boolean isUnary(String op) {
        return op.length() == 2 && op.charAt(0) == '-' && "bcdefghknprstuwxzGLNOS".indexOf(op.charAt(1)) >= 0;
    }

    private static boolean isBinary(String op) {
        return switch (op) {
            case "=", "==", "!=", "<", ">", "-eq", "-ne", "-lt", "-le", "-gt", "-ge", "-nt", "-ot", "-ef" -> true;
            default -> false;
        };
    }

    private boolean unary(String op, String operand) {
        VirtualFs vfs = session.vfs();
        return switch (op) {
            case "-z" -> operand.isEmpty();
            case "-n" -> !operand.isEmpty();
            case "-e" -> !operand.isEmpty() && vfs.exists(operand);
            case "-d" -> !operand.isEmpty() && vfs.isDirectory(operand);
            case "-f" -> !operand.isEmpty() && vfs.exists(operand) && !vfs.isDirectory(operand);
            // the sandbox's user is root: whatever exists can be read and written
            case "-r", "-w" -> !operand.isEmpty() && vfs.exists(operand);
            case "-x" -> !operand.isEmpty() && vfs.isDirectory(operand);
            case "-s" -> {
                if (operand.isEmpty() || !vfs.exists(operand)) {
                    yield false;
                }
                if (vfs.isDirectory(operand)) {
                    yield true;
                }
                try {
                    yield !vfs.read(operand).isEmpty();
                } catch (VirtualFs.FsException e) {
                    yield false;
                }
            }
            case "-O", "-G" -> !operand.isEmpty() && vfs.exists(operand);
            default -> false;
        };
    }

    private boolean binary(String a, String op, String b) throws Malformed {
        return switch (op) {
            case "=", "==" -> a.equals(b);
            case "!=" -> !a.equals(b);
            case "<" -> a.compareTo(b) < 0;
            case ">" -> a.compareTo(b) > 0;
            case "-nt", "-ot", "-ef" -> false;
            default -> {
                long x = integer(a);
                long y = integer(b);
                yield switch (op) {
                    case "-eq" -> x == y;
                    case "-ne" -> x != y;
                    case "-lt" -> x < y;
                    case "-le" -> x <= y;
                    case "-gt" -> x > y;
                    default -> x >= y;
                };
            }
        };
    }

    private static long integer(String s) throws Malformed {
        Long v = Builtins.legalNumber(s);
        if (v == null) {
            throw new Malformed(s + ": integer expression expected");
        }
        return v;
    }
}
