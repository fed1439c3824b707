import { readFileSync } from 'node:fs';
import { expect, type BrowserContext, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { Client } from 'pg';

// Messages the app "sends" (SMS / e-mail) are written to the `outbox` table; e2e tests read
// them from Postgres. scripts/test.sh sets E2E_DATABASE_URL to the e2e server's database.
function databaseUrl(): string {
  const url = process.env.E2E_DATABASE_URL;
  if (!url) throw new Error('E2E_DATABASE_URL is not set (run the e2e tests via `make test`)');
  return url;
}

const ROOM_LINK = /https?:\/\/[^\s"'<>]*\/r\/[^\s"'<>]*/;

/**
 * Once a message is handed off, the outbox keeps it with its links replaced by
 * `[room link]`; the dev server's log transport also appends every message to the file
 * named by CR_DEV_MAILBOX (scripts/test.sh passes the same path as E2E_MAILBOX).
 */
function mailboxBody(id: string): string | undefined {
  const path = process.env.E2E_MAILBOX;
  if (!path) return undefined;
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined; // not written yet
  }
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const m = JSON.parse(line) as { id: string; body: string };
    if (m.id === id) return m.body;
  }
  return undefined;
}

/**
 * The first http(s) URL containing `/r/` in the newest outbox message for `recipient`.
 * Polls for up to 10 s, since the message may be written just after the UI responds.
 * Pass `after` to ignore messages created before that moment (e.g. a second link to the same
 * recipient).
 */
export async function latestOutboxLink(
  recipient: string,
  opts: { after?: Date; timeoutMs?: number } = {},
): Promise<string> {
  const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
  const client = new Client({ connectionString: databaseUrl() });
  await client.connect();
  try {
    let lastBody: string | undefined;
    for (;;) {
      const { rows } = await client.query<{ id: string; body: string }>(
        `SELECT id::text AS id, body FROM outbox
          WHERE recipient = $1 AND ($2::timestamptz IS NULL OR created_at >= $2)
          ORDER BY created_at DESC LIMIT 1`,
        [recipient, opts.after ?? null],
      );
      if (rows.length > 0) {
        lastBody = rows[0].body;
        const match = lastBody.match(ROOM_LINK) ?? mailboxBody(rows[0].id)?.match(ROOM_LINK);
        // A link at the end of a sentence: drop the trailing punctuation.
        if (match) return match[0].replace(/[.,;:!?)\]]+$/, '');
      }
      if (Date.now() > deadline) {
        throw new Error(
          lastBody === undefined
            ? `no outbox message for ${recipient} within the timeout`
            : `newest outbox message for ${recipient} has no /r/ link: ${lastBody}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } finally {
    await client.end();
  }
}

/** The demo staff password of this run (scripts/test.sh makes a random one per run). */
export function staffPassword(): string {
  const p = process.env.E2E_STAFF_PASSWORD;
  if (!p) throw new Error('E2E_STAFF_PASSWORD is not set (run the e2e tests via `make test`)');
  return p;
}

/** Signs a demo staff member in (the office by default) and waits for their first page. */
export async function staffSignIn(page: Page, email = 'office@demo.customerroom.test', landing = 'Job board') {
  await page.goto('/staff/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(staffPassword());
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: landing })).toBeVisible();
}

/** Sends a request through the form's endpoint as a browser would; returns its reference. */
export async function newRequest(context: BrowserContext, email: string): Promise<string> {
  const res = await context.request.post('/requests', {
    headers: { Accept: 'application/json' },
    multipart: {
      idempotency_key: crypto.randomUUID(),
      first_name: 'Alex', last_name: 'Rivera', email, phone: '',
      address_line: '22 Harbour Road', suburb: 'Balmain', state: 'NSW', postcode: '2041',
      service_type: 'Hot water', preferred_date: '', preferred_window: 'any', notes: 'Hot water is lukewarm.',
    },
  });
  expect(res.ok()).toBeTruthy();
  const body = await res.json();
  return body.location.split('/').pop();
}

/** The page fits its width: nothing scrolls sideways. */
export async function fitsWidth(page: Page) {
  const { scroll, width } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    width: window.innerWidth,
  }));
  expect(scroll, `page is ${scroll}px wide in a ${width}px window`).toBeLessThanOrEqual(width);
}

export async function noAxeViolations(page: Page, what: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const found = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(found, `axe on ${what}`).toEqual([]);
}

/** Calls a staff server function as the browser signed in on `page` would; asserts it worked. */
export async function staffCall(page: Page, endpoint: string, form: Record<string, string>) {
  const res = await page.request.post(`/api/${endpoint}`, { form, headers: { Accept: 'application/json' } });
  expect(res.ok(), `${endpoint}: ${await res.text()}`).toBeTruthy();
}

/** One value from the e2e server's database. */
export async function dbValue(sql: string, params: string[]): Promise<string> {
  const db = new Client({ connectionString: databaseUrl() });
  await db.connect();
  try {
    const { rows } = await db.query<{ v: string }>(sql, params);
    return rows[0].v;
  } finally {
    await db.end();
  }
}

/** As the office signed in on `page`: accept the request, book Jake, and finish the job. */
export async function finishJob(page: Page, reference: string) {
  await staffCall(page, 'staff_status', { reference, status: 'accepted' });
  const jake = await dbValue("SELECT id::text AS v FROM staff WHERE email = 'tech@demo.customerroom.test'", []);
  await staffCall(page, 'staff_job_create', {
    reference, kind: 'work_order', location: '22 Harbour Road, Balmain NSW 2041',
    date: '2030-01-08', start: '09:00', end: '11:00', technician_id: jake, notes: '',
  });
  const job = await dbValue(
    'SELECT j.id::text AS v FROM jobs j JOIN requests r ON r.id = j.request_id WHERE r.reference = $1',
    [reference],
  );
  for (const [to, outcome] of [['on_my_way', ''], ['in_progress', ''], ['finished', 'New valve fitted.']]) {
    await staffCall(page, 'staff_job_step', { job_id: job, to, outcome });
  }
}
