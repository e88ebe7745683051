#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Regenerate the rtnl decoder corpus: real kernel replies and
notifications, one datagram per file.

Run as root; it works in a network namespace of its own:
    unshare -n python3 tests/fuzz/rtnl/make-corpus.py tests/fuzz/rtnl/corpus
"""
import os
import socket
import struct
import subprocess
import sys

NETLINK_ROUTE = 0
NLM_F_REQUEST, NLM_F_ACK, NLM_F_DUMP = 1, 4, 0x300
RTM_GETLINK, RTM_GETADDR, RTM_GETROUTE = 18, 22, 26
RTM_GETNEIGH, RTM_GETRULE, RTM_GETSTATS = 30, 34, 94
RTM_NEWROUTE = 24
SOL_NETLINK, NETLINK_EXT_ACK = 270, 11
NLMSG_ERROR, NLMSG_DONE = 2, 3


def sh(cmd):
    subprocess.run(cmd, shell=True, check=True)


def request(sock, seq, mtype, flags, body):
    hdr = struct.pack("=IHHII", 16 + len(body), mtype, NLM_F_REQUEST | flags,
                      seq, 0)
    sock.send(hdr + body)
    grams = []
    while True:
        data = sock.recv(1 << 20)
        grams.append(data)
        done = False
        off = 0
        while off + 16 <= len(data):
            length, t = struct.unpack_from("=IH", data, off)
            if t in (NLMSG_DONE, NLMSG_ERROR):
                done = True
            if length < 16:
                break
            off += (length + 3) & ~3
        if done:
            return grams


def main(out):
    os.makedirs(out, exist_ok=True)
    sh("ip link set lo up")
    sh("ip link add v0 type veth peer name v1")
    sh("ip link add br0 type bridge")
    sh("ip link set v0 master br0 && ip link set v0 up && ip link set v1 up")
    sh("ip link set v1 alias 'a veth end'")
    sh("ip addr add 10.0.0.1/24 brd + dev v1 label v1:x")
    sh("ip addr add fd00::1/64 dev v1 nodad")
    sh("ip route add 10.1.0.0/16 via 10.0.0.2 table 1000 proto static metric 5")
    sh("ip route add blackhole 198.51.100.0/24")
    sh("ip -6 route add fd01::/64 via fd00::2 mtu 1400")
    sh("ip route add 10.2.0.0/16 nexthop via 10.0.0.2 nexthop via 10.0.0.3")
    sh("ip rule add from 10.0.0.0/24 table 100 pref 100")
    sh("ip rule add fwmark 0x1/0xff iif v1 table 5000")
    sh("ip neigh add 10.0.0.9 lladdr 02:00:00:00:00:09 dev v1")

    mon = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_ROUTE)
    # bit g-1 per RTNLGRP_* g: link, neigh, v4/v6 addr, route, rule
    mon.bind((0, 0x1 | 0x4 | 0x10 | 0x100 | 0x40 | 0x400 | 0x80 | 0x40000))
    sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_ROUTE)
    sock.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
    sock.bind((0, 0))
    ifinfo = struct.pack("=BxHiII", 0, 0, 0, 0, 0)
    dumps = {
        "link": (RTM_GETLINK, ifinfo),
        "addr": (RTM_GETADDR, struct.pack("=BBBBI", 0, 0, 0, 0, 0)),
        "route": (RTM_GETROUTE, bytes(12)),
        "neigh": (RTM_GETNEIGH, bytes(12)),
        "rule": (RTM_GETRULE, bytes(12)),
        "stats": (RTM_GETSTATS, struct.pack("=BBHII", 0, 0, 0, 0, 1 << 0)),
    }
    seq = 1
    for name, (mtype, body) in dumps.items():
        for i, gram in enumerate(request(sock, seq, mtype, NLM_F_DUMP, body)):
            with open(os.path.join(out, "%s-%d" % (name, i)), "wb") as f:
                f.write(gram)
        seq += 1
    # An error with an extended ACK: a gateway nothing reaches.
    rtm = struct.pack("=BBBBBBBBI", 2, 24, 0, 0, 254, 3, 0, 1, 0)
    attrs = struct.pack("=HH4s", 8, 1, socket.inet_aton("10.50.0.0"))
    attrs += struct.pack("=HH4s", 8, 5, socket.inet_aton("172.31.0.1"))
    for i, gram in enumerate(request(sock, seq, RTM_NEWROUTE,
                                     NLM_F_ACK | 0x400 | 0x200, rtm + attrs)):
        with open(os.path.join(out, "error-extack-%d" % i), "wb") as f:
            f.write(gram)
    sh("ip link del v0")
    mon.setblocking(False)
    i = 0
    while True:
        try:
            gram = mon.recv(1 << 20)
        except BlockingIOError:
            break
        with open(os.path.join(out, "event-%d" % i), "wb") as f:
            f.write(gram)
        i += 1


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "corpus")
