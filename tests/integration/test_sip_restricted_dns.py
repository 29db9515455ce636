"""The restricted access domains resolved by a real DNS server: Debian's
dnsmasq answers voip.test with 127.0.0.2, acs-sim sets the phone's DNS
server and X_PHONECWMP_RestrictedAccessDomains through its NBI, and the real
cwmp-agent then answers sipp calling from 127.0.0.2 and drops (counting it
in X_PHONECWMP_Stats.DroppedRequests) sipp calling from 127.0.0.3. When the
name no longer resolves the filter stays closed: nothing is answered.

Device.DNS.Client.Server.{i}.DNSServer is an IP address without a port, so
dnsmasq listens on port 53 of a loopback address of its own (127.0.53.x).
That needs root or CAP_NET_BIND_SERVICE: without it, or without dnsmasq
(package dnsmasq-base) or sipp (package sip-tester), the test is skipped."""
import os
import random
import shutil
import socket
import subprocess
import unittest

from phonecwmp_harness import wait_for
from test_sip_endpoint import DOMAINS, SIPP, SipAgentFixture

DNSMASQ = shutil.which("dnsmasq") or (
    "/usr/sbin/dnsmasq" if os.access("/usr/sbin/dnsmasq", os.X_OK) else None)
DOMAIN = "voip.test"


def dns_port_bindable(address):
    """Why port 53 of `address` cannot be used, or None when it can."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.bind((address, 53))
    except OSError as error:
        return f"cannot bind {address}:53 for dnsmasq: {error}"
    return None


@unittest.skipIf(SIPP is None, "sipp is not installed (Debian package sip-tester)")
@unittest.skipIf(DNSMASQ is None, "dnsmasq is not installed (Debian package dnsmasq-base)")
class SipRestrictedDomainsWithDnsmasq(SipAgentFixture, unittest.TestCase):
    def start_dnsmasq(self):
        for _ in range(20):
            address = f"127.0.53.{random.randint(2, 250)}"
            if dns_port_bindable(address) is None:
                break
        else:
            self.skipTest(dns_port_bindable(address))
        self.dns_address = address
        self.dnsmasq = self.harness._spawn("dnsmasq", [
            DNSMASQ, "--no-daemon", "--port=53", f"--listen-address={address}",
            "--bind-interfaces", "--no-resolv", "--no-hosts", "--conf-file=/dev/null",
            "--pid-file=", "--log-facility=-", "--log-queries",
            f"--local=/{DOMAIN}/", f"--address=/{DOMAIN}/127.0.0.2"])
        wait_for("dnsmasq to start",
                 lambda: self.dnsmasq.poll() is not None or "started" in self.harness.log("dnsmasq"),
                 timeout=10)
        if self.dnsmasq.poll() is not None:
            self.fail("dnsmasq exited:\n" + self.harness.log("dnsmasq"))

    def _dump_logs_on_failure(self):
        super()._dump_logs_on_failure()
        outcome = getattr(self, "_outcome", None)
        result = getattr(outcome, "result", None)
        if getattr(result, "errors", []) or getattr(result, "failures", []):
            print("---- dnsmasq log ----\n" + self.harness.log("dnsmasq")[-3000:])

    def test_only_the_domains_addresses_are_answered_and_failure_keeps_it_closed(self):
        self.start({}, acs=True)
        self.start_dnsmasq()
        self.run_task({"name": "addObject", "objectName": "Device.DNS.Client.Server."})
        resolved = f"{DOMAIN} resolved to"
        self.set_values({"Device.DNS.Client.Server.1.DNSServer": self.dns_address,
                         "Device.DNS.Client.Server.1.Enable": True,
                         DOMAINS: DOMAIN})
        wait_for(f"{DOMAIN} to resolve through dnsmasq",
                 lambda: resolved in self.harness.log("cwmp-agent"), timeout=15)
        self.assertIn(f"query[A] {DOMAIN}", self.harness.log("dnsmasq"),
                      "the agent asked dnsmasq, not the system's resolver")

        self.assertTrue(self.sipp(source="127.0.0.2"), "the domain's address is answered")
        dropped = self.statistic("DroppedRequests")
        self.assertFalse(self.sipp(source="127.0.0.3", wait_ms=1500), "another source: nothing")
        self.assertRegex(self.harness.log("cwmp-agent"),
                         r"SIP request from UDP 127\.0\.0\.3:\d+ dropped: not a restricted "
                         r"access domain address")
        now_dropped = self.statistic("DroppedRequests")
        self.assertGreater(now_dropped, dropped)
        self.assertEqual(self.statistic("RestrictedDomainsDropped"), now_dropped)

        # The DNS server goes away, and a DNS change makes the agent ask
        # again at once: the lookup fails and the domain's address is no
        # longer admitted either.
        self.harness.stop(self.dnsmasq)
        failed = self.log_count("its addresses are not accepted until it resolves")
        self.set_values({"Device.DNS.Client.Server.1.DNSServer": "127.0.53.1"})
        wait_for(f"the lookup of {DOMAIN} to fail",
                 lambda: self.log_count("its addresses are not accepted until it resolves")
                 > failed, timeout=20)
        self.assertFalse(self.sipp(source="127.0.0.2", wait_ms=1500),
                         "an unresolvable domain admits nobody")
        self.assertFalse(self.sipp(source="127.0.0.3", wait_ms=1500))
        self.assertGreater(self.statistic("DroppedRequests"), now_dropped)
        self.assertEqual(self.agent_process().poll(), None, "the agent is still running")

    def agent_process(self):
        return next(p for name, p, *_ in self.harness.processes if name == "cwmp-agent")


if __name__ == "__main__":
    unittest.main()
