/** The GOV.UK page template around every dashboard page: skip link, header, service navigation, demo banner, main, footer. */
import { mayUse, ROLE_LABELS, USER_ROLES, type Permission, type UserRole } from '../../domain/access';
import { html, type SafeHtml } from './html';
import type { Identity } from './session';

/** The service navigation: each page with the permission it needs, so nobody is offered a page they may not open. */
export const NAV: ReadonlyArray<{ href: string; label: string; permission: Permission }> = [
  { href: '/', label: 'Overview', permission: 'figures' },
  { href: '/overdue', label: 'Overdue now', permission: 'plan-lists' },
  { href: '/escalations', label: 'Escalations', permission: 'plan-lists' },
  { href: '/reports', label: 'Reports', permission: 'workbooks' },
  { href: '/annex-a', label: 'Annex A', permission: 'workbooks' },
  { href: '/access-log', label: 'Access log', permission: 'access-log' },
];

/** 'team manager and auditor', in the order of USER_ROLES. */
export function rolesText(roles: ReadonlySet<UserRole>): string {
  const names = USER_ROLES.filter((r) => roles.has(r)).map((r) => ROLE_LABELS[r]);
  return names.length === 0
    ? 'no role'
    : names.length === 1
      ? names[0]!
      : `${names.slice(0, -1).join(', ')} and ${names.at(-1)!}`;
}

export interface PageOptions {
  title: string;
  /** The navigation item to mark as current, if any. */
  current?: string;
  identity?: Identity | undefined;
  /** The signed-in person's roles: the navigation shows only what they may open. */
  roles?: ReadonlySet<UserRole>;
  /** The CSRF token for the sign-out form (signed-in pages). */
  csrf?: string;
  body: SafeHtml;
}

export function page(options: PageOptions): SafeHtml {
  const { identity } = options;
  const roles = options.roles ?? new Set<UserRole>();
  const nav = NAV.filter((item) => mayUse(roles, item.permission));
  return html`<!DOCTYPE html>
<html lang="en" class="govuk-template">
<head>
<meta charset="utf-8">
<title>${options.title} – corewatch</title>
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<meta name="theme-color" content="#1d70b8">
<link rel="stylesheet" href="/assets/govuk-frontend.min.css">
</head>
<body class="govuk-template__body">
<a href="#main-content" class="govuk-skip-link">Skip to main content</a>
<header class="govuk-header">
  <div class="govuk-header__container govuk-width-container">
    <div class="govuk-header__logo">
      <a href="/" class="govuk-header__link govuk-header__link--homepage"><span class="govuk-header__logotype-text">corewatch</span></a>
    </div>
  </div>
</header>
${
  identity
    ? html`<section class="govuk-service-navigation" aria-label="Service information">
  <div class="govuk-width-container">
    <div class="govuk-service-navigation__container">
      <span class="govuk-service-navigation__service-name"><span class="govuk-service-navigation__text">Child protection plan compliance</span></span>
      <nav aria-label="Menu" class="govuk-service-navigation__wrapper">
        <ul class="govuk-service-navigation__list">
          ${nav.map((item) =>
            item.href === options.current
              ? html`<li class="govuk-service-navigation__item govuk-service-navigation__item--active"><a class="govuk-service-navigation__link" href="${item.href}" aria-current="page"><strong class="govuk-service-navigation__active-fallback">${item.label}</strong></a></li>`
              : html`<li class="govuk-service-navigation__item"><a class="govuk-service-navigation__link" href="${item.href}">${item.label}</a></li>`,
          )}
        </ul>
      </nav>
    </div>
  </div>
</section>`
    : ''
}
<div class="govuk-width-container">
${identity ? html`<section aria-label="Your sign-in">` : ''}
${
  identity?.demo
    ? html`<div class="govuk-phase-banner" data-testid="demo-banner">
    <p class="govuk-phase-banner__content"><strong class="govuk-tag govuk-tag--red govuk-phase-banner__content__tag">Demo</strong><span class="govuk-phase-banner__text">Demo identity — not for real data. Signed in as ${identity.displayName}, ${rolesText(roles)} (${identity.partnershipId}).</span></p>
  </div>`
    : identity
      ? html`<p class="govuk-body-s govuk-!-margin-top-2 govuk-!-margin-bottom-0" data-testid="signed-in-as">Signed in as ${identity.displayName}, ${rolesText(roles)} (${identity.partnershipId}).</p>`
      : ''
}
${
  identity && options.csrf
    ? html`<form method="post" action="/sign-out" class="govuk-!-margin-top-2 govuk-!-margin-bottom-0"><input type="hidden" name="csrf" value="${options.csrf}"><button type="submit" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0" data-module="govuk-button">Sign out</button></form>`
    : ''
}
${identity ? html`</section>` : ''}
<main class="govuk-main-wrapper" id="main-content">
${options.body}
</main>
</div>
<footer class="govuk-footer">
  <div class="govuk-width-container">
    <div class="govuk-footer__meta">
      <div class="govuk-footer__meta-item govuk-footer__meta-item--grow">
        <p class="govuk-body-s govuk-!-margin-bottom-0">corewatch: deadlines of child protection plans. Figures come from the same obligations engine as the monthly audit workbook.</p>
      </div>
    </div>
  </div>
</footer>
</body>
</html>`;
}
