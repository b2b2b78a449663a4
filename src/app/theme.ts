// The page's colours: light or dark (app.css keys the dark palette on <html data-theme="dark">). The lab
// follows the reader's OS setting; the embed is light unless its URL asks otherwise (`&theme=`), because
// it sits inside someone else's article, whose colours the OS setting says nothing about.

export const THEMES = ['light', 'dark', 'auto'] as const;
export type Theme = (typeof THEMES)[number];

export const isTheme = (value: string): value is Theme => (THEMES as readonly string[]).includes(value);

/**
 * Sets the page's theme now; 'auto' follows the OS setting, also when it changes later. Returns a
 * function that stops following it.
 */
export function applyTheme(theme: Theme, root: HTMLElement = document.documentElement): () => void {
  if (theme !== 'auto') {
    root.dataset.theme = theme;
    return () => {};
  }
  const dark = matchMedia('(prefers-color-scheme: dark)');
  const follow = () => (root.dataset.theme = dark.matches ? 'dark' : 'light');
  follow();
  dark.addEventListener('change', follow);
  return () => dark.removeEventListener('change', follow);
}
