// Which cgroup layout kernels' limits use, and what is written there.
//
// The choice is tested twice: against this machine itself (its real
// /proc/self/cgroup, /proc/mounts and cgroup folders), where a kernel cgroup is
// then made and a real process joins it; and, for layouts this machine does
// not have, against the texts those hosts' /proc files hold. This machine's v2
// hierarchy offers no memory, pids or cpu controller, so a v2 host's kernel
// cgroup cannot be made here: its decisions (layout and limit files) are
// checked as data, the one boundary this test does not cross.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  chooseCgroupLayout, createKernelCgroup, limitFiles, machineCgroupLayout, parseCgroupMounts, parseOwnCgroups, probeCgroups,
} from './kernel-cgroup';
import { waitFor } from './bridge-test-harness';

const LIMITS = { memoryBytes: 512 * 2 ** 20, maxProcesses: 64, cpus: 1 };

test('on this machine the layout follows /proc: v1 when the unified hierarchy lacks the controllers, and a kernel\'s process lands in its cgroups', async (t) => {
  const mounts = parseCgroupMounts(readFileSync('/proc/mounts', 'utf8'));
  const own = parseOwnCgroups(readFileSync('/proc/self/cgroup', 'utf8'));
  const v2Controllers = mounts.v2 && own.has('')
    ? readFileSync(join(mounts.v2, own.get('')!, 'cgroup.controllers'), 'utf8').trim().split(/\s+/)
    : [];
  const v2Usable = ['memory', 'pids', 'cpu'].every((c) => v2Controllers.includes(c));
  const choice = machineCgroupLayout();
  assert.ok(!('unusable' in choice), `this machine offers cgroups to the bridge: ${JSON.stringify(choice)}`);
  assert.equal(choice.version, v2Usable ? 2 : 1, `v2 controllers here: ${v2Controllers.join(' ') || 'none'}`);
  if (choice.version === 1) for (const c of ['memory', 'pids', 'cpu'] as const) assert.equal(choice.own[c], join(mounts.v1.get(c)!, own.get(c)!).replace(/(.)\/$/, '$1'));

  const support = probeCgroups();
  assert.ok(!('unusable' in support), JSON.stringify(support));
  const cgroup = createKernelCgroup(support, `test-${process.pid}`, LIMITS);
  t.after(() => cgroup.remove());
  // A process joins the way a sandboxed kernel does (its own pid into each cgroup.procs), then waits.
  const child = spawn('/bin/sh', ['-c', 'for f in "$@"; do echo $$ > "$f" || exit 125; done; exec sleep 30', 'join', ...cgroup.procsFiles], { stdio: 'ignore' });
  t.after(() => child.kill());
  const seen = await waitFor(() => {
    const text = readFileSync(`/proc/${child.pid}/cgroup`, 'utf8');
    return text.includes(`k-test-${process.pid}`) ? parseOwnCgroups(text) : null;
  }, 10_000, 'the process to join its cgroups');
  for (const c of (support.version === 1 ? ['memory', 'pids', 'cpu'] : [''])) assert.match(seen!.get(c) ?? '', new RegExp(`/cellmate-kernels/k-test-${process.pid}$`), `controller ${c || 'v2'}`);
  assert.ok((cgroup.memoryInUse() ?? 0) > 0, 'its memory in use is read from the cgroup');
  assert.equal(cgroup.oomKilled(), false);
  const cpuDir = join(support.parents.cpu, `k-test-${process.pid}`);
  if (support.version === 1) assert.equal(readFileSync(join(cpuDir, 'cpu.cfs_quota_us'), 'utf8').trim(), '100000');
  // The kernels' parent weighs as many ordinary processes as it holds kernels (other bridges on this machine may add theirs meanwhile).
  const [weightFile, perProcess] = support.version === 1 ? ['cpu.shares', 1024] : ['cpu.weight', 100];
  await waitFor(() => {
    const kernels = readdirSync(support.parents.cpu).filter((n) => n.startsWith('k-')).length;
    return kernels >= 1 && Number(readFileSync(join(support.parents.cpu, weightFile), 'utf8')) === perProcess * kernels;
  }, 10_000, `the kernels' parent's ${weightFile} to count its kernels`);
});

test('a v2-only host (one cgroup2 mount, `0::` path) uses v2 when its cgroup offers memory, pids and cpu, and says what is missing otherwise', () => {
  const mounts = parseCgroupMounts('sysfs /sys sysfs rw 0 0\ncgroup2 /sys/fs/cgroup cgroup2 rw,nosuid,nodev,noexec,relatime,nsdelegate 0 0\n');
  const own = parseOwnCgroups('0::/system.slice/cellmate.service\n');
  const full = chooseCgroupLayout(own, mounts, (dir) => (dir === '/sys/fs/cgroup/system.slice/cellmate.service' ? ['cpuset', 'cpu', 'io', 'memory', 'pids'] : null));
  assert.deepEqual(full, { version: 2, own: { memory: '/sys/fs/cgroup/system.slice/cellmate.service', pids: '/sys/fs/cgroup/system.slice/cellmate.service', cpu: '/sys/fs/cgroup/system.slice/cellmate.service' } });
  const partial = chooseCgroupLayout(own, mounts, () => ['memory']);
  assert.ok('unusable' in partial);
  assert.match(partial.unusable, /cgroup v2 at \/sys\/fs\/cgroup\/system\.slice\/cellmate\.service does not offer pids, cpu/);
  assert.match(partial.unusable, /no cgroup v1 memory hierarchy/);
});

test('a hybrid host uses v1 when its unified hierarchy offers only hugetlb; mount points with spaces are decoded', () => {
  const mounts = parseCgroupMounts([
    'cgroup2 /sys/fs/cgroup/unified cgroup2 rw,relatime 0 0',
    'cgroup /sys/fs/cgroup/cpu cgroup rw,relatime,cpu 0 0',
    'cgroup /sys/fs/cgroup/memory cgroup rw,relatime,memory 0 0',
    'cgroup /sys/fs/cgroup/my\\040pids cgroup rw,relatime,pids 0 0',
  ].join('\n'));
  const own = parseOwnCgroups('8:pids:/\n4:memory:/api/abc\n1:cpu:/\n0::/\n');
  const choice = chooseCgroupLayout(own, mounts, () => ['hugetlb']);
  assert.deepEqual(choice, { version: 1, own: { memory: '/sys/fs/cgroup/memory/api/abc', pids: '/sys/fs/cgroup/my pids', cpu: '/sys/fs/cgroup/cpu' } });
});

test('limits: v2 writes memory.max, pids.max and cpu.max with a one-period burst; v1 the cfs quota with the same burst; optional files are marked', () => {
  const show = (version: 1 | 2) => limitFiles(version, LIMITS).map((f) => `${f.controller}/${f.file}=${f.value}${f.optional ? '?' : ''}`);
  assert.deepEqual(show(2), [
    'memory/memory.max=536870912', 'memory/memory.swap.max=0?', 'pids/pids.max=64', 'cpu/cpu.max=100000 100000', 'cpu/cpu.max.burst=100000?',
  ]);
  assert.deepEqual(show(1), [
    'memory/memory.limit_in_bytes=536870912', 'memory/memory.memsw.limit_in_bytes=536870912?', 'pids/pids.max=64',
    'cpu/cpu.cfs_period_us=100000', 'cpu/cpu.cfs_quota_us=100000', 'cpu/cpu.cfs_burst_us=100000?',
  ]);
  assert.deepEqual(limitFiles(2, { memoryBytes: 0, maxProcesses: 0, cpus: 0.5 }).map((f) => f.value), ['50000 100000', '50000']);
  assert.deepEqual(limitFiles(1, { memoryBytes: 0, maxProcesses: 0, cpus: 0 }), []);
});
