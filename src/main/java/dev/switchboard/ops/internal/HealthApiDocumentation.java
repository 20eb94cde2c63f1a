package dev.switchboard.ops.internal;

import java.util.List;

import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.stereotype.Component;

import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MapSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;

/**
 * Describes the probe endpoints in the OpenAPI document: the actuator exposes them generically, and
 * operators should read the contract (what each checks, 200 or 503) next to the rest of the API.
 */
@Component
class HealthApiDocumentation implements OpenApiCustomizer {

    static final String TAG = "Operations";

    @Override
    public void customise(io.swagger.v3.oas.models.OpenAPI openApi) {
        openApi.path("/health", probe("Liveness (alias of /health/live)",
                "The process answers. Depends on nothing outside it, so a failing database never restarts the pod."));
        openApi.path("/health/live", probe("Liveness", "The process answers; components livenessState and ping."));
        openApi.path("/health/ready", probe("Readiness",
                "Ready for traffic: components readinessState and db (later Redis, the knowledge index and LLM "
                        + "routing). 503 while any is down. Per-component status only, never details."));
        describeMetricsAsText(openApi);
    }

    /** The actuator documents the scrape's text formats as objects; they are text (protobuf: bytes). */
    private static void describeMetricsAsText(io.swagger.v3.oas.models.OpenAPI openApi) {
        PathItem metrics = openApi.getPaths() == null ? null : openApi.getPaths().get("/metrics");
        if (metrics == null || metrics.getGet() == null || metrics.getGet().getResponses() == null) {
            return;
        }
        ApiResponse ok = metrics.getGet().getResponses().get("200");
        if (ok != null && ok.getContent() != null) {
            ok.getContent().forEach((type, media) -> media.setSchema(type.contains("protobuf")
                    ? new StringSchema().format("binary") : new StringSchema().description("Prometheus text exposition")));
        }
    }

    private static PathItem probe(String summary, String description) {
        Schema<?> component = new ObjectSchema().addProperty("status", new StringSchema()._enum(
                List.of("UP", "DOWN", "OUT_OF_SERVICE", "UNKNOWN")));
        Schema<?> health = new ObjectSchema()
                .addProperty("status", new StringSchema().example("UP"))
                .addProperty("components", new MapSchema().additionalProperties(component)
                        .description("Each checked component's status, by name"));
        Content content = new Content().addMediaType("application/json", new MediaType().schema(health));
        Operation get = new Operation()
                .addTagsItem(TAG)
                .summary(summary)
                .description(description)
                .operationId("health" + summary.replaceAll("[^A-Za-z]", ""))
                .responses(new ApiResponses()
                        .addApiResponse("200", new ApiResponse().description("Up").content(content))
                        .addApiResponse("503", new ApiResponse().description("Down or out of service").content(content)));
        return new PathItem().get(get);
    }
}
