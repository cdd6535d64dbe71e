package org.threadlab.os;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ManyThreadsTest {

    static int openFiles() {
        String[] fds = new File("/proc/self/fd").list();
        return fds == null ? -1 : fds.length;
    }

    @Test
    void manyThreadsAreSeenWithoutHoardingFileDescriptors() throws Exception {
        assumeTrue(Os.LINUX, "needs /proc");
        int n = Sampler.MAX_KEPT + 100;
        CountDownLatch release = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                Thread t = new Thread(() -> OsTest.awaitQuietly(release), "lab-many-" + i);
                t.setDaemon(true);
                t.start();
                threads.add(t);
            }
            int before = openFiles();
            ThreadList all = Os.threads();
            assertEquals(n, all.filter(t -> t.displayName().startsWith("lab-many-")).size());
            int afterPs = openFiles();
            assertTrue(afterPs - before < 50, "ps() of " + all.size() + " threads keeps no files open: " + before + " -> " + afterPs);

            int[] during = new int[1];
            Samples s = Os.watch(Os.self(), 10, t -> t.displayName().startsWith("lab-many-"), () -> {
                try {
                    Thread.sleep(150);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                during[0] = openFiles();
            });
            assertEquals(n, s.byThread().size(), "every thread sampled");
            assertTrue(during[0] - afterPs <= 2 * Sampler.MAX_KEPT + 50, "watch keeps at most 2 x " + Sampler.MAX_KEPT
                    + " files open: " + afterPs + " -> " + during[0]);
            assertTrue(openFiles() - afterPs < 50, "and closes them after");
        } finally {
            release.countDown();
            for (Thread t : threads) t.join();
        }
    }
}
