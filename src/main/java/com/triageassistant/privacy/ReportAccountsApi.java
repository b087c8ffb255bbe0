package com.triageassistant.privacy;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.atlassian.connect.spring.AtlassianHost;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.triageassistant.ingest.JiraTemplates;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.client.HttpStatusCodeException;
import org.springframework.web.client.ResourceAccessException;

/**
 * Jira's Personal Data Reporting API: {@code POST /app/report-accounts/} on the tenant's base URL, signed as the
 * app (ACSB, as every app-to-Jira call).
 */
@Component
class ReportAccountsApi {

    static final String PATH = "/app/report-accounts/";
    static final String CYCLE_PERIOD = "Cycle-Period";

    /** One account as reported: its id and when the app last changed what it holds about it. */
    record Account(String accountId, Instant updatedAt) {
    }

    /**
     * @param statuses    accountId to {@code closed} or {@code updated}; empty for Jira's 204
     * @param cyclePeriod Jira's {@code Cycle-Period}, when it sent a usable one
     */
    record Answer(Map<String, String> statuses, Optional<Duration> cyclePeriod) {
    }

    /** No usable answer: the report is to be tried again later. */
    static final class ReportFailedException extends Exception {
        private final Duration retryAfter;

        ReportFailedException(String message, Duration retryAfter) {
            super(message);
            this.retryAfter = retryAfter;
        }

        /** Jira's Retry-After on a 429, else null. */
        Duration retryAfter() {
            return retryAfter;
        }
    }

    private final JiraTemplates templates;
    private final ObjectMapper json;

    ReportAccountsApi(JiraTemplates templates, ObjectMapper json) {
        this.templates = templates;
        this.json = json;
    }

    Answer report(AtlassianHost host, List<Account> accounts) throws ReportFailedException {
        ObjectNode body = json.createObjectNode();
        ArrayNode list = body.putArray("accounts");
        accounts.forEach(account -> list.addObject().put("accountId", account.accountId())
                .put("updatedAt", account.updatedAt().toString()));
        ResponseEntity<String> response;
        try {
            HttpHeaders headers = new HttpHeaders();
            headers.setContentType(MediaType.APPLICATION_JSON);
            headers.setAccept(List.of(MediaType.APPLICATION_JSON));
            response = templates.forHost(host).exchange(templates.platformPath(host, PATH), HttpMethod.POST,
                    new HttpEntity<>(json.writeValueAsString(body), headers), String.class);
        } catch (HttpStatusCodeException e) {
            Duration retryAfter = e.getStatusCode().value() == 429
                    ? seconds(e.getResponseHeaders(), HttpHeaders.RETRY_AFTER).orElse(null) : null;
            // The status only: Jira's error body might echo account ids, which do not belong in logs.
            throw new ReportFailedException("Jira answered " + e.getStatusCode().value(), retryAfter);
        } catch (ResourceAccessException e) {
            throw new ReportFailedException("Jira did not answer: " + e.getClass().getSimpleName(), null);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        Optional<Duration> cycle = seconds(response.getHeaders(), CYCLE_PERIOD);
        if (response.getStatusCode().value() == 204) {
            return new Answer(Map.of(), cycle);
        }
        if (response.getStatusCode().value() != 200) {
            throw new ReportFailedException("Jira answered " + response.getStatusCode().value(), null);
        }
        return new Answer(statuses(response.getBody()), cycle);
    }

    private Map<String, String> statuses(String body) throws ReportFailedException {
        JsonNode answer;
        try {
            answer = json.readTree(body == null || body.isBlank() ? "{}" : body);
        } catch (JsonProcessingException e) {
            throw new ReportFailedException("Jira's answer is not JSON", null);
        }
        Map<String, String> statuses = new LinkedHashMap<>();
        for (JsonNode account : answer.path("accounts")) {
            String id = account.path("accountId").asText("");
            String status = account.path("status").asText("");
            if (!id.isBlank() && (status.equals("closed") || status.equals("updated"))) {
                statuses.put(id, status);
            }
        }
        return statuses;
    }

    private static Optional<Duration> seconds(HttpHeaders headers, String name) {
        String value = headers == null ? null : headers.getFirst(name);
        if (value == null) {
            return Optional.empty();
        }
        try {
            long seconds = Long.parseLong(value.trim());
            return seconds > 0 ? Optional.of(Duration.ofSeconds(seconds)) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
