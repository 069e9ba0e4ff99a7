/**
 * A real headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core) for the dashboard's tests, and the
 * check every page gets: axe-core finds no accessibility violation, and a full-page screenshot is kept in
 * test-artifacts/screenshots/<name>.png (gitignored) for a human to look at.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { VIA_TLS_PROXY } from './sessions';

export const SCREENSHOTS = path.join(__dirname, '..', 'artifacts', 'screenshots');
/** Without the background-networking flags Chromium keeps trying to reach Google on this closed network. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core'), 'utf8');

export async function launchBrowser(): Promise<Browser> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/**
 * A fresh context (its own cookies). The pages send a strict CSP; only the test's browser bypasses it, to inject axe.
 * Every request says it came through the TLS-terminating proxy, as in production (see test/support/sessions.ts): the
 * app then sets its Secure session cookie over this plain-http loopback connection.
 */
export async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({
    bypassCSP: true,
    viewport: { width: 1100, height: 900 },
    extraHTTPHeaders: VIA_TLS_PROXY,
  });
  return context.newPage();
}

export interface AxeViolation {
  id: string;
  help: string;
  targets: string[];
}

/** Runs axe-core on the page, saves its screenshot, and fails the test on any violation (printed for the reader). */
export async function checkPage(page: Page, name: string): Promise<void> {
  const violations = await axeViolations(page);
  if (violations.length > 0) console.error(`axe violations on ${name}:\n${JSON.stringify(violations, null, 2)}`);
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
  fs.appendFileSync(
    path.join(SCREENSHOTS, 'axe-results.txt'),
    `${name}: ${violations.length} violations (${page.url()})\n`,
  );
  expect(violations).toEqual([]);
}

async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ content: AXE_SOURCE });
  const result = await page.evaluate(() =>
    (
      globalThis as unknown as {
        axe: {
          run: () => Promise<{ violations: Array<{ id: string; help: string; nodes: Array<{ target: unknown }> }> }>;
        };
      }
    ).axe.run(),
  );
  return result.violations.map((v) => ({
    id: v.id,
    help: v.help,
    targets: v.nodes.map((n) => JSON.stringify(n.target)),
  }));
}
