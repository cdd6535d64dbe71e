package org.threadlab.lesson;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CurvesTest {
    private static String printed(Runnable body) {
        PrintStream old = System.out;
        var buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            body.run();
        } finally {
            System.setOut(old);
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }

    static final Map<Integer, Double> PREDICTED = Map.of(1, 1.0, 2, 1.6, 4, 1.6, 8, 1.55);

    @Test
    void curvesWithinTheToleranceAreCloseAndTheWorstPointIsNamed() {
        String out = printed(() -> assertEquals(Curves.CLOSE,
                Curves.compare("Amdahl", PREDICTED, Map.of(1, 1.0, 2, 1.5, 4, 1.45, 8, 1.4), 0.25, 0.1, 2)));
        assertTrue(out.contains("close means every point within 25 %"), out);
        assertTrue(out.contains("4: predicted 1.60, measured 1.45, 10 % off"), out);
        assertTrue(out.contains("worst 11 % off (at 8): close"), out);
    }

    @Test
    void onePointBeyondTheToleranceIsNotClose() {
        String out = printed(() -> assertEquals(Curves.NOT_CLOSE,
                Curves.compare("Amdahl", PREDICTED, Map.of(1, 1.0, 2, 1.5, 4, 1.45, 8, 1.0), 0.25, 0.1, 2)));
        assertTrue(out.contains("worst 55 % off (at 8): not close"), out);
    }

    @Test
    void aBusyMachineOrOneCoreCannotJudgeEvenAPerfectMatch() {
        String busy = printed(() -> assertEquals(Curves.CANNOT_JUDGE, Curves.compare("Amdahl", PREDICTED, PREDICTED, 0.25, 1.0, 2)));
        assertTrue(busy.contains("cannot judge") && busy.contains("load average was 1.00 on 2 cores") && busy.contains("below 1"), busy);
        assertFalse(busy.contains(": close") || busy.contains("not close"), busy);
        String far = printed(() -> assertEquals(Curves.CANNOT_JUDGE,
                Curves.compare("Amdahl", PREDICTED, Map.of(1, 1.0, 2, 1.0, 4, 1.0, 8, 1.0), 0.25, 15, 2)));
        assertFalse(far.contains("not close"), far);
        String one = printed(() -> assertEquals(Curves.CANNOT_JUDGE, Curves.compare("Amdahl", PREDICTED, PREDICTED, 0.25, 0.0, 1)));
        assertTrue(one.contains("1 core"), one);
        assertEquals(Curves.CANNOT_JUDGE, Curves.compare("x", PREDICTED, PREDICTED, 0.25, -1, 8));
        assertNull(Curves.whyNot(1.9, 4));
        assertNotNull(Curves.whyNot(2.0, 4));
    }

    @Test
    void aBlankPredictionSaysNotAnsweredAndJudgesNothing() {
        String out = printed(() -> assertEquals(Quiz.NOT_ANSWERED, Curves.compare("Amdahl", null, PREDICTED, 0.25, 0.0, 2)));
        assertTrue(out.contains("not answered yet"), out);
        assertFalse(out.contains("close") || out.contains("judge"), out);
    }

    @Test
    void badInputSaysWhatToGive() {
        assertThrows(IllegalArgumentException.class, () -> Curves.compare("x", PREDICTED, PREDICTED, 0, 0, 2));
        var e = assertThrows(IllegalArgumentException.class, () -> Curves.compare("x", Map.of(3, 1.0), Map.of(5, 1.0), 0.2, 0, 2));
        assertTrue(e.getMessage().contains("share no point"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Curves.compare("x", PREDICTED, Map.of(), 0.2, 0, 2));
    }
}
