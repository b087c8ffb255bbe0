package com.triageassistant.support;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * What Jira and JSON allow in an issue's text, and what breaks text pipelines that join, lower-case, split, cut,
 * encode or store it (the same families as {@code python/tests/adversarial.py}): NUL and other control characters,
 * lone surrogates, noncharacters, zero-width and bidi marks, emoji, CJK, combining marks, case mappings that change
 * length, unusual spaces and line breaks, JSON- and SQL-looking text. Strings are deterministic for a seed.
 */
public final class AdversarialText {

    public static final Map<String, List<String>> FAMILIES = families();
    public static final List<String> ATOMS = FAMILIES.values().stream().flatMap(List::stream).toList();
    /** The atoms holding an unpaired surrogate. */
    public static final List<String> LONE_SURROGATES = FAMILIES.get("lone surrogates");
    private static final List<String> WORDS = List.of("login", "crash", "outage", "page", "error", "fails", "user",
            "invoice", "payment", "session", "the", "when", "LOGIN", "Crash", "timeout");

    private final Random random;

    public AdversarialText(long seed) {
        this.random = new Random(seed);
    }

    private static Map<String, List<String>> families() {
        Map<String, List<String>> f = new LinkedHashMap<>();
        f.put("nul and separator", List.of("\u0000", "\u0000\u0000", " \u0000 ", "a\u0000b", "\u0000login\u0000"));
        List<String> c0 = new ArrayList<>(IntStream.range(1, 32).mapToObj(c -> String.valueOf((char) c)).toList());
        c0.add("\u007f");
        f.put("C0 controls", List.copyOf(c0));
        f.put("C1 controls", IntStream.range(0x80, 0xA0).mapToObj(c -> String.valueOf((char) c)).toList());
        f.put("lone surrogates", List.of("\uD800", "\uDBFF", "\uDC00", "\uDFFF", "x\uD83D", "\uDE00y",
                "\uDC00\uD800"));
        f.put("noncharacters", List.of("\uFFFF", "\uFFFE", "\uFDD0", "\uFDEF", "\uD83F\uDFFE", "\uDBFF\uDFFF"));
        f.put("zero width", List.of("\u200B", "\u200C", "\u200D", "\u2060", "\uFEFF", "lo\u200Bgin", "cr\u200Dash"));
        f.put("bidi", List.of("\u200E", "\u200F", "\u061C", "\u202A", "\u202B", "\u202C", "\u202D", "\u202E",
                "\u2066", "\u2067", "\u2068", "\u2069", "\u202Eevil\u202C", "\u05E9\u05DC\u05D5\u05DD",
                "\u0645\u0631\u062D\u0628\u0627"));
        f.put("emoji", List.of("\uD83D\uDE00", "\uD83D\uDCA5", "\uD83D\uDC69\u200D\uD83D\uDCBB",
                "\uD83D\uDC4D\uD83C\uDFFD", "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67\u200D\uD83D\uDC66",
                "\uD83C\uDFF3\uFE0F\u200D\uD83C\uDF08", "\uD83C\uDDE9\uD83C\uDDEA", "\u2764\uFE0F",
                "crash\uD83D\uDCA5outage"));
        f.put("CJK", List.of("\u767B\u5F55\u9875\u9762\u65E0\u6CD5\u52A0\u8F7D\u7528\u6237\u6570\u636E",
                "\u30ED\u30B0\u30A4\u30F3\u3067\u304D\u307E\u305B\u3093", "\uB85C\uADF8\uC778\uC2E4\uD328",
                "\u6570\u636E\u5E93\u3002\u9519\u8BEF\uFF0C\u8D85\u65F6", "\uD840\uDC00\uD869\uDED6"));
        f.put("combining", List.of("e\u0301", "a\u0308\u0323", "\u0301", "Z\u0351\u0352\u0353\u0354\u0355\u0356",
                "n\u0303o\u0303", "\u0915\u094D\u0937"));
        f.put("case mapping", List.of("\u039F\u0394\u03A5\u03A3\u03A3\u0395\u03A5\u03A3", "\u03A3",
                "\u03A3\u0391\u03A3", "\u03C3\u03C2", "\u0130STANBUL", "\u0130", "\u0131", "I\u0307", "\u00DF",
                "\uFB01le", "\u2167", "\u1E9E", "\u0149", "\u01C5"));
        f.put("spaces and breaks", List.of("\u00A0", "\u2007", "\u202F", "\u3000", "\u2028", "\u2029", "\u0085",
                "\t", "\r\n", "\r", "\u000B", "\f", "\u1680", "\u180E"));
        f.put("JSON and SQL looking", List.of("{\"issues\": []}", "\"", "\\", "\\u0000", "\\\"", "\"}]}", "null",
                "[1, 2]", "\\ud800", "{\"type\":\"doc\"}", "'; DROP TABLE issue; --", "</script>", "${jndi:x}",
                "%s%n", "?", "''"));
        return f;
    }

    /** Atoms of several families and ordinary words, glued with or without spaces. */
    public String text(int maxParts) {
        List<String> parts = new ArrayList<>();
        int count = 1 + random.nextInt(maxParts);
        List<List<String>> families = List.copyOf(FAMILIES.values());
        for (int i = 0; i < count; i++) {
            double r = random.nextDouble();
            if (r < 0.45) {
                parts.add(pick(WORDS));
            } else if (r < 0.9) {
                parts.add(pick(families.get(random.nextInt(families.size()))));
            } else {
                parts.add(pick(ATOMS).repeat(2 + random.nextInt(19)));
            }
        }
        return String.join(pick(List.of(" ", "", "\u0000", "\u200B", "\n")), parts);
    }

    /** A summary or description: mostly {@link #text}, sometimes empty, whitespace-only or long. */
    public String field() {
        double r = random.nextDouble();
        if (r < 0.05) {
            return "";
        }
        if (r < 0.12) {
            return pick(List.of(" ", "\t\n ", "\u00A0\u3000", "\u200B\u200B", "\u0000", "\u0000 \u0000"));
        }
        if (r < 0.15) {
            return text(12).repeat(30);
        }
        return text(12);
    }

    public <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    /** {@code text} as {@link com.triageassistant.ingest.WellFormedText} makes it: unpaired surrogates as U+FFFD. */
    public static String wellFormed(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().forEach(cp -> out.appendCodePoint(cp >= 0xD800 && cp <= 0xDFFF ? 0xFFFD : cp));
        return out.toString();
    }
}
