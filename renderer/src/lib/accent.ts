// The OS accent colour as the window's accent, adjusted so contrast holds in both themes.
//
// The accent fills primary buttons and the active menu item under --accent-fg (white in the
// light theme, near-black in the dark one: theme.css), colours the active sidebar entry's text
// on the accent's own soft tint, and draws focus rings. A user's accent can be anything (a pale
// yellow, a near black), so it is darkened or lightened, keeping its hue, until every one of
// those pairs meets WCAG 2's 4.5:1 for text (1.4.3), which is more than a focus ring's 3:1.

const HEX = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/;
type Rgb = readonly [number, number, number];

/** WCAG 2's relative luminance of an sRGB colour (channels 0-255). */
export function luminance([r, g, b]: Rgb): number {
  const linear = (channel: number): number => {
    const c = channel / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

export function contrast(a: Rgb, b: Rgb): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

const WHITE: Rgb = [255, 255, 255];
const BLACK: Rgb = [0, 0, 0];
/** The themes' surfaces the accent meets (theme.css --bg, --bg-sidebar) and the dark theme's --accent-fg. */
export const LIGHT_BG: Rgb = [255, 255, 255];
export const DARK_BG: Rgb = [0x1b, 0x1d, 0x23];
export const DARK_SIDEBAR: Rgb = [0x15, 0x17, 0x1c];
export const DARK_ACCENT_FG: Rgb = [0x0b, 0x12, 0x20];
/** How much of the accent its soft tint holds (theme.css --accent-soft). */
export const SOFT = { light: 0.12, dark: 0.16 } as const;

export const mix = (from: Rgb, to: Rgb, amount: number): Rgb => from.map((channel, index) => Math.round(channel + (to[index]! - channel) * amount)) as unknown as Rgb;

/** The least mix toward `toward` (in 1 % steps) that makes `fits` true. */
function nudge(color: Rgb, toward: Rgb, fits: (candidate: Rgb) => boolean): Rgb {
  for (let step = 0; step <= 100; step++) {
    const candidate = mix(color, toward, step / 100);
    if (fits(candidate)) return candidate;
  }
  return toward;
}

const hex = (color: Rgb): string => `#${color.map((channel) => channel.toString(16).padStart(2, '0')).join('')}`;

export interface AccentPalette {
  light: string;
  dark: string;
}

const TEXT = 4.5;
/** Light theme: white text on it, and it as text on white and on its own tint over white. */
export const fitsLight = (accent: Rgb): boolean => contrast(accent, WHITE) >= TEXT && contrast(accent, mix(LIGHT_BG, accent, SOFT.light)) >= TEXT;
/** Dark theme: dark text on it, and it as text on the dark surfaces and its tint over them. */
export const fitsDark = (accent: Rgb): boolean =>
  contrast(accent, DARK_ACCENT_FG) >= TEXT && [DARK_BG, DARK_SIDEBAR].every((surface) => contrast(accent, surface) >= TEXT && contrast(accent, mix(surface, accent, SOFT.dark)) >= TEXT);

/** The accent for each theme, or null when the value is not a "#rrggbb" colour. */
export function accentPalette(accent: string): AccentPalette | null {
  const match = HEX.exec(accent.toLowerCase());
  if (!match) return null;
  const color = [1, 2, 3].map((group) => parseInt(match[group]!, 16)) as unknown as Rgb;
  // Darker is always safer in the light theme, lighter in the dark one.
  return { light: hex(nudge(color, BLACK, fitsLight)), dark: hex(nudge(color, WHITE, fitsDark)) };
}

/**
 * Sets the window's --accent (and its soft tint) from the OS accent, or gives the theme's own
 * back when there is none. Only a value accentPalette accepts ever reaches the stylesheet.
 */
export function applyAccent(accent: string | null, root: HTMLElement = document.documentElement): void {
  const palette = accent === null ? null : accentPalette(accent);
  if (!palette) {
    root.style.removeProperty('--accent');
    root.style.removeProperty('--accent-soft');
    return;
  }
  root.style.setProperty('--accent', `light-dark(${palette.light}, ${palette.dark})`);
  const soft = (color: string, share: number): string => `color-mix(in srgb, ${color} ${share * 100}%, transparent)`;
  root.style.setProperty('--accent-soft', `light-dark(${soft(palette.light, SOFT.light)}, ${soft(palette.dark, SOFT.dark)})`);
}
