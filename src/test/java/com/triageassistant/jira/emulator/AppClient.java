package com.triageassistant.jira.emulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.JWTClaimsSet;

/** Calls a site's REST API the way an installed Connect app does: HS256, iss = app key, qsh of the request. */
final class AppClient {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final EmulatedSite site;
    private final String appKey;

    AppClient(EmulatedSite site, String appKey) {
        this.site = site;
        this.appKey = appKey;
    }

    HttpResponse<String> get(String pathAndQuery) {
        return send("GET", pathAndQuery, null, token("GET", pathAndQuery, null));
    }

    HttpResponse<String> put(String pathAndQuery, String body) {
        return send("PUT", pathAndQuery, body, token("PUT", pathAndQuery, null));
    }

    HttpResponse<String> post(String pathAndQuery, String body) {
        return send("POST", pathAndQuery, body, token("POST", pathAndQuery, null));
    }

    JsonNode getJson(String pathAndQuery) {
        HttpResponse<String> response = get(pathAndQuery);
        if (response.statusCode() != 200) {
            throw new AssertionError(response.statusCode() + " " + response.body());
        }
        return json(response.body());
    }

    String token(String method, String pathAndQuery, String accountId) {
        return ConnectJwts.hs256(site.sharedSecret(), claims(method, pathAndQuery).subject(accountId).build());
    }

    JWTClaimsSet.Builder claims(String method, String pathAndQuery) {
        return ConnectJwts.claims(appKey, ConnectJwts.qsh(method, pathAndQuery), Duration.ofMinutes(3));
    }

    HttpResponse<String> send(String method, String pathAndQuery, String body, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(site.baseUrl() + pathAndQuery))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "JWT " + token);
        }
        return Http.send(HTTP, request.timeout(Duration.ofSeconds(30)).build());
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
