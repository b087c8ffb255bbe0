package com.triageassistant.jira.generator;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Misspells words at a reporter's personal rate: swaps two neighbouring letters, drops one or doubles one, the
 * slips fast typists make. Only words of four letters or more, and never the first letter, which people rarely
 * get wrong.
 */
final class TypoInjector {

    private TypoInjector() {
    }

    static String apply(String text, double rate, SplittableRandom rng, List<Typo> log) {
        StringBuilder out = null;
        int length = text.length();
        int i = 0;
        while (i < length) {
            char ch = text.charAt(i);
            if (!Character.isLetter(ch)) {
                if (out != null) {
                    out.append(ch);
                }
                i++;
                continue;
            }
            int end = i;
            while (end < length && Character.isLetter(text.charAt(end))) {
                end++;
            }
            String replacement = null;
            if (end - i >= 4 && rng.nextDouble() < rate) {
                String word = text.substring(i, end);
                String typo = misspell(word, rng);
                if (!typo.equals(word)) {
                    replacement = typo;
                    log.add(new Typo(word, typo));
                }
            }
            if (replacement != null && out == null) {
                out = new StringBuilder(length + 2).append(text, 0, i);
            }
            if (out != null) {
                if (replacement != null) {
                    out.append(replacement);
                } else {
                    out.append(text, i, end);
                }
            }
            i = end;
        }
        return out == null ? text : out.toString();
    }

    private static String misspell(String word, SplittableRandom rng) {
        int at = 1 + rng.nextInt(word.length() - 1);
        return switch (rng.nextInt(3)) {
            case 0 -> at < word.length() - 1
                    ? word.substring(0, at) + word.charAt(at + 1) + word.charAt(at) + word.substring(at + 2)
                    : word.substring(0, at - 1) + word.charAt(at) + word.charAt(at - 1);
            case 1 -> word.substring(0, at) + word.substring(at + 1);
            default -> word.substring(0, at + 1) + word.substring(at);
        };
    }
}
