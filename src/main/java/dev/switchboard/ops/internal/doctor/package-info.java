/**
 * The {@code doctor} command: a deployment verifier that speaks HTTP to a running Switchboard, from outside, as its
 * users and attackers would, and prints a table of checks (health, authentication, security headers, CORS, HTTPS,
 * OpenAPI, metrics guard, chat, MCP, providers, rate limit). See docs/operations.md, "doctor".
 */
package dev.switchboard.ops.internal.doctor;
