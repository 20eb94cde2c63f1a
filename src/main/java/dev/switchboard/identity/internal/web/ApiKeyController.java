package dev.switchboard.identity.internal.web;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.switchboard.identity.Callers;
import dev.switchboard.identity.internal.apikey.ApiKey;
import dev.switchboard.identity.internal.apikey.ApiKeys;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

/** API keys: managed from a signed-in session, or with a key that carries the admin scope (see {@code ApiAreas}). */
@Tag(name = "API keys")
@SecurityRequirement(name = "bearer")
@RestController
@RequestMapping("/api/keys")
class ApiKeyController {

    private final ApiKeys keys;

    ApiKeyController(ApiKeys keys) {
        this.keys = keys;
    }

    record CreateKeyRequest(
            @NotBlank @Size(max = 100) String name,
            @Pattern(regexp = "[a-z0-9][a-z0-9-]{0,31}", message = "must be a tier name such as free, pro or enterprise") String tier,
            List<@NotBlank String> scopes,
            Instant expiresAt,
            UUID userId) {
    }

    record CreatedKey(UUID id, String key, String name, String prefix, String tier, List<String> scopes, UUID userId,
            Instant expiresAt, Instant createdAt) {
    }

    @Operation(summary = "Create an API key", description = "The key is in the response once and never again. "
            + "Keys are created by their owner (another userId: 403 keys-for-others), at most "
            + "switchboard.identity.max-keys-per-user live ones (409 too-many-keys). Only admins choose a tier "
            + "(403 tier-not-allowed; 400 unknown-tier); a member's keys have the member's tier.")
    @PostMapping
    ResponseEntity<CreatedKey> create(@Valid @RequestBody CreateKeyRequest request) {
        ApiKeys.Created created = keys.create(Callers.require(), request.userId(), request.name(), request.tier(),
                request.scopes(), request.expiresAt());
        ApiKey key = created.key();
        return ResponseEntity.created(URI.create("/api/keys/" + key.id())).body(new CreatedKey(key.id(), created.secret(),
                key.name(), key.prefix(), key.tier(), key.scopes(), key.userId(), key.expiresAt(), key.createdAt()));
    }

    @Operation(summary = "List API keys", description = "Your keys; admins pass all=true for the whole tenant. Never the secret.")
    @GetMapping
    List<ApiKey> list(@RequestParam(defaultValue = "false") boolean all) {
        return keys.list(Callers.require(), all);
    }

    @Operation(summary = "Revoke an API key", description = "Takes effect on the next request, on every replica.")
    @DeleteMapping("/{id}")
    ResponseEntity<Void> revoke(@PathVariable UUID id) {
        keys.revoke(Callers.require(), id);
        return ResponseEntity.status(HttpStatus.NO_CONTENT).build();
    }
}
