package com.triageassistant.jira.generator;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Generates a realistic, seeded Jira project history with a known ground truth, as a benchmark for the triage
 * models (assignee, labels, priority). The same {@link GeneratorConfig} always yields an equal project.
 *
 * <h2>How every field is drawn</h2>
 * Each issue first gets a <b>hidden state</b> z ({@link IssueLatent}); every visible field and every target is a
 * function of z plus randomness independent of everything else.
 * <ol>
 * <li><b>Project shape.</b> 8-20 components (more for bigger projects) out of a catalogue of 23, grouped into teams
 * of about four related components; Zipf-like component popularity; each component's backend is Java or Python
 * (65/35), which decides its stack traces.</li>
 * <li><b>People.</b> {@code config.people}; 22% only report (support 45%, product 30%, QA 25%), the rest are
 * developers who take issues. 55% were there before the start, the others join during the span; 45% leave
 * ({@code left} set; two developers and one support person never leave, and at least one developer leaves). A
 * developer's work weight is {@code rank^-0.8} over a random ranking; seniors (the heaviest quarter) also know
 * more components, so a few people take most issues. Specialities: 1-3 components of their team (seniors at
 * least 2), plus one of another team for seniors and 20% of the rest; every component has at least two
 * specialists. Every person has one or two "usual" developers from their (home) team,
 * a typo rate (0.2-6% of words) and a priority habit (support inflates, some developers play down).</li>
 * <li><b>Creation times</b> rise linearly in density over the span (x1.8 at the end), mostly in working hours,
 * 85% of weekend issues moved to Friday or Monday. Keys {@code KEY-1..KEY-n} and ids {@code 10000+n} follow
 * creation order; {@code updated} lies between creation and the end of the span and depends only on the type.</li>
 * <li><b>Hidden state z</b>, in this order: reporter (active people, weighted by role: support files most);
 * type from the reporter's role (support and QA: mostly Bugs; product: Stories, Epics); topic component (a
 * developer: 50% own specialities, 20% own team; others 70% their home team; else by popularity); subtopic;
 * aspect from the type (functional, crash, outage, data loss, cosmetic, performance, security, regression,
 * build, docs, refactor; support and product never file build or refactoring work); severity cue from the aspect
 * (CRITICAL, HIGH, NONE, LOW).</li>
 * <li><b>Visible text</b> from z only ({@link IssueTextWriter}): templates per type and aspect, synonyms of the
 * subtopic, generic words shared by all components (some are other components' topic words), words from
 * neighbouring components, the cue in words 85% of the time (and misleading negated cue words in 5% of cue-less
 * issues), boilerplate, stack traces in code blocks naming the component's classes or modules, and typos.
 * The components field is [topic] (78%), [topic, another] (8%) or empty (14%).</li>
 * <li><b>Assignee</b>: unassigned for 45% of issues in the last 21 days, 30% of Epics and 2% of the rest. Else,
 * with probability {@code noise}, uniform among developers active at creation time; otherwise drawn from the
 * pattern {@link AssigneeModel}: specialists of the topic component active at creation time, weighted by
 * {@code workWeight x rampUp x typeAffinity x reporterAffinity} (reporter themselves x4, their usual developers
 * x3; newcomers ramp up over 60 days); falling back to the component's team, then to everyone active. Nobody is
 * ever assigned an issue created before they joined or after they left.</li>
 * <li><b>Labels</b>: with probability {@code noise}, a random set (0/1/2/3 labels with probability
 * 0.25/0.45/0.22/0.08, uniform among labels in use at creation time; the pattern's usual answer, no label, is
 * deliberately not the noise's favourite, so noise costs accuracy); otherwise independent coins per label from
 * {@link LabelModel} (component and subtopic labels, aspect labels, customer-reported, hotfix, labels retired
 * mid-span such as legacy-ui and jenkins, labels that appear late such as ui-v2 and ai-assist, release-YYYY).
 * About 60-65% of issues end up with none at 10% noise.</li>
 * <li><b>Priority</b>: with probability {@code noise}, drawn from the prior (Highest .03, High .14, Medium .60,
 * Low .17, Lowest .06); otherwise from {@link PriorityModel}: a distribution per severity cue, skewed by the
 * component's criticality, the reporter's habit and the type. Medium ends up near 60%.</li>
 * </ol>
 * The three noise decisions use their own random stream, one uniform per target and issue compared with
 * {@code noise}: projects that differ only in noise have identical text and hidden states, and the noisy issues at
 * a lower noise are a subset of those at a higher one.
 *
 * <h2>Upper bounds on achievable accuracy</h2>
 * With ε = {@code config.noise}, p_i the pattern's distribution for issue i given z_i, and A_i the developers
 * active at its creation, the best any predictor can expect ({@link GroundTruth}) is:
 * <ul>
 * <li>assignee top-1, over issues with an assignee:
 * {@code mean_i[(1 - ε) * max_a p_i(a) + ε / |A_i|]}; top-k: {@code (1 - ε) * (sum of the k largest p_i) +
 * ε * min(k, |A_i|) / |A_i|}. Since max p ≤ 1 this is at most {@code (1 - ε) + ε * mean(1/|A_i|)}
 * ({@link GroundTruth#assigneeNoiseCeiling()}); the pattern's own spread (several specialists share a component)
 * lowers it further;</li>
 * <li>priority: {@code mean_i max_k[(1 - ε) * P_i(k) + ε * prior(k)]};</li>
 * <li>labels, exact set match: {@code mean_i max_S[(1 - ε) * Π_{l in S} q_il * Π_{l not in S}(1 - q_il) +
 * ε * Q_i(S)]}, where Q_i(S) = P(noise size = |S|) / C(labels in use, |S|); the maximum is over the top-j labels by
 * odds for every j.</li>
 * </ul>
 * These are the Bayes-optimal accuracies given the full hidden state, attained in expectation by the oracle
 * ({@link GroundTruth#oracleAssignee(int)} etc.). A real model sees z only through the visible fields (the
 * component field is sometimes empty, the cue is sometimes unsaid, words are shared and misspelt), so it stays
 * below; on a finite test set, measured accuracy fluctuates around its expectation by about
 * {@code sqrt(b(1-b)/n)}.
 */
public final class ProjectGenerator {

    private static final Pattern PROJECT_KEY = Pattern.compile("[A-Z][A-Z0-9]{1,9}");
    private static final List<String> NAME_SUFFIXES = List.of("Platform", "Cloud", "Portal", "Suite", "App");
    private static final long ID_BASE = 10_000;

    private final GeneratorConfig config;

    public ProjectGenerator(GeneratorConfig config) {
        if (!PROJECT_KEY.matcher(config.projectKey()).matches()) {
            throw new IllegalArgumentException("projectKey must be 2-10 of A-Z0-9, starting with a letter");
        }
        if (config.years() < 1 || config.years() > 30) {
            throw new IllegalArgumentException("years must be 1..30");
        }
        if (config.people() < 4 || config.people() > StaffBuilder.maxPeople()) {
            throw new IllegalArgumentException("people must be 4.." + StaffBuilder.maxPeople());
        }
        this.config = config;
    }

    public GeneratedProject generate() {
        return generateWithGroundTruth().project();
    }

    public GroundTruth generateWithGroundTruth() {
        SplittableRandom root = new SplittableRandom(config.seed());
        long projectId = ID_BASE + root.nextInt(90_000);
        String name = IssueTextWriter.capitalise(config.projectKey().toLowerCase(Locale.ROOT)) + " "
                + NAME_SUFFIXES.get(root.nextInt(NAME_SUFFIXES.size()));
        // One stream per concern, so that the draws of one never shift those of another.
        SplittableRandom shapeRng = root.split();
        SplittableRandom staffRng = root.split();
        SplittableRandom timeRng = root.split();
        SplittableRandom latentRng = root.split();
        SplittableRandom textRng = root.split();
        SplittableRandom patternRng = root.split();
        SplittableRandom noiseRng = root.split();

        long start = config.start().getEpochSecond();
        long end = config.start().atZone(ZoneOffset.UTC).plusYears(config.years()).toEpochSecond();
        ProjectShape shape = ProjectShape.draw(config, start, end, shapeRng);
        LabelModel labelModel = LabelModel.build(shape, shapeRng);
        List<Person> people = new StaffBuilder(config, shape, staffRng).build();
        long[] created = Timeline.creationTimes(shape, config.issueCount(), timeRng);

        LatentModel latentModel = new LatentModel(shape, people);
        AssigneeModel assigneeModel = new AssigneeModel(shape, people);
        PriorityModel priorityModel = new PriorityModel();
        IssueTextWriter writer = new IssueTextWriter(shape, config.projectKey());
        TargetDrawer targets = new TargetDrawer(config.noise(), labelModel, patternRng, noiseRng);

        List<GeneratedIssue> issues = new ArrayList<>(config.issueCount());
        List<IssueTruth> truths = new ArrayList<>(config.issueCount());
        TreeSet<String> labelsUsed = new TreeSet<>();
        for (int i = 0; i < config.issueCount(); i++) {
            int number = i + 1;
            String key = config.projectKey() + "-" + number;
            IssueLatent z = latentModel.draw(number, created[i], latentRng);
            IssueTextWriter.IssueText text = writer.write(z, textRng);
            List<String> components = componentsField(z, shape, latentRng);
            boolean unassigned = unassigned(z, end, latentRng);
            long updated = Timeline.updated(z.created(), z.type(), end, latentRng);

            AssigneeModel.Distribution candidates = assigneeModel.distribution(z);
            double[] priorities = priorityModel.distribution(z, shape);
            double[] labelChances = labelModel.chances(z);
            TargetDrawer.Targets drawn = targets.draw(z, candidates, labelChances, priorities);
            String assignee = unassigned ? null : drawn.assignee();
            labelsUsed.addAll(drawn.labels());

            issues.add(new GeneratedIssue(ID_BASE + number, key, z.type().jiraName, text.summary(), text.description(),
                    components, drawn.labels(), drawn.priority(), assignee, z.reporter().accountId,
                    Instant.ofEpochSecond(z.created()), Instant.ofEpochSecond(updated),
                    new GeneratedIssue.NoiseFlags(!unassigned && drawn.noisyAssignee(), drawn.noisyLabels(),
                            drawn.noisyPriority())));
            truths.add(truth(key, z, shape, candidates, priorities, labelModel, labelChances, text.typos()));
        }

        List<GeneratedUser> users = new ArrayList<>();
        List<Person> byJoining = new ArrayList<>(people);
        byJoining.sort((a, b) -> a.joined != b.joined ? Long.compare(a.joined, b.joined)
                : a.displayName.compareTo(b.displayName));
        for (Person person : byJoining) {
            users.add(person.toUser(shape));
        }
        List<String> componentNames = new ArrayList<>();
        for (ComponentSpec component : shape.components) {
            componentNames.add(component.name());
        }
        List<String> issueTypes = new ArrayList<>();
        for (IssueType type : IssueType.values()) {
            issueTypes.add(type.jiraName);
        }
        GeneratedProject project = new GeneratedProject(projectId, config.projectKey(), name, List.copyOf(issueTypes),
                List.copyOf(componentNames), List.copyOf(labelsUsed), PriorityModel.NAMES, List.copyOf(users),
                Collections.unmodifiableList(issues), config);
        return new GroundTruth(project, Collections.unmodifiableList(truths));
    }

    private static List<String> componentsField(IssueLatent z, ProjectShape shape, SplittableRandom rng) {
        String topic = shape.component(z.component()).name();
        double u = rng.nextDouble();
        if (u < 0.78) {
            return List.of(topic);
        }
        if (u < 0.86) {
            int[] team = shape.teams[shape.teamOf[z.component()]];
            int other = team[rng.nextInt(team.length)];
            if (other == z.component()) {
                other = rng.nextInt(shape.componentCount());
            }
            return other == z.component() ? List.of(topic) : List.of(topic, shape.component(other).name());
        }
        return List.of();
    }

    /** Fresh issues often wait for triage; Epics are often owned by nobody in particular. */
    private static boolean unassigned(IssueLatent z, long end, SplittableRandom rng) {
        double chance = end - z.created() < 21 * ProjectShape.DAY ? 0.45 : z.type() == IssueType.EPIC ? 0.3 : 0.02;
        return Draw.chance(chance, rng);
    }

    private static IssueTruth truth(String key, IssueLatent z, ProjectShape shape,
                                    AssigneeModel.Distribution candidates, double[] priorities, LabelModel labels,
                                    double[] labelChances, List<Typo> typos) {
        List<String> ranking = new ArrayList<>(candidates.ranked().length);
        List<Double> probabilities = new ArrayList<>(candidates.ranked().length);
        for (int k = 0; k < candidates.ranked().length; k++) {
            ranking.add(candidates.ranked()[k].accountId);
            probabilities.add(candidates.probabilities()[k]);
        }
        List<Double> priorityList = new ArrayList<>(priorities.length);
        for (double p : priorities) {
            priorityList.add(p);
        }
        Map<String, Double> chances = new LinkedHashMap<>();
        for (int k = 0; k < labelChances.length; k++) {
            if (labelChances[k] > 0) {
                chances.put(labels.names().get(k), labelChances[k]);
            }
        }
        ComponentSpec component = shape.component(z.component());
        return new IssueTruth(key, component.name(), component.subtopics().get(z.subtopic()).nouns().get(0),
                z.aspect().name(), z.cue().name(), List.copyOf(ranking), List.copyOf(probabilities),
                candidates.active().length, List.copyOf(priorityList), Collections.unmodifiableMap(chances),
                labels.inUseAt(z.created()), typos);
    }
}
