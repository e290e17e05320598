// Playwright configuration for Scale Lab's end-to-end tests.
// Run through `cargo xtask test` (which builds dist/ first). Uses the system
// Chromium from apt; Playwright never downloads a browser here.
import { defineConfig } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const here = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = join(here, '..', '..');
const port = Number(process.env.E2E_PORT ?? 8093);

export default defineConfig({
  testDir: here,
  testMatch: '*.spec.mjs',
  outputDir: join(repoRoot, 'target', 'e2e-results'),
  retries: 0,
  workers: 1,
  forbidOnly: true,
  timeout: 60_000,
  reporter: 'list',
  use: {
    baseURL: `http://127.0.0.1:${port}/`,
    viewport: { width: 1280, height: 800 },
    trace: 'off',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        browserName: 'chromium',
        headless: true,
        launchOptions: {
          executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
          ],
        },
      },
    },
  ],
  webServer: {
    command: `node ${JSON.stringify(join(here, 'serve-dist.mjs'))} ${port}`,
    url: `http://127.0.0.1:${port}/`,
    reuseExistingServer: false,
    timeout: 30_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
