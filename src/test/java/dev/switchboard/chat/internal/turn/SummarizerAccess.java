package dev.switchboard.chat.internal.turn;

import java.util.List;

import dev.switchboard.chat.internal.history.ChatMessage;

/** Opens the summarizer's extractive mode to tests in other packages. */
public final class SummarizerAccess {

    private SummarizerAccess() {
    }

    public static String extractive(String previous, List<ChatMessage> fresh, long budgetTokens) {
        return Summarizer.extractive(previous, fresh, budgetTokens);
    }
}
