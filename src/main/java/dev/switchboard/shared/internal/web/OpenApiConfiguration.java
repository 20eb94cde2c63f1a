package dev.switchboard.shared.internal.web;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import tools.jackson.databind.JsonNode;

/**
 * The OpenAPI description served at {@code /api/docs/openapi.json}: API metadata and the problem+json error
 * responses every operation can return, so that clients see the error contract next to each endpoint.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    static final String PROBLEM_SCHEMA = "Problem";

    static {
        // Jackson's tree type is any JSON value; left alone, springdoc would describe its getters (isArray, ...) as
        // properties. Fields of this type are the API's free-form ones (docs/architecture.md, "API overview").
        SpringDocUtils.getConfig().replaceWithSchema(JsonNode.class, new Schema<>());
    }

    private static final Map<String, String> COMMON_ERRORS = new LinkedHashMap<>();

    static {
        COMMON_ERRORS.put("400", "Malformed request or invalid fields (type validation lists them in errors)");
        COMMON_ERRORS.put("401", "Missing or invalid credentials");
        COMMON_ERRORS.put("403", "Authenticated but not allowed");
        COMMON_ERRORS.put("404", "No such resource (also for another tenant's ids)");
        COMMON_ERRORS.put("413", "Request body over the configured limit");
        COMMON_ERRORS.put("415", "Unsupported Content-Type");
        COMMON_ERRORS.put("429", "Rate limit or quota exceeded; see Retry-After");
        COMMON_ERRORS.put("500", "Unexpected failure; quote the requestId");
    }

    @Bean
    OpenAPI switchboardOpenApi(ObjectProvider<BuildProperties> build) {
        BuildProperties properties = build.getIfAvailable();
        return new OpenAPI()
                .info(new Info()
                        .title("Switchboard API")
                        .version(properties != null ? properties.getVersion() : "development")
                        .description("Personas that answer from your documents and databases through the LLM "
                                + "providers you choose, with failover. Every error is application/problem+json "
                                + "(RFC 9457) with type, title, status, detail, instance and requestId.")
                        .license(new License().name("Apache-2.0")));
    }

    @Bean
    OpenApiCustomizer problemResponsesCustomizer() {
        return openApi -> {
            if (openApi.getComponents() == null) {
                openApi.setComponents(new Components());
            }
            openApi.getComponents().addSchemas(PROBLEM_SCHEMA, problemSchema());
            if (openApi.getPaths() == null) {
                return;
            }
            openApi.getPaths().values().forEach(path -> path.readOperations().forEach(this::addProblems));
        };
    }

    private void addProblems(Operation operation) {
        if (operation.getResponses() == null) {
            operation.setResponses(new ApiResponses());
        }
        COMMON_ERRORS.forEach((status, description) -> {
            if (!operation.getResponses().containsKey(status)) {
                operation.getResponses().addApiResponse(status, new ApiResponse()
                        .description(description)
                        .content(new Content().addMediaType("application/problem+json",
                                new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM_SCHEMA)))));
            }
        });
    }

    @SuppressWarnings("rawtypes")
    private static Schema problemSchema() {
        return new ObjectSchema()
                .description("RFC 9457 problem details")
                .addProperty("type", new StringSchema().example("urn:switchboard:problem:validation"))
                .addProperty("title", new StringSchema().example("Bad Request"))
                .addProperty("status", new IntegerSchema().example(400))
                .addProperty("detail", new StringSchema().example("The request has an invalid field: name must not be blank."))
                .addProperty("instance", new StringSchema().example("/api/personas"))
                .addProperty("requestId", new StringSchema().example("3f0c2a4e-8c1b-4d55-9d0e-2f6b1d7e9a10"))
                .addProperty("errors", new io.swagger.v3.oas.models.media.ArraySchema()
                        .items(new ObjectSchema()
                                .addProperty("field", new StringSchema())
                                .addProperty("message", new StringSchema()))
                        .description("Field errors, for type validation"));
    }
}
