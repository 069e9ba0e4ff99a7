/**
 * Signing in and out of the dashboard: the sign-in page (/sign-in), OpenID Connect (/auth/login, /auth/callback)
 * and, outside production, a built-in demo identity (/sign-in/demo); /sign-out. Sign-in routes are rate limited per
 * client address; the forms carry a CSRF token (dashboard/plugins.ts). A sign-in starts a new server-side session
 * (dashboard/session.ts); signing out destroys it.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, preHandlerHookHandler } from 'fastify';
import type { HttpDeps } from '../deps';
import { page } from './layout';
import { SignInError, type OidcSignIn } from './oidc';
import { demoPeople, personForProviderIdentity } from './people';
import { dashboardErrorHandler, isCsrfRefusal } from './plugins';
import { sendMessage, sendPage } from './replies';
import { demoAllowed, endSession, safeReturnPath, setPendingSignIn, startSession, takePendingSignIn } from './session';
import { signInBody } from './views';

export interface SignInDeps extends Pick<HttpDeps, 'prisma' | 'config'> {
  /** OpenID Connect sign-in, when OIDC_* is configured. */
  oidc: OidcSignIn | undefined;
}

export type SignInPage = (
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  returnTo: string,
) => Promise<FastifyReply>;

/** The sign-in page: the council's sign-in button when OIDC is set up, and outside production the demo identities. */
export function signInPageSender({ prisma, config, oidc }: SignInDeps): SignInPage {
  return async (_request, reply, status, returnTo) => {
    const demo = demoAllowed(config) ? await demoPeople(prisma, config.DEMO_PARTNERSHIP) : [];
    const body = signInBody({ csrf: reply.generateCsrf(), returnTo, oidc: oidc !== undefined, demoPeople: demo });
    return sendPage(reply, status, page({ title: 'Sign in', body }));
  };
}

/** The route's answer when its form's CSRF token is missing or forged; any other error gets the dashboard's page. */
function whenCsrfRefused(answer: (reply: FastifyReply) => FastifyReply) {
  // A reply is thenable: the handler answers through it and returns nothing, as Fastify's type asks.
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    void (isCsrfRefusal(error) ? answer(reply) : dashboardErrorHandler(error, request, reply));
  };
}

export function signInRoutes(deps: SignInDeps) {
  const { prisma, config, oidc } = deps;
  const signInPage = signInPageSender(deps);
  const signInLimit = { rateLimit: { max: config.SIGN_IN_RATE_LIMIT, timeWindow: '1 minute' } };
  const notSetUp = (reply: FastifyReply) => reply.notFound('Sign-in with a council account is not set up here.');

  return async (scope: FastifyInstance) => {
    // The plugin's check, bound to its instance (a decorator used as a hook).
    const csrf: preHandlerHookHandler = (request, reply, done) => scope.csrfProtection(request, reply, done);
    scope.get<{ Querystring: { returnTo?: string } }>('/sign-in', async (request, reply) => {
      if (!oidc && !demoAllowed(config)) return reply.notFound('Sign-in is not available here.');
      return signInPage(request, reply, 200, safeReturnPath(request.query.returnTo));
    });

    scope.post<{ Body: Record<string, unknown> | undefined }>(
      '/sign-in/demo',
      {
        config: signInLimit,
        // Production has no demo sign-in at all: a 404 before the form is looked at.
        preHandler: [
          async (_request, reply) =>
            demoAllowed(config) ? undefined : reply.notFound('Sign-in is not available here.'),
          csrf,
        ],
        errorHandler: whenCsrfRefused((reply) =>
          sendMessage(reply, 403, 'Your sign-in form expired', 'Go back to the sign-in page and try again.'),
        ),
      },
      async (request, reply) => {
        const form = request.body;
        const offered = await demoPeople(prisma, config.DEMO_PARTNERSHIP);
        const chosen = offered.find((p) => p.personId === form?.['personId']);
        if (!chosen) return sendMessage(reply, 403, 'Sign-in refused', 'That is not one of the demo identities.');
        await startSession(request, reply, {
          personId: chosen.personId,
          partnershipId: config.DEMO_PARTNERSHIP,
          displayName: chosen.displayName,
          demo: true,
        });
        return reply.redirect(safeReturnPath(form?.['returnTo']), 303);
      },
    );

    // A link, not a form: the Content-Security-Policy's form-action 'self' would stop a form redirecting to the
    // provider. Nothing is changed by starting a sign-in; the signed state cookie binds the return to this browser.
    scope.get<{ Querystring: { returnTo?: string } }>(
      '/auth/login',
      { config: signInLimit },
      async (request, reply) => {
        if (!oidc) return notSetUp(reply);
        let started: Awaited<ReturnType<OidcSignIn['begin']>>;
        try {
          started = await oidc.begin(safeReturnPath(request.query.returnTo));
        } catch (error) {
          request.log.warn({ err: error }, 'identity provider unreachable');
          return sendMessage(
            reply,
            503,
            'Sign-in is unavailable',
            'The council sign-in service could not be reached. Try again in a few minutes.',
          );
        }
        setPendingSignIn(config, reply, started.pending);
        return reply.redirect(started.url, 303);
      },
    );

    scope.get('/auth/callback', { config: signInLimit }, async (request, reply) => {
      if (!oidc) return notSetUp(reply);
      const pending = takePendingSignIn(request, reply);
      if (!pending) {
        return sendMessage(
          reply,
          401,
          'Sign-in failed',
          'Your sign-in took too long or was started elsewhere. Go back to the sign-in page and try again.',
        );
      }
      try {
        const who = await oidc.complete(request.url, pending);
        const identity = await personForProviderIdentity(prisma, who);
        await startSession(request, reply, identity);
        request.log.info({ personId: identity.personId }, 'signed in');
        return reply.redirect(pending.returnTo, 303);
      } catch (error) {
        if (!(error instanceof SignInError)) throw error;
        request.log.warn({ reason: error.message }, 'sign-in refused');
        return sendMessage(reply, 401, 'Sign-in failed', `You could not be signed in: ${error.message}.`);
      }
    });

    scope.post(
      '/sign-out',
      {
        preHandler: csrf,
        // A sign-out another site posted does nothing: back to the home page, still signed in.
        errorHandler: whenCsrfRefused((reply) => reply.redirect('/', 303)),
      },
      async (request, reply) => {
        await endSession(request, reply);
        return reply.redirect('/sign-in', 303);
      },
    );
  };
}
