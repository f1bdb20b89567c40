// The product's processes as the operating system sees them (Linux): which
// process listens on a port, found through /proc, so a test can kill one
// service of the running product as a crash would.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** Inodes of the sockets listening on TCP `port` (IPv4 and IPv6). */
function listeningInodes(port: number): Set<string> {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length < 10) continue;
      const localPort = parseInt(fields[1].split(':').pop()!, 16);
      if (localPort === port && fields[3] === '0A') inodes.add(fields[9]); // 0A: LISTEN
    }
  }
  return inodes;
}

/** The id of the process listening on TCP `port`, or undefined when none is. */
export function pidListeningOn(port: number): number | undefined {
  const inodes = listeningInodes(port);
  if (inodes.size === 0) return undefined;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue; // gone, or not ours
    }
    for (const fd of fds) {
      try {
        const target = readlinkSync(`/proc/${entry}/fd/${fd}`);
        const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
        if (inode && inodes.has(inode)) return Number(entry);
      } catch {}
    }
  }
  return undefined;
}
