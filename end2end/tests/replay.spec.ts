import { test, expect, Page } from '@playwright/test';

// A replayed submit (the same hidden form key, posted from another browser) must not open the
// first browser's request, nor show anything of it.

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const NOTES = 'Replay check: water under the laundry tub.';

function uniqueEmail(tag: string): string {
  return `${tag}.${Date.now()}.${Math.floor(Math.random() * 1e6)}@example.com`;
}

async function fillRequestForm(page: Page, email: string) {
  await page.getByLabel('First name').fill('Robin');
  await page.getByLabel('Last name').fill('Quayle');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Street address').fill('7 Replay Street');
  await page.getByLabel('Suburb or city').fill('Glebe');
  await page.getByLabel('State').selectOption('NSW');
  await page.getByLabel('Postcode').fill('2037');
  await page.getByLabel('Type of service').selectOption('Plumbing');
  await page.getByLabel(/Anything else/).fill(NOTES);
}

// Enhanced (the island has loaded; it waits for an idle moment), and really checking:
// leaving a bad email shows its message before anything is sent (no-JS can't).
async function hydrated(page: Page) {
  await expect(page.locator('body[data-enhanced="on"]')).toHaveCount(1);
  await page.getByLabel('Email').fill('robin@');
  await page.getByLabel('Street address').focus();
  await expect(page.locator('#email-error')).toContainText('email address');
}

test('a second browser replaying the first one\'s submit sees nothing of the request', async ({ browser }) => {
  const email = uniqueEmail('replay');

  // The first browser sends the form and gets its request.
  const firstCtx = await browser.newContext(PHONE);
  const first = await firstCtx.newPage();
  await first.goto('/');
  await hydrated(first);
  const key = await first.locator('input[name=idempotency_key]').inputValue();
  expect(key).toMatch(/^[0-9a-f-]{36}$/);
  await fillRequestForm(first, email);
  await first.getByRole('button', { name: 'Send request' }).click();
  await expect(first.getByRole('heading', { name: "We've got your request" })).toBeVisible();
  const reference = (await first.locator('.reference').first().textContent())!.trim();
  expect(reference).toMatch(/^CR-/);

  // A second browser posts the very same form (same key), through the real page.
  const secondCtx = await browser.newContext(PHONE);
  const second = await secondCtx.newPage();
  await second.goto('/');
  await hydrated(second);
  await second.locator('input[name=idempotency_key]').evaluate((el, k) => {
    (el as HTMLInputElement).value = k;
  }, key);
  await fillRequestForm(second, email);
  await second.getByRole('button', { name: 'Send request' }).click();
  await expect(second.getByText('We already have this request — your link is on its way.')).toBeVisible();
  await expect(second).not.toHaveURL(/\/submitted\//);
  await expect(second.locator('body')).not.toContainText(reference);

  // The same replay as a bare post (no page, no form cookie): no session cookie, no detail.
  const res = await secondCtx.request.post('/requests', {
    headers: { Accept: 'application/json' },
    multipart: {
      idempotency_key: key,
      first_name: 'Robin', last_name: 'Quayle', email, phone: '',
      address_line: '7 Replay Street', suburb: 'Glebe', state: 'NSW', postcode: '2037',
      service_type: 'Plumbing', preferred_date: '', preferred_window: 'any', notes: NOTES,
    },
  });
  expect(res.status()).toBe(200);
  const body = await res.text();
  expect(JSON.parse(body).location ?? null).toBeNull();
  expect(body).toContain('We already have this request');
  for (const secret of [reference, 'Quayle', 'Replay Street', NOTES, '/room/']) {
    expect(body).not.toContain(secret);
  }
  const setCookies = res.headersArray().filter((h) => h.name.toLowerCase() === 'set-cookie');
  expect(setCookies.filter((h) => /session/i.test(h.value))).toHaveLength(0);

  // And the second browser still can't open the first one's room.
  await second.goto(`/room/${reference}`);
  await expect(second.locator('body')).not.toContainText(NOTES);
  await expect(second.locator('.room-title')).toHaveCount(0);

  // The first browser is untouched: it still sees its room.
  await first.getByRole('link', { name: 'Open your request room' }).click();
  await expect(first.getByText(NOTES)).toBeVisible();
  await firstCtx.close();
  await secondCtx.close();
});
