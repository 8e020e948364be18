/**
 * wall-vs-hosts.svg: median wall time (log scale) versus host count, kolla-deploy and Ansible,
 * min–max as whiskers; simulated hosts drawn hollow. Written by hand: no plotting library.
 */
import type { BenchResults, CaseResult } from "./types.js";

const W = 860;
const H = 440;
const PAD = { left: 70, right: 250, top: 48, bottom: 60 };
const COLORS: Record<CaseResult["tool"], string> = { "kolla-deploy": "#1f6fb4", ansible: "#d2542c" };

interface Axes {
  readonly x: (hosts: number) => number;
  readonly y: (ms: number) => number;
  readonly maxHosts: number;
  readonly decades: readonly number[];
}

function axes(cases: readonly CaseResult[]): Axes {
  const maxHosts = Math.max(10, ...cases.map((c) => c.hosts));
  const lo = Math.floor(Math.log10(Math.max(1, Math.min(...cases.map((c) => c.wallMs.min)) / 1000)));
  const hi = Math.ceil(Math.log10(Math.max(...cases.map((c) => c.wallMs.max)) / 1000));
  const decades: number[] = [];
  for (let d = Math.min(lo, -1); d <= Math.max(hi, 1); d++) decades.push(d);
  const [dmin, dmax] = [decades[0]!, decades[decades.length - 1]!];
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  return {
    x: (hosts) => PAD.left + (hosts / maxHosts) * plotW,
    y: (ms) => PAD.top + plotH - ((Math.log10(ms / 1000) - dmin) / (dmax - dmin)) * plotH,
    maxHosts,
    decades,
  };
}

function grid(a: Axes): string[] {
  const out: string[] = [];
  for (const d of a.decades) {
    const y = a.y(1000 * 10 ** d);
    out.push(`<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y}" y2="${y}" stroke="#ddd"/>`);
    out.push(`<text x="${PAD.left - 8}" y="${y + 4}" text-anchor="end">${10 ** d >= 1 ? 10 ** d : (10 ** d).toFixed(-d)} s</text>`);
  }
  const step = a.maxHosts > 150 ? 50 : a.maxHosts > 40 ? 10 : 1;
  for (let h = 0; h <= a.maxHosts; h += step) {
    out.push(`<line x1="${a.x(h)}" x2="${a.x(h)}" y1="${H - PAD.bottom}" y2="${H - PAD.bottom + 5}" stroke="#333"/>`);
    out.push(`<text x="${a.x(h)}" y="${H - PAD.bottom + 20}" text-anchor="middle">${h}</text>`);
  }
  return out;
}

function series(a: Axes, cases: readonly CaseResult[], tool: CaseResult["tool"]): string[] {
  const pts = cases.filter((c) => c.tool === tool && c.id.includes("nochange")).sort((p, q) => p.hosts - q.hosts);
  const color = COLORS[tool];
  const out: string[] = [];
  if (pts.length > 1) out.push(`<polyline fill="none" stroke="${color}" stroke-width="2" points="${pts.map((c) => `${a.x(c.hosts)},${a.y(c.wallMs.median)}`).join(" ")}"/>`);
  for (const c of pts) {
    const [x, y] = [a.x(c.hosts), a.y(c.wallMs.median)];
    out.push(`<line x1="${x}" x2="${x}" y1="${a.y(c.wallMs.min)}" y2="${a.y(c.wallMs.max)}" stroke="${color}"/>`);
    out.push(`<circle cx="${x}" cy="${y}" r="5" fill="${c.simulated ? "white" : color}" stroke="${color}" stroke-width="2"/>`);
    out.push(`<text x="${x + 8}" y="${y - 8}" fill="${color}">${(c.wallMs.median / 1000).toFixed(2)} s</text>`);
  }
  return out;
}

/** The issue's wall-time targets: 1 s at 3 hosts, 3 s at 100, 6 s at 300. */
function targets(a: Axes): string[] {
  return ([[3, 1000], [100, 3000], [300, 6000]] as const)
    .filter(([hosts]) => hosts <= a.maxHosts)
    .map(([hosts, ms]) => `<path d="M${a.x(hosts) - 7} ${a.y(ms)}h14" stroke="#2a2" stroke-width="3"/>`);
}

function legend(): string[] {
  const x = W - PAD.right + 20;
  const rows: [string, string, boolean][] = [["kolla-deploy", COLORS["kolla-deploy"], false], ["kolla-deploy (simulated hosts)", COLORS["kolla-deploy"], true], ["Ansible (tuned)", COLORS.ansible, false]];
  const target = PAD.top + 10 + rows.length * 22;
  return [
    ...rows.flatMap(([label, color, hollow], i) => [
      `<circle cx="${x}" cy="${PAD.top + 10 + i * 22}" r="5" fill="${hollow ? "white" : color}" stroke="${color}" stroke-width="2"/>`,
      `<text x="${x + 12}" y="${PAD.top + 14 + i * 22}">${label}</text>`,
    ]),
    `<path d="M${x - 5} ${target}h10" stroke="#2a2" stroke-width="3"/>`,
    `<text x="${x + 12}" y="${target + 4}">target (issue 7)</text>`,
  ];
}

export function renderPlot(r: BenchResults): string {
  const cases = r.cases.filter((c) => c.id.includes("nochange"));
  if (cases.length === 0) return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="60"><text x="10" y="30">no data</text></svg>\n`;
  const a = axes(cases);
  const title = "No-change reconfigure: wall time vs hosts";
  const subtitle = `median, min–max whiskers; ${r.machine.cpus} cores, load average ${r.machine.loadBefore[0]} at start`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${PAD.left}" y="18" font-size="14" font-weight="bold">${title}</text>`,
    `<text x="${PAD.left}" y="33" fill="#555">${subtitle}</text>`,
    ...grid(a),
    `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${H - PAD.bottom}" y2="${H - PAD.bottom}" stroke="#333"/>`,
    `<line x1="${PAD.left}" x2="${PAD.left}" y1="${PAD.top}" y2="${H - PAD.bottom}" stroke="#333"/>`,
    `<text x="${(PAD.left + W - PAD.right) / 2}" y="${H - 15}" text-anchor="middle">hosts</text>`,
    `<text transform="translate(18 ${(PAD.top + H - PAD.bottom) / 2}) rotate(-90)" text-anchor="middle">wall time (log scale)</text>`,
    ...targets(a),
    ...series(a, cases, "ansible"),
    ...series(a, cases, "kolla-deploy"),
    ...legend(),
    "</svg>",
    "",
  ].join("\n");
}
