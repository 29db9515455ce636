"""The agent's DHCPv6 client (tests/integration/dhcp_client_probe --v6)
against the real dnsmasq DHCPv6 server, in two network namespaces joined by
a veth pair that each test creates and always removes. fd00:231::/64 exists
only inside them.

dnsmasq sends option 17 with enterprise 3561 through
`dhcp-option=tag:T,vi-encap:3561,option6:N,...`, the tag set by
`dhcp-vendorclass=set:T,enterprise:3561,dslforum.org` from the client's
option 16. Its DHCPv6 leases last at least 2 minutes with T1 = 60 s, so the
renewal test waits a minute.

Needs root, `ip` with netns support and dnsmasq; skipped with the reason
otherwise (CI runs as root).
"""

import itertools
import json
import os
import select
import subprocess
import tempfile
import time
import unittest

from test_dhcp_client import PROBE, SKIP_REASON, run

SERVER_ADDRESS = "fd00:231::1"
DNS_SERVER = "fd00:231::53"
NTP_SERVER = "fd00:231::123"
ACS_URL = "http://[fd00:231::1]:7547/acs"
_counter = itertools.count()


def stop_process(process):
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


@unittest.skipIf(SKIP_REASON is not None, SKIP_REASON or "")
class Dhcpv6ClientAgainstDnsmasq(unittest.TestCase):
    def setUp(self):
        tag = f"{os.getpid()}x{next(_counter)}"
        self.server_ns = f"pcdhcp6-s-{tag}"
        self.client_ns = f"pcdhcp6-c-{tag}"
        self.server_if = f"p6s{tag}"[:15]
        self.client_if = f"p6c{tag}"[:15]
        self.work = tempfile.TemporaryDirectory(prefix="phonecwmp-dhcp6-")
        self.addCleanup(self.work.cleanup)
        self.lease_file = os.path.join(self.work.name, "leases")
        self._pending = {}

        run("ip", "netns", "add", self.server_ns)
        self.addCleanup(run, "ip", "netns", "del", self.server_ns, check=False)
        run("ip", "netns", "add", self.client_ns)
        self.addCleanup(run, "ip", "netns", "del", self.client_ns, check=False)
        run("ip", "link", "add", self.server_if, "netns", self.server_ns, "type", "veth",
            "peer", "name", self.client_if, "netns", self.client_ns)
        run("ip", "-n", self.server_ns, "addr", "add", f"{SERVER_ADDRESS}/64", "dev",
            self.server_if, "nodad")
        for ns, interface in ((self.server_ns, self.server_if), (self.client_ns, self.client_if)):
            run("ip", "-n", ns, "link", "set", "lo", "up")
            run("ip", "-n", ns, "link", "set", interface, "up")

    def start_dnsmasq(self, *lines):
        conf = os.path.join(self.work.name, "dnsmasq.conf")
        with open(conf, "w", encoding="ascii") as out:
            out.write("\n".join([
                "port=0",
                f"interface={self.server_if}",
                "bind-interfaces",
                "user=root",
                "dhcp-range=fd00:231::10,fd00:231::50,64,2m",
                f"dhcp-leasefile={self.lease_file}",
                "log-dhcp",
                f"dhcp-option=option6:dns-server,[{DNS_SERVER}]",
                f"dhcp-option=option6:ntp-server,[{NTP_SERVER}]",
                *lines,
            ]) + "\n")
        self.dnsmasq_log = open(os.path.join(self.work.name, "dnsmasq.log"), "w+")
        self.addCleanup(self.dnsmasq_log.close)
        self.dnsmasq = subprocess.Popen(
            ["ip", "netns", "exec", self.server_ns, "dnsmasq", "--no-daemon",
             f"--conf-file={conf}", "--pid-file="],
            stdout=self.dnsmasq_log, stderr=subprocess.STDOUT)
        self.addCleanup(stop_process, self.dnsmasq)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            self.assertIsNone(self.dnsmasq.poll(), self.dnsmasq_text())
            if "DHCPv6, IP range" in self.dnsmasq_text():
                return
            time.sleep(0.05)
        self.fail("dnsmasq did not start: " + self.dnsmasq_text())

    def start_tr069_dnsmasq(self):
        self.start_dnsmasq(
            "dhcp-vendorclass=set:tr069,enterprise:3561,dslforum.org",
            f'dhcp-option=tag:tr069,vi-encap:3561,option6:1,"{ACS_URL}"',
            'dhcp-option=tag:tr069,vi-encap:3561,option6:2,"PC-6"')

    def dnsmasq_text(self):
        self.dnsmasq_log.flush()
        with open(self.dnsmasq_log.name, encoding="utf-8", errors="replace") as log:
            return log.read()

    def leases(self):
        if not os.path.exists(self.lease_file):
            return ""
        with open(self.lease_file, encoding="ascii") as leases:
            return leases.read()

    def start_probe(self, *options, events=1, timeout=20):
        process = subprocess.Popen(
            ["ip", "netns", "exec", self.client_ns, PROBE, "--v6", "--interface",
             self.client_if, "--events", str(events), "--timeout", str(timeout),
             "--log-level", "info", *options],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.addCleanup(stop_process, process)
        self.addCleanup(process.stdout.close)
        self.addCleanup(process.stderr.close)
        return process

    def read_event(self, process, timeout):
        """The next JSON line of the probe, read straight from the pipe."""
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
                stop_process(process)
                self.fail("probe exited early: " + process.stderr.read().decode(errors="replace"))
            pending += chunk
        line, _, rest = pending.partition(b"\n")
        self._pending[process.pid] = rest
        return json.loads(line)

    def run_probe(self, *options, events=1, timeout=20):
        process = self.start_probe(*options, events=events, timeout=timeout)
        out, err = (data.decode(errors="replace")
                    for data in process.communicate(timeout=timeout + 10))
        lines = [json.loads(line) for line in out.splitlines() if line.strip()]
        self.assertEqual(process.returncode, 0,
                         f"probe failed: {err}\nstdout: {out}\ndnsmasq:\n{self.dnsmasq_text()}")
        self.assertEqual(lines[-1]["event"], "exit")
        return lines[:-1], lines[-1]

    def acquire(self, *options):
        events, exit_line = self.run_probe(*options)
        self.assertEqual(len(events), 1)
        self.assertEqual(events[0]["event"], "acquired")
        self.assertTrue(events[0]["address"].startswith("fd00:231::"), events[0])
        return events[0], exit_line

    def test_lease_with_dns_ntp_and_acs_from_option17(self):
        self.start_tr069_dnsmasq()
        lease, _ = self.acquire()
        self.assertEqual(lease["dns_servers"], [DNS_SERVER])
        self.assertEqual(lease["ntp_servers"], [NTP_SERVER])
        self.assertEqual(lease["acs"], {"source": "DHCPv6 option 17", "url": ACS_URL,
                                        "provisioning_code": "PC-6"})
        # dnsmasq's T1/T2 for a 2-minute lease: 0.5 and 0.875 of it.
        self.assertEqual(lease["renewal_time"], 60)
        self.assertGreater(lease["rebinding_time"], lease["renewal_time"])
        text = self.dnsmasq_text()
        self.assertIn("DHCPSOLICIT", text)
        self.assertIn("DHCPREQUEST", text)
        self.assertIn("vendor class: 3561", text)
        self.assertIn("requested options: 17:vendor-opts, 23:dns-server, 56:ntp-server", text)

    def test_without_vendor_class_no_acs(self):
        self.start_tr069_dnsmasq()
        lease, _ = self.acquire("--no-vendor-class")
        self.assertEqual(lease["option17"], "")
        self.assertIsNone(lease["acs"])
        self.assertEqual(lease["dns_servers"], [DNS_SERVER])

    def test_release_on_stop_frees_the_lease(self):
        self.start_dnsmasq()
        lease, exit_line = self.acquire()
        self.assertTrue(exit_line["released"])
        # dnsmasq logs the RELEASE before it rewrites its lease file.
        deadline = time.monotonic() + 5
        while (("DHCPRELEASE" not in self.dnsmasq_text() or lease["address"] in self.leases())
               and time.monotonic() < deadline):
            time.sleep(0.05)
        self.assertIn("DHCPRELEASE", self.dnsmasq_text())
        self.assertNotIn(lease["address"], self.leases())

    def test_without_release_the_lease_stays(self):
        self.start_dnsmasq()
        events, exit_line = self.run_probe("--no-release")
        self.assertFalse(exit_line["released"])
        self.assertIn(events[0]["address"], self.leases())
        self.assertNotIn("DHCPRELEASE", self.dnsmasq_text())

    def test_decline_gets_another_address(self):
        self.start_dnsmasq()
        # acquired, lost (declined), acquired again after the 10 s restart delay.
        events, _ = self.run_probe("--decline-first", events=3, timeout=40)
        self.assertEqual([e["event"] for e in events], ["acquired", "lost", "acquired"])
        self.assertIn("declined", events[1]["reason"])
        self.assertNotEqual(events[2]["address"], events[0]["address"])
        self.assertGreaterEqual(events[2]["elapsed_ms"] - events[1]["elapsed_ms"], 10_000)
        self.assertIn("DHCPDECLINE", self.dnsmasq_text())

    def test_renews_at_t1(self):
        self.start_tr069_dnsmasq()
        probe = self.start_probe(events=2, timeout=100)
        first = self.read_event(probe, 20)
        self.assertEqual(first["event"], "acquired")
        self.assertEqual(first["renewal_time"], 60)
        # T1 is 60 s, T2 later: a renewal within 90 s is RENEW's.
        second = self.read_event(probe, 90)
        self.assertEqual(second["event"], "renewed", f"{second}\n{self.dnsmasq_text()}")
        self.assertEqual(second["address"], first["address"])
        self.assertEqual(second["acs"]["url"], ACS_URL)
        self.assertGreaterEqual(second["elapsed_ms"] - first["elapsed_ms"], 59_000)
        exit_line = self.read_event(probe, 10)
        self.assertTrue(exit_line["released"])
        self.assertEqual(probe.wait(timeout=10), 0)
        text = self.dnsmasq_text()
        self.assertIn("DHCPRENEW", text)
        self.assertNotIn("DHCPREBIND", text)
        self.assertEqual(text.count("DHCPREQUEST"), 1)

    def test_no_server_times_out_cleanly_while_soliciting(self):
        process = self.start_probe(timeout=3)
        out = process.communicate(timeout=15)[0].decode(errors="replace")
        self.assertEqual(process.returncode, 2)
        exit_line = json.loads(out.splitlines()[-1])
        self.assertTrue(exit_line["timed_out"])
        self.assertEqual(exit_line["state"], "SOLICITING")
        self.assertFalse(exit_line["released"])


if __name__ == "__main__":
    unittest.main()
