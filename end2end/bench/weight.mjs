// Room page weight on first load (run by scripts/bench.sh from end2end/, so that
// @playwright/test resolves from end2end/node_modules).
//
// A fresh Chromium context (390x844, empty cache) with the customer's session cookie opens
// the room and waits for 'networkidle'. Bytes come from CDP Network.loadingFinished
// encodedDataLength: what went over the wire, compressed as served, headers included.
// The SSE request (/events, opened after hydration) never finishes and is left out.
//
// Env: BENCH_BASE, BENCH_COOKIE (customer "name=value; ..."), BENCH_ROOM_URL, BENCH_PAGES.
// Measures the room, the request form and My requests (goal: each <= 150 KB).
// Prints: <page> first load: N requests, X KB transferred (html A KB, wasm B KB, js C KB, css D KB)
// (1 KB = 1024 bytes; ", other E KB" is added when something else was loaded, e.g. images.)
import { chromium } from '@playwright/test';

const base = (process.env.BENCH_BASE ?? 'http://127.0.0.1:3200').replace(/\/+$/, '');
const cookieHeader = process.env.BENCH_COOKIE ?? '';
const roomUrl = process.env.BENCH_ROOM_URL ?? '';

function fail(msg) {
  console.error(`weight: ${String(msg).replace(/\x1b\[[0-9;]*m/g, '')}`);
  process.exit(1);
}
if (!roomUrl) fail('BENCH_ROOM_URL is empty');

const cookies = cookieHeader
  .split(';')
  .map((s) => s.trim())
  .filter(Boolean)
  .map((kv) => {
    const i = kv.indexOf('=');
    return { name: kv.slice(0, i).trim(), value: kv.slice(i + 1).trim(), url: base };
  })
  .filter((c) => c.name);
if (cookies.length === 0) console.error('weight: warning: no customer cookie; measuring the room without a session');

function category(r) {
  const path = (() => {
    try {
      return new URL(r.url).pathname;
    } catch {
      return r.url;
    }
  })();
  const mime = (r.mimeType ?? '').toLowerCase();
  if (r.type === 'Document' || mime === 'text/html') return 'html';
  if (path.endsWith('.wasm') || mime === 'application/wasm') return 'wasm';
  if (r.type === 'Script' || path.endsWith('.js') || path.endsWith('.mjs') || mime.includes('javascript')) return 'js';
  if (r.type === 'Stylesheet' || path.endsWith('.css') || mime === 'text/css') return 'css';
  return 'other';
}

function isEventStream(r) {
  if (r.type === 'EventSource') return true;
  try {
    return new URL(r.url).pathname === '/events';
  } catch {
    return false;
  }
}

async function main() {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    // Each page in a fresh context: an empty cache, as a customer arriving from a text.
    // BENCH_PAGES ("label|url,label|url") measures those pages instead (the board, with a
    // staff cookie).
    const pages = process.env.BENCH_PAGES
      ? process.env.BENCH_PAGES.split(',').map((p) => p.split('|'))
      : [
          ['room', roomUrl],
          ['request form', `${base}/`],
          ['my requests', `${base}/my-requests`],
        ];
    for (const [label, url] of pages) {
      await measure(browser, label, url);
    }
  } finally {
    await browser.close();
  }
}

async function measure(browser, label, pageUrl) {
  {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    if (cookies.length) await context.addCookies(cookies);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);

    const reqs = new Map(); // requestId -> { url, type, mimeType, status, bytes, done, failed }
    const hops = []; // redirect responses (each one a request of its own on the wire)
    cdp.on('Network.requestWillBeSent', (e) => {
      if (e.redirectResponse) {
        hops.push({
          url: e.redirectResponse.url,
          type: e.type,
          mimeType: e.redirectResponse.mimeType,
          status: e.redirectResponse.status,
          bytes: e.redirectResponse.encodedDataLength ?? 0,
          done: true,
        });
      }
      reqs.set(e.requestId, { url: e.request.url, type: e.type, bytes: 0, done: false });
    });
    cdp.on('Network.responseReceived', (e) => {
      const r = reqs.get(e.requestId);
      if (r) {
        r.mimeType = e.response.mimeType;
        r.status = e.response.status;
        r.type = e.type ?? r.type;
        r.fromCache = e.response.fromDiskCache || e.response.fromServiceWorker;
      }
    });
    cdp.on('Network.loadingFinished', (e) => {
      const r = reqs.get(e.requestId);
      if (r) {
        r.bytes = e.encodedDataLength;
        r.done = true;
      }
    });
    cdp.on('Network.loadingFailed', (e) => {
      const r = reqs.get(e.requestId);
      if (r) {
        r.failed = e.errorText || 'failed';
        r.done = true;
      }
    });
    await cdp.send('Network.enable');

    const res = await page.goto(pageUrl, { waitUntil: 'networkidle', timeout: 60_000 });
    const status = res?.status();
    if (status !== 200) console.error(`weight: warning: ${label} answered HTTP ${status} (${page.url()})`);
    else if (page.url() !== pageUrl) console.error(`weight: warning: ended at ${page.url()}, not ${pageUrl}`);

    const all = [...hops, ...reqs.values()].filter((r) => !r.url.startsWith('data:') && !isEventStream(r));
    const pending = all.filter((r) => !r.done);
    for (const r of pending) console.error(`weight: warning: still loading after networkidle, not counted: ${r.url}`);
    for (const r of all.filter((r) => r.failed)) console.error(`weight: warning: failed (${r.failed}): ${r.url}`);
    const counted = all.filter((r) => r.done);
    const by = { html: 0, wasm: 0, js: 0, css: 0, other: 0 };
    let total = 0;
    for (const r of counted) {
      by[category(r)] += r.bytes;
      total += r.bytes;
    }
    const kb = (b) => (b / 1024).toFixed(1);
    const other = by.other ? `, other ${kb(by.other)} KB` : '';
    console.log(
      `${label} first load: ${counted.length} requests, ${kb(total)} KB transferred ` +
        `(html ${kb(by.html)} KB, wasm ${kb(by.wasm)} KB, js ${kb(by.js)} KB, css ${kb(by.css)} KB${other})`,
    );
    if (process.env.BENCH_WEIGHT_VERBOSE) {
      for (const r of counted) console.error(`  ${String(r.bytes).padStart(9)}  ${category(r).padEnd(5)} ${r.status ?? ''} ${r.url}`);
    }
    await context.close();
  }
}

main().catch((e) => fail(e?.message ?? String(e)));
