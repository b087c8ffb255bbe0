package com.triageassistant.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class AdfTextTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void walksTextNodesKeepsCodeBlocksAndSeparatesBlocks() throws Exception {
        JsonNode adf = JSON.readTree("""
                {"type":"doc","version":1,"content":[
                  {"type":"heading","attrs":{"level":2},"content":[{"type":"text","text":"Steps to reproduce"}]},
                  {"type":"paragraph","content":[
                    {"type":"text","text":"Open the "},{"type":"text","text":"login","marks":[{"type":"strong"}]},
                    {"type":"text","text":" page as "},{"type":"mention","attrs":{"id":"abc","text":"@Alice"}},
                    {"type":"hardBreak"},{"type":"text","text":"then click "},{"type":"emoji","attrs":{"shortName":":boom:"}}]},
                  {"type":"codeBlock","attrs":{"language":"java"},"content":[{"type":"text",
                    "text":"java.lang.NullPointerException\\n\\tat com.acme.Login.submit(Login.java:42)"}]},
                  {"type":"bulletList","content":[
                    {"type":"listItem","content":[{"type":"paragraph","content":[{"type":"text","text":"Chrome"}]}]},
                    {"type":"listItem","content":[{"type":"paragraph","content":[{"type":"inlineCard","attrs":{"url":"https://x.example/1"}}]}]}]},
                  {"type":"futureNode","content":[{"type":"text","text":"still readable"}]}
                ]}""");

        String text = AdfText.of(adf);

        assertThat(text).isEqualTo("""
                Steps to reproduce
                Open the login page as @Alice
                then click :boom:
                java.lang.NullPointerException
                \tat com.acme.Login.submit(Login.java:42)
                Chrome
                https://x.example/1
                still readable""");
    }

    @Test
    void missingNullOrPlainDescriptionsAreHandled() throws Exception {
        assertThat(AdfText.of(null)).isEmpty();
        assertThat(AdfText.of(JSON.readTree("null"))).isEmpty();
        assertThat(AdfText.of(JSON.readTree("\"plain v2 text\""))).isEqualTo("plain v2 text");
        assertThat(AdfText.of(JSON.readTree("{\"type\":\"doc\",\"version\":1,\"content\":[]}"))).isEmpty();
    }

    @Test
    void hugeDocumentsAreCut() throws Exception {
        String big = "x".repeat(AdfText.MAX_CHARS * 2);
        JsonNode adf = JSON.readTree("{\"type\":\"doc\",\"content\":[{\"type\":\"paragraph\",\"content\":"
                + "[{\"type\":\"text\",\"text\":\"" + big + "\"}]}]}");

        assertThat(AdfText.of(adf)).hasSize(AdfText.MAX_CHARS);
    }
}
