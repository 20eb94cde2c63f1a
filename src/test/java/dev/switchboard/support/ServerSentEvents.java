package dev.switchboard.support;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Parses a Server-Sent Events body into (event, data) pairs. */
public record ServerSentEvents(List<Event> events) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public record Event(String name, String data) {

        public JsonNode json() {
            return JSON.readTree(data);
        }
    }

    public static ServerSentEvents parse(String body) {
        List<Event> events = new ArrayList<>();
        for (String block : body.split("\n\n")) {
            String name = null;
            StringBuilder data = new StringBuilder();
            for (String line : block.split("\n")) {
                if (line.startsWith("event: ")) {
                    name = line.substring(7);
                }
                else if (line.startsWith("data: ")) {
                    data.append(line.substring(6));
                }
            }
            if (!data.isEmpty()) {
                events.add(new Event(name, data.toString()));
            }
        }
        return new ServerSentEvents(events);
    }

    public List<Event> named(String name) {
        return events.stream().filter(e -> name.equals(e.name())).toList();
    }
}
