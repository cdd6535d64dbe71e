// corpus: buggy
// suite: no (graded by ./threadlab bench grade-accuracy; the suite grades sequential.java, which loses the same test)
// what: one thread per part, but each is joined right after it is started, so the parts are summed one after another on other threads
// must fail: faster than one thread when there is more than one core
class ParallelSum {
    static long sum(long[] data, int threads) {
        long[] partial = new long[threads];
        int chunk = (data.length + threads - 1) / threads;
        try {
            for (int t = 0; t < threads; t++) {
                int from = Math.min(data.length, t * chunk), to = Math.min(data.length, from + chunk), n = t;
                Thread worker = new Thread(() -> {
                    long s = 0;
                    for (int i = from; i < to; i++) s += data[i];
                    partial[n] = s;
                });
                worker.start();
                worker.join();
            }
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        long total = 0;
        for (long p : partial) total += p;
        return total;
    }
}
