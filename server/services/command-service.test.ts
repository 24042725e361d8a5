/**
 * Setting a fire's forward command post over in-memory rows: inside the county, by a
 * commander of the fire's area; a refusal writes no post and no event.
 */
import { describe, expect, it } from 'vitest';
import type { TxQuery } from '../db/database.ts';
import type { AreasRepository, PlaceAt } from '../repositories/areas-repository.ts';
import type { CommandRepository } from '../repositories/command-repository.ts';
import { newActor } from '../testing/factories.ts';
import { fakeLog } from '../testing/fake-log.ts';
import { createCommandService } from './command-service.ts';

const GAOCUN = '431226106';
/** The county is everything east of 109.5° in this fake. */
const inCounty = (lon: number) => lon > 109.5;

function world() {
  const { log, appended } = fakeLog();
  const posts: string[] = [];
  const rows = {
    async incidentPlace(_q: TxQuery, id: string) {
      return id === 'fire-1' ? { townshipCode: GAOCUN, warZoneId: 4 } : null;
    },
    async insertCommandPost(_q: TxQuery, _id: string, post: { name: string }) {
      posts.push(post.name);
      return `cp-${posts.length}`;
    },
  } as unknown as CommandRepository;
  const areas = {
    async placeAt(lon: number) {
      return { inCounty: inCounty(lon), townshipCode: inCounty(lon) ? GAOCUN : null } as PlaceAt;
    },
  } as unknown as AreasRepository;
  return { service: createCommandService(rows, log, areas), appended, posts };
}

const gaocunCmd = newActor('township_commander', { townshipCode: GAOCUN, warZoneId: 4 });
const post = (lon: number) => ({ name: '前指', lon, lat: 27.87 });

describe('setting a command post', () => {
  it('sets it inside the county for a commander of the fire, with command_post_set', async () => {
    const w = world();
    await w.service.setCommandPost('fire-1', post(109.8), gaocunCmd);
    expect(w.posts).toEqual(['前指']);
    expect(w.appended.map((e) => [e.type, e.payload])).toEqual([
      ['command_post_set', { commandPostId: 'cp-1', name: '前指', location: [109.8, 27.87] }],
    ]);
  });

  it.each([
    [
      'outside the county',
      'fire-1',
      post(100),
      gaocunCmd,
      { status: 422, field: 'lon,lat', code: 'command.outside_county' },
    ],
    [
      'for a fire that does not exist',
      'fire-x',
      post(109.8),
      gaocunCmd,
      { status: 404, code: 'incident.not_found' },
    ],
    [
      'by a commander of another township',
      'fire-1',
      post(109.8),
      newActor('township_commander', { townshipCode: '431226107' }),
      { status: 403, code: 'command.not_commander' },
    ],
  ])('is refused %s, writing nothing', async (_what, id, where, actor, refusal) => {
    const w = world();
    await expect(w.service.setCommandPost(id, where, actor)).rejects.toMatchObject(refusal);
    expect(w.posts).toEqual([]);
    expect(w.appended).toEqual([]);
  });
});
