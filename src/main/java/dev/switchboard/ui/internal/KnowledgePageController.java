package dev.switchboard.ui.internal;

import java.util.Optional;
import java.util.UUID;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

import dev.switchboard.knowledge.KnowledgeBase;
import dev.switchboard.knowledge.KnowledgeBaseCatalog;
import io.swagger.v3.oas.annotations.Hidden;

/**
 * The admin console's knowledge pages ({@link AdminConsole} has let only admins through): the knowledge bases, and one
 * knowledge base's documents. The pages are shells; {@code admin/knowledge.js} and {@code admin/knowledge-base.js} read
 * and write through the knowledge API.
 */
@Hidden
@Controller
class KnowledgePageController {

    static final String KNOWLEDGE = Pages.ADMIN + "/knowledge";

    private final KnowledgeBaseCatalog catalog;

    KnowledgePageController(KnowledgeBaseCatalog catalog) {
        this.catalog = catalog;
    }

    @GetMapping(KNOWLEDGE)
    String knowledgeBases() {
        return "admin/knowledge";
    }

    /** One knowledge base; an unknown id (or another tenant's) is a 404 page that leads back to the list. */
    @GetMapping(KNOWLEDGE + "/{id}")
    String knowledgeBase(@PathVariable String id, Model model, HttpServletResponse response) {
        Optional<KnowledgeBase> base = uuid(id).flatMap(catalog::find);
        if (base.isEmpty()) {
            response.setStatus(HttpServletResponse.SC_NOT_FOUND);
            return "admin/knowledge-missing";
        }
        model.addAttribute("base", base.get());
        return "admin/knowledge-base";
    }

    private static Optional<UUID> uuid(String id) {
        try {
            return Optional.of(UUID.fromString(id));
        }
        catch (IllegalArgumentException ex) {
            return Optional.empty();
        }
    }
}
