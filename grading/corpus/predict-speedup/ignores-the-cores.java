// corpus: buggy
// what: the parallel part divided by the threads, not by min(threads, cores): 8 threads on 2 cores would run 4x as fast as 2
// must fail: no faster past the cores; Gustafson on few cores, with start costs; agrees with the model on many jobs and machines
class Model implements SpeedupModel {
    public double time(double serial, double parallel, int threads, int cores, double start) {
        for (double seconds : new double[] {serial, parallel, start}) {
            if (!(seconds >= 0)) throw new IllegalArgumentException("times are 0 s or more, not " + seconds);
        }
        if (threads < 1 || cores < 1) throw new IllegalArgumentException("1 thread and 1 core or more");
        return threads * start + serial + parallel / threads;
    }

    public double speedup(double serial, double parallel, int threads, int cores, double start) {
        return time(serial, parallel, 1, cores, start) / time(serial, parallel, threads, cores, start);
    }

    public double scaledSpeedup(double serial, double parallel, int threads, int cores, double start) {
        double grown = threads * parallel;
        return time(serial, grown, 1, cores, start) / time(serial, grown, threads, cores, start);
    }

    public double serialFraction(double oneThreadSeconds, double seconds, int threads) {
        if (threads < 2) throw new IllegalArgumentException("2 threads or more");
        if (!(oneThreadSeconds > 0) || !(seconds > 0)) throw new IllegalArgumentException("measured times are above 0 s");
        double f = (seconds / oneThreadSeconds - 1.0 / threads) / (1 - 1.0 / threads);
        return Math.max(0, Math.min(1, f));
    }
}
