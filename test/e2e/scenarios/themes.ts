// The panel in a light and a dark theme, as a user sees it: its colours follow the theme, and the text of
// the question, the answer, its code block and the message box stays readable on what is behind it.
// The screenshots (window and panel alone) are kept under .artifacts/screenshots/ for a person to look at.
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Locator } from 'playwright-core';
import { artifactsDir } from '../support/environment.ts';
import type { E2eEnvironment } from '../support/environment.ts';
import { assistantArticles, chatFrame, messageBox, panelElement, sendAndWaitForAnswer, userArticles } from '../support/chatPanel.ts';
import { THEMES, setColorTheme } from '../support/workbench.ts';

/** WCAG 2 AA for body text. */
const MIN_CONTRAST = 4.5;

type Rgba = [number, number, number, number];

/** What the browser computed for one element: its text colour and the backgrounds from it up to <html>. */
interface Sample {
  color: string;
  backgrounds: string[];
}

/** Parses Chromium's computed colours: `rgb(r, g, b)`, `rgba(r, g, b, a)`, or `color(srgb r g b / a)` (0-1). */
function parseColor(css: string): Rgba {
  const srgb = /^color\(srgb ([\d.]+) ([\d.]+) ([\d.]+)(?: \/ ([\d.]+))?\)$/.exec(css.trim());
  if (srgb) return [Number(srgb[1]) * 255, Number(srgb[2]) * 255, Number(srgb[3]) * 255, srgb[4] === undefined ? 1 : Number(srgb[4])];
  const match = /^rgba?\(([\d.]+)[, ]+([\d.]+)[, ]+([\d.]+)(?:[,/ ]+([\d.]+))?\)$/.exec(css.trim());
  assert.ok(match, `a computed colour as rgb(), rgba() or color(srgb), got "${css}"`);
  return [Number(match[1]), Number(match[2]), Number(match[3]), match[4] === undefined ? 1 : Number(match[4])];
}

/** `top` painted over the opaque `bottom`. */
function over(top: Rgba, bottom: Rgba): Rgba {
  const a = top[3];
  return [0, 1, 2].map((i) => top[i]! * a + bottom[i]! * (1 - a)).concat(1) as Rgba;
}

/** The background a user sees behind an element: its translucent layers over the first opaque one. */
function visibleBackground(layers: string[], what: string): Rgba {
  const parsed = layers.map(parseColor);
  const opaque = parsed.findIndex((layer) => layer[3] >= 1);
  assert.ok(opaque >= 0, `${what}: some element up to <html> paints an opaque background (got ${layers.join(' | ')})`);
  return parsed.slice(0, opaque).reduceRight((below, layer) => over(layer, below), parsed[opaque]!);
}

function luminance([r, g, b]: Rgba): number {
  const channel = (value: number) => {
    const s = value / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

function contrast(a: Rgba, b: Rgba): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** Reads one element's computed colours inside the webview. */
function sample(locator: Locator): Promise<Sample> {
  return locator.evaluate((element) => {
    const backgrounds: string[] = [];
    for (let node: Element | null = element; node; node = node.parentElement) backgrounds.push(getComputedStyle(node).backgroundColor);
    return { color: getComputedStyle(element).color, backgrounds };
  });
}

/** Text and background as the user sees them, for the parts of the panel a conversation shows. */
async function panelColours(env: E2eEnvironment): Promise<Record<string, { text: Rgba; background: Rgba }>> {
  const answer = assistantArticles(env.page).last();
  const parts: Record<string, Locator> = {
    panel: chatFrame(env.page).locator('body'),
    question: userArticles(env.page).last(),
    answer: answer.locator('p').first(),
    code: answer.locator('pre code').first(),
    'message box': messageBox(env.page),
  };
  const colours: Record<string, { text: Rgba; background: Rgba }> = {};
  for (const [what, locator] of Object.entries(parts)) {
    const { color, backgrounds } = await sample(locator);
    const background = visibleBackground(backgrounds, what);
    colours[what] = { text: over(parseColor(color), background), background };
  }
  return colours;
}

/**
 * Switches theme from the palette; in each, checks that every part of a conversation is readable, then saves
 * the window and the panel alone. Between the themes, the panel's colours must follow: a light background
 * with dark text, then a dark background with light text, and screenshots that differ.
 */
export async function screenshotsInLightAndDark(env: E2eEnvironment): Promise<string[]> {
  await sendAndWaitForAnswer(env.page, 'Show me some code please');
  const saved: string[] = [];
  const seen: Record<string, Awaited<ReturnType<typeof panelColours>>> = {};
  const panelShots: Record<string, string> = {};
  for (const [name, theme] of Object.entries(THEMES)) {
    await setColorTheme(env.page, theme);
    // Webviews get the new --vscode-* variables a moment after the workbench: wait until the panel's
    // body names the theme (VS Code sets data-vscode-theme-id and a vscode-light/-dark class on it).
    const frameBody = chatFrame(env.page).locator(`body.vscode-${name}[data-vscode-theme-id="${theme.name}"]`);
    await frameBody.waitFor({ state: 'attached', timeout: 30_000 });
    const colours = await panelColours(env);
    for (const [what, { text, background }] of Object.entries(colours)) {
      const ratio = contrast(text, background);
      assert.ok(ratio >= MIN_CONTRAST, `${theme.name}: the ${what} text is readable (contrast ${ratio.toFixed(2)}:1, want ${MIN_CONTRAST}:1; text rgb(${text.slice(0, 3).join(', ')}) on rgb(${background.slice(0, 3).join(', ')}))`);
    }
    seen[name] = colours;
    saved.push(await env.screenshot(`screenshots/window-${name}.png`));
    const panelFile = path.join(artifactsDir, 'screenshots', `panel-${name}.png`);
    await panelElement(env.page).screenshot({ path: panelFile });
    assert.ok(statSync(panelFile).size > 0, `the ${name} screenshot ${panelFile} was written`);
    panelShots[name] = panelFile;
    saved.push(panelFile);
  }
  const { light, dark } = seen;
  assert.ok(light && dark, 'both themes were sampled');
  assert.ok(luminance(light.panel.background) > luminance(dark.panel.background), 'the panel background is lighter in the light theme than in the dark one');
  assert.ok(luminance(light.answer.text) < luminance(dark.answer.text), 'the answer text is darker in the light theme than in the dark one');
  assert.ok(!readFileSync(panelShots.light!).equals(readFileSync(panelShots.dark!)), 'the light and dark screenshots of the panel differ');
  return saved;
}
