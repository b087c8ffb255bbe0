package com.triageassistant.suggest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** What a ranking offers: the model's decisions under the project's floors, for new rows and for older ones. */
class RankingTest {

    @Test
    void theFloorIsOnTopOfTheModelsChoice() {
        List<Suggested> ranked = List.of(flagged("a", 0.8, true, true), flagged("b", 0.6, true, false),
                flagged("c", 0.55, false, false));

        assertThat(offered(settings("labels", 0, 0), ranked)).containsExactly("a suggested auto", "b suggested",
                "c");
        assertThat(offered(settings("labels", 0.7, 0), ranked)).as("b is below the admin's floor")
                .containsExactly("a suggested auto", "b", "c");
        assertThat(offered(settings("labels", 0.9, 0.85), ranked)).as("nothing clears either floor")
                .containsExactly("a", "b", "c");
        // a value the model does not suggest stays an alternative however high the probability
        assertThat(offered(settings("labels", 0, 0), List.of(flagged("x", 0.95, false, false))))
                .containsExactly("x");
    }

    @Test
    void rowsWithoutFlagsAreSuggestedAboveTheThresholdAsBefore() {
        List<Suggested> ranked = List.of(legacy("ada", 0.5), legacy("max", 0.25), legacy("sam", 0.1));

        // 0 (the model's choice) has no model decision to follow in such rows: the old default (0.2) applies
        assertThat(offered(settings("assignee", 0, 0), ranked)).containsExactly("ada suggested auto", "max auto", "sam");
        assertThat(offered(settings("assignee", 0.6, 0.6), ranked)).containsExactly("ada", "max", "sam");
        List<Suggested> labels = List.of(legacy("ui", 0.7), legacy("api", 0.55), legacy("db", 0.3));
        assertThat(offered(settings("labels", 0, 0.6), labels)).as("several labels, old default 0.5")
                .containsExactly("ui suggested auto", "api suggested", "db");
    }

    @Test
    void excludedSetAndDecidedValuesAreSkippedAndTheNextOnesMoveUp() {
        List<Suggested> ranked = List.of(flagged("wontfix", 0.9, true, true), flagged("ui", 0.8, true, true),
                flagged("old", 0.7, true, false), flagged("api", 0.4, false, false),
                flagged("db", 0.3, false, false), flagged("perf", 0.2, false, false));
        TargetSettings settings = new TargetSettings("labels", true, 0, AutoApplyMode.OFF, 0, List.of("WontFix"));

        assertThat(Ranking.offered(settings, ranked, Set.of("ui", "old")).stream().map(RankingTest::describe))
                .containsExactly("api", "db", "perf");
    }

    @Test
    void aSingleValuedTargetHasAtMostOneSuggestedValue() {
        List<Suggested> ranked = List.of(flagged("High", 0.5, true, true), flagged("Medium", 0.45, true, true),
                flagged("Low", 0.05, false, false));
        assertThat(offered(settings("priority", 0, 0), ranked)).containsExactly("High suggested auto",
                "Medium auto", "Low");
        // the model's choice is the priority already: the next value is no suggestion of it
        assertThat(Ranking.offered(settings("priority", 0, 0), List.of(legacy("High", 0.5), legacy("Medium", 0.45)),
                Set.of("High")).stream().map(RankingTest::describe)).containsExactly("Medium auto");
        // the legacy fallback too: both clear the old 0.4
        assertThat(offered(settings("priority", 0, 0), List.of(legacy("High", 0.5), legacy("Medium", 0.45))))
                .containsExactly("High suggested auto", "Medium auto");
    }

    @Test
    void threeAreShownButNeverFewerThanTheSuggestedOnes() {
        List<Suggested> many = List.of(flagged("a", 0.9, true, false), flagged("b", 0.8, true, false),
                flagged("c", 0.7, true, false), flagged("d", 0.6, true, false), flagged("e", 0.5, false, false));
        assertThat(offered(settings("labels", 0, 0), many)).containsExactly("a suggested", "b suggested",
                "c suggested", "d suggested");

        List<Suggested> alternatives = List.of(flagged("a", 0.3, false, false), flagged("b", 0.2, false, false),
                flagged("c", 0.1, false, false), flagged("d", 0.05, false, false));
        assertThat(offered(settings("assignee", 0, 0), alternatives)).containsExactly("a", "b", "c");

        // a suggested label ranked below three alternatives is still shown, in rank order
        List<Suggested> late = List.of(flagged("a", 0.3, false, false), flagged("b", 0.2, false, false),
                flagged("c", 0.1, false, false), flagged("d", 0.05, true, false));
        assertThat(offered(settings("labels", 0, 0), late)).containsExactly("a", "b", "d suggested");
    }

    private static List<String> offered(TargetSettings settings, List<Suggested> ranked) {
        return Ranking.offered(settings, ranked, Set.of()).stream().map(RankingTest::describe).toList();
    }

    private static String describe(Ranking.Choice choice) {
        return choice.value().value() + (choice.suggested() ? " suggested" : "") + (choice.auto() ? " auto" : "");
    }

    static TargetSettings settings(String target, double threshold, double autoThreshold) {
        return new TargetSettings(target, true, threshold, AutoApplyMode.OFF, autoThreshold, List.of());
    }

    static Suggested flagged(String value, double p, boolean suggest, boolean auto) {
        return new Suggested(value, p, List.of(), suggest, auto);
    }

    static Suggested legacy(String value, double p) {
        return new Suggested(value, p, List.of(), null, null);
    }
}
