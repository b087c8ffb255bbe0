package com.triageassistant.jira.emulator;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a site knows of the app from the descriptor it served at install: where to call it, which webhooks it wants
 * and which pages (iframes) it adds to Jira's.
 */
record InstalledApp(String key, String name, String baseUrl, Map<String, String> lifecycle, List<Webhook> webhooks,
                    JsonNode descriptor) {

    record Webhook(String event, String url) {
    }

    /**
     * A module Jira shows as an iframe of the app.
     *
     * @param url     the module's URL template, relative to the app's baseUrl, with {@code {issue.key}}-style
     *                context variables
     * @param iconUrl absolute, or {@code null} when the module has no icon
     */
    record PageModule(String type, String key, String name, String url, String iconUrl) {
    }

    /** The modules of one type ({@code jiraIssueContexts}, {@code jiraProjectAdminTabPanels}, ...), as declared. */
    List<PageModule> pageModules(String type) {
        List<PageModule> modules = new ArrayList<>();
        for (JsonNode module : descriptor.path("modules").path(type)) {
            // Issue contexts put their URL under target; admin tab panels and pages have it at the top.
            String url = module.path("target").path("url").asText(module.path("url").asText(""));
            String icon = module.path("icon").path("url").asText(null);
            modules.add(new PageModule(type, module.path("key").asText(),
                    module.path("name").path("value").asText(module.path("key").asText()), url,
                    icon == null || icon.startsWith("http") ? icon : baseUrl + icon));
        }
        return modules;
    }

    Optional<PageModule> pageModule(String type, String moduleKey) {
        return pageModules(type).stream().filter(module -> module.key().equals(moduleKey)).findFirst();
    }

    /** The app's origin ({@code scheme://host:port}): where its iframes' messages must come from. */
    String origin() {
        URI uri = URI.create(baseUrl);
        return uri.getScheme() + "://" + uri.getRawAuthority();
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
