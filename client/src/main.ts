import 'maplibre-gl/dist/maplibre-gl.css';
import './style.css';
import type { Feature, MultiPolygon } from 'geojson';
import { applyTranslations, locale, onLocaleChange, setLocale, t } from './i18n/i18n.ts';
import { createCountyMap } from './map/county-map.ts';
import { mountLayerPanel } from './map/layer-panel.ts';

type CountyFeature = Feature<MultiPolygon, { code: string; name: string; loaded: boolean }>;

const statusEl = document.getElementById('status') as HTMLElement;
const langButton = document.getElementById('lang-toggle') as HTMLButtonElement;

let statusKey: Parameters<typeof t>[0] = 'status.loading';
let backendKey: Parameters<typeof t>[0] | null = null;
function renderStatus() {
  statusEl.textContent = backendKey ? `${t(statusKey)} · ${t(backendKey)}` : t(statusKey);
  langButton.textContent = t('lang.switch');
}

langButton.addEventListener('click', () => setLocale(locale() === 'zh-CN' ? 'en' : 'zh-CN'));
onLocaleChange(renderStatus);
applyTranslations();
renderStatus();

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

async function start() {
  try {
    const [county, health] = await Promise.all([
      getJson<CountyFeature>('/api/county'),
      getJson<{ backend: 'embedded' | 'server' }>('/api/health'),
    ]);
    statusKey = county.properties.loaded ? 'status.loaded' : 'status.demoOutline';
    backendKey =
      health.backend === 'embedded' ? 'status.backend.embedded' : 'status.backend.server';
    renderStatus();
    const map = createCountyMap(document.getElementById('map') as HTMLElement, county);
    // For end-to-end tests and the wall-screen operator's console.
    mountLayerPanel(document.getElementById('layer-panel') as HTMLElement, map);
    const w = window as unknown as { __map: typeof map; __mapIdle: boolean };
    w.__map = map;
    map.once('idle', () => {
      w.__mapIdle = true;
    });
  } catch (err) {
    statusKey = 'status.error';
    renderStatus();
    console.error(err);
  }
}

void start();
