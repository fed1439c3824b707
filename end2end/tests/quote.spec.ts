import { test, expect } from '@playwright/test';
import { dbValue, latestOutboxLink, newRequest, staffCall, staffSignIn } from './helpers';

test('a customer asks for changes to a quote, and the help card promises a time', async ({ browser, page }) => {
  const email = `changes.${Date.now()}@example.com`;
  const customer = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const reference = await newRequest(customer, email);

  // The office accepts and sends a quote (the quote builder has its own tests).
  await staffSignIn(page);
  const call = (endpoint: string, form: Record<string, string>) => staffCall(page, endpoint, form);
  await call('staff_status', { reference, status: 'accepted' });
  await call('staff_quote_save', {
    reference,
    'lines[0][description]': 'Replace hot water unit',
    'lines[0][quantity]': '1',
    'lines[0][unit_price]': '1800',
    valid_until: '2030-01-01',
  });
  const quoteId = await dbValue(
    'SELECT q.id::text AS v FROM quotes q JOIN requests r ON r.id = q.request_id WHERE r.reference = $1',
    [reference],
  );
  await call('staff_quote_send', { reference, quote_id: quoteId });

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
