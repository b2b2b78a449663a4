import { mount } from 'svelte';
import App from './App.svelte';
import Embed from './embed/Embed.svelte';
import './app.css';
import { warmUpLocaleData } from './warm-up.ts';

// `?embed` (or `?embed=<recorded run>`) is the compact page for iframes; anything else is the lab.
const params = new URLSearchParams(location.search);
const target = document.getElementById('app')!;
if (params.has('embed')) {
  document.documentElement.classList.add('embedded');
  const backend = params.get('backend');
  mount(Embed, {
    target,
    props: {
      runId: params.get('embed') || null,
      backend: backend === 'wasm' || backend === 'webgpu' ? backend : 'auto',
    },
  });
} else mount(App, { target });
warmUpLocaleData();
