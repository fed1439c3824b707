import { test, expect, BrowserContext } from '@playwright/test';
import { Client } from 'pg';
import { fitsWidth, latestOutboxLink, noAxeViolations, staffSignIn } from './helpers';

/** A request with a mobile number, sent as a browser would; returns its reference. */
async function requestWithPhone(context: BrowserContext, email: string, phone: string): Promise<string> {
  const res = await context.request.post('/requests', {
    headers: { Accept: 'application/json' },
    multipart: {
      idempotency_key: crypto.randomUUID(),
      first_name: 'Kim', last_name: 'Nguyen', email, phone,
      address_line: '3 Ferry Lane', suburb: 'Mosman', state: 'NSW', postcode: '2088',
      service_type: 'Plumbing', preferred_date: '', preferred_window: 'any', notes: 'Toilet keeps running.',
    },
  });
  expect(res.ok()).toBeTruthy();
  return (await res.json()).location.split('/').pop();
}

/**
 * A text from a number we don't know, as the provider's webhook leaves it (the webhook
 * itself, with its signature, is tested in tests/inbound_sms.rs against the real route).
 */
async function leadArrives(from: string, body: string) {
  const client = new Client({ connectionString: process.env.E2E_DATABASE_URL });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO inbound_texts (id, provider_sid, from_phone, body, routed_to, routed_because)
       SELECT gen_random_uuid(), $1, $2, $3, id, 'owner' FROM staff
        WHERE role = 'owner' AND active ORDER BY created_at LIMIT 1`,
      [`SMe2e${Date.now()}`, from, body],
    );
  } finally {
    await client.end();
  }
}

test('a customer turns texts off and on again from the room', async ({ context, page }) => {
  const email = `texts.${Date.now()}@example.com`;
  const reference = await requestWithPhone(context, email, '0411 222 333');
  await page.goto(await latestOutboxLink(email));
  await expect(page).toHaveURL(new RegExp(`/room/${reference}$`));
  await expect(page.locator('body[data-live="on"]')).toHaveCount(1);
  const card = page.locator('#texts');
  await expect(card).toContainText('We text +61••••••333 when something changes');
  await card.getByRole('button', { name: 'Stop texts' }).click();
  await expect(card).toContainText('Texts to +61••••••333 are off.');
  await expect(card.getByRole('button', { name: 'Text me again' })).toBeVisible();
  await page.reload();
  await expect(card).toContainText('are off.');
  await card.getByRole('button', { name: 'Text me again' }).click();
  await expect(card).toContainText('We text +61••••••333');
  await fitsWidth(page);
});

test('without JavaScript the texts switch posts and the room comes back @nojs', async ({ context, page }) => {
  const email = `texts.nojs.${Date.now()}@example.com`;
  const reference = await requestWithPhone(context, email, '0411 444 555');
  await page.goto(await latestOutboxLink(email));
  await expect(page).toHaveURL(new RegExp(`/room/${reference}$`));
  await page.locator('#texts').getByRole('button', { name: 'Stop texts' }).click();
  await expect(page).toHaveURL(new RegExp(`/room/${reference}`));
  await expect(page.locator('#texts')).toContainText('Texts to +61••••••555 are off.');
});

test('the office finds a text from a new number in the inbox and marks it dealt with', async ({ page }) => {
  const body = `Do you fix hot water systems? (${Date.now()})`;
  await leadArrives('+61455000999', body);
  await staffSignIn(page);
  await page.getByRole('link', { name: 'Inbox' }).first().click();
  await expect(page.getByRole('heading', { name: 'Inbox', level: 1 })).toBeVisible();
  const item = page.locator('.inbox-item', { hasText: body });
  await expect(item).toContainText("New lead: a number we don't know");
  await expect(item.getByRole('link', { name: '+61455000999' })).toHaveAttribute('href', 'tel:+61455000999');
  await expect(item).toContainText('the owner (no point of contact is set)');
  await fitsWidth(page);
  await noAxeViolations(page, '/staff/inbox');
  await item.getByRole('button', { name: 'Mark as dealt with' }).click();
  await expect(item.getByRole('button', { name: 'Mark as dealt with' })).toHaveCount(0);
  await expect(item).toHaveClass(/handled/);

  // Alerts by text need a number; the refusal keeps the choice made.
  const mine = page.locator('#my-alerts');
  await mine.getByLabel('Text message').check();
  await mine.getByRole('button', { name: 'Save' }).click();
  await expect(mine.locator('[data-action-alert], .notice.error').first()).toContainText('Give the mobile number');
  await expect(mine.getByLabel('Text message')).toBeChecked();
  await mine.getByLabel('Mobile number for texts').fill('0400 123 456');
  await mine.getByRole('button', { name: 'Save' }).click();
  await expect(mine.getByText('Saved.')).toBeVisible();
  await page.reload();
  await expect(page.locator('#my-alerts').getByLabel('Text message')).toBeChecked();
  await expect(page.locator('#my-alerts').getByLabel('Mobile number for texts')).toHaveValue('+61400123456');
  // Back to email for the other tests' sake.
  await page.locator('#my-alerts').getByLabel('Email').check();
  await page.locator('#my-alerts').getByRole('button', { name: 'Save' }).click();
  await expect(page.locator('#my-alerts').getByText('Saved.')).toBeVisible();
});
