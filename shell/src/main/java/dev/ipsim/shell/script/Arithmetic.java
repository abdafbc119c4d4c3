package dev.ipsim.shell.script;

import java.util.Map;

/**
 * bash's arithmetic expansion {@code $(( ))} on 64-bit integers: numbers (decimal, {@code 0x}
 * hex, leading-zero octal), variables by name (unset or empty is 0), unary {@code + - ! ~},
 * {@code ** * / % + - << >> < <= > >= == != & ^ | && ||} with C's precedence, {@code ?:},
 * parentheses, and assignment ({@code = += -= *= /= %=}) to variables.
 */
final class Arithmetic {

    /** An arithmetic error with bash's wording. */
    static final class ArithmeticError extends Exception {
        ArithmeticError(String message) {
            super(message, null, false, false);
        }
    }

    private final String src;
    private final Map<String, String> variables;
    private int pos;
    /** Where the last token read starts: bash's "error token" is the text from there on. */
    private int lastToken;

    private Arithmetic(String src, Map<String, String> variables) {
        this.src = src;
        this.variables = variables;
    }

    static long evaluate(String expression, Map<String, String> variables) throws ArithmeticError {
        Arithmetic a = new Arithmetic(expression, variables);
        a.skip();
        if (a.pos >= a.src.length()) {
            return 0;
        }
        long v = a.ternary();
        a.skip();
        if (a.pos < a.src.length()) {
            throw a.error("syntax error in expression");
        }
        return v;
    }

    private ArithmeticError error(String what) {
        String token = src.substring(Math.min(lastToken, src.length()));
        return new ArithmeticError(src.stripLeading() + ": " + what + " (error token is \"" + token + "\")");
    }

    private void skip() {
        while (pos < src.length() && Character.isWhitespace(src.charAt(pos))) {
            pos++;
        }
    }

    private boolean eat(String op) {
        skip();
        if (src.startsWith(op, pos)) {
            lastToken = pos;
            pos += op.length();
            return true;
        }
        return false;
    }

    /** Like {@link #eat} but not when the operator is the start of a longer one. */
    private boolean eatOnly(String op, String... longer) {
        skip();
        for (String l : longer) {
            if (src.startsWith(l, pos)) {
                return false;
            }
        }
        return eat(op);
    }

    private long ternary() throws ArithmeticError {
        long c = or();
        if (eat("?")) {
            long a = ternary();
            if (!eat(":")) {
                throw error("`:' expected for conditional expression");
            }
            long b = ternary();
            return c != 0 ? a : b;
        }
        return c;
    }

    private long or() throws ArithmeticError {
        long v = and();
        while (eat("||")) {
            long r = and();
            v = (v != 0 || r != 0) ? 1 : 0;
        }
        return v;
    }

    private long and() throws ArithmeticError {
        long v = bitOr();
        while (eat("&&")) {
            long r = bitOr();
            v = (v != 0 && r != 0) ? 1 : 0;
        }
        return v;
    }

    private long bitOr() throws ArithmeticError {
        long v = bitXor();
        while (eatOnly("|", "||")) {
            v |= bitXor();
        }
        return v;
    }

    private long bitXor() throws ArithmeticError {
        long v = bitAnd();
        while (eat("^")) {
            v ^= bitAnd();
        }
        return v;
    }

    private long bitAnd() throws ArithmeticError {
        long v = equality();
        while (eatOnly("&", "&&")) {
            v &= equality();
        }
        return v;
    }

    private long equality() throws ArithmeticError {
        long v = relational();
        while (true) {
            if (eat("==")) {
                v = v == relational() ? 1 : 0;
            } else if (eat("!=")) {
                v = v != relational() ? 1 : 0;
            } else {
                return v;
            }
        }
    }

    private long relational() throws ArithmeticError {
        long v = shift();
        while (true) {
            if (eat("<=")) {
                v = v <= shift() ? 1 : 0;
            } else if (eat(">=")) {
                v = v >= shift() ? 1 : 0;
            } else if (eatOnly("<", "<<")) {
                v = v < shift() ? 1 : 0;
            } else if (eatOnly(">", ">>")) {
                v = v > shift() ? 1 : 0;
            } else {
                return v;
            }
        }
    }

    private long shift() throws ArithmeticError {
        long v = additive();
        while (true) {
            if (eat("<<")) {
                v <<= additive();
            } else if (eat(">>")) {
                v >>= additive();
            } else {
                return v;
            }
        }
    }

    private long additive() throws ArithmeticError {
        long v = multiplicative();
        while (true) {
            if (eatOnly("+", "++")) {
                v += multiplicative();
            } else if (eatOnly("-", "--")) {
                v -= multiplicative();
            } else {
                return v;
            }
        }
    }

    private long multiplicative() throws ArithmeticError {
        long v = power();
        while (true) {
            if (eatOnly("*", "**")) {
                v *= power();
            } else if (eat("/")) {
                long d = power();
                if (d == 0) {
                    throw error("division by 0");
                }
                v /= d;
            } else if (eat("%")) {
                long d = power();
                if (d == 0) {
                    throw error("division by 0");
                }
                v %= d;
            } else {
                return v;
            }
        }
    }

    private long power() throws ArithmeticError {
        long base = unary();
        if (eat("**")) {
            long exp = power();
            if (exp < 0) {
                throw error("exponent less than 0");
            }
            long r = 1;
            for (long i = 0; i < exp; i++) {
                r *= base;
            }
            return r;
        }
        return base;
    }

    private long unary() throws ArithmeticError {
        if (eat("!")) {
            return unary() == 0 ? 1 : 0;
        }
        if (eat("~")) {
            return ~unary();
        }
        if (eatOnly("-", "--")) {
            return -unary();
        }
        if (eatOnly("+", "++")) {
            return unary();
        }
        return primary();
    }

    private long primary() throws ArithmeticError {
        skip();
        if (eat("(")) {
            long v = ternary();
            if (!eat(")")) {
                throw error("missing `)'");
            }
            return v;
        }
        int start = pos;
        if (pos < src.length()) {
            lastToken = pos;
        }
        if (pos < src.length() && Character.isDigit(src.charAt(pos))) {
            while (pos < src.length() && Character.isLetterOrDigit(src.charAt(pos))) {
                pos++;
            }
            return number(src.substring(start, pos));
        }
        if (pos < src.length() && (Character.isLetter(src.charAt(pos)) || src.charAt(pos) == '_')) {
            while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_')) {
                pos++;
            }
            String name = src.substring(start, pos);
            for (String op : new String[] {"+=", "-=", "*=", "/=", "%=", "="}) {
                if (op.equals("=") ? eatOnly("=", "==") : eat(op)) {
                    long rhs = ternary();
                    long old = op.equals("=") ? 0 : value(name);
                    long v = switch (op) {
                        case "+=" -> old + rhs;
                        case "-=" -> old - rhs;
                        case "*=" -> old * rhs;
                        case "/=", "%=" -> {
                            if (rhs == 0) {
                                throw error("division by 0");
                            }
                            yield op.equals("/=") ? old / rhs : old % rhs;
                        }
                        default -> rhs;
                    };
                    variables.put(name, Long.toString(v));
                    return v;
                }
            }
            return value(name);
        }
        throw error("syntax error: operand expected");
    }

    private long value(String name) throws ArithmeticError {
        String value = variables.getOrDefault(name, "").strip();
        if (value.isEmpty()) {
            return 0;
        }
        return evaluate(value, variables);
    }

    private long number(String text) throws ArithmeticError {
        try {
            if (text.startsWith("0x") || text.startsWith("0X")) {
                return Long.parseUnsignedLong(text.substring(2), 16);
            }
            if (text.length() > 1 && text.startsWith("0")) {
                return Long.parseLong(text.substring(1), 8);
            }
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            pos -= text.length();
            throw new ArithmeticError(text + ": value too great for base (error token is \"" + text + "\")");
        }
    }
}
