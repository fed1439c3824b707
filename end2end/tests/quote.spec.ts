import { test, expect } from '@playwright/test';
import { Client } from 'pg';
import { latestOutboxLink, newRequest, staffSignIn } from './helpers';

test('a customer asks for changes to a quote, and the help card promises a time', async ({ browser, page }) => {
  const email = `changes.${Date.now()}@example.com`;
  const customer = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const reference = await newRequest(customer, email);

  // The office accepts and sends a quote (the quote builder has its own tests).
  await staffSignIn(page);
  const call = async (endpoint: string, form: Record<string, string>) => {
    const res = await page.request.post(`/api/${endpoint}`, { form, headers: { Accept: 'application/json' } });
    expect(res.ok(), `${endpoint}: ${await res.text()}`).toBeTruthy();
  };
  await call('staff_status', { reference, status: 'accepted' });
  await call('staff_quote_save', {
    reference,
    'lines[0][description]': 'Replace hot water unit',
    'lines[0][quantity]': '1',
    'lines[0][unit_price]': '1800',
    valid_until: '2030-01-01',
  });
  const db = new Client({ connectionString: process.env.E2E_DATABASE_URL });
  await db.connect();
  const { rows } = await db.query<{ id: string }>(
    'SELECT q.id::text AS id FROM quotes q JOIN requests r ON r.id = q.request_id WHERE r.reference = $1',
    [reference],
  );
  await db.end();
  await call('staff_quote_send', { reference, quote_id: rows[0].id });

  const room = await customer.newPage();
  await room.goto(await latestOutboxLink(email));
  await expect(room.locator('body[data-live="on"]')).toHaveCount(1);
  await expect(room.locator('#help .promise')).toContainText(/Ask now and a person will call you back by \d/);

  const quote = room.locator('#quote');
  await quote.getByText('Ask for changes').click();
  await quote.getByLabel('What would you like changed?').fill('Could you quote a 250 L unit instead?');
  await quote.getByRole('button', { name: 'Send to us' }).click();
  await expect(room.locator('#thread .message').last()).toContainText('Asked for changes to quote version 1');
  await expect(room.locator('#thread .message').last()).toContainText('Could you quote a 250 L unit instead?');
  // Nothing was decided: the quote can still be approved.
  await expect(quote.getByRole('button', { name: 'Approve this quote' })).toBeVisible();
  await customer.close();
});
