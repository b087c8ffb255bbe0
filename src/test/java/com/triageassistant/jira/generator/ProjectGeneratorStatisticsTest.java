package com.triageassistant.jira.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Does a mid-sized project look like the configuration and the product issue say it should? */
class ProjectGeneratorStatisticsTest {

    private static final GeneratorConfig CONFIG = GeneratorConfig.defaults(2024, "STAT").withIssueCount(5_000);

    private static GroundTruth truth;
    private static GeneratedProject project;
    private static List<GeneratedIssue> issues;
    private static Map<String, GeneratedUser> users;
    private static Instant end;

    @BeforeAll
    static void generate() {
        truth = new ProjectGenerator(CONFIG).generateWithGroundTruth();
        project = truth.project();
        issues = project.issues();
        users = new LinkedHashMap<>();
        project.users().forEach(user -> users.put(user.accountId(), user));
        end = CONFIG.start().atZone(ZoneOffset.UTC).plusYears(CONFIG.years()).toInstant();
    }

    @Test
    void keysAndIdsAreUniqueAndFollowCreationOrder() {
        assertThat(issues).hasSize(CONFIG.issueCount());
        assertThat(issues.stream().map(GeneratedIssue::id).collect(Collectors.toSet())).hasSize(issues.size());
        for (int i = 0; i < issues.size(); i++) {
            GeneratedIssue issue = issues.get(i);
            assertThat(issue.key()).isEqualTo("STAT-" + (i + 1));
            if (i > 0) {
                assertThat(issue.id()).isGreaterThan(issues.get(i - 1).id());
                assertThat(issue.created()).isAfter(issues.get(i - 1).created());
            }
            assertThat(issue.updated()).isAfterOrEqualTo(issue.created()).isBeforeOrEqualTo(end);
        }
        assertThat(issues.get(0).created()).isEqualTo(CONFIG.start());
        assertThat(Duration.between(issues.get(issues.size() - 1).created(), end)).isLessThan(Duration.ofDays(10));
    }

    @Test
    void typesComponentsAndReportersLookLikeAProject() {
        assertThat(project.components()).hasSizeBetween(8, 20);
        assertThat(new ProjectGenerator(CONFIG.withIssueCount(100)).generate().components()).hasSizeBetween(8, 11);
        Map<String, Double> types = shares(GeneratedIssue::issueType);
        assertThat(types.keySet()).containsExactlyInAnyOrderElementsOf(project.issueTypes());
        assertThat(types.get("Bug")).isBetween(0.35, 0.7);
        assertThat(types.get("Epic")).isBetween(0.003, 0.04);
        assertThat(share(issue -> issue.components().isEmpty())).isBetween(0.08, 0.2);
        assertThat(share(issue -> issue.components().size() > 1)).isBetween(0.03, 0.15);
        assertThat(project.users().stream().filter(user -> !user.assignee()).count()).isGreaterThanOrEqualTo(3);
        Set<String> reportersOnly = project.users().stream().filter(user -> !user.assignee())
                .map(GeneratedUser::accountId).collect(Collectors.toSet());
        assertThat(share(issue -> reportersOnly.contains(issue.reporter()))).isBetween(0.3, 0.8);
    }

    @Test
    void priorityIsImbalancedLikeARealTracker() {
        Map<String, Double> priorities = shares(GeneratedIssue::priority);
        assertThat(priorities.keySet()).containsExactlyInAnyOrderElementsOf(project.priorities());
        assertThat(priorities.get("Medium")).isBetween(0.55, 0.65);
        assertThat(priorities.get("Highest")).isBetween(0.01, 0.08);
        assertThat(priorities.get("High") + priorities.get("Highest")).isBetween(0.12, 0.3);
        assertThat(priorities.get("Low") + priorities.get("Lowest")).isBetween(0.12, 0.3);
    }

    @Test
    void wordingMovesPriority() {
        double urgent = share(issue -> issue.priority().startsWith("High"));
        double low = share(issue -> issue.priority().contains("Low"));
        Predicate<GeneratedIssue> alarming = issue -> contains(issue, "crash", "outage", "production is down",
                "data loss", "sev-1");
        Predicate<GeneratedIssue> harmless = issue -> contains(issue, "typo", "cosmetic", "nice to have", "minor");

        assertThat(share(alarming.and(issue -> issue.priority().startsWith("High")), alarming))
                .isGreaterThan(2 * urgent);
        assertThat(share(harmless.and(issue -> issue.priority().contains("Low")), harmless))
                .isGreaterThan(1.8 * low);
    }

    @Test
    void mostIssuesHaveNoLabelSomeHaveSeveral() {
        assertThat(share(issue -> issue.labels().isEmpty())).isBetween(0.58, 0.7);
        assertThat(share(issue -> issue.labels().size() >= 2)).isBetween(0.04, 0.15);
        assertThat(project.labels()).hasSizeGreaterThan(20);
        issues.forEach(issue -> assertThat(issue.labels()).isSorted().doesNotHaveDuplicates());
    }

    /** A component's label lands on that component's issues far more often than chance (noise aside). */
    @Test
    void labelsCorrelateWithComponentsAndVocabulary() {
        Map<String, String> componentOfLabel = new LinkedHashMap<>();
        ComponentCatalog.ALL.forEach(spec -> componentOfLabel.put(spec.label(), spec.name()));
        long uses = 0;
        long onItsComponent = 0;
        for (GeneratedIssue issue : issues) {
            for (String label : issue.labels()) {
                if (componentOfLabel.containsKey(label) && issue.components().size() == 1) {
                    uses++;
                    onItsComponent += issue.components().get(0).equals(componentOfLabel.get(label)) ? 1 : 0;
                }
            }
        }
        double byChance = 1.0 / project.components().size();
        assertThat((double) onItsComponent / uses).isGreaterThan(Math.max(0.4, 5 * byChance));

        Predicate<GeneratedIssue> mentionsPerformance = issue -> contains(issue, "slow", "speed up", "faster",
                "timeout", "load time", "high cpu");
        Predicate<GeneratedIssue> labelledPerformance = issue -> issue.labels().contains("performance");
        assertThat(share(mentionsPerformance, labelledPerformance))
                .isGreaterThan(3 * share(mentionsPerformance));
    }

    @Test
    void someLabelsFallOutOfUseAndOthersAppearLate() {
        Instant early = CONFIG.start().plus(Duration.between(CONFIG.start(), end).multipliedBy(3).dividedBy(10));
        Instant late = CONFIG.start().plus(Duration.between(CONFIG.start(), end).multipliedBy(7).dividedBy(10));
        Map<String, List<Instant>> uses = new LinkedHashMap<>();
        for (GeneratedIssue issue : issues) {
            issue.labels().forEach(label -> uses.computeIfAbsent(label, key -> new ArrayList<>()).add(issue.created()));
        }
        List<String> retired = uses.entrySet().stream()
                .filter(entry -> entry.getValue().size() >= 10 && entry.getValue().get(entry.getValue().size() - 1).isBefore(late))
                .map(Map.Entry::getKey).toList();
        List<String> newcomers = uses.entrySet().stream()
                .filter(entry -> entry.getValue().size() >= 10 && entry.getValue().get(0).isAfter(early))
                .map(Map.Entry::getKey).toList();
        assertThat(retired).contains("legacy-ui", "jenkins");
        assertThat(newcomers).contains("ai-assist");
    }

    @Test
    void peopleJoinAndLeaveAndAreOnlyAssignedWhileThere() {
        assertThat(project.users()).hasSize(CONFIG.people());
        assertThat(project.users().stream().filter(user -> user.left() != null).count()).isGreaterThanOrEqualTo(5);
        assertThat(project.users().stream().filter(user -> user.joined().isAfter(CONFIG.start())).count())
                .isGreaterThanOrEqualTo(5);
        assertThat(project.users().stream().filter(GeneratedUser::assignableNow).count()).isGreaterThanOrEqualTo(5);
        assertThat(users).hasSize(CONFIG.people());
        for (GeneratedIssue issue : issues) {
            assertThat(users.get(issue.reporter()).activeAt(issue.created())).as(issue.key()).isTrue();
            if (issue.assignee() != null) {
                GeneratedUser assignee = users.get(issue.assignee());
                assertThat(assignee.assignee()).isTrue();
                assertThat(assignee.activeAt(issue.created())).as(issue.key()).isTrue();
            }
        }
        for (GeneratedUser user : project.users()) {
            assertThat(user.specialities().isEmpty()).isEqualTo(!user.assignee());
            assertThat(project.components()).containsAll(user.specialities());
        }
        assertThat(share(issue -> issue.assignee() == null)).isBetween(0.01, 0.08);
    }

    @Test
    void aFewPeopleTakeMostOfTheWork() {
        Map<String, Long> workload = issues.stream().filter(issue -> issue.assignee() != null)
                .collect(Collectors.groupingBy(GeneratedIssue::assignee, Collectors.counting()));
        List<Long> sorted = workload.values().stream().sorted(Comparator.reverseOrder()).toList();
        long total = sorted.stream().mapToLong(Long::longValue).sum();
        int top = (int) Math.ceil(sorted.size() * 0.2);
        long topShare = sorted.subList(0, top).stream().mapToLong(Long::longValue).sum();

        assertThat((double) topShare / total).isGreaterThan(0.45);
    }

    @Test
    void noiseFlagsMatchTheConfiguredShare() {
        List<GeneratedIssue> assigned = issues.stream().filter(issue -> issue.assignee() != null).toList();
        double noisyAssignees = assigned.stream().filter(issue -> issue.noisy().assignee()).count()
                / (double) assigned.size();

        assertThat(noisyAssignees).isCloseTo(CONFIG.noise(), within(0.02));
        assertThat(share(issue -> issue.noisy().labels())).isCloseTo(CONFIG.noise(), within(0.02));
        assertThat(share(issue -> issue.noisy().priority())).isCloseTo(CONFIG.noise(), within(0.02));
        assertThat(issues.stream().filter(issue -> issue.assignee() == null).noneMatch(issue -> issue.noisy().assignee()))
                .isTrue();
    }

    /** The reporter is a real but imperfect signal: their usual assignee beats the busiest person, not the bound. */
    @Test
    void theReporterHintsAtTheAssignee() {
        int split = (int) (issues.size() * 0.7);
        Map<String, Map<String, Integer>> byReporter = new LinkedHashMap<>();
        Map<String, Integer> overall = new LinkedHashMap<>();
        for (GeneratedIssue issue : issues.subList(0, split)) {
            if (issue.assignee() != null) {
                byReporter.computeIfAbsent(issue.reporter(), key -> new LinkedHashMap<>())
                        .merge(issue.assignee(), 1, Integer::sum);
                overall.merge(issue.assignee(), 1, Integer::sum);
            }
        }
        String busiest = argmax(overall);
        int reporterHits = 0;
        int busiestHits = 0;
        int evaluated = 0;
        for (GeneratedIssue issue : issues.subList(split, issues.size())) {
            if (issue.assignee() == null) {
                continue;
            }
            evaluated++;
            Map<String, Integer> counts = byReporter.get(issue.reporter());
            String guess = counts == null ? busiest : argmax(counts);
            reporterHits += guess.equals(issue.assignee()) ? 1 : 0;
            busiestHits += busiest.equals(issue.assignee()) ? 1 : 0;
        }
        double reporterAccuracy = (double) reporterHits / evaluated;

        assertThat(reporterAccuracy).isGreaterThan((double) busiestHits / evaluated + 0.05);
        assertThat(reporterAccuracy).isLessThan(truth.assigneeTopKUpperBound(1, split, issues.size()) - 0.1);
    }

    @Test
    void typosArePresentButRare() {
        long withTypos = truth.issues().stream().filter(issue -> !issue.typos().isEmpty()).count();
        assertThat((double) withTypos / issues.size()).isBetween(0.05, 0.5);
        for (int i = 0; i < issues.size(); i++) {
            String text = AdfText.of(issues.get(i));
            for (Typo typo : truth.issues().get(i).typos()) {
                assertThat(typo.misspelled()).isNotEqualTo(typo.original());
                assertThat(text).contains(typo.misspelled());
            }
        }
        long words = issues.stream().mapToLong(issue -> AdfText.of(issue).split("\\s+").length).sum();
        long typos = truth.issues().stream().mapToLong(issue -> issue.typos().size()).sum();
        assertThat((double) typos / words).isBetween(0.001, 0.02);
    }

    @Test
    void summariesUseSynonymsSoOneWordDoesNotGiveTheComponentAway() {
        Map<String, Set<String>> componentsByWord = new LinkedHashMap<>();
        for (GeneratedIssue issue : issues) {
            if (issue.components().size() != 1) {
                continue;
            }
            for (String word : issue.summary().toLowerCase(Locale.ROOT).split("[^a-z0-9-]+")) {
                if (word.length() > 3) {
                    componentsByWord.computeIfAbsent(word, key -> new HashSet<>()).add(issue.components().get(0));
                }
            }
        }
        long shared = componentsByWord.values().stream().filter(components -> components.size() >= 3).count();
        assertThat((double) shared / componentsByWord.size()).isGreaterThan(0.2);
    }

    private static boolean contains(GeneratedIssue issue, String... needles) {
        String text = AdfText.of(issue).toLowerCase(Locale.ROOT);
        for (String needle : needles) {
            if (text.contains(needle)) {
                return true;
            }
        }
        return false;
    }

    private static String argmax(Map<String, Integer> counts) {
        return counts.entrySet().stream().max(Map.Entry.<String, Integer>comparingByValue()
                .thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder()))).orElseThrow().getKey();
    }

    private static double share(Predicate<GeneratedIssue> condition) {
        return issues.stream().filter(condition).count() / (double) issues.size();
    }

    private static double share(Predicate<GeneratedIssue> condition, Predicate<GeneratedIssue> among) {
        long base = issues.stream().filter(among).count();
        return issues.stream().filter(among.and(condition)).count() / (double) base;
    }

    private static Map<String, Double> shares(Function<GeneratedIssue, String> field) {
        Map<String, Double> result = new LinkedHashMap<>();
        issues.forEach(issue -> result.merge(field.apply(issue), 1.0 / issues.size(), Double::sum));
        return result;
    }
}
