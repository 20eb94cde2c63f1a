package dev.switchboard.identity.internal.account;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import dev.switchboard.identity.internal.BootstrapProperties;

/**
 * Creates the first tenant and admin at start-up from {@code switchboard.bootstrap.*}, once: only while no
 * user exists at all.
 */
@Component
class AdminBootstrap implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(AdminBootstrap.class);

    private final BootstrapProperties properties;
    private final UserAccounts accounts;
    private final JdbcClient jdbc;

    AdminBootstrap(BootstrapProperties properties, UserAccounts accounts, JdbcClient jdbc) {
        this.properties = properties;
        this.accounts = accounts;
        this.jdbc = jdbc;
    }

    @Override
    public void run(ApplicationArguments args) {
        boolean usersExist = Boolean.TRUE.equals(jdbc.sql("select switchboard_any_user_exists()").query(Boolean.class).single());
        if (!properties.requested()) {
            if (!usersExist) {
                log.warn("No user exists yet, so nobody can sign in: set SWITCHBOARD_BOOTSTRAP_ADMIN_EMAIL and "
                        + "SWITCHBOARD_BOOTSTRAP_ADMIN_PASSWORD (12+ characters) and restart, or enable sign-up "
                        + "(switchboard.identity.signup-enabled=true)");
            }
            return;
        }
        if (usersExist) {
            log.debug("Users exist; switchboard.bootstrap.* is ignored");
            return;
        }
        accounts.createTenantWithAdmin(properties.tenant(), properties.tenant(), properties.adminEmail(),
                properties.adminPassword());
        log.info("Created tenant '{}' with its first admin", properties.tenant());
    }
}
