package org.threadlab.interleave;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The threads run one after another before any engine: what fails there fails in every judge. */
class OneAfterAnotherTest {
    private static final Duration PATIENCE = Duration.ofSeconds(5);

    static final class Counter {
        int n;
        final CountDownLatch bRan = new CountDownLatch(1);
    }

    @Test
    void aThreadThatThrowsIsNamed() {
        String why = Interleaving.<Counter>of(Counter::new, c -> c.n++, c -> { throw new UnsupportedOperationException("not done yet"); })
                .failsOneAfterAnother(c -> c.n == 2, PATIENCE);
        assertNotNull(why);
        assertTrue(why.contains("thread B threw") && why.contains("not done yet"), why);
    }

    @Test
    void aWrongResultInTheSequentialOrderIsReported() {
        String why = Interleaving.<Counter>of(Counter::new, c -> {}, c -> c.n++).failsOneAfterAnother(c -> c.n == 2, PATIENCE);
        assertNotNull(why);
        assertTrue(why.contains("the result is wrong"), why);
    }

    @Test
    void aRaceThatNeedsAnInterleavingIsLeftToTheEngine() {
        assertNull(Interleaving.<Counter>of(Counter::new, c -> c.n++, c -> c.n++).failsOneAfterAnother(c -> c.n == 2, PATIENCE));
    }

    @Test
    void aThreadWaitingForALaterOneIsLeftToTheEngine() {
        // A waits for B, which has not started: alone it can never end, so this order cannot judge
        String why = Interleaving.<Counter>of(Counter::new, c -> {
            try {
                c.bRan.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, c -> c.bRan.countDown()).failsOneAfterAnother(c -> false, PATIENCE);
        assertNull(why);
    }

    @Test
    void aSetupThatThrowsIsNamed() {
        String why = Interleaving.<Counter>of(() -> { throw new IllegalStateException("no account"); }, c -> c.n++)
                .failsOneAfterAnother(null, PATIENCE);
        assertNotNull(why);
        assertTrue(why.contains("making the shared state threw") && why.contains("no account"), why);
    }
}
