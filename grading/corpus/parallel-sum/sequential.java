// corpus: buggy
// what: a "parallel" sum that adds everything on the calling thread: right, never faster
// must fail: the work is done by the threads it starts, not by the caller; faster than one thread when there is more than one core
class ParallelSum {
    static long sum(long[] data, int threads) {
        long s = 0;
        for (long v : data) s += v;
        return s;
    }
}
