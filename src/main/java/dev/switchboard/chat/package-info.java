/**
 * Sessions, append-only message history (tool calls and results included), the chat turn pipeline with its tool
 * loop, the {@code ask_agent} tool, streaming over Server-Sent Events, the OpenAI-compatible API and session expiry.
 *
 * <p>API: {@link dev.switchboard.chat.ChatTurnCompleted}, published after every stored turn. See
 * {@code docs/chat.md}.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Chat", allowedDependencies = {"shared", "tenancy", "identity", "persona",
        "knowledge", "sql", "llm", "metering"})
package dev.switchboard.chat;
