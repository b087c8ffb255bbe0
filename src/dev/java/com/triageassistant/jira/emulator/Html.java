package com.triageassistant.jira.emulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Markup safe to put in a host page. Text only gets in escaped; {@code {{name}}} placeholders of a template take
 * either text (escaped) or other {@code Html} (already safe), so no issue summary, description or user name can
 * reach a page as markup however it is spelt.
 */
final class Html {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([a-zA-Z][a-zA-Z0-9]*)}}");
    private static final String TEMPLATES = "/jira-emulator/pages/";

    static final Html EMPTY = new Html("");

    private final String markup;

    private Html(String markup) {
        this.markup = markup;
    }

    /** Markup written in this code base (never data). */
    static Html literal(String markup) {
        return new Html(markup);
    }

    static Html text(String text) {
        return new Html(escape(text == null ? "" : text));
    }

    /** Fills {@code template} (markup written in this code base, never data) with escaped values. */
    static Html fill(String template, Map<String, ?> values) {
        Matcher matcher = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1);
            if (!values.containsKey(name)) {
                throw new IllegalArgumentException("no value for {{" + name + "}}");
            }
            Object value = values.get(name);
            String safe = value instanceof Html html ? html.markup : escape(value == null ? "" : value.toString());
            matcher.appendReplacement(out, Matcher.quoteReplacement(safe));
        }
        matcher.appendTail(out);
        return new Html(out.toString());
    }

    /** A template file from {@code src/dev/resources/jira-emulator/pages/}, filled as {@link #fill}. */
    static Html page(String name, Map<String, ?> values) {
        return fill(resource(TEMPLATES + name), values);
    }

    static Html join(List<Html> parts) {
        StringBuilder out = new StringBuilder();
        parts.forEach(part -> out.append(part.markup));
        return new Html(out.toString());
    }

    static String resource(String path) {
        try (InputStream in = Html.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return markup;
    }
}
