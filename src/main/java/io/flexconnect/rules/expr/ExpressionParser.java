package io.flexconnect.rules.expr;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Hand-written recursive-descent parser of the derived-signal and condition language. Input is only
 * ever parsed into a {@link Node} tree; nothing is evaluated as Java or script code.
 *
 * <pre>
 * expr     := or ( '?' expr ':' expr )?
 * or       := and ( '||' and )*
 * and      := equality ( '&amp;&amp;' equality )*
 * equality := compare ( ( '==' | '!=' ) compare )*
 * compare  := additive ( ( '&lt;' | '&lt;=' | '&gt;' | '&gt;=' ) additive )*
 * additive := term ( ( '+' | '-' ) term )*
 * term     := unary ( ( '*' | '/' | '%' ) unary )*
 * unary    := ( '-' | '+' | '!' ) unary | primary
 * primary  := number | 'true' | 'false' | signal | function '(' args ')' | 'if' '(' expr ',' expr ',' expr ')'
 *           | '(' expr ')'
 * signal   := [A-Za-z_][A-Za-z0-9_.]*  |  '"' any '"'  |  '`' any '`'
 * </pre>
 *
 * Functions: {@code abs, min, max, round (1 or 2 args), floor, ceil, sqrt, pow, clamp(x, lo, hi)}
 * and {@code if(cond, a, b)}. An identifier followed by {@code (} is a function call; a signal with
 * a function's name can be written quoted.
 */
public final class ExpressionParser {

  /** Longest accepted source, in characters. */
  public static final int MAX_LENGTH = 1000;
  /** Deepest accepted nesting of operators and parentheses. */
  public static final int MAX_DEPTH = 64;
  /** Most distinct signals one expression may read. */
  public static final int MAX_SIGNALS = 64;

  private static final Set<String> ONE_ARG = Set.of("abs", "floor", "ceil", "sqrt");

  private final String src;
  private final List<String> signals = new ArrayList<>();
  private int pos;
  private int depth;

  private ExpressionParser(String src) {
    this.src = src;
  }

  /**
   * Parses and compiles an expression.
   *
   * @throws ExpressionException with the column and what was expected
   */
  public static Expression parse(String source) {
    if (source == null) {
      throw new ExpressionException(1, "an expression", "nothing");
    }
    if (source.length() > MAX_LENGTH) {
      throw new ExpressionException(MAX_LENGTH + 1, "at most " + MAX_LENGTH + " characters", null);
    }
    ExpressionParser p = new ExpressionParser(source);
    Node root = p.expr();
    p.skipSpace();
    if (p.pos < source.length()) {
      throw p.error("an operator or end of input");
    }
    return new Expression(source, p.signals, root);
  }

  private Node expr() {
    enter();
    Node c = or();
    if (accept("?")) {
      Node a = expr();
      expect(":");
      Node b = expr();
      c = new Node.Cond(c, a, b);
    }
    depth--;
    return c;
  }

  private Node or() {
    Node n = and();
    while (accept("||")) {
      n = new Node.Logic(false, n, and());
    }
    return n;
  }

  private Node and() {
    Node n = equality();
    while (accept("&&")) {
      n = new Node.Logic(true, n, equality());
    }
    return n;
  }

  private Node equality() {
    Node n = compare();
    while (true) {
      if (accept("==")) {
        n = new Node.Binary('=', n, compare());
      } else if (accept("!=")) {
        n = new Node.Binary('!', n, compare());
      } else {
        return n;
      }
    }
  }

  private Node compare() {
    Node n = additive();
    while (true) {
      if (accept("<=")) {
        n = new Node.Binary('l', n, additive());
      } else if (accept(">=")) {
        n = new Node.Binary('g', n, additive());
      } else if (accept("<")) {
        n = new Node.Binary('<', n, additive());
      } else if (accept(">")) {
        n = new Node.Binary('>', n, additive());
      } else {
        return n;
      }
    }
  }

  private Node additive() {
    Node n = term();
    while (true) {
      if (accept("+")) {
        n = new Node.Binary('+', n, term());
      } else if (accept("-")) {
        n = new Node.Binary('-', n, term());
      } else {
        return n;
      }
    }
  }

  private Node term() {
    Node n = unary();
    while (true) {
      if (accept("*")) {
        n = new Node.Binary('*', n, unary());
      } else if (accept("/")) {
        n = new Node.Binary('/', n, unary());
      } else if (accept("%")) {
        n = new Node.Binary('%', n, unary());
      } else {
        return n;
      }
    }
  }

  private Node unary() {
    enter();
    Node n;
    if (accept("-")) {
      Node a = unary();
      n = a instanceof Node.Const c ? new Node.Const(-c.value) : new Node.Neg(a);
    } else if (accept("+")) {
      n = unary();
    } else if (peek() == '!' && peekAt(1) != '=') {
      pos++;
      n = new Node.Not(unary());
    } else {
      n = primary();
    }
    depth--;
    return n;
  }

  private Node primary() {
    skipSpace();
    if (pos >= src.length()) {
      throw error("a number, signal, function or '('");
    }
    char c = src.charAt(pos);
    if (c == '(') {
      pos++;
      Node n = expr();
      expect(")");
      return n;
    }
    if (Character.isDigit(c) || (c == '.' && Character.isDigit(peekAt(1)))) {
      return number();
    }
    if (c == '"' || c == '`' || c == '\'') {
      int start = pos;
      int end = src.indexOf(c, pos + 1);
      if (end < 0) {
        throw new ExpressionException(src.length() + 1, "closing " + c + " of the name opened at column "
            + (start + 1), "end of input");
      }
      if (end == pos + 1) {
        throw new ExpressionException(pos + 2, "a signal name", "empty quotes");
      }
      pos = end + 1;
      return signal(src.substring(start + 1, end), start);
    }
    if (Character.isLetter(c) || c == '_') {
      int start = pos;
      while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_'
          || src.charAt(pos) == '.')) {
        pos++;
      }
      String name = src.substring(start, pos);
      skipSpace();
      if (peek() == '(') {
        pos++;
        return call(name, start);
      }
      if (name.equals("true")) {
        return new Node.Const(1);
      }
      if (name.equals("false")) {
        return new Node.Const(0);
      }
      return signal(name, start);
    }
    throw error("a number, signal, function or '('");
  }

  private Node number() {
    int start = pos;
    while (pos < src.length() && (Character.isDigit(src.charAt(pos)) || src.charAt(pos) == '.')) {
      pos++;
    }
    if (pos < src.length() && (src.charAt(pos) == 'e' || src.charAt(pos) == 'E')) {
      pos++;
      if (pos < src.length() && (src.charAt(pos) == '+' || src.charAt(pos) == '-')) {
        pos++;
      }
      if (pos >= src.length() || !Character.isDigit(src.charAt(pos))) {
        throw error("digits of the exponent");
      }
      while (pos < src.length() && Character.isDigit(src.charAt(pos))) {
        pos++;
      }
    }
    String text = src.substring(start, pos);
    try {
      double d = Double.parseDouble(text);
      if (Double.isInfinite(d)) {
        throw new ExpressionException(start + 1, "a finite number", "'" + text + "'");
      }
      return new Node.Const(d);
    } catch (NumberFormatException e) {
      throw new ExpressionException(start + 1, "a number", "'" + text + "'");
    }
  }

  private Node signal(String name, int start) {
    int slot = signals.indexOf(name);
    if (slot < 0) {
      if (signals.size() == MAX_SIGNALS) {
        throw new ExpressionException(start + 1, "at most " + MAX_SIGNALS + " distinct signals", "'" + name + "'");
      }
      signals.add(name);
      slot = signals.size() - 1;
    }
    return new Node.Signal(slot);
  }

  private Node call(String name, int start) {
    List<Node> args = new ArrayList<>(3);
    skipSpace();
    if (!accept(")")) {
      do {
        args.add(expr());
      } while (accept(","));
      expect(")");
    }
    int n = args.size();
    if (ONE_ARG.contains(name)) {
      arity(name, start, n, 1, 1);
      return new Node.Call1(name, args.get(0));
    }
    switch (name) {
      case "round":
        arity(name, start, n, 1, 2);
        return n == 1 ? new Node.Call1(name, args.get(0)) : new Node.Call2(name, args.get(0), args.get(1));
      case "min":
      case "max":
      case "pow":
        arity(name, start, n, 2, 2);
        return new Node.Call2(name, args.get(0), args.get(1));
      case "clamp":
        arity(name, start, n, 3, 3);
        return new Node.Clamp(args.get(0), args.get(1), args.get(2));
      case "if":
        arity(name, start, n, 3, 3);
        return new Node.Cond(args.get(0), args.get(1), args.get(2));
      default:
        throw new ExpressionException(start + 1,
            "a function (abs, min, max, round, floor, ceil, sqrt, pow, clamp, if)", "'" + name + "'");
    }
  }

  private static void arity(String name, int start, int n, int min, int max) {
    if (n < min || n > max) {
      String want = min == max ? String.valueOf(min) : min + " or " + max;
      throw new ExpressionException(start + 1, want + " argument" + (max == 1 ? "" : "s") + " for " + name,
          String.valueOf(n));
    }
  }

  private void enter() {
    if (++depth > MAX_DEPTH) {
      throw new ExpressionException(pos + 1, "nesting of at most " + MAX_DEPTH + " levels", "deeper nesting");
    }
  }

  private boolean accept(String token) {
    skipSpace();
    if (src.startsWith(token, pos)) {
      pos += token.length();
      return true;
    }
    return false;
  }

  private void expect(String token) {
    if (!accept(token)) {
      throw error("'" + token + "'");
    }
  }

  private char peek() {
    skipSpace();
    return pos < src.length() ? src.charAt(pos) : '\0';
  }

  private char peekAt(int ahead) {
    return pos + ahead < src.length() ? src.charAt(pos + ahead) : '\0';
  }

  private void skipSpace() {
    while (pos < src.length() && Character.isWhitespace(src.charAt(pos))) {
      pos++;
    }
  }

  private ExpressionException error(String expected) {
    skipSpace();
    String found = pos >= src.length() ? "end of input" : "'" + src.charAt(pos) + "'";
    return new ExpressionException(pos + 1, expected, found);
  }
}
