package dev.switchboard.ui.internal;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

import io.swagger.v3.oas.annotations.Hidden;

/**
 * The admin console's operations pages ({@link AdminConsole} has let only admins through): providers, external MCP
 * servers, SQL connections and "ask your database", the audit log and usage. Each page is markup only; its script
 * ({@code static/app/admin/<page>.js}) reads and writes through the API.
 */
@Hidden
@Controller
class OperationsPageController {

    @GetMapping(Pages.ADMIN + "/providers")
    String providers() {
        return "admin/providers";
    }

    @GetMapping(Pages.ADMIN + "/mcp")
    String mcpServers() {
        return "admin/mcp";
    }

    @GetMapping(Pages.ADMIN + "/databases")
    String databases() {
        return "admin/databases";
    }

    @GetMapping(Pages.ADMIN + "/databases/ask")
    String ask() {
        return "admin/ask";
    }

    @GetMapping(Pages.ADMIN + "/audit")
    String audit() {
        return "admin/audit";
    }

    @GetMapping(Pages.ADMIN + "/usage")
    String usage() {
        return "admin/usage";
    }
}
