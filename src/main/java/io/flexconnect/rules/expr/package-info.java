/** The expression language of derived signals: parsed once, evaluated without allocation; NaN is "absent". */
package io.flexconnect.rules.expr;
