import { test, expect, Page, Browser } from '@playwright/test';
import { fitsWidth, latestOutboxLink, newRequest, noAxeViolations, staffSignIn } from './helpers';

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const DESKTOP = { viewport: { width: 1280, height: 800 } };

async function signIn(page: Page, email: string, landing: string) {
  await staffSignIn(page, email, landing);
  await expect(page.locator('body[data-live="on"]')).toHaveCount(1);
}



async function phonePage(browser: Browser) {
  const ctx = await browser.newContext(PHONE);
  return { ctx, page: await ctx.newPage() };
}

test('the board updates live, the office books a job, and the technician\'s taps reach the customer', async ({ browser }) => {
  test.setTimeout(120_000);
  // The office's board on a desktop.
  const officeCtx = await browser.newContext(DESKTOP);
  const board = await officeCtx.newPage();
  await signIn(board, 'office@demo.customerroom.test', 'Job board');
  await board.evaluate(() => ((window as any).__sameDocument = true));

  // A customer sends a request from their phone: it appears on the open board, with a cue.
  const customer = await phonePage(browser);
  const email = `board.${Date.now()}@example.com`;
  const reference = await newRequest(customer.ctx, email);
  const card = board.locator('.board-card', { hasText: reference });
  await expect(card).toBeVisible({ timeout: 10_000 });
  await expect(board.locator('#live-cue')).toContainText('A new request just arrived.');
  await expect(board.locator('body[data-cue]')).toHaveCount(1);

  // They ask for a person in the room: the card turns urgent and goes first in New.
  const room = customer.page;
  await room.goto(await latestOutboxLink(email));
  // The live stream connects after the island loads; a busy two-core runner may take a while.
  await expect(room.locator('body[data-live="on"]')).toHaveCount(1, { timeout: 15_000 });
  await room.locator('.cards a.card', { hasText: 'Get human help' }).click();
  await room.getByRole('button', { name: /Ask for a person|Get help|Call me/ }).first().click();
  await expect(card).toContainText('Urgent', { timeout: 10_000 });
  await expect(board.locator('#live-cue')).toContainText('asked for a person');
  await expect(board.locator('#col-new').locator('xpath=..').locator('.board-card').first()).toContainText(reference);
  expect(await board.evaluate(() => (window as any).__sameDocument)).toBe(true); // no reload

  // Moved from the board with the keyboard alone: open the card's Move, pick Accepted, Enter.
  await card.locator('summary').focus();
  await board.keyboard.press('Enter');
  await card.getByLabel('Move to').focus();
  await card.getByLabel('Move to').selectOption('accepted');
  await card.getByRole('button', { name: 'Move' }).focus();
  await board.keyboard.press('Enter');
  await expect(card.locator('summary')).toHaveCount(1);
  await expect(room.locator('#status')).toContainText('We can help', { timeout: 10_000 });

  // The office makes a job for Jake, today.
  await card.getByRole('link', { name: reference }).click();
  await expect(board.getByRole('heading', { name: 'Make a job' })).toBeVisible();
  await board.getByLabel('Technician', { exact: true }).selectOption({ label: 'Jake (technician)' });
  await board.getByRole('button', { name: 'Make the job' }).click();
  await expect(board.locator('.job-card')).toContainText('Scheduled');
  await expect(room.locator('#status')).toContainText('Technician: Jake', { timeout: 10_000 });

  // Jake's day, on his phone: the job, with one-tap steps the customer follows live.
  const tech = await phonePage(browser);
  await signIn(tech.page, 'tech@demo.customerroom.test', 'My day');
  const job = tech.page.locator('.day-job', { hasText: reference });
  await expect(job).toBeVisible();
  await expect(job.getByRole('link', { name: /Harbour Road/ })).toHaveAttribute('href', /maps/);
  await fitsWidth(tech.page);
  await noAxeViolations(tech.page, "the technician's day");
  await job.getByRole('button', { name: 'On my way' }).click();
  await expect(room.locator('#status')).toContainText('Jake is on the way', { timeout: 10_000 });
  await expect(job.getByRole('button', { name: 'Start' })).toBeVisible();
  await job.getByRole('button', { name: 'Start' }).click();
  await expect(room.locator('#status')).toContainText('Jake is working on the job', { timeout: 10_000 });
  await job.getByLabel('What was done (the customer reads this)').fill('Replaced the tempering valve.');
  await job.getByRole('button', { name: 'Finish' }).click();
  await expect(room.locator('.room-top, [data-region="room-top"]').first()).toContainText('Work finished', { timeout: 10_000 });
  await expect(board.locator('.job-card')).toContainText('Finished', { timeout: 10_000 });

  // The technician can't open the board.
  const denied = await tech.page.goto('/staff/board');
  expect(denied?.status()).toBe(403);

  await tech.ctx.close();
  await customer.ctx.close();
  await officeCtx.close();
});

test('the board and every staff page fit a 390 px phone and pass axe', async ({ browser }) => {
  const { ctx, page } = await phonePage(browser);
  await signIn(page, 'owner@demo.customerroom.test', 'Job board');
  await fitsWidth(page);
  await noAxeViolations(page, 'the board');
  // A request page with the quote builder (the widest thing staff have).
  const reference = await newRequest(ctx, `narrow.${Date.now()}@example.com`);
  for (const path of [`/staff/requests/${reference}`, '/staff', '/staff/today', '/staff/team', '/staff/inbox', '/staff/customers?q=Rivera', '/staff/proof', '/staff/feedback']) {
    await page.goto(path);
    await expect(page.locator('main h1').first()).toBeVisible();
    await fitsWidth(page);
    await noAxeViolations(page, path);
  }
  await ctx.close();
});
