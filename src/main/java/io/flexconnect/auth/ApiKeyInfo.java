package io.flexconnect.auth;

import java.time.Instant;

/**
 * A stored API key as listed: its public id, tenant and name, never the key or its hash.
 *
 * @param name a label given at creation, or null
 * @param revokedAt when it stopped being accepted, or null while it is active
 */
public record ApiKeyInfo(String id, String tenantId, String name, boolean operator, Instant createdAt,
    Instant revokedAt) {
  public boolean active() {
    return revokedAt == null;
  }
}
