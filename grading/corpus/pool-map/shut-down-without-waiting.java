// corpus: buggy
// what: tasks write their results into an array; the pool is shut down and map returns without waiting for them
// must fail: every task has finished and the pool is closed when map returns
class Pools {
    static List<Integer> map(IntUnaryOperator f, List<Integer> items, int threads) {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        Integer[] results = new Integer[items.size()];
        for (int i = 0; i < items.size(); i++) {
            int at = i;
            pool.execute(() -> results[at] = f.applyAsInt(items.get(at)));
        }
        pool.shutdown();
        return Arrays.asList(results);
    }
}
