package org.threadlab.kernel.exec;

import com.sun.jdi.ClassType;
import com.sun.jdi.Method;
import com.sun.jdi.ObjectReference;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.ThreadReference;
import com.sun.jdi.VMDisconnectedException;
import com.sun.jdi.VirtualMachine;
import com.sun.jdi.event.BreakpointEvent;
import com.sun.jdi.event.Event;
import com.sun.jdi.event.EventSet;
import com.sun.jdi.event.VMDeathEvent;
import com.sun.jdi.event.VMDisconnectEvent;
import com.sun.jdi.request.BreakpointRequest;
import com.sun.jdi.request.EventRequest;
import jdk.jshell.spi.ExecutionEnv;

import java.util.List;

/**
 * The JDI event loop: resumes the JVM at start, blocks {@code System.exit} in cells (with a
 * clear message, through a breakpoint on {@code Runtime.exit}) and notices when the JVM dies.
 */
final class ExitGuard {
    private final VirtualMachine vm;
    volatile boolean dead;

    ExitGuard(VirtualMachine vm, ExecutionEnv env) {
        this.vm = vm;
        try {
            List<ReferenceType> runtime = vm.classesByName("java.lang.Runtime");
            if (!runtime.isEmpty()) {
                for (Method m : runtime.get(0).methodsByName("exit")) {
                    BreakpointRequest bp = vm.eventRequestManager().createBreakpointRequest(m.location());
                    bp.setSuspendPolicy(EventRequest.SUSPEND_EVENT_THREAD);
                    bp.enable();
                }
            }
        } catch (RuntimeException e) {
            // without the breakpoint System.exit ends the JVM; the kernel then restarts it and says so
        }
        Thread t = new Thread(() -> loop(env), "threadlab-jdi-events");
        t.setDaemon(true);
        t.start();
    }

    private void loop(ExecutionEnv env) {
        try {
            while (true) {
                EventSet set = vm.eventQueue().remove();
                for (Event ev : set) {
                    if (ev instanceof BreakpointEvent bp) {
                        blockExit(bp.thread());
                    } else if (ev instanceof VMDeathEvent || ev instanceof VMDisconnectEvent) {
                        dead = true;
                    }
                }
                if (dead) {
                    env.closeDown();
                    return;
                }
                set.resume();
            }
        } catch (InterruptedException | VMDisconnectedException e) {
            dead = true;
            env.closeDown();
        }
    }

    private void blockExit(ThreadReference thread) {
        try {
            ClassType agent = (ClassType) vm.classesByName(ExecutionJvm.AGENT).get(0);
            ObjectReference blocked = (ObjectReference) agent.getValue(agent.fieldByName("EXIT_BLOCKED"));
            thread.stop(blocked);
        } catch (Exception e) {
            // the agent is not loaded yet (exit during start-up): let the JVM end, the kernel restarts it
        }
    }
}
