#!/usr/bin/env python3
"""Captures a real DHCPOFFER and DHCPACK from dnsmasq as DHCP test inputs.

Writes tests/fuzz/corpus/dhcpv4/dnsmasq_offer.bin and dnsmasq_ack.bin, which
are committed: the unit tests check the decoders and ACS discovery against
them (bytes from an independent server), and the fuzz targets use them as
seeds. Needs root, iproute2 and dnsmasq (Debian package dnsmasq-base).

Everything happens inside two network namespaces made here and removed on
exit: dnsmasq serves 10.231.0.0/24 on one end of a veth pair, this script
speaks DHCP on the other end through an AF_PACKET socket (the client end has
no address yet, exactly like a booting phone). Every wait is bounded.

    sudo python3 tests/fuzz/dhcp_capture_dnsmasq.py
"""
import os
import pathlib
import random
import socket
import struct
import subprocess
import sys
import tempfile
import time

HERE = pathlib.Path(__file__).resolve().parent
SUFFIX = str(os.getpid())
SERVER_NS, CLIENT_NS = "pcwmp-dhs-" + SUFFIX, "pcwmp-dhc-" + SUFFIX
SERVER_IF, CLIENT_IF = "dhs" + SUFFIX[-8:], "dhc" + SUFFIX[-8:]
WAIT_SECONDS = 10

DNSMASQ_OPTIONS = [
    "--dhcp-range=10.231.0.100,10.231.0.150,255.255.255.0,1h",
    "--dhcp-vendorclass=set:cwmp,dslforum.org",
    "--dhcp-option=vendor:dslforum.org,1,http://10.231.0.1:7547/",
    "--dhcp-option=vendor:dslforum.org,2,CAPTURED",
    "--dhcp-option=vendor:dslforum.org,3,30",
    "--dhcp-option=vendor:dslforum.org,4,2500",
    "--dhcp-option=tag:cwmp,vi-encap:3561,11,http://10.231.0.1:7548/",
    "--dhcp-option=option:ntp-server,10.231.0.1",
    "--dhcp-option=option:domain-search,example.test,voice.example.test",
    "--dhcp-option=option:classless-static-route,10.0.0.0/8,10.231.0.254",
]


def run(*command):
    subprocess.run(command, check=True)


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def frame(mac, payload):
    udp = struct.pack("!HHHH", 68, 67, 8 + len(payload), 0) + payload
    header = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0, 64, 17, 0,
                         bytes(4), b"\xff" * 4)
    header = header[:10] + struct.pack("!H", checksum(header)) + header[12:]
    return b"\xff" * 6 + mac + b"\x08\x00" + header + udp


def dhcp_request(mac, xid, kind, extra):
    def opt(code, data):
        return bytes([code, len(data)]) + data

    header = struct.pack("!BBBBIHH", 1, 1, 6, 0, xid, 0, 0x8000) + bytes(16)
    header += mac + bytes(10) + bytes(64 + 128) + bytes([99, 130, 83, 99])
    vivso = b"".join(opt(code, text) for code, text in
                     ((1, b"00256D"), (2, b"CAPTURE1"), (3, b"IPPhone")))
    options = (opt(53, bytes([kind])) + opt(61, b"\x01" + mac) + extra
               + opt(60, b"dslforum.org")
               + opt(55, bytes([1, 2, 3, 6, 15, 42, 43, 66, 119, 121, 125, 150, 159, 160]))
               + opt(125, struct.pack("!IB", 3561, len(vivso)) + vivso) + b"\xff")
    return (header + options).ljust(300, b"\0")


def find_option(payload, code):
    index = 240
    while index < len(payload):
        if payload[index] == 0:
            index += 1
            continue
        if payload[index] == 255:
            return None
        length = payload[index + 1]
        if payload[index] == code:
            return payload[index + 2:index + 2 + length]
        index += 2 + length
    return None


def receive(sock, xid, kind, deadline):
    while time.monotonic() < deadline:
        sock.settimeout(max(0.1, deadline - time.monotonic()))
        try:
            data = sock.recv(2048)
        except socket.timeout:
            break
        if len(data) < 14 + 20 + 8 or data[12:14] != b"\x08\x00" or data[14 + 9] != 17:
            continue
        ihl = (data[14] & 0x0F) * 4
        udp = data[14 + ihl:]
        if struct.unpack("!H", udp[2:4])[0] != 68:
            continue
        payload = udp[8:struct.unpack("!H", udp[4:6])[0]]
        if len(payload) >= 240 and struct.unpack("!I", payload[4:8])[0] == xid \
                and find_option(payload, 53) == bytes([kind]):
            return payload
    raise SystemExit(f"no DHCP message type {kind} from dnsmasq within {WAIT_SECONDS} s")


def client(interface):
    """Runs inside the client namespace: DISCOVER → OFFER → REQUEST → ACK."""
    mac = pathlib.Path(f"/sys/class/net/{interface}/address").read_text().strip()
    mac = bytes.fromhex(mac.replace(":", ""))
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0800))
    sock.bind((interface, 0))
    xid = random.getrandbits(32)
    deadline = time.monotonic() + WAIT_SECONDS
    sock.send(frame(mac, dhcp_request(mac, xid, 1, b"")))
    offer = receive(sock, xid, 2, deadline)
    requested = bytes([50, 4]) + offer[16:20] + bytes([54, 4]) + find_option(offer, 54)
    sock.send(frame(mac, dhcp_request(mac, xid, 3, requested)))
    ack = receive(sock, xid, 5, deadline)
    target = HERE / "corpus" / "dhcpv4"
    (target / "dnsmasq_offer.bin").write_bytes(offer)
    (target / "dnsmasq_ack.bin").write_bytes(ack)
    print(f"captured OFFER ({len(offer)} bytes) and ACK ({len(ack)} bytes) into {target}")


def main():
    if len(sys.argv) > 2 and sys.argv[1] == "--client":
        client(sys.argv[2])
        return
    dnsmasq = None
    try:
        run("ip", "netns", "add", SERVER_NS)
        run("ip", "netns", "add", CLIENT_NS)
        run("ip", "link", "add", SERVER_IF, "netns", SERVER_NS, "type", "veth",
            "peer", "name", CLIENT_IF, "netns", CLIENT_NS)
        run("ip", "-n", SERVER_NS, "addr", "add", "10.231.0.1/24", "dev", SERVER_IF)
        run("ip", "-n", SERVER_NS, "link", "set", SERVER_IF, "up")
        run("ip", "-n", CLIENT_NS, "link", "set", CLIENT_IF, "up")
        with tempfile.TemporaryDirectory() as scratch:
            dnsmasq = subprocess.Popen(
                ["ip", "netns", "exec", SERVER_NS, "dnsmasq", "--keep-in-foreground",
                 "--conf-file=/dev/null", "--port=0", f"--interface={SERVER_IF}",
                 "--bind-interfaces", f"--dhcp-leasefile={scratch}/leases", "--pid-file",
                 "--log-dhcp", "--log-facility=-"] + DNSMASQ_OPTIONS)
            time.sleep(1)  # dnsmasq binds port 67 before the first DISCOVER
            subprocess.run(["ip", "netns", "exec", CLIENT_NS, sys.executable, __file__,
                            "--client", CLIENT_IF], check=True, timeout=WAIT_SECONDS + 5)
    finally:
        if dnsmasq is not None:
            dnsmasq.terminate()
            dnsmasq.wait(timeout=5)
        for namespace in (CLIENT_NS, SERVER_NS):
            subprocess.run(["ip", "netns", "del", namespace], check=False)


if __name__ == "__main__":
    main()
