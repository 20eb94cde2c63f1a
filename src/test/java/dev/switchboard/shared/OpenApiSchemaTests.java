package dev.switchboard.shared;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import dev.switchboard.support.HttpTestClient;
import dev.switchboard.support.IntegrationTest;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import tools.jackson.databind.JsonNode;

/**
 * The OpenAPI document describes every request and success response with a schema a client generator can use: no
 * bare {@code object}, no string-keyed map, except the free-form fields in {@link #FREE_FORM}; every {@code $ref}
 * resolves; and no two Java types share a schema name (springdoc names a schema by the simple class name and keeps one
 * of two types that share it, so the other's users would be described wrongly). docs/architecture.md, "API overview".
 */
@IntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiSchemaTests {

    /** Where free-form JSON is the contract, by location (component schema and property), with the reason. */
    static final Map<String, String> FREE_FORM = Map.ofEntries(
            Map.entry("Entry.details", "audit details: their fields depend on the action"),
            Map.entry("ProviderHealth.targets", "breaker state by model name: the provider's own model names are the keys"),
            Map.entry("ToolDescription.inputSchema", "a JSON Schema (MCP tools/list)"),
            Map.entry("ToolDescription.outputSchema", "a JSON Schema (MCP tools/list)"),
            Map.entry("McpServerTool.inputSchema", "a JSON Schema, as the external MCP server lists it"),
            Map.entry("JsonRpcRequest.id", "JSON-RPC: a string or a number"),
            Map.entry("JsonRpcRequest.params", "MCP: defined per method by the MCP specification"),
            Map.entry("JsonRpcResponse.id", "JSON-RPC: a string or a number"),
            Map.entry("JsonRpcResponse.result", "MCP: defined per method by the MCP specification"),
            Map.entry("ChatCompletionRequest.messages", "OpenAI wire format: a union of message shapes (ClientMessages)"),
            Map.entry("ChatCompletionRequest.tools", "OpenAI wire format: function tools whose parameters are JSON Schemas"),
            Map.entry("ChatCompletionRequest.tool_choice", "OpenAI wire format: a string or an object"),
            Map.entry("CreateResponseRequest.input", "OpenAI wire format: a string or a list of input items"),
            Map.entry("CreateResponseRequest.tools", "OpenAI wire format: function tools whose parameters are JSON Schemas"),
            Map.entry("CreateResponseRequest.tool_choice", "OpenAI wire format: a string or an object"),
            Map.entry("CreateResponseRequest.metadata", "OpenAI wire format: the caller's own keys"),
            Map.entry("ResponseObject.tools", "OpenAI wire format: the request's tools, echoed"),
            Map.entry("ResponseObject.tool_choice", "OpenAI wire format: the request's tool_choice, echoed"),
            Map.entry("ResponseObject.metadata", "OpenAI wire format: the request's metadata, echoed"),
            Map.entry("SqlAnswer.rows[][]", "a result cell: a string, number, boolean or null, as the database's column type gives"),
            Map.entry("GET /health 200 application/json.components", "actuator: status by health component name"),
            Map.entry("GET /health/live 200 application/json.components", "actuator: status by health component name"),
            Map.entry("GET /health/ready 200 application/json.components", "actuator: status by health component name"));

    @LocalServerPort
    int port;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping handlers;

    JsonNode api;

    @BeforeAll
    void document() {
        HttpResponse<String> response = new HttpTestClient(port).get("/api/docs/openapi.json");
        assertThat(response.statusCode()).isEqualTo(200);
        api = HttpTestClient.json(response);
    }

    @Test
    void everyRequestAndSuccessResponseHasATypedSchema() {
        Set<String> untyped = new TreeSet<>();
        Set<String> seen = new LinkedHashSet<>();
        api.path("paths").properties().forEach(path -> {
            if (path.getKey().startsWith("/test/")) {
                return; // ProbeController: endpoints that exist only in tests
            }
            path.getValue().properties().forEach(operation -> {
                String where = operation.getKey().toUpperCase() + " " + path.getKey();
                JsonNode op = operation.getValue();
                op.path("requestBody").path("content").properties().forEach(media -> check(media.getValue().path("schema"),
                        where + " request " + media.getKey(), untyped, seen));
                op.path("responses").properties().stream().filter(response -> response.getKey().startsWith("2"))
                        .forEach(response -> response.getValue().path("content").properties().forEach(media -> check(
                                media.getValue().path("schema"), where + " " + response.getKey() + " " + media.getKey(),
                                untyped, seen)));
            });
        });
        assertThat(untyped).as("untyped schemas: name a record, or add a free-form field to FREE_FORM with its reason")
                .isEmpty();
        assertThat(seen).as("the walk reached the component schemas").contains("ChatResponse", "PersonaList");
        assertThat(api.path("components").path("schemas").has("JsonNode"))
                .as("Jackson's tree type is described as any value, not by its getters").isFalse();
    }

    @Test
    void everyReferenceResolves() {
        List<String> dangling = new ArrayList<>();
        collectReferences(api, dangling);
        assertThat(dangling).as("$ref with no schema behind it").isEmpty();
    }

    @Test
    void noTwoTypesShareASchemaName() {
        Map<String, Set<String>> names = new TreeMap<>();
        handlers.getHandlerMethods().values().forEach(handler -> endpointTypes(handler, names));
        assertThat(names).as("the endpoint types' schema names were collected").containsKeys("ChatResponse", "UsageReport");
        names.values().removeIf(types -> types.size() < 2);
        assertThat(names).as("schema names shared by several types: give one @Schema(name = ...)").isEmpty();
    }

    private void check(JsonNode schema, String where, Set<String> untyped, Set<String> seen) {
        if (schema.isMissingNode()) {
            untyped.add(where + ": no schema");
            return;
        }
        if (schema.has("$ref")) {
            String name = schema.path("$ref").asString().substring("#/components/schemas/".length());
            if (seen.add(name)) {
                check(component(name), name, untyped, seen);
            }
            return;
        }
        boolean combined = false;
        for (String combinator : List.of("allOf", "oneOf", "anyOf")) {
            for (JsonNode part : schema.path(combinator)) {
                combined = true;
                check(part, where, untyped, seen);
            }
        }
        String type = type(schema);
        if ("array".equals(type)) {
            check(schema.path("items"), where + "[]", untyped, seen);
            return;
        }
        if (combined || type != null && !"object".equals(type)) {
            return;
        }
        if (schema.path("properties").isEmpty()) {
            if (!FREE_FORM.containsKey(where)) {
                untyped.add(where + ": " + (schema.has("additionalProperties") ? "map" : "bare object"));
            }
            return;
        }
        schema.path("properties").properties().forEach(property -> check(property.getValue(), where + "." + property.getKey(),
                untyped, seen));
    }

    private static String type(JsonNode schema) {
        JsonNode type = schema.path("type");
        if (type.isArray()) {
            for (JsonNode each : type) {
                if (!"null".equals(each.asString())) {
                    return each.asString();
                }
            }
            return null;
        }
        return type.isMissingNode() ? null : type.asString();
    }

    private JsonNode component(String name) {
        return api.path("components").path("schemas").path(name);
    }

    private void collectReferences(JsonNode node, List<String> dangling) {
        if (node.isObject()) {
            node.properties().forEach(entry -> {
                if (entry.getKey().equals("$ref") && entry.getValue().isString()) {
                    String ref = entry.getValue().asString();
                    if (!ref.startsWith("#/components/schemas/")
                            || component(ref.substring("#/components/schemas/".length())).isMissingNode()) {
                        dangling.add(ref);
                    }
                }
                else {
                    collectReferences(entry.getValue(), dangling);
                }
            });
        }
        else if (node.isArray()) {
            node.forEach(each -> collectReferences(each, dangling));
        }
    }

    /** The types an endpoint reads and writes, and the types they reach, by the schema name springdoc gives them. */
    private static void endpointTypes(HandlerMethod handler, Map<String, Set<String>> names) {
        Method method = handler.getMethod();
        visit(method.getGenericReturnType(), names);
        for (MethodParameter parameter : handler.getMethodParameters()) {
            if (parameter.hasParameterAnnotation(RequestBody.class)) {
                visit(parameter.getGenericParameterType(), names);
            }
        }
        for (ApiResponse response : method.getAnnotationsByType(ApiResponse.class)) {
            for (Content content : response.content()) {
                visitSchema(content.schema(), names);
            }
        }
        io.swagger.v3.oas.annotations.parameters.RequestBody body = method
                .getAnnotation(io.swagger.v3.oas.annotations.parameters.RequestBody.class);
        if (body != null) {
            for (Content content : body.content()) {
                visitSchema(content.schema(), names);
            }
        }
    }

    private static void visit(Type type, Map<String, Set<String>> names) {
        if (type instanceof ParameterizedType parameterized) {
            visit(parameterized.getRawType(), names);
            for (Type argument : parameterized.getActualTypeArguments()) {
                visit(argument, names);
            }
            return;
        }
        if (!(type instanceof Class<?> type0)) {
            return;
        }
        Class<?> c = type0.isArray() ? type0.getComponentType() : type0;
        if (!c.getName().startsWith("dev.switchboard.") || c.isEnum()) {
            return; // enums are inlined
        }
        Schema schema = c.getAnnotation(Schema.class);
        String name = schema != null && !schema.name().isEmpty() ? schema.name() : c.getSimpleName();
        if (!names.computeIfAbsent(name, n -> new TreeSet<>()).add(c.getName())) {
            return;
        }
        if (schema != null) {
            visitSchema(schema, names);
        }
        if (c.isSealed()) {
            for (Class<?> permitted : c.getPermittedSubclasses()) {
                visit(permitted, names);
            }
        }
        if (c.isRecord()) {
            for (RecordComponent component : c.getRecordComponents()) {
                visit(component.getGenericType(), names);
                visitAnnotations(field(c, component), names);
            }
        }
    }

    private static AnnotatedElement field(Class<?> record, RecordComponent component) {
        try {
            Field field = record.getDeclaredField(component.getName());
            return field;
        }
        catch (NoSuchFieldException ex) {
            return component;
        }
    }

    private static void visitAnnotations(AnnotatedElement element, Map<String, Set<String>> names) {
        Schema schema = element.getAnnotation(Schema.class);
        if (schema != null) {
            visitSchema(schema, names);
        }
        ArraySchema array = element.getAnnotation(ArraySchema.class);
        if (array != null) {
            visitSchema(array.schema(), names);
        }
    }

    private static void visitSchema(Schema schema, Map<String, Set<String>> names) {
        visit(schema.implementation(), names);
        for (Class<?> each : schema.oneOf()) {
            visit(each, names);
        }
        for (Class<?> each : schema.anyOf()) {
            visit(each, names);
        }
    }
}
