// Children we start in their own process group (code-server, the test model server) must never outlive
// a failing or interrupted run: one exit/SIGINT/SIGTERM handler kills every group still registered.
const groups = new Set();
let installed = false;

function killAll(signal) {
  for (const pid of groups) {
    try {
      process.kill(-pid, signal);
    } catch {
      // Already gone.
    }
  }
}

function install() {
  if (installed) return;
  installed = true;
  process.on('exit', () => killAll('SIGKILL'));
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]]) {
    process.once(signal, () => {
      killAll('SIGKILL');
      process.exit(code);
    });
  }
}

/** Registers a process-group leader's pid so it is killed if this process ends first. */
export function trackGroup(pid) {
  install();
  groups.add(pid);
}

/**
 * Kills a process group: SIGTERM, then SIGKILL when `child` has not exited within `graceMs`.
 * @param {import('node:child_process').ChildProcess} child the group leader
 */
export async function killGroup(child, graceMs = 3000) {
  const pid = child.pid;
  if (pid === undefined) return;
  groups.delete(pid);
  const exited = child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', resolve));
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {
    return;
  }
  const timer = new Promise((resolve) => setTimeout(resolve, graceMs, 'timeout'));
  await Promise.race([exited, timer]);
  // The leader may be gone while its children (file watcher, extension hosts) linger: kill the group anyway.
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Whole group already gone.
  }
}
