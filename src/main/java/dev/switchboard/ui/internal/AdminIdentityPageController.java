package dev.switchboard.ui.internal;

import java.util.UUID;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

import io.swagger.v3.oas.annotations.Hidden;

/**
 * The admin console's pages for personas, users and API keys ({@link AdminConsole} has let only admins through). They
 * render the page's frame; the page's module ({@code static/app/admin/<name>.js}) reads and writes through the API.
 */
@Hidden
@Controller
class AdminIdentityPageController {

    static final String PERSONAS = Pages.ADMIN + "/personas";
    static final String USERS = Pages.ADMIN + "/users";
    static final String KEYS = Pages.ADMIN + "/keys";

    @GetMapping(PERSONAS)
    String personas() {
        return "admin/personas";
    }

    @GetMapping(PERSONAS + "/new")
    String newPersona() {
        return "admin/persona";
    }

    @GetMapping(PERSONAS + "/{id}")
    String persona(@PathVariable UUID id, Model model) {
        model.addAttribute("personaId", id);
        return "admin/persona";
    }

    @GetMapping(USERS)
    String users() {
        return "admin/users";
    }

    @GetMapping(KEYS)
    String keys() {
        return "admin/keys";
    }
}
