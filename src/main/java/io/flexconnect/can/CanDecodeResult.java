package io.flexconnect.can;

import io.flexconnect.codec.Rejection;
import io.flexconnect.codec.can.CanMessage;

/**
 * A decoded binary message, or why it was refused. The receiver owns {@code message} and closes it.
 */
public record CanDecodeResult(CanMessage message, Rejection rejection) {}
