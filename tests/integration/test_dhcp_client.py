"""The agent's DHCPv4 client (tests/integration/dhcp_client_probe) against the
real dnsmasq, in two network namespaces joined by a veth pair that each test
creates and always removes. 10.231.0.0/24 exists only inside them.

Needs root, `ip` with netns support and dnsmasq; skipped with the reason
otherwise (CI runs as root).
"""

import itertools
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
import unittest

PROBE = os.environ.get("PHONECWMP_DHCP_PROBE", "")
BUSYBOX = shutil.which("busybox")
SERVER_ADDRESS = "10.231.0.1"
ACS_URL = "http://10.231.0.1:7547/acs"
_counter = itertools.count()


def _skip_reason():
    if os.geteuid() != 0:
        return "needs root to create network namespaces"
    for tool in ("ip", "dnsmasq"):
        if shutil.which(tool) is None and not os.path.exists(f"/usr/sbin/{tool}"):
            return f"{tool} not installed"
    if not PROBE or not os.path.exists(PROBE):
        return "PHONECWMP_DHCP_PROBE does not name the built dhcp_client_probe"
    probe = subprocess.run(["ip", "netns", "list"], capture_output=True, timeout=10)
    if probe.returncode != 0:
        return "ip netns unavailable: " + probe.stderr.decode(errors="replace").strip()
    return None


SKIP_REASON = _skip_reason()


def run(*command, check=True, timeout=10):
    result = subprocess.run(list(command), capture_output=True, text=True, timeout=timeout)
    if check and result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed: {result.stderr.strip()}")
    return result


def hex_option(data: bytes) -> str:
    """dnsmasq's spelling of raw option bytes."""
    return ":".join(f"{b:02x}" for b in data)


def suboption(code: int, value: bytes) -> bytes:
    return bytes([code, len(value)]) + value


@unittest.skipIf(SKIP_REASON is not None, SKIP_REASON or "")
class DhcpClientAgainstDnsmasq(unittest.TestCase):
    def setUp(self):
        tag = f"{os.getpid()}x{next(_counter)}"
        self.server_ns = f"pcdhcp-s-{tag}"
        self.client_ns = f"pcdhcp-c-{tag}"
        # Interface names have at most 15 characters.
        self.server_if = f"pcs{tag}"[:15]
        self.client_if = f"pcc{tag}"[:15]
        self.work = tempfile.TemporaryDirectory(prefix="phonecwmp-dhcp-")
        self.addCleanup(self.work.cleanup)
        self.lease_file = os.path.join(self.work.name, "leases")
        self.dnsmasq = None
        self._pending = {}

        run("ip", "netns", "add", self.server_ns)
        self.addCleanup(run, "ip", "netns", "del", self.server_ns, check=False)
        run("ip", "netns", "add", self.client_ns)
        self.addCleanup(run, "ip", "netns", "del", self.client_ns, check=False)
        run("ip", "link", "add", self.server_if, "netns", self.server_ns, "type", "veth",
            "peer", "name", self.client_if, "netns", self.client_ns)
        run("ip", "-n", self.server_ns, "addr", "add", f"{SERVER_ADDRESS}/24", "dev",
            self.server_if)
        for ns, interface in ((self.server_ns, self.server_if), (self.client_ns, self.client_if)):
            run("ip", "-n", ns, "link", "set", "lo", "up")
            run("ip", "-n", ns, "link", "set", interface, "up")

    def start_dnsmasq(self, *lines, lease="2m"):
        conf = os.path.join(self.work.name, "dnsmasq.conf")
        with open(conf, "w", encoding="ascii") as out:
            out.write("\n".join([
                "port=0",
                f"interface={self.server_if}",
                "bind-interfaces",
                "no-ping",
                "user=root",
                f"dhcp-range=10.231.0.100,10.231.0.150,255.255.255.0,{lease}",
                f"dhcp-leasefile={self.lease_file}",
                "log-dhcp",
                *lines,
            ]) + "\n")
        self.dnsmasq_log = open(os.path.join(self.work.name, "dnsmasq.log"), "w+")
        self.addCleanup(self.dnsmasq_log.close)
        self.dnsmasq = subprocess.Popen(
            ["ip", "netns", "exec", self.server_ns, "dnsmasq", "--no-daemon",
             f"--conf-file={conf}", "--pid-file="],
            stdout=self.dnsmasq_log, stderr=subprocess.STDOUT)
        self.addCleanup(self.stop_process, self.dnsmasq)
        # Ready once it has opened its DHCP socket: bounded poll of its log.
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            self.assertIsNone(self.dnsmasq.poll(), self.dnsmasq_text())
            if "DHCP, IP range" in self.dnsmasq_text():
                return
            time.sleep(0.05)
        self.fail("dnsmasq did not start: " + self.dnsmasq_text())

    def dnsmasq_text(self):
        self.dnsmasq_log.flush()
        with open(self.dnsmasq_log.name, encoding="utf-8", errors="replace") as log:
            return log.read()

    @staticmethod
    def stop_process(process):
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)

    def start_probe(self, *options, events=1, timeout=20):
        process = subprocess.Popen(
            ["ip", "netns", "exec", self.client_ns, PROBE, "--interface", self.client_if,
             "--events", str(events), "--timeout", str(timeout), "--log-level", "info",
             *options],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.addCleanup(self.stop_process, process)
        self.addCleanup(process.stdout.close)
        self.addCleanup(process.stderr.close)
        return process

    def read_event(self, process, timeout):
        """The next JSON line of the probe, read straight from the pipe (no
        buffered file object, so select() and the reads agree)."""
        pending = self._pending.setdefault(process.pid, b"")
        deadline = time.monotonic() + timeout
        fd = process.stdout.fileno()
        while b"\n" not in pending:
            remaining = deadline - time.monotonic()
            readable, _, _ = select.select([fd], [], [], max(remaining, 0))
            if not readable:
                self.fail(f"no event from the probe within {timeout} s; dnsmasq said:\n"
                          + self.dnsmasq_text())
            chunk = os.read(fd, 4096)
            if not chunk:
                self.fail("probe exited early: " + self.finish(process))
            pending += chunk
        line, _, rest = pending.partition(b"\n")
        self._pending[process.pid] = rest
        return json.loads(line)

    def finish(self, process):
        """The probe's log once it has exited (bounded wait)."""
        self.stop_process(process)
        return process.stderr.read().decode(errors="replace")

    def run_probe(self, *options, events=1, timeout=20):
        process = self.start_probe(*options, events=events, timeout=timeout)
        out, err = (data.decode(errors="replace")
                    for data in process.communicate(timeout=timeout + 10))
        lines = [json.loads(line) for line in out.splitlines() if line.strip()]
        self.assertEqual(process.returncode, 0,
                         f"probe failed: {err}\nstdout: {out}\ndnsmasq:\n{self.dnsmasq_text()}")
        self.assertEqual(lines[-1]["event"], "exit")
        return lines[:-1], lines[-1]

    def leases(self):
        with open(self.lease_file, encoding="ascii") as leases:
            return leases.read()

    def wait_for_release(self, address):
        """A DHCPRELEASE gets no answer: the probe may exit before dnsmasq
        has read it. Bounded poll of dnsmasq's log and lease file; the
        caller's assertions report a timeout."""
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if "DHCPRELEASE" in self.dnsmasq_text() and address not in self.leases():
                return
            time.sleep(0.05)

    def acquire(self, *options):
        events, _ = self.run_probe(*options)
        self.assertEqual(len(events), 1)
        self.assertEqual(events[0]["event"], "acquired")
        self.assertEqual(events[0]["server"], SERVER_ADDRESS)
        self.assertEqual(events[0]["routers"], [SERVER_ADDRESS])
        return events[0]

    # --- ACS discovery -------------------------------------------------

    def test_option43_suboptions_one_to_four(self):
        self.start_dnsmasq(
            f'dhcp-option=vendor:dslforum.org,1,"{ACS_URL}"',
            'dhcp-option=vendor:dslforum.org,2,"PC-1"',
            # Unquoted numbers: dnsmasq sends them as binary integers.
            "dhcp-option=vendor:dslforum.org,3,30",
            "dhcp-option=vendor:dslforum.org,4,2500")
        lease = self.acquire()
        self.assertEqual(lease["acs"], {
            "source": "DHCPv4 option 43", "url": ACS_URL, "provisioning_code": "PC-1",
            "retry_minimum_wait_interval": 30, "retry_interval_multiplier": 2500})

    def test_option125_only(self):
        self.start_dnsmasq(
            "dhcp-vendorclass=set:cwmp,dslforum.org",
            'dhcp-option=tag:cwmp,vi-encap:3561,11,"http://10.231.0.1:7547/via125"',
            'dhcp-option=tag:cwmp,vi-encap:3561,12,"PC-125"')
        lease = self.acquire()
        self.assertEqual(lease["option43"], "")
        self.assertEqual(lease["acs"]["source"], "DHCPv4 option 125")
        self.assertEqual(lease["acs"]["url"], "http://10.231.0.1:7547/via125")
        self.assertEqual(lease["acs"]["provisioning_code"], "PC-125")

    def test_both_options_prefer_the_one_requested_first(self):
        self.start_dnsmasq(
            "dhcp-vendorclass=set:cwmp,dslforum.org",
            f'dhcp-option=vendor:dslforum.org,1,"{ACS_URL}"',
            'dhcp-option=tag:cwmp,vi-encap:3561,11,"http://10.231.0.1:7547/via125"')
        lease = self.acquire()
        self.assertNotEqual(lease["option125"], "")
        # Option 55 lists 43 before 125.
        self.assertEqual(lease["acs"]["source"], "DHCPv4 option 43")
        self.assertEqual(lease["acs"]["url"], ACS_URL)

    def test_bare_url_as_option43(self):
        url = "http://10.231.0.1:7547/bare"
        self.start_dnsmasq(f"dhcp-option=43,{hex_option(url.encode())}")
        lease = self.acquire()
        self.assertEqual(lease["acs"]["url"], url)
        self.assertNotIn("provisioning_code", lease["acs"])

    def test_reversed_suboptions_with_trailing_pad(self):
        value = (suboption(4, (2500).to_bytes(2, "big")) + suboption(3, b"45")
                 + suboption(2, b"REV") + suboption(1, ACS_URL.encode()) + b"\xff")
        self.start_dnsmasq(f"dhcp-option=43,{hex_option(value)}")
        lease = self.acquire()
        self.assertEqual(lease["acs"], {
            "source": "DHCPv4 option 43", "url": ACS_URL, "provisioning_code": "REV",
            "retry_minimum_wait_interval": 45, "retry_interval_multiplier": 2500})

    def test_option43_only_for_the_dslforum_vendor_class(self):
        value = suboption(1, ACS_URL.encode())
        self.start_dnsmasq("dhcp-vendorclass=set:tr069,dslforum.org",
                           f"dhcp-option=tag:tr069,43,{hex_option(value)}")
        without = self.acquire("--no-vendor-class")
        self.assertEqual(without["option43"], "")
        self.assertIsNone(without["acs"])
        with_class = self.acquire()
        self.assertEqual(with_class["acs"]["url"], ACS_URL)

    # --- reference client ----------------------------------------------

    def run_udhcpc(self):
        """busybox udhcpc in the client namespace, asking for options 43 and 125
        with the vendor class dslforum.org; returns the environment its script
        saw at "bound" (udhcpc hands options to the script as variables)."""
        dump = os.path.join(self.work.name, "udhcpc-bound.env")
        script = os.path.join(self.work.name, "udhcpc-script")
        with open(script, "w", encoding="ascii") as out:
            # Records the lease only: configuring the interface is not under test.
            out.write(f'#!/bin/sh\n[ "$1" = bound ] && env > "{dump}"\nexit 0\n')
        os.chmod(script, 0o755)
        # -n -q: exit once bound or after the discovers (-t 3 -T 1) failed.
        result = run("ip", "netns", "exec", self.client_ns, BUSYBOX, "udhcpc", "-i",
                     self.client_if, "-V", "dslforum.org", "-O", "43", "-O", "125", "-n", "-q",
                     "-f", "-t", "3", "-T", "1", "-s", script, check=False, timeout=30)
        self.assertEqual(result.returncode, 0,
                         f"udhcpc failed: {result.stderr}\ndnsmasq:\n{self.dnsmasq_text()}")
        self.assertTrue(os.path.exists(dump), "udhcpc never ran its script with 'bound'")
        with open(dump, encoding="utf-8", errors="replace") as env:
            return dict(line.split("=", 1) for line in env.read().splitlines() if "=" in line)

    @unittest.skipIf(BUSYBOX is None, "busybox not installed: no reference DHCP client")
    def test_reference_client_udhcpc_receives_the_same_option_bytes(self):
        self.start_dnsmasq(
            "dhcp-vendorclass=set:cwmp,dslforum.org",
            f'dhcp-option=vendor:dslforum.org,1,"{ACS_URL}"',
            'dhcp-option=vendor:dslforum.org,2,"PC-REF"',
            'dhcp-option=tag:cwmp,vi-encap:3561,11,"http://10.231.0.1:7547/via125"',
            'dhcp-option=tag:cwmp,vi-encap:3561,12,"PC-125"')
        lease = self.acquire()
        reference = self.run_udhcpc()
        self.assertNotEqual(lease["option43"], "")
        self.assertNotEqual(lease["option125"], "")
        self.assertEqual(reference.get("opt43", "").lower(), lease["option43"],
                         f"udhcpc environment: {reference}")
        self.assertEqual(reference.get("opt125", "").lower(), lease["option125"],
                         f"udhcpc environment: {reference}")
        # Both clients saw the same server and router.
        self.assertEqual(reference.get("serverid"), SERVER_ADDRESS)
        self.assertEqual(reference.get("router"), SERVER_ADDRESS)

    # --- lease life cycle ----------------------------------------------

    def test_release_on_stop_removes_the_lease(self):
        self.start_dnsmasq()
        lease = self.acquire()
        self.wait_for_release(lease["address"])
        self.assertNotIn(lease["address"], self.leases())
        self.assertIn("DHCPRELEASE", self.dnsmasq_text())

    def test_without_release_the_lease_stays_and_init_reboot_confirms_it(self):
        self.start_dnsmasq()
        events, exit_line = self.run_probe("--no-release")
        self.assertFalse(exit_line["released"])
        address = events[0]["address"]
        self.assertIn(address, self.leases())
        again = self.acquire("--remembered", address)
        self.assertEqual(again["address"], address)
        self.assertNotIn("previous_address", again)
        # INIT-REBOOT: a REQUEST without a DISCOVER first.
        self.assertEqual(self.dnsmasq_text().count("DHCPDISCOVER"), 1)

    def test_renews_by_unicast_at_t1(self):
        # dnsmasq leases last at least 2 minutes, but T1 can be set freely.
        self.start_dnsmasq("dhcp-option=option:T1,5", "dhcp-option=option:T2,100")
        probe = self.start_probe(events=2, timeout=60)
        first = self.read_event(probe, 20)
        self.assertEqual(first["event"], "acquired")
        self.assertEqual(first["renewal_time"], 5)
        # Configure the lease as the network subsystem would, so the UDP
        # socket of RENEWING can bind the address.
        run("ip", "-n", self.client_ns, "addr", "add", f"{first['address']}/24", "dev",
            self.client_if)
        # Waiting far less than T2 (100 s): a renewal seen is RENEWING's
        # unicast, not a REBINDING broadcast.
        second = self.read_event(probe, 40)
        if second["event"] != "renewed":
            # Only now: finish() stops the probe, which must otherwise go on
            # to release the lease and exit by itself.
            self.fail(f"not renewed: {second}\nprobe: {self.finish(probe)}"
                      f"\ndnsmasq:\n{self.dnsmasq_text()}")
        self.assertEqual(second["address"], first["address"])
        exit_line = self.read_event(probe, 10)
        self.assertEqual(exit_line["event"], "exit")
        self.assertTrue(exit_line["released"])
        self.assertEqual(probe.wait(timeout=10), 0)
        self.wait_for_release(first["address"])
        self.assertEqual(self.dnsmasq_text().count("DHCPDISCOVER"), 1)
        self.assertNotIn(first["address"], self.leases())

    def move_the_client_while_bound(self, rebinding_time, wait):
        """Acquires a lease with T1 8 s and T2 `rebinding_time`, then restarts
        dnsmasq authoritative with a host entry for the client's MAC at
        another address, so that the next RENEW or REBIND is NAKed. Returns
        the first lease, the moved-to address and the events that followed
        (at most three, up to the first one carrying the new address, each
        within `wait` seconds)."""
        lease_times = ["dhcp-option=option:T1,8", f"dhcp-option=option:T2,{rebinding_time}"]
        self.start_dnsmasq(*lease_times)
        probe = self.start_probe(events=3, timeout=rebinding_time + 60)
        first = self.read_event(probe, 20)
        self.assertEqual(first["event"], "acquired")
        self.assertEqual(first["rebinding_time"], rebinding_time)
        # Configured as the network subsystem would, so that RENEWING's UDP
        # socket can bind the address.
        run("ip", "-n", self.client_ns, "addr", "add", f"{first['address']}/24", "dev",
            self.client_if)
        link = json.loads(run("ip", "-n", self.client_ns, "-j", "link", "show", "dev",
                              self.client_if).stdout)
        moved = "10.231.0.77"
        self.assertNotEqual(first["address"], moved)

        self.stop_process(self.dnsmasq)
        self.start_dnsmasq(*lease_times, f"dhcp-host={link[0]['address']},{moved}",
                           "dhcp-authoritative")
        seen = []
        for _ in range(3):
            event = self.read_event(probe, wait)
            seen.append(event)
            if event.get("address") == moved or event["event"] in ("renewed", "exit"):
                break
        return first, moved, seen

    def assert_moved(self, first, moved, seen):
        """"address-changed" at once, or "lost" (the NAK) then a new lease."""
        last = seen[-1]
        self.assertIn(last["event"], ("address-changed", "acquired"),
                      f"events {seen}\ndnsmasq:\n{self.dnsmasq_text()}")
        self.assertEqual(last["address"], moved, f"events {seen}")
        if last["event"] == "address-changed":
            self.assertEqual(last["previous_address"], first["address"])
        else:
            self.assertEqual([e["event"] for e in seen], ["lost", "acquired"])
            self.assertIn("DHCPNAK", seen[0]["reason"])
        self.assertIn("DHCPNAK", self.dnsmasq_text())
        self.assertIn(f"DHCPACK({self.server_if}) {moved}", self.dnsmasq_text())

    def test_lease_renewal_with_a_changed_address(self):
        # T2 14 s: the NAK is heard at the latest when REBINDING broadcasts.
        self.assert_moved(*self.move_the_client_while_bound(14, wait=30))

    # dnsmasq broadcasts its DHCPNAK (RFC 2131 §4.1, giaddr 0) to the RENEW
    # the client unicast; a socket bound to the leased address receives no
    # broadcasts, so RENEWING also listens on 255.255.255.255:68
    # (Dhcpv4SocketTransport::open_unicast) and hears the NAK at once.
    def test_nak_to_the_renew_is_heard_while_renewing(self):
        # T2 100 s: within 25 s of T1 only RENEWING can meet the NAK.
        first, moved, seen = self.move_the_client_while_bound(100, wait=25)
        self.assert_moved(first, moved, seen)

    def test_decline_gets_another_address(self):
        self.start_dnsmasq()
        # acquired, lost (declined), acquired again after the 10 s pause.
        events, _ = self.run_probe("--decline-first", events=3, timeout=40)
        self.assertEqual([e["event"] for e in events], ["acquired", "lost", "acquired"])
        self.assertIn("declined", events[1]["reason"])
        self.assertNotEqual(events[2]["address"], events[0]["address"])
        self.assertGreaterEqual(events[2]["elapsed_ms"] - events[1]["elapsed_ms"], 10_000)
        self.assertIn("DHCPDECLINE", self.dnsmasq_text())

    def test_no_server_times_out_cleanly(self):
        process = self.start_probe(timeout=2)
        out = process.communicate(timeout=15)[0].decode(errors="replace")
        self.assertEqual(process.returncode, 2)
        exit_line = json.loads(out.splitlines()[-1])
        self.assertTrue(exit_line["timed_out"])
        self.assertEqual(exit_line["state"], "SELECTING")


if __name__ == "__main__":
    unittest.main()
