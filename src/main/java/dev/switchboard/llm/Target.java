package dev.switchboard.llm;

import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * One place a request can be answered: a configured provider and one of its models, written
 * {@code provider-id:model} ({@code primary:gpt-4o}, {@code local:llama3.1}). The model may itself contain
 * colons ({@code ollama:llama3.1:8b}); the provider id may not.
 */
public record Target(String providerId, String model) {

    private static final Pattern PROVIDER_ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

    /** The local extractive responder: the last target of every chain. */
    public static final Target LOCAL_EXTRACTIVE = new Target("local", "extractive");

    public Target {
        if (providerId == null || !PROVIDER_ID.matcher(providerId).matches()) {
            throw new IllegalArgumentException("A provider id is 1-63 lower-case letters, digits, '-' or '_', was '"
                    + providerId + "'");
        }
        if (model == null || model.isBlank() || model.length() > 200 || model.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("A model name is 1-200 characters without spaces, was '" + model + "'");
        }
    }

    /** Parses {@code provider-id:model}. */
    @JsonCreator
    public static Target parse(String text) {
        int colon = text == null ? -1 : text.indexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("A target is written provider-id:model, was '" + text + "'");
        }
        return new Target(text.substring(0, colon).strip(), text.substring(colon + 1).strip());
    }

    @Override
    @JsonValue
    public String toString() {
        return providerId + ':' + model;
    }
}
