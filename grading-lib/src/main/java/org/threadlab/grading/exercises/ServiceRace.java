package org.threadlab.grading.exercises;

import java.io.Serializable;
import java.util.List;

/**
 * A shared state for the schedule engine (exercise stoppable-service): a service, one thread
 * submitting a job while another stops the service. Whatever the interleaving, the job must be
 * refused, or run, or returned by {@code stop()}, exactly once:
 *
 * <pre>{@code
 * interleave(() -> new ServiceRace(QueueService::new), ServiceRace::submit, ServiceRace::stop)
 *         .firstFailure(s -> s.ok())
 * }</pre>
 *
 * The first thread to arrive starts the service: the engine makes one state outside its search
 * too, and a service started there would leave a worker thread behind in the engine's JVM.
 */
public final class ServiceRace implements Serializable {
    public final StoppableService service;
    /** The job that is submitted; it counts its runs. */
    public final Runnable job = this::count;
    public boolean accepted;
    public int ran;
    public List<Runnable> returned = List.of();
    private boolean started;

    public ServiceRace(Make<StoppableService> make) {
        service = make.get();
    }

    private void count() {
        ran++;
    }

    private synchronized void startOnce() {
        if (!started) {
            started = true;
            service.start();
        }
    }

    /** One thread: submits the job. */
    public void submit() {
        startOnce();
        accepted = service.submit(job);
    }

    /** The other thread: stops the service. */
    public void stop() {
        startOnce();
        List<Runnable> left = service.stop();
        returned = left == null ? List.of() : left;
    }

    /** How many times {@code stop()} returned the job. */
    public int timesReturned() {
        int n = 0;
        for (Runnable r : returned) if (r == job) n++;
        return n;
    }

    /** Accepted: run or returned, once; refused: neither; and stop() returned nothing else. */
    public boolean ok() {
        return returned.size() == timesReturned() && ran + timesReturned() == (accepted ? 1 : 0);
    }

    @Override
    public String toString() {
        return "submit returned " + accepted + ", the job ran " + ran + " time(s), stop() returned it " + timesReturned()
                + " time(s)" + (returned.size() > timesReturned() ? " and " + (returned.size() - timesReturned()) + " other object(s)" : "");
    }
}
