// corpus: buggy
// what: results read in order through futures, but the pool is never shut down: its threads outlive the call
// must fail: every task has finished and the pool is closed when map returns
class Pools {
    static List<Integer> map(IntUnaryOperator f, List<Integer> items, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<Integer>> futures = new ArrayList<>();
        for (int item : items) futures.add(pool.submit(() -> f.applyAsInt(item)));
        List<Integer> results = new ArrayList<>();
        for (Future<Integer> fu : futures) results.add(fu.get());
        return results;
    }
}
