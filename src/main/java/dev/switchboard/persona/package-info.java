/**
 * Personas: instructions, provider chain, knowledge bases, tools and versions; who may use them.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Personas", allowedDependencies = {"shared", "tenancy", "llm"})
package dev.switchboard.persona;
