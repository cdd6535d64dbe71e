// corpus: buggy
// what: the serial part split among the threads like the parallel part: no Amdahl ceiling at all
// must fail: the serial part does not shrink with threads; agrees with the model on many jobs and machines
class Model implements SpeedupModel {
    public double time(double serial, double parallel, int threads, int cores, double start) {
        for (double seconds : new double[] {serial, parallel, start}) {
            if (!(seconds >= 0)) throw new IllegalArgumentException("times are 0 s or more, not " + seconds);
        }
        if (threads < 1 || cores < 1) throw new IllegalArgumentException("1 thread and 1 core or more");
        return threads * start + (serial + parallel) / Math.min(threads, cores);
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
