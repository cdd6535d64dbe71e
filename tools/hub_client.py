"""A student, as a program: logs in through the Hub's login page, starts the server through the
Hub's REST API, opens a ThreadLab kernel and runs cells over the kernel's websocket, as the browser
does. Used by the classroom test (classroom/tests) and ./threadlab bench classroom.

    async with Student(cls, "alice", password) as s:
        await s.login(); await s.start_server(); await s.start_kernel()
        reply = await s.execute("1 + 1")        # Reply(status, text, error, seconds)
"""
import asyncio
import json
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field

from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest
from tornado.websocket import websocket_connect


@dataclass
class Reply:
    status: str                      # ok, error, timeout
    text: str = ""                   # stream output and text/plain of results and displays
    error: str = ""                  # ename: evalue and traceback text
    seconds: float = 0.0
    outputs: list = field(default_factory=list)


class Student:
    def __init__(self, cls, user, password=None):
        self.cls, self.user, self.password = cls, user, password
        self.public = f"http://{cls['ip']}:{cls['port']}"
        self.hub_api = f"http://{cls['hub_ip']}:{cls['hub_port']}/hub/api"
        self.http = AsyncHTTPClient(force_instance=True, defaults={"request_timeout": 300, "connect_timeout": 60})
        self.token = None
        self.cookies = {}
        self.kernel_id = None
        self.ws = None
        self.session = uuid.uuid4().hex

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        if self.ws is not None:
            self.ws.close()
        self.http.close()

    async def fetch(self, url, method="GET", body=None, token=None, raise_error=True, **kw):
        headers = kw.pop("headers", {})
        if token:
            headers["Authorization"] = f"token {token}"
        if body is not None and not isinstance(body, (str, bytes)):
            body = json.dumps(body)
            headers.setdefault("Content-Type", "application/json")
        req = HTTPRequest(url, method=method, body=body, headers=headers, follow_redirects=False,
                          allow_nonstandard_methods=True, **kw)
        return await self.http.fetch(req, raise_error=raise_error)

    async def login(self):
        """Logs in through the Hub's login form (PAM checks the system password); True on success."""
        r = await self.fetch(f"{self.public}/hub/login", method="POST", raise_error=False,
                             body=urllib.parse.urlencode({"username": self.user, "password": self.password}),
                             headers={"Content-Type": "application/x-www-form-urlencoded"})
        for c in r.headers.get_list("Set-Cookie"):
            k, v = c.split(";", 1)[0].split("=", 1)
            self.cookies[k] = v
        ok = r.code == 302 and "jupyterhub-session-id" in self.cookies
        if ok:
            # the token the rest of the session uses, asked for with the login cookie as a browser would
            # (the hub allows a cookie to make a token only for its own user)
            cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            t = await self.fetch(f"{self.public}/hub/api/users/{self.user}/tokens", method="POST",
                                 body={"note": "threadlab client", "expires_in": 7200}, raise_error=False,
                                 headers={"Cookie": cookie, "Referer": f"{self.public}/hub/token"})
            if t.code in (200, 201):
                self.token = json.loads(t.body)["token"]
        return ok

    async def use_admin_token(self):
        """A token for this user made with the class service's token (for when no password is at hand)."""
        r = await self.fetch(f"{self.hub_api}/users/{self.user}/tokens", method="POST",
                             body={"note": "threadlab client", "expires_in": 7200}, token=self.cls["service_token"])
        self.token = json.loads(r.body)["token"]

    async def start_server(self, timeout=240, queue_timeout=1800):
        """Asks the Hub for this user's server and waits until it is ready; returns the seconds it took.
        When the hub is starting as many servers as it allows at once (concurrent_spawn_limit), it
        answers 429 with a Retry-After and a message; like a student, this waits and asks again
        (self.throttled counts the refusals, self.queued the seconds), for up to queue_timeout seconds."""
        t0 = time.monotonic()
        self.throttled, self.queued = 0, 0.0
        while True:
            r = await self.fetch(f"{self.hub_api}/users/{self.user}/server", method="POST", body={}, token=self.token,
                                 raise_error=False)
            if r.code != 429 or time.monotonic() - t0 > queue_timeout:
                break
            self.throttled += 1
            self.throttle_message = json.loads(r.body or b"{}").get("message", "")
            await asyncio.sleep(float(r.headers.get("Retry-After") or 30))
        self.queued = time.monotonic() - t0
        if r.code not in (201, 202, 400):  # 400: already running
            raise RuntimeError(f"spawn of {self.user}: HTTP {r.code} {r.body[:200]!r}")
        while time.monotonic() - t0 < timeout:
            m = json.loads((await self.fetch(f"{self.hub_api}/users/{self.user}", token=self.token)).body)
            s = (m.get("servers") or {}).get("")
            if s and s.get("ready"):
                return time.monotonic() - t0
            if not s and time.monotonic() - t0 > 5:
                raise RuntimeError(f"the server of {self.user} stopped while starting (see the hub's log)")
            await asyncio.sleep(0.25)
        raise TimeoutError(f"the server of {self.user} was not ready after {timeout} s")

    def server(self, path):
        return f"{self.public}/user/{self.user}/{path}"

    async def contents_get(self, path):
        r = await self.fetch(self.server(f"api/contents/{path}?content=1"), token=self.token)
        return json.loads(r.body)

    async def contents_put(self, path, notebook):
        """Saves a notebook as the notebook page does (PUT /api/contents)."""
        await self.fetch(self.server(f"api/contents/{path}"), method="PUT", token=self.token,
                         body={"type": "notebook", "format": "json", "content": notebook})

    async def start_kernel(self, name="threadlab", timeout=180):
        """Starts a kernel on the user's server, opens its websocket and waits for it to answer; returns seconds."""
        t0 = time.monotonic()
        r = await self.fetch(self.server("api/kernels"), method="POST", body={"name": name}, token=self.token)
        self.kernel_id = json.loads(r.body)["id"]
        await self.connect(timeout)
        while time.monotonic() - t0 < timeout:
            msg_id = self._send("kernel_info_request", {})
            try:
                await asyncio.wait_for(self._until_reply(msg_id, "kernel_info_reply"), 10)
                return time.monotonic() - t0
            except asyncio.TimeoutError:
                continue
        raise TimeoutError(f"the kernel of {self.user} did not answer in {timeout} s")

    async def connect(self, timeout=180):
        """Opens the websocket to the kernel's channels (again, as the notebook page does after losing it)."""
        if self.ws is not None:
            self.ws.close()
        url = self.server(f"api/kernels/{self.kernel_id}/channels?session_id={self.session}").replace("http", "ws", 1)
        self.ws = await websocket_connect(HTTPRequest(url, headers={"Authorization": f"token {self.token}"},
                                                      # the server answers the upgrade once the kernel is up:
                                                      # on a loaded machine that takes most of the budget
                                                      connect_timeout=timeout, request_timeout=timeout),
                                          max_message_size=64 * 2**20)

    def _send(self, msg_type, content, channel="shell"):
        msg_id = uuid.uuid4().hex
        self.ws.write_message(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": msg_type, "username": self.user, "session": self.session,
                       "date": "", "version": "5.3"},
            "parent_header": {}, "metadata": {}, "content": content, "channel": channel, "buffers": []}))
        return msg_id

    async def _until_reply(self, msg_id, reply_type):
        while True:
            raw = await self.ws.read_message()
            if raw is None:
                raise ConnectionError("the kernel's websocket closed")
            m = json.loads(raw) if isinstance(raw, str) else None
            if m and m["parent_header"].get("msg_id") == msg_id and m["header"]["msg_type"] == reply_type:
                return m

    async def execute(self, code, timeout=120):
        """Runs one cell; the reply once the kernel is idle again (round trip in .seconds)."""
        t0 = time.monotonic()
        msg_id = self._send("execute_request", {"code": code, "silent": False, "store_history": True,
                                                "user_expressions": {}, "allow_stdin": False, "stop_on_error": False})
        reply = Reply("timeout")
        got_reply = idle = False

        async def collect():
            nonlocal got_reply, idle
            while not (got_reply and idle):
                raw = await self.ws.read_message()
                if raw is None:
                    raise ConnectionError("the kernel's websocket closed")
                if not isinstance(raw, str):
                    continue
                m = json.loads(raw)
                if m["parent_header"].get("msg_id") != msg_id:
                    continue
                t, c = m["header"]["msg_type"], m["content"]
                if t == "stream":
                    reply.text += c["text"]
                elif t in ("execute_result", "display_data"):
                    reply.text += c["data"].get("text/plain", "") + "\n"
                    reply.outputs.append(c)
                elif t == "error":
                    reply.error += f"{c['ename']}: {c['evalue']}\n" + "\n".join(c.get("traceback", []))
                elif t == "status" and c["execution_state"] == "idle":
                    idle = True
                elif t == "execute_reply":
                    got_reply = True
                    reply.status = c["status"]
        try:
            await asyncio.wait_for(collect(), timeout)
        except asyncio.TimeoutError:
            reply.status = "timeout"
        reply.seconds = time.monotonic() - t0
        return reply

    async def stop_server(self):
        r = await self.fetch(f"{self.hub_api}/users/{self.user}/server", method="DELETE", token=self.token,
                             raise_error=False)
        return r.code


def http_error_code(e):
    return e.code if isinstance(e, HTTPClientError) else None
