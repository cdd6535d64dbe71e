package org.threadlab.grading;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An exercise is registered in one place, a constant of {@link Exercises}; everything else that
 * names it (its notebooks, their check cell, the hidden tests, the facade) must agree with that
 * registration, both ways, or a notebook would be left out of the grader's manifest without a word.
 */
class ExerciseRegistryTest {
    private static final Path SOLUTIONS = Path.of("../solutions");
    private static final Path EXERCISES = Path.of("../exercises");
    private static final Path HIDDEN = Path.of("../grading/hidden/src");
    private static final Pattern HIDDEN_TESTS = Pattern.compile("@HiddenTests\\(\"([^\"]*)\"\\)");

    /** Constant name -> exercise, as registered. */
    private static Map<String, Exercise<?>> registered() throws IllegalAccessException {
        Map<String, Exercise<?>> m = new TreeMap<>();
        for (Field f : Exercises.class.getFields()) {
            if (f.getType() == Exercise.class) m.put(f.getName(), (Exercise<?>) f.get(null));
        }
        return m;
    }

    private static Set<String> notebooksIn(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            Set<String> out = new TreeSet<>();
            s.map(p -> p.getFileName().toString()).filter(n -> n.matches("e\\d\\d-.*\\.ipynb")).forEach(out::add);
            return out;
        }
    }

    @Test
    void everySolutionAndExerciseNotebookIsARegisteredExerciseAndBack() throws Exception {
        Set<String> registeredNotebooks = new TreeSet<>();
        for (Exercise<?> e : Exercises.all()) {
            assertTrue(e.notebook().matches("e\\d\\d-[a-z0-9-]+"), e.notebook());
            registeredNotebooks.add(e.notebook() + ".ipynb");
        }
        assertEquals(registeredNotebooks.size(), Exercises.all().size(), "two exercises share a notebook name: " + Exercises.all());
        for (Path dir : List.of(SOLUTIONS, EXERCISES)) {
            Set<String> found = notebooksIn(dir);
            Set<String> unregistered = new TreeSet<>(found);
            unregistered.removeAll(registeredNotebooks);
            assertTrue(unregistered.isEmpty(), () -> dir + " has notebooks no constant of org.threadlab.grading.Exercises registers"
                    + " (the grader would leave them out): " + unregistered);
            Set<String> missing = new TreeSet<>(registeredNotebooks);
            missing.removeAll(found);
            assertTrue(missing.isEmpty(), () -> "registered exercises without a notebook in " + dir + ": " + missing);
        }
    }

    @Test
    void eachSolutionsGradedCellChecksItsOwnConstant() throws Exception {
        for (Map.Entry<String, Exercise<?>> r : registered().entrySet()) {
            Exercise<?> e = r.getValue();
            JsonObject nb = JsonParser.parseString(Files.readString(SOLUTIONS.resolve(e.notebook() + ".ipynb"))).getAsJsonObject();
            List<String> graded = new ArrayList<>();
            for (JsonElement c : nb.getAsJsonArray("cells")) {
                JsonObject cell = c.getAsJsonObject();
                JsonObject meta = cell.has("metadata") ? cell.getAsJsonObject("metadata") : new JsonObject();
                JsonObject nbg = meta.has("nbgrader") ? meta.getAsJsonObject("nbgrader") : null;
                if (nbg == null || !flag(nbg, "grade") || flag(nbg, "solution")) continue;
                StringBuilder src = new StringBuilder();
                JsonElement s = cell.get("source");
                if (s.isJsonArray()) s.getAsJsonArray().forEach(x -> src.append(x.getAsString()));
                else src.append(s.getAsString());
                graded.add(nbg.get("grade_id").getAsString() + ": " + src);
            }
            assertEquals(1, graded.size(), e.notebook() + " has one graded (locked, check) cell: " + graded);
            String cell = graded.get(0);
            assertTrue(cell.startsWith(e.name() + ": "), () -> e.notebook() + "'s graded cell has the grade id " + e.name()
                    + " (the grader matches it to the manifest): " + cell);
            assertTrue(cell.contains("check(" + r.getKey() + ","), () -> e.notebook() + "'s graded cell calls check("
                    + r.getKey() + ", ...): " + cell);
        }
    }

    @Test
    void hiddenTestsNameRegisteredExercisesAndEveryExerciseHasSome() throws Exception {
        Set<String> names = new TreeSet<>();
        for (Exercise<?> e : Exercises.all()) names.add(e.name());
        Set<String> withHidden = new TreeSet<>();
        try (Stream<Path> s = Files.walk(HIDDEN)) {
            for (Path f : s.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher m = HIDDEN_TESTS.matcher(Files.readString(f));
                while (m.find()) {
                    assertTrue(names.contains(m.group(1)), f + " holds hidden tests of '" + m.group(1) + "', which no constant registers");
                    withHidden.add(m.group(1));
                }
            }
        }
        assertEquals(names, withHidden, "every registered exercise has hidden tests");
    }

    @Test
    void everyLectureHasAnExercise() throws Exception {
        Set<Integer> lectures = new TreeSet<>();
        for (Exercise<?> e : Exercises.all()) lectures.add(e.lecture());
        // every lecture after the welcome (notebooks/NN-title.ipynb, NN from 01) has an exercise of its own
        try (Stream<Path> files = Files.list(Path.of("../notebooks"))) {
            for (Path f : files.filter(f -> f.getFileName().toString().matches("\\d\\d-[a-z0-9-]+\\.ipynb")).toList()) {
                int l = Integer.parseInt(f.getFileName().toString().substring(0, 2));
                if (l >= 1) assertTrue(lectures.contains(l), "lecture " + l + " (" + f.getFileName() + ") has no exercise of its own");
            }
        }
    }

    @Test
    void theGradingFacadeGivesNotebooksEveryConstant() throws Exception {
        // what `import static org.threadlab.grading.Grading.*` brings into a cell
        for (Map.Entry<String, Exercise<?>> r : registered().entrySet()) {
            assertTrue(Grading.class.getField(r.getKey()).get(null) == r.getValue(), r.getKey());
        }
    }

    private static boolean flag(JsonObject o, String key) {
        return o.has(key) && !o.get(key).isJsonNull() && o.get(key).getAsBoolean();
    }
}
