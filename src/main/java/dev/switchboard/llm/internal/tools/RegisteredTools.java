package dev.switchboard.llm.internal.tools;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import dev.switchboard.llm.Tool;
import dev.switchboard.llm.ToolCatalog;
import dev.switchboard.llm.ToolSource;

/**
 * The {@link ToolCatalog} over the {@link Tool} beans modules contribute and the {@link ToolSource}s whose tools
 * change at run time. Built-in tools win a name clash (a source cannot shadow {@code search_knowledge}).
 * The beans are looked up lazily: a tool may itself depend on beans that need the catalog.
 */
@Component
class RegisteredTools implements ToolCatalog {

    private static final Logger log = LoggerFactory.getLogger(RegisteredTools.class);

    private final ObjectProvider<Tool> builtIn;
    private final ObjectProvider<ToolSource> sources;

    RegisteredTools(ObjectProvider<Tool> builtIn, ObjectProvider<ToolSource> sources) {
        this.builtIn = builtIn;
        this.sources = sources;
    }

    @Override
    public Optional<Tool> find(String name) {
        return Optional.ofNullable(byName().get(name));
    }

    @Override
    public List<Tool> available() {
        return new ArrayList<>(byName().values());
    }

    @Override
    public Set<String> unknown(Collection<String> names) {
        Map<String, Tool> tools = byName();
        Set<String> unknown = new LinkedHashSet<>();
        for (String name : names) {
            if (!tools.containsKey(name)) {
                unknown.add(name);
            }
        }
        return unknown;
    }

    private Map<String, Tool> byName() {
        Map<String, Tool> tools = new LinkedHashMap<>();
        builtIn.orderedStream().forEach(tool -> tools.putIfAbsent(tool.name(), tool));
        sources.orderedStream().forEach(source -> {
            List<Tool> offered;
            try {
                offered = source.tools();
            }
            catch (RuntimeException ex) {
                // A source is documented never to throw; one that does costs its own tools, not the catalog.
                log.warn("Tool source {} failed: {}", source.getClass().getSimpleName(), ex.toString());
                return;
            }
            for (Tool tool : offered) {
                tools.putIfAbsent(tool.name(), tool);
            }
        });
        return tools;
    }
}
