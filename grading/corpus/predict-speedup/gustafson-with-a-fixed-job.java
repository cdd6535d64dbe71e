// corpus: buggy
// what: the scaled speed-up computed on the fixed job (Amdahl's speed-up): the work does not grow with the threads
// must fail: scaled speed-up: the work grows with the threads; Gustafson on few cores, with start costs
class Model implements SpeedupModel {
    public double time(double serial, double parallel, int threads, int cores, double start) {
        for (double seconds : new double[] {serial, parallel, start}) {
            if (!(seconds >= 0)) throw new IllegalArgumentException("times are 0 s or more, not " + seconds);
        }
        if (threads < 1 || cores < 1) throw new IllegalArgumentException("1 thread and 1 core or more");
        return threads * start + serial + parallel / Math.min(threads, cores);
    }

    public double speedup(double serial, double parallel, int threads, int cores, double start) {
        return time(serial, parallel, 1, cores, start) / time(serial, parallel, threads, cores, start);
    }

    public double scaledSpeedup(double serial, double parallel, int threads, int cores, double start) {
        return speedup(serial, parallel, threads, cores, start);
    }

    public double serialFraction(double oneThreadSeconds, double seconds, int threads) {
        if (threads < 2) throw new IllegalArgumentException("2 threads or more");
        if (!(oneThreadSeconds > 0) || !(seconds > 0)) throw new IllegalArgumentException("measured times are above 0 s");
        double f = (seconds / oneThreadSeconds - 1.0 / threads) / (1 - 1.0 / threads);
        return Math.max(0, Math.min(1, f));
    }
}
