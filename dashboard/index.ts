/**
 * The compliance dashboard: server-rendered GOV.UK-style pages on the API's Fastify app (outside /api), confined to
 * the signed-in identity's partnership. Pages: / (overview), /overdue, /plans/:planId, /escalations, /reports; plus
 * /sign-in, /sign-out and the govuk-frontend assets at /assets.
 */
import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config/env';
import type { PrismaClient } from '../db/client';
import { londonDateAt } from '../domain/calendar';
import * as data from './data';
import type { SafeHtml } from './html';
import { page } from './layout';
import { csrfToken, csrfValid, demoIdentity, endSession, identityOf, startSession, type Identity } from './session';
import * as views from './views';

export interface DashboardDeps {
  prisma: PrismaClient;
  config: Config;
  /** Today in Europe/London (injected so tests can fix it). */
  today?: () => string;
}

const GOVUK_DIST = path.join(path.dirname(require.resolve('govuk-frontend/package.json')), 'dist', 'govuk');
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

declare module 'fastify' {
  interface FastifyRequest {
    identity: Identity | null;
  }
}

export function registerDashboard(app: FastifyInstance, deps: DashboardDeps): void {
  const { prisma, config } = deps;
  const today = deps.today ?? (() => londonDateAt(Date.now()));
  app.decorateRequest('identity', null);

  app.register(async (scope) => {
    await scope.register(fastifyStatic, { root: path.join(GOVUK_DIST, 'assets'), prefix: '/assets/', index: false, wildcard: true });
    scope.get('/assets/govuk-frontend.min.css', (_request, reply) => reply.sendFile('govuk-frontend.min.css', GOVUK_DIST));

    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 4096 }, (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    });

    scope.addHook('onSend', async (_request, reply, payload) => {
      reply.header('content-security-policy', "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
      reply.header('x-content-type-options', 'nosniff');
      reply.header('referrer-policy', 'no-referrer');
      if (String(reply.getHeader('content-type') ?? '').startsWith('text/html')) reply.header('cache-control', 'no-store');
      return payload;
    });

    const send = (reply: FastifyReply, status: number, body: SafeHtml) => reply.code(status).type('text/html; charset=utf-8').send(body.value);

    scope.setErrorHandler((error, request, reply) => {
      request.log.error({ err: error }, 'dashboard error');
      return send(reply, 500, page({ title: 'Sorry, there is a problem', body: views.messageBody('Sorry, there is a problem with the service', 'Try again later.') }));
    });

    /** Signed-in pages: anyone else is sent to /sign-in. */
    const signedIn = async (request: FastifyRequest, reply: FastifyReply) => {
      const identity = identityOf(config, request);
      if (!identity) return reply.redirect('/sign-in', 303);
      request.identity = identity;
      return undefined;
    };
    const who = (request: FastifyRequest): Identity => {
      if (!request.identity) throw new Error('route is missing its signedIn preHandler');
      return request.identity;
    };
    const render = (request: FastifyRequest, reply: FastifyReply, title: string, current: string | undefined, body: SafeHtml, status = 200) =>
      send(reply, status, page({ title, ...(current ? { current } : {}), identity: who(request), csrf: csrfToken(config, request, reply), body }));

    scope.get('/sign-in', async (request, reply) => {
      const demo = demoIdentity(config);
      const status = demo ? 200 : 404;
      return send(reply, status, page({ title: 'Sign in', body: views.signInBody(demo ? csrfToken(config, request, reply) : '', !demo) }));
    });

    scope.post('/sign-in', async (request, reply) => {
      const demo = demoIdentity(config);
      if (!demo) return send(reply, 404, page({ title: 'Page not found', body: views.messageBody('Page not found', 'Sign-in is not available here.') }));
      if (!csrfValid(request, (request.body as Record<string, unknown> | undefined)?.['csrf'])) {
        return send(reply, 403, page({ title: 'Sign in', body: views.messageBody('Your sign-in form expired', 'Go back to the sign-in page and try again.') }));
      }
      startSession(config, reply, demo);
      return reply.redirect('/', 303);
    });

    scope.post('/sign-out', async (request, reply) => {
      if (!csrfValid(request, (request.body as Record<string, unknown> | undefined)?.['csrf'])) return reply.redirect('/', 303);
      endSession(config, reply);
      return reply.redirect('/sign-in', 303);
    });

    scope.get('/', { preHandler: signedIn }, async (request, reply) => {
      const { partnershipId } = who(request);
      const name = await data.partnershipName(prisma, partnershipId);
      if (name === undefined) return render(request, reply, 'Not set up', '/', views.messageBody('Partnership not set up', `No partnership ${partnershipId} is recorded.`), 404);
      const figures = await data.overview(prisma, partnershipId, name, today());
      return render(request, reply, 'Overview', '/', views.overviewBody({ partnershipName: name, ...figures }));
    });

    scope.get('/overdue', { preHandler: signedIn }, async (request, reply) => {
      const asOf = today();
      return render(request, reply, 'Overdue now', '/overdue', views.overdueBody(await data.overduePlans(prisma, who(request).partnershipId, asOf), asOf));
    });

    scope.get<{ Params: { planId: string } }>('/plans/:planId', { preHandler: signedIn }, async (request, reply) => {
      const identity = who(request);
      const plan = await data.planTimeline(prisma, identity.partnershipId, request.params.planId, today());
      if (!plan) return render(request, reply, 'Page not found', undefined, views.messageBody('Page not found', 'There is no such plan in your partnership.'), 404);
      // A read of a child's record: logged before the page is returned.
      await data.logAccess(prisma, identity, `GET ${request.routeOptions.url ?? '/plans/:planId'}`, plan.reference);
      return render(request, reply, `Plan ${plan.reference}`, undefined, views.planBody(plan));
    });

    scope.get('/escalations', { preHandler: signedIn }, async (request, reply) =>
      render(request, reply, 'Escalations', '/escalations', views.escalationsBody(await data.escalations(prisma, who(request).partnershipId))),
    );

    scope.get('/reports', { preHandler: signedIn }, async (request, reply) =>
      render(request, reply, 'Reports', '/reports', views.reportsBody(await data.reports(prisma, who(request).partnershipId))),
    );

    scope.get<{ Params: { id: string } }>('/reports/:id/download', { preHandler: signedIn }, async (request, reply) => {
      const identity = who(request);
      const row = await prisma.monthlyReport.findFirst({ where: { id: request.params.id, partnershipId: identity.partnershipId, status: 'complete' } });
      if (!row?.filePath || !fs.existsSync(row.filePath)) {
        return render(request, reply, 'Page not found', undefined, views.messageBody('Page not found', 'There is no such workbook.'), 404);
      }
      // A workbook holds children's data: log the download before sending it.
      await data.logAccess(prisma, identity, `GET ${request.routeOptions.url ?? '/reports/:id/download'}`);
      return reply
        .type(XLSX)
        .header('content-disposition', `attachment; filename="corewatch-${identity.partnershipId}-${row.month}.xlsx"`)
        .send(fs.createReadStream(row.filePath));
    });
  });
}
