package io.flexconnect.rules.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Parsing and evaluating the expression language. */
class ExpressionTest {

  private static double eval(String source, Map<String, Double> values) {
    Expression e = Expression.compile(source);
    return e.evaluate(slot -> values.getOrDefault(e.signals().get(slot), Double.NaN));
  }

  private static double eval(String source) {
    return eval(source, Map.of());
  }

  private static ExpressionException error(String source) {
    return catchThrowableOfType(ExpressionException.class, () -> Expression.compile(source));
  }

  @Test
  void verifiesThatMultiplicationBindsTighterThanAddition() {
    assertThat(eval("1 + 2 * 3")).isEqualTo(7);
    assertThat(eval("(1 + 2) * 3")).isEqualTo(9);
    assertThat(eval("10 - 4 - 3")).isEqualTo(3);
    assertThat(eval("7 % 4 * 2")).isEqualTo(6);
  }

  @Test
  void verifiesThatUnaryMinusAppliesBeforeBinaryOperators() {
    assertThat(eval("-2 * 3")).isEqualTo(-6);
    assertThat(eval("2 - -3")).isEqualTo(5);
    assertThat(eval("-(1 + 1)")).isEqualTo(-2);
  }

  @Test
  void verifiesThatComparisonsBindTighterThanLogicAndAndTighterThanOr() {
    assertThat(eval("1 + 1 == 2")).isEqualTo(1);
    assertThat(eval("1 < 2 && 3 >= 4")).isEqualTo(0);
    assertThat(eval("1 || 0 && 0")).isEqualTo(1);
    assertThat(eval("!(1 > 2) && 2 != 3")).isEqualTo(1);
    assertThat(eval("2 <= 2")).isEqualTo(1);
  }

  @Test
  void verifiesThatTernaryAndIfChooseABranch() {
    assertThat(eval("x > 10 ? 1 : 2", Map.of("x", 11.0))).isEqualTo(1);
    assertThat(eval("if(x > 10, 1, 2)", Map.of("x", 5.0))).isEqualTo(2);
    assertThat(eval("x > 0 ? x > 5 ? 2 : 1 : 0", Map.of("x", 3.0))).isEqualTo(1);
  }

  @Test
  void verifiesThatFunctionsComputeTheirResults() {
    assertThat(eval("abs(-3)")).isEqualTo(3);
    assertThat(eval("min(3, 4) + max(3, 4)")).isEqualTo(7);
    assertThat(eval("round(2.5)")).isEqualTo(3);
    assertThat(eval("round(3.14159, 2)")).isCloseTo(3.14, within(1e-9));
    assertThat(eval("floor(2.7) + ceil(2.1)")).isEqualTo(5);
    assertThat(eval("sqrt(16)")).isEqualTo(4);
    assertThat(eval("pow(2, 10)")).isEqualTo(1024);
    assertThat(eval("clamp(150, 0, 100)")).isEqualTo(100);
    assertThat(eval("clamp(-5, 0, 100)")).isEqualTo(0);
  }

  @Test
  void verifiesThatDottedAndQuotedSignalNamesResolveToSlots() {
    Expression e = Expression.compile("EngineData.EngineSpeed / 60 + \"Chassis Data.Angle\" + `abs`");
    assertThat(e.signals()).containsExactly("EngineData.EngineSpeed", "Chassis Data.Angle", "abs");
    double[] values = {1200, 1, 2};
    assertThat(e.evaluate(slot -> values[slot])).isEqualTo(23);
  }

  @Test
  void verifiesThatARepeatedSignalSharesOneSlot() {
    Expression e = Expression.compile("a * a + b + a");
    assertThat(e.signals()).containsExactly("a", "b");
    assertThat(e.slotOf("b")).isEqualTo(1);
  }

  @Test
  void verifiesThatAMissingSignalMakesTheResultAbsent() {
    assertThat(eval("a + b", Map.of("a", 1.0))).isNaN();
    assertThat(eval("abs(b)", Map.of())).isNaN();
    assertThat(eval("b > 1 && true", Map.of())).isNaN();
  }

  @Test
  void verifiesThatAMissingSignalInTheBranchNotTakenDoesNotMatter() {
    assertThat(eval("a > 0 ? a : b", Map.of("a", 2.0))).isEqualTo(2);
    assertThat(eval("a > 0 || b > 0", Map.of("a", 2.0))).isEqualTo(1);
  }

  @Test
  void verifiesThatDivisionAndModuloByZeroAreAbsent() {
    assertThat(eval("1 / 0")).isNaN();
    assertThat(eval("5 % 0")).isNaN();
    assertThat(eval("sqrt(-1)")).isNaN();
    assertThat(Expression.isAbsent(eval("a / b", Map.of("a", 1.0, "b", 0.0)))).isTrue();
  }

  @Test
  void verifiesThatAnUnclosedParenthesisNamesTheColumnAndWhatWasExpected() {
    ExpressionException e = error("(a + b");
    assertThat(e.column()).isEqualTo(7);
    assertThat(e.expected()).isEqualTo("')'");
    assertThat(e.getMessage()).isEqualTo("column 7: expected ')', found end of input");
  }

  @Test
  void verifiesThatAMissingOperandNamesItsColumn() {
    ExpressionException e = error("a + * b");
    assertThat(e.column()).isEqualTo(5);
    assertThat(e.expected()).contains("number, signal");
  }

  @Test
  void verifiesThatTrailingInputIsRefused() {
    ExpressionException e = error("a b");
    assertThat(e.column()).isEqualTo(3);
    assertThat(e.expected()).isEqualTo("an operator or end of input");
  }

  @Test
  void verifiesThatUnknownFunctionsAndWrongArityAreRefused() {
    assertThat(error("exec(1)").column()).isEqualTo(1);
    assertThat(error("exec(1)").found()).isEqualTo("'exec'");
    assertThat(error("x + min(1)").column()).isEqualTo(5);
    assertThat(error("x + min(1)").expected()).isEqualTo("2 arguments for min");
  }

  @Test
  void verifiesThatSingleEqualsAndSinglePipeAreRefused() {
    assertThat(error("a = 1").column()).isEqualTo(3);
    assertThat(error("a | b").column()).isEqualTo(3);
  }

  @Test
  void verifiesThatAnUnterminatedQuotedNameIsRefused() {
    ExpressionException e = error("\"Engine.Speed + 1");
    assertThat(e.expected()).contains("closing \"");
  }

  @Test
  void verifiesThatTooLongAndTooDeepExpressionsAreRefused() {
    assertThatThrownBy(() -> Expression.compile("1+".repeat(600) + "1"))
        .isInstanceOf(ExpressionException.class).hasMessageContaining("at most 1000 characters");
    assertThatThrownBy(() -> Expression.compile("(".repeat(100) + "1" + ")".repeat(100)))
        .isInstanceOf(ExpressionException.class).hasMessageContaining("nesting");
  }

  @Test
  void verifiesThatNumbersAcceptDecimalsAndExponents() {
    assertThat(eval("1.5e3 + .5")).isEqualTo(1500.5);
    assertThat(error("1e+").expected()).isEqualTo("digits of the exponent");
    assertThat(error("1.2.3").column()).isEqualTo(1);
  }
}
