#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Test-vector helper for test-expr.c (see expr-vectors.h).
import re, sys
# Rebuild the bytes of nft --debug=mnl output and print, per NEWRULE message,
# the hex of its NFTA_RULE_EXPRESSIONS attribute (header included).
ansi = re.compile(r'\x1b\[[0-9;]*m')
msgs = []; cur = None; state = None
for line in sys.stdin:
    line = ansi.sub('', line.rstrip('\n'))
    m = re.match(r'\|\s+(\d+)\s+\|\s+\| message length', line)
    if m:
        cur = {'len': int(m.group(1)), 'bytes': bytearray()}; msgs.append(cur); continue
    m = re.match(r'\| (\d+) \| \S+ \|\s+\|\s+type', line)
    if m and cur is not None and 'type' not in cur:
        cur['type'] = int(m.group(1)); continue
    m = re.match(r'\|(\d+)\|(..)\|(\d+)\|\s+\|len', line)
    if m and cur is not None:
        ln, fl, ty = int(m.group(1)), m.group(2), int(m.group(3))
        if 'N' in fl: ty |= 0x8000
        if 'B' in fl: ty |= 0x4000
        cur['bytes'] += ln.to_bytes(2, 'little') + ty.to_bytes(2, 'little'); continue
    m = re.match(r'\| ([0-9a-f]{2}) ([0-9a-f]{2}) ([0-9a-f]{2}) ([0-9a-f]{2})  \|\s+\|\s+(data|extra header)', line)
    if m and cur is not None:
        if m.group(5) == 'extra header': continue
        cur['bytes'] += bytes(int(m.group(i), 16) for i in range(1, 5))
for msg in msgs:
    if msg.get('type') != 0x0a06: continue
    b = msg['bytes']; off = 0
    while off + 4 <= len(b):
        ln = int.from_bytes(b[off:off+2], 'little'); ty = int.from_bytes(b[off+2:off+4], 'little') & 0x3fff
        if ln < 4: break
        if ty == 4: print(b[off:off+ln].hex())
        off += (ln + 3) & ~3
