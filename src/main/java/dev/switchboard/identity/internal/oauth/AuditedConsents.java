package dev.switchboard.identity.internal.oauth;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.security.oauth2.server.authorization.JdbcOAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsent;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

import dev.switchboard.identity.internal.SecurityEvents;

/**
 * Consents in PostgreSQL ({@code oauth2_authorization_consent}), each one given audited as {@code oauth.authorized}
 * in the user's tenant, with the client's id and registered name and the scopes: an administrator sees which
 * applications act for which users.
 */
final class AuditedConsents implements OAuth2AuthorizationConsentService {

    private final JdbcOAuth2AuthorizationConsentService stored;
    private final JdbcOperations jdbc;
    private final RegisteredClientRepository clients;
    private final SecurityEvents events;

    AuditedConsents(JdbcOperations jdbc, RegisteredClientRepository clients, SecurityEvents events) {
        this.stored = new JdbcOAuth2AuthorizationConsentService(jdbc, clients);
        this.jdbc = jdbc;
        this.clients = clients;
        this.events = events;
    }

    @Override
    public void save(OAuth2AuthorizationConsent consent) {
        stored.save(consent);
        // The trigger derived the tenant from the principal; read it back rather than trust anything else.
        List<UUID> tenant = jdbc.queryForList("select tenant_id from oauth2_authorization_consent where registered_client_id = ? "
                + "and principal_name = ?", UUID.class, consent.getRegisteredClientId(), consent.getPrincipalName());
        RegisteredClient client = clients.findById(consent.getRegisteredClientId());
        events.publish("oauth.authorized", tenant.isEmpty() ? null : tenant.getFirst(), UUID.fromString(consent.getPrincipalName()),
                null, null, Map.of("client", client == null ? consent.getRegisteredClientId() : client.getClientId(), "clientName",
                        client == null ? "" : client.getClientName(), "scopes", String.join(" ", consent.getScopes())));
    }

    @Override
    public void remove(OAuth2AuthorizationConsent consent) {
        stored.remove(consent);
    }

    @Override
    public @Nullable OAuth2AuthorizationConsent findById(String registeredClientId, String principalName) {
        return stored.findById(registeredClientId, principalName);
    }
}
