package dev.switchboard.ui.internal;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

import dev.switchboard.identity.FirstRun;
import dev.switchboard.shared.SwitchboardException;
import io.swagger.v3.oas.annotations.Hidden;

/**
 * The first-run page: while no user exists, whoever has the set-up code from the server's log creates the first
 * admin. A plain form (no script needed); once any user exists the page is gone (to sign-in).
 */
@Hidden
@Controller
class FirstRunPageController {

    private final FirstRun firstRun;

    FirstRunPageController(FirstRun firstRun) {
        this.firstRun = firstRun;
    }

    @GetMapping(Pages.FIRST_RUN)
    String page() {
        return firstRun.open() ? "app/setup" : Pages.redirect(Pages.SIGN_IN);
    }

    @PostMapping(Pages.FIRST_RUN)
    String create(@RequestParam(defaultValue = "") String code, @RequestParam(defaultValue = "") String email,
            @RequestParam(defaultValue = "") String password, @RequestParam(defaultValue = "") String confirmation,
            HttpServletResponse response, Model model) {
        model.addAttribute("email", email);
        if (code.isBlank() || email.isBlank() || !email.contains("@") || email.length() > 320 || password.length() > 1024) {
            return refused(response, model, HttpStatus.BAD_REQUEST, "Enter the set-up code, an e-mail address and a password.");
        }
        if (!password.equals(confirmation)) {
            return refused(response, model, HttpStatus.BAD_REQUEST, "The two passwords differ. Type the same password twice.");
        }
        try {
            return switch (firstRun.createAdmin(code, email.strip(), password)) {
                case CREATED -> Pages.redirect(Pages.SIGN_IN + "?notice=created");
                case WRONG_CODE -> refused(response, model, HttpStatus.FORBIDDEN,
                        "That is not this server's set-up code. Copy it from the line of the server's log that names /setup.");
                case CLOSED -> Pages.redirect(Pages.SIGN_IN);
            };
        }
        catch (SwitchboardException ex) {
            return refused(response, model, HttpStatus.valueOf(ex.getStatusCode().value()), ex.getBody().getDetail());
        }
    }

    private static String refused(HttpServletResponse response, Model model, HttpStatus status, String error) {
        response.setStatus(status.value());
        model.addAttribute("error", error);
        return "app/setup";
    }
}
