/**
 * Per device-group processing steps over the rows of one message: allow, deny, rename, scale,
 * convert, deadband, minInterval, derive. A point older than the last kept point of its signal
 * passes through and leaves deadband and interval state alone.
 */
package io.flexconnect.rules.pipeline;
