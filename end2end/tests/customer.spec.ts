import { test, expect } from '@playwright/test';
import { fitsWidth, newRequest, noAxeViolations, staffSignIn } from './helpers';

test('the office opens a customer card from the board, tags them and logs a call', async ({ page, context }) => {
  const reference = await newRequest(context, `card.${Date.now()}@example.com`);
  await staffSignIn(page);
  await page.goto(`/staff/board?q=${reference}`);
  const card = page.locator(`#card-${reference}`);
  await card.getByRole('link', { name: 'Alex Rivera' }).click();
  await expect(page.getByRole('heading', { name: 'Alex Rivera', level: 1 })).toBeVisible();
  await expect(page.locator('body[data-enhanced="on"]')).toHaveCount(1);
  await expect(page.locator('.insights')).toContainText('Jobs completed');
  await expect(page.locator('#requests')).toContainText(reference);
  await expect(page.locator('#messages')).toContainText('Alert: Request received');
  await fitsWidth(page);
  await noAxeViolations(page, 'the customer card');

  // A tag from the suggestions; it shows at the top and on the board.
  await page.getByLabel('Add a tag').fill('VIP');
  await page.getByRole('button', { name: 'Add tag' }).click();
  await expect(page.locator('h1 + .tags, .customer-card > .tags').first()).toContainText('VIP');
  await expect(page.locator('#activity')).toContainText('Tagged VIP');
  await expect(page.getByLabel('Add a tag')).toHaveValue('');

  // A call: one tap, in the history with who logged it.
  await page.getByRole('button', { name: 'Left a voicemail' }).click();
  await expect(page.locator('#activity .history-item').first()).toContainText('Call: Left a voicemail');
  await expect(page.locator('#activity .history-item').first()).toContainText('Sam');

  // A bad phone number is refused with the reason, and what was typed stays.
  await page.getByLabel('Phone').fill('12');
  await page.getByLabel('Business name (optional)').fill('Rivera Holdings');
  await page.getByRole('button', { name: 'Save details' }).click();
  await expect(page.locator('#details [data-action-alert]')).toContainText(/phone/i);
  await expect(page.getByLabel('Business name (optional)')).toHaveValue('Rivera Holdings');

  // Write to them: the words go to the room, one email links to it.
  await page.getByRole('link', { name: 'Email', exact: true }).click();
  await expect(page.locator('#write_email')).toBeChecked();
  await expect(page.locator('#write .preview')).toContainText('update on');
  const words = 'Could you send a photo of the label on the hot water unit?';
  await page.locator('#write_body').fill(words);
  await page.locator('#write').getByRole('button', { name: 'Send' }).click();
  await expect(page.locator('#write')).toContainText('Sent:');
  await expect(page.locator('#messages')).toContainText(words);
  await expect(page.locator('#write_body')).toHaveValue('');

  await page.goto(`/staff/board?q=${reference}`);
  await expect(page.locator(`#card-${reference} .tags`)).toContainText('VIP');
});

test('the office finds a customer by reference, phone or name and opens their card @nojs', async ({ page, context }) => {
  const reference = await newRequest(context, `find.${Date.now()}@example.com`);
  await staffSignIn(page);
  await page.getByRole('link', { name: 'Customers' }).click();
  await page.getByLabel('Find a customer').fill(reference.toLowerCase());
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page.locator('.customer-hits li').first()).toContainText(reference);
  await expect(page.getByLabel('Find a customer')).toHaveValue(reference.toLowerCase());
  await fitsWidth(page);
  await page.getByLabel('Find a customer').fill('Zzyzx Nobody');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page.getByRole('status')).toContainText('No customer matches');
  await page.goto(`/staff/customers?q=${encodeURIComponent(reference)}`);
  await page.locator('.customer-hits .hit-name a').first().click();
  await expect(page.getByRole('heading', { name: 'Alex Rivera', level: 1 })).toBeVisible();
  await expect(page.locator('#requests')).toContainText(reference);
});

test('the customer card works without JavaScript @nojs', async ({ page, context }) => {
  const reference = await newRequest(context, `card.nojs.${Date.now()}@example.com`);
  await staffSignIn(page);
  await page.goto(`/staff/requests/${reference}`);
  await page.getByRole('link', { name: 'Customer card' }).click();
  await expect(page.getByRole('heading', { name: 'Alex Rivera', level: 1 })).toBeVisible();
  await page.getByLabel('Add a tag').fill('Supplier');
  await page.getByRole('button', { name: 'Add tag' }).click();
  await expect(page.locator('#activity')).toContainText('Tagged Supplier');
  await page.getByRole('button', { name: 'Spoke to them' }).click();
  await expect(page.getByText('Saved in the history.')).toBeVisible();
  await expect(page.locator('#activity')).toContainText('Call: Spoke to them');
});
