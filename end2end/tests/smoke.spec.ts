import { test, expect } from '@playwright/test';

test('home page offers to start a request', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByText('Start a request').first()).toBeVisible();
});

test('home page renders without JavaScript', { tag: '@nojs' }, async ({ page }) => {
  await page.goto('/');
  await expect(page.getByText('Start a request').first()).toBeVisible();
});
