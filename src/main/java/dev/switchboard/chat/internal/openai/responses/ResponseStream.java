package dev.switchboard.chat.internal.openai.responses;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.switchboard.shared.EventStream;

/**
 * A response streamed as OpenAI's Responses API does: {@code response.created} and {@code response.in_progress}, then
 * the message as it is written ({@code response.output_item.added}, {@code response.content_part.added},
 * {@code response.output_text.delta}…, the matching {@code .done} events), then each function call
 * ({@code response.function_call_arguments.delta}/{@code .done}), then {@code response.completed} — or
 * {@code response.failed} when the answer broke off. Every event carries its {@code type} and a {@code sequence_number}.
 * Nothing is written before the first event, so a request refused before the model answers is still a plain error.
 */
final class ResponseStream {

    private final EventStream events;
    private final ResponseObject opening;
    private final String messageId;
    private int sequence;
    private boolean opened;
    private boolean messageStarted;

    /** @param opening the response as it starts: in progress, no output yet */
    ResponseStream(EventStream events, ResponseObject opening, String messageId) {
        this.events = events;
        this.opening = opening;
        this.messageId = messageId;
    }

    boolean started() {
        return events.started();
    }

    /** A piece of the answer's text. */
    void delta(String delta) {
        startMessage();
        Map<String, Object> event = itemEvent("response.output_text.delta", 0, messageId);
        event.put("content_index", 0);
        event.put("delta", delta);
        event.put("logprobs", List.of());
        send(event);
    }

    /** The rest of the output as {@code done} (message first, then function calls), then {@code response.completed}. */
    void completed(ResponseObject response) {
        finishOutput(response);
        send(responseEvent("response.completed", response));
    }

    /** The output so far, then {@code response.failed} with the response's error. */
    void failed(ResponseObject response) {
        finishOutput(response);
        send(responseEvent("response.failed", response));
    }

    private void finishOutput(ResponseObject response) {
        open();
        for (int index = 0; index < response.output().size(); index++) {
            switch (response.output().get(index)) {
                case ResponseObject.Message message -> finishMessage(message, index);
                case ResponseObject.FunctionCall call -> functionCall(call, index);
            }
        }
    }

    private void finishMessage(ResponseObject.Message message, int index) {
        ResponseObject.OutputText part = message.content().getFirst();
        if (!messageStarted) {
            // Nothing was streamed (the answer came whole): the message is announced and written in one delta.
            startMessage();
            if (!part.text().isEmpty()) {
                delta(part.text());
            }
        }
        Map<String, Object> textDone = itemEvent("response.output_text.done", index, message.id());
        textDone.put("content_index", 0);
        textDone.put("text", part.text());
        textDone.put("logprobs", List.of());
        send(textDone);
        Map<String, Object> partDone = itemEvent("response.content_part.done", index, message.id());
        partDone.put("content_index", 0);
        partDone.put("part", part);
        send(partDone);
        Map<String, Object> itemDone = event("response.output_item.done");
        itemDone.put("output_index", index);
        itemDone.put("item", message);
        send(itemDone);
    }

    private void functionCall(ResponseObject.FunctionCall call, int index) {
        Map<String, Object> added = event("response.output_item.added");
        added.put("output_index", index);
        added.put("item", ResponseObject.FunctionCall.of(call.id(), call.callId(), call.name(), "", "in_progress"));
        send(added);
        // The router hands over whole calls (a provider's deltas already assembled): the arguments come as one delta.
        Map<String, Object> delta = itemEvent("response.function_call_arguments.delta", index, call.id());
        delta.put("delta", call.arguments());
        send(delta);
        Map<String, Object> done = itemEvent("response.function_call_arguments.done", index, call.id());
        done.put("name", call.name());
        done.put("arguments", call.arguments());
        send(done);
        Map<String, Object> itemDone = event("response.output_item.done");
        itemDone.put("output_index", index);
        itemDone.put("item", call);
        send(itemDone);
    }

    private void startMessage() {
        open();
        if (messageStarted) {
            return;
        }
        messageStarted = true;
        Map<String, Object> added = event("response.output_item.added");
        added.put("output_index", 0);
        added.put("item", ResponseObject.Message.of(messageId, "in_progress", List.of()));
        send(added);
        Map<String, Object> part = itemEvent("response.content_part.added", 0, messageId);
        part.put("content_index", 0);
        part.put("part", ResponseObject.OutputText.of("", List.of()));
        send(part);
    }

    private void open() {
        if (!opened) {
            opened = true;
            send(responseEvent("response.created", opening));
            send(responseEvent("response.in_progress", opening));
        }
    }

    private Map<String, Object> responseEvent(String type, ResponseObject response) {
        Map<String, Object> event = event(type);
        event.put("response", response);
        return event;
    }

    private Map<String, Object> itemEvent(String type, int outputIndex, String itemId) {
        Map<String, Object> event = event(type);
        event.put("item_id", itemId);
        event.put("output_index", outputIndex);
        return event;
    }

    private Map<String, Object> event(String type) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", type);
        return event;
    }

    private void send(Map<String, Object> event) {
        event.put("sequence_number", sequence++);
        events.send((String) event.get("type"), event);
    }
}
