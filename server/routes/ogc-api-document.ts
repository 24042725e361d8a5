/**
 * The OpenAPI 3.0 definition of the /ogc endpoints (OGC 17-069r4 §7.3, conformance class
 * oas30). Clients read it: GDAL's OAPIF driver takes its page size from the `limit`
 * parameter's maximum here. Kept apart from /api/openapi.json, which is OpenAPI 3.1.
 */
import { COLLECTION_IDS } from '../repositories/ogc-repository.ts';

export const LIMIT_DEFAULT = 10;
export const LIMIT_MAX = 10_000;

const f = {
  name: 'f',
  in: 'query',
  required: false,
  description: 'The encoding of the response; the only one offered is json.',
  schema: { type: 'string', enum: ['json'] },
};
const collectionId = {
  name: 'collectionId',
  in: 'path',
  required: true,
  schema: { type: 'string', enum: COLLECTION_IDS },
};
const json = (description: string, type = 'application/json') => ({
  description,
  content: { [type]: { schema: { type: 'object' } } },
});
const errors = {
  '400': json('A parameter is invalid; `field` names it.'),
  '404': json('No such collection or feature.'),
  '406': json('The Accept header admits no format served here.'),
};

export function ogcApiDocument(serverUrl: string) {
  return {
    openapi: '3.0.3',
    info: {
      title: '森林防火挂图作战指挥平台 · OGC API – Features',
      description:
        'The county’s grids, villages, townships, war zones, assets, crews’ bases and open ' +
        'incidents (public notice) as OGC API – Features collections, in CRS84.',
      version: '1.0.0',
    },
    servers: [{ url: serverUrl }],
    paths: {
      '/': {
        get: {
          operationId: 'getLandingPage',
          summary: 'Landing page',
          parameters: [f],
          responses: {
            '200': json('Links to the API definition, conformance and data'),
            ...errors,
          },
        },
      },
      '/conformance': {
        get: {
          operationId: 'getConformanceDeclaration',
          summary: 'Conformance classes this server implements',
          parameters: [f],
          responses: { '200': json('The conformance classes'), ...errors },
        },
      },
      '/api': {
        get: {
          operationId: 'getApiDefinition',
          summary: 'This document',
          parameters: [f],
          responses: {
            '200': json('OpenAPI 3.0', 'application/vnd.oai.openapi+json;version=3.0'),
            ...errors,
          },
        },
      },
      '/collections': {
        get: {
          operationId: 'getCollections',
          summary: 'The feature collections',
          parameters: [f],
          responses: { '200': json('The collections with their extents'), ...errors },
        },
      },
      '/collections/{collectionId}': {
        get: {
          operationId: 'describeCollection',
          summary: 'One collection',
          parameters: [collectionId, f],
          responses: { '200': json('The collection'), ...errors },
        },
      },
      '/collections/{collectionId}/items': {
        get: {
          operationId: 'getFeatures',
          summary: 'Features of a collection, one page at a time',
          parameters: [
            collectionId,
            {
              name: 'limit',
              in: 'query',
              required: false,
              style: 'form',
              explode: false,
              schema: { type: 'integer', minimum: 1, maximum: LIMIT_MAX, default: LIMIT_DEFAULT },
            },
            {
              name: 'offset',
              in: 'query',
              required: false,
              description: 'Features to skip; `next` links carry it.',
              schema: { type: 'integer', minimum: 0, default: 0 },
            },
            {
              name: 'bbox',
              in: 'query',
              required: false,
              style: 'form',
              explode: false,
              description: 'minLon,minLat,maxLon,maxLat (or the 6-number form) in CRS84.',
              schema: {
                type: 'array',
                oneOf: [
                  { minItems: 4, maxItems: 4 },
                  { minItems: 6, maxItems: 6 },
                ],
                items: { type: 'number' },
              },
            },
            {
              name: 'datetime',
              in: 'query',
              required: false,
              style: 'form',
              explode: false,
              description:
                'An RFC 3339 instant or interval (`a/b`, `../b`, `a/..`); filters incidents by ' +
                'first report, and is ignored by collections without time.',
              schema: { type: 'string' },
            },
            f,
          ],
          responses: {
            '200': json('A GeoJSON FeatureCollection', 'application/geo+json'),
            ...errors,
          },
        },
      },
      '/collections/{collectionId}/items/{featureId}': {
        get: {
          operationId: 'getFeature',
          summary: 'One feature',
          parameters: [
            collectionId,
            { name: 'featureId', in: 'path', required: true, schema: { type: 'string' } },
            f,
          ],
          responses: { '200': json('A GeoJSON Feature', 'application/geo+json'), ...errors },
        },
      },
    },
  };
}
