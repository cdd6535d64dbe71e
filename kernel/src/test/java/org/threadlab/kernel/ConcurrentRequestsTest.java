package org.threadlab.kernel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** JShell is single-threaded: requests that come from several threads at once must take turns. */
class ConcurrentRequestsTest {

    @Test
    @Timeout(120)
    void requestsFromTwoThreadsAtOnceEachGetTheirOwnAnswers() throws Exception {
        ThreadLabKernel kernel = ThreadLabKernel.builder().config(KernelConfig.defaults()).build();
        kernel.start();
        ExecutorService two = Executors.newFixedThreadPool(2);
        try {
            kernel.session();
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                int n = i;
                answers.add(two.submit(() -> kernel.execute("int q" + n + " = " + n + " * 2; q" + n).text()));
                answers.add(two.submit(() -> String.valueOf(kernel.complete("Math.ma", 7).getReplacements().contains("max("))));
            }
            for (int i = 0; i < 30; i++) {
                assertEquals(String.valueOf(i * 2), answers.get(2 * i).get(), "cell " + i);
                assertEquals("true", answers.get(2 * i + 1).get(), "completion " + i);
            }
            assertTrue(kernel.execute("q29 + q1").ok());
            assertEquals("60", kernel.execute("q29 + q1").text());
        } finally {
            two.shutdownNow();
            kernel.onShutdown(false);
        }
    }
}
