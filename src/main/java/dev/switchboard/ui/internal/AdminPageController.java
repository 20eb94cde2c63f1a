package dev.switchboard.ui.internal;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

import io.swagger.v3.oas.annotations.Hidden;

/**
 * The admin console's overview ({@link AdminConsole} has let only admins through) and the page a member sees instead of
 * a console page.
 */
@Hidden
@Controller
class AdminPageController {

    @GetMapping(Pages.ADMIN)
    String overview() {
        return "admin/overview";
    }

    @GetMapping(Pages.FORBIDDEN)
    String forbidden(HttpServletResponse response) {
        response.setStatus(HttpServletResponse.SC_FORBIDDEN);
        return "app/forbidden";
    }
}
