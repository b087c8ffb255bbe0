package com.triageassistant.jira.emulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The parts of a Forge {@code manifest.yml} the platform needs to reach a remote: the app's id, its remotes, the
 * endpoints on them, and the triggers and scheduled triggers routed to those endpoints. UI modules are not read.
 */
public record ForgeManifest(String appId, Map<String, String> remotes, Map<String, Endpoint> endpoints,
                            List<Trigger> triggers, List<ScheduledTrigger> scheduledTriggers) {

    /** @param appSystemToken whether Forge sends {@code x-forge-oauth-system} on calls to this endpoint */
    public record Endpoint(String key, String remote, String path, boolean appSystemToken) {
    }

    public record Trigger(String key, String endpoint, List<String> events) {
    }

    /** @param interval as in the manifest: fiveMinute, hour, day or week */
    public record ScheduledTrigger(String key, String endpoint, String interval) {
    }

    public static ForgeManifest read(Path manifestYml) {
        try {
            return parse(Files.readString(manifestYml, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ForgeManifest parse(String yaml) {
        // SafeConstructor: a manifest is data; it must not be able to instantiate classes.
        Map<String, Object> root = map(new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml));
        String appId = string(map(root.get("app")).get("id"));
        if (appId == null) {
            throw new IllegalArgumentException("manifest has no app.id");
        }
        Map<String, String> remotes = new LinkedHashMap<>();
        for (Map<String, Object> remote : list(root.get("remotes"))) {
            Object baseUrl = remote.get("baseUrl");
            // baseUrl is either a URL or a map of environment to URL with a "default".
            remotes.put(string(remote.get("key")),
                    baseUrl instanceof Map<?, ?> byEnvironment ? string(byEnvironment.get("default")) : string(baseUrl));
        }
        Map<String, Endpoint> endpoints = new LinkedHashMap<>();
        // Atlassian's schema has endpoints among the modules; an older form had them at the top level.
        List<Map<String, Object>> declared = new java.util.ArrayList<>(list(root.get("endpoint")));
        declared.addAll(list(map(root.get("modules")).get("endpoint")));
        for (Map<String, Object> endpoint : declared) {
            String key = string(endpoint.get("key"));
            boolean systemToken = Boolean.TRUE.equals(map(map(endpoint.get("auth")).get("appSystemToken"))
                    .get("enabled"));
            endpoints.put(key, new Endpoint(key, string(endpoint.get("remote")),
                    string(map(endpoint.get("route")).get("path")), systemToken));
        }
        Map<String, Object> modules = map(root.get("modules"));
        List<Trigger> triggers = new ArrayList<>();
        for (Map<String, Object> trigger : list(modules.get("trigger"))) {
            List<String> events = new ArrayList<>();
            if (trigger.get("events") instanceof List<?> names) {
                names.forEach(name -> events.add(String.valueOf(name)));
            }
            triggers.add(new Trigger(string(trigger.get("key")), string(trigger.get("endpoint")), List.copyOf(events)));
        }
        List<ScheduledTrigger> scheduled = new ArrayList<>();
        for (Map<String, Object> trigger : list(modules.get("scheduledTrigger"))) {
            scheduled.add(new ScheduledTrigger(string(trigger.get("key")), string(trigger.get("endpoint")),
                    string(trigger.get("interval"))));
        }
        return new ForgeManifest(appId, Map.copyOf(remotes), Map.copyOf(endpoints), List.copyOf(triggers),
                List.copyOf(scheduled));
    }

    public Optional<Endpoint> endpoint(String key) {
        return Optional.ofNullable(endpoints.get(key));
    }

    /** The endpoint a trigger or scheduled trigger names; the manifest is broken when it names none. */
    Endpoint requireEndpoint(String key) {
        return endpoint(key).orElseThrow(() -> new IllegalStateException("manifest has no endpoint " + key));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    private static List<Map<String, Object>> list(Object value) {
        List<Map<String, Object>> items = new ArrayList<>();
        if (value instanceof List<?> list) {
            list.forEach(item -> items.add(map(item)));
        }
        return items;
    }

    private static String string(Object value) {
        return value == null ? null : String.valueOf(value);
    }
}
