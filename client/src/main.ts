import 'maplibre-gl/dist/maplibre-gl.css';
import './style.css';
import type { Feature, MultiPolygon } from 'geojson';
import type { CountyOutline } from '../../server/contract/areas.ts';
import type { Health } from '../../server/contract/system.ts';
import {
  COMMAND_ROLES,
  mayAnnotateFlags,
  mayMoveIncident,
  mayMoveIncidentTo,
  mayReadCrewsLive,
  mayWriteSupervision,
} from '../../server/domain/access.ts';
import { getJson } from './api/http.ts';
import { forCounty } from './county-choice.ts';
import { mountDanger } from './danger/danger-panel.ts';
import { applyTranslations, locale, onLocaleChange, setLocale, t } from './i18n/i18n.ts';
import { LiveIncidents } from './live/live-client.ts';
import { mountBearingFixLayer } from './map/bearing-fix-layer.ts';
import {
  bounds,
  createCountyMap,
  setTerrain3d,
  startMapWorker,
  whenSourceDrawn,
} from './map/county-map.ts';
import { mountLayerPanel } from './map/layer-panel.ts';
import { mountLiveCrews } from './map/live-crews.ts';
import { isPickingOnMap } from './map/map-pick.ts';
import { enableSelection, selectGrid } from './map/selection.ts';
import { mountAlarmQueue } from './panels/alarm-queue.ts';
import { mountFlagsPanel } from './panels/flags-panel.ts';
import { mountFocusPanel } from './panels/focus-panel.ts';
import { mountIncidents } from './panels/incidents-panel.ts';
import { mountInfoCard } from './panels/info-card.ts';
import { mountOverdueNotices } from './panels/overdue-notices.ts';
import { mountPublicityLayer } from './panels/publicity-layer.ts';
import { mountReachPanel } from './panels/reach-panel.ts';
import { mountRhythmPanel } from './panels/rhythm-panel.ts';
import { mountSearchBox } from './panels/search-box.ts';
import { mountSession, Session } from './panels/session.ts';
import { mountSituation } from './panels/situation-bar.ts';
import { mountSpreadPanel } from './panels/spread-panel.ts';
import { mountUpwardAlerts } from './panels/upward-alerts.ts';
import { applyWallClass, mountWallMode, wallWanted } from './wall.ts';

/** The county outline as answered, its geometry (any on the wire) known to be a MultiPolygon. */
/** The demo county's code: its name in the title bar is translated (app.county). */
const DEMO_COUNTY_CODE = '431226';

type CountyFeature = CountyOutline & Feature<MultiPolygon, CountyOutline['properties']>;

const statusEl = document.getElementById('status') as HTMLElement;
const langButton = document.getElementById('lang-toggle') as HTMLButtonElement;
const view3dButton = document.getElementById('view-3d') as HTMLButtonElement;

let statusKey: Parameters<typeof t>[0] = 'status.loading';
let backendKey: Parameters<typeof t>[0] | null = null;
function renderStatus() {
  statusEl.textContent = backendKey ? `${t(statusKey)} · ${t(backendKey)}` : t(statusKey);
  langButton.textContent = t('lang.switch');
  view3dButton.textContent =
    view3dButton.getAttribute('aria-pressed') === 'true' ? t('view.2d') : t('view.3d');
}

// Wall mode before anything is drawn, so the first frame is already the wall's.
applyWallClass(wallWanted());

langButton.addEventListener('click', () => setLocale(locale() === 'zh-CN' ? 'en' : 'zh-CN'));
onLocaleChange(renderStatus);
applyTranslations();
renderStatus();

async function start() {
  startMapWorker();
  try {
    const [county, health] = await Promise.all([
      getJson<CountyFeature>(forCounty('/api/county', 'code')),
      getJson<Health>('/api/health'),
    ]);
    statusKey = county.properties.loaded ? 'status.loaded' : 'status.demoOutline';
    // Another county than the demo's (one of a province, or a county's own data): its name,
    // as loaded, in the title bar instead of the translated demo name.
    if (county.properties.loaded && county.properties.code !== DEMO_COUNTY_CODE) {
      const name = document.querySelector<HTMLElement>('.topbar .county');
      name?.removeAttribute('data-i18n');
      if (name) name.textContent = county.properties.name;
      document.title = `${county.properties.name}森林防火挂图作战指挥平台`;
    }
    backendKey =
      health.backend === 'embedded' ? 'status.backend.embedded' : 'status.backend.server';
    renderStatus();
    const countyBounds = bounds(county);
    const session = new Session();
    mountSession(session, document.getElementById('signin-button') as HTMLButtonElement);
    void session.load();
    mountAlarmQueue(document.getElementById('alarm-queue') as HTMLElement, session);
    const map = createCountyMap(document.getElementById('map') as HTMLElement, county);
    // The panels add their sources and layers once the style is in; they need not wait for
    // every tile of it (MapLibre's `load`), so fires are on the map with the county's first
    // tiles and not after the last relief tile.
    const styled = new Promise<void>((resolve) => map.once('style.load', () => resolve()));
    mountLayerPanel(document.getElementById('layer-panel') as HTMLElement, map);
    const card = mountInfoCard(document.getElementById('card-panel') as HTMLElement);
    view3dButton.addEventListener('click', () => {
      const on = view3dButton.getAttribute('aria-pressed') !== 'true';
      view3dButton.setAttribute('aria-pressed', String(on));
      setTerrain3d(map, on);
      renderStatus();
    });
    // For end-to-end tests and the wall-screen operator's console.
    const w = window as unknown as {
      __map: typeof map;
      __mapIdle: boolean;
      __mapIdleAt: number;
      __mapShownAt: number;
    };
    w.__map = map;
    map.once('idle', () => {
      w.__mapIdle = true;
      w.__mapIdleAt = performance.now();
    });
    await styled;
    const reach = mountReachPanel(
      document.getElementById('reach-panel') as HTMLElement,
      document.getElementById('reach-toggle') as HTMLButtonElement,
      map,
    );
    const spread = mountSpreadPanel(
      document.getElementById('spread-panel') as HTMLElement,
      document.getElementById('spread-toggle') as HTMLButtonElement,
      map,
    );
    enableSelection(map, card, () => reach.isPicking() || spread.isPicking() || isPickingOnMap());
    mountPublicityLayer(map, document.getElementById('publicity-toggle') as HTMLButtonElement);
    const flags = mountFlagsPanel(
      document.getElementById('flags-panel') as HTMLElement,
      document.getElementById('flags-toggle') as HTMLButtonElement,
      map,
      () => session.user !== null && mayAnnotateFlags(session.user),
    );
    const live = new LiveIncidents();
    const incidents = mountIncidents(
      live,
      map,
      document.getElementById('incidents-panel') as HTMLElement,
      document.getElementById('incident-card') as HTMLElement,
      document.getElementById('sound-toggle') as HTMLButtonElement,
      () => session.user !== null && COMMAND_ROLES.has(session.user.role),
      (inc, to) =>
        session.user !== null &&
        (to ? mayMoveIncidentTo(session.user, inc, to) : mayMoveIncident(session.user, inc)),
    );
    const bearingFix = mountBearingFixLayer(map, live, () => session.user !== null);
    // One panel on the right at a time.
    reach.onOpen(() => {
      card.close();
      flags.close();
      void incidents.select(null);
    });
    card.onOpen(() => {
      reach.close();
      flags.close();
      void incidents.select(null);
    });
    card.onIncident((id) => void incidents.select(id));
    flags.onOpen(() => {
      card.close();
      reach.close();
      void incidents.select(null);
    });
    // Selecting an incident draws its 10/20/30 rings and ranks the crews on its card.
    incidents.onSelect((inc) => {
      spread.setIncident(inc ? inc.location : null);
      void bearingFix.show(inc ? inc.id : null);
      if (!inc) {
        reach.clearRings();
        return;
      }
      card.close();
      reach.close();
      flags.close();
      void reach.ringsFor(...inc.location).then((answer) => {
        if (answer) incidents.showCrews(inc.id, answer.crews);
      });
    });
    const situation = mountSituation(
      live,
      document.getElementById('situation') as HTMLElement,
      document.getElementById('event-feed') as HTMLElement,
      (id) => void incidents.select(id),
    );
    // A fire confirmed, dismissed or marked as a drill changes the month's flags.
    live.onChange((e) => {
      if (e) flags.incidentEvent(e);
    });
    const liveCrews = mountLiveCrews(
      map,
      live,
      () => session.user !== null && mayReadCrewsLive(session.user),
    );
    const supervisionLink = document.getElementById('supervision-link') as HTMLElement;
    const showSupervisionLink = () => {
      supervisionLink.hidden = !(session.user && mayWriteSupervision(session.user));
    };
    showSupervisionLink();
    session.onChange(() => {
      showSupervisionLink();
      incidents.refresh();
      void flags.refresh();
      liveCrews.reload();
      situation.refresh();
      live.reconnect();
      danger.userChanged();
      rhythm.refresh();
    });
    const danger = mountDanger(map, live, () => session.user);
    mountOverdueNotices(document.getElementById('overdue-notices') as HTMLElement, live);
    mountUpwardAlerts({
      badge: document.getElementById('alerts-badge') as HTMLButtonElement,
      panel: document.getElementById('alerts-panel') as HTMLElement,
      session,
      live,
      select: (id) => void incidents.select(id),
      soundOn: () =>
        document.getElementById('sound-toggle')?.getAttribute('aria-pressed') !== 'false',
    });
    const rhythm = mountRhythmPanel(
      document.getElementById('rhythm-panel') as HTMLElement,
      live,
      () => session.user,
    );
    mountWallMode(map);
    const incidentsShown = live.start();
    incidentsShown.catch((err) => console.warn(err));
    // When the county's layers and the open fires are first on screen (the page-idle bench).
    void incidentsShown.then(() =>
      whenSourceDrawn(map, 'county').then(() => {
        w.__mapShownAt = performance.now();
      }),
    );
    (window as unknown as { __live: LiveIncidents }).__live = live;
    if (!county.properties.loaded) return;
    const focusReady = mountFocusPanel(
      document.getElementById('focus-panel') as HTMLElement,
      map,
      countyBounds,
    );
    mountSearchBox(document.getElementById('search') as HTMLElement, (hit) => {
      if (hit.kind === 'township') {
        void focusReady.then((focus) => focus.focus({ kind: 'township', code: hit.id }));
        return;
      }
      const [w0, s0, e0, n0] = hit.bbox;
      if (hit.kind === 'crew') map.flyTo({ center: [w0, s0], zoom: 13.5 });
      else map.fitBounds([w0, s0, e0, n0], { padding: 80, maxZoom: 14.5 });
      if (hit.kind === 'grid') {
        selectGrid(map, hit.id);
        void card.show({ kind: 'grid', id: hit.id });
      } else if (hit.kind === 'crew') void card.show({ kind: 'crew', id: hit.id });
    });
    await focusReady;
    document.body.dataset.ready = 'true';
  } catch (err) {
    statusKey = 'status.error';
    renderStatus();
    console.error(err);
  }
}

void start();
