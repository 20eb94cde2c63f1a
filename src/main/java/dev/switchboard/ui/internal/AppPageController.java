package dev.switchboard.ui.internal;

import java.util.Optional;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

import dev.switchboard.identity.FirstRun;
import dev.switchboard.persona.PersonaCatalog;
import io.swagger.v3.oas.annotations.Hidden;

/**
 * The pages of a signed-in user: the chat (its persona picker lists the personas the user may talk to; the rest is
 * {@code chat.js} over the chat and session API) and the password change. A
 * browser without a session is sent to sign in, or to the first-run page while no user exists.
 */
@Hidden
@Controller
class AppPageController {

    private final PersonaCatalog personas;
    private final FirstRun firstRun;

    AppPageController(PersonaCatalog personas, FirstRun firstRun) {
        this.personas = personas;
        this.firstRun = firstRun;
    }

    @GetMapping(Pages.HOME)
    String home(Model model) {
        Optional<Viewer> viewer = Pages.signedIn();
        if (viewer.isEmpty()) {
            return Pages.redirect(firstRun.open() ? Pages.FIRST_RUN : Pages.SIGN_IN);
        }
        model.addAttribute("personas", personas.usable(viewer.get().admin()));
        return "app/chat";
    }

    @GetMapping(Pages.PASSWORD)
    String password() {
        return Pages.signedIn().isPresent() ? "app/password" : Pages.redirect(Pages.SIGN_IN);
    }
}
