import { test, expect } from '@playwright/test';
import { fitsWidth, newRequest, noAxeViolations, staffSignIn } from './helpers';



// "Update posted" by text is off by default and nobody else's test reads it: safe to edit.
const BODY = '#body-update_posted-sms';
const PREVIEW = '#preview-update_posted-sms';

test('the office rewords a text alert and the preview and length follow as they type', async ({ page, context }) => {
  await staffSignIn(page);
  await page.goto('/staff/templates');
  await expect(page.getByRole('heading', { name: 'Alerts', level: 1 })).toBeVisible();
  await expect(page.locator('body[data-enhanced="on"]')).toHaveCount(1);
  await fitsWidth(page);
  await noAxeViolations(page, '/staff/templates');

  const long = 'x'.repeat(170);
  await page.locator(BODY).fill(`Hi {first_name}, ${long} {room_link}`);
  await expect(page.locator(PREVIEW)).toContainText('Hi Jo, xxx');
  await expect(page.locator(`${PREVIEW}-count`)).toContainText('· 2 texts');
  await page.locator(BODY).fill('Hi {first_name}, news on {reference}: {room_link} 🙂');
  await expect(page.locator(`${PREVIEW}-count`)).toContainText('2 texts (Unicode: 67 characters per part)');

  // An unknown placeholder is refused, with what to use instead; nothing typed is lost.
  await page.locator(BODY).fill('Hi {name}: {room_link}');
  const form = page.locator('form.template-form', { has: page.locator(BODY) });
  await form.getByRole('button', { name: 'Save' }).click();
  // Said once, beside the form that was sent (the page has sixteen such forms).
  await expect(page.locator('[data-action-alert]')).toHaveCount(1);
  await expect(page.locator('[data-action-alert]')).toContainText('{name} is not a placeholder.');
  await expect(page.locator(BODY)).toHaveValue('Hi {name}: {room_link}');

  await page.locator(BODY).fill('{business_name}: an update on {reference}: {room_link}');
  await form.getByRole('button', { name: 'Save' }).click();
  await page.reload();
  await expect(page.locator(BODY)).toHaveValue('{business_name}: an update on {reference}: {room_link}');

  // The outbox: every message with its state, addresses masked. A new request's
  // confirmation is one such message.
  await newRequest(context, 'outbox.e2e@example.com');
  await page.goto('/staff/outbox');
  await expect(page.getByRole('heading', { name: 'Outbox' })).toBeVisible();
  await expect(page.locator('.outbox-item').first()).toBeVisible();
  const mine = page.locator('.outbox-item', { hasText: 'Request received' }).first();
  await expect(mine.locator('.recipient')).toContainText('•••');
  await expect(page.getByText('outbox.e2e@example.com')).toHaveCount(0);
  await fitsWidth(page);
  await noAxeViolations(page, '/staff/outbox');
});

test('templates save without JavaScript too @nojs', async ({ page }) => {
  await staffSignIn(page);
  await page.goto('/staff/templates');
  await page.locator(BODY).fill('{business_name} update ({reference}): {room_link}');
  const form = page.locator('form.template-form', { has: page.locator(BODY) });
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Saved.')).toBeVisible();
  await expect(page.locator(BODY)).toHaveValue('{business_name} update ({reference}): {room_link}');
  await expect(page.locator(PREVIEW)).toContainText('Harbour Plumbing & Electrical update (CR-7K3M9Q)');
});
