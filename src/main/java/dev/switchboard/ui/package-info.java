/**
 * The browser app: chat and the admin console, served by Switchboard itself.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Web app", allowedDependencies = {"shared", "identity", "persona", "chat",
        "knowledge", "sql", "llm", "ops"})
package dev.switchboard.ui;
