// Colours as a user sees them inside the panel: an element's text colour over the backgrounds painted
// behind it, and the WCAG contrast between them. (The same reading as scenarios/themes.ts.)
import assert from 'node:assert/strict';
import type { Locator } from 'playwright-core';

/** WCAG 2 AA for body text. */
export const MIN_CONTRAST = 4.5;

export type Rgba = [number, number, number, number];

/** Parses Chromium's computed colours: `rgb(r, g, b)`, `rgba(r, g, b, a)`, or `color(srgb r g b / a)` (0-1). */
export function parseColor(css: string): Rgba {
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

export function luminance([r, g, b]: Rgba): number {
  const channel = (value: number) => {
    const s = value / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

export function contrast(a: Rgba, b: Rgba): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** What a user sees of one element: its text colour over its background (translucent layers up to the first opaque one). */
export async function seenColours(locator: Locator, what: string): Promise<{ text: Rgba; background: Rgba }> {
  const { color, backgrounds } = await locator.evaluate((element) => {
    const layers: string[] = [];
    for (let node: Element | null = element; node; node = node.parentElement) layers.push(getComputedStyle(node).backgroundColor);
    return { color: getComputedStyle(element).color, backgrounds: layers };
  });
  const parsed = backgrounds.map(parseColor);
  const opaque = parsed.findIndex((layer) => layer[3] >= 1);
  assert.ok(opaque >= 0, `${what}: some element up to <html> paints an opaque background (got ${backgrounds.join(' | ')})`);
  const background = parsed.slice(0, opaque).reduceRight((below, layer) => over(layer, below), parsed[opaque]!);
  return { text: over(parseColor(color), background), background };
}

/** Asserts the element's text is readable on what is behind it; returns the contrast ratio. */
export async function assertReadable(locator: Locator, what: string): Promise<number> {
  const { text, background } = await seenColours(locator, what);
  const ratio = contrast(text, background);
  assert.ok(ratio >= MIN_CONTRAST, `${what}: readable (contrast ${ratio.toFixed(2)}:1, want ${MIN_CONTRAST}:1; text rgb(${text.slice(0, 3).map(Math.round).join(', ')}) on rgb(${background.slice(0, 3).map(Math.round).join(', ')}))`);
  return ratio;
}
