// The benchmark's chart: seconds against the number of servers, one line per way, as a standalone
// SVG. Both axes are logarithmic: a way that costs the same per server is a line of slope one, a
// way whose time does not grow with the fleet is flat, and the gap between two lines is their ratio.

export interface ChartSeries {
  readonly label: string;
  readonly points: readonly { readonly n: number; readonly seconds: number }[];
}

const COLORS = ["#d62728", "#ff7f0e", "#2ca02c", "#1f77b4", "#9467bd", "#8c564b", "#e377c2"];
const WIDTH = 900;
const HEIGHT = 560;
const MARGIN = { left: 70, right: 20, top: 60, bottom: 190 };

export function renderChart(title: string, subtitle: string, series: readonly ChartSeries[]): string {
  const points = series.flatMap((s) => s.points).filter((p) => p.n > 0 && p.seconds > 0);
  const ns = points.map((p) => p.n);
  const secs = points.map((p) => p.seconds);
  const xMin = Math.min(1, ...ns);
  const xMax = Math.max(10, ...ns);
  const yMin = decadeBelow(Math.min(1, ...secs));
  const yMax = decadeAbove(Math.max(10, ...secs));
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (n: number) => MARGIN.left + ((Math.log10(n) - Math.log10(xMin)) / (Math.log10(xMax) - Math.log10(xMin))) * plotW;
  const y = (s: number) =>
    MARGIN.top + plotH - ((Math.log10(s) - Math.log10(yMin)) / (Math.log10(yMax) - Math.log10(yMin))) * plotH;

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    `<text x="${WIDTH / 2}" y="22" text-anchor="middle" font-size="16" font-weight="bold">${escape(title)}</text>`,
    `<text x="${WIDTH / 2}" y="42" text-anchor="middle" fill="#555">${escape(subtitle)}</text>`,
  );
  // Grid and ticks: 1, 2, 5 per decade on the time axis; the measured N on the server axis.
  for (const s of ticks(yMin, yMax)) {
    out.push(
      `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(s).toFixed(1)}" y2="${y(s).toFixed(1)}" stroke="#e5e5e5"/>`,
      `<text x="${MARGIN.left - 6}" y="${(y(s) + 4).toFixed(1)}" text-anchor="end">${s}</text>`,
    );
  }
  for (const n of [...new Set(ns)].sort((a, b) => a - b)) {
    out.push(
      `<line x1="${x(n).toFixed(1)}" x2="${x(n).toFixed(1)}" y1="${MARGIN.top}" y2="${MARGIN.top + plotH}" stroke="#e5e5e5"/>`,
      `<text x="${x(n).toFixed(1)}" y="${MARGIN.top + plotH + 16}" text-anchor="middle">${n}</text>`,
    );
  }
  out.push(
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#333"/>`,
    `<text x="${MARGIN.left + plotW / 2}" y="${MARGIN.top + plotH + 36}" text-anchor="middle">servers (log scale)</text>`,
    `<text transform="translate(18 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle">seconds (log scale)</text>`,
  );
  series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length];
    const pts = s.points.filter((p) => p.n > 0 && p.seconds > 0).sort((a, b) => a.n - b.n);
    if (pts.length > 1) {
      const path = pts.map((p) => `${x(p.n).toFixed(1)},${y(p.seconds).toFixed(1)}`).join(" ");
      out.push(`<polyline points="${path}" fill="none" stroke="${color}" stroke-width="2"/>`);
    }
    for (const p of pts) {
      out.push(
        `<circle cx="${x(p.n).toFixed(1)}" cy="${y(p.seconds).toFixed(1)}" r="3.5" fill="${color}"><title>${escape(s.label)}: ${p.n} servers, ${p.seconds.toFixed(1)} s</title></circle>`,
      );
    }
    // Legend below the plot, one way per line.
    const ly = MARGIN.top + plotH + 58 + i * 18;
    out.push(
      `<line x1="${MARGIN.left}" x2="${MARGIN.left + 24}" y1="${ly - 4}" y2="${ly - 4}" stroke="${color}" stroke-width="3"/>`,
      `<text x="${MARGIN.left + 32}" y="${ly}">${escape(s.label)}</text>`,
    );
  });
  out.push("</svg>");
  return `${out.join("\n")}\n`;
}

function ticks(min: number, max: number): number[] {
  const result: number[] = [];
  for (let decade = min; decade <= max; decade *= 10) {
    for (const m of [1, 2, 5]) if (decade * m <= max) result.push(Number((decade * m).toPrecision(3)));
  }
  return result;
}

function decadeBelow(v: number): number {
  return 10 ** Math.floor(Math.log10(v));
}

function decadeAbove(v: number): number {
  return 10 ** Math.ceil(Math.log10(v));
}

function escape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
