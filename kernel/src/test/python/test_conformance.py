"""The installed ThreadLab kernel, driven by a real Jupyter client over ZeroMQ.

jupyter_kernel_test checks every message against the protocol's schema; the tests after it check
what a concurrency course relies on: interrupts, output of threads after their cell, processes
left behind, and messages with a forged signature. The attacks of issue 14 (garbage and oversized
frames, a thread bomb, processes that detach, work hidden in the common ForkJoinPool or in another
thread group, crashes of the execution JVM) are each sent as a student or a raw ZeroMQ client would,
and the tests check the safe outcome through the protocol and /proc.
"""
import glob
import os
import re
import random
import signal
import tempfile
import threading
import time
import unittest
from queue import Empty

import jupyter_kernel_test
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import start_new_kernel

# An interrupt must stop the cell, not hang: the bound only tells a stop from a hang on a busy
# machine. How fast it stops is a benchmark's figure (./threadlab bench kernel), not a test's.
STOPPED_WITHIN = 20.0

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


def notices_of(outputs):
    """The kernel's notices (threads left running): display data with a display id, not stderr."""
    return [m for m in outputs if m["msg_type"] in ("display_data", "update_display_data")
            and m["content"].get("transient", {}).get("display_id", "").startswith("threadlab-threads-")]


def notice_text(outputs):
    return "".join(m["content"]["data"]["text/plain"] for m in notices_of(outputs))


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


def processes_with(marker):
    """PIDs of live processes whose command line has the argument `marker` (a unique sleep time)."""
    found = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/cmdline", "rb") as f:
                args = f.read().split(b"\0")
        except OSError:
            continue
        if marker.encode() in args and running(int(d)):
            found.append(int(d))
    return found


def unique_sleep():
    """A sleep duration no other process on the machine uses, to find the sleeps of one test in /proc."""
    return f"{random.randint(5000, 9999)}.{random.randint(100, 999)}"


def wait_for(predicate, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


def thread_count(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            return int(next(l for l in f if l.startswith("Threads:")).split()[1])
    except (OSError, StopIteration):
        return 0


def has_thread_named(pid, prefix):
    """Whether process `pid` has a thread whose name (as Linux keeps it, 15 characters) starts with prefix."""
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return False
    for t in tasks:
        try:
            with open(f"/proc/{pid}/task/{t}/comm") as f:
                if f.read().startswith(prefix):
                    return True
        except OSError:
            pass
    return False


def result_text(outputs):
    return next(m for m in outputs if m["msg_type"] == "execute_result")["content"]["data"]["text/plain"]


def execute_on(sock, session, code, timeout=60):
    """Sends a signed execute_request over a raw socket and returns its reply's content, or None."""
    msg = session.msg("execute_request", {"code": code, "silent": False, "store_history": True,
                                           "user_expressions": {}, "allow_stdin": False, "stop_on_error": True})
    session.send(sock, msg)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if sock.poll(int(max(0.1, deadline - time.monotonic()) * 1000)):
            _, frames = session.feed_identities(sock.recv_multipart())
            reply = session.deserialize(frames)
            if reply["parent_header"].get("msg_id") == msg["header"]["msg_id"]:
                return reply["content"]
    return None


def running(pid):
    """Alive and not a zombie."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except OSError:
        return False


CELL_THREADS = ("Thread.getAllStackTraces().keySet().stream()"
                ".filter(t -> t.getThreadGroup() != null && t.getThreadGroup().getName().startsWith(\"cell-\")).count()")


class OneKernel(unittest.TestCase):
    """One kernel for the class's tests, started in notebook_dir (None: the current folder), with x = 42."""
    notebook_dir = None

    @classmethod
    def setUpClass(cls):
        cls.km, cls.kc = start_new_kernel(kernel_name=KERNEL, startup_timeout=90, cwd=cls.notebook_dir)
        content, _ = execute(cls.kc, "int x = 42;")
        assert content["status"] == "ok", content

    @classmethod
    def tearDownClass(cls):
        cls.kc.stop_channels()
        cls.km.shutdown_kernel(now=True)

    def execution_pid(self):
        content, outputs = execute(self.kc, "ProcessHandle.current().pid()")
        return int(result_text(outputs))


class ConcurrencyOverTheWire(OneKernel):

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
        self.assertLess(seconds, STOPPED_WITHIN)
        self.assert_recovered()

    def test_interrupt_stops_busy_threads_and_deadlocks(self):
        content, seconds = self.interrupt_after(
            "for (int i = 0; i < 2; i++) new Thread(() -> { while (true) {} }).start();\n"
            "var a = new ReentrantLock(); var b = new ReentrantLock(); var both = new CountDownLatch(2);\n"
            "Thread t1 = new Thread(() -> { a.lock(); both.countDown(); try { both.await(); } catch (Exception e) {} b.lock(); });\n"
            "Thread t2 = new Thread(() -> { b.lock(); both.countDown(); try { both.await(); } catch (Exception e) {} a.lock(); });\n"
            "t1.start(); t2.start(); t1.join();")
        self.assertEqual(content["ename"], "Interrupted")
        self.assertLess(seconds, STOPPED_WITHIN)
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
        self.assertLess(seconds, STOPPED_WITHIN)
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
        self.assertLess(seconds, STOPPED_WITHIN)
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

    def test_an_exception_in_a_thread_is_an_error_output_and_the_cell_still_succeeds(self):
        content, outputs = execute(
            self.kc, 'var failing = new Thread(() -> { throw new ArithmeticException("div by zero"); }, "worker"); '
                     'failing.start(); failing.join();')
        self.assertEqual(content["status"], "ok", "Run All goes on: the cell's reply is not an error")
        errors = [m["content"] for m in outputs if m["msg_type"] == "error"]
        self.assertEqual(1, len(errors), [m["msg_type"] for m in outputs])
        self.assertEqual(errors[0]["ename"], "ArithmeticException")
        self.assertEqual(errors[0]["evalue"], "div by zero")
        self.assertEqual(errors[0]["traceback"][0], 'Exception in thread "worker" java.lang.ArithmeticException: div by zero')
        self.assertNotIn("Exception in thread", text_of(outputs), "not (also) as stream text")

    def test_a_long_cell_shows_running_then_how_long_it_ran_and_a_short_one_nothing(self):
        def progress(outputs):
            return [m for m in outputs if m["msg_type"] in ("display_data", "update_display_data")
                    and m["content"].get("transient", {}).get("display_id", "").startswith("threadlab-progress-")]
        content, outputs = execute(self.kc, 'Thread.sleep(4500); System.out.println("done");')
        self.assertEqual(content["status"], "ok")
        shown = progress(outputs)
        self.assertGreaterEqual(len(shown), 2, [m["msg_type"] for m in outputs])
        self.assertEqual(shown[0]["msg_type"], "display_data")
        self.assertRegex(shown[0]["content"]["data"]["text/plain"], r"^running\.\.\. \d+ s$")
        self.assertEqual(shown[-1]["msg_type"], "update_display_data")
        self.assertRegex(shown[-1]["content"]["data"]["text/plain"], r"^ran \d+\.\d s$")
        self.assertEqual({m["content"]["transient"]["display_id"] for m in shown}, {shown[0]["content"]["transient"]["display_id"]})
        self.assertNotIn("running", text_of(outputs, "stderr"))
        content, outputs = execute(self.kc, "Thread.sleep(300); 1 + 1")
        self.assertEqual(progress(outputs), [], "a short cell gets no progress line")

    def test_the_execution_jvm_maps_the_class_data_archive_the_kernelspec_names(self):
        spec = KernelSpecManager().get_kernel_spec(KERNEL)
        archive = os.path.join(spec.resource_dir, "exec.jsa")
        self.assertTrue(os.path.isfile(archive), "install-kernel's training leaves exec.jsa beside kernel.json")
        self.assertIn("-Dthreadlab.execArchive=" + archive, spec.argv)
        with open(f"/proc/{self.execution_pid()}/maps") as f:
            # the JVM unmaps an archive it refuses (other jars, other module flags, another JDK)
            self.assertIn(archive, f.read(), "the execution JVM accepted the archive and maps it")

    def test_inspect_shows_the_javadoc_of_an_exercise_type_from_the_installed_sources(self):
        content, _ = execute(self.kc, "import org.threadlab.grading.exercises.Account;")
        self.assertEqual(content["status"], "ok")
        msg_id = self.kc.inspect("Account", 7)
        while True:
            reply = self.kc.get_shell_msg(timeout=30)
            if reply["parent_header"].get("msg_id") == msg_id:
                break
        self.assertEqual(reply["content"]["status"], "ok")
        self.assertTrue(reply["content"]["found"])
        self.assertIn("A bank account that many threads use at once", reply["content"]["data"]["text/plain"])

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


    # ---- issue 14: what bad input and hostile cells must not break ----

    def raw_socket(self, port_name):
        import zmq
        info = self.km.get_connection_info()
        sock = zmq.Context.instance().socket(zmq.DEALER)
        sock.setsockopt(zmq.LINGER, 0)
        sock.connect(f"tcp://{info['ip']}:{info[port_name]}")
        return sock

    def test_garbage_frames_do_not_swallow_the_next_request(self):
        signed_but_broken = [b"{broken", b"{}", b"{}", b"{}"]
        garbage = [
            # one frame: the kernel used to wait for the rest of "its" message and took the next request's frames
            [b"garbage"],
            [b"no", b"delimiter", b"here"],
            [b"<IDS|MSG>", b"too", b"few"],
            [b"<IDS|MSG>", b"0" * 64, b"{not json", b"{}", b"{}", b"{}"],
            # signed with the real key, but not JSON: a buggy client
            [b"<IDS|MSG>", self.kc.session.sign(signed_but_broken)] + signed_but_broken,
        ]
        sock = self.raw_socket("shell_port")
        try:
            for i, frames in enumerate(garbage):
                sock.send_multipart(frames)
                content = execute_on(sock, self.kc.session, f"40 + {i}", timeout=30)
                self.assertIsNotNone(content, f"the request after garbage {frames[:3]} was answered")
                self.assertEqual(content["status"], "ok")
        finally:
            sock.close()
        content, outputs = execute(self.kc, "x")
        self.assertEqual(result_text(outputs), "42", "the kernel and its definitions are intact")

    def test_oversized_frames_are_refused_and_the_kernel_keeps_serving(self):
        import zmq
        limit = 64 << 20  # the kernel's ZMQ_MAXMSGSIZE (README: "Limits of the kernel")
        payload = b"\0" * (limit + 1)
        kernel_pid = self.km.provisioner.process.pid
        for port in ("shell_port", "control_port", "stdin_port", "hb_port"):
            sock = self.raw_socket(port)
            try:
                for _ in range(3):
                    # copy=False: the same buffer three times; the kernel drops the connection at the size prefix
                    sock.send(payload, copy=False, flags=zmq.NOBLOCK)
            except zmq.Again:
                pass
            finally:
                time.sleep(0.3)
                sock.close()
        del payload
        self.assertTrue(running(kernel_pid))
        self.assertTrue(self.km.is_alive())
        content, outputs = execute(self.kc, "x")
        self.assertEqual(content["status"], "ok")
        self.assertEqual(result_text(outputs), "42")
        # the heartbeat still echoes
        import zmq as z
        info = self.km.get_connection_info()
        req = z.Context.instance().socket(z.REQ)
        req.setsockopt(z.LINGER, 0)
        try:
            req.connect(f"tcp://{info['ip']}:{info['hb_port']}")
            req.send(b"ping")
            self.assertTrue(req.poll(10_000), "the heartbeat answers")
            self.assertEqual(req.recv(), b"ping")
        finally:
            req.close()

    def test_a_thread_bomb_is_stopped_near_the_limit(self):
        pid = self.execution_pid()
        peak = [0]
        done = threading.Event()

        def sample():
            while not done.is_set():
                peak[0] = max(peak[0], thread_count(pid))
                time.sleep(0.005)
        sampler = threading.Thread(target=sample)
        sampler.start()
        try:
            content, outputs = execute(self.kc,
                "for (int i = 0; i < 100_000; i++) new Thread(() -> { try { Thread.sleep(600_000); } "
                "catch (InterruptedException e) {} }).start();", timeout=120)
        finally:
            done.set()
            sampler.join()
        self.assertEqual(content["status"], "error")
        self.assertIn("limit of 2000", " ".join(content["traceback"]), "the message names the limit")
        # 2,000 threads may be passed by what starts while the watchdog looks (the OS caps the whole
        # JVM at 2,400 tasks where a pids cgroup can be made); the bomb used to reach 9,630
        self.assertLess(peak[0], 3000, f"peak of {peak[0]} threads in the execution JVM")
        with open(f"/proc/{pid}/cgroup") as f:
            cgroups = [l.split(":", 2)[2] for l in f.read().splitlines() if ":pids:" in l]
        if cgroups and cgroups[0].startswith("/threadlab-"):
            with open(f"/sys/fs/cgroup/pids{cgroups[0]}/pids.peak") as f:
                self.assertLessEqual(int(f.read()), 2400, "the operating system held the JVM at its cap")
        self.assert_recovered()

    def test_interrupt_kills_the_processes_the_cell_started_and_only_those(self):
        earlier, mine = unique_sleep(), unique_sleep()
        content, _ = execute(self.kc, f'var keep = new ProcessBuilder("sleep", "{earlier}").start();')
        self.assertEqual(content["status"], "ok")
        msg_id = self.kc.execute(
            f'for (int i = 0; i < 20; i++) new ProcessBuilder("sleep", "{mine}").start();\n'
            f'new ProcessBuilder("sh", "-c", "sleep {mine} & exit").start();\n'
            f'new ProcessBuilder("setsid", "-f", "sleep", "{mine}").start();\n'
            'Thread.sleep(600_000);')
        self.wait_until_running(msg_id)
        self.assertTrue(wait_for(lambda: len(processes_with(mine)) == 22, 30), "the cell started its 22 sleeps")
        self.km.interrupt_kernel()
        while True:
            reply = self.kc.get_shell_msg(timeout=30)
            if reply["parent_header"].get("msg_id") == msg_id:
                break
        self.assertEqual(reply["content"]["ename"], "Interrupted")
        # 22 sleeps, plus the shell and setsid's fork when they had not yet exited at the interrupt
        said = re.search(r"(\d+) processes the cell started were killed", " ".join(reply["content"]["traceback"]))
        self.assertIsNotNone(said, reply["content"]["traceback"])
        self.assertTrue(22 <= int(said.group(1)) <= 24, said.group(0))
        self.assertTrue(wait_for(lambda: not processes_with(mine), 5), f"left running: {processes_with(mine)}")
        self.assertEqual(len(processes_with(earlier)), 1, "a process of an earlier cell is not the interrupted cell's")
        content, _ = execute(self.kc, "keep.destroyForcibly().waitFor()")
        self.assertEqual(content["status"], "ok")
        self.assert_recovered()

    def test_interrupt_stops_an_endless_parallel_stream_in_the_common_pool(self):
        content, seconds = self.interrupt_after("IntStream.iterate(0, i -> i + 1).parallel().map(i -> i * 2).sum()")
        self.assertEqual(content["ename"], "Interrupted")
        # the pool was free again: a task submitted to it runs at once
        content, outputs = execute(self.kc, "CompletableFuture.supplyAsync(() -> 6 * 7).get(5, TimeUnit.SECONDS)")
        self.assertEqual(content["status"], "ok", content)
        self.assertEqual(result_text(outputs), "42")
        self.assert_recovered()

    def test_work_left_in_the_common_pool_is_listed_and_stopped(self):
        # the cell ends only once the worker runs the task: runAsync returns before a worker has taken it,
        # and a cell that ended first has nothing of the pool's to list (CI17, a loaded machine)
        content, outputs = execute(self.kc,
            "var running = new CountDownLatch(1);\n"
            "var leftover = CompletableFuture.runAsync(() -> { running.countDown(); while (true) {} });\n"
            "running.await();")
        self.assertEqual(content["status"], "ok")
        self.assertIn("ForkJoinPool.commonPool-worker", notice_text(outputs), "the cell's notice names the busy pool worker")
        self.assertNotIn("still running", text_of(outputs, "stderr"), "the notice is not an alarm on stderr")
        content, outputs = execute(self.kc, "%threads")
        self.assertIn("ForkJoinPool.commonPool-worker", text_of(outputs))
        content, outputs = execute(self.kc, "%stop all")
        self.assertEqual(content["status"], "ok", content)
        content, outputs = execute(self.kc, "CompletableFuture.supplyAsync(() -> 6 * 7).get(5, TimeUnit.SECONDS)")
        self.assertEqual(content["status"], "ok", content)
        self.assert_recovered()

    def test_a_thread_in_a_foreign_group_is_listed_and_stopped(self):
        content, outputs = execute(self.kc,
            "var outside = new ThreadGroup(Thread.currentThread().getThreadGroup().getParent(), \"elsewhere\");\n"
            "new Thread(outside, () -> { while (true) {} }, \"foreign-spinner\").start();")
        self.assertEqual(content["status"], "ok")
        self.assertIn("foreign-spinner", notice_text(outputs), "the cell's notice names the thread")
        content, outputs = execute(self.kc, "%threads")
        self.assertIn("foreign-spinner", text_of(outputs))
        content, outputs = execute(self.kc, "%stop all")
        self.assertEqual(content["status"], "ok", content)
        content, outputs = execute(self.kc, "%threads")
        self.assertNotIn("foreign-spinner", text_of(outputs))
        self.assert_recovered()


    def test_reset_stops_threads_in_a_foreign_group_and_in_the_common_pool(self):
        content, outputs = execute(self.kc,
            "var outside = new ThreadGroup(Thread.currentThread().getThreadGroup().getParent(), \"elsewhere\");\n"
            "new Thread(outside, () -> { while (true) {} }, \"foreign-spinner-2\").start();\n"
            "CompletableFuture.runAsync(() -> { while (true) {} });")
        self.assertEqual(content["status"], "ok")
        content, outputs = execute(self.kc, "%reset")
        self.assertEqual(content["status"], "ok", content)
        self.assertIn("2 running threads (stopped)", text_of(outputs))
        content, outputs = execute(self.kc, "%threads")
        self.assertIn("No thread started by an earlier cell is still running", text_of(outputs))
        content, _ = execute(self.kc, "int x = 42;")
        self.assertEqual(content["status"], "ok")
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

    def test_shutdown_ends_processes_that_detached_with_setsid_or_a_double_fork(self):
        marker = unique_sleep()
        km, kc = start()
        try:
            content, _ = execute(kc, f"""
                new ProcessBuilder("setsid", "-f", "sleep", "{marker}").start().waitFor();
                new ProcessBuilder("sh", "-c", "(sleep {marker} &) &").start().waitFor();
                """)
            self.assertEqual(content["status"], "ok", content)
            self.assertTrue(wait_for(lambda: len(processes_with(marker)) == 2, 10))
            kernel_tree = tree(km.provisioner.process.pid)
            self.assertFalse(set(processes_with(marker)) & set(kernel_tree), "they left the kernel's process tree")
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=False)
        gone = wait_for(lambda: not processes_with(marker), 5)
        left = processes_with(marker)
        for p in left:
            os.kill(p, signal.SIGKILL)
        self.assertTrue(gone, f"detached processes outlived the kernel: {left}")

    def test_a_kernel_killed_with_kill_9_leaves_nothing_after_the_next_start(self):
        import subprocess
        pids_root = "/sys/fs/cgroup/pids"
        if not os.access(pids_root, os.W_OK):
            self.skipTest("no writable cgroup v1 pids hierarchy here (the kernel runs without its cgroup)")
        marker = unique_sleep()
        # what a kernel killed with kill -9 leaves: its execution JVM's cgroup, with a detached process in it
        namespace = os.readlink("/proc/self/ns/pid").strip("pid:[]")
        with open("/proc/sys/kernel/pid_max") as f:
            dead_owner = int(f.read()) + random.randint(1, 100_000)  # above pid_max: never a live process
        stale = os.path.join(pids_root, f"threadlab-{namespace}-{dead_owner}-1")
        os.mkdir(stale)
        orphan = subprocess.Popen(["setsid", "sleep", marker])
        try:
            with open(os.path.join(stale, "cgroup.procs"), "w") as f:
                f.write(str(orphan.pid))
            km, kc = start()
            try:
                content, _ = execute(kc, "1 + 1")
                self.assertEqual(content["status"], "ok")
            finally:
                kc.stop_channels()
                km.shutdown_kernel(now=True)
            self.assertTrue(wait_for(lambda: orphan.poll() is not None, 5), "the stale cgroup's process was killed")
            self.assertFalse(os.path.exists(stale), "the stale cgroup was removed")
        finally:
            if orphan.poll() is None:
                orphan.kill()
            orphan.wait()
            if os.path.exists(stale):
                os.rmdir(stale)

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


class Crashes(OneKernel):
    """The execution JVM ended from outside or by a fault: the kernel restarts it and says how it ended."""

    @classmethod
    def setUpClass(cls):
        cls.notebook_dir = tempfile.mkdtemp(prefix="threadlab-notebook-")
        super().setUpClass()

    def kill_during_a_cell(self, sig):
        pid = self.execution_pid()
        msg_id = self.kc.execute("Thread.sleep(600_000);")
        # the cell sleeps once the JVM's main thread waits for it: send the signal then
        self.assertTrue(wait_for(lambda: has_thread_named(pid, "cell-"), 30))
        os.kill(pid, sig)
        while True:
            reply = self.kc.get_shell_msg(timeout=60)
            if reply["parent_header"].get("msg_id") == msg_id:
                return reply["content"], pid

    def assert_restarted(self, content):
        self.assertEqual(content["ename"], "KernelRestarted")
        content, outputs = execute(self.kc, "x")
        self.assertEqual(result_text(outputs), "42", "definitions were replayed")
        self.assertEqual(glob.glob(os.path.join(self.notebook_dir, "hs_err_pid*")), [], "no crash log in the notebook's folder")

    def test_kill_9_names_the_signal(self):
        content, _ = self.kill_during_a_cell(signal.SIGKILL)
        self.assertIn("signal 9 (SIGKILL", " ".join(content["traceback"]))
        self.assert_restarted(content)

    def test_a_segmentation_fault_names_the_signal_and_the_crash_log_in_a_temp_folder(self):
        content, pid = self.kill_during_a_cell(signal.SIGSEGV)
        text = " ".join(content["traceback"])
        self.assertIn("crashed on SIGSEGV", text)
        log = os.path.join(tempfile.gettempdir(), "threadlab-crashes-")
        self.assertIn(log, text, "the message names the crash log in the temp folder")
        path = text[text.index(log):].split()[0].rstrip(".")
        self.assertTrue(path.endswith(f"hs_err_pid{pid}.log") and os.path.isfile(path), path)
        os.remove(path)
        self.assert_restarted(content)

    def test_unsafe_writing_to_address_zero_is_a_crash_with_its_log(self):
        content, _ = execute(self.kc, 'var f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe"); f.setAccessible(true);\n'
                                      "((sun.misc.Unsafe) f.get(null)).putAddress(0, 0);")
        text = " ".join(content["traceback"])
        self.assertIn("crashed on SIGSEGV", text)
        log = os.path.join(tempfile.gettempdir(), "threadlab-crashes-")
        self.assertIn(log, text)
        os.remove(text[text.index(log):].split()[0].rstrip("."))
        self.assert_restarted(content)

    def test_halt_names_the_exit_status(self):
        content, _ = execute(self.kc, "Runtime.getRuntime().halt(3);")
        self.assertIn("exited with status 3", " ".join(content["traceback"]))
        self.assert_restarted(content)


if __name__ == "__main__":
    unittest.main()
