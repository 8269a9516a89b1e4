package io.flexconnect.device;

import java.math.BigInteger;
import java.time.Instant;

/** A device certificate that is no longer accepted from {@code from} on. */
public record CertificateRevocation(BigInteger serial, Instant from) {}
