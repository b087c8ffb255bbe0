package com.triageassistant.ingest;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.atlassian.connect.spring.AtlassianHost;
import com.atlassian.connect.spring.AtlassianHostRestClients;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.client.HttpStatusCodeException;
import org.springframework.web.client.ResourceAccessException;

/** The app's reads from Jira's REST API, signed as the app (ACSB), with failures sorted for the caller. */
@Component
public class JiraReader {

    /** Used when a 429 carries no usable Retry-After. */
    private static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(10);

    record SearchPage(List<JsonNode> issues, String nextPageToken) {
    }

    private final AtlassianHostRestClients clients;
    private final ObjectMapper json;

    JiraReader(AtlassianHostRestClients clients, ObjectMapper json) {
        this.clients = clients;
        this.json = json;
    }

    SearchPage search(AtlassianHost host, String jql, String nextPageToken, int maxResults) throws JiraCallException {
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put("jql", jql);
        variables.put("fields", JiraIssueParser.FIELDS);
        variables.put("max", maxResults);
        String url = "/rest/api/3/search/jql?jql={jql}&fields={fields}&maxResults={max}";
        if (nextPageToken != null) {
            variables.put("token", nextPageToken);
            url += "&nextPageToken={token}";
        }
        JsonNode page = get(host, url, variables);
        List<JsonNode> issues = new ArrayList<>();
        page.path("issues").forEach(issues::add);
        String next = page.path("nextPageToken").asText(null);
        return new SearchPage(issues, next == null || next.isEmpty() ? null : next);
    }

    /** Keys of every project the app can see. */
    List<String> projectKeys(AtlassianHost host) throws JiraCallException {
        List<String> keys = new ArrayList<>();
        int startAt = 0;
        while (true) {
            JsonNode page = get(host, "/rest/api/3/project/search?startAt={start}&maxResults=50",
                    Map.of("start", startAt));
            page.path("values").forEach(project -> keys.add(project.path("key").asText()));
            if (page.path("isLast").asBoolean(true) || page.path("values").isEmpty()) {
                return keys;
            }
            startAt += page.path("values").size();
        }
    }

    /** Account ids of the people who can be assigned issues of the project now (paged by Jira, 1,000 a page). */
    public List<String> assignableAccountIds(AtlassianHost host, String projectKey) throws JiraCallException {
        List<String> ids = new ArrayList<>();
        int startAt = 0;
        while (true) {
            JsonNode page = get(host, "/rest/api/3/user/assignable/search?project={project}&startAt={start}"
                    + "&maxResults=1000", Map.of("project", projectKey, "start", startAt));
            page.forEach(user -> ids.add(user.path("accountId").asText()));
            if (page.size() < 1000) {
                return ids;
            }
            startAt += page.size();
        }
    }

    private JsonNode get(AtlassianHost host, String url, Map<String, ?> variables) throws JiraCallException {
        try {
            String body = clients.authenticatedAsAddon(host).getForObject(url, String.class, variables);
            return json.readTree(body == null ? "{}" : body);
        } catch (HttpStatusCodeException e) {
            int status = e.getStatusCode().value();
            if (status == 429) {
                throw new JiraCallException.RateLimited(retryAfter(e.getResponseHeaders()));
            }
            if (e.getStatusCode().is5xxServerError()) {
                throw new JiraCallException.Unavailable("Jira answered " + status);
            }
            throw new JiraCallException.Refused(status, "Jira refused the request: " + status + " "
                    + abbreviate(e.getResponseBodyAsString()));
        } catch (ResourceAccessException e) {
            throw new JiraCallException.Unavailable("Jira unreachable: " + e.getMessage());
        } catch (JsonProcessingException e) {
            throw new JiraCallException.Unavailable("Jira answered with invalid JSON");
        }
    }

    /** Retry-After is seconds or an HTTP date. */
    static Duration retryAfter(HttpHeaders headers) {
        String value = headers == null ? null : headers.getFirst(HttpHeaders.RETRY_AFTER);
        if (value == null) {
            return DEFAULT_RETRY_AFTER;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.strip())));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration until = Duration.between(java.time.Instant.now(),
                        ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return until.isNegative() ? Duration.ZERO : until;
            } catch (DateTimeParseException e) {
                return DEFAULT_RETRY_AFTER;
            }
        }
    }

    private static String abbreviate(String text) {
        return text == null ? "" : text.length() <= 300 ? text : text.substring(0, 300) + "...";
    }
}
