import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type PacedMap, paceFramesWhileLoading } from './frame-pacing.ts';

type Handler = (e: Record<string, unknown>) => void;

/** Just enough of a MapLibre map: events, and a count of the frames it was asked to draw. */
function fakeMap() {
  const handlers = new Map<string, Set<Handler>>();
  const state = { frames: 0 };
  const map = {
    triggerRepaint() {
      state.frames++;
      return map;
    },
    on(type: string, fn: Handler) {
      if (!handlers.has(type)) handlers.set(type, new Set());
      handlers.get(type)?.add(fn);
      return map;
    },
    off(type: string, fn: Handler) {
      handlers.get(type)?.delete(fn);
      return map;
    },
    once(type: string, fn: Handler) {
      const wrapped: Handler = (e) => {
        handlers.get(type)?.delete(wrapped);
        fn(e);
      };
      return map.on(type, wrapped);
    },
    emit(type: string, e: Record<string, unknown> = {}) {
      for (const fn of [...(handlers.get(type) ?? [])]) fn(e);
    },
  };
  return { map, state, paced: map as unknown as PacedMap };
}

describe('frames while the map first loads', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('draws the first frame at once and one frame per gap for everything asked after it', () => {
    const { map, state, paced } = fakeMap();
    paceFramesWhileLoading(paced, 1000);
    map.triggerRepaint();
    expect(state.frames).toBe(1);
    for (let i = 0; i < 5; i++) {
      vi.advanceTimersByTime(100);
      map.triggerRepaint();
    }
    expect(state.frames).toBe(1);
    vi.advanceTimersByTime(499);
    expect(state.frames).toBe(1);
    vi.advanceTimersByTime(1);
    expect(state.frames).toBe(2);
    vi.advanceTimersByTime(5000);
    expect(state.frames).toBe(2);
  });

  it('draws at once when a source has all its tiles, not for a tile of a half-loaded one', () => {
    const { map, state, paced } = fakeMap();
    paceFramesWhileLoading(paced, 1000);
    map.triggerRepaint();
    vi.advanceTimersByTime(100);
    map.triggerRepaint();
    map.emit('sourcedata', { sourceId: 'relief', tile: {}, isSourceLoaded: false });
    expect(state.frames).toBe(1);
    map.emit('sourcedata', { sourceId: 'county', isSourceLoaded: true });
    expect(state.frames).toBe(1);
    map.emit('sourcedata', { sourceId: 'county', tile: {}, isSourceLoaded: true });
    expect(state.frames).toBe(2);
    // The frame drawn, nothing is left waiting for the gap.
    vi.advanceTimersByTime(5000);
    expect(state.frames).toBe(2);
  });

  it('draws every frame at once from the first idle, and the one still waiting', () => {
    const { map, state, paced } = fakeMap();
    paceFramesWhileLoading(paced, 1000);
    map.triggerRepaint();
    map.triggerRepaint();
    expect(state.frames).toBe(1);
    map.emit('idle');
    expect(state.frames).toBe(2);
    map.triggerRepaint();
    map.triggerRepaint();
    expect(state.frames).toBe(4);
  });

  it('stops pacing at a press, a touch or the wheel on the map', () => {
    for (const type of ['mousedown', 'touchstart', 'wheel']) {
      const { map, state, paced } = fakeMap();
      paceFramesWhileLoading(paced, 1000);
      map.triggerRepaint();
      map.triggerRepaint();
      expect(state.frames, type).toBe(1);
      map.emit(type, { originalEvent: { type } });
      expect(state.frames, type).toBe(2);
      map.triggerRepaint();
      expect(state.frames, type).toBe(3);
    }
  });

  it('stops pacing when a person moves the map, not when the page resizes it', () => {
    const { map, state, paced } = fakeMap();
    paceFramesWhileLoading(paced, 1000);
    map.triggerRepaint();
    map.emit('movestart', {});
    map.triggerRepaint();
    expect(state.frames).toBe(1);
    map.emit('movestart', { originalEvent: { type: 'mousedown' } });
    expect(state.frames).toBe(2);
    map.triggerRepaint();
    expect(state.frames).toBe(3);
  });
});
