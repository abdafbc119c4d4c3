package dev.ipsim.shell.builtins;

import dev.ipsim.commands.Invocation;
import dev.ipsim.shell.ShellSession;
import dev.ipsim.shell.vfs.VirtualFs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Debian's {@code awk}, mawk 1.3.4: {@code -F FS}, {@code -v VAR=VALUE}, a program of
 * {@code BEGIN}, {@code END}, regular-expression, expression and range patterns with actions
 * ({@code print}, {@code printf}, assignments, {@code if}/{@code while}/{@code for}/
 * {@code for (k in a)}, {@code next}, {@code exit}, {@code delete}), fields ({@code $0},
 * {@code $NF}, assignment rebuilds the record with OFS), NR, NF, FNR, FS, OFS, ORS, FILENAME,
 * associative arrays, and the string and number functions tutorials use; numbers print as
 * integers when they are whole and by {@code %.6g} otherwise. Syntax errors are mawk's
 * "syntax error at or near" lines, exit status 2.
 */
final class Awk {

    private Awk() {
    }

    // ------------------------------------------------------------------ values

    /** An awk value: a number, a string, or a string from input that looks like a number. */
    private record Val(String s, double n, int kind) {
        static final int NUM = 0;
        static final int STR = 1;
        static final int STRNUM = 2;

        static Val num(double d) {
            return new Val(null, d, NUM);
        }

        static Val str(String s) {
            return new Val(s, 0, STR);
        }

        /** Input (fields, -v values, split pieces): numeric if it looks like a number. */
        static Val input(String s) {
            String t = s.trim();
            if (!t.isEmpty() && NUMERIC.matcher(t).matches()) {
                return new Val(s, Double.parseDouble(t), STRNUM);
            }
            return new Val(s, 0, STR);
        }

        boolean numeric() {
            return kind != STR;
        }
    }

    private static final Pattern NUMERIC = Pattern.compile("[+-]?(\\d+\\.?\\d*([eE][+-]?\\d+)?|\\.\\d+([eE][+-]?\\d+)?)");
    private static final Pattern LEADING_NUMBER =
            Pattern.compile("^\\s*[+-]?(\\d+\\.?\\d*([eE][+-]?\\d+)?|\\.\\d+([eE][+-]?\\d+)?)");

    static String numberToString(double d, String fmt) {
        if (d == Math.rint(d) && Math.abs(d) < 1e16) {
            return Long.toString((long) d);
        }
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        return new Format(fmt, List.of(Val.num(d))).run();
    }

    // ------------------------------------------------------------------ lexer

    private enum T { NUM, STR, ERE, NAME, FUNC, BUILTIN, KEYWORD, OP, NEWLINE, EOF }

    private record Tok(T type, String text, int line) {
    }

    private static final java.util.Set<String> KEYWORDS = java.util.Set.of("BEGIN", "END", "print", "printf",
            "if", "else", "while", "for", "do", "in", "next", "exit", "delete", "break", "continue", "getline",
            "function", "return", "nextfile");
    private static final java.util.Set<String> BUILTINS = java.util.Set.of("length", "substr", "index", "split",
            "sub", "gsub", "match", "sprintf", "tolower", "toupper", "int", "sqrt", "exp", "log", "sin", "cos",
            "atan2", "rand", "srand", "system");

    private static final class SyntaxError extends Exception {
        SyntaxError(String message) {
            super(message);
        }
    }

    private static List<Tok> lex(String src) throws SyntaxError {
        List<Tok> out = new ArrayList<>();
        int i = 0;
        int line = 1;
        while (i < src.length()) {
            char c = src.charAt(i);
            if (c == '\\' && i + 1 < src.length() && src.charAt(i + 1) == '\n') {
                i += 2;
                line++;
                continue;
            }
            if (c == ' ' || c == '\t' || c == '\r') {
                i++;
                continue;
            }
            if (c == '#') {
                while (i < src.length() && src.charAt(i) != '\n') {
                    i++;
                }
                continue;
            }
            if (c == '\n') {
                out.add(new Tok(T.NEWLINE, "\n", line++));
                i++;
                continue;
            }
            if (Character.isDigit(c) || c == '.' && i + 1 < src.length() && Character.isDigit(src.charAt(i + 1))) {
                Matcher m = LEADING_NUMBER.matcher(src.substring(i));
                m.find();
                out.add(new Tok(T.NUM, m.group().trim(), line));
                i += m.end();
                continue;
            }
            if (Character.isLetter(c) || c == '_') {
                int s = i;
                while (i < src.length() && (Character.isLetterOrDigit(src.charAt(i)) || src.charAt(i) == '_')) {
                    i++;
                }
                String w = src.substring(s, i);
                T t = KEYWORDS.contains(w) ? T.KEYWORD : BUILTINS.contains(w) ? T.BUILTIN : T.NAME;
                if (t == T.NAME && i < src.length() && src.charAt(i) == '(') {
                    t = T.FUNC;
                }
                out.add(new Tok(t, w, line));
                continue;
            }
            if (c == '"') {
                StringBuilder sb = new StringBuilder();
                i++;
                while (i < src.length() && src.charAt(i) != '"') {
                    char ch = src.charAt(i);
                    if (ch == '\n') {
                        throw new SyntaxError("runaway string constant \"" + sb + " ...");
                    }
                    if (ch == '\\' && i + 1 < src.length()) {
                        char n = src.charAt(++i);
                        switch (n) {
                            case 'n' -> sb.append('\n');
                            case 't' -> sb.append('\t');
                            case 'r' -> sb.append('\r');
                            case '\\' -> sb.append('\\');
                            case '"' -> sb.append('"');
                            case '/' -> sb.append('/');
                            case 'a' -> sb.append('\007');
                            case 'b' -> sb.append('\b');
                            case 'f' -> sb.append('\f');
                            case 'v' -> sb.append('\013');
                            default -> sb.append('\\').append(n);
                        }
                    } else {
                        sb.append(ch);
                    }
                    i++;
                }
                if (i >= src.length()) {
                    throw new SyntaxError("runaway string constant \"" + sb + " ...");
                }
                i++;
                out.add(new Tok(T.STR, sb.toString(), line));
                continue;
            }
            if (c == '/' && regexAllowed(out)) {
                StringBuilder sb = new StringBuilder();
                i++;
                boolean inBracket = false;
                while (i < src.length() && (src.charAt(i) != '/' || inBracket)) {
                    char ch = src.charAt(i);
                    if (ch == '\n') {
                        throw new SyntaxError("runaway regular expression /" + sb + " ...");
                    }
                    if (ch == '\\' && i + 1 < src.length()) {
                        if (src.charAt(i + 1) == '/') {
                            sb.append('/');
                        } else {
                            sb.append(ch).append(src.charAt(i + 1));
                        }
                        i += 2;
                        continue;
                    }
                    if (ch == '[') {
                        inBracket = true;
                    } else if (ch == ']') {
                        inBracket = false;
                    }
                    sb.append(ch);
                    i++;
                }
                if (i >= src.length()) {
                    throw new SyntaxError("runaway regular expression /" + sb + " ...");
                }
                i++;
                out.add(new Tok(T.ERE, sb.toString(), line));
                continue;
            }
            String[] ops = {"+=", "-=", "*=", "/=", "%=", "^=", "==", "<=", ">=", "!=", "++", "--", "&&", "||",
                ">>", "!~", "**"};
            String op = null;
            for (String o : ops) {
                if (src.startsWith(o, i)) {
                    op = o;
                    break;
                }
            }
            if (op == null) {
                if ("{}()[];,+-*/%^!<>|?:~$=".indexOf(c) < 0) {
                    throw new SyntaxError("syntax error at or near " + c);
                }
                op = String.valueOf(c);
            }
            if (op.equals("**")) {
                op = "^";
            }
            out.add(new Tok(T.OP, op, line));
            i += op.equals("^") && src.startsWith("**", i) ? 2 : op.length();
        }
        out.add(new Tok(T.EOF, "end of file", line));
        return out;
    }

    private static boolean regexAllowed(List<Tok> out) {
        if (out.isEmpty()) {
            return true;
        }
        Tok t = out.get(out.size() - 1);
        return switch (t.type()) {
            case NUM, STR, ERE, NAME, BUILTIN -> false;
            case OP -> !t.text().equals(")") && !t.text().equals("]") && !t.text().equals("$")
                    && !t.text().equals("++") && !t.text().equals("--");
            default -> true;
        };
    }

    // ------------------------------------------------------------------ syntax tree

    private interface Expr {
    }

    private record Num(double v) implements Expr {
    }

    private record Str(String v) implements Expr {
    }

    private record Re(Pattern p) implements Expr {
    }

    private record Var(String name) implements Expr {
    }

    private record Field(Expr index) implements Expr {
    }

    private record Elem(String array, List<Expr> keys) implements Expr {
    }

    private record Assign(Expr target, String op, Expr value) implements Expr {
    }

    private record Cond(Expr test, Expr yes, Expr no) implements Expr {
    }

    private record Bin(String op, Expr l, Expr r) implements Expr {
    }

    private record Unary(String op, Expr e) implements Expr {
    }

    private record IncDec(Expr target, boolean inc, boolean prefix) implements Expr {
    }

    private record In(List<Expr> keys, String array) implements Expr {
    }

    private record Call(String name, List<Expr> args) implements Expr {
    }

    private record Group(Expr e) implements Expr {
    }

    private interface Stmt {
    }

    private record Print(List<Expr> args, boolean printf, String redirect, Expr target) implements Stmt {
    }

    private record ExprStmt(Expr e) implements Stmt {
    }

    private record If(Expr test, Stmt yes, Stmt no) implements Stmt {
    }

    private record While(Expr test, Stmt body, boolean doWhile) implements Stmt {
    }

    private record For(Stmt init, Expr test, Stmt step, Stmt body) implements Stmt {
    }

    private record ForIn(String var, String array, Stmt body) implements Stmt {
    }

    private record Block(List<Stmt> body) implements Stmt {
    }

    private record Simple(String what, Expr value) implements Stmt {
    }

    private record Delete(String array, List<Expr> keys) implements Stmt {
    }

    private static final class Rule {
        String special;
        Expr pattern;
        Expr rangeEnd;
        boolean inRange;
        Block action;
    }

    // ------------------------------------------------------------------ parser

    private static final class Parser {
        final List<Tok> toks;
        int p;
        boolean noGt;
        boolean noIn;

        Parser(List<Tok> toks) {
            this.toks = toks;
        }

        Tok peek() {
            return toks.get(p);
        }

        boolean isOp(String s) {
            Tok t = peek();
            return t.type() == T.OP && t.text().equals(s);
        }

        boolean isKw(String s) {
            Tok t = peek();
            return t.type() == T.KEYWORD && t.text().equals(s);
        }

        SyntaxError error() {
            Tok t = peek();
            String near = t.type() == T.NEWLINE ? "end of line" : t.type() == T.STR ? "\"" + t.text() + "\""
                    : t.type() == T.ERE ? "/" + t.text() + "/" : t.text();
            return new SyntaxError("line " + t.line() + ": syntax error at or near " + near);
        }

        void expect(String op) throws SyntaxError {
            if (!isOp(op)) {
                throw error();
            }
            p++;
        }

        void newlines() {
            while (peek().type() == T.NEWLINE) {
                p++;
            }
        }

        void terminators() {
            while (peek().type() == T.NEWLINE || isOp(";")) {
                p++;
            }
        }

        List<Rule> program() throws SyntaxError {
            List<Rule> rules = new ArrayList<>();
            terminators();
            while (peek().type() != T.EOF) {
                Rule r = new Rule();
                if (isKw("BEGIN") || isKw("END")) {
                    r.special = peek().text();
                    p++;
                    if (!isOp("{")) {
                        throw error();
                    }
                } else if (isKw("function")) {
                    throw error();
                } else if (!isOp("{")) {
                    r.pattern = expr();
                    if (isOp(",")) {
                        p++;
                        newlines();
                        r.rangeEnd = expr();
                    }
                }
                if (isOp("{")) {
                    r.action = block();
                }
                rules.add(r);
                terminators();
            }
            return rules;
        }

        Block block() throws SyntaxError {
            expect("{");
            List<Stmt> body = new ArrayList<>();
            terminators();
            while (!isOp("}")) {
                if (peek().type() == T.EOF) {
                    throw new SyntaxError("line " + (peek().line() + 1) + ": missing } near end of file");
                }
                body.add(statement());
                terminators();
            }
            p++;
            return new Block(body);
        }

        Stmt simpleOrBlock() throws SyntaxError {
            newlines();
            if (isOp(";")) {
                p++;
                return new Block(List.of());
            }
            return statement();
        }

        Stmt statement() throws SyntaxError {
            if (isOp("{")) {
                return block();
            }
            if (isKw("if")) {
                p++;
                expect("(");
                Expr test = expr();
                expect(")");
                Stmt yes = simpleOrBlock();
                int save = p;
                terminators();
                if (isKw("else")) {
                    p++;
                    return new If(test, yes, simpleOrBlock());
                }
                p = save;
                return new If(test, yes, null);
            }
            if (isKw("while")) {
                p++;
                expect("(");
                Expr test = expr();
                expect(")");
                if (isOp(";")) {
                    p++;
                    return new While(test, new Block(List.of()), false);
                }
                return new While(test, simpleOrBlock(), false);
            }
            if (isKw("do")) {
                p++;
                Stmt body = simpleOrBlock();
                terminators();
                if (!isKw("while")) {
                    throw error();
                }
                p++;
                expect("(");
                Expr test = expr();
                expect(")");
                return new While(test, body, true);
            }
            if (isKw("for")) {
                p++;
                expect("(");
                if (peek().type() == T.NAME && toks.get(p + 1).type() == T.KEYWORD
                        && toks.get(p + 1).text().equals("in") && toks.get(p + 2).type() == T.NAME
                        && toks.get(p + 3).type() == T.OP && toks.get(p + 3).text().equals(")")) {
                    String var = peek().text();
                    String array = toks.get(p + 2).text();
                    p += 4;
                    return new ForIn(var, array, simpleOrBlock());
                }
                Stmt init = isOp(";") ? null : simple();
                expect(";");
                newlines();
                Expr test = isOp(";") ? null : expr();
                expect(";");
                newlines();
                Stmt step = isOp(")") ? null : simple();
                expect(")");
                if (isOp(";")) {
                    p++;
                    return new For(init, test, step, new Block(List.of()));
                }
                return new For(init, test, step, simpleOrBlock());
            }
            if (isOp(";")) {
                p++;
                return new Block(List.of());
            }
            Stmt s = simple();
            if (!isOp(";") && !isOp("}") && peek().type() != T.NEWLINE && peek().type() != T.EOF) {
                throw error();
            }
            return s;
        }

        Stmt simple() throws SyntaxError {
            if (isKw("print") || isKw("printf")) {
                boolean printf = peek().text().equals("printf");
                p++;
                List<Expr> args = new ArrayList<>();
                boolean saved = noGt;
                noGt = true;
                if (!isOp(";") && !isOp("}") && !isOp(">") && !isOp(">>") && !isOp("|")
                        && peek().type() != T.NEWLINE && peek().type() != T.EOF) {
                    if (isOp("(")) {
                        // print (a, b) or print (a) b
                        int save = p;
                        p++;
                        noGt = false;
                        List<Expr> inner = new ArrayList<>();
                        inner.add(expr());
                        while (isOp(",")) {
                            p++;
                            newlines();
                            inner.add(expr());
                        }
                        noGt = true;
                        if (isOp(")") && (toks.get(p + 1).type() == T.NEWLINE || toks.get(p + 1).type() == T.EOF
                                || toks.get(p + 1).type() == T.OP && ";}>|".contains(toks.get(p + 1).text())
                                || toks.get(p + 1).text().equals(">>"))) {
                            p++;
                            args.addAll(inner);
                        } else {
                            p = save;
                            exprList(args);
                        }
                    } else {
                        exprList(args);
                    }
                }
                noGt = saved;
                if (printf && args.isEmpty()) {
                    throw error();
                }
                String redirect = null;
                Expr target = null;
                if (isOp(">") || isOp(">>") || isOp("|")) {
                    redirect = peek().text();
                    p++;
                    target = concat();
                }
                return new Print(args, printf, redirect, target);
            }
            if (isKw("next") || isKw("nextfile") || isKw("break") || isKw("continue")) {
                String w = peek().text();
                p++;
                return new Simple(w, null);
            }
            if (isKw("exit") || isKw("return")) {
                String w = peek().text();
                p++;
                Expr v = null;
                if (!isOp(";") && !isOp("}") && peek().type() != T.NEWLINE && peek().type() != T.EOF) {
                    v = expr();
                }
                return new Simple(w, v);
            }
            if (isKw("delete")) {
                p++;
                if (peek().type() != T.NAME) {
                    throw error();
                }
                String name = peek().text();
                p++;
                List<Expr> keys = null;
                if (isOp("[")) {
                    p++;
                    keys = new ArrayList<>();
                    exprList(keys);
                    expect("]");
                }
                return new Delete(name, keys);
            }
            return new ExprStmt(expr());
        }

        void exprList(List<Expr> into) throws SyntaxError {
            into.add(expr());
            while (isOp(",")) {
                p++;
                newlines();
                into.add(expr());
            }
        }

        Expr expr() throws SyntaxError {
            return ternary();
        }

        Expr ternary() throws SyntaxError {
            Expr c = or();
            if (isOp("?")) {
                p++;
                newlines();
                Expr yes = ternary();
                newlines();
                expect(":");
                newlines();
                Expr no = ternary();
                return new Cond(c, yes, no);
            }
            if (peek().type() == T.OP && List.of("=", "+=", "-=", "*=", "/=", "%=", "^=").contains(peek().text())) {
                if (!(c instanceof Var || c instanceof Field || c instanceof Elem)) {
                    throw error();
                }
                String op = peek().text();
                p++;
                newlines();
                return new Assign(c, op, ternary());
            }
            return c;
        }

        Expr or() throws SyntaxError {
            Expr l = and();
            while (isOp("||")) {
                p++;
                newlines();
                l = new Bin("||", l, and());
            }
            return l;
        }

        Expr and() throws SyntaxError {
            Expr l = in();
            while (isOp("&&")) {
                p++;
                newlines();
                l = new Bin("&&", l, in());
            }
            return l;
        }

        Expr in() throws SyntaxError {
            Expr l = match();
            while (!noIn && isKw("in")) {
                p++;
                if (peek().type() != T.NAME) {
                    throw error();
                }
                List<Expr> keys = l instanceof Group g && false ? List.of(g) : List.of(l);
                l = new In(keys, peek().text());
                p++;
            }
            return l;
        }

        Expr match() throws SyntaxError {
            Expr l = comparison();
            while (isOp("~") || isOp("!~")) {
                String op = peek().text();
                p++;
                l = new Bin(op, l, comparison());
            }
            return l;
        }

        Expr comparison() throws SyntaxError {
            Expr l = concat();
            if (peek().type() == T.OP && List.of("<", "<=", "==", "!=", ">=").contains(peek().text())
                    || isOp(">") && !noGt) {
                String op = peek().text();
                p++;
                return new Bin(op, l, concat());
            }
            return l;
        }

        boolean startsOperand() {
            Tok t = peek();
            return switch (t.type()) {
                case NUM, STR, ERE, NAME, FUNC, BUILTIN -> true;
                case OP -> List.of("$", "!", "(", "-", "+", "++", "--").contains(t.text());
                default -> false;
            };
        }

        Expr concat() throws SyntaxError {
            Expr l = additive();
            while (startsOperand() && !isKw("in")) {
                l = new Bin("concat", l, additive());
            }
            return l;
        }

        Expr additive() throws SyntaxError {
            Expr l = multiplicative();
            while (isOp("+") || isOp("-")) {
                String op = peek().text();
                p++;
                l = new Bin(op, l, multiplicative());
            }
            return l;
        }

        Expr multiplicative() throws SyntaxError {
            Expr l = unary();
            while (isOp("*") || isOp("/") || isOp("%")) {
                String op = peek().text();
                p++;
                l = new Bin(op, l, unary());
            }
            return l;
        }

        Expr unary() throws SyntaxError {
            if (isOp("!") || isOp("-") || isOp("+")) {
                String op = peek().text();
                p++;
                return new Unary(op, unary());
            }
            return power();
        }

        Expr power() throws SyntaxError {
            Expr base = postfix();
            if (isOp("^")) {
                p++;
                return new Bin("^", base, unaryPower());
            }
            return base;
        }

        Expr unaryPower() throws SyntaxError {
            if (isOp("-") || isOp("+") || isOp("!")) {
                String op = peek().text();
                p++;
                return new Unary(op, unaryPower());
            }
            return power();
        }

        Expr postfix() throws SyntaxError {
            if (isOp("++") || isOp("--")) {
                boolean inc = peek().text().equals("++");
                p++;
                Expr target = primary();
                return new IncDec(target, inc, true);
            }
            Expr e = primary();
            if ((e instanceof Var || e instanceof Field || e instanceof Elem) && (isOp("++") || isOp("--"))) {
                boolean inc = peek().text().equals("++");
                p++;
                return new IncDec(e, inc, false);
            }
            return e;
        }

        Expr primary() throws SyntaxError {
            Tok t = peek();
            switch (t.type()) {
                case NUM -> {
                    p++;
                    return new Num(Double.parseDouble(t.text()));
                }
                case STR -> {
                    p++;
                    return new Str(t.text());
                }
                case ERE -> {
                    p++;
                    return new Re(regex(t.text()));
                }
                case NAME -> {
                    p++;
                    if (isOp("[")) {
                        p++;
                        List<Expr> keys = new ArrayList<>();
                        boolean saved = noGt;
                        noGt = false;
                        exprList(keys);
                        noGt = saved;
                        expect("]");
                        return new Elem(t.text(), keys);
                    }
                    return new Var(t.text());
                }
                case BUILTIN, FUNC -> {
                    p++;
                    List<Expr> args = new ArrayList<>();
                    if (isOp("(")) {
                        p++;
                        boolean saved = noGt;
                        noGt = false;
                        if (!isOp(")")) {
                            exprList(args);
                        }
                        noGt = saved;
                        expect(")");
                    } else if (!t.text().equals("length")) {
                        throw error();
                    }
                    return new Call(t.text(), args);
                }
                case OP -> {
                    if (t.text().equals("$")) {
                        p++;
                        if (isOp("++") || isOp("--")) {
                            return new Field(postfix());
                        }
                        if (isOp("-")) {
                            p++;
                            return new Field(new Unary("-", primary()));
                        }
                        return new Field(primary());
                    }
                    if (t.text().equals("(")) {
                        p++;
                        boolean saved = noGt;
                        boolean savedIn = noIn;
                        noGt = false;
                        noIn = false;
                        Expr e = expr();
                        if (isOp(",")) {
                            List<Expr> keys = new ArrayList<>();
                            keys.add(e);
                            while (isOp(",")) {
                                p++;
                                keys.add(expr());
                            }
                            expect(")");
                            if (!isKw("in")) {
                                throw error();
                            }
                            p++;
                            String array = peek().text();
                            p++;
                            noGt = saved;
                            noIn = savedIn;
                            return new In(keys, array);
                        }
                        noGt = saved;
                        noIn = savedIn;
                        expect(")");
                        return new Group(e);
                    }
                    throw error();
                }
                default -> throw error();
            }
        }

        Pattern regex(String re) throws SyntaxError {
            try {
                return Pattern.compile(PosixRegex.toJava(re, true));
            } catch (PatternSyntaxException e) {
                throw new SyntaxError("regular expression compile failed (missing operand)\n" + re);
            }
        }
    }

    // ------------------------------------------------------------------ interpreter

    private static final class Exit extends RuntimeException {
        Exit() {
            super(null, null, false, false);
        }
    }

    private static final class Next extends RuntimeException {
        Next() {
            super(null, null, false, false);
        }
    }

    private static final class LoopControl extends RuntimeException {
        final boolean isBreak;

        LoopControl(boolean isBreak) {
            super(null, null, false, false);
            this.isBreak = isBreak;
        }
    }

    private static final class Fatal extends RuntimeException {
        Fatal(String message) {
            super(message, null, false, false);
        }
    }

    private static final class Machine {
        final Map<String, Val> vars = new HashMap<>();
        final Map<String, Map<String, Val>> arrays = new HashMap<>();
        /** Everything printed, in order: to stdout (a null file) or to a file ({@code print > FILE}). */
        final List<String[]> printed = new ArrayList<>();
        /** The files opened for writing so far, and whether for appending. */
        final Map<String, Boolean> opened = new LinkedHashMap<>();

        void emit(String file, String text, boolean append) {
            if (file != null) {
                opened.putIfAbsent(file, append);
            }
            printed.add(new String[] {file, text});
        }

        /** Writes what was printed: stdout, /dev/stderr, the sandbox's files. */
        void flushTo(ShellSession session, Invocation inv) {
            Map<String, StringBuilder> contents = new LinkedHashMap<>();
            for (String[] p : printed) {
                if (p[0] == null) {
                    inv.out().print(p[1]);
                } else if (p[0].equals("/dev/stderr")) {
                    inv.out().flush();
                    inv.err().print(p[1]);
                } else {
                    contents.computeIfAbsent(p[0], k -> new StringBuilder()).append(p[1]);
                }
            }
            printed.clear();
            for (Map.Entry<String, StringBuilder> e : contents.entrySet()) {
                try {
                    String old = "";
                    if (opened.get(e.getKey())) {
                        try {
                            old = session.vfs().read(e.getKey());
                        } catch (VirtualFs.FsException ignored) {
                            old = "";
                        }
                    }
                    session.vfs().replace(e.getKey(), old + e.getValue());
                    opened.put(e.getKey(), true);
                } catch (VirtualFs.FsException ex) {
                    inv.err().print("awk: cannot open \"" + e.getKey() + "\" for output\n");
                }
            }
        }
        final Map<String, Pattern> dynamic = new HashMap<>();
        String record = "";
        List<String> fields = new ArrayList<>();
        boolean fieldsValid;
        int exitStatus;
        java.util.Random random = new java.util.Random(0);

        Machine() {
            vars.put("FS", Val.str(" "));
            vars.put("OFS", Val.str(" "));
            vars.put("ORS", Val.str("\n"));
            vars.put("RS", Val.str("\n"));
            vars.put("NR", Val.num(0));
            vars.put("NF", Val.num(0));
            vars.put("FNR", Val.num(0));
            vars.put("FILENAME", Val.str(""));
            vars.put("SUBSEP", Val.str("\034"));
            vars.put("OFMT", Val.str("%.6g"));
            vars.put("CONVFMT", Val.str("%.6g"));
            vars.put("RSTART", Val.num(0));
            vars.put("RLENGTH", Val.num(-1));
        }

        String str(Val v) {
            if (v.kind() != Val.NUM) {
                return v.s();
            }
            return numberToString(v.n(), str(vars.get("CONVFMT")));
        }

        String outStr(Val v) {
            if (v.kind() != Val.NUM) {
                return v.s();
            }
            return numberToString(v.n(), str(vars.get("OFMT")));
        }

        double num(Val v) {
            if (v.kind() != Val.STR) {
                return v.n();
            }
            Matcher m = LEADING_NUMBER.matcher(v.s());
            if (m.find()) {
                return Double.parseDouble(m.group().trim());
            }
            return 0;
        }

        boolean truth(Val v) {
            if (v.kind() == Val.NUM) {
                return v.n() != 0;
            }
            if (v.kind() == Val.STRNUM) {
                return v.n() != 0;
            }
            return !v.s().isEmpty();
        }

        void setRecord(String r) {
            record = r;
            fieldsValid = false;
            split();
        }

        void split() {
            fields = splitWith(record, str(vars.get("FS")));
            fieldsValid = true;
            vars.put("NF", Val.num(fields.size()));
        }

        List<String> splitWith(String s, String fs) {
            List<String> out = new ArrayList<>();
            if (fs.equals(" ")) {
                for (String f : s.trim().split("[ \t\n]+")) {
                    if (!f.isEmpty()) {
                        out.add(f);
                    }
                }
                return out;
            }
            if (s.isEmpty()) {
                return out;
            }
            Pattern p;
            if (fs.length() == 1 && fs.charAt(0) != '\\') {
                p = Pattern.compile(Pattern.quote(fs));
            } else if (fs.equals("\\t")) {
                p = Pattern.compile("\t");
            } else {
                p = regex(fs);
            }
            String[] parts = p.split(s, -1);
            java.util.Collections.addAll(out, parts);
            return out;
        }

        Pattern regex(String re) {
            return dynamic.computeIfAbsent(re, k -> {
                try {
                    return Pattern.compile(PosixRegex.toJava(k, true));
                } catch (PatternSyntaxException e) {
                    throw new Fatal("regular expression compile failed (missing operand)\n" + k);
                }
            });
        }

        Val field(int i) {
            if (i < 0) {
                throw new Fatal("negative field index $" + i);
            }
            if (i == 0) {
                return Val.input(record);
            }
            if (i > fields.size()) {
                return Val.input("");
            }
            return Val.input(fields.get(i - 1));
        }

        void setField(int i, String value) {
            if (i == 0) {
                setRecord(value);
                return;
            }
            while (fields.size() < i) {
                fields.add("");
            }
            fields.set(i - 1, value);
            vars.put("NF", Val.num(fields.size()));
            record = String.join(str(vars.get("OFS")), fields);
        }

        Val get(Expr target) {
            return eval(target);
        }

        void set(Expr target, Val v) {
            if (target instanceof Var var) {
                if (arrays.containsKey(var.name())) {
                    throw new Fatal("can't assign to " + var.name() + "; it's an array name.");
                }
                vars.put(var.name(), v);
                if (var.name().equals("NF")) {
                    int nf = (int) num(v);
                    while (fields.size() > nf) {
                        fields.remove(fields.size() - 1);
                    }
                    while (fields.size() < nf) {
                        fields.add("");
                    }
                    record = String.join(str(vars.get("OFS")), fields);
                }
            } else if (target instanceof Field f) {
                setField((int) num(eval(f.index())), str(v));
            } else if (target instanceof Elem e) {
                array(e.array()).put(key(e.keys()), v);
            } else if (target instanceof Group g) {
                set(g.e(), v);
            }
        }

        Map<String, Val> array(String name) {
            if (vars.containsKey(name) && !isSpecial(name)) {
                throw new Fatal("type clash or keyword " + name);
            }
            return arrays.computeIfAbsent(name, k -> new LinkedHashMap<>());
        }

        boolean isSpecial(String name) {
            return false;
        }

        String key(List<Expr> keys) {
            StringBuilder sb = new StringBuilder();
            for (int k = 0; k < keys.size(); k++) {
                if (k > 0) {
                    sb.append(str(vars.get("SUBSEP")));
                }
                sb.append(str(eval(keys.get(k))));
            }
            return sb.toString();
        }

        Val eval(Expr e) {
            if (e instanceof Num n) {
                return Val.num(n.v());
            }
            if (e instanceof Str s) {
                return Val.str(s.v());
            }
            if (e instanceof Re r) {
                return Val.num(r.p().matcher(record).find() ? 1 : 0);
            }
            if (e instanceof Group g) {
                return eval(g.e());
            }
            if (e instanceof Var v) {
                Val val = vars.get(v.name());
                if (val == null) {
                    if (arrays.containsKey(v.name())) {
                        throw new Fatal("type error in arg(1) in call to " + v.name());
                    }
                    return new Val("", 0, Val.STRNUM);
                }
                return val;
            }
            if (e instanceof Field f) {
                return field((int) num(eval(f.index())));
            }
            if (e instanceof Elem el) {
                Map<String, Val> a = array(el.array());
                String k = key(el.keys());
                return a.computeIfAbsent(k, x -> new Val("", 0, Val.STRNUM));
            }
            if (e instanceof In in) {
                return Val.num(array(in.array()).containsKey(key(in.keys())) ? 1 : 0);
            }
            if (e instanceof Assign a) {
                Val v = eval(a.value());
                if (!a.op().equals("=")) {
                    double l = num(get(a.target()));
                    double r = num(v);
                    v = Val.num(arith(a.op().substring(0, 1), l, r));
                } else if (v.kind() == Val.STRNUM) {
                    v = new Val(v.s(), v.n(), Val.STRNUM);
                }
                set(a.target(), v);
                return v;
            }
            if (e instanceof IncDec id) {
                double old = num(get(id.target()));
                double now = id.inc() ? old + 1 : old - 1;
                set(id.target(), Val.num(now));
                return Val.num(id.prefix() ? now : old);
            }
            if (e instanceof Cond c) {
                return truth(eval(c.test())) ? eval(c.yes()) : eval(c.no());
            }
            if (e instanceof Unary u) {
                Val v = eval(u.e());
                return switch (u.op()) {
                    case "!" -> Val.num(truth(v) ? 0 : 1);
                    case "-" -> Val.num(-num(v));
                    default -> Val.num(num(v));
                };
            }
            if (e instanceof Bin b) {
                return binary(b);
            }
            if (e instanceof Call c) {
                return call(c);
            }
            throw new Fatal("internal error");
        }

        double arith(String op, double l, double r) {
            return switch (op) {
                case "+" -> l + r;
                case "-" -> l - r;
                case "*" -> l * r;
                case "/" -> {
                    if (r == 0) {
                        throw new Fatal("division by zero");
                    }
                    yield l / r;
                }
                case "%" -> {
                    if (r == 0) {
                        throw new Fatal("division by zero in %");
                    }
                    yield l % r;
                }
                default -> Math.pow(l, r);
            };
        }

        Val binary(Bin b) {
            switch (b.op()) {
                case "&&" -> {
                    return Val.num(truth(eval(b.l())) && truth(eval(b.r())) ? 1 : 0);
                }
                case "||" -> {
                    return Val.num(truth(eval(b.l())) || truth(eval(b.r())) ? 1 : 0);
                }
                case "~", "!~" -> {
                    Val l = eval(b.l());
                    Pattern p = b.r() instanceof Re r ? r.p() : regex(str(eval(b.r())));
                    boolean m = p.matcher(str(l)).find();
                    return Val.num(m == b.op().equals("~") ? 1 : 0);
                }
                case "concat" -> {
                    return Val.str(str(eval(b.l())) + str(eval(b.r())));
                }
                case "<", "<=", "==", "!=", ">", ">=" -> {
                    Val l = eval(b.l());
                    Val r = eval(b.r());
                    int c;
                    if (l.numeric() && r.numeric()) {
                        c = Double.compare(num(l), num(r));
                    } else {
                        c = str(l).compareTo(str(r));
                    }
                    boolean res = switch (b.op()) {
                        case "<" -> c < 0;
                        case "<=" -> c <= 0;
                        case "==" -> c == 0;
                        case "!=" -> c != 0;
                        case ">" -> c > 0;
                        default -> c >= 0;
                    };
                    return Val.num(res ? 1 : 0);
                }
                default -> {
                    double l = num(eval(b.l()));
                    double r = num(eval(b.r()));
                    return Val.num(arith(b.op(), l, r));
                }
            }
        }

        Val call(Call c) {
            List<Expr> a = c.args();
            switch (c.name()) {
                case "length" -> {
                    if (a.isEmpty()) {
                        return Val.num(record.length());
                    }
                    if (a.get(0) instanceof Var v && arrays.containsKey(v.name())) {
                        return Val.num(arrays.get(v.name()).size());
                    }
                    return Val.num(str(eval(a.get(0))).length());
                }
                case "substr" -> {
                    String s = str(eval(a.get(0)));
                    double m = Math.rint(num(eval(a.get(1))));
                    double n = a.size() > 2 ? Math.rint(num(eval(a.get(2)))) : Double.POSITIVE_INFINITY;
                    double start = Math.max(1, m);
                    double end = Math.min(s.length() + 1, m + n);
                    if (end <= start) {
                        return Val.str("");
                    }
                    return Val.str(s.substring((int) start - 1, (int) end - 1));
                }
                case "index" -> {
                    return Val.num(str(eval(a.get(0))).indexOf(str(eval(a.get(1)))) + 1);
                }
                case "split" -> {
                    String s = str(eval(a.get(0)));
                    String name = ((Var) a.get(1)).name();
                    List<String> parts;
                    if (a.size() > 2) {
                        Expr fsExpr = a.get(2);
                        if (fsExpr instanceof Re r) {
                            parts = new ArrayList<>(List.of(r.p().split(s, -1)));
                            if (s.isEmpty()) {
                                parts.clear();
                            }
                        } else {
                            parts = splitWith(s, str(eval(fsExpr)));
                        }
                    } else {
                        parts = splitWith(s, str(vars.get("FS")));
                    }
                    Map<String, Val> arr = array(name);
                    arr.clear();
                    for (int k = 0; k < parts.size(); k++) {
                        arr.put(Integer.toString(k + 1), Val.input(parts.get(k)));
                    }
                    return Val.num(parts.size());
                }
                case "sub", "gsub" -> {
                    Pattern p = a.get(0) instanceof Re r ? r.p() : regex(str(eval(a.get(0))));
                    String rep = str(eval(a.get(1)));
                    Expr target = a.size() > 2 ? a.get(2) : new Field(new Num(0));
                    String s = str(eval(target));
                    Matcher m = p.matcher(s);
                    StringBuilder sb = new StringBuilder();
                    int count = 0;
                    int last = 0;
                    int from = 0;
                    int prevEnd = -1;
                    while (from <= s.length() && m.find(from)) {
                        if (m.start() == m.end() && m.start() == prevEnd) {
                            if (m.start() < s.length()) {
                                sb.append(s, last, m.start() + 1);
                                last = m.start() + 1;
                                from = m.start() + 1;
                                continue;
                            }
                            break;
                        }
                        prevEnd = m.end();
                        sb.append(s, last, m.start());
                        for (int k = 0; k < rep.length(); k++) {
                            char ch = rep.charAt(k);
                            if (ch == '\\' && k + 1 < rep.length() && (rep.charAt(k + 1) == '&'
                                    || rep.charAt(k + 1) == '\\')) {
                                sb.append(rep.charAt(++k));
                            } else if (ch == '&') {
                                sb.append(m.group());
                            } else {
                                sb.append(ch);
                            }
                        }
                        count++;
                        if (m.end() == m.start()) {
                            if (m.end() < s.length()) {
                                sb.append(s.charAt(m.end()));
                            }
                            last = m.end() + 1;
                            from = m.end() + 1;
                        } else {
                            last = m.end();
                            from = m.end();
                        }
                        if (c.name().equals("sub")) {
                            break;
                        }
                    }
                    if (count > 0) {
                        if (last < s.length()) {
                            sb.append(s, last, s.length());
                        }
                        set(target, Val.str(sb.toString()));
                    }
                    return Val.num(count);
                }
                case "match" -> {
                    String s = str(eval(a.get(0)));
                    Pattern p = a.get(1) instanceof Re r ? r.p() : regex(str(eval(a.get(1))));
                    Matcher m = p.matcher(s);
                    if (m.find()) {
                        vars.put("RSTART", Val.num(m.start() + 1));
                        vars.put("RLENGTH", Val.num(m.end() - m.start()));
                        return Val.num(m.start() + 1);
                    }
                    vars.put("RSTART", Val.num(0));
                    vars.put("RLENGTH", Val.num(-1));
                    return Val.num(0);
                }
                case "sprintf" -> {
                    List<Val> vals = new ArrayList<>();
                    for (Expr x : a.subList(1, a.size())) {
                        vals.add(eval(x));
                    }
                    return Val.str(new Format(str(eval(a.get(0))), vals, this).run());
                }
                case "tolower" -> {
                    return Val.str(str(eval(a.get(0))).toLowerCase(Locale.ROOT));
                }
                case "toupper" -> {
                    return Val.str(str(eval(a.get(0))).toUpperCase(Locale.ROOT));
                }
                case "int" -> {
                    double d = num(eval(a.get(0)));
                    return Val.num(d < 0 ? Math.ceil(d) : Math.floor(d));
                }
                case "sqrt" -> {
                    return Val.num(Math.sqrt(num(eval(a.get(0)))));
                }
                case "exp" -> {
                    return Val.num(Math.exp(num(eval(a.get(0)))));
                }
                case "log" -> {
                    return Val.num(Math.log(num(eval(a.get(0)))));
                }
                case "sin" -> {
                    return Val.num(Math.sin(num(eval(a.get(0)))));
                }
                case "cos" -> {
                    return Val.num(Math.cos(num(eval(a.get(0)))));
                }
                case "atan2" -> {
                    return Val.num(Math.atan2(num(eval(a.get(0))), num(eval(a.get(1)))));
                }
                case "rand" -> {
                    return Val.num(random.nextDouble());
                }
                case "srand" -> {
                    return Val.num(0);
                }
                default -> throw new Fatal("function " + c.name() + " never defined");
            }
        }

        void exec(Stmt s) {
            if (s instanceof Block b) {
                for (Stmt x : b.body()) {
                    exec(x);
                }
            } else if (s instanceof ExprStmt es) {
                eval(es.e());
            } else if (s instanceof Print p) {
                StringBuilder sb = new StringBuilder();
                if (p.printf()) {
                    List<Val> vals = new ArrayList<>();
                    for (Expr x : p.args().subList(1, p.args().size())) {
                        vals.add(eval(x));
                    }
                    sb.append(new Format(str(eval(p.args().get(0))), vals, this).run());
                } else {
                    if (p.args().isEmpty()) {
                        sb.append(record);
                    }
                    for (int k = 0; k < p.args().size(); k++) {
                        if (k > 0) {
                            sb.append(str(vars.get("OFS")));
                        }
                        sb.append(outStr(eval(p.args().get(k))));
                    }
                    sb.append(str(vars.get("ORS")));
                }
                if (p.redirect() != null) {
                    if (p.redirect().equals("|")) {
                        throw new Fatal("output to a command is not simulated by ipsim's awk");
                    }
                    String file = str(eval(p.target()));
                    if (file.equals("/dev/stdout") || file.equals("-")) {
                        emit(null, sb.toString(), false);
                    } else {
                        emit(file, sb.toString(), p.redirect().equals(">>"));
                    }
                } else {
                    emit(null, sb.toString(), false);
                }
            } else if (s instanceof If i) {
                if (truth(eval(i.test()))) {
                    exec(i.yes());
                } else if (i.no() != null) {
                    exec(i.no());
                }
            } else if (s instanceof While w) {
                if (w.doWhile()) {
                    do {
                        try {
                            exec(w.body());
                        } catch (LoopControl lc) {
                            if (lc.isBreak) {
                                break;
                            }
                        }
                    } while (truth(eval(w.test())));
                } else {
                    while (truth(eval(w.test()))) {
                        try {
                            exec(w.body());
                        } catch (LoopControl lc) {
                            if (lc.isBreak) {
                                break;
                            }
                        }
                    }
                }
            } else if (s instanceof For f) {
                if (f.init() != null) {
                    exec(f.init());
                }
                while (f.test() == null || truth(eval(f.test()))) {
                    try {
                        exec(f.body());
                    } catch (LoopControl lc) {
                        if (lc.isBreak) {
                            break;
                        }
                    }
                    if (f.step() != null) {
                        exec(f.step());
                    }
                }
            } else if (s instanceof ForIn f) {
                for (String k : new ArrayList<>(array(f.array()).keySet())) {
                    vars.put(f.var(), Val.input(k));
                    try {
                        exec(f.body());
                    } catch (LoopControl lc) {
                        if (lc.isBreak) {
                            break;
                        }
                    }
                }
            } else if (s instanceof Delete d) {
                if (d.keys() == null) {
                    array(d.array()).clear();
                } else {
                    array(d.array()).remove(key(d.keys()));
                }
            } else if (s instanceof Simple sm) {
                switch (sm.what()) {
                    case "next", "nextfile" -> throw new Next();
                    case "break" -> throw new LoopControl(true);
                    case "continue" -> throw new LoopControl(false);
                    case "exit" -> {
                        if (sm.value() != null) {
                            exitStatus = (int) num(eval(sm.value())) & 0xFF;
                        }
                        throw new Exit();
                    }
                    default -> throw new Fatal("return outside function body");
                }
            }
        }
    }

    // ------------------------------------------------------------------ printf

    /** C's printf over awk values, as mawk formats them. */
    private static final class Format {
        final String fmt;
        final List<Val> args;
        final Machine m;
        int next;

        Format(String fmt, List<Val> args) {
            this(fmt, args, null);
        }

        Format(String fmt, List<Val> args, Machine m) {
            this.fmt = fmt;
            this.args = args;
            this.m = m;
        }

        Val arg() {
            if (next >= args.size()) {
                if (m == null) {
                    return Val.str("");
                }
                throw new Fatal("not enough arguments passed to " + (m == null ? "sprintf" : "printf") + "(\""
                        + fmt + "\")");
            }
            return args.get(next++);
        }

        double num(Val v) {
            if (m != null) {
                return m.num(v);
            }
            return v.n();
        }

        String str(Val v) {
            if (m != null) {
                return m.str(v);
            }
            return v.s() != null ? v.s() : Double.toString(v.n());
        }

        String run() {
            StringBuilder out = new StringBuilder();
            int i = 0;
            while (i < fmt.length()) {
                char c = fmt.charAt(i);
                if (c != '%') {
                    out.append(c);
                    i++;
                    continue;
                }
                if (i + 1 < fmt.length() && fmt.charAt(i + 1) == '%') {
                    out.append('%');
                    i += 2;
                    continue;
                }
                StringBuilder spec = new StringBuilder("%");
                i++;
                while (i < fmt.length() && "-+ #0".indexOf(fmt.charAt(i)) >= 0) {
                    spec.append(fmt.charAt(i++));
                }
                if (i < fmt.length() && fmt.charAt(i) == '*') {
                    spec.append((long) num(arg()));
                    i++;
                }
                while (i < fmt.length() && Character.isDigit(fmt.charAt(i))) {
                    spec.append(fmt.charAt(i++));
                }
                if (i < fmt.length() && fmt.charAt(i) == '.') {
                    spec.append('.');
                    i++;
                    if (i < fmt.length() && fmt.charAt(i) == '*') {
                        spec.append((long) num(arg()));
                        i++;
                    }
                    while (i < fmt.length() && Character.isDigit(fmt.charAt(i))) {
                        spec.append(fmt.charAt(i++));
                    }
                }
                while (i < fmt.length() && "hlLqjzt".indexOf(fmt.charAt(i)) >= 0) {
                    i++;
                }
                if (i >= fmt.length()) {
                    out.append(spec);
                    break;
                }
                char conv = fmt.charAt(i++);
                String sp = spec.toString();
                switch (conv) {
                    case 'd', 'i' -> {
                        double d = num(arg());
                        out.append(String.format(Locale.ROOT, sp + "d", (long) d));
                    }
                    case 'o', 'x', 'X', 'u' -> {
                        long v = (long) num(arg());
                        String s = sp.replace("+", "").replace(" ", "");
                        out.append(String.format(Locale.ROOT, s + (conv == 'u' ? 'd' : conv), v));
                    }
                    case 'c' -> {
                        Val v = arg();
                        String s = v.kind() == Val.NUM ? String.valueOf((char) (int) v.n()) : str(v);
                        out.append(Printf.cStringSpec(sp, s.isEmpty() ? "" : s.substring(0, 1)));
                    }
                    case 's' -> out.append(Printf.cStringSpec(sp, str(arg())));
                    case 'e', 'E', 'f', 'F' -> out.append(String.format(Locale.ROOT,
                            sp + (conv == 'F' ? 'f' : conv), num(arg())));
                    case 'g', 'G' -> out.append(Printf.generalSpec(sp, num(arg()), conv == 'G'));
                    default -> out.append(sp).append(conv);
                }
            }
            return out.toString();
        }
    }

    // ------------------------------------------------------------------ the command

    private static final String USAGE = "Usage: mawk [Options] [Program] [file ...]\n\n"
            + "Program:\n"
            + "    The -f option value is the name of a file containing program text.\n"
            + "    If no -f option is given, a \"--\" ends option processing; the following\n"
            + "    parameters are the program text.\n\n"
            + "Options:\n"
            + "    -f program-file  Program  text is read from file instead of from the\n"
            + "                     command-line.  Multiple -f options are accepted.\n"
            + "    -F value         sets the field separator, FS, to value.\n"
            + "    -v var=value     assigns value to program variable var.\n"
            + "    --               unambiguous end of options.\n\n"
            + "    Implementation-specific options are prefixed with \"-W\".  They can be\n"
            + "    abbreviated:\n\n"
            + "    -W version       show version information and exit.\n"
            + "    -W dump          show assembler-like listing of program and exit.\n"
            + "    -W help          show this message and exit.\n"
            + "    -W interactive   set unbuffered output, line-buffered input.\n"
            + "    -W exec file     use file as program as well as last option.\n"
            + "    -W random=number set initial random seed.\n"
            + "    -W sprintf=number adjust size of sprintf buffer.\n"
            + "    -W posix_space   do not consider \"\\n\" a space.\n"
            + "    -W usage         show this message and exit.\n";

    static int run(ShellSession session, Invocation inv) {
        String me = inv.argv().get(0);
        me = me.substring(me.lastIndexOf('/') + 1);
        List<String> args = inv.args();
        String fs = null;
        List<String[]> assigns = new ArrayList<>();
        int i = 0;
        String program = null;
        while (i < args.size()) {
            String a = args.get(i);
            if (a.equals("--")) {
                i++;
                break;
            }
            if (a.startsWith("-F")) {
                if (a.length() > 2) {
                    fs = a.substring(2);
                } else if (i + 1 < args.size()) {
                    fs = args.get(++i);
                } else {
                    inv.err().print(me + ": option requires an argument -- F\n");
                    return 2;
                }
                i++;
                continue;
            }
            if (a.startsWith("-v")) {
                String v = a.length() > 2 ? a.substring(2) : i + 1 < args.size() ? args.get(++i) : null;
                if (v == null) {
                    inv.err().print(me + ": option requires an argument -- v\n");
                    return 2;
                }
                int eq = v.indexOf('=');
                if (eq <= 0) {
                    inv.err().print(me + ": improper assignment: -v " + v + "\n");
                    return 2;
                }
                assigns.add(new String[] {v.substring(0, eq), v.substring(eq + 1)});
                i++;
                continue;
            }
            if (a.equals("-f")) {
                inv.err().print("ipsim: awk -f is not simulated yet\n");
                return 2;
            }
            if (a.startsWith("-") && a.length() > 1) {
                if (a.equals("-W") || a.startsWith("-W")) {
                    String w = a.length() > 2 ? a.substring(2) : i + 1 < args.size() ? args.get(++i) : "";
                    if (w.startsWith("v")) {
                        inv.out().print("mawk 1.3.4 20200120\nCopyright 2008-2019,2020, Thomas E. Dickey\n"
                                + "Copyright 1991-1996,2014, Michael D. Brennan\n\n"
                                + "random-funcs:       srandom/random\nregex-funcs:        internal\n"
                                + "compiled limits:\nsprintf buffer      8192\nmaximum-integer     2147483647\n");
                        return 0;
                    }
                    i++;
                    continue;
                }
                inv.err().print(me + ": not an option: " + a + "\n");
                return 2;
            }
            break;
        }
        if (i >= args.size()) {
            inv.err().print(USAGE);
            return 0;
        }
        program = args.get(i++);
        List<String> operands = new ArrayList<>(args.subList(i, args.size()));
        List<Rule> rules;
        try {
            rules = new Parser(lex(program)).program();
        } catch (SyntaxError e) {
            String msg = e.getMessage();
            inv.err().print(me + ": " + (msg.startsWith("line ") ? msg : "line 1: " + msg) + "\n");
            return 2;
        }
        Machine m = new Machine();
        if (fs != null) {
            m.vars.put("FS", Val.str(fs.equals("t") ? "\t" : unescape(fs)));
        }
        for (String[] a : assigns) {
            m.vars.put(a[0], Val.input(unescape(a[1])));
        }
        int status = 0;
        try {
            try {
                for (Rule r : rules) {
                    if ("BEGIN".equals(r.special)) {
                        m.exec(r.action);
                    }
                }
                boolean needInput = rules.stream().anyMatch(r -> !"BEGIN".equals(r.special));
                if (needInput) {
                    List<String> files = operands.isEmpty() ? List.of("-") : operands;
                    long nr = 0;
                    for (String f : files) {
                        int eq = f.indexOf('=');
                        if (eq > 0 && f.substring(0, eq).matches("[A-Za-z_][A-Za-z0-9_]*")) {
                            m.vars.put(f.substring(0, eq), Val.input(unescape(f.substring(eq + 1))));
                            continue;
                        }
                        String text;
                        if (f.equals("-") || f.equals("/dev/stdin")) {
                            try {
                                text = new String(inv.in().readAllBytes(), StandardCharsets.UTF_8);
                            } catch (IOException e) {
                                text = "";
                            }
                        } else {
                            try {
                                text = session.vfs().read(f);
                            } catch (VirtualFs.FsException e) {
                                m.flushTo(session, inv);
                                inv.out().flush();
                                inv.err().print(me + ": cannot open " + f + " (" + e.errno().text() + ")\n");
                                return 2;
                            }
                        }
                        m.vars.put("FILENAME", Val.str(f.equals("-") ? "" : f));
                        long fnr = 0;
                        int start = 0;
                        while (start < text.length()) {
                            int nl = text.indexOf('\n', start);
                            String line = text.substring(start, nl < 0 ? text.length() : nl);
                            start = nl < 0 ? text.length() : nl + 1;
                            m.vars.put("NR", Val.num(++nr));
                            m.vars.put("FNR", Val.num(++fnr));
                            m.setRecord(line);
                            try {
                                for (Rule r : rules) {
                                    if (r.special != null) {
                                        continue;
                                    }
                                    if (matches(m, r)) {
                                        if (r.action == null) {
                                            m.emit(null, m.record + m.str(m.vars.get("ORS")), false);
                                        } else {
                                            m.exec(r.action);
                                        }
                                    }
                                }
                            } catch (Next n) {
                                // on to the next record
                            }
                        }
                    }
                }
            } catch (Exit e) {
                // END rules still run
            }
            try {
                for (Rule r : rules) {
                    if ("END".equals(r.special)) {
                        m.exec(r.action);
                    }
                }
            } catch (Exit e) {
                // done
            }
            status = m.exitStatus;
        } catch (Fatal f) {
            m.flushTo(session, inv);
            inv.out().flush();
            inv.err().print(me + ": run time error: " + f.getMessage() + "\n\tFILENAME=\""
                    + m.str(m.vars.get("FILENAME")) + "\" FNR=" + m.str(m.vars.get("FNR")) + " NR="
                    + m.str(m.vars.get("NR")) + "\n");
            return 2;
        }
        m.flushTo(session, inv);
        return status;
    }

    private static boolean matches(Machine m, Rule r) {
        if (r.pattern == null) {
            return true;
        }
        if (r.rangeEnd == null) {
            return m.truth(m.eval(r.pattern));
        }
        if (!r.inRange) {
            if (m.truth(m.eval(r.pattern))) {
                r.inRange = !m.truth(m.eval(r.rangeEnd));
                return true;
            }
            return false;
        }
        if (m.truth(m.eval(r.rangeEnd))) {
            r.inRange = false;
        }
        return true;
    }

    private static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            if (c == '\\' && k + 1 < s.length()) {
                char n = s.charAt(++k);
                switch (n) {
                    case 'n' -> sb.append('\n');
                    case 't' -> sb.append('\t');
                    case '\\' -> sb.append('\\');
                    case '"' -> sb.append('"');
                    default -> sb.append('\\').append(n);
                }
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
