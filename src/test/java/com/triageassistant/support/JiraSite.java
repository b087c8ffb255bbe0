package com.triageassistant.support;

import com.triageassistant.jira.emulator.ConnectJwts;
import com.triageassistant.jira.emulator.InstallKeyServer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.JWTClaimsSet;

/** A Jira Cloud site as the app sees it: tenant identity, the secret it hands over, the payloads it sends. */
public record JiraSite(String clientKey, String sharedSecret, String baseUrl, String installationId) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static JiraSite random(String name) {
        String id = UUID.randomUUID().toString();
        return new JiraSite(id, "secret-" + UUID.randomUUID() + UUID.randomUUID(),
                "https://" + name + "-" + id.substring(0, 8) + ".atlassian.net",
                "ari:cloud:ecosystem::installation/" + UUID.randomUUID());
    }

    /** Body of {@code installed}, {@code uninstalled}, {@code enabled} or {@code disabled}. */
    public String lifecycleBody(String eventType, String appKey) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("key", appKey);
        body.put("clientKey", clientKey);
        body.put("sharedSecret", sharedSecret);
        body.put("baseUrl", baseUrl);
        body.put("displayUrl", baseUrl);
        body.put("productType", "jira");
        body.put("description", "Atlassian JIRA at " + baseUrl);
        body.put("eventType", eventType);
        body.put("installationId", installationId);
        body.put("serverVersion", "100");
        body.put("pluginsVersion", "1001.0.0");
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The RS256 token Jira signs {@code installed}/{@code uninstalled} with. */
    public String lifecycleToken(InstallKeyServer.SigningKey key, String appBaseUrl, String lifecyclePath) {
        return ConnectJwts.rs256(key, ConnectJwts.claims(clientKey, ConnectJwts.qsh("POST", lifecyclePath),
                Duration.ofMinutes(3)).audience(appBaseUrl).build());
    }

    /** An HS256 request token for a call from this site (as user {@code accountId}) to the app. */
    public String requestToken(String method, String pathAndQuery, String accountId) {
        return ConnectJwts.hs256(sharedSecret, requestClaims(method, pathAndQuery, accountId).build());
    }

    public JWTClaimsSet.Builder requestClaims(String method, String pathAndQuery, String accountId) {
        return ConnectJwts.claims(clientKey, ConnectJwts.qsh(method, pathAndQuery), Duration.ofMinutes(3))
                .subject(accountId);
    }
}
