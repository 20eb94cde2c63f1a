package dev.switchboard.ui.internal;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

import io.swagger.v3.oas.annotations.Hidden;

/**
 * The admin console's operations pages ({@link AdminConsole} has let only admins through): providers, external MCP
 * servers, SQL connections and "ask your database", the audit log and usage. Each page is markup only, the template
 * {@code admin/<page>}; its script ({@code static/app/admin/<page>.js}) reads and writes through the API.
 */
@Hidden
@Controller
class OperationsPageController {

    /** The pages, by the last segment of their path: a name outside the patterns is no page (404). */
    @GetMapping({Pages.ADMIN + "/{page:providers|mcp|databases|audit|usage}", Pages.ADMIN + "/databases/{page:ask}"})
    String page(@PathVariable String page) {
        return "admin/" + page;
    }
}
