package com.triageassistant.ingest;

import java.util.List;

/**
 * Text as every store and payload can carry it: a {@code String} holding an unpaired UTF-16 surrogate (Jira and JSON
 * allow one: {@code "\ud800"} is a valid JSON escape) has no UTF-8 form, and Ignite's string encoding writes it as
 * {@code '?'}. Such a surrogate becomes U+FFFD (the replacement character) when an issue enters the app, so what is
 * stored, read back, sent to the sidecar and trained on is the same text. Everything else (NUL and other control
 * characters, noncharacters, bidi marks, astral characters) is kept exactly.
 */
public final class WellFormedText {

    public static final char REPLACEMENT = '\uFFFD';

    private WellFormedText() {
    }

    /** {@code text} with each unpaired surrogate replaced by U+FFFD; the same instance when it has none. */
    public static String of(String text) {
        if (text == null) {
            return null;
        }
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                } else {
                    return replaceFrom(text, i);
                }
            }
        }
        return text;
    }

    /** Each of {@code values} made well-formed, as an immutable copy ({@link List#copyOf}: no null elements). */
    public static List<String> of(List<String> values) {
        return List.copyOf(values.stream().map(WellFormedText::of).toList());
    }

    private static String replaceFrom(String text, int first) {
        StringBuilder out = new StringBuilder(text.length()).append(text, 0, first);
        int n = text.length();
        for (int i = first; i < n; i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.append(c).append(text.charAt(++i));
            } else {
                out.append(Character.isSurrogate(c) ? REPLACEMENT : c);
            }
        }
        return out.toString();
    }
}
