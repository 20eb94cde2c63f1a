package dev.switchboard.ops.internal.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.switchboard.support.Accounts.Session;
import dev.switchboard.support.ApiTestSupport;
import dev.switchboard.support.IntegrationTest;
import dev.switchboard.support.SchemaOwner;

/**
 * The retention job deletes refresh tokens, audit events, usage rows and OAuth authorizations and clients older than their
 * {@code switchboard.retention.*} setting, across tenants, in batches, and keeps everything younger.
 */
@IntegrationTest
class RetentionIntegrationTests extends ApiTestSupport {

    @Autowired
    RetentionJob job;

    @Autowired
    JdbcTemplate jdbc;

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        // Small batches, so one run has to loop; an interval long enough that only the test runs the job.
        registry.add("switchboard.retention.batch", () -> "2");
        registry.add("switchboard.retention.interval", () -> "PT24H");
        registry.add("switchboard.retention.refresh-tokens", () -> "P7D");
        registry.add("switchboard.retention.audit-events", () -> "P30D");
        registry.add("switchboard.retention.usage", () -> "P90D");
    }

    @Test
    void oldRowsOfEveryTenantArePurgedAndYoungOnesKept() {
        Session first = accounts.newTenantAdmin();
        Session second = accounts.newTenantAdmin();
        for (Session tenant : new Session[] {first, second}) {
            // Three refresh tokens past retention (expired, revoked, both) and one expired only yesterday.
            refreshToken(tenant, "now() - interval '8 days'", "null");
            refreshToken(tenant, "now() + interval '1 day'", "now() - interval '9 days'");
            refreshToken(tenant, "now() - interval '20 days'", "now() - interval '30 days'");
            refreshToken(tenant, "now() - interval '1 day'", "null");
            for (int days : new int[] {31, 45, 400, 29, 0}) {
                SchemaOwner.update(jdbc, "insert into audit_events (tenant_id, occurred_at, action) values ('" + tenant.tenantId()
                        + "', now() - interval '" + days + " days', 'test.retention')");
            }
            for (int days : new int[] {91, 120, 89}) {
                SchemaOwner.update(jdbc, "insert into usage_records (tenant_id, user_id, endpoint, status, minute, requests) values ('"
                        + tenant.tenantId() + "', '" + tenant.userId() + "', 'test', 200, date_trunc('minute', now()) - interval '"
                        + days + " days', 1)");
            }
        }
        long liveTokens = count("refresh_tokens where expires_at > now() and revoked_at is null");

        var purged = job.run();

        assertThat(purged).containsEntry("refresh-tokens", 6).containsEntry("audit-events", 6).containsEntry("usage", 4);
        for (Session tenant : new Session[] {first, second}) {
            assertThat(count("refresh_tokens where tenant_id = '" + tenant.tenantId() + "' and expires_at < now()"))
                    .as("the token expired yesterday is kept").isEqualTo(1);
            assertThat(count("audit_events where action = 'test.retention' and tenant_id = '" + tenant.tenantId() + "'"))
                    .isEqualTo(2);
            assertThat(count("usage_records where endpoint = 'test' and tenant_id = '" + tenant.tenantId() + "'")).isEqualTo(1);
        }
        assertThat(count("refresh_tokens where expires_at > now() and revoked_at is null"))
                .as("live sessions are untouched").isEqualTo(liveTokens);
        assertThat(http.postJson("/api/auth/refresh", "{\"refreshToken\":\"" + second.refreshToken() + "\"}").statusCode())
                .as("a live session still refreshes").isEqualTo(200);
        assertThat(job.run()).as("a second run finds nothing").containsEntry("refresh-tokens", 0)
                .containsEntry("audit-events", 0).containsEntry("usage", 0);
    }

    private void refreshToken(Session tenant, String expiresAt, String revokedAt) {
        SchemaOwner.update(jdbc, "insert into refresh_tokens (tenant_id, user_id, family_id, token_hash, expires_at, revoked_at) values ('"
                + tenant.tenantId() + "', '" + tenant.userId() + "', '" + UUID.randomUUID() + "', decode(md5(random()::text), 'hex'), "
                + expiresAt + ", " + revokedAt + ")");
    }

    private long count(String fromWhere) {
        return Long.parseLong(SchemaOwner.strings(jdbc, "select count(*) from " + fromWhere).getFirst());
    }

    @Test
    void expiredOAuthAuthorizationsAndClientsNobodyAuthorizedArePurged() {
        Session user = accounts.newTenantAdmin();
        String unused = client("now() - interval '2 days'");
        String young = client("now()");
        String used = client("now() - interval '40 days'");
        String expired = authorization(used, user, "now() - interval '3 days'", "now() - interval '2 days'");
        String live = authorization(used, user, "now() - interval '3 days'", "now() + interval '20 days'");

        job.run();

        assertThat(count("oauth2_authorization where id = '" + expired + "'")).as("all its tokens expired over a day ago").isZero();
        assertThat(count("oauth2_authorization where id = '" + live + "'")).as("its refresh token still works").isEqualTo(1);
        assertThat(count("oauth2_registered_client where id = '" + unused + "'")).as("registered two days ago, never used").isZero();
        assertThat(count("oauth2_registered_client where id in ('" + young + "', '" + used + "')")).isEqualTo(2);
        assertThat(SchemaOwner.strings(jdbc, "select tenant_id::text from oauth2_authorization where id = '" + live + "'"))
                .as("the owner is derived from the principal").containsExactly(user.tenantId().toString());
    }

    private String client(String issuedAt) {
        String id = UUID.randomUUID().toString();
        SchemaOwner.update(jdbc, "insert into oauth2_registered_client (id, client_id, client_id_issued_at, client_name, "
                + "client_authentication_methods, authorization_grant_types, redirect_uris, scopes, client_settings, token_settings) "
                + "values ('" + id + "', '" + id + "', " + issuedAt + ", 'c', 'none', 'authorization_code,refresh_token', "
                + "'https://app.example/cb', 'mcp', '{}', '{}')");
        return id;
    }

    private String authorization(String clientId, Session user, String accessExpiresAt, String refreshExpiresAt) {
        String id = UUID.randomUUID().toString();
        SchemaOwner.update(jdbc, "insert into oauth2_authorization (id, registered_client_id, principal_name, authorization_grant_type, "
                + "access_token_value, access_token_issued_at, access_token_expires_at, refresh_token_value, refresh_token_issued_at, "
                + "refresh_token_expires_at) values ('" + id + "', '" + clientId + "', '" + user.userId() + "', 'authorization_code', "
                + "'sha256:a" + id + "', now() - interval '30 days', " + accessExpiresAt + ", 'sha256:r" + id
                + "', now() - interval '30 days', "
                + refreshExpiresAt + ")");
        return id;
    }
}
