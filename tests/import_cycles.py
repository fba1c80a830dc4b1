#!/usr/bin/env python3
"""No import circles in host/src (make lint). The module-level import graph: an edge A -> B when a file of module A names crate::B...,
super::... or self::... resolving to another module B (test modules left out). Exits 1 on a cycle."""
import re, os, collections
root = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'host', 'src')
files = {}
for dp, _, fs in os.walk(root):
    for f in fs:
        if f.endswith('.rs'):
            rel = os.path.relpath(os.path.join(dp, f), root)[:-3]
            mod = rel.replace('/mod', '').replace('/', '::')
            if mod in ('lib', 'main'): mod = 'crate'
            files[mod] = open(os.path.join(dp, f)).read()
mods = set(files)
def resolve(cur, path):
    parts = path.split('::')
    if parts[0] == 'crate': base = []; parts = parts[1:]
    elif parts[0] == 'self': base = cur.split('::'); parts = parts[1:]
    elif parts[0] == 'super':
        base = cur.split('::')
        while parts and parts[0] == 'super': base = base[:-1]; parts = parts[1:]
    else: return None
    cand = base + parts
    for n in range(len(cand), 0, -1):
        if '::'.join(cand[:n]) in mods: return '::'.join(cand[:n])
    return None
g = collections.defaultdict(set)
for m, src in files.items():
    src = re.sub(r'#\[cfg\(test\)\][\s\S]*', '', src)  # test modules may reach anywhere
    for path in re.findall(r'\b((?:crate|super|self)(?:::\w+)+)', src):
        t = resolve(m, path)
        if t and t != m and not t.startswith(m + '::') and not m.startswith(t + '::'):
            g[m].add(t)
cycles = set()
def dfs(start, node, path):
    for n in g[node]:
        if n == start: cycles.add(tuple(path))
        elif n not in path and len(path) < 8: dfs(start, n, path + [n])
for m in mods: dfs(m, m, [m])
found = sorted({tuple(sorted(c)) for c in cycles})
print(f"host/src: {sum(len(v) for v in g.values())} imports between modules, {len(found)} cycles", *(' <-> '.join(c) for c in found), sep='\n')
raise SystemExit(1 if found else 0)
