/**
 * The compliance dashboard: server-rendered GOV.UK-style pages on the API's Fastify app (outside /api), confined to
 * the signed-in person's partnership and to what their roles grant (domain/access.ts). Pages: / (overview),
 * /overdue, /plans/:planId, /escalations, /reports, /annex-a, /access-log; signing in and out (dashboard/sign-in-routes.ts);
 * the govuk-frontend assets at /assets. Cookies, the session, CSRF tokens, forms and error pages are
 * dashboard/plugins.ts.
 *
 * Statuses: not signed in, 401 with the sign-in page (so the browser shows where to sign in, and the page is
 * returned to afterwards); signed in but not allowed, 403; outside the partnership, 404.
 */
import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { homePermission, mayUse, type Permission } from '../../domain/access';
import { londonDateAt } from '../../domain/calendar';
import { IsoDateSchema } from '../../domain/input-policy';
import { Refusal } from '../../domain/refusal';
import { sendAnnexA, XLSX } from '../annex-a-download';
import { listAccess, recordAccess, type AccessAction } from '../../services/access-log';
import { loadAccess, type Access } from './access';
import * as data from './data';
import type { SafeHtml } from './html';
import { NAV, page } from './layout';
import { OidcSignIn, oidcSettings } from './oidc';
import { registerDashboardPlugins } from './plugins';
import { sendMessage as message, sendPage as send } from './replies';
import { identityOf, safeReturnPath } from './session';
import { signInPageSender, signInRoutes } from './sign-in-routes';
import * as views from './views';
import { pageLinks, parseListQuery, type ListQuery } from './list-query';
import { OBLIGATION_KINDS } from '../../domain/types';
import type { Page } from '../../services/plan-data';
import type { HttpDeps } from '../deps';

export type DashboardDeps = Pick<HttpDeps, 'prisma' | 'config' | 'today'>;

const GOVUK_DIST = path.join(path.dirname(require.resolve('govuk-frontend/package.json')), 'dist', 'govuk');
const ACCESS_LOG_PAGE = 100;
const NONE_UNEVALUABLE = { rows: [], total: 0 };

declare module 'fastify' {
  interface FastifyRequest {
    access: Access | null;
  }
}

export function registerDashboard(app: FastifyInstance, deps: DashboardDeps): void {
  const { prisma, config } = deps;
  const today = deps.today ?? (() => londonDateAt(Date.now()));
  const settings = oidcSettings(config);
  const oidc = settings ? new OidcSignIn(settings) : undefined;
  const label = (access: Access) => data.planLabeller(access, config.PSEUDONYM_SECRET);
  // Partnership-wide figures and filter options, reused for a minute across viewers (never a list of plans).
  const shared = data.sharedFigures(prisma);
  // The overview's body, rendered once per set of shared figures (the same object while they are shared, a minute)
  // and per kind of reader (whether it links to the list): every viewer of a partnership sees the same body, and it
  // is the dashboard's largest page. Held weakly: it goes when the figures do.
  const overviewBodies = new WeakMap<data.Overview, Map<boolean, SafeHtml>>();
  const overviewBody = (figures: data.Overview, partnershipName: string, overdueLink: boolean): SafeHtml => {
    let bodies = overviewBodies.get(figures);
    if (bodies === undefined) overviewBodies.set(figures, (bodies = new Map<boolean, SafeHtml>()));
    let body = bodies.get(overdueLink);
    if (body === undefined) {
      body = views.overviewBody({ ...figures, partnershipName, overdueLink });
      bodies.set(overdueLink, body);
    }
    return body;
  };
  app.decorateRequest('access', null);

  // The assets, in a scope of their own: they need no session, so a signed-in browser's stylesheet costs no query.
  app.register(async (assets) => {
    await assets.register(fastifyStatic, {
      root: path.join(GOVUK_DIST, 'assets'),
      prefix: '/assets/',
      index: false,
      wildcard: true,
    });
    assets.get('/assets/govuk-frontend.min.css', (_request, reply) =>
      reply.sendFile('govuk-frontend.min.css', GOVUK_DIST),
    );
  });

  app.register(async (scope) => {
    await registerDashboardPlugins(scope, deps);
    const signIn = { prisma, config, oidc };
    await scope.register(signInRoutes(signIn));
    const signInPage = signInPageSender(signIn);

    /** Signed in, still an active person, and allowed `permission` (undefined: any signed-in person). */
    const allow = (permission?: Permission) => async (request: FastifyRequest, reply: FastifyReply) => {
      const identity = identityOf(config, request);
      // The session store read the person's standing with the session (one round trip); rights are still this request's.
      const access = identity ? await loadAccess(prisma, identity, request.session?.standing) : undefined;
      if (!access) return signInPage(request, reply, 401, safeReturnPath(request.url));
      request.access = access;
      if (permission && !mayUse(access.roles, permission)) {
        return message(
          reply,
          403,
          'You do not have access to this page',
          'Your role does not include this page. Ask your administrator if you need it.',
          access,
        );
      }
      return undefined;
    };
    const accessOf = (request: FastifyRequest): Access => {
      if (!request.access) throw new Error('route is missing its allow() preHandler');
      return request.access;
    };
    const render = (
      request: FastifyRequest,
      reply: FastifyReply,
      title: string,
      current: string | undefined,
      body: SafeHtml,
      status = 200,
    ) => {
      const access = accessOf(request);
      return send(
        reply,
        status,
        page({
          title,
          ...(current ? { current } : {}),
          identity: access.identity,
          roles: access.roles,
          csrf: reply.generateCsrf(),
          body,
        }),
      );
    };
    /** Writes the access-log row of a read by the signed-in person; called before the data is sent. */
    const logRead = (
      request: FastifyRequest,
      action: AccessAction,
      target: { planId?: string; reportId?: string } = {},
      routeSuffix = '',
    ) =>
      recordAccess(prisma, {
        partnershipId: accessOf(request).partnershipId,
        actor: { kind: 'person', personId: accessOf(request).personId },
        action,
        route: `GET ${request.routeOptions.url ?? request.url}${routeSuffix}`,
        ...target,
      });

    // --- pages --------------------------------------------------------------------------------------------------

    scope.get('/', { preHandler: allow() }, async (request, reply) => {
      const access = accessOf(request);
      if (!mayUse(access.roles, 'figures')) {
        const home = homePermission(access.roles);
        const target = NAV.find((item) => item.permission === home);
        if (target) return reply.redirect(target.href, 303);
        return message(
          reply,
          403,
          'You have no role in corewatch',
          'Your account holds no dashboard role. Ask your administrator.',
          access,
        );
      }
      const figures = await shared.overview(access.partnershipId, today());
      const name = figures.partnershipName;
      if (name === undefined)
        return render(
          request,
          reply,
          'Not set up',
          '/',
          views.messageBody('Partnership not set up', `No partnership ${access.partnershipId} is recorded.`),
          404,
        );
      return render(request, reply, 'Overview', '/', overviewBody(figures, name, mayUse(access.roles, 'plan-lists')));
    });

    /** A list page's filter form and paging, for what the reader may filter by. */
    const controls = async (
      access: Access,
      path: string,
      query: ListQuery,
      page: Page<unknown>,
    ): Promise<views.ListControls> => {
      const options = await shared.filterOptions(access.partnershipId);
      return {
        path,
        total: page.total,
        ...pageLinks(path, query.shown, page),
        filters: query.shown,
        teams: options.teams,
        // Someone who lists only their own caseload has no one else to filter by.
        socialWorkers: access.roles.has('analyst') || access.managedTeamIds.length > 0 ? options.socialWorkers : [],
        kinds: OBLIGATION_KINDS,
      };
    };

    scope.get('/overdue', { preHandler: allow('plan-lists') }, async (request, reply) => {
      const asOf = today();
      const access = accessOf(request);
      const query = parseListQuery(request.query);
      const [page, unevaluable] = await Promise.all([
        data.overduePlans(prisma, access, label(access), query.filters, query.page, asOf),
        shared
          .unevaluableCount(access.partnershipId)
          .then((count) => (count === 0 ? NONE_UNEVALUABLE : data.unevaluablePlans(prisma, access, label(access)))),
      ]);
      return render(
        request,
        reply,
        'Overdue now',
        '/overdue',
        views.overdueBody(page.rows, asOf, await controls(access, '/overdue', query, page), unevaluable),
      );
    });

    scope.get<{ Params: { planId: string } }>(
      '/plans/:planId',
      { preHandler: allow('plan-records') },
      async (request, reply) => {
        const access = accessOf(request);
        const plan = await data.planTimeline(prisma, access, request.params.planId, today());
        if (plan === 'not-found')
          return render(
            request,
            reply,
            'Page not found',
            undefined,
            views.messageBody('Page not found', 'There is no such plan in your partnership.'),
            404,
          );
        if (plan === 'forbidden')
          return render(
            request,
            reply,
            'No access',
            undefined,
            views.messageBody('You do not have access to this plan', 'It is not in your teams or your caseload.'),
            403,
          );
        // A read of a child's record: logged before the page is returned.
        await logRead(request, 'plan-read', { planId: plan.reference });
        return render(request, reply, `Plan ${plan.reference}`, undefined, views.planBody(plan));
      },
    );

    scope.get('/escalations', { preHandler: allow('plan-lists') }, async (request, reply) => {
      const access = accessOf(request);
      const query = parseListQuery(request.query);
      const page = await data.escalations(prisma, access, label(access), query.filters, query.page, today());
      return render(
        request,
        reply,
        'Escalations',
        '/escalations',
        views.escalationsBody(page.rows, await controls(access, '/escalations', query, page)),
      );
    });

    scope.get('/reports', { preHandler: allow('workbooks') }, async (request, reply) =>
      render(
        request,
        reply,
        'Reports',
        '/reports',
        views.reportsBody(await data.reports(prisma, accessOf(request).partnershipId)),
      ),
    );

    scope.get<{ Params: { id: string } }>(
      '/reports/:id/download',
      { preHandler: allow('workbooks') },
      async (request, reply) => {
        const access = accessOf(request);
        const row = await prisma.monthlyReport.findFirst({
          where: { id: request.params.id, partnershipId: access.partnershipId, status: 'complete' },
        });
        if (!row?.filePath || !fs.existsSync(row.filePath)) {
          return render(
            request,
            reply,
            'Page not found',
            undefined,
            views.messageBody('Page not found', 'There is no such workbook.'),
            404,
          );
        }
        // A workbook holds children's data: log the download before sending it.
        await logRead(request, 'workbook-download', { reportId: row.id });
        return reply
          .type(XLSX)
          .header('content-disposition', `attachment; filename="corewatch-${access.partnershipId}-${row.month}.xlsx"`)
          .send(fs.createReadStream(row.filePath));
      },
    );

    scope.get('/annex-a', { preHandler: allow('workbooks') }, async (request, reply) =>
      render(request, reply, 'Annex A List 7', '/annex-a', views.annexABody({ asOf: today(), today: today() })),
    );

    scope.get<{ Querystring: { asOf?: unknown } }>(
      '/annex-a/download',
      { preHandler: allow('workbooks') },
      async (request, reply) => {
        const access = accessOf(request);
        const given = request.query.asOf;
        let asOf = today();
        if (given !== undefined && given !== '') {
          const parsed = IsoDateSchema.safeParse(given);
          if (!parsed.success) throw new Refusal('invalid', 'asOf', parsed.error.issues[0]?.message ?? 'is not a date');
          asOf = parsed.data;
        }
        return sendAnnexA(
          reply,
          { prisma, reportsDir: config.REPORTS_DIR },
          { partnershipId: access.partnershipId, asOf, today: today() },
          // Children's data: logged before a byte of it is sent.
          () => logRead(request, 'annex-a-download', {}, ` asOf=${asOf}`),
        );
      },
    );

    scope.get<{ Querystring: { before?: string } }>(
      '/access-log',
      { preHandler: allow('access-log') },
      async (request, reply) => {
        const access = accessOf(request);
        // The log names staff and what they read: reading it is logged too.
        await logRead(request, 'access-log-read');
        const before = typeof request.query.before === 'string' ? request.query.before : undefined;
        const log = await listAccess(prisma, access.partnershipId, {
          limit: ACCESS_LOG_PAGE,
          ...(before ? { before } : {}),
        });
        return render(
          request,
          reply,
          'Access log',
          '/access-log',
          views.accessLogBody({
            rows: log.rows.map((r) => ({ ...r, at: r.at.toISOString().replace('T', ' ').slice(0, 19) })),
            olderHref: log.next ? `/access-log?before=${encodeURIComponent(log.next)}` : null,
          }),
        );
      },
    );
  });
}
