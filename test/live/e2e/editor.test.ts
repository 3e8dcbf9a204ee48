// The seedbox editor against a real transmission-daemon, in real Chromium: a Test that fails on
// the password, then Save. The window warns before saving what just failed, and afterwards
// shows the saved password as rejected (not a green "A password is set"). Test does not need a
// name: the name has nothing to do with connecting.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTransmission, type TransmissionInstance } from '../../helpers/transmission';
import { openApp, type App } from './support';

let tr: TransmissionInstance;
let app: App;
let page: Page;
let boxId = '';

beforeAll(async () => {
  tr = await startTransmission();
  app = await openApp();
  page = app.page;
});

afterAll(async () => {
  await app?.close();
  await tr?.stop();
});

const dialog = () => page.locator('dialog.modal[open]');

describe('a failed Test, then Save', () => {
  it('tests without a name, and the wrong password fails at login', async () => {
    await page.locator('[data-test="add-first-seedbox"]').click();
    await page.locator('#ed-kind').selectOption('transmission');
    await page.locator('#ed-url').fill(tr.url);
    await page.locator('#ed-user').fill(tr.username);
    await page.locator('#ed-password').fill('not the password');
    expect(await page.locator('#ed-name').inputValue()).toBe('');
    await page.getByRole('button', { name: 'Test', exact: true }).click();
    await expect.poll(() => page.locator('li[data-step="login"]').getAttribute('class')).toContain('failed');
  });

  it('warns before saving what just failed, and saves only when told to', async () => {
    await page.locator('#ed-name').fill('Transmission VPS');
    await dialog().getByRole('button', { name: 'Save', exact: true }).click();
    const confirm = page.locator('[data-testid="confirm-save"]');
    await confirm.waitFor();
    expect(await confirm.textContent()).toMatch(/The last test of these settings failed/);
    // Nothing saved yet.
    expect(await app.core.service.handlers['seedboxes:list']({})).toEqual([]);
    await confirm.getByRole('button', { name: 'Save anyway' }).click();
    await dialog().waitFor({ state: 'detached' });
    const item = page.locator('.seedbox-item', { hasText: 'Transmission VPS' });
    await item.waitFor();
    boxId = (await item.getAttribute('data-seedbox'))!;
    await page.locator(`.seedbox-item[data-seedbox="${boxId}"].is-failed`).waitFor();
  });

  it('shows the saved password as rejected in the editor, and a right one clears it', async () => {
    await page.locator(`.seedbox-item[data-seedbox="${boxId}"]`).dblclick();
    const state = page.locator('[data-testid="ed-password-state"]');
    await expect.poll(() => state.textContent()).toBe('The seedbox rejected the saved password');
    expect(await state.getAttribute('class')).toContain('rejected');

    await dialog().getByRole('button', { name: 'Replace' }).click();
    await page.locator('#ed-password').fill(tr.password);
    await page.getByRole('button', { name: 'Test', exact: true }).click();
    await expect.poll(() => page.locator('[data-testid="test-summary"]').textContent()).toMatch(/Transmission/);
    // A passing Test: Save asks nothing.
    await dialog().getByRole('button', { name: 'Save', exact: true }).click();
    await dialog().waitFor({ state: 'detached' });
    expect(await page.locator('[data-testid="confirm-save"]').count()).toBe(0);
    await page.locator(`.seedbox-item[data-seedbox="${boxId}"].is-connected`).waitFor();

    await page.locator(`.seedbox-item[data-seedbox="${boxId}"]`).dblclick();
    await expect.poll(() => page.locator('[data-testid="ed-password-state"]').textContent()).toBe('A password is set');
    expect(app.pageErrors).toEqual([]);
  });
});

describe('a refresh interval out of range', () => {
  it('is refused with the allowed range, and the setting keeps its value', async () => {
    await page.keyboard.press('Escape');
    await dialog().waitFor({ state: 'detached' });
    const before = (await app.core.service.handlers['preferences:get']({})).refreshIntervalMs;
    await page.locator('aside footer button', { hasText: 'Settings' }).click();
    const input = page.locator('[data-test="refresh-interval"]');
    await input.fill('0');
    await input.press('Tab');
    await expect.poll(() => page.locator('[data-test="refresh-interval-error"]').textContent()).toMatch(/Allowed: 0\.5 to 60 seconds/);
    expect(await input.inputValue()).toBe(String(before / 1000));
    expect((await app.core.service.handlers['preferences:get']({})).refreshIntervalMs).toBe(before);
    // A value in range is taken, and the message goes.
    await input.fill('2');
    await input.press('Tab');
    await expect.poll(async () => (await app.core.service.handlers['preferences:get']({})).refreshIntervalMs).toBe(2000);
    expect(await page.locator('[data-test="refresh-interval-error"]').count()).toBe(0);
  });
});
