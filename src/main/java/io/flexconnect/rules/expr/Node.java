package io.flexconnect.rules.expr;

/** A node of the compiled tree. NaN is "absent" and propagates. */
abstract class Node {

  abstract double eval(SlotValues v);

  static double bool(boolean b) {
    return b ? 1.0 : 0.0;
  }

  static final class Const extends Node {
    final double value;

    Const(double value) {
      this.value = value;
    }

    @Override
    double eval(SlotValues v) {
      return value;
    }
  }

  static final class Signal extends Node {
    final int slot;

    Signal(int slot) {
      this.slot = slot;
    }

    @Override
    double eval(SlotValues v) {
      return v.value(slot);
    }
  }

  static final class Neg extends Node {
    final Node a;

    Neg(Node a) {
      this.a = a;
    }

    @Override
    double eval(SlotValues v) {
      return -a.eval(v);
    }
  }

  static final class Not extends Node {
    final Node a;

    Not(Node a) {
      this.a = a;
    }

    @Override
    double eval(SlotValues v) {
      double x = a.eval(v);
      return Double.isNaN(x) ? Double.NaN : bool(x == 0);
    }
  }

  /** Binary arithmetic and comparison; the operator is chosen at compile time. */
  static final class Binary extends Node {
    final char op;
    final Node a;
    final Node b;

    Binary(char op, Node a, Node b) {
      this.op = op;
      this.a = a;
      this.b = b;
    }

    @Override
    double eval(SlotValues v) {
      double x = a.eval(v);
      if (Double.isNaN(x)) {
        return Double.NaN;
      }
      double y = b.eval(v);
      if (Double.isNaN(y)) {
        return Double.NaN;
      }
      switch (op) {
        case '+': return x + y;
        case '-': return x - y;
        case '*': return x * y;
        case '/': return y == 0 ? Double.NaN : x / y;
        case '%': return y == 0 ? Double.NaN : x % y;
        case '<': return bool(x < y);
        case 'l': return bool(x <= y);
        case '>': return bool(x > y);
        case 'g': return bool(x >= y);
        case '=': return bool(x == y);
        case '!': return bool(x != y);
        default: throw new IllegalStateException("operator " + op);
      }
    }
  }

  /** {@code &&} and {@code ||}, short-circuiting; an absent left side makes the result absent. */
  static final class Logic extends Node {
    final boolean and;
    final Node a;
    final Node b;

    Logic(boolean and, Node a, Node b) {
      this.and = and;
      this.a = a;
      this.b = b;
    }

    @Override
    double eval(SlotValues v) {
      double x = a.eval(v);
      if (Double.isNaN(x)) {
        return Double.NaN;
      }
      if (and ? x == 0 : x != 0) {
        return bool(!and);
      }
      double y = b.eval(v);
      return Double.isNaN(y) ? Double.NaN : bool(y != 0);
    }
  }

  static final class Cond extends Node {
    final Node c;
    final Node then;
    final Node otherwise;

    Cond(Node c, Node then, Node otherwise) {
      this.c = c;
      this.then = then;
      this.otherwise = otherwise;
    }

    @Override
    double eval(SlotValues v) {
      double x = c.eval(v);
      if (Double.isNaN(x)) {
        return Double.NaN;
      }
      return x != 0 ? then.eval(v) : otherwise.eval(v);
    }
  }

  /** One-argument functions; the function is resolved to a code once, at compile time. */
  static final class Call1 extends Node {
    private static final int ABS = 0;
    private static final int ROUND = 1;
    private static final int FLOOR = 2;
    private static final int CEIL = 3;
    private static final int SQRT = 4;

    final int fn;
    final Node a;

    Call1(String name, Node a) {
      this.fn = switch (name) {
        case "abs" -> ABS;
        case "round" -> ROUND;
        case "floor" -> FLOOR;
        case "ceil" -> CEIL;
        case "sqrt" -> SQRT;
        default -> throw new IllegalArgumentException("function " + name);
      };
      this.a = a;
    }

    @Override
    double eval(SlotValues v) {
      double x = a.eval(v);
      switch (fn) {
        case ABS: return Math.abs(x);
        case ROUND: return Math.floor(x + 0.5);
        case FLOOR: return Math.floor(x);
        case CEIL: return Math.ceil(x);
        default: return x < 0 ? Double.NaN : Math.sqrt(x);
      }
    }
  }

  /** Two-argument functions, resolved to a code at compile time. */
  static final class Call2 extends Node {
    private static final int MIN = 0;
    private static final int MAX = 1;
    private static final int POW = 2;
    private static final int ROUND = 3;

    final int fn;
    final Node a;
    final Node b;

    Call2(String name, Node a, Node b) {
      this.fn = switch (name) {
        case "min" -> MIN;
        case "max" -> MAX;
        case "pow" -> POW;
        case "round" -> ROUND;
        default -> throw new IllegalArgumentException("function " + name);
      };
      this.a = a;
      this.b = b;
    }

    @Override
    double eval(SlotValues v) {
      double x = a.eval(v);
      if (Double.isNaN(x)) {
        return Double.NaN;
      }
      double y = b.eval(v);
      if (Double.isNaN(y)) {
        return Double.NaN;
      }
      switch (fn) {
        case MIN: return Math.min(x, y);
        case MAX: return Math.max(x, y);
        case POW: {
          double r = Math.pow(x, y);
          return Double.isInfinite(r) ? Double.NaN : r;
        }
        default: {
          // round(x, digits)
          double scale = Math.pow(10, Math.rint(y));
          return Math.floor(x * scale + 0.5) / scale;
        }
      }
    }
  }

  static final class Clamp extends Node {
    final Node x;
    final Node lo;
    final Node hi;

    Clamp(Node x, Node lo, Node hi) {
      this.x = x;
      this.lo = lo;
      this.hi = hi;
    }

    @Override
    double eval(SlotValues v) {
      double a = x.eval(v);
      double l = lo.eval(v);
      double h = hi.eval(v);
      if (Double.isNaN(a) || Double.isNaN(l) || Double.isNaN(h) || l > h) {
        return Double.NaN;
      }
      return Math.max(l, Math.min(h, a));
    }
  }
}
