/**
 * Alert rules evaluated in event time, one state machine per rule and device.
 *
 * <p>Semantics: a point older than {@code watermark - latenessMs} (or than the last evaluated point)
 * is ignored and counted; others are evaluated in timestamp order once the watermark is
 * {@code latenessMs} past them (or a {@code tick} is). A {@code for} duration is measured between
 * points in event time and only completes on a point. Hysteresis: a firing alert resolves only when
 * {@code clear} holds (default: {@code when} no longer holds). No-data rules measure silence on the
 * platform clock (rows' {@code receivedAtMs} against {@code tick(nowMs)}).
 */
package io.flexconnect.rules.alert;
