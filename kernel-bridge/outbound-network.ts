// Whether pasta can give a sandboxed kernel outbound network on this machine,
// tried the way a kernel gets it (as the kernel's user, with the same options)
// around /usr/bin/true before a kernel is started with KERNEL_SANDBOX_NETWORK=outbound.
//
// Why beforehand: pasta opens /dev/net/tun inside the namespace it makes, and
// where that device is closed to the kernel's user (mode 0600 root, as on some
// hosts) it fails; started around a kernel it would leave the start to time out
// with nothing said, and a helper process of pasta's behind. Asked first, the
// start is refused with what to change, which the kernel status shows. The
// operator asked for network, so there is no quiet fallback to none: a kernel
// without the network its notebook expects fails later, less clearly.
//
// A success is remembered for the bridge's life; a failure is tried again at the
// next start, so fixing the machine needs no restart.
import { spawn, type ChildProcess } from 'node:child_process';
import { pastaArgs } from './sandbox-command';

/** How long the trial may take before it counts as failed. */
const TRIAL_MS = 10_000;
/** At most this much of pasta's complaint is quoted. */
const MAX_COMPLAINT = 300;

const working = new Set<string>();
/** The trial's whole environment: nothing of the bridge's. */
const TRIAL_ENV: Record<string, string> = { PATH: '/usr/bin:/bin' };

/** The message when outbound network was asked for and pasta cannot provide it; `complaint` is what pasta said. */
export function outboundUnavailable(uid: number | null, complaint: string): string {
  const who = uid === null ? 'the bridge\'s user' : `the kernel's user (uid ${uid})`;
  return `Outbound network for kernels is on (KERNEL_SANDBOX_NETWORK=outbound), but pasta cannot give ${who} a network on this server`
    + `${complaint ? ` (pasta: ${complaint})` : ''}. `
    + 'Let that user open /dev/net/tun (chmod 0666 /dev/net/tun, the mode most distributions give it), '
    + 'or set KERNEL_SANDBOX_NETWORK=none to run kernels without network.';
}

/** Resolves null when pasta works for `dropTo` (or the bridge's own user), else the message to refuse the kernel with. */
export async function tryOutboundNetwork(pasta: string, dropTo: { uid: number; gid: number } | undefined): Promise<string | null> {
  const key = `${pasta}:${dropTo?.uid ?? 'self'}`;
  if (working.has(key)) return null;
  let argv = [pasta, ...pastaArgs(), '/usr/bin/true'];
  if (dropTo) argv = ['/usr/bin/setpriv', `--reuid=${dropTo.uid}`, `--regid=${dropTo.gid}`, '--clear-groups', '--', ...argv];
  const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
    // Its own process group, so a helper pasta leaves behind on failure goes with it.
    const child: ChildProcess = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'], detached: true, env: TRIAL_ENV as NodeJS.ProcessEnv });
    let text = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => { if (text.length < 4 * MAX_COMPLAINT) text += chunk; });
    const timer = setTimeout(() => killGroup(child.pid), TRIAL_MS);
    child.on('error', (err: Error) => { clearTimeout(timer); resolve({ code: null, stderr: err.message }); });
    child.on('close', (exitCode: number | null) => {
      clearTimeout(timer);
      killGroup(child.pid);
      resolve({ code: exitCode, stderr: text });
    });
  });
  if (code === 0) {
    working.add(key);
    return null;
  }
  // pasta's own lines, without its complaint about a missing syslog.
  const complaint = stderr.split('\n').map((l) => l.trim()).filter((l) => l && !/syslog/i.test(l)).join('; ').slice(0, MAX_COMPLAINT);
  return outboundUnavailable(dropTo?.uid ?? null, complaint || (code === null ? 'it did not finish' : `exit ${code}`));
}

function killGroup(pid: number | undefined): void {
  if (!pid) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}
