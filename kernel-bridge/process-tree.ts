// A process and its descendants as Linux's /proc shows them: who the children
// are (to find a sandboxed kernel's own process under bubblewrap) and how much
// memory the tree holds resident (a kernel's memory in use when no cgroup says).
//
// Every read tolerates a process that exits in between: it simply drops out.
import { readdirSync, readFileSync } from 'node:fs';

/** The direct children of `pid` (of every one of its threads), or [] once it is gone. */
export function childrenOf(pid: number): number[] {
  const out: number[] = [];
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tids) {
    try {
      for (const child of readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(' ')) if (child.trim()) out.push(Number(child));
    } catch {
      // the thread ended meanwhile
    }
  }
  return out;
}

/** `pid` and all its descendants, parents before children. */
export function processTree(pid: number): number[] {
  const out: number[] = [];
  const queue = [pid];
  while (queue.length) {
    const next = queue.shift()!;
    out.push(next);
    queue.push(...childrenOf(next));
  }
  return out;
}

/** Resident memory of `pid` and its descendants in bytes; null if `pid` is gone. */
export function treeResidentBytes(pid: number): number | null {
  let total = 0;
  let seen = false;
  for (const p of processTree(pid)) {
    try {
      const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${p}/status`, 'utf8'));
      if (match) total += Number(match[1]) * 1024;
      seen = true;
    } catch {
      // gone meanwhile
    }
  }
  return seen ? total : null;
}

/** The process group `pid` belongs to, or null once it is gone. */
export function processGroupOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // pid (comm) state ppid pgrp ...; comm may hold spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[2]);
  } catch {
    return null;
  }
}
