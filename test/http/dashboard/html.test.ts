/** The pure parts of the dashboard: escaping, where sign-in may return to, and when the demo is offered. */
import { loadConfig } from '../../../platform/env';
import { html } from '../../../http/dashboard/html';
import { demoAllowed, safeReturnPath } from '../../../http/dashboard/session';

describe('html', () => {
  it('escapes every interpolated value, including inside attributes and arrays', () => {
    const evil = `<script>alert("x")</script>'&`;
    expect(html`<p title="${evil}">${[evil, 1]}</p>`.value).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;&amp;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;&amp;1</p>',
    );
  });

  it('nests templates without escaping them twice, and renders nothing for null, undefined and false', () => {
    expect(html`<div>${html`<b>${'a&b'}</b>`}${null}${undefined}${false}</div>`.value).toBe(
      '<div><b>a&amp;b</b></div>',
    );
  });
});

describe('demo sign-in', () => {
  it('has no demo sign-in in production', () => {
    expect(demoAllowed(loadConfig({}))).toBe(true);
    expect(
      demoAllowed(
        loadConfig({
          COREWATCH_ENV: 'production',
          DATABASE_URL: 'postgresql://x@h/x',
          TEMPORAL_ADDRESS: 'h:1',
          SMTP_HOST: 'h',
          SESSION_SECRET: 'x'.repeat(32),
          PSEUDONYM_SECRET: 'y'.repeat(32),
        }),
      ),
    ).toBe(false);
  });
});

describe('returning after sign-in', () => {
  it('goes back only to a path on this site', () => {
    expect(safeReturnPath('/plans/CAM-1?x=1')).toBe('/plans/CAM-1?x=1');
    for (const evil of [
      '//evil.example/',
      '/\\evil.example',
      'https://evil.example/',
      'javascript:alert(1)',
      '',
      undefined,
      42,
      '/a b',
    ]) {
      expect(safeReturnPath(evil)).toBe('/');
    }
  });
});
