// Browser tests in Debian's Chromium (Playwright cannot download its own here).
// The product is started once, by the README's start command, on test ports and
// a data folder of its own, so a developer's notebooks are never touched.
import { defineConfig } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

function chromiumPath(): string {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  try {
    return execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('Chromium not found on PATH: install Debian\'s chromium package or set CHROMIUM_PATH');
  }
}

const port = Number(process.env.E2E_PORT ?? 3310);
const dataDir = join(import.meta.dirname, 'test-results', 'e2e-data');

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results/e2e',
  workers: 1,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  reporter: process.env.CI ? [['list']] : [['list']],
  use: {
    baseURL: `http://localhost:${port}`,
    launchOptions: {
      executablePath: chromiumPath(),
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    },
    trace: 'retain-on-failure',
  },
  webServer: {
    command: `rm -rf "${dataDir}" && node scripts/start.mjs`,
    url: `http://localhost:${port}`,
    timeout: 300_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    env: {
      PORT: String(port),
      COLLAB_PORT: String(port + 1),
      BRIDGE_PORT: String(port + 2),
      CELLMATE_DATA_DIR: dataDir,
      NEXT_TELEMETRY_DISABLED: '1',
    },
  },
});
