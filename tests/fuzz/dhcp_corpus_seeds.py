#!/usr/bin/env python3
"""Writes the seed corpora of the DHCP fuzz targets.

tests/fuzz/corpus/dhcpv4/ and tests/fuzz/corpus/dhcpv6/ hold the output,
committed: seeds are inputs, not build artefacts. Re-run after changing a
seed: python3 tests/fuzz/dhcp_corpus_seeds.py

The packets are built here, independently of the C++ encoder, straight from
RFC 2131/2132/3396/3442/3925 and RFC 8415, so that the corpus does not share
the encoder's mistakes.
"""
import pathlib
import struct

HERE = pathlib.Path(__file__).resolve().parent
COOKIE = bytes([99, 130, 83, 99])
MAC = bytes.fromhex("020000000001")


def opt(code, data):
    return bytes([code, len(data)]) + data


def sub(code, text):
    data = text.encode() if isinstance(text, str) else text
    return bytes([code, len(data)]) + data


def ip(text):
    return bytes(int(part) for part in text.split("."))


def bootp(op, xid, yiaddr="0.0.0.0", ciaddr="0.0.0.0", sname=b"", file=b""):
    header = struct.pack("!BBBBIHH", op, 1, 6, 0, xid, 0, 0)
    header += ip(ciaddr) + ip(yiaddr) + ip("0.0.0.0") + ip("0.0.0.0")
    header += MAC + bytes(10)
    header += sname.ljust(64, b"\0") + file.ljust(128, b"\0")
    return header + COOKIE


def v4_reply(kind, xid, options, **fields):
    body = opt(53, bytes([kind])) + opt(54, ip("10.231.0.1")) + opt(51, struct.pack("!I", 3600))
    body += b"".join(options) + b"\xff"
    packet = bootp(2, xid, yiaddr="10.231.0.100", **fields) + body
    return packet.ljust(300, b"\0")


def vivso(enterprise, suboptions):
    data = b"".join(suboptions)
    return struct.pack("!IB", enterprise, len(data)) + data


def dhcpv4_seeds():
    common = [opt(1, ip("255.255.255.0")), opt(3, ip("10.231.0.1")),
              opt(6, ip("10.231.0.1") + ip("10.231.0.2"))]
    acs43 = opt(43, sub(2, "CODE") + sub(1, "http://10.231.0.1:7547/") + b"\xff")
    acs43_all = opt(43, sub(1, "https://acs.example.test/cwmp") + sub(2, "PC") + sub(3, "30")
                    + sub(4, "2500"))
    acs125 = opt(125, vivso(3561, [sub(11, "http://acs125/"), sub(12, "P"), sub(13, "5"),
                                   sub(14, "2000"), sub(4, "00256D"), sub(5, "GW1"),
                                   sub(6, "Gateway")]))
    long_url = "http://acs.example.test/" + "p" * 280
    long43 = sub(1, long_url[:250])  # the rest goes in a second instance
    split = [opt(43, long43[:255]), opt(43, long43[255:] + sub(1, long_url[250:]))]
    overload_file = opt(15, b"example.test") + b"\xff"
    overload_sname = opt(12, b"phone") + b"\xff"
    return {
        "offer_option43": v4_reply(2, 1, common + [acs43]),
        "ack_option43_all": v4_reply(5, 2, common + [acs43_all]),
        "ack_option125": v4_reply(5, 3, common + [acs125]),
        "ack_both_43_125": v4_reply(5, 4, common + [acs43, acs125]),
        "ack_bare_url_43": v4_reply(5, 5, [opt(43, b"http://bare.example.test/\0")]),
        "ack_split_rfc3396": v4_reply(5, 6, split),
        "ack_overload": v4_reply(5, 7, [opt(52, b"\x03")], sname=overload_sname,
                                 file=overload_file),
        "ack_search_routes": v4_reply(5, 8, common + [
            opt(119, bytes.fromhex("03656e67056170706c6503636f6d00096d61726b6574696e67c004")),
            opt(121, bytes.fromhex("000a00000118 0a0000 0a0000fe".replace(" ", ""))),
            opt(58, struct.pack("!I", 1800)), opt(59, struct.pack("!I", 3150)),
            opt(42, ip("10.231.0.3")), opt(15, b"example.test"), opt(150, ip("10.231.0.4")),
            opt(66, b"tftp.example.test"), opt(159, b"phone.cfg"), opt(160, b"http://prov/")]),
        "nak": v4_reply(6, 9, [opt(56, b"wrong network")]),
        "discover": (bootp(1, 10) + opt(53, b"\x01") + opt(60, b"dslforum.org")
                     + opt(55, bytes([1, 2, 3, 6, 15, 42, 43, 66, 125, 150, 159, 160]))
                     + opt(125, vivso(3561, [sub(1, "00256D"), sub(2, "SN1"), sub(3, "Phone")]))
                     + b"\xff").ljust(300, b"\0"),
    }


def v6opt(code, data):
    return struct.pack("!HH", code, len(data)) + data


def v6_message(kind, xid, options):
    return bytes([kind]) + xid.to_bytes(3, "big") + b"".join(options)


def v6_ip(text):
    import ipaddress
    return ipaddress.IPv6Address(text).packed


def dns_name(name):
    return b"".join(bytes([len(label)]) + label.encode() for label in name.split(".")) + b"\0"


def dhcpv6_seeds():
    client = v6opt(1, struct.pack("!HH", 3, 1) + MAC)
    server = v6opt(2, struct.pack("!HHI", 1, 1, 0x5F5E1000) + bytes.fromhex("020000000099"))
    iaaddr = v6opt(5, v6_ip("2001:db8::100") + struct.pack("!II", 7200, 14400))
    ia = v6opt(3, struct.pack("!III", 0x0A0B0C0D, 3600, 7200) + iaaddr)
    dns = v6opt(23, v6_ip("2001:db8::53") + v6_ip("2001:db8::54"))
    domains = v6opt(24, dns_name("example.test") + dns_name("voice.example.test"))
    ntp = v6opt(56, v6opt(1, v6_ip("2001:db8::7b")) + v6opt(3, dns_name("ntp.example.test")))
    acs = v6opt(17, struct.pack("!I", 3561) + v6opt(1, b"http://[2001:db8::1]:7547/")
                + v6opt(2, b"V6CODE") + v6opt(3, b"10") + v6opt(4, b"2000"))
    status_ok = v6opt(13, struct.pack("!H", 0) + b"ok")
    no_addrs = v6opt(3, struct.pack("!III", 0x0A0B0C0D, 0, 0)
                     + v6opt(13, struct.pack("!H", 2) + b"no addresses"))
    vendor_class = v6opt(16, struct.pack("!IH", 3561, 12) + b"dslforum.org")
    oro = v6opt(6, struct.pack("!HHH", 17, 23, 56))
    elapsed = v6opt(8, struct.pack("!H", 0))
    empty_ia = v6opt(3, struct.pack("!III", 0x0A0B0C0D, 0, 0))
    return {
        "advertise": v6_message(2, 0xABCD, [client, server, v6opt(7, b"\xff"), ia, dns, acs]),
        "reply_full": v6_message(7, 0xABCE, [client, server, ia, dns, domains, ntp, acs,
                                             status_ok]),
        "reply_no_addrs": v6_message(7, 0xABCF, [client, server, no_addrs]),
        "reply_use_multicast": v6_message(7, 0xABD0, [client, server,
                                                      v6opt(13, b"\x00\x05use mcast")]),
        "reply_rapid_commit": v6_message(7, 0xABD1, [client, server, v6opt(14, b""), ia]),
        "reply_bad_lifetimes": v6_message(7, 0xABD2, [client, server, v6opt(3, struct.pack(
            "!III", 0x0A0B0C0D, 0, 0) + v6opt(5, v6_ip("2001:db8::5") + struct.pack("!II", 9, 1)))]),
        "reply_acs_only": v6_message(7, 0xABD3, [client, server, acs]),
        "solicit": v6_message(1, 0x123456, [client, elapsed, empty_ia, oro, vendor_class]),
        "request": v6_message(3, 0x123457, [client, server, elapsed, ia, oro, vendor_class]),
        "release": v6_message(8, 0x123458, [client, server, elapsed, ia]),
    }


def write(folder, seeds):
    target = HERE / "corpus" / folder
    target.mkdir(parents=True, exist_ok=True)
    for name, data in seeds.items():
        (target / f"{name}.bin").write_bytes(data)


if __name__ == "__main__":
    write("dhcpv4", dhcpv4_seeds())
    write("dhcpv6", dhcpv6_seeds())
