package com.triageassistant.jira.generator;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Draws the people of a project: who develops and who only reports, when each joined and left, how much work each
 * attracts (a long tail), what they specialise in, and which developers each reporter tends to file for.
 */
final class StaffBuilder {

    private static final List<String> FIRST_NAMES = List.of("Alice", "Bruno", "Chen", "Dana", "Emeka", "Fatima",
            "Gustav", "Hana", "Ivan", "Julia", "Kenji", "Lena", "Mateo", "Nadia", "Omar", "Priya", "Quentin", "Rosa",
            "Sven", "Tariq", "Uma", "Viktor", "Wei", "Ximena", "Yusuf", "Zofia", "Amara", "Bjorn", "Carla", "Diego",
            "Elif", "Farah", "Gabriel", "Helga", "Ines", "Jonas", "Kofi", "Laila", "Marek", "Noor", "Oskar", "Paula",
            "Ravi", "Sofia", "Tomas", "Valeria", "Wojciech", "Yara");
    private static final List<String> LAST_NAMES = List.of("Novak", "Okafor", "Schmidt", "Tanaka", "Silva",
            "Kowalski", "Haddad", "Larsen", "Moreau", "Ivanova", "Gupta", "Fischer", "Rossi", "Nakamura", "Petrov",
            "Andersson", "Costa", "Dubois", "Eriksen", "Ferreira", "Garcia", "Hoffmann", "Jansen", "Kim", "Lopez",
            "Mensah", "Nguyen", "Oliveira", "Park", "Quinn", "Rahman", "Santos", "Tran", "Ueda", "Vargas", "Wagner",
            "Yilmaz", "Zhang", "Bauer", "Cohen", "Diaz", "Engel", "Fontaine", "Greco", "Horvat", "Jovanovic",
            "Kaur", "Lindqvist");

    private final GeneratorConfig config;
    private final ProjectShape shape;
    private final SplittableRandom rng;

    StaffBuilder(GeneratorConfig config, ProjectShape shape, SplittableRandom rng) {
        this.config = config;
        this.shape = shape;
        this.rng = rng;
    }

    List<Person> build() {
        int people = config.people();
        int reportersOnly = Math.max(1, (int) Math.round(people * 0.22));
        int developers = people - reportersOnly;
        int teamCount = shape.teams.length;

        Role[] roles = new Role[people];
        for (int i = 0; i < people; i++) {
            roles[i] = i < developers ? Role.DEVELOPER : reporterRole(i - developers);
        }

        // Two developers and one reporter never leave, so every day has someone to report and someone to assign.
        long[] joined = new long[people];
        long[] left = new long[people];
        for (int i = 0; i < people; i++) {
            boolean permanent = i < 2 || i == developers;
            boolean founder = permanent || Draw.chance(0.55, rng);
            joined[i] = founder
                    ? midnight(shape.start - (long) (Draw.uniform(30, 1000, rng) * ProjectShape.DAY))
                    : midnight(shape.start + (long) (Draw.uniform(0.03, 0.9, rng) * shape.span()));
            left[i] = permanent || !Draw.chance(0.45, rng) ? Person.NEVER : leaving(joined[i]);
        }
        ensureSomeoneLeft(developers, joined, left);

        double[] workWeight = new double[people];
        int[] rankOf = new int[people];
        List<Integer> ranks = new ArrayList<>();
        for (int i = 0; i < developers; i++) {
            ranks.add(i);
        }
        ProjectShape.shuffle(ranks, rng);
        for (int i = 0; i < developers; i++) {
            rankOf[i] = ranks.get(i);
            workWeight[i] = Math.pow(rankOf[i] + 1, -0.8);
        }

        int[] team = new int[people];
        List<List<Integer>> members = new ArrayList<>();
        for (int t = 0; t < teamCount; t++) {
            members.add(new ArrayList<>());
        }
        double[] teamSizes = new double[teamCount];
        for (int t = 0; t < teamCount; t++) {
            teamSizes[t] = shape.teams[t].length;
        }
        List<Integer> devOrder = new ArrayList<>(ranks);
        ProjectShape.shuffle(devOrder, rng);
        for (int k = 0; k < developers; k++) {
            int dev = devOrder.get(k);
            team[dev] = k < teamCount ? k : Draw.weighted(teamSizes, teamCount, rng);
            members.get(team[dev]).add(dev);
        }
        for (List<Integer> list : members) {
            list.sort(null);
        }
        for (int i = developers; i < people; i++) {
            team[i] = Draw.weighted(teamSizes, teamCount, rng);
        }

        List<Set<Integer>> specialities = specialities(developers, team, rankOf);
        int[][] buddies = buddies(people, developers, team, members);

        List<String> names = names(people);
        List<Person> staff = new ArrayList<>(people);
        for (int i = 0; i < people; i++) {
            Role role = roles[i];
            double reportWeight = switch (role) {
                case DEVELOPER -> 0.5;
                case SUPPORT -> 3.0;
                case PRODUCT -> 2.0;
                case QA -> 2.5;
            } * Math.exp((role == Role.DEVELOPER ? 0.7 : 0.5) * Draw.gaussian(rng));
            double typoRate = Math.min(0.06, Math.max(0.002,
                    Math.exp(Math.log(0.012) + 0.7 * Draw.gaussian(rng)) * (role == Role.SUPPORT ? 1.3 : 1.0)));
            double inflation = switch (role) {
                case SUPPORT -> Draw.chance(0.6, rng) ? 1.8 : 1.0;
                case PRODUCT -> Draw.chance(0.3, rng) ? 1.4 : 1.0;
                case DEVELOPER -> Draw.chance(0.1, rng) ? 0.6 : 1.0;
                case QA -> 1.0;
            };
            double bugAffinity = role.takesIssues() ? Math.exp(0.5 * Draw.gaussian(rng)) : 0;
            double storyAffinity = role.takesIssues() ? Math.exp(0.5 * Draw.gaussian(rng)) : 0;
            int[] own = specialities.get(i).stream().mapToInt(Integer::intValue).sorted().toArray();
            staff.add(new Person(i, accountId(), names.get(i), role, joined[i], left[i], workWeight[i], reportWeight,
                    bugAffinity, storyAffinity, typoRate, inflation, team[i], own, buddies[i]));
        }
        return List.copyOf(staff);
    }

    private Role reporterRole(int k) {
        if (k == 0) {
            return Role.SUPPORT;
        }
        double u = rng.nextDouble();
        return u < 0.45 ? Role.SUPPORT : u < 0.75 ? Role.PRODUCT : Role.QA;
    }

    private long leaving(long joined) {
        long from = Math.max(joined, shape.start) + 60 * ProjectShape.DAY;
        long when = midnight(from + (long) Draw.exponential(0.45 * shape.span(), rng));
        return when >= shape.end - ProjectShape.DAY ? Person.NEVER : when;
    }

    /** Churn is part of the benchmark; a small project must not come out without it by chance. */
    private void ensureSomeoneLeft(int developers, long[] joined, long[] left) {
        for (int i = 2; i < developers; i++) {
            if (left[i] != Person.NEVER) {
                return;
            }
        }
        if (developers > 2) {
            int earliest = 2;
            for (int i = 3; i < developers; i++) {
                if (joined[i] < joined[earliest]) {
                    earliest = i;
                }
            }
            left[earliest] = Math.max(midnight(shape.start + shape.span() / 2), joined[earliest] + 60 * ProjectShape.DAY);
        }
    }

    private List<Set<Integer>> specialities(int developers, int[] team, int[] rankOf) {
        int people = config.people();
        int components = shape.componentCount();
        List<Set<Integer>> result = new ArrayList<>();
        for (int i = 0; i < people; i++) {
            result.add(new LinkedHashSet<>());
        }
        for (int dev = 0; dev < developers; dev++) {
            int[] own = shape.teams[team[dev]];
            boolean senior = rankOf[dev] < Math.max(1, developers / 4);
            int wanted = Math.min(own.length, 1 + (senior || Draw.chance(0.55, rng) ? 1 : 0)
                    + (Draw.chance(senior ? 0.5 : 0.2, rng) ? 1 : 0));
            while (result.get(dev).size() < wanted) {
                result.get(dev).add(own[rng.nextInt(own.length)]);
            }
            // Seniors (the heavy end of the long tail) and some others also know a component of another team.
            boolean reachesOut = senior || Draw.chance(0.2, rng);
            if (reachesOut && shape.teams.length > 1) {
                int other;
                do {
                    other = rng.nextInt(components);
                } while (shape.teamOf[other] == team[dev]);
                result.get(dev).add(other);
            }
        }
        int needed = Math.min(2, developers);
        for (int component = 0; component < components; component++) {
            int guard = 0;
            while (specialists(result, developers, component) < needed && guard++ < 1000) {
                int dev = rng.nextInt(developers);
                boolean sameTeam = team[dev] == shape.teamOf[component];
                if (sameTeam || guard > 50) {
                    result.get(dev).add(component);
                }
            }
        }
        return result;
    }

    private static int specialists(List<Set<Integer>> specialities, int developers, int component) {
        int count = 0;
        for (int dev = 0; dev < developers; dev++) {
            if (specialities.get(dev).contains(component)) {
                count++;
            }
        }
        return count;
    }

    private int[][] buddies(int people, int developers, int[] team, List<List<Integer>> members) {
        int[][] buddies = new int[people][];
        for (int i = 0; i < people; i++) {
            List<Integer> pool = new ArrayList<>(members.get(team[i]));
            pool.remove(Integer.valueOf(i));
            if (pool.isEmpty()) {
                for (int dev = 0; dev < developers; dev++) {
                    if (dev != i) {
                        pool.add(dev);
                    }
                }
            }
            int wanted = i < developers ? 1 : 1 + (Draw.chance(0.5, rng) ? 1 : 0);
            ProjectShape.shuffle(pool, rng);
            buddies[i] = pool.stream().limit(wanted).mapToInt(Integer::intValue).sorted().toArray();
        }
        return buddies;
    }

    private List<String> names(int people) {
        List<String> all = new ArrayList<>(FIRST_NAMES.size() * LAST_NAMES.size());
        for (String first : FIRST_NAMES) {
            for (String last : LAST_NAMES) {
                all.add(first + " " + last);
            }
        }
        List<String> chosen = new ArrayList<>(people);
        Set<String> firstNamesUsed = new LinkedHashSet<>();
        // Prefer distinct first names while they last: display names that differ only in surname confuse readers.
        while (chosen.size() < people) {
            String name = all.get(rng.nextInt(all.size()));
            String first = name.substring(0, name.indexOf(' '));
            boolean fresh = !firstNamesUsed.contains(first) || firstNamesUsed.size() >= FIRST_NAMES.size();
            if (fresh && !chosen.contains(name)) {
                chosen.add(name);
                firstNamesUsed.add(first);
            }
        }
        return chosen;
    }

    private String accountId() {
        long most = (rng.nextLong() & ~0xF000L) | 0x4000L;
        long least = (rng.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return "712020:" + new UUID(most, least);
    }

    static long midnight(long epochSecond) {
        return Math.floorDiv(epochSecond, ProjectShape.DAY) * ProjectShape.DAY;
    }

    static int maxPeople() {
        return FIRST_NAMES.size() * LAST_NAMES.size();
    }
}
