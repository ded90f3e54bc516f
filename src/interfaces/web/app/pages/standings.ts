/**
 * The evaluation page's standings: the product's own stored scores per source, and beside them the
 * legacy app's accuracy records brought over by `pbi migrate`, labelled as legacy and shown as the
 * legacy wrote them, with our scoring of the same tickets on the same draw.
 */
import { api } from '../api.js';
import { fmt, fmtDate, fmtInt, fmtPct, h, load, section, table } from '../ui.js';

interface ProductScore {
  source: string;
  tickets: number;
  draws: number;
  meanWhiteMatches: number;
  powerballHitRate: number;
  amount: number;
}
interface LegacyModel {
  model: string;
  records: number;
  linked: number;
  meanWhiteMatches: number | null;
  powerballMatchShare: number | null;
  meanAccuracyScore: number | null;
  checked: number;
  disagreements: number;
  product: { tickets: number; meanWhiteMatches: number; powerballHitRate: number } | null;
}
interface LegacyRecord {
  id: number;
  legacyRecord: string;
  model: string;
  shape: 'summary' | 'ticket';
  drawDate: string | null;
  link: string;
  linkNote: string | null;
  whiteMatches: number | null;
  powerballMatch: boolean | null;
  accuracyScore: number | null;
  check: string;
  differences: string[];
  product: { tickets: number; meanWhiteMatches: number; powerballHits: number } | null;
}
interface Comparison {
  product: ProductScore[];
  legacy: { models: LegacyModel[]; records: LegacyRecord[]; total: number };
  notice: string;
}

/** Records shown, newest draw first; the API pages through all of them. */
const MAX_RECORDS = 200;

const opt = (x: number | null, f: (n: number) => string): string => (x === null ? '–' : f(x));
const yesNo = (b: boolean | null): string => (b === null ? '–' : b ? 'yes' : 'no');

export async function renderStandings(el: HTMLElement): Promise<void> {
  await load(el, async () => {
    const c = await api.get<Comparison>(`/evaluation/legacy?limit=${MAX_RECORDS}`);
    const parts: HTMLElement[] = [];
    parts.push(
      section(
        'Scores so far',
        c.product.length === 0
          ? h('p', {}, 'No prediction is scored yet: evaluate after a draw.')
          : table(
              'Stored scores per source (this product)',
              [
                { head: 'Source', cell: (p: ProductScore) => p.source },
                { head: 'Tickets', numeric: true, cell: (p) => fmtInt(p.tickets) },
                { head: 'Draws', numeric: true, cell: (p) => fmtInt(p.draws) },
                { head: 'White matches / ticket', numeric: true, cell: (p) => fmt(p.meanWhiteMatches, 3) },
                { head: 'Powerball hit rate', numeric: true, cell: (p) => fmtPct(p.powerballHitRate, 1) },
                { head: 'Won', numeric: true, cell: (p) => `$${fmtInt(p.amount)}` },
              ],
              c.product,
            ),
      ),
    );
    if (c.legacy.models.length > 0) parts.push(legacySection(c));
    el.replaceChildren(...parts);
  });
}

function legacySection(c: Comparison): HTMLElement {
  const records = c.legacy.records;
  return h(
    'div',
    { 'data-testid': 'legacy-accuracy' },
    section(
      'Legacy accuracy (migrated)',
      h('p', { class: 'muted' }, c.notice),
      table(
        'Legacy accuracy per legacy model, beside our scoring of the same tickets',
        [
          { head: 'Legacy model', cell: (m: LegacyModel) => `legacy: ${m.model}` },
          { head: 'Records', numeric: true, cell: (m) => fmtInt(m.records) },
          { head: 'Linked', numeric: true, cell: (m) => fmtInt(m.linked) },
          {
            head: 'Legacy white matches',
            numeric: true,
            cell: (m) => opt(m.meanWhiteMatches, (x) => fmt(x, 3)),
          },
          {
            head: 'Legacy Powerball matched',
            numeric: true,
            cell: (m) => opt(m.powerballMatchShare, (x) => fmtPct(x, 1)),
          },
          { head: 'Legacy score', numeric: true, cell: (m) => opt(m.meanAccuracyScore, (x) => fmt(x, 4)) },
          { head: 'Disagree / checked', numeric: true, cell: (m) => `${m.disagreements} / ${m.checked}` },
          {
            head: 'Ours: white matches / ticket',
            numeric: true,
            cell: (m) =>
              m.product ? `${fmt(m.product.meanWhiteMatches, 3)} (${fmtInt(m.product.tickets)})` : '–',
          },
          {
            head: 'Ours: Powerball hit rate',
            numeric: true,
            cell: (m) => (m.product ? fmtPct(m.product.powerballHitRate, 1) : '–'),
          },
        ],
        c.legacy.models,
      ),
      table(
        `Legacy accuracy records, newest draw first${c.legacy.total > records.length ? ` (${fmtInt(records.length)} of ${fmtInt(c.legacy.total)})` : ''}`,
        [
          { head: 'Draw', cell: (r: LegacyRecord) => fmtDate(r.drawDate) },
          { head: 'Legacy model', cell: (r) => `legacy: ${r.model}` },
          { head: 'Figures', cell: (r) => (r.shape === 'summary' ? 'average over a set' : 'one ticket') },
          {
            head: 'Linked',
            cell: (r) => (r.link === 'none' ? `no: ${r.linkNote ?? ''}` : r.link.replace(/_/g, ' ')),
          },
          { head: 'Legacy white matches', numeric: true, cell: (r) => opt(r.whiteMatches, (x) => fmt(x, 2)) },
          { head: 'Legacy Powerball', cell: (r) => yesNo(r.powerballMatch) },
          { head: 'Legacy score', numeric: true, cell: (r) => opt(r.accuracyScore, (x) => fmt(x, 4)) },
          {
            head: 'Against the stored draw',
            cell: (r) => (r.check === 'disagrees' ? `disagrees: ${r.differences.join('; ')}` : r.check),
          },
          {
            head: 'Ours on the same tickets',
            cell: (r) =>
              r.product
                ? `${fmt(r.product.meanWhiteMatches, 2)} white / ticket, Powerball ${r.product.powerballHits} of ${r.product.tickets}`
                : '–',
          },
        ],
        records,
      ),
    ),
  );
}
