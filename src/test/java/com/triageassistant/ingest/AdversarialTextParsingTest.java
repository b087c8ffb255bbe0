package com.triageassistant.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.triageassistant.support.AdversarialText;
import org.junit.jupiter.api.Test;

/**
 * Adversarial text (see {@link AdversarialText}) from Jira's JSON to an {@link IssueRecord}: kept exactly, except
 * that an unpaired surrogate, which has no UTF-8 form and which Ignite would store as {@code '?'}, becomes U+FFFD.
 */
class AdversarialTextParsingTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void wellFormedTextKeepsEverythingButUnpairedSurrogates() throws Exception {
        for (String atom : AdversarialText.ATOMS) {
            String text = "a" + atom + "b";
            String expected = AdversarialText.wellFormed(text);
            assertThat(WellFormedText.of(text)).as(escaped(atom)).isEqualTo(expected);
            if (!AdversarialText.LONE_SURROGATES.contains(atom)) {
                assertThat(WellFormedText.of(text)).as(escaped(atom)).isSameAs(text);
            }
        }
        assertThat(WellFormedText.of("\uD800")).isEqualTo("\uFFFD");
        assertThat(WellFormedText.of("\uDC00\uD800")).isEqualTo("\uFFFD\uFFFD");
        assertThat(WellFormedText.of("\uD83D\uDE00\uD83D")).isEqualTo("\uD83D\uDE00\uFFFD");
        assertThat(WellFormedText.of((String) null)).isNull();
        AdversarialText random = new AdversarialText(11);
        for (int i = 0; i < 3000; i++) {
            String text = random.text(12);
            String wellFormed = WellFormedText.of(text);
            assertThat(wellFormed).isEqualTo(AdversarialText.wellFormed(text));
            assertThat(wellFormed).hasSize(text.length());
            // encodes to UTF-8 and back without loss
            assertThat(strictUtf8(wellFormed.getBytes(StandardCharsets.UTF_8))).isEqualTo(wellFormed);
        }
    }

    @Test
    void everyFieldOfAnIssueRecordIsWellFormed() {
        String lone = "x\uD800y";
        IssueRecord record = new IssueRecord(1, lone, lone, lone, lone, lone, List.of(lone, "ok"), List.of(lone),
                lone, lone, lone, null, Instant.EPOCH);
        String fixed = "x\uFFFDy";
        assertThat(List.of(record.issueKey(), record.projectKey(), record.summary(), record.text(),
                record.issueType(), record.priority(), record.assignee(), record.reporter()))
                .containsOnly(fixed);
        assertThat(record.components()).containsExactly(fixed, "ok");
        assertThat(record.labels()).containsExactly(fixed);
        IssueRecord nulls = new IssueRecord(2, "K-2", "K", "", "", null, List.of(), List.of(), null, null, null,
                null, Instant.EPOCH);
        assertThat(nulls.issueType()).isNull();
        assertThat(nulls.summary()).isEmpty();
    }

    @Test
    void jiraIssuesWithAdversarialFieldsParseToTheirTextAsItIs() throws Exception {
        AdversarialText random = new AdversarialText(12);
        for (int i = 0; i < 500; i++) {
            String summary = random.field();
            String description = "d" + random.text(12) + "d";
            String label = random.text(3);
            String component = random.pick(AdversarialText.ATOMS);
            ObjectNode issue = issue(i, summary, adf(description), List.of(label), List.of(component));
            // As Jira sends it: UTF-8 JSON text, NUL and lone surrogates as \\u escapes.
            JsonNode parsed = JSON.readTree(JSON.writeValueAsBytes(issue));

            IssueRecord record = JiraIssueParser.parse(parsed, null);

            assertThat(record.summary()).isEqualTo(AdversarialText.wellFormed(summary));
            assertThat(record.text()).isEqualTo(AdversarialText.wellFormed(description));
            assertThat(record.labels()).containsExactly(AdversarialText.wellFormed(label));
            assertThat(record.components()).containsExactly(AdversarialText.wellFormed(component));
        }
    }

    @Test
    void nullMissingEmptyAndWhitespaceFieldsParse() throws Exception {
        ObjectNode issue = issue(1, "x", null, List.of(), List.of());
        ObjectNode fields = (ObjectNode) issue.get("fields");
        fields.putNull("summary");
        fields.putNull("description");
        fields.putNull("issuetype");
        fields.putNull("labels");
        IssueRecord nulls = JiraIssueParser.parse(JSON.readTree(JSON.writeValueAsBytes(issue)), null);
        assertThat(nulls.summary()).isEmpty(); // as records.py reads it
        assertThat(nulls.text()).isEmpty();
        assertThat(nulls.issueType()).isNull();
        assertThat(nulls.labels()).isEmpty();
        fields.remove("summary");
        fields.put("description", " \t\n");
        IssueRecord missing = JiraIssueParser.parse(JSON.readTree(JSON.writeValueAsBytes(issue)), null);
        assertThat(missing.summary()).isEmpty();
        assertThat(missing.text()).isEqualTo(" \t\n"); // a v2 plain-text description is only cut, never stripped
        fields.set("description", adf(" \u0000 "));
        assertThat(JiraIssueParser.parse(JSON.readTree(JSON.writeValueAsBytes(issue)), null).text())
                .isEqualTo("\u0000"); // Java's strip: NUL is no whitespace
    }

    @Test
    void aMegabyteDescriptionIsCutWithoutSplittingACharacter() throws Exception {
        AdversarialText random = new AdversarialText(13);
        StringBuilder big = new StringBuilder();
        while (big.length() < 1_000_000) {
            big.append(random.text(20));
        }
        for (int offset = 0; offset < 4; offset++) {
            String text = "x".repeat(offset) + big;
            String whole = text.strip();
            String cut = AdfText.of(JSON.readTree(JSON.writeValueAsBytes(adf(text))));
            assertThat(cut.length()).isBetween(AdfText.MAX_CHARS - 1, AdfText.MAX_CHARS);
            assertThat(whole).startsWith(cut);
            assertThat(Character.isHighSurrogate(cut.charAt(cut.length() - 1))
                    && Character.isLowSurrogate(whole.charAt(cut.length())))
                    .as("the cut splits no surrogate pair").isFalse();
        }
        // Where the cut falls between an emoji's two units, the emoji goes whole (as in adf.py); a lone
        // surrogate is one unit and stays.
        String emoji = "\uD83D\uDCA5";
        String before = "x".repeat(AdfText.MAX_CHARS - 1);
        assertThat(AdfText.of(JSON.readTree(JSON.writeValueAsBytes(adf(before + emoji + "y"))))).isEqualTo(before);
        assertThat(AdfText.of(JSON.getNodeFactory().textNode(before + emoji))).isEqualTo(before);
        assertThat(AdfText.of(JSON.getNodeFactory().textNode(before + "\uD800y"))).isEqualTo(before + "\uD800");
        assertThat(AdfText.of(JSON.getNodeFactory().textNode("x" + before + emoji))).isEqualTo("x" + before);
    }

    static ObjectNode issue(long id, String summary, JsonNode description, List<String> labels,
                            List<String> components) {
        ObjectNode issue = JSON.createObjectNode().put("id", String.valueOf(id)).put("key", "ADV-" + id);
        ObjectNode fields = issue.putObject("fields");
        fields.put("summary", summary);
        fields.set("description", description);
        fields.putObject("issuetype").put("name", "Bug");
        fields.putObject("project").put("key", "ADV");
        components.forEach(c -> fields.withArray("components").addObject().put("name", c));
        fields.putArray("labels");
        labels.forEach(l -> fields.withArray("labels").add(l));
        fields.putObject("priority").put("name", "Medium");
        fields.put("created", "2026-01-02T03:04:05.000+0000").put("updated", "2026-01-02T03:04:05.000+0000");
        return issue;
    }

    /** One paragraph holding {@code text}. */
    static ObjectNode adf(String text) {
        ObjectNode doc = JSON.createObjectNode().put("type", "doc").put("version", 1);
        doc.putArray("content").addObject().put("type", "paragraph").putArray("content").addObject()
                .put("type", "text").put("text", text);
        return doc;
    }

    static String strictUtf8(byte[] bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    }

    static String escaped(String text) {
        StringBuilder out = new StringBuilder();
        text.chars().forEach(c -> out.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", c) : String.valueOf((char) c)));
        return out.toString();
    }
}
