// The add dialog, the seedbox editor, the Rules view (with a rule being written) and the fetch
// queue in German and Simplified Chinese, in real Chromium: their words come from the locale's
// catalogue, and the layout holds (long German compounds and CJK text wrap inside their columns,
// nothing spills out of its box). Screenshots of each go to test-artifacts/screenshots.
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOGUES, type Locale } from '../../../electron/shared/i18n';
import { BOX_DEFAULTS, dropOnWindow, magnetFor, openApp, screenshot, type App } from './support';

let app: App;
let page: Page;

beforeAll(async () => {
  // Narrower than the other tests' window: the layout must hold where space is short.
  app = await openApp({ viewport: { width: 1024, height: 720 } });
  page = app.page;
  // Two boxes nobody answers (a loopback port with no listener): the add dialog then offers a
  // choice of box and says the target is not connected.
  for (const name of ['Heimserver', 'Zweitbox']) {
    await app.core.service.handlers['seedboxes:add']({ seedbox: { ...BOX_DEFAULTS, name, kind: 'rtorrent', url: 'http://127.0.0.1:9/RPC2' } });
  }
});

afterAll(async () => {
  await app?.close();
});

/**
 * Elements inside `root` whose content is wider than their box and shows outside it (overflow
 * visible): text that does not wrap, a control pushed out of its column. Elements that scroll or
 * clip on purpose (overflow auto, hidden, an ellipsis) are not counted.
 */
async function spilling(root: Locator): Promise<string[]> {
  return root.evaluate((element) => {
    const found: string[] = [];
    for (const node of [element, ...element.querySelectorAll('*')]) {
      if (!(node instanceof HTMLElement) || node.clientWidth === 0) continue;
      const style = getComputedStyle(node);
      if (style.display === 'inline' || style.overflowX !== 'visible') continue;
      // Taller than its box: a label wrapped inside a control of fixed height.
      const tall = style.overflowY === 'visible' && node.scrollHeight > node.clientHeight + 1 && node.clientHeight > 0;
      if (node.scrollWidth > node.clientWidth + 1 || tall) found.push(`${node.tagName.toLowerCase()}.${node.className}: ${(node.textContent ?? '').trim().slice(0, 60)}`);
    }
    return found;
  });
}

async function useLanguage(locale: Locale): Promise<void> {
  await app.core.service.handlers['preferences:update']({ language: locale });
  await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(locale);
}

const dialog = () => page.locator('dialog.modal[open]');

describe.each(['de', 'zh-CN'] as const)('the views in %s', (locale) => {
  const messages = CATALOGUES[locale];

  it('says the sidebar in the language, with boxes that do not answer, and its layout holds', async () => {
    await useLanguage(locale);
    const sidebar = page.locator('.sidebar');
    await expect.poll(() => sidebar.locator('[data-test="retry"]').count()).toBe(2);
    expect(await spilling(sidebar)).toEqual([]);
  });

  it('says the add dialog in the language, and its layout holds', async () => {
    await dropOnWindow(page, { files: [], text: magnetFor('5'.repeat(40), 'Ein sehr langer Torrentname mit Unterverzeichnissen') });
    await dialog().waitFor();
    expect(await dialog().locator('h2').textContent()).toBe(messages.add.title);
    expect(await dialog().locator('.caption').first().textContent()).toContain(messages.add.caption.magnet);
    expect(await dialog().locator('label[for="add-save-path"]').textContent()).toBe(messages.add.savePath);
    // Every button of the dialog speaks the language (the footer's Cancel too).
    expect(await dialog().locator('.modal-footer').textContent()).not.toMatch(/\bCancel\b/);
    // The target box is down: the warning names its state in the language too.
    await expect.poll(() => dialog().locator('.dlg-warning').textContent()).toMatch(new RegExp(Object.values(messages.add.states).join('|')));
    expect(await spilling(dialog())).toEqual([]);
    await screenshot(page, `add-dialog-${locale}`);
    await page.keyboard.press('Escape');
    await dialog().waitFor({ state: 'detached' });
  });

  it('says the seedbox editor in the language, with SSH open, and its layout holds', async () => {
    // The sidebar's "+" (its own words are not this view's).
    await page.locator('.sidebar .brand button').click();
    await dialog().waitFor();
    expect(await dialog().locator('h2').textContent()).toBe(messages.editor.titleAdd);
    await dialog().locator('.check input').first().check();
    await dialog().locator('#ed-ssh-auth').selectOption('key');
    expect(await dialog().locator('label[for="ed-ssh-key"]').textContent()).toBe(messages.editor.privateKey);
    expect(await spilling(dialog())).toEqual([]);
    // The check sees a spill where there is one: a word no column can hold, in a box that does not wrap it.
    const word = 'Donaudampfschifffahrtsgesellschaftskapitän';
    await dialog().evaluate((element, text) => {
      const box = document.createElement('div');
      box.id = 'spill-probe';
      box.style.width = '40px';
      box.textContent = text;
      element.querySelector('.dlg-field')!.append(box);
    }, word);
    expect((await spilling(dialog())).some((line) => line.includes(word))).toBe(true);
    await dialog().evaluate(() => document.getElementById('spill-probe')?.remove());
    await screenshot(page, `seedbox-editor-${locale}`);
    await page.keyboard.press('Escape');
    await dialog().waitFor({ state: 'detached' });
  });

  it('says the Rules view and a rule being written in the language, and its layout holds', async () => {
    await page.locator('[data-test="open-rules"]').click();
    await page.getByRole('heading', { name: messages.rules.view.title, exact: true }).waitFor();
    await page.locator('[data-test="new-rule"]').click();
    const editor = page.locator('[data-test="rule-editor"]');
    await editor.waitFor();
    // A condition in the rules language: its words are the same in every locale.
    await page.locator('[data-test="condition"]').fill('ratio >= 2 and seeding_time > 14d');
    await expect.poll(() => page.locator('[data-test="condition-status"]').textContent()).toContain(messages.rules.condition.valid.split('{')[0]!.trim());
    expect(await page.locator('[data-test="rules-tab-targets"]').textContent()).toContain(messages.rules.view.tabs.targets);
    expect(await spilling(page.locator('.rules-view'))).toEqual([]);
    await screenshot(page, `rules-${locale}`);
    for (const tab of ['protections', 'targets', 'limits'] as const) {
      await page.locator(`[data-test="rules-tab-${tab}"]`).click();
      await page.locator(`#rules-panel-${tab}`).waitFor();
      expect(await spilling(page.locator('.rules-view')), tab).toEqual([]);
    }
    await page.locator('[data-test="rules-tab-rules"]').click();
  });

  it('says the fetch queue in the language', async () => {
    await page.locator('[data-test="open-fetch-queue"]').click();
    await page.getByRole('heading', { name: messages.fetch.view.title, exact: true }).waitFor();
    expect(await page.locator('.fetch-view').textContent()).toContain(messages.fetch.auto.title);
    expect(await spilling(page.locator('.fetch-view'))).toEqual([]);
    await screenshot(page, `fetch-queue-${locale}`);
  });

  it('left no page error', () => {
    expect(app.pageErrors).toEqual([]);
  });
});
