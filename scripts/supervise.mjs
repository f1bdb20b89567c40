// Runs services as child processes of this one, shared by `npm start`
// (scripts/start.mjs) and the local cluster (scripts/cluster.mjs): each one's
// output printed line by line behind its name, and all of them stopped together
// on Ctrl+C or SIGTERM (SIGTERM to each, SIGKILL to any still running 8 s later;
// this process exits once every child has).
//
// With `restart`, a service that exits is started again after a pause that
// doubles with each exit in a row (RESTART_FIRST_MS up to RESTART_MAX_MS; one that
// ran for RESTART_STABLE_MS starts over at the first pause), and the others keep
// serving meanwhile; their clients reconnect by themselves. Without it, a service
// that exits stays down (the cluster shows failover that way).
import { spawn } from 'node:child_process';

const RESTART_FIRST_MS = 500;
const RESTART_MAX_MS = 30_000;
const RESTART_STABLE_MS = 60_000;
const KILL_AFTER_MS = 8000;

/** Prints a child's stream to `out`, each line behind `[name] `. */
function prefixLines(name, stream, out) {
  let pending = '';
  stream.on('data', (chunk) => {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop();
    for (const line of lines) out.write(`[${name}] ${line}\n`);
  });
}

/**
 * Starts every service (`{ name, argv, env? }`; `env` is added to `baseEnv`) and
 * supervises them until Ctrl+C or SIGTERM. `label` begins this process's own lines.
 * Returns `stopping()`, true once everything is being stopped.
 */
export function superviseServices(services, { root, baseEnv, label, restart }) {
  const supervised = services.map((s) => ({ ...s, child: null, startedAt: 0, exitsInARow: 0, timer: null }));
  let stopping = false;

  function stopAll(code) {
    if (stopping) return;
    stopping = true;
    for (const service of supervised) clearTimeout(service.timer); // a restart still waiting never happens
    const live = supervised.map((s) => s.child).filter((c) => c && c.exitCode === null && c.signalCode === null);
    for (const child of live) child.kill('SIGTERM');
    setTimeout(() => live.forEach((c) => c.exitCode === null && c.signalCode === null && c.kill('SIGKILL')), KILL_AFTER_MS).unref();
    Promise.all(live.map((c) => new Promise((r) => (c.exitCode !== null || c.signalCode !== null ? r() : c.once('exit', r))))).then(() => process.exit(code));
  }

  function launch(service) {
    const child = spawn(service.argv[0], service.argv.slice(1), { cwd: root, env: { ...baseEnv, ...service.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    service.child = child;
    service.startedAt = Date.now();
    prefixLines(service.name, child.stdout, process.stdout);
    prefixLines(service.name, child.stderr, process.stderr);
    child.on('exit', (code, signal) => {
      service.child = null;
      if (stopping) return;
      if (signal === 'SIGINT') return stopAll(0); // Ctrl+C reached the child first
      const how = signal ?? `exit ${code}`;
      if (!restart) {
        console.error(`${label}: ${service.name} stopped (${how}); the others keep serving`);
        return;
      }
      if (Date.now() - service.startedAt >= RESTART_STABLE_MS) service.exitsInARow = 0;
      const delay = Math.min(RESTART_MAX_MS, RESTART_FIRST_MS * 2 ** service.exitsInARow);
      service.exitsInARow += 1;
      console.error(`${label}: ${service.name} stopped (${how}); restarting it in ${(delay / 1000).toFixed(1)} s (exit ${service.exitsInARow} in a row); the other services keep running`);
      service.timer = setTimeout(() => {
        service.timer = null;
        console.error(`${label}: starting ${service.name} again`);
        launch(service);
      }, delay);
    });
  }

  for (const service of supervised) launch(service);
  process.on('SIGINT', () => stopAll(0));
  process.on('SIGTERM', () => stopAll(0));
  return { stopping: () => stopping };
}
