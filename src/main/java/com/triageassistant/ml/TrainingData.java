package com.triageassistant.ml;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.triageassistant.ingest.IssueRecord;

/** Issues as the sidecar reads them: {@code {"issues": [...]}} in UTF-8 JSON (see {@link SidecarEngine}). */
final class TrainingData {

    private static final JsonFactory JSON = new JsonFactory();

    private TrainingData() {
    }

    static byte[] of(Collection<IssueRecord> issues) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(256, issues.size() * 400));
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeArrayFieldStart("issues");
            for (IssueRecord issue : issues) {
                write(json, issue);
            }
            json.writeEndArray();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void write(JsonGenerator json, IssueRecord issue) throws IOException {
        json.writeStartObject();
        json.writeNumberField("id", issue.issueId());
        json.writeStringField("key", issue.issueKey());
        json.writeStringField("summary", issue.summary());
        json.writeStringField("text", issue.text());
        json.writeStringField("type", issue.issueType());
        strings(json, "components", issue.components());
        strings(json, "labels", issue.labels());
        json.writeStringField("priority", issue.priority());
        json.writeStringField("assignee", issue.assignee());
        json.writeStringField("reporter", issue.reporter());
        millis(json, "created", issue.created());
        millis(json, "updated", issue.updated());
        json.writeEndObject();
    }

    private static void strings(JsonGenerator json, String field, List<String> values) throws IOException {
        json.writeArrayFieldStart(field);
        for (String value : values) {
            json.writeString(value);
        }
        json.writeEndArray();
    }

    private static void millis(JsonGenerator json, String field, Instant instant) throws IOException {
        if (instant == null) {
            json.writeNullField(field);
        } else {
            json.writeNumberField(field, instant.toEpochMilli());
        }
    }
}
