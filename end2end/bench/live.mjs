// Live update latency (run by scripts/bench.sh; needs no npm packages, only Node >= 20).
//
// Staff posts a customer-visible update (POST /api/staff_update) -> the customer's open
// /events stream receives `event: change` with kind "update". Per round:
//   t0 = just before the POST is sent, t1 = when that event arrives on the customer's stream.
// Rounds are sequential; one unreported warm-up round comes first (fresh connections).
//
// Env: BENCH_BASE (http://127.0.0.1:3200), BENCH_COOKIE (customer "name=value; ..."),
//      BENCH_ROOM_URL (…/room/<reference>), BENCH_LIVE_N (50), BENCH_LIVE_TIMEOUT_MS (5000),
//      BENCH_STAFF_EMAIL / BENCH_STAFF_PASSWORD (the seeded demo owner).
//      BENCH_LIVE_STREAMS (0): that many more /events streams held open (same customer
//        session), each getting every change, to load the fan-out;
//      BENCH_LIVE_POST_BASE (BENCH_BASE): the instance staff post to — another app instance
//        on the same database measures the path through PostgreSQL NOTIFY between them;
//      BENCH_LIVE_LABEL: a label for the printed line.
//      BENCH_LIVE_RATE (0): posts per second. 0 posts the next round once the last event is
//        in (sequential); above 0 posts on a steady clock without waiting, and matches each
//        arriving event to the oldest post still waiting for one (events are published in
//        commit order, so with latency under the interval this pairing is exact).
//      BENCH_LIVE_DIRECTION ("staff"): "customer" measures the other way — the customer
//        posts a room message (POST /api/room_message) and a staff member's open board stream
//        gets kind "message"; the extra streams are then other open boards (staff sessions).
// Prints: live update latency[ label]: p50 X ms, p95 Y ms, p99 Z ms (n=N, streams=S)
import { performance } from 'node:perf_hooks';

const base = (process.env.BENCH_BASE ?? 'http://127.0.0.1:3200').replace(/\/+$/, '');
const customerCookie = process.env.BENCH_COOKIE ?? '';
const roomUrl = process.env.BENCH_ROOM_URL ?? '';
const n = Number.parseInt(process.env.BENCH_LIVE_N ?? '50', 10);
const timeoutMs = Number.parseInt(process.env.BENCH_LIVE_TIMEOUT_MS ?? '5000', 10);
const staffEmail = process.env.BENCH_STAFF_EMAIL ?? 'owner@demo.customerroom.test';
const staffPassword = process.env.BENCH_STAFF_PASSWORD;
const extraStreams = Number.parseInt(process.env.BENCH_LIVE_STREAMS ?? '0', 10);
const postBase = (process.env.BENCH_LIVE_POST_BASE ?? base).replace(/\/+$/, '');
const label = process.env.BENCH_LIVE_LABEL ? ` ${process.env.BENCH_LIVE_LABEL}` : '';
const fromCustomer = (process.env.BENCH_LIVE_DIRECTION ?? 'staff') === 'customer';
const rate = Number.parseFloat(process.env.BENCH_LIVE_RATE ?? '0');
const wantedKind = fromCustomer ? 'message' : 'update';
let listenCookie = customerCookie; // whose stream is measured (and loaded): set in main()

function fail(msg) {
  console.error(`live: ${msg}`);
  process.exit(1);
}

if (!customerCookie) fail('BENCH_COOKIE is empty (no customer session cookie)');
if (!roomUrl) fail('BENCH_ROOM_URL is empty');
if (!Number.isFinite(n) || n < 1) fail(`bad BENCH_LIVE_N: ${process.env.BENCH_LIVE_N}`);
const reference = decodeURIComponent(new URL(roomUrl).pathname.split('/').filter(Boolean).pop() ?? '');
if (!reference) fail(`no reference in BENCH_ROOM_URL ${roomUrl}`);

const form = (fields) => new URLSearchParams(fields).toString();
const snippet = (s) => s.replace(/\s+/g, ' ').slice(0, 300);

// --- staff sign-in ---------------------------------------------------------------------
async function staffSignIn() {
  const res = await fetch(`${postBase}/api/staff_sign_in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: form({ email: staffEmail, password: staffPassword }),
  });
  const text = await res.text();
  const session = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0].trim())
    .find((kv) => kv.startsWith('cr_staff='));
  if (res.status >= 400 || !session) {
    fail(`staff sign-in failed: HTTP ${res.status}${session ? '' : ', no cr_staff cookie'}: ${snippet(text)}`);
  }
  return session;
}

// --- the customer's SSE stream -----------------------------------------------------------
// Parsed per the EventSource rules: lines end in \n, \r\n or \r; ':' lines are comments
// (axum's keep-alive); a blank line dispatches the event.
let waiter = null; // { resolve, reject } for the round in flight
let steady = null; // steady-rate mode: { waiting: [t0…], samples: [ms…], done }
let lockedRequestId = null; // the request the staff updates land on (set by the warm-up)
let streamEnded = null; // Error once the stream is gone
const controller = new AbortController();

function onEvent(type, data) {
  if (type !== 'change') return;
  let ev;
  try {
    ev = JSON.parse(data);
  } catch {
    return;
  }
  if (ev?.kind !== wantedKind) return;
  if (steady && lockedRequestId && ev.request_id === lockedRequestId) {
    const t0 = steady.waiting.shift();
    if (t0 !== undefined) steady.samples.push(performance.now() - t0);
    if (steady.samples.length >= n) steady.done();
    return;
  }
  if (!waiter) return; // stale: nothing in flight
  if (lockedRequestId && ev.request_id !== lockedRequestId) return; // another request
  const t1 = performance.now();
  const w = waiter;
  waiter = null;
  w.resolve({ t1, requestId: ev.request_id });
}

async function openStream() {
  const res = await fetch(`${base}/events`, {
    headers: { Cookie: listenCookie, Accept: 'text/event-stream', 'Cache-Control': 'no-cache' },
    signal: controller.signal,
  });
  const ctype = res.headers.get('content-type') ?? '';
  if (res.status !== 200 || !ctype.startsWith('text/event-stream')) {
    const text = await res.text().catch(() => '');
    fail(`GET /events with the ${fromCustomer ? 'staff' : 'customer'} cookie: HTTP ${res.status} (${ctype || 'no content-type'}): ${snippet(text)}`);
  }
  // The handler subscribes before it returns the response, so once the headers are here
  // every later change reaches this stream. Read it in the background.
  (async () => {
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buf = '';
    let type = '';
    let data = [];
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buf += decoder.decode(value, { stream: true });
        let m;
        // Keep a trailing lone '\r' in the buffer: it may be the first half of "\r\n".
        while ((m = /\r\n|\n|\r(?!$)/.exec(buf))) {
          const line = buf.slice(0, m.index);
          buf = buf.slice(m.index + m[0].length);
          if (line === '') {
            if (data.length) onEvent(type || 'message', data.join('\n'));
            type = '';
            data = [];
            continue;
          }
          if (line.startsWith(':')) continue; // comment / keep-alive
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          let value = colon < 0 ? '' : line.slice(colon + 1);
          if (value.startsWith(' ')) value = value.slice(1);
          if (field === 'event') type = value;
          else if (field === 'data') data.push(value);
        }
      }
      streamEnded = new Error('the /events stream ended');
    } catch (e) {
      streamEnded = controller.signal.aborted ? new Error('aborted') : e;
    }
    if (waiter) {
      const w = waiter;
      waiter = null;
      w.reject(streamEnded);
    }
  })();
}

// Streams that only load the server: read and thrown away.
async function openIdleStreams(count) {
  const opened = [];
  for (let i = 0; i < count; i++) {
    opened.push(
      fetch(`${base}/events`, {
        headers: { Cookie: listenCookie, Accept: 'text/event-stream' },
        signal: controller.signal,
      }).then(async (res) => {
        if (res.status !== 200) fail(`idle stream ${i}: HTTP ${res.status}`);
        const reader = res.body.getReader();
        (async () => {
          try {
            for (;;) if ((await reader.read()).done) break;
          } catch {}
        })();
      }),
    );
  }
  await Promise.all(opened);
}

// --- one round -----------------------------------------------------------------------------
async function round(staffCookie, i) {
  if (streamEnded) throw new Error(`/events stream closed: ${streamEnded.message}`);
  let timer;
  const arrived = new Promise((resolve, reject) => {
    waiter = { resolve, reject };
    timer = setTimeout(() => {
      waiter = null;
      reject(new Error(`no "${wantedKind}" change event within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  const text = `Bench live ${wantedKind} ${i} (${new Date().toISOString()})`;
  const [endpoint, body, cookie] = fromCustomer
    ? ['room_message', form({ reference, body: text, topic: 'general', client_key: `bench-${Date.now()}-${i}` }), customerCookie]
    : ['staff_update', form({ reference, body: text }), staffCookie];
  const t0 = performance.now();
  const posted = fetch(`${postBase}/api/${endpoint}`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Accept: 'application/json',
      Cookie: cookie,
      // The server refuses cross-site posts; a same-origin browser sends this.
      Origin: postBase,
    },
    body,
  }).then(async (res) => {
    const answer = await res.text();
    if (res.status >= 400) throw new Error(`POST /api/${endpoint}: HTTP ${res.status}: ${snippet(answer)}`);
  });
  try {
    // Whichever fails first is the error; the event may well arrive before the POST answers.
    const [{ t1, requestId }] = await Promise.all([arrived, posted]);
    return { ms: t1 - t0, requestId };
  } finally {
    clearTimeout(timer);
    waiter = null;
  }
}

// n posts on a steady clock, `rate` a second, not waiting for their events.
async function steadyRounds(staffCookie) {
  const all = new Promise((resolve) => {
    steady = { waiting: [], samples: [], done: resolve };
  });
  const every = 1000 / rate;
  const start = performance.now();
  const posts = [];
  for (let i = 1; i <= n; i++) {
    const wait = start + (i - 1) * every - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const text = `Bench steady ${i} (${new Date().toISOString()})`;
    const body = fromCustomer
      ? form({ reference, body: text, topic: 'general', client_key: `bench-steady-${Date.now()}-${i}` })
      : form({ reference, body: text });
    steady.waiting.push(performance.now());
    posts.push(
      fetch(`${postBase}/api/${fromCustomer ? 'room_message' : 'staff_update'}`, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          Accept: 'application/json',
          Cookie: fromCustomer ? customerCookie : staffCookie,
          Origin: postBase,
        },
        body,
      }).then(async (res) => {
        if (res.status >= 400) fail(`steady post ${i}: HTTP ${res.status}: ${snippet(await res.text())}`);
      }),
    );
  }
  const late = new Promise((_, reject) =>
    setTimeout(() => reject(new Error(`only ${steady.samples.length}/${n} events arrived`)), timeoutMs + n * every),
  );
  try {
    await Promise.race([Promise.all([all, ...posts]), late]);
  } catch (e) {
    fail(`steady rounds: ${e.message}`);
  }
  return steady.samples.slice();
}

function percentile(sorted, p) {
  // nearest-rank
  const k = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(sorted.length, k) - 1];
}

async function main() {
  const staffCookie = await staffSignIn();
  if (fromCustomer) listenCookie = staffCookie;
  await openIdleStreams(extraStreams);
  await openStream();
  // Warm-up (not reported): fresh connections, and it tells us which request_id to follow.
  const warm = await round(staffCookie, 0);
  lockedRequestId = warm.requestId;
  const samples = rate > 0 ? await steadyRounds(staffCookie) : [];
  for (let i = 1; rate <= 0 && i <= n; i++) {
    try {
      samples.push((await round(staffCookie, i)).ms);
    } catch (e) {
      fail(`round ${i}/${n}: ${e.message}`);
    }
  }
  samples.sort((a, b) => a - b);
  const f = (x) => x.toFixed(1);
  console.log(
    `${fromCustomer ? 'board event latency' : 'live update latency'}${label}: p50 ${f(percentile(samples, 50))} ms, p95 ${f(percentile(samples, 95))} ms, ` +
      `p99 ${f(percentile(samples, 99))} ms (n=${samples.length}, streams=${extraStreams + 1}${rate > 0 ? `, ${rate} posts/s` : ''})`,
  );
}

main()
  .then(() => {
    controller.abort();
    process.exit(0);
  })
  .catch((e) => {
    const cause = e?.cause ? ` (${e.cause.code ?? ''} ${e.cause.message ?? e.cause})` : '';
    fail(`${e?.message ?? String(e)}${cause} [server ${base}]`);
  });
