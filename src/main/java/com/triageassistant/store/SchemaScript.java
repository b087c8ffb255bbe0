package com.triageassistant.store;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.triageassistant.Sha256;

/** One versioned DDL script, {@code V<version>__<description>.sql}, split into statements. */
record SchemaScript(int version, String fileName, String checksum, List<String> statements) {

    private static final Pattern NAME = Pattern.compile("V(\\d+)__([A-Za-z0-9_]+)\\.sql");

    static SchemaScript parse(String fileName, String text) {
        Matcher matcher = NAME.matcher(fileName);
        if (!matcher.matches()) {
            throw new SchemaMigrationException("Schema script " + fileName
                    + " is not named V<version>__<description>.sql");
        }
        return new SchemaScript(Integer.parseInt(matcher.group(1)), fileName, Sha256.hex(text), split(text));
    }

    /** Splits on semicolons outside quotes and comments; comments are dropped. */
    static List<String> split(String text) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                current.append(c);
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '-' && i + 1 < text.length() && text.charAt(i + 1) == '-') {
                int end = text.indexOf('\n', i);
                i = end < 0 ? text.length() : end;
                current.append('\n');
            } else if (c == '\'' || c == '"') {
                quote = c;
                current.append(c);
            } else if (c == ';') {
                addIfNotBlank(statements, current);
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        addIfNotBlank(statements, current);
        return List.copyOf(statements);
    }

    private static void addIfNotBlank(List<String> statements, StringBuilder statement) {
        String trimmed = statement.toString().strip();
        if (!trimmed.isEmpty()) {
            statements.add(trimmed);
        }
    }
}
