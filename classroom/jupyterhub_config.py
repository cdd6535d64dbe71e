# JupyterHub configuration of a ThreadLab class, written for `./threadlab classroom up`, which
# starts the hub with THREADLAB_CLASS pointing at the class's private/class.json (ports, users,
# limits). Everything class-specific comes from there; this file holds the policy.
import json
import os
import pwd
import sys

from jupyterhub.spawner import LocalProcessSpawner

cls = json.load(open(os.environ["THREADLAB_CLASS"]))
sys.path.insert(0, os.path.join(cls["root"], "tools"))
import classroom  # noqa: E402  (tools/classroom.py: cgroups, the service)

c = get_config()  # noqa: F821
private = os.path.join(cls["dir"], "private")

c.JupyterHub.ip = cls["ip"]
c.JupyterHub.port = cls["port"]
c.JupyterHub.hub_ip = cls["hub_ip"]
c.JupyterHub.hub_port = cls["hub_port"]
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{cls['proxy_api_port']}"
c.ConfigurableHTTPProxy.should_start = True
c.JupyterHub.db_url = "sqlite:///" + os.path.join(private, "jupyterhub.sqlite")
c.JupyterHub.cookie_secret_file = os.path.join(private, "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = os.path.join(private, "jupyterhub.pid")
c.JupyterHub.cleanup_servers = True  # the hub's shutdown stops every student's server
c.JupyterHub.cleanup_proxy = True

# students and the instructor log in with their system password (PAM)
c.Authenticator.allowed_users = set(cls["students"]) | {cls["instructor"]}
c.Authenticator.admin_users = {cls["instructor"]}
c.PAMAuthenticator.open_sessions = False


class ThreadLabSpawner(LocalProcessSpawner):
    """A student's server as the student, inside the student's cgroups (memory, pids, cpu)."""

    async def start(self):
        classroom.setup_cgroups(cls, self.user.name)
        # the student's own loopback address for the server and its kernels (see classroom.student_ip):
        # the proxy routes to it, and no other student's server can take the ports their kernels bind
        ip = classroom.student_ip(self.user_uid())
        why = classroom.add_loopback(ip)
        if why:
            self.log.warning("%s shares 127.0.0.1 with the other students (%s); under load their servers "
                             "may pick the same free ports for kernels", self.user.name, why)
            ip = "127.0.0.1"
        self.ip = ip
        return await super().start()

    def user_uid(self):
        return pwd.getpwnam(self.user.name).pw_uid

    def get_args(self):
        # the kernel manager's connection address: its five ports are chosen on the student's address
        return super().get_args() + [f"--KernelManager.ip={self.ip or '127.0.0.1'}"]

    def make_preexec_fn(self, name):
        join = classroom.student_preexec(cls, name)
        become = super().make_preexec_fn(name)

        def preexec():
            join()      # as root: into the cgroups, RLIMIT_NPROC
            become()    # then the student's uid, gid and groups
        return preexec

    async def stop(self, now=False):
        await super().stop(now=now)
        # anything the student detached from the server (setsid, a fork bomb) goes with it
        for d in classroom.cgroup_dirs(cls["name"], self.user.name).values():
            if os.path.isdir(d):
                classroom.kill_cgroup(d)
        try:
            classroom.remove_loopback(classroom.student_ip(self.user_uid()))
        except KeyError:  # the account is gone already
            pass


lim = cls["limits"]
c.JupyterHub.spawner_class = ThreadLabSpawner
c.Spawner.cmd = ["jupyterhub-singleuser"]
c.Spawner.default_url = "/tree"
c.Spawner.notebook_dir = "~"
c.Spawner.start_timeout = 180   # a loaded 2-core machine starts many servers slowly
# a whole class logging in at once: past this many servers starting, the hub answers "Too many users
# trying to log in right now. Try again in 20 seconds." (HTTP 429, Retry-After) instead of starting
# them all together, so none misses start_timeout; those told to wait ask again
c.JupyterHub.concurrent_spawn_limit = cls.get("spawn_limit", 10)
c.JupyterHub.spawn_throttle_retry_range = (10, 30)
# from the server's process start to its first HTTP answer: at N = 60 (10 starting at a time, load
# average 115) 2 of 60 servers missed 120 s; the spawn limit keeps a longer wait from piling up
c.Spawner.http_timeout = 240
c.Spawner.mem_limit = lim["memory_bytes"]   # shown to the server (MEM_LIMIT); the cgroup enforces it
c.Spawner.environment = {
    "JUPYTER_PATH": cls["jupyter_path"],          # the class's ThreadLab kernelspec
    "THREADLAB_HEAP": lim["heap"],
    "THREADLAB_MAX_THREADS": str(lim["max_threads"]),
    "THREADLAB_MAX_PROCESSES": str(lim["max_processes"]),
    # a whole class starting kernels at once on 2 cores: an execution JVM took 46 s at 4 % of a core
    "THREADLAB_START_TIMEOUT": "120",
    "THREADLAB_SUBMIT_URL": f"http://127.0.0.1:{cls['service_port']}/submit",
}

# the class's own service (as root): submit() receipts, idle culling through the REST API, live coding
c.JupyterHub.services = [{
    "name": "threadlab",
    "command": [cls["python"], os.path.join(cls["root"], "tools", "classroom.py"), "--dir", cls["dir"], "service"],
    "api_token": cls["service_token"],
}]
c.JupyterHub.load_roles = [{
    "name": "threadlab-service",
    "scopes": ["list:users", "read:users", "admin:servers", "read:servers", "admin:users", "tokens", "access:servers"],
    "services": ["threadlab"],
}]
