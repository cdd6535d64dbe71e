// corpus: correct
// what: each law written out as its own formula (Gustafson's with the grown job spelled out), without calls between the methods
class Model implements SpeedupModel {
    static void valid(int threads, int cores, double... seconds) {
        if (threads < 1 || cores < 1) throw new IllegalArgumentException("threads and cores: 1 or more");
        for (double s : seconds) if (Double.isNaN(s) || s < 0) throw new IllegalArgumentException("a time of " + s + " s");
    }

    public double time(double serial, double parallel, int threads, int cores, double start) {
        valid(threads, cores, serial, parallel, start);
        int running = threads < cores ? threads : cores;
        return serial + parallel / running + start * threads;
    }

    public double speedup(double serial, double parallel, int threads, int cores, double start) {
        valid(threads, cores, serial, parallel, start);
        return (start + serial + parallel) / (threads * start + serial + parallel / Math.min(threads, cores));
    }

    public double scaledSpeedup(double serial, double parallel, int threads, int cores, double start) {
        valid(threads, cores, serial, parallel, start);
        double oneThread = start + serial + threads * parallel;
        double many = threads * start + serial + threads * parallel / Math.min(threads, cores);
        return oneThread / many;
    }

    public double serialFraction(double oneThreadSeconds, double seconds, int threads) {
        if (threads <= 1 || !(oneThreadSeconds > 0 && seconds > 0)) throw new IllegalArgumentException("2+ threads, times above 0");
        double ratio = seconds / oneThreadSeconds, ideal = 1.0 / threads;
        double f = (ratio - ideal) / (1 - ideal);
        return f < 0 ? 0 : f > 1 ? 1 : f;
    }
}
