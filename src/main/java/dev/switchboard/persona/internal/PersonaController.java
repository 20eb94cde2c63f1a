package dev.switchboard.persona.internal;

import java.util.List;
import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.switchboard.identity.Caller;
import dev.switchboard.identity.Callers;
import dev.switchboard.persona.Persona;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

@Tag(name = "Personas")
@SecurityRequirement(name = "bearer")
@RestController
class PersonaController {

    private final Personas personas;

    PersonaController(Personas personas) {
        this.personas = personas;
    }

    @Operation(summary = "Create a persona", description = "Admins only. Every change makes a new version.")
    @PostMapping("/api/personas")
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize("hasRole('ADMIN')")
    Persona create(@RequestBody Personas.Definition definition) {
        return personas.create(definition);
    }

    @Operation(summary = "Replace a persona", description = "Admins only; the persona's version increases by one.")
    @PutMapping("/api/personas/{id}")
    @PreAuthorize("hasRole('ADMIN')")
    Persona replace(@PathVariable UUID id, @RequestBody Personas.Definition definition) {
        return personas.replace(id, definition);
    }

    @Operation(summary = "Delete a persona", description = "Admins only. Its sessions keep their history; it can no longer "
            + "be talked to.")
    @DeleteMapping("/api/personas/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @PreAuthorize("hasRole('ADMIN')")
    void delete(@PathVariable UUID id) {
        personas.delete(id);
    }

    /**
     * A persona as those who may talk to it but not administer it see it: never its instructions, chain,
     * tools or knowledge bases, which are the tenant's configuration (and may hold its secrets).
     */
    record PersonaSummary(UUID id, String slug, String name, String description) {

        static PersonaSummary of(Persona persona) {
            return new PersonaSummary(persona.id(), persona.slug(), persona.name(), persona.description());
        }
    }

    /** Admins get every persona in full, others a {@link PersonaSummary} of each they may use. */
    record PersonaList(@ArraySchema(schema = @Schema(oneOf = {
            Persona.class, PersonaSummary.class})) List<?> personas) {
    }

    record PersonaVersionList(List<Personas.PersonaVersion> versions) {
    }

    /** The agents the caller may talk to: what chat clients list. */
    record Agent(UUID id, String slug, String name, String description) {
    }

    record AgentList(List<Agent> agents) {
    }

    @Operation(summary = "List personas", description = "Admins: every persona of the tenant, in full; members and "
            + "keys without the admin scope: a summary (id, slug, name, description) of those they may use.")
    @GetMapping("/api/personas")
    PersonaList list() {
        Caller caller = Callers.require();
        List<Persona> usable = personas.usable(caller.actsAsAdmin());
        return new PersonaList(caller.actsAsAdmin() ? usable : usable.stream().map(PersonaSummary::of).toList());
    }

    @Operation(summary = "Show a persona", description = "By id or slug. Admins see it in full; members and keys without "
            + "the admin scope see a summary (id, slug, name, description) of a persona they may use.")
    @ApiResponse(responseCode = "200", description = "The persona (admins) or its summary", content = @Content(schema = @Schema(oneOf = {
            Persona.class, PersonaSummary.class})))
    @GetMapping("/api/personas/{idOrSlug}")
    Object show(@PathVariable String idOrSlug) {
        Caller caller = Callers.require();
        Persona persona = personas.usable(idOrSlug, caller.actsAsAdmin()).orElseThrow(() -> Personas.notFound(idOrSlug));
        return caller.actsAsAdmin() ? persona : PersonaSummary.of(persona);
    }

    @Operation(summary = "A persona's versions", description = "Admins only; newest first, each as it was.")
    @GetMapping("/api/personas/{id}/versions")
    @PreAuthorize("hasRole('ADMIN')")
    PersonaVersionList versions(@PathVariable UUID id) {
        return new PersonaVersionList(personas.versions(id));
    }

    @Operation(summary = "Restore a persona's version", description = "Admins only. The persona becomes what it was at "
            + "that version, as a new version (its history stays); checked like any change (400 when the version names a "
            + "tool that is gone, 409 when its slug is taken now). Audited as persona.restored.")
    @PostMapping("/api/personas/{id}/versions/{version}/restore")
    @PreAuthorize("hasRole('ADMIN')")
    Persona restore(@PathVariable UUID id, @PathVariable int version) {
        return personas.restore(id, version);
    }

    /** A tool a persona may be allowed, as {@code allowedTools} names it. */
    @Schema(name = "PersonaTool")
    record PersonaTool(String name, String description) {
    }

    @Schema(name = "PersonaToolList")
    record PersonaToolList(List<PersonaTool> tools) {
    }

    @Operation(summary = "Tools a persona may be allowed", description = "Admins only. Every name a persona's "
            + "allowedTools may hold in this tenant: built-in tools (search_knowledge, ask_agent, ...), query_database/<name> "
            + "for each registered database and <server>/<tool> for each registered MCP server's tools.")
    @GetMapping("/api/tools")
    @PreAuthorize("hasRole('ADMIN')")
    PersonaToolList tools() {
        return new PersonaToolList(personas.tools().stream()
                .map(tool -> new PersonaTool(tool.name(), tool.definition().description())).toList());
    }

    @Operation(summary = "Agents I may use", description = "The personas the caller may talk to, by name.")
    @GetMapping("/api/agents")
    AgentList agents() {
        return new AgentList(personas.usable(Callers.require().actsAsAdmin()).stream()
                .map(p -> new Agent(p.id(), p.slug(), p.name(), p.description())).toList());
    }
}
