"""The installed ThreadLab kernel, driven by a real Jupyter client over ZeroMQ.

jupyter_kernel_test checks every message against the protocol's schema; the tests after it check
what a concurrency course relies on: interrupts, output of threads after their cell, processes
left behind, and messages with a forged signature.
"""
import os
import time
import unittest
from queue import Empty

import jupyter_kernel_test
from jupyter_client.manager import start_new_kernel

KERNEL = "threadlab"


class ThreadLabConformance(jupyter_kernel_test.KernelTests):
    kernel_name = KERNEL
    language_name = "java"
    file_extension = ".java"

    code_hello_world = 'System.out.println("hello, world");'
    code_stderr = 'System.err.println("oops");'
    completion_samples = [{"text": "Math.ma", "matches": {"max("}}]
    complete_code_samples = ["int x = 1;", "1 + 1", "void f() { }"]
    incomplete_code_samples = ["for (int i = 0; i < 3; i++) {", "int y = ("]
    invalid_code_samples = ["int x = ) ;", "}}"]
    code_generate_error = 'throw new RuntimeException("boom");'
    code_execute_result = [{"code": "6 * 7", "result": "42"}, {"code": '"a" + "b"', "result": '"ab"'}]
    code_display_data = [
        {"code": 'display(new java.awt.image.BufferedImage(4, 4, java.awt.image.BufferedImage.TYPE_INT_RGB));', "mime": "image/png"},
        {"code": 'display(Table.of(List.of("k"), List.of(List.of("v"))));', "mime": "text/html"},
    ]
    code_history_pattern = "6 *"
    supported_history_operations = ("tail", "range", "search")
    code_inspect_sample = "Math.max"


def start():
    return start_new_kernel(kernel_name=KERNEL, startup_timeout=90)


def execute(kc, code, timeout=60):
    """Runs code; returns (reply content, iopub messages of this request up to idle)."""
    msg_id = kc.execute(code)
    outputs = []
    deadline = time.monotonic() + timeout
    while True:
        msg = kc.get_iopub_msg(timeout=max(0.1, deadline - time.monotonic()))
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            break
        outputs.append(msg)
    while True:
        reply = kc.get_shell_msg(timeout=timeout)
        if reply["parent_header"].get("msg_id") == msg_id:
            return reply["content"], outputs


def text_of(outputs, name=None):
    return "".join(m["content"]["text"] for m in outputs
                   if m["msg_type"] == "stream" and (name is None or m["content"]["name"] == name))


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def tree(pid):
    out = [pid]
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            for child in f.read().split():
                out += tree(int(child))
    except OSError:
        pass
    return out


def running(pid):
    """Alive and not a zombie."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except OSError:
        return False


CELL_THREADS = ("Thread.getAllStackTraces().keySet().stream()"
                ".filter(t -> t.getThreadGroup() != null && t.getThreadGroup().getName().startsWith(\"cell-\")).count()")


class ConcurrencyOverTheWire(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.km, cls.kc = start()
        content, _ = execute(cls.kc, "int x = 42;")
        assert content["status"] == "ok", content

    @classmethod
    def tearDownClass(cls):
        cls.kc.stop_channels()
        cls.km.shutdown_kernel(now=True)

    def execution_pid(self):
        content, outputs = execute(self.kc, "ProcessHandle.current().pid()")
        return int(next(m for m in outputs if m["msg_type"] == "execute_result")["content"]["data"]["text/plain"])

    def interrupt_after(self, code, delay=0.8):
        msg_id = self.kc.execute(code)
        self.wait_until_running(msg_id)
        time.sleep(delay)
        t0 = time.monotonic()
        self.km.interrupt_kernel()
        while True:
            reply = self.kc.get_shell_msg(timeout=30)
            if reply["parent_header"].get("msg_id") == msg_id:
                break
        return reply["content"], time.monotonic() - t0

    def wait_until_running(self, msg_id):
        """Until the kernel starts the cell: on a busy machine it may start late."""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                msg = self.kc.get_iopub_msg(timeout=1)
            except Empty:
                continue
            if (msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "status"
                    and msg["content"]["execution_state"] == "busy"):
                return

    def assert_recovered(self):
        pid = self.execution_pid()
        before = cpu_seconds(pid)
        time.sleep(1.0)
        self.assertLess(cpu_seconds(pid) - before, 0.3, "the execution JVM is idle again")
        content, outputs = execute(self.kc, "x")
        self.assertEqual(content["status"], "ok")
        result = next(m for m in outputs if m["msg_type"] == "execute_result")
        self.assertEqual(result["content"]["data"]["text/plain"], "42", "earlier definitions survive")
        # the only thread of a cell group still alive is the one asking
        content, outputs = execute(self.kc, CELL_THREADS)
        result = next(m for m in outputs if m["msg_type"] == "execute_result")
        self.assertEqual(result["content"]["data"]["text/plain"], "1", "no thread of the stopped cell is left")

    def test_interrupt_stops_busy_loop(self):
        content, seconds = self.interrupt_after("while (true) {}")
        self.assertEqual(content["status"], "error")
        self.assertEqual(content["ename"], "Interrupted")
        self.assertLess(seconds, 2.0)
        self.assert_recovered()

    def test_interrupt_stops_busy_threads_and_deadlocks(self):
        content, seconds = self.interrupt_after(
            "for (int i = 0; i < 2; i++) new Thread(() -> { while (true) {} }).start();\n"
            "var a = new ReentrantLock(); var b = new ReentrantLock(); var both = new CountDownLatch(2);\n"
            "Thread t1 = new Thread(() -> { a.lock(); both.countDown(); try { both.await(); } catch (Exception e) {} b.lock(); });\n"
            "Thread t2 = new Thread(() -> { b.lock(); both.countDown(); try { both.await(); } catch (Exception e) {} a.lock(); });\n"
            "t1.start(); t2.start(); t1.join();")
        self.assertEqual(content["ename"], "Interrupted")
        self.assertLess(seconds, 2.0)
        self.assert_recovered()

    def test_interrupt_undoes_a_synchronized_deadlock_and_keeps_definitions(self):
        # monitors cannot be forced open: the kernel restarts the execution JVM and replays definitions
        content, seconds = self.interrupt_after(
            "Object p = new Object(), q = new Object(); var held = new CountDownLatch(2);\n"
            "Thread u = new Thread(() -> { synchronized (p) { held.countDown(); try { held.await(); } catch (Exception e) {} synchronized (q) {} } });\n"
            "Thread v = new Thread(() -> { synchronized (q) { held.countDown(); try { held.await(); } catch (Exception e) {} synchronized (p) {} } });\n"
            "u.start(); v.start(); u.join();")
        self.assertEqual(content["ename"], "Interrupted")
        self.assertIn("restart", " ".join(content["traceback"]).lower())
        self.assertLess(seconds, 4.0)
        self.assert_recovered()

    def test_interrupt_stops_sleeping_waiting_joining_and_blocked_io_threads(self):
        content, seconds = self.interrupt_after(
            "var lock = new Object();\n"
            "var sleeper = new Thread(() -> { try { Thread.sleep(600_000); } catch (InterruptedException e) {} });\n"
            "var waiter = new Thread(() -> { synchronized (lock) { try { lock.wait(); } catch (InterruptedException e) {} } });\n"
            "var joiner = new Thread(() -> { try { sleeper.join(); } catch (InterruptedException e) {} });\n"
            "var server = new java.net.ServerSocket(0);\n"
            "var reader = new Thread(() -> { try (var s = new java.net.Socket(\"127.0.0.1\", server.getLocalPort())) { s.getInputStream().read(); } catch (Exception e) {} });\n"
            "for (var t : List.of(sleeper, waiter, joiner, reader)) t.start();\n"
            "var accepted = server.accept();\n"
            "reader.join();")
        self.assertEqual(content["ename"], "Interrupted")
        self.assertLess(seconds, 2.0)
        self.assert_recovered()

    def test_two_interrupts_in_a_row_leave_the_kernel_serving(self):
        msg_id = self.kc.execute("while (true) {}")
        self.wait_until_running(msg_id)
        time.sleep(0.8)
        self.km.interrupt_kernel()
        self.km.interrupt_kernel()
        while True:
            reply = self.kc.get_shell_msg(timeout=30)
            if reply["parent_header"].get("msg_id") == msg_id:
                break
        self.assertEqual(reply["content"]["ename"], "Interrupted")
        self.km.interrupt_kernel()  # with no cell running
        # it travels on the control channel: let it arrive before the next cell, or it stops that one
        time.sleep(1.0)
        self.assert_recovered()

    def test_output_of_a_thread_after_its_cell_ended_goes_to_that_cell(self):
        msg_id = self.kc.execute(
            'new Thread(() -> { try { Thread.sleep(500); } catch (InterruptedException e) {} '
            'System.out.println("late from the thread"); }).start();')
        late = []
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not late:
            try:
                msg = self.kc.get_iopub_msg(timeout=0.5)
            except Empty:
                continue
            if (msg["msg_type"] == "stream" and msg["parent_header"].get("msg_id") == msg_id
                    and "late from the thread" in msg["content"]["text"]):
                late.append(msg)
        self.assertTrue(late, "the late line was published with the starting cell as its parent")
        self.kc.get_shell_msg(timeout=10)

    def test_a_forged_message_is_dropped_and_the_kernel_keeps_serving(self):
        marker = "FORGED-" + str(time.time())
        session = self.kc.session
        real_key = session.key
        try:
            session.key = b"not-the-connection-key"
            self.kc.execute(f'System.out.println("{marker}");')
        finally:
            session.key = real_key
        seen = []
        deadline = time.monotonic() + 2
        while time.monotonic() < deadline:
            try:
                msg = self.kc.get_iopub_msg(timeout=0.2)
            except Empty:
                continue
            if msg["msg_type"] == "stream" and marker in msg["content"]["text"]:
                seen.append(msg)
        self.assertFalse(seen, "a message signed with the wrong key must never run")
        content, outputs = execute(self.kc, "1 + 1")
        self.assertEqual(content["status"], "ok")

    def test_timeit_prints_per_loop_figures_and_reset_clears_definitions(self):
        content, outputs = execute(self.kc, "%%timeit -n 20 -r 3\nMath.sqrt(2.0)")
        self.assertEqual(content["status"], "ok")
        self.assertRegex(text_of(outputs, "stdout"), r"per loop \(median of 3 runs; min .*, max .*, spread .*\)\n20 loops per run")
        execute(self.kc, "int wiped = 5;")
        content, outputs = execute(self.kc, "%reset")
        self.assertEqual(content["status"], "ok")
        self.assertIn("Reset: cleared", text_of(outputs))
        content, outputs = execute(self.kc, "wiped")
        self.assertEqual(content["status"], "error")
        # the other tests rely on x from setUpClass
        content, _ = execute(self.kc, "int x = 42;")
        self.assertEqual(content["status"], "ok")

    def test_system_exit_is_refused_with_a_message(self):
        content, outputs = execute(self.kc, "System.exit(0);")
        self.assertEqual(content["status"], "error")
        self.assertIn("System.exit", content["evalue"])
        self.assert_recovered()


class NothingLeftBehind(unittest.TestCase):
    def test_an_interrupt_during_start_up_is_harmless(self):
        from jupyter_client import KernelManager
        km = KernelManager(kernel_name=KERNEL)
        km.start_kernel()
        try:
            km.interrupt_kernel()
            kc = km.client()
            kc.start_channels()
            kc.wait_for_ready(timeout=90)
            content, outputs = execute(kc, "1 + 1")
            self.assertEqual(content["status"], "ok", content)
            kc.stop_channels()
        finally:
            km.shutdown_kernel(now=True)

    def test_a_kernel_whose_parent_died_exits_by_itself(self):
        import json
        import signal
        import subprocess
        import sys
        import tempfile
        from jupyter_client.kernelspec import KernelSpecManager
        spec = KernelSpecManager().get_kernel_spec(KERNEL)
        with tempfile.TemporaryDirectory() as d:
            conn = os.path.join(d, "kernel.json")
            from jupyter_client.connect import write_connection_file
            write_connection_file(conn, ip="127.0.0.1", key=b"k")
            argv = [a.replace("{connection_file}", conn) for a in spec.argv]
            # a stand-in for Jupyter: a shell that starts the kernel and is then killed
            parent = subprocess.Popen(["sh", "-c", " ".join(f"'{a}'" for a in argv) + " & echo $!; wait"],
                                      stdout=subprocess.PIPE, text=True, env={**os.environ, **spec.env})
            kernel_pid = int(parent.stdout.readline())
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and len(tree(kernel_pid)) < 2:
                time.sleep(0.2)  # until the execution JVM is up too
            family = tree(kernel_pid)
            self.assertTrue(running(kernel_pid), "the kernel started")
            parent.send_signal(signal.SIGKILL)
            parent.wait()
            deadline = time.monotonic() + 15
            while time.monotonic() < deadline and any(running(p) for p in family):
                time.sleep(0.2)
            left = [p for p in family if running(p)]
            for p in left:
                os.kill(p, signal.SIGKILL)
            self.assertEqual(left, [], "an orphaned kernel and its execution JVM exit by themselves")

    def test_shutdown_ends_every_process_the_cells_started(self):
        km, kc = start()
        try:
            content, outputs = execute(kc, """
                var sleepers = new ArrayList<Process>();
                for (int i = 0; i < 3; i++) sleepers.add(new ProcessBuilder("sleep", "1000").start());
                var nested = new ProcessBuilder("sh", "-c", "sleep 1000 & wait").start();
                sleepers.stream().map(p -> String.valueOf(p.pid())).collect(java.util.stream.Collectors.joining(",")) + "," + nested.pid()
                """)
            self.assertEqual(content["status"], "ok", content)
            result = next(m for m in outputs if m["msg_type"] == "execute_result")["content"]["data"]["text/plain"]
            pids = [int(p) for p in result.strip('"').split(",")]
            kernel_pid = km.provisioner.process.pid
            everything = tree(kernel_pid)
            self.assertTrue(set(pids) <= set(everything), "the sleepers are descendants of the kernel")
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=False)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and any(running(p) for p in everything):
            time.sleep(0.1)
        self.assertEqual([p for p in everything if running(p)], [], "no process of the kernel's tree is left")


if __name__ == "__main__":
    unittest.main()
