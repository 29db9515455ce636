"""Runs the real acs-sim and cwmp-agent binaries on loopback for the
end-to-end test and the demo. Standard library only.

Every process started here is stopped when the Harness context exits, also
when the test fails; every wait is bounded in time.
"""
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request


class HarnessError(Exception):
    pass


# The first line of a sanitizer report in a program's output.
_SANITIZER_REPORT = re.compile(
    r"ERROR: (AddressSanitizer|LeakSanitizer)|WARNING: ThreadSanitizer|"
    r":\d+:\d+: runtime error: |SUMMARY: UndefinedBehaviorSanitizer")


def is_sanitized(program):
    """True when the executable was built with AddressSanitizer (the
    sanitizer build, `make test-sanitizers`): its memory figures are then
    the sanitizer's (shadow memory, the quarantine of freed blocks), not
    the program's."""
    marker = b"__asan_init"
    with open(program, "rb") as f:
        overlap = b""
        while chunk := f.read(1 << 20):
            if marker in overlap + chunk:
                return True
            overlap = chunk[-len(marker):]
    return False


def wait_for(what, predicate, timeout, interval=0.1):
    """Polls predicate() until it returns a truthy value or timeout seconds pass."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise HarnessError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


class Harness:
    def __init__(self, bin_dir, keep_dir=False):
        self.bin_dir = os.path.abspath(bin_dir)
        self.keep_dir = keep_dir
        self.workdir = tempfile.mkdtemp(prefix="phonecwmp-e2e-")
        self.processes = []
        self.cwmp_endpoint = None
        self.nbi_endpoint = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop_all()
        # Read before the folder goes; raised after, so nothing is left behind.
        reports = self.sanitizer_reports()
        if not self.keep_dir:
            shutil.rmtree(self.workdir, ignore_errors=True)
        if reports:
            raise HarnessError("sanitizer report from a program under test:\n" +
                               "\n".join(reports))
        return False

    # ---- processes ---------------------------------------------------------

    def _spawn(self, name, args):
        runs = sum(1 for n, *_ in self.processes if n == name)
        log_path = os.path.join(self.workdir, f"{name}.{runs + 1}.log")
        log = open(log_path, "wb")
        process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, start_new_session=True)
        self.processes.append((name, process, log, log_path))
        return process

    def stop(self, process):
        for name, p, log, _ in self.processes:
            if p is process and p.poll() is None:
                p.send_signal(signal.SIGTERM)
                try:
                    p.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    os.killpg(p.pid, signal.SIGKILL)
                    p.wait(timeout=5)

    def stop_all(self):
        for name, process, log, _ in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for name, process, log, _ in self.processes:
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)
            log.close()

    def sanitizer_reports(self):
        """The logs of stopped programs that hold an ASan/LSan/UBSan/TSan
        report, or that died of the abort() a sanitizer report ends with
        (abort_on_error / halt_on_error in the sanitizer build, where reports
        may also go to files of their own: see the Makefile)."""
        found = []
        for name, process, _, path in self.processes:
            with open(path, "r", encoding="utf-8", errors="replace") as f:
                text = f.read()
            match = _SANITIZER_REPORT.search(text)
            if match:
                found.append(f"---- {os.path.basename(path)} ----\n" + text[match.start():][:8000])
            elif process.returncode == -signal.SIGABRT:
                found.append(f"---- {os.path.basename(path)}: {name} aborted ----\n" + text[-4000:])
        return found

    def log(self, name, run=None):
        """The output of every run of a program so far, or of run N (1-based)."""
        text = []
        runs = [(log, path) for n, _, log, path in self.processes if n == name]
        if run is not None:
            runs = runs[run - 1:run]
        for log, path in runs:
            log.flush()
            with open(path, "r", encoding="utf-8", errors="replace") as f:
                text.append(f.read())
        return "".join(text)

    def print_logs_if_failed(self, testcase):
        """For addCleanup: shows both programs' logs when `testcase` failed."""
        result = getattr(getattr(testcase, "_outcome", None), "result", None)
        if getattr(result, "errors", []) or getattr(result, "failures", []):
            print("---- acs-sim log ----\n" + self.log("acs-sim"))
            print("---- cwmp-agent log ----\n" + self.log("cwmp-agent"))

    def start_acs_sim(self, cwmp_listen="127.0.0.1:0", db=None, options=None):
        """db: the registry's SQLite file; by default one in the harness's
        folder, so no test writes into the folder it runs from. options:
        extra command-line options (a list). What acs-sim wrote in its ready
        file is kept in self.acs_ready."""
        ready = os.path.join(self.workdir, "acs-sim.ready.json")
        if os.path.exists(ready):
            os.remove(ready)  # a restart must not read the previous run's endpoints
        db = db or os.path.join(self.workdir, "acs-sim.sqlite")
        process = self._spawn("acs-sim", [
            os.path.join(self.bin_dir, "acs-sim"),
            "--cwmp-listen", cwmp_listen, "--nbi-listen", "127.0.0.1:0",
            "--ready-file", ready, "--log-level", "info", "--db", db] + list(options or []))

        def endpoints():
            if process.poll() is not None:
                raise HarnessError("acs-sim exited early:\n" + self.log("acs-sim"))
            try:
                with open(ready, encoding="utf-8") as f:
                    return json.load(f)
            except (OSError, ValueError):
                return None

        info = wait_for("acs-sim to listen", endpoints, timeout=15)
        self.acs_ready = info
        self.cwmp_endpoint = _endpoint(info, "cwmp")
        self.nbi_endpoint = _endpoint(info, "nbi")
        return process

    def start_agent(self, acs_url, values, state_dir=None, options=None, wrapper=None):
        """options: extra command-line options (a list). Without a
        --cr-listen among them, the connection-request server listens on a
        free loopback port, so that tests never take the default 7547.
        wrapper: a command line the agent's is appended to (e.g. unshare or
        nsenter); it must exec the agent so that signals reach it."""
        state_dir = state_dir or os.path.join(self.workdir, "agent-state")
        options = list(options or [])
        if "--cr-listen" not in options:
            options += ["--cr-listen", "127.0.0.1:0"]
        args = list(wrapper or []) + [
            os.path.join(self.bin_dir, "cwmp-agent"), "--acs-url", acs_url,
            "--state-dir", state_dir, "--log-level", "info"] + options
        for path, value in values.items():
            args += ["--set", f"{path}={value}"]
        return self._spawn("cwmp-agent", args)

    @property
    def acs_url(self):
        return f"http://{self.cwmp_endpoint}/"

    # ---- northbound API ------------------------------------------------------

    def nbi(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(f"http://{self.nbi_endpoint}{path}", data=data,
                                         method=method,
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                text = response.read().decode()
                return response.status, (json.loads(text) if text else None)
        except urllib.error.HTTPError as error:
            text = error.read().decode()
            try:
                return error.code, json.loads(text)
            except ValueError:
                return error.code, text

    def devices(self, query=None, projection=None):
        params = {}
        if query is not None:
            params["query"] = json.dumps(query)
        if projection is not None:
            params["projection"] = projection
        suffix = "?" + urllib.parse.urlencode(params) if params else ""
        status, body = self.nbi("GET", "/devices" + suffix)
        if status != 200:
            raise HarnessError(f"GET /devices answered {status}: {body}")
        return body

    def device_by_serial(self, serial, projection=None):
        """The NBI document of the device with this serial number, or None."""
        for device in self.devices(projection=projection):
            if device.get("_deviceId", {}).get("_SerialNumber") == serial:
                return device
        return None

    def queue_task(self, device_id, task):
        status, body = self.nbi("POST", "/devices/" + urllib.parse.quote(device_id, safe="")
                                + "/tasks", task)
        if status not in (200, 202):
            raise HarnessError(f"POST task answered {status}: {body}")
        return body

    def pending_tasks(self, device_id):
        query = urllib.parse.urlencode({"query": json.dumps({"device": device_id})})
        status, body = self.nbi("GET", "/tasks?" + query)
        if status != 200:
            raise HarnessError(f"GET /tasks answered {status}: {body}")
        return body


def free_loopback_port():
    """A TCP port on 127.0.0.1 that nothing listens on at the time of asking."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _endpoint(info, kind):
    """Finds the HOST:PORT of the cwmp or nbi listener in the ready file."""
    for key, value in info.items():
        if kind in key.lower():
            if isinstance(value, dict):
                return f"{value.get('host', '127.0.0.1')}:{value['port']}"
            return str(value).replace("http://", "").rstrip("/")
    raise HarnessError(f"ready file has no {kind} endpoint: {info}")


def parameter(device, path):
    """The {_value, _type, _timestamp, ...} leaf of a GenieACS-shaped device document."""
    node = device
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def curl_digest(url, username, password, timeout=10):
    """The real `curl --digest` on url; returns the final HTTP status (0 when
    curl could not connect)."""
    result = subprocess.run(
        ["curl", "--digest", "-u", f"{username}:{password}", "--silent", "--globoff",
         "--output", "/dev/null", "--write-out", "%{http_code}", "--max-time", str(timeout),
         "--noproxy", "*", url],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, timeout=timeout + 5, check=False)
    text = result.stdout.decode().strip()
    return int(text) if text.isdigit() else 0
