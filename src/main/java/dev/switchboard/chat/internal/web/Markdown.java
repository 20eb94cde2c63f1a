package dev.switchboard.chat.internal.web;

import java.util.List;

import dev.switchboard.chat.internal.history.ChatMessage;
import dev.switchboard.chat.internal.history.ChatSession;
import dev.switchboard.chat.internal.history.MessageCitation;

/** A session as a Markdown document: one section per message, with its state and citations. */
final class Markdown {

    private Markdown() {
    }

    static String of(ChatSession session, List<ChatMessage> messages) {
        StringBuilder md = new StringBuilder("# ").append(session.title().isEmpty() ? "Conversation" : session.title()).append("\n\n");
        md.append("Session `").append(session.id()).append("`, started ").append(session.createdAt()).append(".\n");
        for (ChatMessage message : messages) {
            md.append("\n## ").append(heading(message)).append(" \u2014 ").append(message.createdAt());
            if (message.target() != null) {
                md.append(" (").append(message.target()).append(')');
            }
            md.append("\n\n");
            if (!ChatMessage.COMPLETE.equals(message.status())) {
                md.append("> ").append(message.status()).append(message.error() != null ? ": " + message.error() : "").append("\n\n");
            }
            md.append(message.tool() != null ? "```\n" + message.content().replace("```", "' ' '") + "\n```" : message.content())
                    .append('\n');
            for (MessageCitation citation : message.citations()) {
                md.append("\n[").append(citation.marker()).append("] ").append(citation.documentName())
                        .append(citation.location() == null || citation.location().isEmpty() ? "" : ", " + citation.location());
            }
            if (!message.citations().isEmpty()) {
                md.append('\n');
            }
        }
        return md.toString();
    }

    private static String heading(ChatMessage message) {
        return switch (message.role()) {
            case ChatMessage.USER -> "User";
            case ChatMessage.TOOL_CALL -> "Tool call: " + message.tool().name();
            case ChatMessage.TOOL_RESULT -> "Tool result: " + message.tool().name()
                    + (Boolean.TRUE.equals(message.tool().error()) ? " (error)" : "");
            default -> "Assistant";
        };
    }
}
