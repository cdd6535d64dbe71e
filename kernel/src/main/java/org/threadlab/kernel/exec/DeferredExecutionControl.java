package org.threadlab.kernel.exec;

import jdk.jshell.spi.ExecutionControl;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The execution engine JShell gets while the execution JVM is still starting.
 *
 * <p>JShell asks for its engine in its constructor and waits for it, so by default javac could not
 * start on the default imports until the JVM is up (~0.4 s, ~0.2 s of which javac needs for itself).
 * This lets both go at once: class loads and class-path additions (all that compiling an import
 * asks of the engine) are queued, everything else waits for the JVM; the queue is replayed, in
 * order, before the first call that reaches it.
 *
 * <p>Only JShell's own thread calls this, as JShell is single-threaded.
 */
final class DeferredExecutionControl implements ExecutionControl {
    private final CompletableFuture<ExecutionJvm> launch;
    private final long timeoutMs;
    private final List<Deferred> queue = new ArrayList<>();
    private ExecutionJvm jvm;

    private interface Deferred {
        void replay(ExecutionJvm jvm) throws ExecutionControlException;
    }

    DeferredExecutionControl(CompletableFuture<ExecutionJvm> launch, long timeoutMs) {
        this.launch = launch;
        this.timeoutMs = timeoutMs;
    }

    /** The execution JVM once it runs, with the queued work done; throws what went wrong when it cannot start. */
    ExecutionJvm ready() throws EngineTerminationException, InternalException {
        if (jvm == null) {
            try {
                jvm = launch.get(timeoutMs, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                throw new EngineTerminationException("the execution JVM did not start within " + timeoutMs + " ms");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EngineTerminationException("interrupted while the execution JVM started");
            } catch (java.util.concurrent.ExecutionException | CompletionException e) {
                throw new EngineTerminationException("the execution JVM could not start: " + e.getCause());
            }
        }
        if (!queue.isEmpty()) {
            List<Deferred> pending = List.copyOf(queue);
            queue.clear();
            for (Deferred d : pending) {
                try {
                    d.replay(jvm);
                } catch (EngineTerminationException | InternalException e) {
                    throw e;
                } catch (ExecutionControlException e) {
                    // only the kernel's own start-up imports are ever queued: failing them is the kernel's fault
                    throw new InternalException("the execution JVM could not load the start-up imports: " + e.getMessage());
                }
            }
        }
        return jvm;
    }

    private boolean started() {
        return jvm != null || (launch.isDone() && !launch.isCompletedExceptionally());
    }

    @Override
    public void load(ClassBytecodes[] cbcs) throws ClassInstallException, NotImplementedException, EngineTerminationException {
        if (!started()) {
            queue.add(j -> j.load(cbcs));
            return;
        }
        try {
            ready().load(cbcs);
        } catch (InternalException e) {
            throw new EngineTerminationException(e.getMessage());
        }
    }

    @Override
    public void addToClasspath(String path) throws EngineTerminationException, InternalException {
        if (!started()) {
            queue.add(j -> j.addToClasspath(path));
            return;
        }
        ready().addToClasspath(path);
    }

    @Override
    public void redefine(ClassBytecodes[] cbcs) throws ClassInstallException, NotImplementedException, EngineTerminationException {
        try {
            ready().redefine(cbcs);
        } catch (InternalException e) {
            throw new EngineTerminationException(e.getMessage());
        }
    }

    @Override
    public String invoke(String className, String methodName) throws RunException, EngineTerminationException, InternalException {
        return ready().invoke(className, methodName);
    }

    @Override
    public String varValue(String className, String varName) throws RunException, EngineTerminationException, InternalException {
        return ready().varValue(className, varName);
    }

    @Override
    public void stop() throws EngineTerminationException, InternalException {
        if (started()) ready().stop();
    }

    @Override
    public Object extensionCommand(String command, Object arg) throws RunException, EngineTerminationException, InternalException {
        return ready().extensionCommand(command, arg);
    }

    @Override
    public void close() {
        // a JVM still starting is closed as soon as it is up, so that none outlives its JShell
        launch.thenAccept(ExecutionJvm::close);
    }
}
