package org.threadlab.grading.exercises;

import java.util.List;

/**
 * A service that runs jobs, one at a time and in the order they were submitted, on one worker
 * thread that belongs to it, until it is stopped (exercise stoppable-service, lecture 20).
 *
 * <pre>{@code
 * StoppableService s = new QueueService();
 * s.start();
 * s.submit(() -> System.out.println("on " + Thread.currentThread().getName()));
 * List<Runnable> neverRun = s.stop();   // returns once the worker thread has ended
 * }</pre>
 */
public interface StoppableService {
    /** Starts the worker thread. Called once, before any other method. */
    void start();

    /**
     * Queues {@code job} to run on the worker thread after the jobs submitted before it. Returns
     * true when the job was accepted; false once {@link #stop()} has been called, and then the job
     * never runs. Never waits for the job.
     */
    boolean submit(Runnable job);

    /**
     * Stops the service, promptly:
     * <ul>
     * <li>from now on {@link #submit} refuses jobs;</li>
     * <li>the job running now, if any, is interrupted and allowed to end (a job that ignores the
     *     interrupt runs to its end; a job may even swallow it, and the service must still stop);</li>
     * <li>the jobs still waiting never run: they are returned, in the order submitted;</li>
     * <li>it returns only once the worker has finished: the running job has ended and the worker's
     *     loop with it, so no thread of the service outlives it.</li>
     * </ul>
     * Every accepted job is therefore either run or returned, exactly once. {@code stop()} waits
     * even when the thread calling it is interrupted meanwhile (as {@code ExecutorService.close()}
     * does), and then returns with that thread's interrupt status set again: the interrupt is passed
     * on, never lost. A second call returns an empty list.
     */
    List<Runnable> stop();
}
