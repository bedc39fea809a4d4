import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium (`apt-get install -y chromium`), or $PAKHUIS_CHROMIUM. */
export function chromiumPath(): string {
  return process.env['PAKHUIS_CHROMIUM'] ?? '/usr/bin/chromium';
}

export class PdfUnavailable extends Error {}

/**
 * The flags a headless Chromium needs on a server: no sandbox when run as root in a container, no
 * GPU, and none of the background connections a closed network refuses.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export async function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!existsSync(executablePath))
    throw new PdfUnavailable(
      `Chromium is not installed at ${executablePath}: install it (apt-get install -y chromium) or set PAKHUIS_CHROMIUM to its path.`,
    );
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
}

export interface PdfOptions {
  /** wait until this selector is present: the page says its data and charts are drawn */
  readySelector?: string;
  timeoutMs?: number;
}

/**
 * Renders pages to PDF (A4, with backgrounds, the page's print CSS) in one Chromium, started on the
 * first request and shared; each render has its own browser context, so no cookie or storage
 * passes from one report to the next.
 */
export class PdfRenderer {
  private browser: Promise<Browser> | undefined;

  async render(url: string, opts: PdfOptions = {}): Promise<Buffer> {
    this.browser ??= launchChromium();
    const browser = await this.browser.catch((e: unknown) => {
      this.browser = undefined;
      throw e;
    });
    const context = await browser.newContext({ locale: 'nl-NL', viewport: { width: 1024, height: 1400 } });
    try {
      const page = await context.newPage();
      const timeout = opts.timeoutMs ?? 30_000;
      const response = await page.goto(url, { waitUntil: 'load', timeout });
      if (!response || !response.ok())
        throw new Error(`the report page ${url} answered ${response?.status() ?? 'nothing'}`);
      if (opts.readySelector) await page.waitForSelector(opts.readySelector, { state: 'attached', timeout });
      await page.emulateMedia({ media: 'print' });
      return await page.pdf({
        format: 'A4',
        printBackground: true,
        margin: { top: '15mm', bottom: '15mm', left: '12mm', right: '12mm' },
      });
    } finally {
      await context.close();
    }
  }

  async close(): Promise<void> {
    const b = this.browser;
    this.browser = undefined;
    if (b) await (await b.catch(() => undefined))?.close();
  }
}
