import { expect, test } from './fixtures'

/**
 * The strict CSP blocks inline styles and eval; a library that injects a <style> tag or probes
 * with eval shows up as a console error. Walk every view and the common popups and expect none.
 */
test('no console errors, CSP violations or page errors across the views and popups', async ({
  page,
  harness,
  keysPage
}) => {
  const problems: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text())
  })
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
  await keysPage.goto(harness.url)
  await keysPage.openCreateDialog()
  await page.getByRole('combobox', { name: 'Corpora' }).click()
  await expect(page.getByRole('option').first()).toBeVisible()
  // The first Escape closes the corpus list, the second the dialog.
  await page.keyboard.press('Escape')
  await expect(page.getByRole('option')).toHaveCount(0)
  await page.keyboard.press('Escape')
  await expect(page.getByRole('dialog')).toBeHidden()
  await keysPage.openMenu('website-search')
  await page.keyboard.press('Escape')
  await page.getByRole('button', { name: /Switch account/ }).click()
  await page.keyboard.press('Escape')
  for (const view of ['Playground', 'Usage', 'Accounts', 'Keys']) {
    await page.getByRole('link', { name: view }).click()
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(view)
  }
  await page.getByRole('link', { name: 'Playground' }).click()
  await page.getByLabel('API key').click()
  await page.keyboard.press('Escape')
  expect(problems).toEqual([])
})
