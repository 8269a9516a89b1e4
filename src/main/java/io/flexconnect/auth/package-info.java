/**
 * API keys of the REST API and the live stream. {@link io.flexconnect.auth.ApiKeys} generates,
 * parses and hashes keys (pure Java); {@link io.flexconnect.auth.ApiKeyStore} keeps their hashes in
 * PostgreSQL and checks presented keys; {@link io.flexconnect.auth.ApiKeyAuthHandler} is the Vert.x
 * Web handler that turns a request's key into an {@link io.flexconnect.auth.ApiPrincipal} (its
 * tenant) or a 401. Scoping what a principal may see is the API's job ({@code io.flexconnect.api}).
 */
package io.flexconnect.auth;
