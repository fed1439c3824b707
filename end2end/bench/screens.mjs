// Screenshots of the main pages at 390×844 for a human to look at (not a test).
// Usage (from end2end/): BASE=http://127.0.0.1:3000 ROOM_LINK=<demo link> OUT=/tmp/shots node bench/screens.mjs
import { chromium } from '@playwright/test';

const base = process.env.BASE ?? 'http://127.0.0.1:3000';
const out = process.env.OUT ?? '/tmp/shots';
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true });
const page = await ctx.newPage();
await page.goto(base + '/');
await page.screenshot({ path: `${out}/intake.png`, fullPage: true });
await page.getByRole('button', { name: 'Send request' }).click();
await page.waitForTimeout(1500);
await page.screenshot({ path: `${out}/intake-errors.png`, fullPage: true });
if (process.env.ROOM_LINK) {
  await page.goto(process.env.ROOM_LINK);
  await page.waitForTimeout(1500);
  await page.screenshot({ path: `${out}/room.png`, fullPage: true });
  await page.screenshot({ path: `${out}/room-top.png` });
}
const staff = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 });
const sp = await staff.newPage();
await sp.goto(base + '/staff/sign-in');
await sp.getByLabel('Email').fill('owner@demo.customerroom.test');
await sp.getByLabel('Password').fill(process.env.BENCH_STAFF_PASSWORD ?? '');
await sp.getByRole('button', { name: 'Sign in' }).click();
await sp.waitForTimeout(1500);
await sp.screenshot({ path: `${out}/staff-board.png`, fullPage: true });
await sp.goto(base + '/staff/requests/CR-DEM5D7');
await sp.waitForTimeout(1500);
await sp.screenshot({ path: `${out}/staff-request-job.png`, fullPage: true });
await sp.goto(base + '/staff/requests/CR-DEM2A4');
await sp.waitForTimeout(1500);
await sp.screenshot({ path: `${out}/staff-request.png`, fullPage: true });
await sp.goto(base + '/staff/team');
await sp.waitForTimeout(1500);
await sp.screenshot({ path: `${out}/staff-team.png`, fullPage: true });
// The technician's day on a phone.
const tech = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 });
const tp = await tech.newPage();
await tp.goto(base + '/staff/sign-in');
await tp.getByLabel('Email').fill('tech@demo.customerroom.test');
await tp.getByLabel('Password').fill(process.env.BENCH_STAFF_PASSWORD ?? '');
await tp.getByRole('button', { name: 'Sign in' }).click();
await tp.waitForTimeout(1500);
await tp.screenshot({ path: `${out}/staff-today.png`, fullPage: true });
await browser.close();
