/**
 * OGC API – Features, Part 1: Core (OGC 17-069r4) at /ogc, with the GeoJSON and OpenAPI 3.0
 * conformance classes, so QGIS and GDAL (OAPIF driver) read the county's layers without
 * exports by hand. Everything here is public, as on the map: the repository publishes no
 * rosters, phones, reporters or notes, and incidents only as their public summary.
 */
import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { HttpError } from '../plugins/errors.ts';
import {
  type CollectionId,
  type CollectionInfo,
  type ItemsQuery,
  isCollectionId,
} from '../repositories/ogc-repository.ts';
import { LIMIT_DEFAULT, LIMIT_MAX, ogcApiDocument } from './ogc-api-document.ts';
import { MEDIA, negotiate, parseBbox, parseDatetime, refuseUnknown } from './ogc-params.ts';

const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';
const CONFORMANCE = [
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30',
];

const F = Type.Optional(Type.String({ description: 'response encoding; only json is offered' }));
const OnlyF = Type.Object({ f: F }, { additionalProperties: false });
const CollectionParams = Type.Object({ collectionId: Type.String() });

function collectionOf(id: string): CollectionId {
  if (!isCollectionId(id)) throw new HttpError(404, `no collection ${id}`, 'collectionId');
  return id;
}

function link(href: string, rel: string, type: string, title?: string) {
  return { href, rel, type, ...(title ? { title } : {}) };
}

function collectionJson(base: string, c: CollectionInfo) {
  const href = `${base}/collections/${c.id}`;
  return {
    id: c.id,
    title: c.title,
    description: c.description,
    itemType: 'feature',
    crs: [CRS84],
    extent: {
      ...(c.bbox ? { spatial: { bbox: [c.bbox], crs: CRS84 } } : {}),
      ...(c.temporal
        ? {
            temporal: {
              interval: [c.temporal.interval],
              trs: 'http://www.opengis.net/def/uom/ISO-8601/0/Gregorian',
            },
          }
        : {}),
    },
    links: [
      link(`${href}?f=json`, 'self', MEDIA.json, 'this collection'),
      link(`${href}/items?f=json`, 'items', MEDIA.geojson, 'its features'),
    ],
  };
}

const ITEMS_PARAMS = ['limit', 'offset', 'bbox', 'datetime', 'f'] as const;

export const ANONYMOUS_ITEM_PAGES_PER_MINUTE = 300;

const ogcRoutes: FastifyPluginAsyncTypebox<{ publicUrl?: string }> = async (app, opts) => {
  /**
   * Links are absolute: PUBLIC_URL when set (the address users open, right behind a proxy
   * that terminates TLS), else the address the client reached.
   */
  const baseOf = (request: FastifyRequest) =>
    `${opts.publicUrl ?? `${request.protocol}://${request.host}`}/ogc`;

  app.addHook('preValidation', async (request) => {
    if (!request.url.startsWith('/ogc')) return;
    const items = request.routeOptions.url?.endsWith('/items') ?? false;
    refuseUnknown(request.url, items ? ITEMS_PARAMS : ['f']);
  });
  const landing = (base: string) => {
    return {
      title: '森林防火挂图作战指挥平台 · OGC API – Features',
      description:
        'The county’s fire-prevention grids, areas, assets, crews’ bases and open incidents.',
      links: [
        link(`${base}?f=json`, 'self', MEDIA.json, 'this document'),
        link(`${base}/api?f=json`, 'service-desc', MEDIA.openapi, 'the API definition'),
        link(`${base}/conformance?f=json`, 'conformance', MEDIA.json, 'conformance classes'),
        link(`${base}/collections?f=json`, 'data', MEDIA.json, 'the collections'),
      ],
    };
  };
  for (const url of ['/ogc', '/ogc/'])
    app.get(
      url,
      {
        schema: { summary: 'OGC API – Features landing page', tags: ['ogc'], querystring: OnlyF },
      },
      async (request, reply) => {
        negotiate(request.query.f, request.headers.accept, MEDIA.json);
        return reply.type(MEDIA.json).send(landing(baseOf(request)));
      },
    );

  app.get(
    '/ogc/conformance',
    {
      schema: { summary: 'OGC API – Features conformance', tags: ['ogc'], querystring: OnlyF },
    },
    async (request, reply) => {
      negotiate(request.query.f, request.headers.accept, MEDIA.json);
      return reply.type(MEDIA.json).send({ conformsTo: CONFORMANCE });
    },
  );

  app.get(
    '/ogc/api',
    {
      schema: {
        summary: 'OpenAPI 3.0 definition of the OGC API',
        tags: ['ogc'],
        querystring: OnlyF,
      },
    },
    async (request, reply) => {
      negotiate(request.query.f, request.headers.accept, MEDIA.openapi);
      return reply.type(MEDIA.openapi).send(ogcApiDocument(baseOf(request)));
    },
  );

  app.get(
    '/ogc/collections',
    { schema: { summary: 'OGC API – Features collections', tags: ['ogc'], querystring: OnlyF } },
    async (request, reply) => {
      negotiate(request.query.f, request.headers.accept, MEDIA.json);
      const base = baseOf(request);
      const collections = await app.ogcRepository.describeAll();
      return reply.type(MEDIA.json).send({
        links: [link(`${base}/collections?f=json`, 'self', MEDIA.json, 'the collections')],
        collections: collections.map((c) => collectionJson(base, c)),
      });
    },
  );

  app.get(
    '/ogc/collections/:collectionId',
    {
      schema: {
        summary: 'One OGC API – Features collection',
        tags: ['ogc'],
        params: CollectionParams,
        querystring: OnlyF,
      },
    },
    async (request, reply) => {
      const id = collectionOf(request.params.collectionId);
      negotiate(request.query.f, request.headers.accept, MEDIA.json);
      const info = await app.ogcRepository.describe(id);
      return reply.type(MEDIA.json).send(collectionJson(baseOf(request), info));
    },
  );

  app.get(
    '/ogc/collections/:collectionId/items',
    {
      // A page may hold LIMIT_MAX features: what one address without a session may ask a
      // minute is bounded, as for reach (a GIS client paging a layer needs a handful).
      onRequest: app.anonymousLimit({
        max: ANONYMOUS_ITEM_PAGES_PER_MINUTE,
        windowMs: 60_000,
        message: `at most ${ANONYMOUS_ITEM_PAGES_PER_MINUTE} pages of features a minute without sign-in from one address`,
        field: 'limit',
      }),
      schema: {
        summary: 'Features of a collection (GeoJSON), paged with next links',
        tags: ['ogc'],
        params: CollectionParams,
        querystring: Type.Object(
          {
            limit: Type.Integer({ minimum: 1, maximum: LIMIT_MAX, default: LIMIT_DEFAULT }),
            offset: Type.Integer({ minimum: 0, default: 0 }),
            bbox: Type.Optional(Type.String()),
            datetime: Type.Optional(Type.String()),
            f: F,
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const id = collectionOf(request.params.collectionId);
      const q = request.query;
      negotiate(q.f, request.headers.accept, MEDIA.geojson);
      const query: ItemsQuery = {
        limit: q.limit,
        offset: q.offset,
        ...(q.bbox !== undefined ? { bbox: parseBbox(q.bbox) } : {}),
        ...(q.datetime !== undefined ? { datetime: parseDatetime(q.datetime) } : {}),
      };
      const { features, numberMatched } = await app.ogcRepository.items(id, query);
      const href = `${baseOf(request)}/collections/${id}/items`;
      // Links keep the query: the filters, the page size and the format asked for.
      const page = (offset: number) => {
        const p = new URLSearchParams();
        if (q.bbox !== undefined) p.set('bbox', q.bbox);
        if (q.datetime !== undefined) p.set('datetime', q.datetime);
        p.set('limit', String(q.limit));
        p.set('offset', String(offset));
        p.set('f', 'json');
        return `${href}?${p}`;
      };
      const links = [
        link(page(q.offset), 'self', MEDIA.geojson, 'this page'),
        link(`${baseOf(request)}/collections/${id}?f=json`, 'collection', MEDIA.json),
      ];
      if (q.offset + features.length < numberMatched)
        links.push(link(page(q.offset + features.length), 'next', MEDIA.geojson, 'next page'));
      if (q.offset > 0)
        links.push(link(page(Math.max(0, q.offset - q.limit)), 'prev', MEDIA.geojson));
      return reply.type(MEDIA.geojson).send({
        type: 'FeatureCollection',
        timeStamp: new Date().toISOString(),
        numberMatched,
        numberReturned: features.length,
        features,
        links,
      });
    },
  );

  app.get(
    '/ogc/collections/:collectionId/items/:featureId',
    {
      schema: {
        summary: 'One feature (GeoJSON)',
        tags: ['ogc'],
        params: Type.Object({ collectionId: Type.String(), featureId: Type.String() }),
        querystring: OnlyF,
      },
    },
    async (request, reply) => {
      const id = collectionOf(request.params.collectionId);
      negotiate(request.query.f, request.headers.accept, MEDIA.geojson);
      const feature = await app.ogcRepository.item(id, request.params.featureId);
      if (!feature)
        throw new HttpError(404, `no feature ${request.params.featureId} in ${id}`, 'featureId');
      const href = `${baseOf(request)}/collections/${id}`;
      return reply.type(MEDIA.geojson).send({
        ...feature,
        links: [
          link(
            `${href}/items/${encodeURIComponent(String(feature.id))}?f=json`,
            'self',
            MEDIA.geojson,
          ),
          link(`${href}?f=json`, 'collection', MEDIA.json),
        ],
      });
    },
  );
};

export default ogcRoutes;
