package dev.switchboard.ui.internal;

import java.util.Optional;

import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

import dev.switchboard.identity.Callers;

/** What every page's layout needs: the viewer, if someone is signed in. */
@ControllerAdvice(basePackageClasses = Pages.class)
class Pages {

    static final String HOME = "/";
    static final String SIGN_IN = "/sign-in";
    static final String FIRST_RUN = "/setup";
    static final String PASSWORD = "/account/password";
    /** The admin console; every page under it is an admin's only ({@link AdminConsole}). */
    static final String ADMIN = "/admin";
    static final String FORBIDDEN = "/forbidden";

    @ModelAttribute("viewer")
    Viewer viewer() {
        return signedIn().orElse(null);
    }

    /** The user of the browser session (API keys never reach pages as users). */
    static Optional<Viewer> signedIn() {
        return Callers.current().filter(caller -> caller.apiKeyId() == null).map(Viewer::of);
    }

    static String redirect(String path) {
        return "redirect:" + path;
    }
}
