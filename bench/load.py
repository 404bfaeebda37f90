"""A small load tool: signed-in clients requesting one page at once against a server on loopback.

Each client is a thread with its own `http.client` connection and its own session: it signs in
through the sign-in form (as a browser would: the form's CSRF token, then the posted password),
then requests the page until the run has made its number of requests or its time is up.
Standard library only, so it adds nothing to Evne's dependencies.
"""

from __future__ import annotations

import http.client
import math
import re
import statistics
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


class SignInFailed(Exception):
    pass


class Client:
    """One browser: a connection (reopened whenever the server closes it) and its cookies."""

    def __init__(self, host: str, port: int, timeout: float = 60):
        self.connection = http.client.HTTPConnection(host, port, timeout=timeout)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, bytes]:
        headers = {"Accept-Language": "nb"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.connection.request(method, path, body=data, headers=headers)
            response = self.connection.getresponse()
        except (ConnectionError, http.client.RemoteDisconnected):
            # The server closed a kept-alive connection between requests: open a new one.
            self.connection.close()
            self.connection.request(method, path, body=data, headers=headers)
            response = self.connection.getresponse()
        content = response.read()
        for header in response.msg.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, content

    def sign_in(self, login_path: str, username: str, password: str) -> None:
        status, page = self.request("GET", login_path)
        token = CSRF_FIELD.search(page)
        if status != 200 or token is None:
            raise SignInFailed(f"sign-in page answered {status}")
        status, _ = self.request(
            "POST",
            login_path,
            {
                "csrfmiddlewaretoken": token.group(1).decode(),
                "username": username,
                "password": password,
            },
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise SignInFailed(f"sign-in answered {status} without a session")

    def close(self) -> None:
        self.connection.close()


@dataclass
class LoadResult:
    clients: int
    seconds: float  # wall clock of the measured part
    timings: list[float] = field(default_factory=list)  # milliseconds, successful requests
    errors: dict[str, int] = field(default_factory=dict)  # what went wrong, how often

    @property
    def requests(self) -> int:
        return len(self.timings) + sum(self.errors.values())

    def percentile(self, share: float) -> float:
        """Nearest-rank percentile of the successful requests' times, in milliseconds."""
        ordered = sorted(self.timings)
        return ordered[max(1, math.ceil(len(ordered) * share)) - 1]

    @property
    def median(self) -> float:
        return statistics.median(self.timings)


def run_load(
    host: str,
    port: int,
    path: str,
    *,
    login_path: str,
    username: str,
    password: str,
    clients: int = 20,
    max_requests: int = 400,
    max_seconds: float = 60,
    warmup_per_client: int = 1,
) -> LoadResult:
    """Sign `clients` sessions in, let each request `path` `warmup_per_client` times unmeasured
    (the server's first requests load templates and translations), then all at once until
    `max_requests` requests are made or `max_seconds` have passed."""
    sessions = [Client(host, port) for _ in range(clients)]
    for session in sessions:
        session.sign_in(login_path, username, password)
        for _ in range(warmup_per_client):
            session.request("GET", path)

    lock = threading.Lock()
    remaining = [max_requests]
    result = LoadResult(clients=clients, seconds=0.0)
    start_gate = threading.Barrier(clients + 1)
    deadline = [0.0]

    def take_turn() -> bool:
        with lock:
            if remaining[0] <= 0 or time.perf_counter() >= deadline[0]:
                return False
            remaining[0] -= 1
            return True

    def work(session: Client) -> None:
        start_gate.wait()
        while take_turn():
            started = time.perf_counter()
            try:
                status, _ = session.request("GET", path)
            except (OSError, http.client.HTTPException) as error:
                outcome = type(error).__name__
            else:
                outcome = None if status == 200 else f"HTTP {status}"
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                if outcome is None:
                    result.timings.append(elapsed)
                else:
                    result.errors[outcome] = result.errors.get(outcome, 0) + 1

    threads = [threading.Thread(target=work, args=(session,)) for session in sessions]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    deadline[0] = began + max_seconds
    start_gate.wait()
    for thread in threads:
        thread.join()
    result.seconds = time.perf_counter() - began
    for session in sessions:
        session.close()
    return result
