/**
 * Who is calling and what they may do: users, password hashing, login, JWT access tokens with rotating
 * refresh tokens, API keys, roles, and the HTTP security in front of everything — the Spring Security filter
 * chain, the security headers written on every response, CORS and the HTTPS redirect.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Identity", allowedDependencies = {"shared", "tenancy"})
package dev.switchboard.identity;
