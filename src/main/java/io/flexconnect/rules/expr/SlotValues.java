package io.flexconnect.rules.expr;

/**
 * The values of one point, by slot. Slot {@code i} holds the signal {@link Expression#signals()}
 * names at index {@code i}; a missing signal reads as {@link Double#NaN}.
 */
@FunctionalInterface
public interface SlotValues {

  double value(int slot);
}
