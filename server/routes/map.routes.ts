import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Binary, NoBody, OpenObject } from '../contract/wire.ts';
import { HttpError } from '../plugins/errors.ts';
import { commandMapStyle } from '../tiles/style.ts';
import { TILE_MAX_ZOOM } from '../tiles/vector-tiles.ts';
import { ifNoneMatchHits } from './http-cache.ts';

const TileParams = Type.Object({
  z: Type.Integer({ minimum: 0, maximum: 22 }),
  x: Type.Integer({ minimum: 0 }),
  y: Type.Integer({ minimum: 0 }),
});

function checkTile(z: number, x: number, y: number) {
  const n = 2 ** z;
  if (x >= n) throw new HttpError(400, `x must be < ${n} at zoom ${z}`, 'x');
  if (y >= n) throw new HttpError(400, `y must be < ${n} at zoom ${z}`, 'y');
}

/** 304 when the client already holds this version; otherwise set the validators. */
function notModified(request: FastifyRequest, reply: FastifyReply, etag: string): boolean {
  reply.header('etag', etag).header('cache-control', 'public, max-age=60, must-revalidate');
  if (ifNoneMatchHits(request.headers['if-none-match'], etag)) {
    reply.status(304).send();
    return true;
  }
  return false;
}

const mapRoutes: FastifyPluginAsyncTypebox<{ tiandituKey?: string }> = async (app, opts) => {
  app.get(
    '/api/style.json',
    {
      schema: {
        summary: 'MapLibre style of the command map; all sources are this server',
        tags: ['map'],
        response: { 200: OpenObject('a MapLibre style specification (v8) document') },
      },
    },
    async (request, reply) => {
      const tiles = await app.tiles.vector();
      const dem = await app.tiles.dem();
      const origin = `${request.protocol}://${request.host}`;
      reply.header('cache-control', 'no-cache');
      return commandMapStyle(
        origin,
        tiles.version,
        dem.bbox,
        await app.tiles.terrainMaxZoom(),
        opts.tiandituKey,
        (await app.areasRepository.extent()) ?? dem.bbox,
      );
    },
  );

  app.get(
    '/api/tiles/county/:z/:x/:y.pbf',
    {
      schema: {
        summary: 'Vector tile of the county layers (Mapbox Vector Tile v2)',
        tags: ['map'],
        response: {
          200: Binary('a vector tile', 'application/x-protobuf'),
          204: NoBody('no features in this tile'),
          304: NoBody('not modified (ETag)'),
        },
        params: TileParams,
      },
    },
    async (request, reply) => {
      const { z, x, y } = request.params;
      checkTile(z, x, y);
      if (z > TILE_MAX_ZOOM)
        throw new HttpError(
          404,
          `tiles go up to zoom ${TILE_MAX_ZOOM}; overzoom the last one`,
          'z',
        );
      const set = await app.tiles.vector();
      if (notModified(request, reply, `"${set.version}-${z}-${x}-${y}"`)) return reply;
      const pbf = await set.tile(z, x, y);
      if (!pbf) return reply.status(204).send();
      return reply.type('application/x-protobuf').send(Buffer.from(pbf));
    },
  );

  // Tiles of the county DEM: Terrarium elevations (3D view) and shaded relief (the map's
  // hillshade layer), each rendered once per terrain.
  const demTiles = [
    {
      kind: 'terrain',
      etag: 'dem',
      summary: 'Terrain tile (Terrarium-encoded PNG) from the county DEM',
      render: (z: number, x: number, y: number) => app.tiles.terrain(z, x, y),
    },
    {
      kind: 'relief',
      etag: 'relief',
      summary: 'Shaded relief tile (transparent RGBA PNG) from the county DEM',
      render: (z: number, x: number, y: number) => app.tiles.relief(z, x, y),
    },
  ];
  for (const { kind, etag, summary, render } of demTiles)
    app.get(
      `/api/tiles/${kind}/:z/:x/:y.png`,
      {
        schema: {
          summary,
          tags: ['map'],
          response: {
            200: Binary(`a ${kind} PNG`, 'image/png'),
            304: NoBody('not modified (ETag)'),
          },
          params: TileParams,
        },
      },
      async (request, reply) => {
        const { z, x, y } = request.params;
        checkTile(z, x, y);
        // Deeper tiles only interpolate the same DEM cells: the style's maxzoom makes MapLibre
        // overzoom the last one, and nobody gets a render per request down to z 22.
        const maxZoom = await app.tiles.terrainMaxZoom();
        if (z > maxZoom)
          throw new HttpError(
            404,
            `${kind} tiles go up to zoom ${maxZoom} (the DEM's resolution); overzoom the last one`,
            'z',
          );
        const dem = await app.tiles.dem();
        if (notModified(request, reply, `"${etag}-${dem.hash}-${z}-${x}-${y}"`)) return reply;
        const { png } = await render(z, x, y);
        return reply.type('image/png').send(Buffer.from(png));
      },
    );
};

export default mapRoutes;
