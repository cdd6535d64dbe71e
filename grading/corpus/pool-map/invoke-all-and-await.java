// corpus: correct
// suite: no (graded by ./threadlab bench grade-accuracy; the suite grades the solution and another answer of this exercise)
// what: invokeAll, then shutdown() and awaitTermination in a finally
class Pools {
    static List<Integer> map(IntUnaryOperator f, List<Integer> items, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Callable<Integer>> tasks = new ArrayList<>();
            for (int item : items) tasks.add(() -> f.applyAsInt(item));
            List<Integer> results = new ArrayList<>();
            for (Future<Integer> fu : pool.invokeAll(tasks)) results.add(fu.get());
            return results;
        } finally {
            pool.shutdown();
            pool.awaitTermination(1, TimeUnit.MINUTES);
        }
    }
}
