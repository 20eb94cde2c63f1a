package dev.switchboard.llm.internal.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;

import dev.switchboard.llm.LlmTool;
import dev.switchboard.llm.Tool;
import dev.switchboard.llm.ToolContext;
import dev.switchboard.llm.ToolResult;
import dev.switchboard.llm.ToolSource;

/** The catalog finds built-in tools and those of sources by name; built-ins win a clash; a failing source costs only its own tools. */
class RegisteredToolsTests {

    @Test
    void findsToolsByTheNamePersonasUseAndReportsUnknownOnes() {
        DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
        beans.registerSingleton("search", tool("search_knowledge", "built-in"));
        beans.registerSingleton("external", (ToolSource) () -> List.of(tool("weather/forecast", "external"),
                tool("search_knowledge", "shadow")));
        beans.registerSingleton("broken", (ToolSource) () -> {
            throw new IllegalStateException("registry down");
        });
        RegisteredTools catalog = new RegisteredTools(beans.getBeanProvider(Tool.class), beans.getBeanProvider(ToolSource.class));

        assertThat(catalog.available()).extracting(Tool::name).containsExactly("search_knowledge", "weather/forecast");
        assertThat(catalog.find("search_knowledge")).get().extracting(t -> t.definition().description()).isEqualTo("built-in");
        assertThat(catalog.find("weather/forecast")).get().extracting(t -> t.definition().name()).isEqualTo("weather__forecast");
        assertThat(catalog.find("ask_agent")).isEmpty();
        assertThat(catalog.unknown(List.of("search_knowledge", "ask_agent", "weather/radar")))
                .containsExactly("ask_agent", "weather/radar");
    }

    private static Tool tool(String name, String description) {
        return new Tool() {

            @Override
            public String name() {
                return name;
            }

            @Override
            public LlmTool definition() {
                return new LlmTool(name.replace("/", "__"), description, null);
            }

            @Override
            public ToolResult call(ToolContext context, String arguments) {
                return ToolResult.ok(description);
            }
        };
    }
}
