package dev.switchboard.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import dev.switchboard.support.Accounts;
import dev.switchboard.support.Accounts.Session;
import dev.switchboard.support.HttpTestClient;
import dev.switchboard.support.IntegrationTest;

/** Tenant isolation enforced by PostgreSQL itself, under the application's own connections. */
@IntegrationTest
class RowLevelSecurityIntegrationTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate transactions;

    Session a;
    Session b;

    @BeforeEach
    void twoTenants() {
        Accounts accounts = new Accounts(new HttpTestClient(port));
        a = accounts.newTenantAdmin();
        b = accounts.newTenantAdmin();
    }

    @Test
    void theApplicationRoleOwnsNothing() {
        assertThat(jdbc.sql("select current_user").query(String.class).single()).isEqualTo("switchboard_app");
        assertThat(jdbc.sql("select count(*) from pg_tables where schemaname = 'public' and tableowner = current_user")
                .query(Integer.class).single()).isZero();
    }

    @Test
    void withoutATenantNothingIsVisible() {
        Integer users = transactions.execute(status -> jdbc.sql("select count(*) from users").query(Integer.class).single());
        assertThat(users).isZero();
        assertThat(jdbc.sql("select count(*) from tenants").query(Integer.class).single()).isZero();
    }

    @Test
    void aTenantSeesOnlyItsOwnRows() {
        Integer foreign = TenantContext.callAs(a.tenantId(), () -> transactions.execute(status -> jdbc.sql(
                "select count(*) from users where tenant_id <> :mine").param("mine", a.tenantId())
                .query(Integer.class).single()));
        assertThat(foreign).isZero();
        Integer own = TenantContext.callAs(a.tenantId(), () -> transactions.execute(status -> jdbc.sql("select count(*) from users").query(
                Integer.class).single()));
        assertThat(own).isEqualTo(1);
    }

    @Test
    void writesIntoAnotherTenantAreRejected() {
        assertThatThrownBy(() -> TenantContext.runAs(a.tenantId(), () -> transactions.executeWithoutResult(status -> jdbc.sql(
                "insert into users (tenant_id, email, password_hash, role) values (:t, :e, 'x', 'ADMIN')")
                .param("t", b.tenantId()).param("e", "intruder-" + UUID.randomUUID() + "@example.test").update())))
                .rootCause().hasMessageContaining("row-level security");
        Integer changed = TenantContext.callAs(a.tenantId(), () -> transactions.execute(status -> jdbc.sql(
                "update users set disabled = true where id = :id").param("id", b.userId()).update()));
        assertThat(changed).isZero();
    }
}
