package dev.switchboard.identity.internal.oauth;

import java.net.URI;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

import dev.switchboard.identity.Scopes;
import dev.switchboard.identity.internal.SecurityProperties;
import io.swagger.v3.oas.annotations.Hidden;

/**
 * The consent page: which application asks (the name it registered itself with — unverified, so the page says where
 * the answer goes as well), for which account, and for what: the {@code mcp} scope, spelled out. Allowing posts the
 * scope to the authorization endpoint; denying posts none, and the client gets {@code access_denied}. The
 * authorization server remembers a consent per client and user, so the page is shown once.
 */
@Hidden
@Controller
class ConsentController {

    private final RegisteredClientRepository clients;
    private final SecurityProperties security;

    ConsentController(RegisteredClientRepository clients, SecurityProperties security) {
        this.clients = clients;
        this.security = security;
    }

    @GetMapping(OAuthPaths.CONSENT)
    String consent(@RequestParam(name = "client_id", defaultValue = "") String clientId,
            @RequestParam(defaultValue = "") String state, @RequestParam(defaultValue = "") String scope,
            HttpServletRequest request, HttpServletResponse response, Model model) {
        RegisteredClient client = clientId.isBlank() ? null : clients.findByClientId(clientId);
        if (client == null || state.isBlank()) {
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            model.addAttribute("error", "This consent request is not valid. Start connecting from your application again.");
            return "oauth/consent";
        }
        FormActionPolicy.apply(response, security.contentSecurityPolicy(), client);
        model.addAttribute("clientId", client.getClientId());
        model.addAttribute("clientName", client.getClientName());
        model.addAttribute("redirectHosts", client.getRedirectUris().stream().map(uri -> URI.create(uri).getHost()).distinct().toList());
        model.addAttribute("email", request.getAttribute(BrowserSignInFilter.EMAIL_ATTRIBUTE));
        model.addAttribute("state", state);
        model.addAttribute("scopes", List.of(Scopes.MCP));
        return "oauth/consent";
    }
}
