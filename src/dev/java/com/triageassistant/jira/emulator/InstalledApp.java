package com.triageassistant.jira.emulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/** What a site knows of the app from its descriptor: where to call it and which webhooks it wants. */
record InstalledApp(String key, String name, String baseUrl, Map<String, String> lifecycle, List<Webhook> webhooks,
                    JsonNode descriptor) {

    record Webhook(String event, String url) {
    }

    static InstalledApp fromDescriptor(JsonNode descriptor) {
        Map<String, String> lifecycle = new LinkedHashMap<>();
        descriptor.path("lifecycle").fields().forEachRemaining(e -> lifecycle.put(e.getKey(), e.getValue().asText()));
        List<Webhook> webhooks = new ArrayList<>();
        for (JsonNode webhook : descriptor.path("modules").path("webhooks")) {
            webhooks.add(new Webhook(webhook.path("event").asText(), webhook.path("url").asText()));
        }
        String baseUrl = descriptor.path("baseUrl").asText();
        if (baseUrl.endsWith("/")) {
            baseUrl = baseUrl.substring(0, baseUrl.length() - 1);
        }
        return new InstalledApp(descriptor.path("key").asText(), descriptor.path("name").asText(), baseUrl,
                Map.copyOf(lifecycle), List.copyOf(webhooks), descriptor);
    }
}
