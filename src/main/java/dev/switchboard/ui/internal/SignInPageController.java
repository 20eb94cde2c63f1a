package dev.switchboard.ui.internal;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

import dev.switchboard.identity.FirstRun;
import io.swagger.v3.oas.annotations.Hidden;

/**
 * The sign-in page. The form is sent by the page's script to {@code POST /api/auth/login} as a browser session
 * (cookies and a CSRF token); the page first tries to renew an expired session from its refresh cookie.
 */
@Hidden
@Controller
class SignInPageController {

    /** Why the browser came here, as the page says it. */
    enum Notice {
        SIGNED_OUT("You are signed out."),
        PASSWORD_CHANGED("Your password is changed. Sign in with the new one."),
        CREATED("The administrator account is ready. Sign in with it.");

        private final String text;

        Notice(String text) {
            this.text = text;
        }

        String text() {
            return text;
        }
    }

    private final FirstRun firstRun;

    SignInPageController(FirstRun firstRun) {
        this.firstRun = firstRun;
    }

    @GetMapping(Pages.SIGN_IN)
    String signIn(@RequestParam(name = "notice", required = false) String notice, Model model) {
        if (Pages.signedIn().isPresent()) {
            return Pages.redirect(Pages.HOME);
        }
        if (firstRun.open()) {
            return Pages.redirect(Pages.FIRST_RUN);
        }
        model.addAttribute("notice", notice(notice));
        return "app/sign-in";
    }

    private static String notice(String name) {
        for (Notice notice : Notice.values()) {
            if (notice.name().equalsIgnoreCase(name)) {
                return notice.text();
            }
        }
        return null;
    }
}
