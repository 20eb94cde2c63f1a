/**
 * Personas: instructions, provider chain, knowledge bases, tools and versions; who may use them.
 *
 * <p>API: {@link dev.switchboard.persona.PersonaCatalog} finds the {@link dev.switchboard.persona.Persona}s a
 * caller may use. Administrators manage them over {@code /api/personas}; every change makes a new version (restoring
 * an old version too) and is written to the audit log.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Personas", allowedDependencies = {"shared", "tenancy", "llm", "identity"})
package dev.switchboard.persona;
