import { mount } from 'svelte';
import App from './App.svelte';
import Embed from './embed/Embed.svelte';
import { readEmbedParams } from './embed/params.ts';
import './app.css';
import { applyTheme } from './theme.ts';
import { warmUpLocaleData } from './warm-up.ts';

// `?embed` (or `?embed=<recorded run>`) is the compact page for iframes; anything else is the lab.
const target = document.getElementById('app')!;
if (new URLSearchParams(location.search).has('embed')) {
  document.documentElement.classList.add('embedded');
  const { theme, ...props } = readEmbedParams(location.search);
  applyTheme(theme);
  mount(Embed, { target, props });
} else {
  applyTheme('auto');
  mount(App, { target });
}
warmUpLocaleData();
