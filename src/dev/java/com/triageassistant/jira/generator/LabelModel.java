package com.triageassistant.jira.generator;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;

/**
 * The label pattern: every label is an independent coin whose chance depends on the issue's hidden state, and
 * which is only thrown while the label is in use.
 *
 * <p>Chances: each component's label 0.07 on its issues; subtopic labels 0.1 on issues of that subtopic (so they
 * follow the vocabulary); by aspect: performance 0.3, security 0.5, regression 0.4, flaky-test 0.3, ux 0.2,
 * tech-debt 0.3, documentation 0.4, data-loss 0.4, crash 0.2; hotfix 0.3 on critical issues; customer-reported
 * 0.06 on support's issues. Labels that fall out of use or appear late: legacy-ui then ui-v2 (0.2 on cosmetic
 * issues, 0.12 on Web UI) and jenkins then github-actions (0.3 on build issues, 0.12 on Build &amp; CI), each pair
 * switching at a random point of the span; mvp (0.15 on stories and epics, first 30% of the span); ai-assist
 * (0.12 on stories, improvements and epics, last 30%); release-YYYY (0.025 on bugs, tasks and stories, only
 * during that calendar year). About two thirds of issues end up with no label.
 */
final class LabelModel {

    /** Cardinality distribution (0, 1, 2, 3 labels) of a noisy issue's random label set. */
    static final List<Double> NOISE_CARDINALITY = List.of(0.25, 0.45, 0.22, 0.08);

    private record Rule(int label, long from, long until, ToDoubleFunction<IssueLatent> chance) {
    }

    private final List<String> names;
    private final List<Rule> rules;
    /** times where the set of labels in use changes, ascending, and the labels in use from each on */
    private final long[] edges;
    private final List<List<String>> inUse;
    private final List<int[]> inUseIndexes;

    private LabelModel(List<String> names, List<Rule> rules) {
        this.names = names;
        this.rules = rules;
        TreeSet<Long> cuts = new TreeSet<>();
        cuts.add(Long.MIN_VALUE);
        for (Rule rule : rules) {
            cuts.add(rule.from);
            cuts.add(rule.until);
        }
        this.edges = cuts.stream().mapToLong(Long::longValue).toArray();
        this.inUse = new ArrayList<>();
        this.inUseIndexes = new ArrayList<>();
        for (long edge : edges) {
            boolean[] on = new boolean[names.size()];
            for (Rule rule : rules) {
                if (edge >= rule.from && edge < rule.until) {
                    on[rule.label] = true;
                }
            }
            List<String> list = new ArrayList<>();
            List<Integer> indexes = new ArrayList<>();
            for (int k = 0; k < on.length; k++) {
                if (on[k]) {
                    list.add(names.get(k));
                    indexes.add(k);
                }
            }
            inUse.add(List.copyOf(list));
            inUseIndexes.add(indexes.stream().mapToInt(Integer::intValue).toArray());
        }
    }

    static LabelModel build(ProjectShape shape, SplittableRandom rng) {
        Map<String, Integer> index = new LinkedHashMap<>();
        List<Rule> rules = new ArrayList<>();
        long open = Long.MAX_VALUE;
        long always = Long.MIN_VALUE;
        for (int c = 0; c < shape.componentCount(); c++) {
            int component = c;
            ComponentSpec spec = shape.component(c);
            rules.add(new Rule(id(index, spec.label()), always, open, z -> z.component() == component ? 0.07 : 0));
            for (int s = 0; s < spec.subtopics().size(); s++) {
                int subtopic = s;
                String label = spec.subtopics().get(s).label();
                if (label != null) {
                    rules.add(new Rule(id(index, label), always, open,
                            z -> z.component() == component && z.subtopic() == subtopic ? 0.1 : 0));
                }
            }
        }
        aspect(rules, index, "performance", Aspect.PERFORMANCE, 0.3);
        aspect(rules, index, "security", Aspect.SECURITY, 0.5);
        aspect(rules, index, "regression", Aspect.REGRESSION, 0.4);
        aspect(rules, index, "flaky-test", Aspect.BUILD, 0.3);
        aspect(rules, index, "ux", Aspect.COSMETIC, 0.2);
        aspect(rules, index, "tech-debt", Aspect.REFACTOR, 0.3);
        aspect(rules, index, "documentation", Aspect.DOCS, 0.4);
        aspect(rules, index, "data-loss", Aspect.DATA_LOSS, 0.4);
        aspect(rules, index, "crash", Aspect.CRASH, 0.2);
        rules.add(new Rule(id(index, "hotfix"), always, open, z -> z.cue() == SeverityCue.CRITICAL ? 0.3 : 0));
        rules.add(new Rule(id(index, "customer-reported"), always, open,
                z -> z.reporter().role == Role.SUPPORT ? 0.06 : 0));

        long start = shape.start;
        long span = shape.span();
        long uiSwitch = start + (long) (Draw.uniform(0.35, 0.6, rng) * span);
        ToDoubleFunction<IssueLatent> ui = z -> z.aspect() == Aspect.COSMETIC ? 0.2
                : shape.component(z.component()).name().equals("Web UI") ? 0.12 : 0;
        rules.add(new Rule(id(index, "legacy-ui"), always, uiSwitch, ui));
        rules.add(new Rule(id(index, "ui-v2"), uiSwitch, open, ui));
        long ciSwitch = start + (long) (Draw.uniform(0.3, 0.65, rng) * span);
        ToDoubleFunction<IssueLatent> ci = z -> z.aspect() == Aspect.BUILD ? 0.3
                : shape.component(z.component()).name().equals("Build & CI") ? 0.12 : 0;
        rules.add(new Rule(id(index, "jenkins"), always, ciSwitch, ci));
        rules.add(new Rule(id(index, "github-actions"), ciSwitch, open, ci));
        rules.add(new Rule(id(index, "mvp"), always, start + (long) (0.3 * span),
                z -> z.type() == IssueType.STORY || z.type() == IssueType.EPIC ? 0.15 : 0));
        rules.add(new Rule(id(index, "ai-assist"), start + (long) (0.7 * span), open,
                z -> z.type() == IssueType.STORY || z.type() == IssueType.IMPROVEMENT || z.type() == IssueType.EPIC
                        ? 0.12 : 0));
        int firstYear = LocalDate.ofEpochDay(Math.floorDiv(start, ProjectShape.DAY)).getYear();
        int lastYear = LocalDate.ofEpochDay(Math.floorDiv(shape.end - 1, ProjectShape.DAY)).getYear();
        for (int year = firstYear; year <= lastYear; year++) {
            long from = LocalDate.of(year, 1, 1).atStartOfDay().toEpochSecond(ZoneOffset.UTC);
            long until = LocalDate.of(year + 1, 1, 1).atStartOfDay().toEpochSecond(ZoneOffset.UTC);
            rules.add(new Rule(id(index, "release-" + year), Math.max(from, start), Math.min(until, shape.end),
                    z -> z.type() == IssueType.BUG || z.type() == IssueType.TASK || z.type() == IssueType.STORY
                            ? 0.025 : 0));
        }
        return new LabelModel(List.copyOf(index.keySet()), List.copyOf(rules));
    }

    private static void aspect(List<Rule> rules, Map<String, Integer> index, String label, Aspect aspect,
                               double chance) {
        rules.add(new Rule(id(index, label), Long.MIN_VALUE, Long.MAX_VALUE, z -> z.aspect() == aspect ? chance : 0));
    }

    private static int id(Map<String, Integer> index, String label) {
        return index.computeIfAbsent(label, key -> index.size());
    }

    List<String> names() {
        return names;
    }

    /** Chance of each label (by index into {@link #names()}); rules for the same label combine as independent. */
    double[] chances(IssueLatent z) {
        double[] miss = new double[names.size()];
        Arrays.fill(miss, 1.0);
        long time = z.created();
        for (Rule rule : rules) {
            if (time >= rule.from && time < rule.until) {
                double p = rule.chance.applyAsDouble(z);
                if (p > 0) {
                    miss[rule.label] *= 1 - p;
                }
            }
        }
        for (int k = 0; k < miss.length; k++) {
            miss[k] = 1 - miss[k];
        }
        return miss;
    }

    /** Labels in use at {@code time}, in definition order; shared instances, one per period. */
    List<String> inUseAt(long time) {
        return inUse.get(period(time));
    }

    int[] inUseIndexesAt(long time) {
        return inUseIndexes.get(period(time));
    }

    private int period(long time) {
        int found = Arrays.binarySearch(edges, time);
        return found >= 0 ? found : -found - 2;
    }
}
