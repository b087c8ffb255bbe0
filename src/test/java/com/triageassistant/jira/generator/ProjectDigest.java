package com.triageassistant.jira.generator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * A canonical JSON dump of a generated project and its SHA-256. {@link #main} prints the digest, so a test can
 * compare digests across JVMs (which is where identity hash codes or default locales would show).
 */
final class ProjectDigest {

    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private ProjectDigest() {
    }

    static String json(GeneratedProject project) {
        try {
            return JSON.writeValueAsString(project);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256(GeneratedProject project) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(json(project).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Arguments: seed, issue count. */
    public static void main(String[] args) {
        GeneratorConfig config = GeneratorConfig.defaults(Long.parseLong(args[0]), "DET")
                .withIssueCount(Integer.parseInt(args[1]));
        System.out.println(sha256(new ProjectGenerator(config).generate()));
    }
}
