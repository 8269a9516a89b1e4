package io.flexconnect.auth;

/**
 * Who a request acts for: the tenant of the API key it presented. Everything a request reads or
 * changes is scoped to {@link #tenantId()}.
 *
 * @param keyId the public id of the key (never the key)
 * @param operator an operator's key: besides its tenant's data it sees the rejected messages that
 *     name no registered device, which belong to no tenant
 */
public record ApiPrincipal(String keyId, String tenantId, boolean operator) {}
