package org.threadlab.run;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChildJvmTest {
    private static final Duration LONG = Duration.ofSeconds(60);

    static long twice(long x) {
        return 2 * x;
    }

    public static String greet(String who) {
        return "hello " + who + " from " + ProcessHandle.current().pid();
    }

    public static void main(String[] args) {
        System.out.println("main got " + String.join(",", args));
    }

    @Test
    void aChildJvmComputesTheSameValueAsThisJvm() {
        long n = 300_000;
        ChildJvm<Long> c = ChildJvm.fork(() -> twice(Tasks.countTo(n)));
        assertNotEquals(ProcessHandle.current().pid(), c.pid());
        assertEquals(twice(Tasks.countTo(n)), c.get(LONG));
        assertTrue(c.elapsedNanos() > 0);
    }

    @Test
    void forkStaticRunsTheMethodInAnotherProcess() {
        ChildJvm<String> c = ChildJvm.forkStatic(ChildJvmTest.class, "greet", "test");
        assertEquals("hello test from " + c.pid(), c.get(LONG));
        assertEquals(Tasks.countTo(1000), ChildJvm.<Long>forkStatic(Tasks.class, "countTo", 1000L).get(LONG));
    }

    @Test
    void forkMainRunsMainAndFinishes() {
        ChildJvm<Void> c = ChildJvm.forkMain(ChildJvmTest.class, "a", "b");
        c.get(LONG);
    }

    @Test
    void aMethodThatDoesNotExistIsNamedWithTheChoices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ChildJvm.forkStatic(Tasks.class, "countTwo", 5L));
        assertTrue(e.getMessage().contains("no public static method countTwo") && e.getMessage().contains("countTo"), e.getMessage());
    }

    @Test
    void aTaskThatThrowsGivesItsExceptionAndTheChildEnds() {
        ChildJvm<Integer> c = ChildJvm.fork(() -> Integer.parseInt("not a number"));
        ChildFailedException e = assertThrows(ChildFailedException.class, () -> c.get(LONG));
        assertTrue(e.getMessage().contains("the task threw java.lang.NumberFormatException"), e.getMessage());
        assertTrue(e.getMessage().contains("child JVM pid " + c.pid()), e.getMessage());
        assertEquals(c.pid(), e.pid());
        assertTrue(c.process().onExit().orTimeout(20, java.util.concurrent.TimeUnit.SECONDS).join() != null);
    }

    @Test
    void aCrashedChildIsReportedWithItsExitCode() {
        ChildJvm<Integer> c = ChildJvm.fork(() -> {
            System.err.println("about to crash");
            Runtime.getRuntime().halt(7);
            return 0;
        });
        ChildFailedException e = assertThrows(ChildFailedException.class, () -> c.get(LONG));
        assertTrue(e.getMessage().contains("ended before answering (exit code 7)"), e.getMessage());
        assertTrue(e.getMessage().contains("about to crash"), e.getMessage());
    }

    @Test
    void aChildThatNeverAnswersIsKilledAtTheTimeout() {
        ChildJvm<Integer> c = ChildJvm.fork(() -> {
            Thread.sleep(120_000);
            return 0;
        });
        ChildFailedException e = assertThrows(ChildFailedException.class, () -> c.get(Duration.ofSeconds(3)));
        assertTrue(e.getMessage().contains("did not answer within 3000 ms and was killed"), e.getMessage());
        assertTrue(e.timedOut(), "a child killed for its time is told apart from one that failed");
        assertFalse(c.isAlive());
    }

    @Test
    void aResultThatCannotBeSerializedIsNamed() {
        ChildJvm<Object> c = ChildJvm.fork(() -> new Thread());
        ChildFailedException e = assertThrows(ChildFailedException.class, () -> c.get(LONG));
        assertTrue(e.getMessage().contains("cannot be sent back: java.lang.Thread does not implement java.io.Serializable"),
                e.getMessage());
        assertFalse(e.timedOut(), "it answered, with an error");
    }

    @Test
    void aTaskCapturingSomethingNotSerializableIsRefusedHere() {
        Object lock = new Object();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ChildJvm.fork(() -> lock.hashCode()));
        assertTrue(e.getMessage().contains("java.lang.Object, which is not Serializable"), e.getMessage());
    }
}
