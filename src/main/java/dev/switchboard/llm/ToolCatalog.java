package dev.switchboard.llm;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Every tool the current tenant's personas may be allowed: the built-in ones and those of {@link ToolSource}s. */
public interface ToolCatalog {

    /** The tool a persona's {@code allowedTools} entry names, if there is one for the current tenant. */
    Optional<Tool> find(String name);

    /** Every tool available to the current tenant, built-in ones first, each once. */
    List<Tool> available();

    /** The names among {@code names} that no tool answers to (what saving a persona refuses). */
    Set<String> unknown(Collection<String> names);
}
