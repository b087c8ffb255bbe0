package com.triageassistant.ml;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.triageassistant.ingest.IssueRecord;
import com.triageassistant.support.AdversarialText;
import org.junit.jupiter.api.Test;

/**
 * The issues the sidecar reads, with adversarial text (see {@link AdversarialText}): always valid UTF-8 JSON holding
 * each field as the record does; an unpaired surrogate (no UTF-8 form) arrives as U+FFFD.
 */
class TrainingDataTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void adversarialTextIsSentAsItIsInValidUtf8() throws Exception {
        AdversarialText random = new AdversarialText(21);
        List<IssueRecord> issues = new ArrayList<>();
        List<String> summaries = new ArrayList<>();
        for (String atom : AdversarialText.ATOMS) {
            summaries.add(atom);
        }
        for (int i = 0; i < 1000; i++) {
            summaries.add(random.field());
        }
        for (int i = 0; i < summaries.size(); i++) {
            String s = summaries.get(i);
            issues.add(new IssueRecord(i, "ADV-" + i, "ADV", s, random.text(12) + s, random.pick(AdversarialText.ATOMS),
                    List.of(random.text(2)), List.of(s), null, null, s.isEmpty() ? null : s, null,
                    Instant.ofEpochMilli(i)));
        }

        byte[] payload = TrainingData.of(issues);

        String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(payload)).toString();
        JsonNode sent = JSON.readTree(text).path("issues");
        assertThat(sent).hasSize(issues.size());
        for (int i = 0; i < issues.size(); i++) {
            IssueRecord issue = issues.get(i);
            JsonNode node = sent.get(i);
            String original = summaries.get(i);
            assertThat(node.path("summary").asText()).isEqualTo(AdversarialText.wellFormed(original))
                    .isEqualTo(issue.summary());
            assertThat(node.path("text").asText()).isEqualTo(issue.text());
            assertThat(node.path("type").asText()).isEqualTo(issue.issueType());
            assertThat(node.path("labels").get(0).asText()).isEqualTo(issue.labels().get(0));
            assertThat(node.path("components").get(0).asText()).isEqualTo(issue.components().get(0));
            assertThat(node.path("reporter").isNull()).isEqualTo(issue.reporter() == null);
        }
        int lone = summaries.indexOf("\uD800");
        assertThat(sent.get(lone).path("summary").asText()).isEqualTo("\uFFFD");
        assertThat(sent.get(summaries.indexOf("x\uD83D")).path("summary").asText()).isEqualTo("x\uFFFD");
        assertThat(sent.get(summaries.indexOf("\u0000")).path("summary").asText()).isEqualTo("\u0000");
    }
}
