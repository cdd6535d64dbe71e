// corpus: correct
// what: one task per part on a fixed pool of `threads` threads, the partial sums read from futures
class ParallelSum {
    static long sum(long[] data, int threads) {
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            int chunk = (data.length + threads - 1) / threads;
            List<Future<Long>> parts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int from = Math.min(data.length, t * chunk), to = Math.min(data.length, from + chunk);
                parts.add(pool.submit(() -> {
                    long s = 0;
                    for (int i = from; i < to; i++) s += data[i];
                    return s;
                }));
            }
            long total = 0;
            for (Future<Long> p : parts) total += p.get();
            return total;
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }
}
