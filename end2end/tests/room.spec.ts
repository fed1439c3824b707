import { test, expect, Page } from '@playwright/test';
import path from 'path';
import { latestOutboxLink, newRequest, staffSignIn } from './helpers';

const PHOTO = path.join(__dirname, '..', 'fixtures', 'leaky-tap.png');
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

async function hydrated(page: Page) {
  await expect(page.locator('body[data-live="on"]')).toHaveCount(1);
}

test('a customer uses every card while staff answer live in a second browser', async ({ browser }) => {
  const email = `room.${Date.now()}@example.com`;
  const customerCtx = await browser.newContext(PHONE);
  const reference = await newRequest(customerCtx, email);
  const room = await customerCtx.newPage();
  await room.goto(await latestOutboxLink(email));
  await expect(room).toHaveURL(new RegExp(`/room/${reference}$`));
  await hydrated(room);
  await room.evaluate(() => ((window as any).__sameDocument = true));

  // Six large cards; with nothing pending, Check status is the recommended one.
  for (const title of ['Check status', 'Add photos', 'Ask about a quote', 'Review quote / continue', 'Get human help', 'Reply or add info']) {
    const card = room.locator('.cards a.card', { hasText: title });
    await expect(card).toBeVisible();
    expect((await card.boundingBox())!.height).toBeGreaterThanOrEqual(48);
  }
  await expect(room.locator('.card.recommended')).toContainText('Check status');

  // Check status: the journey, with future steps plainly "Not yet".
  await room.locator('.cards a.card', { hasText: 'Check status' }).click();
  await expect(room.locator('#status .step.done')).toContainText('Request received');
  await expect(room.locator('#status .step.todo').first()).toContainText('Not yet');
  await expect(room.getByText("you don't need to send a second request").first()).toBeVisible();

  // Add photos, with a caption.
  await room.locator('#room-photos').setInputFiles(PHOTO);
  await room.getByLabel('Caption (optional)').fill('Valve on the left');
  await room.getByRole('button', { name: 'Upload photos' }).click();
  await expect(room.locator('#photos .attachments img')).toHaveCount(1);
  await expect(room.locator('#photos .attachments .caption')).toHaveText('Valve on the left');

  // Ask about a quote with one tap.
  await room.getByRole('button', { name: 'How much will it cost?' }).click();
  await expect(room.locator('#thread .message').last()).toContainText('How much will it cost?');

  // Reply: a one-time code gets a warning before sending.
  const box = room.getByLabel('Your message');
  await box.fill('The code on my phone is 482913');
  await expect(room.locator('#thread .notice.warn')).toContainText('one-time code');
  await expect(room.getByRole('button', { name: 'Send anyway' })).toBeVisible();
  await box.fill('The unit is in the garage, side door is open.');
  await room.getByRole('button', { name: 'Send message' }).click();
  await expect(room.locator('#thread .message').last()).toContainText('side door is open');

  // Get human help: a call back in the afternoon.
  await room.getByLabel('Best time to call you back').selectOption('afternoon');
  await room.getByRole('button', { name: 'Call me back' }).click();
  await expect(room.locator('#help .notice.ok')).toContainText(/call you back by \d/);

  // Staff, in their own browser, see the urgent flag and answer.
  const staffCtx = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const staff = await staffCtx.newPage();
  await staffSignIn(staff);
  await expect(staff.locator('.board-card', { hasText: reference })).toContainText('Urgent');
  await staff.getByRole('link', { name: reference }).click();
  await expect(staff.getByText('Call back requested')).toBeVisible();
  await hydrated(staff);

  await staff.getByLabel("Shown at the top of the customer's room").fill('Parts are ordered — we will confirm a time tomorrow.');
  await staff.getByRole('button', { name: 'Post update' }).click();
  await expect(room.locator('.latest-update')).toContainText('Parts are ordered', { timeout: 10_000 });

  await staff.getByLabel('Reply to the customer (they see this)').fill('Around $300 including the valve.');
  await staff.getByRole('button', { name: 'Send reply' }).click();
  await expect(room.locator('#thread .message.staff')).toContainText('Around $300', { timeout: 10_000 });

  // A quote goes to an accepted request: accept it first.
  await staff.getByLabel('Move to').selectOption('accepted');
  await staff.getByRole('button', { name: 'Update status' }).click();
  await expect(staff.locator('.status-line')).toContainText('Accepted');

  // A quote: built, previewed exactly as the customer sees it, then sent.
  await staff.getByLabel('Line 1 description').fill('Replace tempering valve');
  await staff.getByLabel('Line 1 quantity').fill('1');
  await staff.getByLabel('Line 1 unit price').fill('250');
  await staff.getByRole('button', { name: /Save/ }).click();
  await expect(staff.locator('.preview .quote')).toContainText('$275.00');
  await staff.getByRole('button', { name: 'Send quote to customer' }).click();

  await expect(room.locator('#quote .quote')).toContainText('$275.00', { timeout: 10_000 });
  await expect(room.locator('.card.recommended')).toContainText('Review quote / continue');
  expect(await room.evaluate(() => (window as any).__sameDocument)).toBe(true); // no reload happened

  // Approve needs the customer's name.
  await room.getByLabel('To approve, type your name').fill('Alex Rivera');
  await room.getByRole('button', { name: 'Approve this quote' }).click();
  await expect(room.locator('#quote')).toContainText('You approved this quote');
  await expect(staff.locator('.quote-history')).toContainText('approved', { timeout: 10_000 });

  await staffCtx.close();
  await customerCtx.close();
});

test('without JavaScript the room cards still work as plain forms', { tag: '@nojs' }, async ({ page, context }) => {
  const email = `room.nojs.${Date.now()}@example.com`;
  const reference = await newRequest(context, email);
  await page.goto(await latestOutboxLink(email));
  await expect(page.locator('.room-title')).toContainText(reference);
  await page.getByRole('button', { name: "What's included?" }).click();
  await expect(page.locator('#thread .message')).toContainText("What's included?");
  await page.locator('#room-photos').setInputFiles(PHOTO);
  await page.getByRole('button', { name: 'Upload photos' }).click();
  await expect(page.locator('#photos .attachments img')).toHaveCount(1);
  await page.getByLabel('Your message').fill('Side gate code is not needed, it is unlocked.');
  await page.getByRole('button', { name: 'Send message' }).click();
  await expect(page.locator('#thread .message').last()).toContainText('it is unlocked');
});

test('the room fits a 320 px phone, even with text at 200%, and every tap target is at least 48 px', async ({ browser }) => {
  const email = `room.narrow.${Date.now()}@example.com`;
  const ctx = await browser.newContext({ viewport: { width: 320, height: 700 }, isMobile: true, hasTouch: true });
  await newRequest(ctx, email);
  const page = await ctx.newPage();
  await page.goto(await latestOutboxLink(email));
  await hydrated(page);
  const width = () => page.evaluate(() => document.documentElement.scrollWidth);
  expect(await width()).toBeLessThanOrEqual(320);
  const small = await page.evaluate(() =>
    [...document.querySelectorAll('a.card, a.button, button, .chip, input:not([type=hidden]), select, textarea, summary')]
      .filter((e) => (e as HTMLElement).offsetParent && e.getBoundingClientRect().height < 47.5)
      .map((e) => e.outerHTML.slice(0, 80)),
  );
  expect(small).toEqual([]);
  await page.evaluate(() => { document.documentElement.style.fontSize = '200%'; });
  expect(await width()).toBeLessThanOrEqual(320);
  await ctx.close();
});
