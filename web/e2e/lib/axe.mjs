// axe-core in the page under test.
//
// The pages send `script-src 'self'`, so a <script> tag with axe's source
// (page.addScriptTag({content})) would be refused. The source is evaluated
// through the DevTools protocol instead (page.evaluate), which CSP does not
// govern, so the page keeps its real policy while it is checked.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** Runs axe on the page; returns every violation, whatever its impact. */
export async function violations(page) {
  const loaded = await page.evaluate(() => typeof window.axe !== 'undefined');
  if (!loaded) await page.evaluate(axeSource);
  return page.evaluate(async (tags) => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ impact: n.impact, target: n.target.join(' '), html: n.html, summary: n.failureSummary })),
    }));
  }, WCAG_TAGS);
}

/** Runs axe on the page; returns the violations of impact serious or critical. */
export async function seriousViolations(page) {
  return (await violations(page))
    .map((v) => ({ ...v, nodes: v.nodes.filter((n) => n.impact === 'serious' || n.impact === 'critical') }))
    .filter((v) => v.nodes.length > 0);
}

/** A readable report of violations, one block per rule. */
export function formatViolations(violations) {
  return violations.map((v) => [
    `  [${v.impact}] ${v.id}: ${v.help}`,
    `    ${v.helpUrl}`,
    ...v.nodes.slice(0, 8).map((n) => `    - ${n.target}\n      ${n.html.slice(0, 200)}\n      ${(n.summary || '').replace(/\n/g, '\n      ')}`),
    ...(v.nodes.length > 8 ? [`    … and ${v.nodes.length - 8} more`] : []),
  ].join('\n')).join('\n');
}

/** Runs axe on the page; returns every violation, whatever its impact. */
export async function allViolations(page) {
  const loaded = await page.evaluate(() => typeof window.axe !== 'undefined');
  if (!loaded) await page.evaluate(axeSource);
  return page.evaluate(async (tags) => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ impact: n.impact, target: n.target.join(' '), html: n.html, summary: n.failureSummary })),
    }));
  }, WCAG_TAGS);
}
