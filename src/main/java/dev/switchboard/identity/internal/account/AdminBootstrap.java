package dev.switchboard.identity.internal.account;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
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
    private final FirstRunSetup firstRun;

    AdminBootstrap(BootstrapProperties properties, UserAccounts accounts, FirstRunSetup firstRun) {
        this.properties = properties;
        this.accounts = accounts;
        this.firstRun = firstRun;
    }

    @Override
    public void run(ApplicationArguments args) {
        boolean usersExist = firstRun.usersExist();
        if (!properties.requested()) {
            if (!usersExist && properties.firstRunEnabled()) {
                // The code is for the operator who reads this log; it is worthless once a user exists.
                log.warn("No user exists yet. Open /setup in a browser and enter the set-up code {} to create the first "
                        + "admin, or set SWITCHBOARD_BOOTSTRAP_ADMIN_EMAIL and SWITCHBOARD_BOOTSTRAP_ADMIN_PASSWORD and restart",
                        firstRun.displayed());
            }
            else if (!usersExist) {
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
