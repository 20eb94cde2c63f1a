package dev.switchboard.shared;

/**
 * Span attribute names: the OpenTelemetry GenAI semantic conventions where they have one
 * (<a href="https://opentelemetry.io/docs/specs/semconv/gen-ai/">gen-ai spans</a>), {@code switchboard.*} where they do
 * not. One list, so that every module writes the same names (docs/operations.md, "Traces", explains each).
 */
public final class TraceAttributes {

    /** {@code chat}, {@code embeddings} or {@code execute_tool}. */
    public static final String OPERATION = "gen_ai.operation.name";

    /** {@code openai}, {@code anthropic}, {@code gcp.gemini}, {@code ollama}. */
    public static final String PROVIDER = "gen_ai.provider.name";

    public static final String REQUEST_MODEL = "gen_ai.request.model";

    public static final String RESPONSE_MODEL = "gen_ai.response.model";

    public static final String INPUT_TOKENS = "gen_ai.usage.input_tokens";

    public static final String OUTPUT_TOKENS = "gen_ai.usage.output_tokens";

    public static final String FINISH_REASONS = "gen_ai.response.finish_reasons";

    public static final String REQUEST_TEMPERATURE = "gen_ai.request.temperature";

    public static final String REQUEST_MAX_TOKENS = "gen_ai.request.max_tokens";

    public static final String TOOL_NAME = "gen_ai.tool.name";

    public static final String TOOL_CALL_ID = "gen_ai.tool.call.id";

    public static final String TOOL_TYPE = "gen_ai.tool.type";

    /** The prompt as sent (only with content capture on, redacted). */
    public static final String INPUT_MESSAGES = "gen_ai.input.messages";

    /** The answer (only with content capture on, redacted). */
    public static final String OUTPUT_MESSAGES = "gen_ai.output.messages";

    /** A tool call's arguments (only with content capture on, redacted). */
    public static final String TOOL_CALL_ARGUMENTS = "gen_ai.tool.call.arguments";

    /** A tool call's result (only with content capture on, redacted). */
    public static final String TOOL_CALL_RESULT = "gen_ai.tool.call.result";

    /** OpenTelemetry's general failure class of a span: an outcome word or an exception type. */
    public static final String ERROR_TYPE = "error.type";

    public static final String TENANT = "switchboard.tenant.id";

    public static final String PERSONA = "switchboard.persona.id";

    /** The chain target an LLM attempt went to ({@code provider:model}). */
    public static final String LLM_TARGET = "switchboard.llm.target";

    /** The attempt's outcome ({@code answered}, {@code timeout}, {@code server_error}, {@code breaker_open}, …). */
    public static final String LLM_OUTCOME = "switchboard.llm.outcome";

    /** Which try of the same target this was (1 for the first). */
    public static final String LLM_TRY = "switchboard.llm.try";

    /** Whether the presented credential (JWT, API key) was accepted. */
    public static final String AUTH_ACCEPTED = "switchboard.auth.accepted";

    /** Whether a tool call ended in an error result. */
    public static final String TOOL_ERROR = "switchboard.tool.error";

    private TraceAttributes() {
    }

    /** The database engine of a query span ({@code postgresql}, {@code mysql}, {@code mariadb}), OpenTelemetry's name. */
    public static final String DB_SYSTEM = "db.system.name";

    /** The registered database a query ran on, by name. */
    public static final String DB_NAMESPACE = "db.namespace";

    /** The statement: content, recorded only with {@code switchboard.tracing.capture-content}. */
    public static final String DB_QUERY_TEXT = "db.query.text";

    /** How many rows a query returned. */
    public static final String DB_RETURNED_ROWS = "db.response.returned_rows";

    /** Why the SQL guard refused a statement (its refusal kind). */
    public static final String SQL_REFUSAL = "switchboard.sql.refusal";

    /** How many times the model corrected a refused statement before one ran. */
    public static final String SQL_CORRECTIONS = "switchboard.sql.corrections";
}
