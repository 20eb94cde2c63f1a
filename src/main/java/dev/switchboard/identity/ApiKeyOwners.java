package dev.switchboard.identity;

import java.util.Optional;
import java.util.UUID;

/** Who owns an API key of the current tenant: for other modules that show per-key data to its owner. */
public interface ApiKeyOwners {

    /** The owner of the key, if the key exists in the current tenant. */
    Optional<UUID> ownerOf(UUID apiKeyId);
}
