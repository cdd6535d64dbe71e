package org.threadlab.grading;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Right answers get every point, visible and hidden, in this JVM. A class of its own so that the
 * build runs it beside {@link GradingTest}: each passing search of the schedule engine tries every
 * interleaving it is allowed, which makes these the longest tests of the module.
 */
class SolutionsGradingTest {
    @BeforeAll
    static void compileHidden() throws Exception {
        GradingTest.compileHidden();
    }

    @Test
    void aRightBankAccountGetsEveryPoint() {
        GradingTest.allPass(GradingTest.grade(Exercises.BANK_ACCOUNT, Impls.GoodAccount::new));
    }

    @Test
    void aRightBoundedBufferGetsEveryPoint() {
        GradingTest.allPass(GradingTest.grade(Exercises.BOUNDED_BUFFER, Impls.GoodBuffer::new));
    }

    @Test
    void aRightParallelSumGetsEveryPoint() {
        GradingTest.allPass(GradingTest.grade(Exercises.PARALLEL_SUM, Impls.GOOD_SUM));
    }
}
