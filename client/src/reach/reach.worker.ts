/**
 * The reach engine in a Web Worker, so the command page never freezes while travel times
 * are computed. It fetches the road network and the DEM once (ETag-revalidated), builds the
 * engine (server/domain/reach, the same code the server runs) and answers points.
 */
/// <reference lib="webworker" />
import { fromArrayBuffer } from 'geotiff';
import type { ReachAnswer, ReachData } from '../../../server/domain/reach/reach-engine.ts';
import { ReachEngine } from '../../../server/domain/reach/reach-engine.ts';
import { getBytes, getJson } from '../api/http.ts';

export type ReachRequest = { id: number; lon: number; lat: number };
export type ReachReply =
  | { id: number; answer: ReachAnswer; ms: number }
  | { id: number; error: string };

let engine: Promise<ReachEngine> | null = null;

async function build(): Promise<ReachEngine> {
  const [network, demBytes] = await Promise.all([
    getJson<Omit<ReachData, 'dem'>>('/api/reach/network'),
    getBytes('/api/reach/dem.tif'),
  ]);
  const image = await (await fromArrayBuffer(demBytes)).getImage();
  const [band] = (await image.readRasters()) as unknown as ArrayLike<number>[];
  return new ReachEngine({
    ...network,
    dem: {
      width: image.getWidth(),
      height: image.getHeight(),
      bbox: image.getBoundingBox() as [number, number, number, number],
      values: band as ArrayLike<number>,
    },
  });
}

self.onmessage = async (e: MessageEvent<ReachRequest>) => {
  const { id, lon, lat } = e.data;
  try {
    engine ??= build();
    const ready = await engine;
    const t0 = performance.now();
    const answer = ready.toPoint(lon, lat);
    self.postMessage({ id, answer, ms: performance.now() - t0 } satisfies ReachReply);
  } catch (err) {
    engine = null;
    self.postMessage({ id, error: String((err as Error).message ?? err) } satisfies ReachReply);
  }
};
