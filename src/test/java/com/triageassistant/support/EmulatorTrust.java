package com.triageassistant.support;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import com.triageassistant.jira.emulator.ForgeManifest;
import com.triageassistant.jira.emulator.JiraEmulator;

/** The app's properties that make it trust an emulator through both doors: its install keys and its Forge platform. */
public final class EmulatorTrust {

    /** The Forge app the tests install: the repository's own manifest. */
    public static final Path FORGE_MANIFEST = Path.of("forge/manifest.yml");

    private EmulatorTrust() {
    }

    /** Those properties, then {@code extra} (which wins). */
    public static Map<String, String> properties(JiraEmulator jira, Map<String, String> extra) {
        Map<String, String> properties = new HashMap<>();
        properties.put("atlassian.connect.public-key-base-url", jira.keyServerUrl());
        properties.put("atlassian.connect.forge-invocation-token-jwks-url", jira.forge().jwksUrl());
        properties.put("app.id", ForgeManifest.read(FORGE_MANIFEST).appId());
        properties.putAll(extra);
        return properties;
    }
}
