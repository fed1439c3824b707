import { test, expect } from '@playwright/test';
import { finishJob, fitsWidth, latestOutboxLink, newRequest, noAxeViolations, staffSignIn } from './helpers';

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const DESKTOP = { viewport: { width: 1280, height: 800 } };

test('after the job a customer shares words, approves the wording, and taking them back removes them', async ({ browser }) => {
  test.setTimeout(90_000);
  const email = `proof.${Date.now()}@example.com`;
  const customer = await browser.newContext(PHONE);
  const reference = await newRequest(customer, email);
  const officeCtx = await browser.newContext(DESKTOP);
  const office = await officeCtx.newPage();
  await staffSignIn(office);
  await finishJob(office, reference);

  const room = await customer.newPage();
  await room.goto(await latestOutboxLink(email));
  await expect(room.locator('body[data-live="on"]')).toHaveCount(1);
  const proof = room.locator('#proof');
  await expect(proof).toContainText('Only if you\'d like to');
  const words = `Jake sorted the hot water in no time (${reference}).`;
  await proof.getByLabel('Your words').fill(words);
  // Permission is a tick, never assumed; what was typed stays.
  await proof.getByRole('button', { name: 'Share my words' }).click();
  await expect(proof.locator('[data-action-alert]')).toContainText('Tick the box');
  await expect(proof.getByLabel('Your words')).toHaveValue(words);
  await proof.getByLabel(/may show these words/).check();
  await proof.getByRole('button', { name: 'Share my words' }).click();
  await expect(proof).toContainText('We\'ll read your words before they appear');
  await fitsWidth(room);

  // The office changes a word: the customer is asked, live, before anything is shown.
  await office.goto('/staff/proof');
  const item = office.locator('.proof-review-item', { hasText: reference });
  await expect(item).toContainText('ready to publish');
  await noAxeViolations(office, 'the staff proof list');
  const edited = words.replace('in no time', 'in under an hour');
  await item.getByLabel('Wording to publish').fill(edited);
  await item.getByRole('button', { name: 'Save wording and ask the customer' }).click();
  await expect(office.locator('.proof-review-item', { hasText: reference })).toContainText('Waiting for the customer');
  await expect(office.locator('.proof-review-item', { hasText: reference }).getByRole('button', { name: 'Publish' })).toHaveCount(0);
  await expect(proof).toContainText('Nothing is shown until you approve it', { timeout: 10_000 });
  await expect(proof).toContainText(edited);
  await proof.getByRole('button', { name: 'Approve this wording' }).click();
  await expect(proof).toContainText('We\'ll read your words before they appear');

  await office.reload();
  await office.locator('.proof-review-item', { hasText: reference }).getByRole('button', { name: 'Publish' }).click();
  await expect(office.locator('.proof-review-item', { hasText: reference })).toContainText('Published on /proof');
  await expect(proof).toContainText('Your words are on our proof page', { timeout: 10_000 });

  // A stranger reads the proof page: the approved wording, a first name and suburb only.
  const stranger = await browser.newContext(PHONE);
  const publicPage = await stranger.newPage();
  await publicPage.goto('/proof');
  const entry = publicPage.locator('.proof-list li', { hasText: reference });
  await expect(entry).toContainText(edited);
  await expect(entry).toContainText('Alex, Balmain');
  await expect(entry).not.toContainText('Rivera');
  await fitsWidth(publicPage);
  await noAxeViolations(publicPage, 'the proof page');

  // The customer takes them down: gone from the proof page at once.
  await proof.getByRole('button', { name: 'Take them down' }).click();
  await expect(proof).toContainText('You took your words back');
  await publicPage.reload();
  await expect(publicPage.locator('.proof-list li', { hasText: reference })).toHaveCount(0);

  await stranger.close();
  await customer.close();
  await officeCtx.close();
});

test('private feedback from the room reaches only the staff list, and the guide marks the step @nojs', async ({ page, context, browser }) => {
  const email = `feedback.${Date.now()}@example.com`;
  const reference = await newRequest(context, email);
  await page.goto(await latestOutboxLink(email));
  const feedback = page.locator('#feedback');
  await feedback.locator('summary').click();
  await expect(feedback).toContainText('never shown on any public page');
  await feedback.getByLabel('Which step?').selectOption({ label: 'Confirm your details' });
  const said = `I couldn't tell if the form had sent (${reference}).`;
  await feedback.getByLabel('What was unclear?').fill(said);
  await feedback.getByRole('button', { name: 'Send privately' }).click();
  await expect(page.locator('#feedback')).toContainText('only our staff will read it');

  // The guide, signed in: where this request is, with a way to the next step.
  await page.goto('/guide');
  await expect(page.locator('.guide-here')).toContainText(`Your request ${reference} is at step 3`);
  await expect(page.locator('[aria-current="step"]')).toContainText('Confirm your details');
  await page.getByRole('link', { name: 'Go to confirm your details' }).click();
  await expect(page).toHaveURL(new RegExp(`/room/${reference}#details`));
  await fitsWidth(page);

  const staffCtx = await browser.newContext({ ...PHONE, javaScriptEnabled: false });
  const staff = await staffCtx.newPage();
  await staffSignIn(staff);
  await staff.goto('/staff/feedback');
  const item = staff.locator('.feedback-item', { hasText: reference });
  await expect(item).toContainText(said);
  await expect(item).toContainText('Confirm your details');
  await item.getByRole('button', { name: 'Mark read' }).click();
  await expect(staff.locator('.feedback-item', { hasText: reference })).toContainText('Read by');
  await staffCtx.close();

  for (const path of ['/proof', '/guide']) {
    await page.goto(path);
    await expect(page.locator('body')).not.toContainText(said);
  }
});

test('the guide and the proof page pass axe for a visitor', async ({ page }) => {
  await page.goto('/guide');
  await expect(page.getByRole('heading', { name: 'How a request works', level: 1 })).toBeVisible();
  await expect(page.locator('.guide-steps > li')).toHaveCount(7);
  await fitsWidth(page);
  await noAxeViolations(page, 'the guide');
  await page.goto('/proof');
  await expect(page.getByRole('heading', { name: 'What customers said' })).toBeVisible();
  await noAxeViolations(page, 'the proof page');
});
