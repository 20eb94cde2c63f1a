/**
 * OpenAI's Responses API ({@code /v1/responses}) over the chat turn: a stored response is a turn of a session the
 * caller owns, {@code previous_response_id} continues that session, and {@code store: false} is a stateless
 * completion. Requests are parsed here; the turn itself is {@code ChatTurns}, the same path as {@code /api/chat}.
 */
package dev.switchboard.chat.internal.openai.responses;
