// Waits for a condition with a deadline, for tests and scripts that must not
// sleep for a guessed time. Polls on a short interval; rejects with `what`.
export async function waitFor(condition: () => boolean, timeoutMs: number, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
