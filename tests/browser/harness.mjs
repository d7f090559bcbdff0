// Shared setup for the browser tests: the inspector's own server on a free
// port and a headless Chromium with a throwaway profile, plus a record of
// every console error or warning and uncaught exception on any page.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { startServer } from '../../scripts/serve.mjs';

export const CHROMIUM = '/usr/bin/chromium';

// Flags that keep Chromium from reaching any host but 127.0.0.1 on its own.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const VIEWPORT = { width: 1200, height: 900 };

/**
 * Starts a headless Chromium with a throwaway profile. Returns { context,
 * consoleProblems, requests, close }: consoleProblems collects console
 * errors and warnings and page errors, requests every URL and POST body
 * any page sent.
 */
export async function launchBrowser() {
  const profile = await mkdtemp(path.join(tmpdir(), 'callstatus-browser-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: VIEWPORT,
    args: CHROMIUM_ARGS,
  });

  const consoleProblems = [];
  const requests = [];

  context.on('page', (page) => watchPage(page, consoleProblems, requests));
  for (const page of context.pages()) watchPage(page, consoleProblems, requests);

  return {
    context,
    consoleProblems,
    requests,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Starts the server and the browser. Returns { url, context, newPage,
 * consoleProblems, requests, close }, as launchBrowser() does, plus the
 * inspector's URL and origin.
 */
export async function startInspector() {
  const server = await startServer({ port: 0 });
  const browser = await launchBrowser();
  const { context } = browser;

  return {
    url: server.url,
    origin: new URL(server.url).origin,
    context,
    consoleProblems: browser.consoleProblems,
    requests: browser.requests,

    /** Opens a page at `url` (the inspector by default) and waits for its first result. */
    async newPage(url = server.url) {
      const page = await context.newPage();
      await page.goto(url);
      await waitForResult(page);
      return page;
    },

    async close() {
      await browser.close();
      await server.close();
    },
  };
}

function watchPage(page, consoleProblems, requests) {
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') {
      consoleProblems.push(`${message.type()} on ${page.url()}: ${message.text()}`);
    }
  });
  page.on('pageerror', (error) => {
    consoleProblems.push(`uncaught exception on ${page.url()}: ${error.stack ?? error.message}`);
  });
  page.on('request', (request) => {
    requests.push({ url: request.url(), body: request.postData() ?? '' });
  });
}

/** Waits until the page has validated the current text (no debounce pending). */
export async function waitForResult(page) {
  await page.waitForSelector('#results[data-pending="false"]', { state: 'attached' });
}

/** Replaces the editor text as a paste would, then waits for the result. */
export async function setPayload(page, text) {
  await page.fill('#payload', text);
  await waitForResult(page);
}

/** Loads a sample through the Samples menu, as a user would. */
export async function loadSample(page, id) {
  await page.click('#samples-menu > summary');
  await page.click(`#samples-panel [data-sample="${id}"]`);
  await waitForResult(page);
}

/** Returns the issues shown on the page as { code, path, severity } in list order. */
export async function shownIssues(page) {
  return page.$$eval('#issues button[data-index]', (buttons) =>
    buttons.map((button) => ({
      code: button.dataset.code,
      path: button.dataset.path,
      severity: button.classList.contains('issue-error') ? 'error' : 'warning',
    })),
  );
}

/** Returns the textarea's selection as { start, end } in UTF-16 indices. */
export async function editorSelection(page) {
  return page.$eval('#payload', (area) => ({ start: area.selectionStart, end: area.selectionEnd }));
}

export async function verdict(page) {
  return page.getAttribute('#verdict', 'data-verdict');
}
