import { test, expect, Page } from '@playwright/test';
import path from 'path';
import { latestOutboxLink, staffPassword } from './helpers';

const PHOTO = path.join(__dirname, '..', 'fixtures', 'leaky-tap.png');
const STAFF_EMAIL = 'owner@demo.customerroom.test';
const STAFF_PASSWORD = staffPassword();

function uniqueEmail(tag: string): string {
  return `${tag}.${Date.now()}.${Math.floor(Math.random() * 1e6)}@example.com`;
}

async function fillRequestForm(page: Page, email: string) {
  await page.getByLabel('First name').fill('Alex');
  await page.getByLabel('Last name').fill('Rivera');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Mobile or phone (optional)').fill('0412 555 019');
  await page.getByLabel('Street address').fill('22 Harbour Road');
  await page.getByLabel('Suburb or city').fill('Balmain');
  await page.getByLabel('State').selectOption('NSW');
  await page.getByLabel('Postcode').fill('2041');
  await page.getByLabel('Type of service').selectOption('Plumbing');
  await page.getByLabel('Preferred time').selectOption('afternoon');
  await page.getByLabel(/Anything else/).fill('Water pooling under the kitchen sink.');
}

test('a new customer sends a request with a photo, opens the room from the link, and staff find it', async ({ page, browser }) => {
  const email = uniqueEmail('alex');
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Start a request' })).toBeVisible();

  // Enhanced: leaving a bad email shows its message before anything is sent.
  await expect(page.locator('body[data-enhanced="on"]')).toHaveCount(1);
  await page.getByLabel('Email').fill('alex@');
  await page.getByLabel('Street address').focus();
  await expect(page.locator('#email-error')).toContainText('email address');

  await fillRequestForm(page, email);
  await page.locator('input[type=file]').setInputFiles(PHOTO);
  await page.getByRole('button', { name: 'Send request' }).click();

  await expect(page.getByRole('heading', { name: "We've got your request" })).toBeVisible();
  const reference = (await page.locator('.reference').first().textContent())!.trim();
  expect(reference).toMatch(/^CR-[2-9A-HJ-NP-Z]{6}$/);

  // The customer comes back later on another browser, using the emailed link.
  const link = await latestOutboxLink(email);
  const later = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const room = await later.newPage();
  await room.goto(link);
  await expect(room).toHaveURL(new RegExp(`/room/${reference}$`));
  await expect(room.locator('.room-title')).toContainText(reference);
  await expect(room.locator('.status')).toHaveText('New');
  await expect(room.getByText('Water pooling under the kitchen sink.')).toBeVisible();
  await expect(room.locator('.attachments img')).toHaveCount(1);
  // The photo thumbnail really loads (served privately to this session; it loads lazily).
  await room.locator('.attachments img').scrollIntoViewIfNeeded();
  await expect.poll(() => room.locator('.attachments img').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  await later.close();

  // A staff member signs in and finds it in the list.
  const staffCtx = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const staff = await staffCtx.newPage();
  await staff.goto('/staff');
  await expect(staff).toHaveURL(/\/staff\/sign-in$/);
  await staff.getByLabel('Email').fill(STAFF_EMAIL);
  await staff.getByLabel('Password').fill(STAFF_PASSWORD);
  await staff.getByRole('button', { name: 'Sign in' }).click();
  await expect(staff.getByRole('heading', { name: 'Job board' })).toBeVisible();
  await staff.getByRole('link', { name: reference }).click();
  await expect(staff.getByText(email)).toBeVisible();
  await staffCtx.close();
});

test('an expired link offers a new one without saying whether the contact exists', async ({ page }) => {
  await page.goto('/r/not-a-real-token');
  await expect(page.getByRole('heading', { name: 'This link has expired' })).toBeVisible();
  await page.getByLabel('Email or mobile number').fill('nobody@example.com');
  await page.getByRole('button', { name: 'Send me a new link' }).click();
  await expect(page.getByRole('status')).toContainText("If that matches a request with us");
});

// A refused form keeps everything typed and every accepted file — the same with and without
// JavaScript (with it, the post goes in the background and the form is swapped in place).
async function mistakesAreKept(page: Page, tag: string, js: boolean) {
  const email = uniqueEmail(tag);
  await page.goto('/');
  if (js) await expect(page.locator('body[data-enhanced="on"]')).toHaveCount(1);
  if (js) await page.evaluate(() => ((window as any).__sameDocument = true));
  await fillRequestForm(page, email);
  await page.getByLabel('Postcode').fill('20');
  await page.getByLabel('First name').fill('');
  await page.locator('input[type=file]').setInputFiles(PHOTO);
  await page.getByRole('button', { name: 'Send request' }).click();

  await expect(page.locator('#first_name-error')).toHaveText('Please enter your first name.');
  await expect(page.locator('#postcode-error')).toContainText('4-digit postcode');
  await expect(page.getByLabel('Email')).toHaveValue(email);
  await expect(page.getByLabel('Suburb or city')).toHaveValue('Balmain');
  await expect(page.getByLabel('Type of service')).toHaveValue('Plumbing');
  await expect(page.getByLabel(/Anything else/)).toHaveValue('Water pooling under the kitchen sink.');
  await expect(page.locator('.kept-files')).toContainText('leaky-tap.png');
  if (js) expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(true);

  await page.getByLabel('First name').fill('Alex');
  await page.getByLabel('Postcode').fill('2041');
  await page.getByRole('button', { name: 'Send request' }).click();
  await expect(page.getByRole('heading', { name: "We've got your request" })).toBeVisible();
  await page.getByRole('link', { name: 'Open your request room' }).click();
  await expect(page.locator('.attachments img')).toHaveCount(1); // the kept file, once
  await expect(page.locator('.status')).toHaveText('New');
}

test('without JavaScript, a form with mistakes comes back with every entry kept', { tag: '@nojs' }, async ({ page }) => {
  await mistakesAreKept(page, 'nojs', false);
});

test('with JavaScript, a form with mistakes is answered in place with every entry kept', async ({ page }) => {
  await mistakesAreKept(page, 'js', true);
});
