import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { EMBEDS } from './host-pages.ts';

/**
 * The pages people see, in a real headless Chromium (Debian's, via playwright-core): the landing
 * page, each embed inside an iframe on another origin, the widgets at 320 px, and /docs. Every
 * request is intercepted: anything not to the API or the host page's own origin is refused and
 * fails the test, as does any console error. Screenshots go to test/browser/screenshots/ (ignored by git).
 */

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// CI installs Chromium (.ci/run); a developer machine without it skips, saying so.
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && process.env.CI)
  throw new Error(`Chromium not found at ${CHROMIUM}; .ci/run installs it`);
if (!haveChromium)
  console.warn(`[browser tests] skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium)`);

const SHOTS = join(fileURLToPath(new URL('.', import.meta.url)), 'screenshots');
const api = inject('apiOrigin');
const host = inject('hostOrigin');

let browser: Browser;

beforeAll(async () => {
  if (!haveChromium) return;
  mkdirSync(SHOTS, { recursive: true });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});
afterAll(async () => browser?.close());

interface Watched {
  context: BrowserContext;
  page: Page;
  errors: string[];
  foreign: string[];
}

/** A page at `width` whose console errors and requests to other hosts are recorded (and refused). */
async function watched(width: number, allowed: string[]): Promise<Watched> {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  const errors: string[] = [];
  const foreign: string[] = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (allowed.includes(url.origin)) return route.continue();
    foreign.push(url.href);
    return route.abort();
  });
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  return { context, page, errors, foreign };
}

const fills = (page: Page, selector: string) =>
  page.locator(selector).evaluateAll((els) => els.map((e) => e.getAttribute('fill') ?? ''));

describe.skipIf(!haveChromium)('in a real browser', () => {
  it('the landing page: 38 filled LEPs, hex and boundaries, click for a profile, search by postcode', async () => {
    const w = await watched(1280, [api]);
    const { page } = w;
    await page.goto(`${api}/`);
    const hexes = page.locator('lep-indicator-map .a path');
    await expect.poll(() => hexes.count(), { timeout: 20_000 }).toBe(38);
    const hexFills = await fills(page, 'lep-indicator-map .a path');
    expect(hexFills).toHaveLength(38);
    expect(hexFills.filter((f) => !/^#[0-9a-f]{6}$/.test(f))).toEqual([]);
    expect(new Set(hexFills).size).toBeGreaterThan(2);
    await page.screenshot({ path: join(SHOTS, 'landing-hex.png'), fullPage: true });

    await page.locator('lep-indicator-map .a[data-code="E37000015"]').click();
    await expect
      .poll(() => page.locator('lep-profile h2').textContent(), { timeout: 10_000 })
      .toBe('Greater Manchester');
    expect(page.url()).toContain('lep=E37000015');

    await page.locator('input[value="boundaries"]').check();
    const shapes = page.locator('lep-indicator-map svg[data-shape="boundaries"] .a path');
    await expect.poll(() => shapes.count(), { timeout: 20_000 }).toBe(38);
    const boxes = await shapes.evaluateAll((els) =>
      els.map((e) => (e as SVGGraphicsElement).getBBox().width),
    );
    expect(boxes).toHaveLength(38);
    expect(boxes.filter((b) => !(b > 0))).toEqual([]);
    const shapeFills = await fills(page, 'lep-indicator-map .a path');
    expect(shapeFills).toHaveLength(38);
    expect(shapeFills.filter((f) => !/^#[0-9a-f]{6}$/.test(f))).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'landing-boundaries.png'), fullPage: true });

    await page.locator('#q').fill('TR1 1AA');
    await page.locator('#search button[type="submit"]').click();
    const first = page.locator('#results button').first();
    await expect
      .poll(() => first.textContent(), { timeout: 10_000 })
      .toMatch(/TR1 1AA.*Cornwall and Isles of Scilly/);
    await first.click();
    await expect
      .poll(() => page.locator('lep-profile h2').textContent(), { timeout: 10_000 })
      .toBe('Cornwall and Isles of Scilly');

    // Keyboard: an area is reachable and Enter chooses it.
    await page.locator('lep-indicator-map .a[data-code="E37000015"]').focus();
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.locator('lep-profile h2').textContent(), { timeout: 10_000 })
      .toBe('Greater Manchester');

    // The year list offers only years the map can draw: each answers the ranking with 200, and an
    // indicator with a year lacking some LEPs does not offer it.
    const status = async (path: string) => (await fetch(`${api}${path}`)).status;
    const offered = async () =>
      page.locator('#year option').evaluateAll((els) => els.map((e) => (e as HTMLOptionElement).value));
    const list = (await (await fetch(`${api}/v1/indicators?limit=500`)).json()) as {
      data: { id: string; latestYear: number | null }[];
    };
    let gap: { id: string; missing: number } | undefined;
    for (const i of list.data.filter((x) => x.latestYear !== null)) {
      const d = (await (await fetch(`${api}/v1/indicators/${i.id}`)).json()) as { years: number[] };
      for (const y of d.years.filter((x) => x <= (i.latestYear as number)))
        if ((await status(`/v1/indicators/${i.id}/ranking?year=${y}`)) === 404)
          gap = { id: i.id, missing: y };
      if (gap) break;
    }
    const years = await offered();
    expect(years.length).toBeGreaterThan(0);
    for (const y of years)
      expect(await status(`/v1/indicators/enterprise-birth-rate/ranking?year=${y}`), y).toBe(200);
    // Both datasets have such a year (test/db/ranking-rules.test.ts counts them): the redraw is checked.
    if (!gap) throw new Error('no indicator with a year the 2021 cohort cannot rank');
    await page.locator('#indicator').selectOption(gap.id);
    // The years list is redrawn once the indicator's years arrive; draw() then writes the URL.
    await expect.poll(() => page.url(), { timeout: 10_000 }).toContain(`indicator=${gap.id}`);
    const gapYears = await offered();
    expect(gapYears).not.toContain(String(gap.missing));
    expect(gapYears.length).toBeGreaterThan(0);
    for (const y of gapYears) expect(await status(`/v1/indicators/${gap.id}/ranking?year=${y}`), y).toBe(200);
    await page.locator('#year').selectOption(gapYears.at(-1) as string);
    await expect
      .poll(
        () =>
          fills(page, 'lep-indicator-map .a path').then(
            (f) => f.filter((x) => /^#[0-9a-f]{6}$/.test(x)).length,
          ),
        { timeout: 20_000 },
      )
      .toBe(38);
    await page.screenshot({ path: join(SHOTS, 'landing-oldest-year.png'), fullPage: true });

    await page.setViewportSize({ width: 320, height: 900 });
    await page.screenshot({ path: join(SHOTS, 'landing-320.png'), fullPage: true });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    expect(w.errors).toEqual([]);
    expect(w.foreign).toEqual([]);
    await w.context.close();
  });

  it('each embed inside an iframe on another origin posts its height and fits 320 px', async () => {
    const w = await watched(320, [api, host]);
    const { page } = w;
    await page.goto(`${host}/embeds.html`);
    const heights = () =>
      page.evaluate(
        () => (window as unknown as { __heights?: { src: string; height: number }[] }).__heights ?? [],
      );
    await expect
      .poll(async () => new Set((await heights()).map((h) => new URL(h.src).pathname)).size, {
        timeout: 20_000,
      })
      .toBe(EMBEDS.length);
    await page.waitForTimeout(300);
    const frames = page.locator('iframe');
    expect(await frames.count()).toBe(EMBEDS.length);
    for (let i = 0; i < EMBEDS.length; i++) {
      const path = EMBEDS[i] as string;
      const last = (await heights()).filter((h) => new URL(h.src).pathname === path).at(-1);
      expect(last?.height, path).toBeGreaterThan(150);
      const style = await frames.nth(i).evaluate((f) => (f as HTMLIFrameElement).style.height);
      expect(style, path).toBe(`${last?.height}px`);
      const frame = page.frame({ url: `${api}${path}` });
      expect(frame, path).not.toBeNull();
      const fits = await frame?.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
      expect(fits, path).toBe(true);
      expect(await frame?.evaluate(() => document.documentElement.lang)).toBe('en-GB');
    }
    const map = page.frame({ url: `${api}${EMBEDS[1]}` });
    expect(await map?.locator('[tabindex="0"]').count()).toBe(38);
    // One picture per widget: off-screen cross-origin frames may not be painted in a full-page shot.
    for (const [i, name] of ['lep', 'map', 'investments'].entries()) {
      await frames.nth(i).scrollIntoViewIfNeeded();
      await frames.nth(i).screenshot({ path: join(SHOTS, `embed-${name}-320.png`) });
    }
    expect(w.errors).toEqual([]);
    expect(w.foreign).toEqual([]);
    await w.context.close();
  });

  it('the web components render in shadow DOM at 320 px and report a chosen LEP', async () => {
    const w = await watched(320, [api, host]);
    const { page } = w;
    await page.goto(`${host}/widget.html`);
    await expect
      .poll(() => page.locator('lep-profile h2').textContent(), { timeout: 20_000 })
      .toBe('Greater Manchester');
    expect(await page.locator('lep-profile .r').count()).toBeGreaterThan(0);
    const maps = page.locator('lep-indicator-map');
    for (let i = 0; i < 2; i++)
      await expect.poll(() => maps.nth(i).locator('.a').count(), { timeout: 20_000 }).toBe(38);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    await page.evaluate(() => {
      document.addEventListener('lep-select', (e) => {
        (window as unknown as { __chosen: string }).__chosen = (e as CustomEvent).detail.code;
      });
    });
    await maps.nth(0).locator('.a[data-code="E37000005"]').click();
    expect(await page.evaluate(() => (window as unknown as { __chosen?: string }).__chosen)).toBe(
      'E37000005',
    );
    await page.screenshot({ path: join(SHOTS, 'widgets-320.png'), fullPage: true });
    expect(w.errors).toEqual([]);
    expect(w.foreign).toEqual([]);
    await w.context.close();
  });

  it('/docs renders Swagger UI from this server with no network and lists every operation', async () => {
    const spec = (await (await fetch(`${api}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const operations = Object.values(spec.paths).flatMap((p) =>
      Object.keys(p).filter((m) => ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'].includes(m)),
    );
    expect(operations.length).toBeGreaterThan(20);
    const w = await watched(1280, [api]);
    const { page } = w;
    await page.goto(`${api}/docs`);
    await expect.poll(() => page.locator('.opblock').count(), { timeout: 30_000 }).toBe(operations.length);
    expect(await page.locator('.info .title').textContent()).toContain('innovation-observatory');
    await page.screenshot({ path: join(SHOTS, 'docs.png') });
    expect(w.errors).toEqual([]);
    expect(w.foreign).toEqual([]);
    await w.context.close();
  });
});
