package io.flexconnect.dbc;

/** How the raw bits of a signal are read: an integer, or IEEE 754 ({@code SIG_VALTYPE_} 1 or 2). */
public enum DbcValueType {
  INTEGER,
  FLOAT32,
  FLOAT64
}
