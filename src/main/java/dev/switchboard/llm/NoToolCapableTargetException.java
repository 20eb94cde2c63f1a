package dev.switchboard.llm;

import java.util.List;

import org.springframework.http.HttpStatus;

import dev.switchboard.shared.SwitchboardException;

/**
 * A request offers tools but no target of its chain can call them: every provider target is a model marked
 * {@code tools: false} (or names no provider), and the local extractive responder cannot call tools. Nothing was
 * sent to any provider. 422, because retrying cannot help: the chain or the models' settings must change.
 */
public final class NoToolCapableTargetException extends SwitchboardException {

    public NoToolCapableTargetException(Chain chain, List<Attempt> attempts) {
        super(HttpStatus.UNPROCESSABLE_CONTENT, "no-tool-capable-target", "No target of the chain " + chain
                + " supports tool calling, and this request offers the model tools. Add a tool-capable model to "
                + "the chain (or the persona's chain), or mark a model that supports tools with tools: true.");
        getBody().setProperty("attempts", List.copyOf(attempts));
    }
}
