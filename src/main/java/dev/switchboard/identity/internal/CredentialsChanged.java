package dev.switchboard.identity.internal;

import java.util.UUID;

/**
 * A key was revoked, or a user disabled, deleted or given another role: cached authentications must go.
 * Published inside the changing transaction; acted on after it commits.
 */
public record CredentialsChanged(UUID subjectId) {
}
