#!/usr/bin/env python3
"""`make demo`: acs-sim and cwmp-agent, the story printed as it happens.

As root with `ip netns` and dnsmasq: the real flow in two network
namespaces (tools/netns_lab.py). dnsmasq hands the phone its address and, in
option 43, the URL of acs-sim; the agent (--interface, no --acs-url)
discovers acs-sim and informs; the ACS then switches the phone to a static
address live through its northbound API.
Otherwise: both programs on loopback with a configured ACS URL; the ACS sets
and reads a parameter.

Exits 0 only when every step worked; leaves no process or namespace behind,
also on failure or Ctrl-C."""
import contextlib
import os
import signal
import sys
import tempfile
import uuid

from netns_lab import LabError, NetnsLab, missing_prerequisite
from phonecwmp_harness import Harness, HarnessError, parameter, wait_for

INTERVAL = "Device.ManagementServer.PeriodicInformInterval"
DHCPV4 = "Device.DHCPv4.Client.1."
IPV4 = "Device.IP.Interface.1.IPv4Address.1."
SERVER_ADDRESS = "10.234.0.1"
DHCP_RANGE = "10.234.0.100,10.234.0.150,255.255.255.0,2m"
STATIC_ADDRESS = "10.234.0.50"


def interesting(log, needles):
    return [line for line in log.splitlines() if any(n in line for n in needles)]


def print_logs(h, agent_needles):
    print("\n---- acs-sim ----")
    for line in interesting(h.log("acs-sim"), ["Inform", "SetParameterValues",
                                               "GetParameterValues", "AddObject", "session"]):
        print("  " + line)
    print("---- cwmp-agent ----")
    for line in interesting(h.log("cwmp-agent"), agent_needles):
        print("  " + line)


@contextlib.contextmanager
def teardown_not_interrupted():
    """Last in a `with`, so first to exit: a second Ctrl-C does not cut the
    teardown of what the `with` set up short."""
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)


def loopback_demo(bin_dir, steps):
    with Harness(bin_dir) as h, teardown_not_interrupted():
        try:
            h.start_acs_sim()
            print(f"acs-sim: CWMP on {h.cwmp_endpoint}, NBI on {h.nbi_endpoint}")
            h.start_agent(h.acs_url, {"Device.DeviceInfo.SerialNumber": "DEMO0001",
                                      "Device.ManagementServer.PeriodicInformEnable": "true",
                                      INTERVAL: "2"})
            print(f"cwmp-agent: informing {h.acs_url}")

            device = wait_for("the first Inform", lambda: (h.devices() or [None])[0], 30)
            device_id = device["_id"]
            steps.append(("Inform received", f"device {device_id}"))

            h.queue_task(device_id, {"name": "setParameterValues",
                                     "parameterValues": [[INTERVAL, 5, "xsd:unsignedInt"]]})
            h.queue_task(device_id, {"name": "getParameterValues", "parameterNames": [INTERVAL]})
            print("NBI: queued setParameterValues and getParameterValues")
            wait_for("the tasks to run", lambda: h.pending_tasks(device_id) == [], 45)
            steps.append(("SetParameterValues applied", f"{INTERVAL} = 5"))

            leaf = parameter(h.devices(query={"_id": device_id}, projection=INTERVAL)[0],
                             INTERVAL)
            if not leaf or leaf.get("_value") != 5:
                raise HarnessError(f"the ACS read back {leaf}, expected 5")
            steps.append(("GetParameterValues read back", f"{INTERVAL} = {leaf['_value']}"))
            ok = True
        except HarnessError as error:
            print(f"FAILED: {error}")
            ok = False
        print_logs(h, ["session:"])
    return ok


def namespace_demo(bin_dir, steps):
    with tempfile.TemporaryDirectory(prefix="phonecwmp-demo-") as work, \
            NetnsLab("pcdemo", SERVER_ADDRESS, work) as lab, teardown_not_interrupted():
        lab.create()
        print(f"lab: namespaces {lab.network_ns} (dnsmasq, acs-sim) and {lab.phone_ns} "
              f"(cwmp-agent on {lab.phone_if}), joined by a veth pair")
        # From here on this process is in the network namespace: the NBI
        # calls reach acs-sim there.
        lab.enter_network_namespace()
        with Harness(bin_dir) as h, teardown_not_interrupted():
            try:
                ok = _namespace_steps(h, lab, work, steps)
            except (HarnessError, LabError, OSError) as error:
                print(f"FAILED: {error}")
                print("---- dnsmasq ----\n" + lab.dnsmasq_text())
                ok = False
            print_logs(h, ["session:", "DHCPv4", "network:", "ACS "])
    return ok


def _namespace_steps(h, lab, work, steps):
    h.start_acs_sim(cwmp_listen=f"{SERVER_ADDRESS}:0")
    acs_url = f"http://{h.cwmp_endpoint}/"
    print(f"acs-sim: CWMP on {h.cwmp_endpoint}, NBI on {h.nbi_endpoint}")
    lab.start_dnsmasq(DHCP_RANGE, [f'dhcp-option=vendor:dslforum.org,1,"{acs_url}"'])
    print(f"dnsmasq: leases {DHCP_RANGE.split(',')[0]}.., option 43 sub-option 1 = {acs_url}")

    serial = "DEMO" + uuid.uuid4().hex[:8].upper()
    # No --acs-url: the URL can only come from DHCP. Periodic Informs every
    # 2 s fetch the queued tasks (acs-sim cannot reach the phone's namespace
    # for a connection request).
    args = ["ip", "netns", "exec", lab.phone_ns, os.path.join(h.bin_dir, "cwmp-agent"),
            "--state-dir", os.path.join(work, "agent-state"), "--log-level", "info",
            "--interface", lab.phone_if, "--cr-listen", "127.0.0.1:0"]
    for path, value in {"Device.DeviceInfo.SerialNumber": serial,
                        "Device.ManagementServer.PeriodicInformEnable": "true",
                        INTERVAL: "2", "Device.DHCPv6.Client.1.Enable": "false"}.items():
        args += ["--set", f"{path}={value}"]
    h._spawn("cwmp-agent", args)
    print(f"cwmp-agent: --interface {lab.phone_if}, no ACS URL configured")

    device = wait_for("the agent's Inform to the discovered ACS",
                      lambda: h.device_by_serial(serial), timeout=60)
    device_id = device["_id"]
    if f"ACS {acs_url} discovered through DHCPv4 option 43" not in h.log("cwmp-agent"):
        raise HarnessError("the agent informed but did not log the option 43 discovery")
    events = [event["code"] for event in device.get("_lastEvents", [])]
    if "0 BOOTSTRAP" not in events:
        raise HarnessError(f"the first Inform carried {events}, not 0 BOOTSTRAP")
    steps.append(("ACS discovered through option 43", acs_url))
    steps.append(("Inform received", f"device {device_id}, events {', '.join(events)}"))

    def leased():
        addresses = [a for a in lab.phone_addresses() if a.startswith("10.234.0.1")]
        return addresses[0] if len(addresses) == 1 else None

    address = wait_for("the leased address on the phone's interface", leased, timeout=30)
    steps.append(("DHCP lease configured", address))
    print(f"\n$ ip -n {lab.phone_ns} -4 addr show dev {lab.phone_if}   # before\n"
          + lab.show_phone_addresses() + "\n")

    # Static: the instance, then DHCP off and the address in one
    # SetParameterValues. The session carrying it loses its source address
    # on the way; the kernel state shows what the agent did.
    h.queue_task(device_id, {"name": "addObject",
                             "objectName": "Device.IP.Interface.1.IPv4Address."})
    h.queue_task(device_id, {"name": "setParameterValues", "parameterValues": [
        [DHCPV4 + "Enable", False, "xsd:boolean"],
        [IPV4 + "Enable", True, "xsd:boolean"],
        [IPV4 + "IPAddress", STATIC_ADDRESS, "xsd:string"],
        [IPV4 + "SubnetMask", "255.255.255.0", "xsd:string"]]})
    print("NBI: queued addObject IPv4Address. and setParameterValues "
          f"{DHCPV4}Enable=false, {IPV4}IPAddress={STATIC_ADDRESS}/24")
    wait_for("the static address alone on the phone's interface",
             lambda: lab.phone_addresses() == [f"{STATIC_ADDRESS}/24"], timeout=90)
    wait_for("dnsmasq to see the lease released",
             lambda: "DHCPRELEASE" in lab.dnsmasq_text(), timeout=10)
    steps.append(("Switched to static live", f"{STATIC_ADDRESS}/24, lease released"))
    print(f"\n$ ip -n {lab.phone_ns} -4 addr show dev {lab.phone_if}   # after\n"
          + lab.show_phone_addresses())

    # The SetParameterValuesResponse was lost with the old address; the ACS
    # completes its task in the next session, from the static address.
    print("waiting for the next session from the static address (the agent gives up "
          "on the old one after its 30 s HTTP timeout)")
    wait_for("the ACS to complete its tasks from the static address",
             lambda: h.pending_tasks(device_id) == [], timeout=60)
    steps.append(("ACS reached from the static address", "all tasks done"))
    return True


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def main():
    bin_dir = sys.argv[1] if len(sys.argv) > 1 else "build/bin"
    signal.signal(signal.SIGTERM, _interrupt)
    steps = []
    reason = missing_prerequisite()
    if reason:
        print(f"demo: loopback with a configured ACS URL ({reason}; the DHCP discovery "
              "flow in network namespaces runs as root with ip netns and dnsmasq)")
    else:
        print("demo: DHCP discovery in network namespaces (dnsmasq option 43 -> acs-sim)")
    try:
        ok = loopback_demo(bin_dir, steps) if reason else namespace_demo(bin_dir, steps)
    except KeyboardInterrupt:
        print("demo interrupted; everything it started is stopped")
        return 130
    except (HarnessError, LabError, OSError) as error:
        # Set-up outside the steps (e.g. creating the namespaces) failed;
        # what was done is undone by now.
        print(f"FAILED: {error}")
        ok = False

    print("\nSummary")
    for name, detail in steps:
        print(f"  ok  {name}: {detail}")
    print("demo " + ("passed" if ok else "FAILED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
