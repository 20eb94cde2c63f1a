package dev.switchboard.identity.internal.oauth;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.security.oauth2.server.authorization.client.JdbcRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.OAuth2TokenFormat;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;

import dev.switchboard.identity.internal.IdentityProperties;

/**
 * Registered clients in PostgreSQL ({@code oauth2_registered_client}, global: clients belong to no tenant), read with
 * today's token settings rather than those stored at registration, so that changing
 * {@code switchboard.identity.oauth.*-ttl} applies to every client: self-contained (JWT) access tokens, refresh tokens
 * replaced on each use (rotation: a used one is dead).
 */
final class RegisteredClients implements RegisteredClientRepository {

    private final JdbcRegisteredClientRepository stored;
    private final JdbcOperations jdbc;
    private final TokenSettings tokens;

    RegisteredClients(JdbcOperations jdbc, IdentityProperties.OAuth settings) {
        this.stored = new JdbcRegisteredClientRepository(jdbc);
        this.jdbc = jdbc;
        this.tokens = TokenSettings.builder()
                .accessTokenFormat(OAuth2TokenFormat.SELF_CONTAINED)
                .accessTokenTimeToLive(settings.accessTokenTtl())
                .refreshTokenTimeToLive(settings.refreshTokenTtl())
                .reuseRefreshTokens(false)
                .build();
    }

    @Override
    public void save(RegisteredClient registeredClient) {
        stored.save(RegisteredClient.from(registeredClient).tokenSettings(tokens).build());
    }

    @Override
    public @Nullable RegisteredClient findById(String id) {
        return current(stored.findById(id));
    }

    @Override
    public @Nullable RegisteredClient findByClientId(String clientId) {
        return current(stored.findByClientId(clientId));
    }

    /** How many clients are registered. */
    long count() {
        Long count = jdbc.queryForObject("select count(*) from oauth2_registered_client", Long.class);
        return count == null ? 0 : count;
    }

    private @Nullable RegisteredClient current(@Nullable RegisteredClient client) {
        return client == null ? null : RegisteredClient.from(client).tokenSettings(tokens).build();
    }
}
