package dev.switchboard.mcp.internal.server;

import java.util.List;

import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.stereotype.Component;

import dev.switchboard.identity.ProtectedResources;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;

/**
 * Puts the MCP endpoint in the OpenAPI document: the SDK serves it as a router function, which springdoc does not
 * see, and every endpoint belongs in the document (the endpoint guard sweep walks it).
 */
@Component
class McpApiDocumentation implements OpenApiCustomizer {

    static final String JSON_RPC_REQUEST = "JsonRpcRequest";
    static final String JSON_RPC_RESPONSE = "JsonRpcResponse";

    @Override
    public void customise(OpenAPI openApi) {
        if (openApi.getComponents() == null) {
            openApi.setComponents(new Components());
        }
        ObjectSchema rpcRequest = new ObjectSchema();
        rpcRequest.setRequired(List.of("jsonrpc", "method"));
        openApi.getComponents().addSchemas(JSON_RPC_REQUEST, rpcRequest
                .description("A JSON-RPC 2.0 request or notification of the Model Context Protocol")
                .addProperty("jsonrpc", new StringSchema()._enum(List.of("2.0")))
                .addProperty("id", new Schema<>().description("String or number; absent in a notification"))
                .addProperty("method", new StringSchema().example("tools/call"))
                .addProperty("params", new ObjectSchema().description("Free-form: the method's parameters, as the MCP "
                        + "specification defines them")));
        ObjectSchema rpcResponse = new ObjectSchema();
        rpcResponse.setRequired(List.of("jsonrpc"));
        openApi.getComponents().addSchemas(JSON_RPC_RESPONSE, rpcResponse
                .description("A JSON-RPC 2.0 response: result or error")
                .addProperty("jsonrpc", new StringSchema()._enum(List.of("2.0")))
                .addProperty("id", new Schema<>().description("The request's id"))
                .addProperty("result", new ObjectSchema().description("Free-form: the method's result, as the MCP "
                        + "specification defines it"))
                .addProperty("error", new ObjectSchema()
                        .addProperty("code", new IntegerSchema())
                        .addProperty("message", new StringSchema())));
        Content request = new Content().addMediaType("application/json", new MediaType().schema(
                new Schema<>().$ref("#/components/schemas/" + JSON_RPC_REQUEST)));
        Content json = new Content().addMediaType("application/json", new MediaType().schema(
                new Schema<>().$ref("#/components/schemas/" + JSON_RPC_RESPONSE)));
        Operation post = new Operation().addTagsItem("MCP").operationId("mcp")
                .summary("MCP server (Streamable HTTP, stateless)")
                .description("JSON-RPC messages of the Model Context Protocol (initialize, tools/list, tools/call) for the "
                        + "tools search_knowledge, ask_agent and list_agents; see docs/mcp.md. Send Accept: application/json, "
                        + "text/event-stream. Needs the mcp scope; without credentials 401 with a WWW-Authenticate "
                        + "resource_metadata pointing at " + ProtectedResources.METADATA_PATH
                        + ProtectedResources.MCP_PATH + ".")
                .addSecurityItem(new SecurityRequirement().addList("bearer"))
                .requestBody(new RequestBody().required(true).content(request))
                .responses(new ApiResponses().addApiResponse("200", new ApiResponse().description("A JSON-RPC response")
                        .content(json)).addApiResponse("202", new ApiResponse().description("A notification, accepted")));
        openApi.path(ProtectedResources.MCP_PATH, new PathItem().post(post));
        openApi.path(ProtectedResources.METADATA_PATH + ProtectedResources.MCP_PATH, metadata("mcpResourceMetadata",
                "MCP protected resource metadata", "RFC 9728 metadata of the MCP endpoint: resource (<base>/api/mcp), "
                        + "authorization_servers (this server), bearer_methods_supported [header], scopes_supported [mcp]. "
                        + "Where the 401 of /api/mcp points (resource_metadata). Public."));
        openApi.path(ProtectedResources.METADATA_PATH, metadata("apiResourceMetadata", "API protected resource metadata",
                "RFC 9728 metadata of the whole API: resource (<base>), authorization_servers, every scope. Public."));
    }

    private static PathItem metadata(String operationId, String summary, String description) {
        Content json = new Content().addMediaType("application/json", new MediaType().schema(new ObjectSchema()
                .addProperty("resource", new StringSchema())
                .addProperty("authorization_servers", new ArraySchema().items(new StringSchema()))
                .addProperty("bearer_methods_supported", new ArraySchema().items(new StringSchema()))
                .addProperty("scopes_supported", new ArraySchema().items(new StringSchema()))
                .addProperty("resource_name", new StringSchema())));
        return new PathItem().get(new Operation().addTagsItem("MCP").operationId(operationId).summary(summary)
                .description(description).responses(new ApiResponses().addApiResponse("200",
                        new ApiResponse().description("The metadata document").content(json))));
    }
}
