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
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.client.HttpStatusCodeException;
import org.springframework.web.client.ResourceAccessException;

/** The app's calls to Jira's REST API as the app (see {@link JiraTemplates}), with failures sorted for the caller. */
@Component
public class JiraClient {

    /** Used when a 429 carries no usable Retry-After. */
    private static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(10);

    record SearchPage(List<JsonNode> issues, String nextPageToken) {
    }

    private final JiraTemplates templates;
    private final ObjectMapper json;

    JiraClient(JiraTemplates templates, ObjectMapper json) {
        this.templates = templates;
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

    /**
     * Whether a person administers a project, asked of Jira (bulk permissions: a Connect app may ask it about any
     * account from its server), never taken from the browser.
     */
    public boolean isProjectAdmin(AtlassianHost host, String accountId, long projectId) throws JiraCallException {
        ObjectNode request = json.createObjectNode().put("accountId", accountId);
        ObjectNode check = request.putArray("projectPermissions").addObject();
        check.putArray("permissions").add("ADMINISTER_PROJECTS");
        check.putArray("projects").add(projectId);
        JsonNode answer = exchange(host, HttpMethod.POST, "/rest/api/3/permissions/check", request, Map.of());
        for (JsonNode grant : answer.path("projectPermissions")) {
            if (grant.path("permission").asText().equals("ADMINISTER_PROJECTS")) {
                for (JsonNode project : grant.path("projects")) {
                    if (project.asLong() == projectId) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** The id of a project, as Jira knows it (the app's own call, so the answer does not come from a browser). */
    public long projectId(AtlassianHost host, String projectKey) throws JiraCallException {
        return get(host, "/rest/api/3/project/{key}", Map.of("key", projectKey)).path("id").asLong();
    }

    /** One issue with the fields the app stores, as Jira has it now. */
    JsonNode issue(AtlassianHost host, long issueId) throws JiraCallException {
        return get(host, "/rest/api/3/issue/{id}?fields={fields}", Map.of("id", issueId,
                "fields", JiraIssueParser.FIELDS));
    }

    /** The account the app acts as on the site (its own edits come back as events by this account). */
    public String myAccountId(AtlassianHost host) throws JiraCallException {
        return get(host, "/rest/api/3/myself", Map.of()).path("accountId").asText(null);
    }

    /** {@code PUT /rest/api/3/issue/{id}} with a {@code fields} and/or {@code update} body, as the app. */
    public void editIssue(AtlassianHost host, long issueId, JsonNode edit) throws JiraCallException {
        exchange(host, HttpMethod.PUT, "/rest/api/3/issue/{id}", edit, Map.of("id", issueId));
    }

    /** Sets an issue entity property (at most 32 KB of JSON). */
    public void setIssueProperty(AtlassianHost host, long issueId, String propertyKey, JsonNode value)
            throws JiraCallException {
        exchange(host, HttpMethod.PUT, "/rest/api/3/issue/{id}/properties/{key}", value,
                Map.of("id", issueId, "key", propertyKey));
    }

    /** Whether this node holds a signing client (and so the shared secret) of the tenant. */
    boolean signsFor(String clientKey) {
        return templates.holds(clientKey);
    }

    private JsonNode get(AtlassianHost host, String url, Map<String, ?> variables) throws JiraCallException {
        return exchange(host, HttpMethod.GET, url, null, variables);
    }

    private JsonNode exchange(AtlassianHost host, HttpMethod method, String url, JsonNode body,
                              Map<String, ?> variables) throws JiraCallException {
        try {
            HttpHeaders headers = new HttpHeaders();
            headers.setContentType(MediaType.APPLICATION_JSON);
            headers.setAccept(List.of(MediaType.APPLICATION_JSON));
            HttpEntity<String> entity = new HttpEntity<>(body == null ? null : json.writeValueAsString(body), headers);
            String answer = templates.forHost(host).exchange(url, method, entity, String.class, variables).getBody();
            return json.readTree(answer == null || answer.isBlank() ? "{}" : answer);
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
