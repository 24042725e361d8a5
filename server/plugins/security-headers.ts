/**
 * Security headers on every answer (@fastify/helmet, the Fastify team's wrapper of helmet):
 * a Content-Security-Policy that lets the command page load only from this server (MapLibre's
 * worker is a blob:, its images data:/blob:, Socket.IO a same-origin WebSocket), no framing by
 * another site (frame-ancestors 'none', against click-jacking a dispatch button),
 * X-Content-Type-Options nosniff (a photo is never run as a script), no referrer leaving the
 * machine. The optional 天地图 basemap is allowed only when its key is configured.
 * No upgrade-insecure-requests and no HSTS: a county often serves the map over plain HTTP on
 * its own network, where those would break every request.
 */
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

export const TIANDITU_ORIGIN = 'https://*.tianditu.gov.cn';

export default fp(
  async (app: FastifyInstance, opts: { tiandituKey?: string | undefined }) => {
    const online = opts.tiandituKey ? [TIANDITU_ORIGIN] : [];
    await app.register(helmet, {
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          workerSrc: ["'self'", 'blob:'],
          childSrc: ["'self'", 'blob:'],
          imgSrc: ["'self'", 'data:', 'blob:', ...online],
          styleSrc: ["'self'", "'unsafe-inline'"],
          fontSrc: ["'self'", 'data:'],
          connectSrc: ["'self'", 'ws:', 'wss:', ...online],
          manifestSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
      strictTransportSecurity: false,
      referrerPolicy: { policy: 'no-referrer' },
    });
  },
  { name: 'security-headers' },
);
